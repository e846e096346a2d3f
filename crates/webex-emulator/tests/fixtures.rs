//! Fixtures and the world as a whole (issue 13): loading a fixtures file at
//! start and through the admin API, the export that loads back into the
//! same world, reset, the errors of bad fixtures (with their line), the
//! list of admin operations, and the JSON schema in `docs/`.
//! One test binary with several modules, to link only once.

#[allow(dead_code)]
#[path = "api/client.rs"]
mod client;

#[path = "fixtures/common.rs"]
mod common;
#[path = "support/process.rs"]
mod process;

#[path = "fixtures/binary.rs"]
mod binary;
#[path = "fixtures/errors.rs"]
mod errors;
#[path = "fixtures/load.rs"]
mod load;
#[path = "fixtures/operations.rs"]
mod operations;
#[path = "fixtures/reset.rs"]
mod reset;
#[path = "fixtures/round_trip.rs"]
mod round_trip;
#[path = "fixtures/schema.rs"]
mod schema;
#[path = "fixtures/worlds.rs"]
mod worlds;
