//! The plugin model: every capability (auth, devices, mercury, messages, meetings, media, and
//! third-party extensions) is a [`Plugin`] registered on the builder.
//!
//! Plugins come one at a time ([`WebexBuilder::plugin`](crate::WebexBuilder::plugin)) or as
//! a [`PluginGroup`] ([`WebexBuilder::plugins`](crate::WebexBuilder::plugins)), whose
//! members can be replaced ([`PluginGroup::set`]) or left out ([`PluginGroup::disable`]).
//! A plugin names the plugins it needs by type ([`PluginId::of`]), so a dependency cannot
//! be misspelled.
//!
//! Lifecycle: plugins are ordered by their declared dependencies when the client is built
//! (a missing dependency, a cycle or a plugin type added twice is an error, never a panic);
//! each
//! plugin's synchronous [`Plugin::build`] runs in that order and may change config and add
//! HTTP layers; once the client exists, [`Plugin::start`] runs in the same order, and
//! [`Webex::shutdown`](crate::Webex::shutdown) runs [`Plugin::stop`] in reverse.

mod context;
mod graph;
mod group;
mod id;

use std::any::Any;

use async_trait::async_trait;

pub use context::{BuildContext, PluginLayer};
pub(crate) use graph::{Node, dependency_order};
pub(crate) use group::Entry;
pub use group::{PluginGroup, PluginSet};
pub use id::PluginId;

use crate::{Result, Webex};

/// A unit of SDK functionality. Third parties implement it exactly as the SDK's own crates
/// do, and reach their plugin again with [`Webex::plugin`].
///
/// ```
/// use webex_core::plugin::PluginId;
/// use webex_core::{async_trait, BuildContext, Plugin, Result, Webex};
///
/// #[derive(Debug, Default)]
/// struct Greeter;
///
/// #[async_trait]
/// impl Plugin for Greeter {
///     fn name(&self) -> &'static str { "greeter" }
///     async fn start(&self, _webex: &Webex) -> Result<()> { Ok(()) }
/// }
///
/// /// Starts after `Greeter`, and cannot be built without it.
/// #[derive(Debug, Default)]
/// struct Farewell;
///
/// #[async_trait]
/// impl Plugin for Farewell {
///     fn name(&self) -> &'static str { "farewell" }
///     fn dependencies(&self) -> Vec<PluginId> { vec![PluginId::of::<Greeter>()] }
/// }
/// ```
#[async_trait]
pub trait Plugin: Any + Send + Sync {
    /// A unique name, for logs, errors and [`Webex::plugin_names`].
    fn name(&self) -> &'static str;

    /// The plugin types that must be built and started before this one
    /// (`vec![PluginId::of::<OtherPlugin>()]`).
    fn dependencies(&self) -> Vec<PluginId> {
        Vec::new()
    }

    /// Contributes to the client before it exists: config defaults, HTTP layers, a token
    /// provider. Runs in dependency order.
    ///
    /// # Errors
    /// Any error aborts the build.
    fn build(&mut self, _ctx: &mut BuildContext<'_>) -> Result<()> {
        Ok(())
    }

    /// Runs once the client is built (network setup such as device registration).
    ///
    /// # Errors
    /// Any error aborts the build; plugins already started are stopped again.
    async fn start(&self, _webex: &Webex) -> Result<()> {
        Ok(())
    }

    /// Runs on shutdown, in reverse dependency order.
    ///
    /// # Errors
    /// Reported by `shutdown`; the other plugins still stop.
    async fn stop(&self, _webex: &Webex) -> Result<()> {
        Ok(())
    }
}
