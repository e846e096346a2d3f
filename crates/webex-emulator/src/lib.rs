//! A local Webex cloud for tests, examples and offline development.
//!
//! The emulator is one HTTP server that plays every Webex service a client
//! needs: the U2C service catalog, Hydra (the public REST API: people,
//! rooms, memberships, messages with files, teams, webhooks with real
//! deliveries, attachment actions), device registration (WDM) with each
//! device's Mercury websocket (pushed `conversation.activity` events), the
//! conversation service's read status, the metrics sink, and meetings:
//! meeting info (passwords, captchas, personal rooms) and Locus (join,
//! lobby, controls, floors, leave, end) with `locus.*` events pushed to
//! every participant as per-person deltas; the identity broker (OAuth sign-in
//! through a plain HTML form, the token endpoint with PKCE and refresh,
//! revocation, guest JWT login), whose tokens expire on Tokio's clock. Every service
//! link in its catalog points back at itself, so a client only needs the
//! emulator's base URL.
//!
//! With [`EmulatorConfig::tls`] it serves `https` and `wss` on its one port
//! instead, with a certificate signed by a local CA that it makes (or loads
//! from a directory); [`Emulator::ca_path`] is the CA file clients trust.
//!
//! It deliberately depends on no crate of the SDK: it has its own wire types,
//! so a bug in the SDK's types cannot hide behind the same bug in the server.
//!
//! Tests drive it through two equivalent doors:
//! - the Rust API on [`Emulator`] ([`Emulator::create_person`],
//!   [`Emulator::add_fault`], ...), for Rust tests in the same process;
//! - the admin HTTP API under `/_emulator/` (`POST /_emulator/people`,
//!   `POST /_emulator/faults`, ...), for other languages and for the
//!   stand-alone `webex-emulator` binary. Both run the same code.
//!
//! A test suite can start from a known world: [`Fixtures`] (JSON or TOML,
//! `--fixtures FILE` for the binary) create people with fixed tokens, teams,
//! rooms, memberships and messages; [`Emulator::export_state`]
//! (`GET /_emulator/state`) writes the world out in the same form and
//! [`Emulator::reset`] (`POST /_emulator/reset`) empties it.
//!
//! Besides plain behaviour, the emulator can inject faults (statuses,
//! `Retry-After` headers, raw bodies, delays; see [`Fault`]), close, stall
//! or drop Mercury sockets ([`MercuryFault`]), add failing
//! priority hosts to its catalog ([`CatalogHost`]) and count the requests it
//! received ([`Emulator::request_count`]), so tests can check retries and
//! failover.
//!
//! # Example
//!
//! ```
//! use webex_emulator::{Emulator, NewPerson, PersonType};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let emulator = Emulator::start_default().await?;
//! let alice = emulator.create_person(NewPerson {
//!     display_name: "Alice Example".to_owned(),
//!     email: "alice@example.com".to_owned(),
//!     kind: PersonType::Person,
//! });
//!
//! // Tokens look like real ones: `<random>_<cluster>_<org uuid>`.
//! assert_eq!(alice.access_token.split('_').count(), 3);
//! // Point a client at this URL and authenticate with `alice.access_token`.
//! assert!(emulator.base_url().starts_with("http://127.0.0.1:"));
//!
//! emulator.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod app;
mod bus;
mod control;
mod fixtures;
mod kit;
mod server;
mod services;
mod tls;
mod views;
mod world;

pub use control::burst::MercuryBurst;
pub use control::client_logs::ClientLogUpload;
pub use control::devices::EmulatedDevice;
pub use control::faults::{Fault, RetryAfterValue};
pub use control::kms::KmsEncryptedText;
pub use control::meetings::{CreatedMeeting, MeetingCaptcha, NewMeeting};
pub use control::mercury_faults::{MercuryFault, MercuryFaultAction};
pub use control::paired_devices::{EmulatedPairedDevice, NewPairedDevice};
pub use control::people::ListedPerson;
pub use control::requests::RecentRequest;
pub use fixtures::Fixtures;
pub use fixtures::error::FixturesError;
pub use fixtures::format::{
    FixtureFile, FixtureMembership, FixtureMessage, FixturePerson, FixtureRoom, FixtureRoomType,
    FixtureTeam, FixtureTeamMembership, FixtureUpload,
};
pub use kit::endpoint::PublicUrlError;
pub use server::{Emulator, EmulatorConfig};
pub use services::hydra::webhooks::delivery::WebhookDelivery;
pub use services::locus::ledger::{DeltaFaultMode, LocusFault};
pub use services::locus::media_fault::{MediaFault, MediaFaultKind};
pub use services::media::MediaSessionInfo;
pub use services::mercury::connections::{MercuryConnection, MercuryConnectionState};
pub use tls::{TlsConfig, TlsError};
pub use views::catalog::CatalogHost;
pub use world::contents::UploadLimits;
pub use world::oauth::client::{NewOAuthClient, OAuthClientCredentials, RefreshTokenError};
pub use world::oauth::guest::{GuestIssuerCredentials, NewGuestIssuer};
pub use world::oauth::log::TokenRequest;
pub use world::people::{CreatePersonError, CreatedPerson, NewPerson, PersonType};
