//! A meeting: its identity and meeting info (`info.rs`), the Locus runtime that follows it,
//! and the HTTP actions on it, one file per concern (join, lobby keep-alive, leave, answering
//! a call, mute, controls, recording, floor, reactions), all through `locus_http.rs`.

mod admit;
mod call;
mod controls;
mod datachannel;
mod floor;
mod info;
mod join;
mod keep_alive;
mod leave;
mod locus_http;
#[cfg(feature = "media")]
mod media;
#[cfg(feature = "media")]
mod media_driver;
#[cfg(feature = "media")]
mod media_signalling;
#[cfg(feature = "media")]
mod media_update;
mod mute;
mod reactions;
mod recording;

pub use admit::AdmitOptions;
pub use controls::Layout;
pub use floor::ShareKind;
pub use join::JoinOptions;
pub use join::JoinOutcome;
pub use mute::Medium;
pub use reactions::Reaction;

pub(crate) use locus_http::parse_url;
pub use recording::RecordingAction;

use std::sync::{Arc, Mutex, PoisonError, Weak};

use futures::stream::BoxStream;
use serde_json::Value;
use tokio::task::JoinHandle;
use webex_core::{WeakWebex, Webex};

use crate::destination::DestinationType;
use crate::error::{MeetingError, Result};
use crate::events::{MeetingEvent, MeetingEventError};
use crate::info::{Captcha, InfoFailureReason, MeetingInfo, PasswordStatus};
use crate::locus::Locus;
use crate::plugin::Shared;
use crate::runtime::LocusRuntime;
use crate::view::{FsmTransition, MeetingView, ParticipantState};

/// A meeting of this client: created with `webex.meetings().create(..)`, or told of by
/// Locus. Cheap to clone; clones are the same meeting.
#[derive(Clone)]
pub struct Meeting {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Meeting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Meeting")
            .field("id", &self.inner.id)
            .field("destination", &self.inner.destination)
            .field("destination_type", &self.inner.destination_type)
            .field("locus_url", &self.locus_url())
            .finish_non_exhaustive()
    }
}

struct Inner {
    id: String,
    webex: WeakWebex,
    shared: Weak<Shared>,
    device_url: String,
    destination: String,
    destination_type: DestinationType,
    runtime: LocusRuntime,
    data: Mutex<Data>,
    /// One join at a time (the JS SDK serialises them).
    join_lock: tokio::sync::Mutex<()>,
    /// One `/media` request in flight (the JS SDK's media request queue).
    media_lock: tokio::sync::Mutex<()>,
    /// One media setup or change at a time (`add_media`, `update_media`, the share).
    #[cfg(feature = "media")]
    media_setup: tokio::sync::Mutex<()>,
}

/// What changes over a meeting's life.
#[derive(Default)]
struct Data {
    correlation_id: String,
    info: Option<MeetingInfo>,
    password_status: Option<PasswordStatus>,
    required_captcha: Option<Captcha>,
    failure_reason: Option<InfoFailureReason>,
    /// What meeting info said when it last refused: code and message.
    info_refusal: Option<(Option<u64>, String)>,
    locus_url: Option<String>,
    sip_uri: Option<String>,
    meeting_number: Option<String>,
    conversation_url: Option<String>,
    media_id: Option<String>,
    audio_muted: Option<bool>,
    video_muted: Option<bool>,
    keep_alive: Option<JoinHandle<()>>,
    /// The data channel's task, while connected.
    datachannel: Option<JoinHandle<()>>,
    joined_once: bool,
    /// `links.services.record.url` of the last DTO that had it (the view does not carry it).
    record_service_url: Option<String>,
    /// `fullState.sessionId` of the last DTO that had it.
    session_id: Option<String>,
    /// The media connection, while there is one.
    #[cfg(feature = "media")]
    media: Option<media::MediaSession>,
    /// An offer went to Locus on this join (Locus knows a transport for this device).
    #[cfg(feature = "media")]
    media_confluence: bool,
    /// A TURN discovery awaiting its response over Mercury.
    #[cfg(feature = "media")]
    turn_waiter: Option<tokio::sync::oneshot::Sender<webex_media::roap::RoapMessage>>,
}

/// A meeting that does not keep the meeting alive (for its own tasks).
#[derive(Clone)]
pub(crate) struct WeakMeeting(Weak<Inner>);

impl WeakMeeting {
    pub(crate) fn upgrade(&self) -> Option<Meeting> {
        self.0.upgrade().map(|inner| Meeting { inner })
    }
}

