//! The runtime fed by the emulator's Locus: real joins, real [Δ] answers and Mercury
//! `locus.*` events, with the `drop-deltas` fault. The attendee's view must converge to the
//! emulator's own (neutral observer) view of the meeting, through a sync when deltas were
//! dropped and without one when they were only reordered. On tokio's paused clock, so the sync
//! timer's 10–15 s pass at once. A property test runs random host scripts under random faults.

use std::time::Duration;

use futures::StreamExt;
use http::Method;
use serde_json::{Value, json};
use webex_core::Webex;
use webex_core::http::{Request, Target};
use webex_devices::DevicesExt;
use webex_emulator::{
    CreatedPerson, DeltaFaultMode, Emulator, LocusFault, NewMeeting, NewPerson, PersonType,
};
use webex_mercury::{MercuryExt, MercuryPlugin};

use super::LocusRuntime;
use crate::locus::{Locus, LocusState};
use crate::view::{FsmState, MeetingView, Member, MemberStatus};

/// One person in the meeting: a client with devices and Mercury, and its runtime fed by the
/// socket.
struct Attendee {
    person: CreatedPerson,
    webex: Webex,
    device_url: String,
    runtime: LocusRuntime,
}

impl Attendee {
    async fn new(emulator: &Emulator, name: &str, email: &str) -> Attendee {
        let person = emulator.create_person(NewPerson {
            display_name: name.into(),
            email: email.into(),
            kind: PersonType::Person,
        });
        let webex = Webex::builder()
            .access_token(&person.access_token)
            .discovery_base(emulator.base_url())
            .plugin(webex_devices::DevicesPlugin::default())
            .plugin(MercuryPlugin::default())
            .build()
            .await
            .expect("client builds");
        let device_url = webex.devices().register().await.unwrap().url.to_string();
        let runtime = LocusRuntime::spawn(&webex, device_url.clone());
        let mut events = webex.mercury().events();
        webex.mercury().connect().await.unwrap();
        let feed = runtime.clone();
        tokio::spawn(async move {
            while let Some(Ok(event)) = events.next().await {
                let event_type = event.event_type().to_owned();
                if !event_type.starts_with("locus.") || event_type == "locus.message.roap" {
                    continue;
                }
                let data: Value = event.envelope().data.parse().expect("JSON data");
                match Locus::from_value(data["locus"].clone()) {
                    Ok(locus) => feed.apply_mercury(&event_type, locus),
                    Err(err) => feed.report_malformed(err),
                }
            }
        });
        Attendee {
            person,
            webex,
            device_url,
            runtime,
        }
    }

    /// Joins by SIP URI (`loci/call`) and applies the answer as a full DTO.
    async fn join(&self, sip_uri: &str) {
        // What this test needs of a join (the plugin sends the JS SDK's whole body).
        let body = json!({
            "device": {"url": self.device_url, "deviceType": "WEB"},
            "correlationId": format!("corr-{}", self.person.email),
            "supportsNativeLobby": 1,
            "invitee": {"address": sip_uri},
        });
        let request = Request::post(Target::service("locus", "loci/call"))
            .query("alternateRedirect", "true")
            .json(&body)
            .unwrap();
        let answer: Value = self.webex.http().json(request).await.unwrap();
        self.runtime
            .apply_full(Locus::from_value(answer["locus"].clone()).unwrap());
        self.runtime
            .transition(crate::view::FsmTransition::Join)
            .unwrap();
    }

    /// A [Δ] request: the runtime's sequence in the body, the answer's locus applied as a
    /// delta.
    async fn delta_request(&self, method: Method, url: &str, body: Value) {
        self.try_delta_request(method, url, body).await.unwrap();
    }

    async fn view_where(&self, pred: impl Fn(&MeetingView) -> bool) -> MeetingView {
        let view = tokio::time::timeout(Duration::from_secs(120), self.runtime.wait_for(pred))
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "{}: the view in time; now {:#?}",
                    self.person.email,
                    self.runtime.view()
                )
            })
            .expect("the runtime follows the meeting");
        (*view).clone()
    }
}

fn member_by_email<'a>(view: &'a MeetingView, email: &str) -> &'a Member {
    view.members
        .iter()
        .find(|m| m.email.as_deref() == Some(email))
        .unwrap_or_else(|| panic!("{email} in {view:?}"))
}

/// Members (without "is self") and meeting-wide state, to compare views of different readers.
fn shared_state(view: &MeetingView) -> impl PartialEq + std::fmt::Debug + use<> {
    let mut members: Vec<Member> = view
        .members
        .iter()
        .map(|m| Member {
            is_self: false,
            ..(**m).clone()
        })
        .collect();
    members.sort_by(|a, b| a.id.cmp(&b.id));
    (
        members,
        view.sequence.clone(),
        view.meeting_state.clone(),
        view.controls.clone(),
        view.floor.clone(),
        view.host_id.clone(),
    )
}

