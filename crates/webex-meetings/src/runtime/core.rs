//! One meeting's state without IO: the sync core, the view derived after each update, the
//! events that update caused, and the fetches the driver must make.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Instant;

use super::subscribers::Item;
use crate::events::{MeetingEvent, MeetingEventError, diff};
use crate::locus::{Ignored, Locus, LocusSync, Sequence, SyncFetch, SyncOutput};
use crate::view::{FsmError, FsmState, FsmTransition, MeetingView};

/// Mercury event types whose locus is a full DTO; every other type carries a delta.
const FULL_EVENT_TYPES: &[&str] = &[
    "locus.participant_joined",
    "locus.participant_left",
    "locus.controls_updated",
    "locus.participant_audio_muted",
    "locus.participant_audio_unmuted",
    "locus.participant_video_muted",
    "locus.participant_video_unmuted",
    "locus.self_changed",
    "locus.participant_updated",
    "locus.participant_controls_updated",
    "locus.participant_roles_updated",
    "locus.participant_declined",
    "locus.floor_granted",
    "locus.floor_released",
];

/// Whether a Mercury `locus.*` event's locus is a full DTO (else a delta).
pub(crate) fn is_full_event(event_type: &str) -> bool {
    FULL_EVENT_TYPES.contains(&event_type)
}

/// One meeting's state.
pub(crate) struct MeetingCore {
    sync: LocusSync,
    device_url: String,
    fsm: FsmState,
    view: Option<Arc<MeetingView>>,
    /// Events not yet handed to the streams.
    events: VecDeque<Item>,
    /// Fetches the driver has not started.
    fetches: VecDeque<SyncFetch>,
    /// Set once the sync failed for good.
    lost: Option<String>,
    /// Inputs not applied, for the driver's log.
    ignored: Vec<Ignored>,
}

impl MeetingCore {
    pub(crate) fn new(device_url: String, seed: u64) -> MeetingCore {
        MeetingCore {
            sync: LocusSync::new(seed),
            device_url,
            fsm: FsmState::default(),
            view: None,
            events: VecDeque::new(),
            fetches: VecDeque::new(),
            lost: None,
            ignored: Vec::new(),
        }
    }

    pub(crate) fn view(&self) -> Option<&Arc<MeetingView>> {
        self.view.as_ref()
    }

    /// The merged state's sequence: what [Δ] requests carry (the JS SDK's
    /// `locusInfo.sequence`, which a delta of another locus does not change until synced).
    pub(crate) fn sequence(&self) -> Option<&Sequence> {
        self.sync.state().map(|state| &state.locus().sequence)
    }

    pub(crate) fn lost(&self) -> Option<&str> {
        self.lost.as_deref()
    }

    pub(crate) fn sync(&self) -> &LocusSync {
        &self.sync
    }

    pub(crate) fn apply_full(&mut self, locus: Locus, now: Instant) {
        self.sync.handle_full(locus, now);
        self.drain();
    }

    pub(crate) fn apply_delta(&mut self, locus: Locus, now: Instant) {
        self.sync.handle_delta(locus, now);
        self.drain();
    }

    pub(crate) fn apply_mercury(&mut self, event_type: &str, locus: Locus, now: Instant) {
        if is_full_event(event_type) {
            self.apply_full(locus, now);
        } else {
            self.apply_delta(locus, now);
        }
    }

    pub(crate) fn handle_timeout(&mut self, now: Instant) {
        self.sync.handle_timeout(now);
        self.drain();
    }

    pub(crate) fn poll_timeout(&self) -> Option<Instant> {
        self.sync.poll_timeout()
    }

    /// A sync fetch's answer: the body, or why there is none.
    pub(crate) fn handle_fetch(
        &mut self,
        fetch: &SyncFetch,
        body: Result<Vec<u8>, String>,
        now: Instant,
    ) {
        use crate::locus::FetchKind;
        match (fetch.kind, body) {
            (_, Err(reason)) => self.sync.handle_sync_failed(reason, now),
            (FetchKind::Delta, Ok(body)) if is_empty_body(&body) => {
                self.sync.handle_sync_delta(None, now);
            }
            (kind, Ok(body)) => match Locus::from_json(&body) {
                Ok(locus) if kind == FetchKind::Delta => {
                    self.sync.handle_sync_delta(Some(locus), now)
                }
                Ok(locus) => self.sync.handle_sync_full(locus, now),
                Err(err) => {
                    let reason = err.to_string();
                    self.events.push_back(Err(MeetingEventError::Malformed {
                        reason: reason.clone(),
                    }));
                    self.sync.handle_sync_failed(reason, now);
                }
            },
        }
        self.drain();
    }

    /// Reports a DTO that could not be read (a Mercury event's).
    pub(crate) fn report(&mut self, error: MeetingEventError) {
        self.events.push_back(Err(error));
    }

    /// Publishes an event that does not come from Locus (a reaction).
    pub(crate) fn publish(&mut self, event: MeetingEvent) {
        self.events.push_back(Ok(event));
    }

    pub(crate) fn transition(&mut self, transition: FsmTransition) -> Result<FsmState, FsmError> {
        self.fsm = self.fsm.next(transition)?;
        if let Some(view) = &mut self.view {
            Arc::make_mut(view).fsm = self.fsm;
        }
        Ok(self.fsm)
    }

    pub(crate) fn take_events(&mut self) -> VecDeque<Item> {
        std::mem::take(&mut self.events)
    }

    pub(crate) fn take_ignored(&mut self) -> Vec<Ignored> {
        std::mem::take(&mut self.ignored)
    }

    pub(crate) fn take_fetch(&mut self) -> Option<SyncFetch> {
        self.fetches.pop_front()
    }

    /// Acts on the sync core's outputs: a new view and its events after each update.
    fn drain(&mut self) {
        let mut updated = false;
        while let Some(output) = self.sync.poll_output() {
            match output {
                SyncOutput::Fetch(fetch) => self.fetches.push_back(fetch),
                SyncOutput::Updated => updated = true,
                SyncOutput::Ignored(why) => self.ignored.push(why),
                SyncOutput::Lost { reason } => {
                    self.events.push_back(Err(MeetingEventError::SyncFailed {
                        reason: reason.clone(),
                    }));
                    self.lost = Some(reason);
                }
            }
        }
        if updated && let Some(state) = self.sync.state() {
            let view = MeetingView::derive(state, &self.device_url, self.fsm, self.view.as_deref());
            self.events
                .extend(diff(self.view.as_deref(), &view).into_iter().map(Ok));
            self.view = Some(Arc::new(view));
        }
    }
}

/// An empty answer of `syncUrl` means "up to date": no bytes, blanks, `{}` or `null`.
fn is_empty_body(body: &[u8]) -> bool {
    let text = body.trim_ascii();
    if text.is_empty() {
        return true;
    }
    // Anything longer is a DTO (or malformed), read as one.
    if text.len() > 16 {
        return false;
    }
    match serde_json::from_slice::<serde_json::Value>(text) {
        Ok(serde_json::Value::Null) => true,
        Ok(serde_json::Value::Object(map)) => map.is_empty(),
        _ => false,
    }
}
