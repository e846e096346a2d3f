use std::any::{TypeId, type_name};
use std::fmt;
use std::hash::{Hash, Hasher};

use super::Plugin;

/// A plugin type, as another plugin names it in [`Plugin::dependencies`]: typed, so a
/// dependency cannot be misspelled and a third-party plugin depends on an SDK plugin the same
/// way the SDK's own plugins do.
///
/// Two ids are equal when they name the same type; the type's path is kept for messages.
///
/// ```
/// use webex_core::plugin::PluginId;
/// use webex_core::{Plugin, async_trait};
///
/// struct Greeter;
///
/// #[async_trait]
/// impl Plugin for Greeter {
///     fn name(&self) -> &'static str { "greeter" }
/// }
///
/// assert_eq!(PluginId::of::<Greeter>(), PluginId::of::<Greeter>());
/// assert!(PluginId::of::<Greeter>().type_name().ends_with("Greeter"));
/// ```
#[derive(Clone, Copy)]
pub struct PluginId {
    type_id: TypeId,
    type_name: &'static str,
}

impl PluginId {
    /// The id of plugin type `P`.
    #[must_use]
    pub fn of<P: Plugin>() -> Self {
        Self::of_type::<P>()
    }

    /// Any type's id: the graph's unit tests use plain marker types.
    pub(crate) fn of_type<T: 'static>() -> Self {
        Self {
            type_id: TypeId::of::<T>(),
            type_name: type_name::<T>(),
        }
    }

    /// The plugin type's path, e.g. `webex_mercury::MercuryPlugin`.
    #[must_use]
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }
}

impl PartialEq for PluginId {
    fn eq(&self, other: &Self) -> bool {
        self.type_id == other.type_id
    }
}

impl Eq for PluginId {}

impl Hash for PluginId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.type_id.hash(state);
    }
}

impl fmt::Debug for PluginId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.type_name)
    }
}

impl fmt::Display for PluginId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.type_name)
    }
}