/// The emulator's neutral view of the meeting.
fn observer_view(emulator: &Emulator, number: &str) -> MeetingView {
    let meeting = emulator.meeting(number).expect("the meeting");
    let locus = Locus::from_value(meeting["locus"].clone()).expect("the observer's DTO");
    MeetingView::derive(&LocusState::new(locus), "", FsmState::Idle, None)
}

/// A fresh emulator, and a host and an attendee joined to a new meeting: the meeting number
/// and the host's view once both are in.
async fn two_in_a_meeting(title: &str) -> (Emulator, String, Attendee, Attendee, MeetingView) {
    let emulator = Emulator::start_default().await.unwrap();
    let host = Attendee::new(&emulator, "Hana Host", "hana@example.com").await;
    let guest = Attendee::new(&emulator, "Ari Attendee", "ari@example.com").await;
    let meeting = emulator
        .create_meeting(NewMeeting::new(title, "hana@example.com"))
        .unwrap();
    host.join(&meeting.sip_uri).await;
    guest.join(&meeting.sip_uri).await;
    let joined = host
        .view_where(|v| {
            v.members
                .iter()
                .filter(|m| m.status == MemberStatus::InMeeting)
                .count()
                == 2
        })
        .await;
    (emulator, meeting.meeting_number, host, guest, joined)
}

/// A host and an attendee in a meeting; the attendee's next `count` deltas go as `mode` says;
/// the host then locks, mutes the attendee and starts recording (so the last change always
/// reaches the attendee: a reordered delta waits for the next one).
async fn meeting_with_fault(
    mode: DeltaFaultMode,
    count: u32,
) -> (Emulator, String, Attendee, Attendee) {
    let (emulator, number, host, guest, joined) = two_in_a_meeting("sync").await;
    let guest_url = member_by_email(&joined, "ari@example.com")
        .url
        .clone()
        .unwrap();
    emulator.add_locus_fault(LocusFault {
        locus: "drop-deltas".into(),
        count,
        person_id: Some(guest.person.id.clone()),
        mode,
    });
    let controls = format!("{}/controls", joined.locus_url);
    host.delta_request(Method::PATCH, &controls, json!({"lock": {"locked": true}}))
        .await;
    host.delta_request(
        Method::PATCH,
        &format!("{guest_url}/controls"),
        json!({"audio": {"muted": true}}),
    )
    .await;
    host.delta_request(
        Method::PATCH,
        &controls,
        json!({"record": {"recording": true, "paused": false}}),
    )
    .await;
    (emulator, number, host, guest)
}

/// Locked, recording, and the attendee muted by the host.
fn changes_seen(view: &MeetingView) -> bool {
    view.controls.locked
        && view.controls.recording.recording
        && view
            .members
            .iter()
            .any(|m| m.email.as_deref() == Some("ari@example.com") && m.is_audio_muted_by_server)
}

fn sync_requests(emulator: &Emulator, view: &MeetingView) -> usize {
    let path = view
        .locus_url
        .split_once("/locus/")
        .map(|(_, p)| p)
        .unwrap();
    emulator.request_count(&format!("/locus/{path}/sync"))
}

#[tokio::test(start_paused = true)]
async fn dropped_deltas_are_recovered_by_a_sync_and_the_views_converge() {
    let (emulator, number, host, guest) = meeting_with_fault(DeltaFaultMode::Drop, 2).await;
    let seen = guest.view_where(changes_seen).await;
    assert!(
        sync_requests(&emulator, &seen) >= 1,
        "the gap was filled by a sync"
    );
    let host_view = host.view_where(changes_seen).await;
    let observer = observer_view(&emulator, &number);
    assert_eq!(shared_state(&seen), shared_state(&observer));
    assert_eq!(shared_state(&host_view), shared_state(&observer));
    assert!(seen.me.audio_muted_by_server && !host_view.me.audio_muted_by_server);
    assert!(seen.self_member().unwrap().is_self);
}

#[tokio::test(start_paused = true)]
async fn reordered_deltas_wait_for_each_other_without_a_sync() {
    let (emulator, number, _host, guest) = meeting_with_fault(DeltaFaultMode::Reorder, 1).await;
    let seen = guest.view_where(changes_seen).await;
    assert_eq!(sync_requests(&emulator, &seen), 0);
    let observer = observer_view(&emulator, &number);
    assert_eq!(shared_state(&seen), shared_state(&observer));
}