/// Whether we are in the meeting (`self.state` JOINED).
pub(crate) fn self_joined(view: &MeetingView) -> bool {
    view.self_state == Some(ParticipantState::Joined)
}

impl Meeting {
    /// A meeting in the collection-to-be (the caller inserts it).
    pub(crate) fn new(
        webex: &Webex,
        shared: &Arc<Shared>,
        device_url: String,
        destination: String,
        destination_type: DestinationType,
    ) -> Meeting {
        let id = uuid::Uuid::new_v4().to_string();
        let runtime = LocusRuntime::spawn(webex, device_url.clone());
        let data = Data {
            correlation_id: id.clone(),
            ..Data::default()
        };
        Meeting {
            inner: Arc::new(Inner {
                id,
                webex: webex.downgrade(),
                shared: Arc::downgrade(shared),
                device_url,
                destination,
                destination_type,
                runtime,
                data: Mutex::new(data),
                join_lock: tokio::sync::Mutex::new(()),
                media_lock: tokio::sync::Mutex::new(()),
                #[cfg(feature = "media")]
                media_setup: tokio::sync::Mutex::new(()),
            }),
        }
    }

    fn data(&self) -> std::sync::MutexGuard<'_, Data> {
        self.inner
            .data
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn webex(&self) -> Result<Webex> {
        self.inner
            .webex
            .upgrade()
            .ok_or_else(|| MeetingError::state("use the meeting", "the client was dropped"))
    }

    pub(crate) fn shared(&self) -> Option<Arc<Shared>> {
        self.inner.shared.upgrade()
    }

    pub(crate) fn runtime(&self) -> &LocusRuntime {
        &self.inner.runtime
    }

    pub(crate) fn device_url(&self) -> &str {
        &self.inner.device_url
    }

    /// The meeting's id in this client (a uuid; also its first correlation id).
    #[must_use]
    pub fn id(&self) -> &str {
        &self.inner.id
    }

    /// What it was created with.
    #[must_use]
    pub fn destination(&self) -> &str {
        &self.inner.destination
    }

    /// The destination's type (given or inferred).
    #[must_use]
    pub fn destination_type(&self) -> DestinationType {
        self.inner.destination_type
    }

    /// The correlation id of the current join (sent with join, leave and media requests).
    #[must_use]
    pub fn correlation_id(&self) -> String {
        self.data().correlation_id.clone()
    }

    /// The Locus URL, once known (meeting info of an active meeting, the join, or Locus).
    #[must_use]
    pub fn locus_url(&self) -> Option<String> {
        let known = self.data().locus_url.clone();
        known.or_else(|| self.view().map(|v| v.locus_url.clone()))
    }

    /// The meeting's SIP URI, once known.
    #[must_use]
    pub fn sip_uri(&self) -> Option<String> {
        self.data().sip_uri.clone()
    }

    /// The meeting number, once known.
    #[must_use]
    pub fn meeting_number(&self) -> Option<String> {
        self.data().meeting_number.clone()
    }

    /// The conversation URL of a space meeting, once known.
    #[must_use]
    pub fn conversation_url(&self) -> Option<String> {
        self.data().conversation_url.clone()
    }

    /// The meeting info of the last successful lookup.
    #[must_use]
    pub fn meeting_info(&self) -> Option<MeetingInfo> {
        self.data().info.clone()
    }

    /// Whether a password (or host key) is needed.
    #[must_use]
    pub fn password_status(&self) -> PasswordStatus {
        self.data()
            .password_status
            .unwrap_or(PasswordStatus::Unknown)
    }

    /// The captcha the next `verify_password` must solve, if any.
    #[must_use]
    pub fn required_captcha(&self) -> Option<Captcha> {
        self.data().required_captcha.clone()
    }

    /// Why the last meeting info lookup failed.
    #[must_use]
    pub fn info_failure_reason(&self) -> InfoFailureReason {
        self.data()
            .failure_reason
            .unwrap_or(InfoFailureReason::None)
    }

    /// The media id Locus gave the join (used by local mute).
    #[must_use]
    pub fn media_id(&self) -> Option<String> {
        self.data().media_id.clone()
    }

    /// The meeting as Locus last described it, merged (members, controls, states, what
    /// this user may do); `None` before any Locus DTO.
    #[must_use]
    pub fn view(&self) -> Option<Arc<MeetingView>> {
        self.inner.runtime.view()
    }

    /// The members as Locus last described them (empty before any Locus DTO).
    #[must_use]
    pub fn members(&self) -> Vec<Arc<crate::view::Member>> {
        self.view().map(|v| v.members.clone()).unwrap_or_default()
    }

