//! The emulator's toolbox, shared by every layer and importing none: error
//! bodies, Hydra ids, pagination, query parsing, request bodies, tracking
//! ids, clocks, caller authentication, CORS, locking, the media-server seam
//! and the emulator's address.

pub(crate) mod auth;
pub(crate) mod body;
pub(crate) mod clock;
pub(crate) mod cors;
pub(crate) mod endpoint;
pub(crate) mod error;
pub(crate) mod ids;
pub(crate) mod media;
pub(crate) mod pagination;
pub(crate) mod query;
pub(crate) mod service;
pub(crate) mod sweeper;
pub(crate) mod sync;
pub(crate) mod tracking;
pub(crate) mod websocket;

pub(crate) use sync::lock;
