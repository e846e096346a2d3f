use std::collections::HashMap;

use super::PluginId;
use crate::{Error, ErrorKind, Result};

/// One plugin as the graph sees it.
#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) id: PluginId,
    pub(crate) name: &'static str,
    pub(crate) dependencies: Vec<PluginId>,
}

impl Node {
    /// `` `name` (type) ``, how messages name a registered plugin.
    fn label(&self) -> String {
        format!("`{}` ({})", self.name, self.id)
    }
}

/// A stable topological order of `plugins`: among plugins whose dependencies are satisfied,
/// registration order wins.
///
/// # Errors
/// [`ErrorKind::DuplicatePlugin`] (a type added twice, or two types with one name),
/// [`ErrorKind::MissingDependency`] or [`ErrorKind::DependencyCycle`], each naming the
/// plugins involved.
pub(crate) fn dependency_order(plugins: &[Node]) -> Result<Vec<usize>> {
    let mut index = HashMap::new();
    let mut names = HashMap::new();
    for (i, node) in plugins.iter().enumerate() {
        if index.insert(node.id, i).is_some() {
            return Err(Error::new(
                ErrorKind::DuplicatePlugin,
                format!(
                    "plugin {} was added twice; add it once. To configure a plugin that a \
                     group adds (such as the `webex` facade's `DefaultPlugins`), pass it to \
                     the group instead: `.plugins(DefaultPlugins.set(plugin))`",
                    node.label()
                ),
            ));
        }
        if let Some(first) = names.insert(node.name, i) {
            return Err(Error::new(
                ErrorKind::DuplicatePlugin,
                format!(
                    "plugins {} and {} have the same name; plugin names must be unique",
                    plugins[first].label(),
                    node.label()
                ),
            ));
        }
    }
    for node in plugins {
        if let Some(missing) = node.dependencies.iter().find(|d| !index.contains_key(*d)) {
            return Err(Error::new(
                ErrorKind::MissingDependency,
                format!(
                    "plugin {} depends on {missing}, which was not added; add it with \
                     `.plugin(..)` (in the `webex` facade: enable its cargo feature and \
                     keep it in `DefaultPlugins`)",
                    node.label()
                ),
            ));
        }
    }
    let mut placed = vec![false; plugins.len()];
    let mut order = Vec::with_capacity(plugins.len());
    while order.len() < plugins.len() {
        let ready = (0..plugins.len())
            .find(|&i| !placed[i] && plugins[i].dependencies.iter().all(|d| placed[index[d]]));
        match ready {
            Some(i) => {
                placed[i] = true;
                order.push(i);
            }
            None => {
                let cycle = find_cycle(plugins, &index, &placed);
                return Err(Error::new(
                    ErrorKind::DependencyCycle,
                    format!(
                        "plugins depend on each other in a cycle: {}",
                        cycle.join(" -> ")
                    ),
                ));
            }
        }
    }
    Ok(order)
}

/// Walks dependencies from an unplaced plugin until a plugin repeats; that loop is a cycle.
fn find_cycle(
    plugins: &[Node],
    index: &HashMap<PluginId, usize>,
    placed: &[bool],
) -> Vec<&'static str> {
    let Some(mut at) = (0..plugins.len()).find(|&i| !placed[i]) else {
        return Vec::new();
    };
    let mut path: Vec<usize> = Vec::new();
    loop {
        if let Some(pos) = path.iter().position(|&p| p == at) {
            let mut names: Vec<_> = path[pos..].iter().map(|&i| plugins[i].name).collect();
            names.push(plugins[at].name);
            return names;
        }
        path.push(at);
        // Every unplaced plugin has at least one unplaced dependency, or it would be ready.
        match plugins[at]
            .dependencies
            .iter()
            .map(|d| index[d])
            .find(|&d| !placed[d])
        {
            Some(next) => at = next,
            None => return path.iter().map(|&i| plugins[i].name).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Auth;
    struct Devices;
    struct Mercury;
    struct Messages;
    struct A;
    struct B;
    struct C;
    struct D;

    fn node(id: PluginId, name: &'static str, dependencies: &[PluginId]) -> Node {
        Node {
            id,
            name,
            dependencies: dependencies.to_vec(),
        }
    }

    fn id<T: 'static>() -> PluginId {
        PluginId::of_type::<T>()
    }

    #[test]
    fn orders_by_dependencies_then_registration() {
        let plugins = vec![
            node(id::<Mercury>(), "mercury", &[id::<Devices>()]),
            node(id::<Messages>(), "messages", &[]),
            node(id::<Devices>(), "devices", &[id::<Auth>()]),
            node(id::<Auth>(), "auth", &[]),
        ];
        let order: Vec<_> = dependency_order(&plugins)
            .unwrap()
            .into_iter()
            .map(|i| plugins[i].name)
            .collect();
        assert_eq!(order, ["messages", "auth", "devices", "mercury"]);
    }

    #[test]
    fn cycle_is_named() {
        let plugins = vec![
            node(id::<A>(), "a", &[id::<B>()]),
            node(id::<B>(), "b", &[id::<C>()]),
            node(id::<C>(), "c", &[id::<A>()]),
            node(id::<D>(), "d", &[]),
        ];
        let err = dependency_order(&plugins).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DependencyCycle);
        assert!(
            err.message().contains("a -> b -> c -> a"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn missing_dependency_names_both_plugins() {
        let plugins = vec![node(id::<Mercury>(), "mercury", &[id::<Devices>()])];
        let err = dependency_order(&plugins).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::MissingDependency);
        let expected = format!(
            "plugin `mercury` ({}) depends on {}, which was not added",
            std::any::type_name::<Mercury>(),
            std::any::type_name::<Devices>()
        );
        assert!(err.message().contains(&expected), "{}", err.message());
    }

    #[test]
    fn same_type_twice_names_the_fix() {
        let plugins = vec![node(id::<A>(), "a", &[]), node(id::<A>(), "a", &[])];
        let err = dependency_order(&plugins).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DuplicatePlugin);
        assert!(err.message().contains("was added twice"), "{err}");
        assert!(err.message().contains(".set(plugin)"), "{err}");
    }

    #[test]
    fn two_types_with_one_name_are_a_duplicate() {
        let plugins = vec![node(id::<A>(), "x", &[]), node(id::<B>(), "x", &[])];
        let err = dependency_order(&plugins).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DuplicatePlugin);
        assert!(err.message().contains("the same name"), "{err}");
    }
}
