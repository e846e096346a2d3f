//! # webex-meetings
//!
//! Meetings over Locus, from a server: register for meetings, create a meeting from any
//! destination (SIP URI, meeting number, link, Locus, personal room, person, conversation),
//! look up its meeting info (password, host key, captcha), join it (or its lobby), follow it
//! as typed events from Locus kept in sync (full DTOs and deltas, sequence comparison,
//! sync on a gap), and act on it: mute, admit, lock, layout, reactions, recording, share
//! floor, leave, end; and with media: audio in and out, video and share received, share
//! signalled, and (feature `video`) a video source sent as H.264. Reachability is tested with STUN over UDP; logs upload to the client-logs service.
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
//! ## Media (feature `media`, on by default)
//!
//! [`Meeting::add_media`] (or [`Meeting::join_with_media`]) connects audio, video and share
//! through `webex-media`: the offer and answer travel over Locus (`PUT {selfUrl}/media`), the
//! media over ICE and DTLS-SRTP. [`Meeting::media`] is the connection: its remote audio as a
//! stream of decoded frames, stats, noise reduction. Muting stops sending at once, then tells
//! Locus. With the `video` feature, `MediaOptions::video` sends a video source (such as
//! `webex_media::video::TestPattern`). See `docs/meetings-media.md`.
//!
#![cfg_attr(feature = "str0m", doc = "```")]
#![cfg_attr(not(feature = "str0m"), doc = "```ignore")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use futures::StreamExt;
//! use webex_media::audio::{ToneSource, tone_level};
//! use webex_meetings::{JoinOptions, MediaOptions, MeetingsExt};
//!
//! # let emulator = webex_emulator::Emulator::start_default().await?;
//! # let mut clients = Vec::new();
//! # for name in ["speaker", "listener"] {
//! #     let person = emulator.create_person(webex_emulator::NewPerson {
//! #         display_name: name.into(),
//! #         email: format!("{name}@example.com"),
//! #         kind: webex_emulator::PersonType::Person,
//! #     });
//! #     let webex = webex_core::Webex::builder()
//! #         .plugin(webex_devices::DevicesPlugin::default())
//! #         .plugin(webex_mercury::MercuryPlugin::default())
//! #         .plugin(webex_meetings::MeetingsPlugin::default())
//! #         .access_token(&person.access_token)
//! #         .discovery_base(emulator.base_url())
//! #         .build()
//! #         .await?;
//! #     webex.meetings().register().await?;
//! #     clients.push(webex);
//! # }
//! # let number = emulator
//! #     .create_meeting(webex_emulator::NewMeeting::new("Tone", "speaker@example.com"))?
//! #     .meeting_number;
//! # let (speaker_client, listener_client) = (&clients[0], &clients[1]);
//! // One client speaks a 1 kHz tone, the other listens.
//! let speaker = speaker_client.meetings().create(&number, None).await?;
//! let options = MediaOptions::new().audio(ToneSource::new(1000.0, 0.5));
//! speaker.join_with_media(JoinOptions::default(), options).await?;
//!
//! let listener = listener_client.meetings().create(&number, None).await?;
//! listener.join_with_media(JoinOptions::default(), MediaOptions::new()).await?;
//! let mut heard = listener.media().expect("media was added").remote_audio();
//! let mut samples = Vec::new();
//! while samples.len() < 48_000 {
//!     if let Some(Ok(frame)) = heard.next().await {
//!         samples.extend(frame.samples);
//!     }
//! }
//! // The tone is there (the first frames may be silence while media starts).
//! assert!(tone_level(&samples, 1000.0) > tone_level(&samples, 700.0));
//! speaker.leave().await?;
//! listener.leave().await?;
//! # Ok(()) }
//! ```
//!
//! Without the `media` feature the crate is signalling only. Local mute is sent to Locus
//! right away, media or not (the JS SDK waits for a media connection, see
//! [`Meeting::set_local_mute`]).

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
