//! The runtime fed by the emulator's Locus: real joins, real [Δ] answers and Mercury
//! `locus.*` events, with the `drop-deltas` fault. The attendee's view must converge to the
//! emulator's own (neutral observer) view of the meeting, through a sync when deltas were
//! dropped and without one when they were only reordered. On tokio's paused clock, so the sync
//! timer's 10–15 s pass at once.

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
    async fn delta_request(&self, method: Method, url: &str, mut body: Value) {
        body["sequence"] = serde_json::to_value(self.runtime.sequence().unwrap()).unwrap();
        let request = Request::new(method, Target::Url(url.parse().unwrap()))
            .json(&body)
            .unwrap();
        let answer: Value = self.webex.http().json(request).await.unwrap();
        self.runtime
            .apply_delta(Locus::from_value(answer["locus"].clone()).unwrap());
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

/// A host and an attendee in a meeting; the attendee's next `count` deltas go as `mode` says;
/// the host then locks, mutes the attendee and starts recording (so the last change always
/// reaches the attendee: a reordered delta waits for the next one).
async fn meeting_with_fault(
    mode: DeltaFaultMode,
    count: u32,
) -> (Emulator, String, Attendee, Attendee) {
    let emulator = Emulator::start_default().await.unwrap();
    let host = Attendee::new(&emulator, "Hana Host", "hana@example.com").await;
    let guest = Attendee::new(&emulator, "Ari Attendee", "ari@example.com").await;
    let meeting = emulator
        .create_meeting(NewMeeting::new("sync", "hana@example.com"))
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
    (emulator, meeting.meeting_number, host, guest)
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
