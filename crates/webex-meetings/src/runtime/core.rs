//! One meeting's state without IO: the sync core, the view derived after each update, the
//! events that update caused, and the fetches the driver must make.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Instant;

use super::subscribers::Item;
use crate::events::{MeetingEvent, MeetingEventError, diff};
use crate::locus::{Ignored, Locus, LocusSync, Sequence, SyncFetch, SyncOutput};
use crate::view::{FsmError, FsmState, FsmTransition, MeetingView, remote_response};

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
            let mut view =
                MeetingView::derive(state, &self.device_url, self.fsm, self.view.as_deref());
            // A 1:1 call's other side answering or declining moves the state machine, when
            // it may move (only after our own join).
            let previous = self.view.as_ref().and_then(|v| v.partner_state.as_ref());
            let mut ringing_stopped = None;
            if let Some(transition) = remote_response(previous, view.partner_state.as_ref())
                && let Ok(next) = self.fsm.next(transition)
            {
                self.fsm = next;
                view.fsm = next;
                ringing_stopped = Some(MeetingEvent::RingingStopped {
                    remote_answered: transition == FsmTransition::RemoteAnswered,
                    remote_declined: transition == FsmTransition::RemoteDeclined,
                });
            }
            // Before the diff's events, as the JS SDK stops ringing before it ends a call.
            self.events.extend(ringing_stopped.map(Ok));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locus::FetchKind;
    use crate::locus::testing::{DEVICE, URL, delta, full, sync_url};

    fn fetched(core: &mut MeetingCore) -> SyncFetch {
        core.take_fetch().expect("a fetch")
    }

    #[test]
    fn mercury_event_types_decide_full_or_delta() {
        assert!(is_full_event("locus.participant_joined"));
        assert!(is_full_event("locus.floor_released"));
        assert!(!is_full_event("locus.difference"));
        assert!(!is_full_event("locus.recording_started"));
    }

    /// A call at sequence `[n]`: us joined, the partner in `partner`.
    fn call(n: u64, partner: &str) -> Locus {
        let me = serde_json::json!({"id": "me", "identity": "u-me", "state": "JOINED",
            "type": "USER", "devices": [{"url": DEVICE, "state": "JOINED"}]});
        let other = serde_json::json!({"id": "them", "identity": "u-them", "state": partner,
            "type": "USER", "devices": []});
        Locus::from_value(serde_json::json!({
            "url": URL,
            "sequence": {"entries": [n], "rangeStart": 0, "rangeEnd": 0},
            "fullState": {"state": "ACTIVE", "type": "CALL"},
            "participants": [me.clone(), other],
            "self": me,
        }))
        .unwrap()
    }

    #[test]
    fn the_partner_answering_stops_the_ringing_once_joined() {
        let now = Instant::now();
        let mut core = MeetingCore::new(DEVICE.to_owned(), 1);
        core.transition(FsmTransition::Ring).unwrap();
        core.apply_full(call(1, "NOTIFIED"), now);
        core.transition(FsmTransition::Join).unwrap();
        core.take_events();
        core.apply_full(call(2, "JOINED"), now);
        let events = core.take_events();
        assert!(
            matches!(
                events.front(),
                Some(Ok(MeetingEvent::RingingStopped {
                    remote_answered: true,
                    remote_declined: false
                }))
            ),
            "{events:?}"
        );
        assert_eq!(core.view().unwrap().fsm, FsmState::Answered);

        // Before our own join, the partner's state moves nothing.
        let mut callee = MeetingCore::new(DEVICE.to_owned(), 1);
        callee.apply_full(call(1, "NOTIFIED"), now);
        callee.apply_full(call(2, "DECLINED"), now);
        assert_eq!(callee.view().unwrap().fsm, FsmState::Idle);
        assert!(
            !callee
                .take_events()
                .iter()
                .any(|e| matches!(e, Ok(MeetingEvent::RingingStopped { .. })))
        );
    }

    #[test]
    fn empty_sync_answers_mean_up_to_date() {
        for body in ["", "  \n", "{}", "{ }", "null"] {
            assert!(is_empty_body(body.as_bytes()), "{body:?}");
        }
        for body in ["[]", "{\"url\":1}", "garbage"] {
            assert!(!is_empty_body(body.as_bytes()), "{body:?}");
        }
    }

    #[test]
    fn a_malformed_sync_answer_is_reported_and_the_full_dto_fetched() {
        let now = Instant::now();
        let mut core = MeetingCore::new(DEVICE.to_owned(), 1);
        core.apply_full(full(1), now);
        core.take_events();
        core.apply_mercury("locus.difference", delta(5, 5), now);
        let sync = fetched(&mut core);
        assert_eq!(
            (sync.url.as_str(), sync.kind),
            (sync_url(1).as_str(), FetchKind::Delta)
        );
        core.handle_fetch(&sync, Ok(b"{\"url\": []}".to_vec()), now);
        let events = core.take_events();
        assert!(
            matches!(&events[0], Err(MeetingEventError::Malformed { .. })),
            "{events:?}"
        );
        let fallback = fetched(&mut core);
        assert_eq!(
            (fallback.url.as_str(), fallback.kind),
            (URL, FetchKind::Full)
        );
        let body = serde_json::to_vec(&full(5)).unwrap();
        core.handle_fetch(&fallback, Ok(body), now);
        assert_eq!(core.sequence(), Some(&Sequence::of([5])));
        assert!(core.lost().is_none());
    }

    #[test]
    fn a_sync_answered_with_a_whole_dto_applies_it() {
        let now = Instant::now();
        let mut core = MeetingCore::new(DEVICE.to_owned(), 1);
        core.apply_full(full(1), now);
        core.apply_delta(delta(3, 4), now);
        assert!(core.take_fetch().is_none(), "waiting for delta 2");
        core.handle_timeout(
            now + crate::locus::BLOCKED_SYNC_DELAY + crate::locus::BLOCKED_SYNC_JITTER,
        );
        let sync = fetched(&mut core);
        core.handle_fetch(&sync, Ok(serde_json::to_vec(&full(4)).unwrap()), now);
        assert_eq!(core.sequence(), Some(&Sequence::of([4])));
        assert_eq!(core.sync().status(), crate::locus::SyncStatus::Idle);
    }

    #[test]
    fn both_fetches_failing_lose_the_meeting() {
        let now = Instant::now();
        let mut core = MeetingCore::new(DEVICE.to_owned(), 1);
        core.apply_full(full(1), now);
        core.take_events();
        core.apply_delta(delta(2, 2), now);
        let sync = fetched(&mut core);
        core.handle_fetch(&sync, Err("503".into()), now);
        let fallback = fetched(&mut core);
        core.handle_fetch(&fallback, Err("404 Not Found".into()), now);
        assert_eq!(core.lost(), Some("404 Not Found"));
        assert_eq!(
            core.take_events().into_iter().collect::<Vec<_>>(),
            [Err(MeetingEventError::SyncFailed {
                reason: "404 Not Found".into()
            })]
        );
    }
}
