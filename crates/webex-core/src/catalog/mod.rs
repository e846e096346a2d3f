//! The service catalog (U2C): service names → URLs, with priority hosts and failover.
//!
//! Groups are searched in the JS SDK's order: `override` (config) > `postauth` (the full
//! catalog) > `preauth` (the limited catalog) > `discovery` (config). See
//! `docs/protocol/catalog.md` for the wire format this follows.

mod cluster;
mod hostmap;
mod service_catalog;
mod services;
pub mod trust;
mod u2c;

pub use hostmap::{Hostmap, ServiceEntry, ServiceHost, parse_hostmap};
pub use service_catalog::{Resolved, ServiceCatalog, ServiceGroup};
pub use services::Services;
pub(crate) use u2c::initialize;
