//! # webex-meetings
//!
//! Meetings over Locus, from a server: register for meetings, create a meeting from any
//! destination (SIP URI, meeting number, link, Locus, personal room, person, conversation),
//! look up its meeting info (password, host key, captcha), join it (or its lobby), follow it
//! as typed events from Locus kept in sync (full DTOs and deltas, sequence comparison,
//! sync on a gap), and act on it: mute, admit, lock, layout, reactions, recording, share
//! floor, leave, end. Reachability is tested with STUN over UDP; logs upload to the
//! client-logs service.
//!
//! Use it through [`MeetingsExt`]: `webex.meetings()`.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use futures::StreamExt;
//! use webex_meetings::events::MeetingEvent;
//! use webex_meetings::{JoinOptions, MeetingsExt};
//!
//! let emulator = webex_emulator::Emulator::start_default().await?;
//! let host = emulator.create_person(webex_emulator::NewPerson {
//!     display_name: "Host".into(),
//!     email: "host@example.com".into(),
//!     kind: webex_emulator::PersonType::Person,
//! });
//! let webex = webex_core::Webex::builder()
//!     .plugin(webex_devices::DevicesPlugin::default())
//!     .plugin(webex_mercury::MercuryPlugin::default())
//!     .plugin(webex_meetings::MeetingsPlugin::default())
//!     .access_token(&host.access_token)
//!     .discovery_base(emulator.base_url())
//!     .build()
//!     .await?;
//! webex.meetings().register().await?;
//!
//! // A meeting on the emulator (on real Webex: its number, SIP URI or link).
//! let created = emulator.create_meeting(webex_emulator::NewMeeting::new("Stand-up", "host@example.com"))?;
//! let meeting = webex.meetings().create(&created.meeting_number, None).await?;
//! let mut events = meeting.events();
//! meeting.join(JoinOptions::default()).await?;
//! assert!(meeting.members().iter().any(|m| m.is_self));
//! meeting.lock().await?;
//! while let Some(event) = events.next().await {
//!     if matches!(event?, MeetingEvent::Locked) {
//!         break;
//!     }
//! }
//! meeting.leave().await?;
//! webex.meetings().unregister().await?;
//! # Ok(()) }
//! ```
//!
//! **Status:** signalling only (no media): joining, following and controlling a meeting work
//! against Locus; `webex-media` will add audio and video. Local mute is sent to Locus right
//! away (the JS SDK waits for a media connection, see [`Meeting::set_local_mute`]).

mod collection;
mod create;
mod destination;
mod error;
pub mod events;
mod ext;
pub mod info;
pub mod locus;
mod logs;
#[cfg(feature = "media")]
mod media;
mod meeting;
mod meetings_events;
mod plugin;
pub mod reachability;
mod register;
mod routing;
pub(crate) mod runtime;
mod sync;
pub mod view;

pub use destination::DestinationType;
pub use error::{MeetingError, Result};
pub use ext::{Meetings, MeetingsExt};
pub use logs::LogUploadOptions;
#[cfg(feature = "media")]
pub use media::{MediaFailure, MediaOptions};
pub use meeting::{
    AdmitOptions, JoinOptions, JoinOutcome, Layout, Medium, Meeting, Reaction, RecordingAction,
    ShareKind,
};
pub use meetings_events::{AddedKind, MeetingsEvent, MeetingsEventError, RemovedReason};
pub use plugin::MeetingsPlugin;
