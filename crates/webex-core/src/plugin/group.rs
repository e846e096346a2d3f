use std::fmt;

use super::{Plugin, PluginId};

/// A plugin with the id of its type, taken when it was added (a `Box<dyn Plugin>` no longer
/// knows its type's name).
pub(crate) struct Entry {
    pub(crate) id: PluginId,
    pub(crate) plugin: Box<dyn Plugin>,
}

/// An ordered list of plugins, at most one per type once [`set`](Self::set) and
/// [`disable`](Self::disable) are used: what a [`PluginGroup`] hands to
/// [`WebexBuilder::plugins`](crate::WebexBuilder::plugins).
#[derive(Default)]
#[must_use]
pub struct PluginSet {
    entries: Vec<Entry>,
}

impl fmt::Debug for PluginSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.entries.iter().map(|e| e.plugin.name()))
            .finish()
    }
}

impl PluginSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `plugin`. Adding a type twice is reported by
    /// [`WebexBuilder::build`](crate::WebexBuilder::build) as
    /// [`ErrorKind::DuplicatePlugin`](crate::ErrorKind::DuplicatePlugin); use
    /// [`set`](Self::set) to replace one.
    pub fn with<P: Plugin>(mut self, plugin: P) -> Self {
        self.push(plugin);
        self
    }

    /// Replaces the plugin of `P`'s type with `plugin`, keeping its place (so a configured
    /// default starts where the default would have); appends it when the set has none.
    pub fn set<P: Plugin>(mut self, plugin: P) -> Self {
        let id = PluginId::of::<P>();
        match self.entries.iter_mut().find(|e| e.id == id) {
            Some(entry) => entry.plugin = Box::new(plugin),
            None => self.push(plugin),
        }
        self
    }

    /// Leaves the plugin of type `P` out (nothing happens when the set has none).
    pub fn disable<P: Plugin>(mut self) -> Self {
        let id = PluginId::of::<P>();
        self.entries.retain(|e| e.id != id);
        self
    }

    /// Whether a plugin of type `P` is in the set.
    #[must_use]
    pub fn contains<P: Plugin>(&self) -> bool {
        let id = PluginId::of::<P>();
        self.entries.iter().any(|e| e.id == id)
    }

    /// The plugins' names, in order.
    #[must_use]
    pub fn names(&self) -> Vec<&'static str> {
        self.entries.iter().map(|e| e.plugin.name()).collect()
    }

    pub(crate) fn push<P: Plugin>(&mut self, plugin: P) {
        self.entries.push(Entry {
            id: PluginId::of::<P>(),
            plugin: Box::new(plugin),
        });
    }

    pub(crate) fn append(&mut self, other: PluginSet) {
        self.entries.extend(other.entries);
    }

    pub(crate) fn into_entries(self) -> Vec<Entry> {
        self.entries
    }
}

/// A named bundle of plugins added with one call, e.g. the `webex` facade's `DefaultPlugins`
/// (one plugin per enabled cargo feature). Like bevy's plugin groups, one plugin of a group
/// can be configured with [`set`](Self::set) or left out with [`disable`](Self::disable)
/// without listing the others:
///
/// ```
/// use webex_core::plugin::{PluginGroup, PluginSet};
/// use webex_core::{Plugin, async_trait};
///
/// #[derive(Default)]
/// struct Greeter { greeting: &'static str }
/// #[async_trait]
/// impl Plugin for Greeter { fn name(&self) -> &'static str { "greeter" } }
///
/// #[derive(Default)]
/// struct Counter;
/// #[async_trait]
/// impl Plugin for Counter { fn name(&self) -> &'static str { "counter" } }
///
/// struct Basics;
/// impl PluginGroup for Basics {
///     fn into_set(self) -> PluginSet {
///         PluginSet::new().with(Greeter::default()).with(Counter)
///     }
/// }
///
/// let set = Basics.set(Greeter { greeting: "hi" }).disable::<Counter>();
/// assert_eq!(set.names(), ["greeter"]);
/// ```
pub trait PluginGroup: Sized {
    /// The group's plugins, in the order they are added.
    fn into_set(self) -> PluginSet;

    /// The group with `plugin` in place of its plugin of the same type.
    fn set<P: Plugin>(self, plugin: P) -> PluginSet {
        self.into_set().set(plugin)
    }

    /// The group without its plugin of type `P`.
    fn disable<P: Plugin>(self) -> PluginSet {
        self.into_set().disable::<P>()
    }
}

impl PluginGroup for PluginSet {
    fn into_set(self) -> PluginSet {
        self
    }
}
