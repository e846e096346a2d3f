use std::collections::HashMap;

use crate::{Error, ErrorKind, Result};

/// A stable topological order of plugins given as `(name, dependencies)`: among plugins
/// whose dependencies are satisfied, registration order wins.
///
/// # Errors
/// [`ErrorKind::DuplicatePlugin`], [`ErrorKind::MissingDependency`] or
/// [`ErrorKind::DependencyCycle`], each naming the plugins involved.
pub(crate) fn dependency_order(
    plugins: &[(&'static str, Vec<&'static str>)],
) -> Result<Vec<usize>> {
    let mut index = HashMap::new();
    for (i, (name, _)) in plugins.iter().enumerate() {
        if index.insert(*name, i).is_some() {
            return Err(Error::new(
                ErrorKind::DuplicatePlugin,
                format!("plugin `{name}` was added twice"),
            ));
        }
    }
    for (name, deps) in plugins {
        if let Some(missing) = deps.iter().find(|d| !index.contains_key(*d)) {
            return Err(Error::new(
                ErrorKind::MissingDependency,
                format!("plugin `{name}` depends on `{missing}`, which was not added"),
            ));
        }
    }
    let mut placed = vec![false; plugins.len()];
    let mut order = Vec::with_capacity(plugins.len());
    while order.len() < plugins.len() {
        let ready = (0..plugins.len())
            .find(|&i| !placed[i] && plugins[i].1.iter().all(|d| placed[index[d]]));
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

/// Walks dependencies from an unplaced plugin until a name repeats; that loop is a cycle.
fn find_cycle(
    plugins: &[(&'static str, Vec<&'static str>)],
    index: &HashMap<&'static str, usize>,
    placed: &[bool],
) -> Vec<&'static str> {
    let Some(mut at) = (0..plugins.len()).find(|&i| !placed[i]) else {
        return Vec::new();
    };
    let mut path: Vec<usize> = Vec::new();
    loop {
        if let Some(pos) = path.iter().position(|&p| p == at) {
            let mut names: Vec<_> = path[pos..].iter().map(|&i| plugins[i].0).collect();
            names.push(plugins[at].0);
            return names;
        }
        path.push(at);
        // Every unplaced plugin has at least one unplaced dependency, or it would be ready.
        match plugins[at].1.iter().map(|d| index[d]).find(|&d| !placed[d]) {
            Some(next) => at = next,
            None => return path.iter().map(|&i| plugins[i].0).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_dependencies_then_registration() {
        let plugins = vec![
            ("mercury", vec!["devices"]),
            ("messages", vec![]),
            ("devices", vec!["auth"]),
            ("auth", vec![]),
        ];
        let order: Vec<_> = dependency_order(&plugins)
            .unwrap()
            .into_iter()
            .map(|i| plugins[i].0)
            .collect();
        assert_eq!(order, ["messages", "auth", "devices", "mercury"]);
    }

    #[test]
    fn cycle_is_named() {
        let plugins = vec![
            ("a", vec!["b"]),
            ("b", vec!["c"]),
            ("c", vec!["a"]),
            ("d", vec![]),
        ];
        let err = dependency_order(&plugins).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DependencyCycle);
        assert!(
            err.message().contains("a -> b -> c -> a"),
            "{}",
            err.message()
        );
    }
}