/// What the host does in [`random_faults_converge_to_the_emulator`].
#[derive(Debug, Clone, Copy)]
enum HostAction {
    Lock(bool),
    MuteAttendee(bool),
    MuteAttendeeVideo(bool),
    Record { recording: bool, paused: bool },
}

impl HostAction {
    /// The [Δ] request: method, URL and body.
    fn request(self, controls: &str, attendee_url: &str) -> (Method, String, Value) {
        let attendee_controls = format!("{attendee_url}/controls");
        match self {
            HostAction::Lock(locked) => (
                Method::PATCH,
                controls.to_owned(),
                json!({"lock": {"locked": locked}}),
            ),
            HostAction::MuteAttendee(muted) => (
                Method::PATCH,
                attendee_controls,
                json!({"audio": {"muted": muted}}),
            ),
            HostAction::MuteAttendeeVideo(muted) => (
                Method::PATCH,
                attendee_controls,
                json!({"video": {"muted": muted}}),
            ),
            HostAction::Record { recording, paused } => (
                Method::PATCH,
                controls.to_owned(),
                json!({"record": {"recording": recording, "paused": paused}}),
            ),
        }
    }
}

fn host_action() -> impl proptest::strategy::Strategy<Value = HostAction> {
    use proptest::prelude::*;
    prop_oneof![
        any::<bool>().prop_map(HostAction::Lock),
        any::<bool>().prop_map(HostAction::MuteAttendee),
        any::<bool>().prop_map(HostAction::MuteAttendeeVideo),
        (any::<bool>(), any::<bool>())
            .prop_map(|(recording, paused)| HostAction::Record { recording, paused }),
    ]
}

/// A step of the host's script: an optional fault armed for the attendee, then an action.
type Step = (Option<(bool, u32)>, HostAction);

/// Runs one script against a fresh emulator; the attendee's view must end equal to the
/// emulator's neutral view.
async fn run_script(steps: Vec<Step>) {
    let (emulator, number, host, guest, joined) = two_in_a_meeting("proptest").await;
    let attendee_url = member_by_email(&joined, "ari@example.com")
        .url
        .clone()
        .unwrap();
    let controls = format!("{}/controls", joined.locus_url);
    let mut armed = 0;
    for (fault, action) in steps {
        if let Some((reorder, count)) = fault {
            armed += count;
            emulator.add_locus_fault(LocusFault {
                locus: "drop-deltas".into(),
                count,
                person_id: Some(guest.person.id.clone()),
                mode: if reorder {
                    DeltaFaultMode::Reorder
                } else {
                    DeltaFaultMode::Drop
                },
            });
        }
        let (method, url, body) = action.request(&controls, &attendee_url);
        // A request the rules refuse (pausing a recording that never started) changes
        // nothing and sends no delta: that is part of the script too.
        let _ = host.try_delta_request(method, &url, body).await;
    }
    // Changes that surely go out after every faulted delta, so the attendee learns of any gap
    // (a client cannot notice a dropped last delta; nor could the JS SDK). A reordered delta
    // waits for the next one, so each armed count may take two deltas.
    let mut locked = host.runtime.view().unwrap().controls.locked;
    for _ in 0..=2 * armed {
        locked = !locked;
        host.try_delta_request(
            Method::PATCH,
            &controls,
            json!({"lock": {"locked": locked}}),
        )
        .await
        .expect("the host may lock and unlock");
    }
    let expected = shared_state(&observer_view(&emulator, &number));
    let seen = guest.view_where(|v| shared_state(v) == expected).await;
    assert_eq!(shared_state(&seen), expected);
}

impl Attendee {
    /// [`Attendee::delta_request`] that reports a refused request instead of panicking.
    async fn try_delta_request(
        &self,
        method: Method,
        url: &str,
        mut body: Value,
    ) -> Result<(), webex_core::Error> {
        body["sequence"] = serde_json::to_value(self.runtime.sequence().unwrap()).unwrap();
        let request = Request::new(method, Target::Url(url.parse().unwrap()))
            .json(&body)
            .unwrap();
        let answer: Value = self.webex.http().json(request).await?;
        self.runtime
            .apply_delta(Locus::from_value(answer["locus"].clone()).unwrap());
        Ok(())
    }
}

proptest::proptest! {
    // Each case starts an emulator and two clients: few cases, so CI stays fast.
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

    /// Whatever the host does and however the attendee's deltas are dropped or reordered on
    /// the way, the attendee's view converges to the emulator's (through WAIT, DESYNC and
    /// sync).
    #[test]
    fn random_faults_converge_to_the_emulator(
        steps in proptest::collection::vec(
            (
                proptest::option::weighted(0.4, (proptest::prelude::any::<bool>(), 1u32..=3)),
                host_action(),
            ),
            1..8,
        )
    ) {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .unwrap()
            .block_on(run_script(steps));
    }
}
