//! The runtime on tokio's paused clock, with its HTTP going to the emulator.

use std::time::Duration;

use futures::StreamExt;
use webex_core::Webex;
use webex_emulator::{Emulator, NewPerson, PersonType};

use super::*;
use crate::events::MeetingEvent;
use crate::locus::testing::{DEVICE, delta, full, participant};
use crate::locus::{BLOCKED_SYNC_DELAY, BLOCKED_SYNC_JITTER};
use crate::view::MemberStatus;

async fn client(emulator: &Emulator) -> Webex {
    let me = emulator.create_person(NewPerson {
        display_name: "Ada".into(),
        email: "ada@example.com".into(),
        kind: PersonType::Person,
    });
    Webex::builder()
        .discovery_base(emulator.base_url())
        .access_token(&me.access_token)
        .build()
        .await
        .expect("client builds")
}

/// A locus at `[n]` whose URLs point at the emulator (where no such locus exists).
fn on_emulator(emulator: &Emulator, mut locus: Locus) -> Locus {
    let url = format!(
        "{}/locus/api/v1/loci/missing",
        emulator.base_url().trim_end_matches('/')
    );
    let n = locus.sequence.entries[0];
    locus.sync_url = Some(format!("{url}/sync?since={n}"));
    locus.url = url;
    locus
}

async fn next(events: &mut (impl Stream<Item = Item> + Unpin)) -> Item {
    tokio::time::timeout(Duration::from_secs(60), events.next())
        .await
        .expect("an item in time")
        .expect("the stream is open")
}

#[tokio::test(start_paused = true)]
async fn inputs_apply_at_once_and_events_follow_in_order() {
    let emulator = Emulator::start_default().await.unwrap();
    let webex = client(&emulator).await;
    let runtime = LocusRuntime::spawn(&webex, DEVICE.to_owned());
    assert!(runtime.view().is_none() && runtime.sequence().is_none());
    let mut events = Box::pin(runtime.events());

    let mut first = on_emulator(&emulator, full(1));
    first.participants = vec![participant("a", "JOINED")];
    runtime.apply_full(first.clone());
    assert_eq!(runtime.sequence(), Some(Sequence::of([1])));
    let mut update = on_emulator(&emulator, delta(1, 2));
    update.participants = vec![participant("b", "JOINED")];
    runtime.apply_mercury("locus.difference", update);
    assert_eq!(runtime.view().unwrap().members.len(), 2);

    // The first view's events (members, actions), then the second's (members only).
    assert!(
        matches!(next(&mut events).await, Ok(MeetingEvent::MembersUpdated { added, .. }) if added[0].id == "a")
    );
    assert!(matches!(
        next(&mut events).await,
        Ok(MeetingEvent::ActionsUpdated(_))
    ));
    assert!(
        matches!(next(&mut events).await, Ok(MeetingEvent::MembersUpdated { added, .. }) if added[0].id == "b")
    );
    // A full-style event that is not newer is ignored: no event.
    runtime.apply_mercury("locus.participant_joined", first);
    runtime.publish(MeetingEvent::Reaction {
        sender: "a".into(),
        reaction: "clap".into(),
        tone: None,
    });
    assert!(matches!(
        next(&mut events).await,
        Ok(MeetingEvent::Reaction { .. })
    ));
}

#[tokio::test(start_paused = true)]
async fn wait_for_returns_once_the_view_matches() {
    let emulator = Emulator::start_default().await.unwrap();
    let webex = client(&emulator).await;
    let runtime = LocusRuntime::spawn(&webex, DEVICE.to_owned());
    runtime.apply_full(on_emulator(&emulator, full(1)));
    let waiter = {
        let runtime = runtime.clone();
        tokio::spawn(async move {
            runtime
                .wait_for(|v| {
                    v.member("late")
                        .is_some_and(|m| m.status == MemberStatus::NotInMeeting)
                })
                .await
        })
    };
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(!waiter.is_finished());
    let mut update = on_emulator(&emulator, delta(1, 2));
    update.participants = vec![participant("late", "LEFT")];
    runtime.apply_delta(update);
    let view = waiter.await.unwrap().expect("the view");
    assert_eq!(view.sequence, Sequence::of([2]));
    runtime.close();
    assert_eq!(
        runtime.wait_for(|_| false).await.unwrap_err(),
        MeetingEventError::Closed
    );
}

#[tokio::test(start_paused = true)]
async fn a_missing_delta_syncs_after_the_timer_and_a_failed_sync_is_reported() {
    let emulator = Emulator::start_default().await.unwrap();
    let webex = client(&emulator).await;
    let runtime = LocusRuntime::spawn(&webex, DEVICE.to_owned());
    let mut events = Box::pin(runtime.events());
    runtime.apply_full(on_emulator(&emulator, full(1)));
    // Delta 2 never comes: delta 3 waits, then the timer syncs. The emulator has no such
    // locus: the sync and the full fetch both fail.
    runtime.apply_delta(on_emulator(&emulator, delta(2, 3)));
    let started = tokio::time::Instant::now();
    let err = runtime.wait_for(|_| false).await.unwrap_err();
    let waited = started.elapsed();
    assert!(
        waited >= BLOCKED_SYNC_DELAY
            && waited <= BLOCKED_SYNC_DELAY + BLOCKED_SYNC_JITTER + Duration::from_secs(5),
        "{waited:?}"
    );
    let MeetingEventError::SyncFailed { reason } = err else {
        panic!("{err:?}");
    };
    assert!(
        reason.contains("404") || reason.to_lowercase().contains("not found"),
        "{reason}"
    );
    let mut items = Vec::new();
    while let Ok(Some(item)) = tokio::time::timeout(Duration::from_secs(1), events.next()).await {
        items.push(item);
    }
    assert!(
        items
            .iter()
            .any(|i| matches!(i, Err(MeetingEventError::SyncFailed { .. }))),
        "{items:?}"
    );
    // Nothing is applied any more.
    runtime.apply_full(on_emulator(&emulator, full(9)));
    assert_eq!(runtime.sequence(), Some(Sequence::of([1])));
}

#[tokio::test(start_paused = true)]
async fn malformed_dtos_are_reported_and_streams_end_on_close() {
    let emulator = Emulator::start_default().await.unwrap();
    let webex = client(&emulator).await;
    let runtime = LocusRuntime::spawn(&webex, DEVICE.to_owned());
    let mut events = Box::pin(runtime.events());
    let err = Locus::from_json(b"{\"url\": 5}").unwrap_err();
    runtime.report_malformed(err);
    assert!(matches!(
        next(&mut events).await,
        Err(MeetingEventError::Malformed { .. })
    ));
    drop(runtime);
    assert!(
        tokio::time::timeout(Duration::from_secs(5), events.next())
            .await
            .unwrap()
            .is_none()
    );
}
