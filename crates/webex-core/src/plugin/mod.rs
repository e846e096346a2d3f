//! The plugin model: every capability (auth, devices, mercury, messages, meetings, media, and
//! third-party extensions) is a [`Plugin`] registered on the builder.
//!
//! Lifecycle: plugins are ordered by their declared dependencies when the client is built
//! (a missing dependency, a cycle or a duplicate name is an error, never a panic); each
//! plugin's synchronous [`Plugin::build`] runs in that order and may change config and add
//! HTTP layers; once the client exists, [`Plugin::start`] runs in the same order, and
//! [`Webex::shutdown`](crate::Webex::shutdown) runs [`Plugin::stop`] in reverse.

mod context;
mod graph;

use std::any::Any;

use async_trait::async_trait;

pub use context::{BuildContext, PluginLayer};
pub(crate) use graph::dependency_order;

use crate::{Result, Webex};

/// A unit of SDK functionality. Third parties implement it exactly as the SDK's own crates
/// do, and reach their plugin again with [`Webex::plugin`].
///
/// ```
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
/// ```
#[async_trait]
pub trait Plugin: Any + Send + Sync {
    /// A unique name; other plugins depend on it.
    fn name(&self) -> &'static str;

    /// Names of plugins that must be built and started before this one.
    fn dependencies(&self) -> &[&'static str] {
        &[]
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