    /// This meeting's events from now on (state, members, controls, recording, reactions,
    /// floor, ...). An `Err` item tells of events missed or of a sync problem; the stream
    /// goes on after it.
    #[must_use]
    pub fn events(
        &self,
    ) -> BoxStream<'static, std::result::Result<MeetingEvent, MeetingEventError>> {
        Box::pin(self.inner.runtime.events())
    }

    /// Waits until the view satisfies `pred` (e.g. a member shows up) and returns it.
    ///
    /// # Errors
    /// [`MeetingEventError::SyncFailed`] when Locus could not be kept in sync, or
    /// [`MeetingEventError::Closed`] when the meeting closed first.
    pub async fn wait_for(
        &self,
        pred: impl Fn(&MeetingView) -> bool,
    ) -> std::result::Result<Arc<MeetingView>, MeetingEventError> {
        self.inner.runtime.wait_for(pred).await
    }

    pub(crate) fn downgrade(&self) -> WeakMeeting {
        WeakMeeting(Arc::downgrade(&self.inner))
    }

    /// Feeds a Locus DTO from Mercury or a sync to the runtime.
    pub(crate) fn apply_mercury(&self, event_type: &str, locus: Locus) {
        self.note_locus(&locus);
        self.inner.runtime.apply_mercury(event_type, locus);
    }

    /// Feeds a full DTO (an HTTP answer) to the runtime.
    pub(crate) fn apply_full(&self, locus: Locus) {
        self.note_locus(&locus);
        self.inner.runtime.apply_full(locus);
    }

    /// Feeds the `locus` of a \[Δ\] answer to the runtime.
    pub(crate) fn apply_delta(&self, locus: Locus) {
        self.note_locus(&locus);
        self.inner.runtime.apply_delta(locus);
    }

    /// Records the Locus URL before any DTO (a meeting joined by its Locus URL).
    pub(crate) fn remember_locus_url(&self, url: &str) {
        self.data().locus_url = Some(url.to_owned());
    }

    /// Keeps the identifiers a DTO tells (for matching Locus events to this meeting) and
    /// what requests need from it that the view does not carry.
    fn note_locus(&self, locus: &Locus) {
        let info = locus.info.as_ref();
        self.set_identifiers(
            info.and_then(|i| i.sip_uri.clone()),
            info.and_then(|i| i.web_ex_meeting_id.clone()),
            locus.conversation_url.clone(),
        );
        let record = locus
            .links
            .as_ref()
            .and_then(|l| l.pointer("/services/record/url"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let session = locus.full_state.as_ref().and_then(|f| f.session_id.clone());
        let mut data = self.data();
        data.locus_url = Some(locus.url.clone());
        if record.is_some() {
            data.record_service_url = record;
        }
        if session.is_some() {
            data.session_id = session;
        }
    }

    pub(crate) fn record_service_url(&self) -> Option<String> {
        self.data().record_service_url.clone()
    }

    pub(crate) fn session_id(&self) -> Option<String> {
        self.data().session_id.clone()
    }

    /// Moves the meeting state machine; a refused transition is logged (it only means the
    /// JS SDK would not have moved either).
    pub(crate) fn fsm(&self, transition: FsmTransition) {
        if let Err(err) = self.inner.runtime.transition(transition)
            && let Ok(webex) = self.webex()
        {
            webex_core::log_debug!(webex.logger(), "meetings: {err}");
        }
    }

    /// Records identifiers learnt from elsewhere (meeting info, Locus info).
    pub(crate) fn set_identifiers(
        &self,
        sip_uri: Option<String>,
        number: Option<String>,
        conversation: Option<String>,
    ) {
        let mut data = self.data();
        if sip_uri.is_some() {
            data.sip_uri = sip_uri;
        }
        if number.is_some() {
            data.meeting_number = number;
        }
        if conversation.is_some() {
            data.conversation_url = conversation;
        }
    }

    /// Stops the meeting's tasks (runtime, keep-alive); sends nothing.
    pub(crate) fn close(&self) {
        if let Some(task) = self.data().keep_alive.take() {
            task.abort();
        }
        self.disconnect_datachannel();
        #[cfg(feature = "media")]
        self.close_media_soon();
        self.inner.runtime.close();
    }

    /// The current view, or a typed error naming `action` when there is none yet.
    pub(crate) fn require_view(&self, action: &'static str) -> Result<Arc<MeetingView>> {
        self.view().ok_or_else(|| {
            MeetingError::state(action, "the meeting has no Locus state yet (join first)")
        })
    }
}
