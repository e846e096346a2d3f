//! The driver against the emulator's Mercury faults, on tokio's paused clock: each close
//! code's outcome, a stalled socket noticed by the pong timeout, the backoff when the server
//! drops right after readiness, no device refresh storm, and redeliveries dropped.

mod common;
mod support;

use std::time::Duration;

use tokio::time::Instant;
use webex_emulator::{Emulator, MercuryFault, MercuryFaultAction};
use webex_mercury::{ConnectionState, MercuryError, MercuryExt};

use support::{client, config, create_room, next_activity, state_where};

fn fault(action: MercuryFaultAction) -> MercuryFault {
    MercuryFault {
        action,
        person_id: None,
    }
}

#[tokio::test(start_paused = true)]
async fn each_injected_close_code_ends_as_the_policy_says() {
    for (code, reconnects) in [
        (1001, true),
        (1005, true),
        (1006, true),
        (1011, true),
        (4000, true),
        (1000, false),
        (1003, false),
        (1008, false),
        (4403, false),
    ] {
        let emulator = Emulator::start_default().await.unwrap();
        let webex = client(&emulator, config()).await;
        let mut state = webex.mercury().state().unwrap();
        webex.mercury().connect().await.unwrap();
        // Healthy first, so a reconnect is immediate.
        tokio::time::sleep(Duration::from_secs(11)).await;
        assert_eq!(
            emulator.add_mercury_fault(fault(MercuryFaultAction::Close { code })),
            1
        );
        let after = state_where(&mut state, |s| !matches!(s, ConnectionState::Connected)).await;
        if reconnects {
            assert_eq!(
                after,
                ConnectionState::Reconnecting { failures: 0 },
                "{code}"
            );
            state_where(&mut state, |s| *s == ConnectionState::Connected).await;
            assert_eq!(emulator.mercury_connections().len(), 2, "{code}");
        } else {
            let ConnectionState::Failed(err) = after else {
                panic!("{code}: {after:?}");
            };
            match code {
                4403 => assert!(matches!(err, MercuryError::Forbidden { .. }), "{err:?}"),
                _ => assert!(
                    matches!(err, MercuryError::Closed { code: c, .. } if c == code),
                    "{err:?}"
                ),
            }
        }
        webex.mercury().disconnect().await;
    }
}

#[tokio::test(start_paused = true)]
async fn a_stalled_socket_is_replaced_within_ping_interval_plus_pong_timeout() {
    let emulator = Emulator::start_default().await.unwrap();
    let webex = client(&emulator, config()).await;
    let mut events = webex.mercury().events();
    let mut state = webex.mercury().state().unwrap();
    webex.mercury().connect().await.unwrap();
    tokio::time::sleep(Duration::from_secs(11)).await;

    let stalled_at = Instant::now();
    assert_eq!(
        emulator.add_mercury_fault(fault(MercuryFaultAction::Stall)),
        1
    );
    // Published while the socket is silent: parked for the next socket.
    create_room(&webex, "during the stall").await;
    state_where(&mut state, |s| {
        matches!(s, ConnectionState::Reconnecting { .. })
    })
    .await;
    let noticed = stalled_at.elapsed();
    assert!(
        noticed <= Duration::from_secs(15 + 14),
        "a stall is noticed by the next ping's pong timeout: {noticed:?}"
    );
    state_where(&mut state, |s| *s == ConnectionState::Connected).await;

    let created = next_activity(&mut events).await;
    assert_eq!(created.activity.verb, "create");
    let room = created.activity.object.clone().unwrap_or_default();
    assert_eq!(room.display_name.as_deref(), Some("during the stall"));
    // Exactly once: a later activity comes next, not a redelivered copy.
    create_room(&webex, "after").await;
    let next = next_activity(&mut events).await;
    assert_ne!(next.activity.id, created.activity.id);
    webex.mercury().disconnect().await;
}

/// A server that drops every connection right after readiness meets a growing backoff
/// (1, 2, 4, 8 s, each jittered into its upper half), not a reconnect loop; and one that
/// answers with 1005 each time gets one device refresh per 30 s, not one per attempt.
#[tokio::test(start_paused = true)]
async fn drops_right_after_readiness_back_off_and_refresh_the_device_sparingly() {
    for (action, refreshes_device) in [
        (MercuryFaultAction::Drop, false),
        (MercuryFaultAction::Close { code: 1005 }, true),
    ] {
        let emulator = Emulator::start_default().await.unwrap();
        let webex = client(&emulator, config()).await;
        let mut state = webex.mercury().state().unwrap();
        webex.mercury().connect().await.unwrap();
        let started = Instant::now();
        let device_requests = emulator.request_count("/wdm/api/v1/devices");
        for failures in 1..=5u32 {
            let dropped_at = Instant::now();
            assert_eq!(emulator.add_mercury_fault(fault(action)), 1);
            let after = state_where(&mut state, |s| !matches!(s, ConnectionState::Connected)).await;
            assert_eq!(
                after,
                ConnectionState::Reconnecting { failures },
                "{action:?}"
            );
            state_where(&mut state, |s| *s == ConnectionState::Connected).await;
            let waited = dropped_at.elapsed();
            let full = config().backoff(failures);
            assert!(waited >= full / 2, "{action:?} {failures}: {waited:?}");
        }
        let refreshes = emulator.request_count("/wdm/api/v1/devices") - device_requests;
        if refreshes_device {
            let allowed = 1 + usize::try_from(started.elapsed().as_secs() / 30).unwrap();
            assert!(
                (1..=allowed).contains(&refreshes),
                "{refreshes} device refreshes in {:?}",
                started.elapsed()
            );
        } else {
            assert_eq!(refreshes, 0);
        }
        webex.mercury().disconnect().await;
    }
}
