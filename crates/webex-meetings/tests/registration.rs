//! `register()` against the emulator: the device, Mercury, `people/me` and reachability
//! (calliope discovery, then a real STUN binding request to the emulator's UDP responder);
//! idempotent; `unregister()` undoes it; both are plugin events.

mod common;

use futures::StreamExt;
use serde_json::json;
use webex_emulator::{Emulator, PersonType};
use webex_meetings::reachability::ProtocolResult;
use webex_meetings::{MeetingError, MeetingsEvent, MeetingsExt};

#[tokio::test]
async fn register_tests_reachability_with_stun_and_is_idempotent() {
    let emulator = Emulator::start_default().await.unwrap();
    let alice = common::person(&emulator, "Alice", PersonType::Person);
    let webex = common::client(&emulator, &alice).await;
    let mut events = webex.meetings().events();

    assert!(!webex.meetings().is_registered());
    webex.meetings().register().await.unwrap();
    webex.meetings().register().await.unwrap();
    assert!(webex.meetings().is_registered());
    assert!(matches!(
        events.next().await,
        Some(Ok(MeetingsEvent::Registered))
    ));
    assert_eq!(
        emulator.devices(&alice.id).len(),
        1,
        "one device, however often registered"
    );

    let results = webex.meetings().reachability();
    let cluster = results
        .clusters
        .get("emulator-loopback")
        .expect("the emulator's cluster was discovered");
    match &cluster.udp {
        ProtocolResult::Reachable {
            client_media_ips, ..
        } => {
            // The responder reports loopback requests as coming from 127.0.0.2.
            assert_eq!(
                client_media_ips,
                &["127.0.0.2".parse::<std::net::IpAddr>().unwrap()]
            );
        }
        other => panic!("UDP should be reachable through the STUN responder, got {other:?}"),
    }
    let backend = results.to_backend_json();
    assert_eq!(backend["emulator-loopback"]["udp"]["reachable"], "true");
    assert_eq!(
        backend["emulator-loopback"]["udp"]["clientMediaIPs"],
        json!(["127.0.0.2"])
    );
    assert_eq!(
        backend["emulator-loopback"]["tcp"],
        json!({"untested": "true"})
    );
    assert!(backend["emulator-loopback"]["udp"]["latencyInMilliseconds"].is_string());

    webex.meetings().unregister().await.unwrap();
    assert!(!webex.meetings().is_registered());
    assert!(matches!(
        events.next().await,
        Some(Ok(MeetingsEvent::Unregistered))
    ));
    assert!(
        emulator.devices(&alice.id).is_empty(),
        "unregister deletes the device"
    );
    assert!(matches!(
        webex.meetings().create("23456789012", None).await,
        Err(MeetingError::NotRegistered)
    ));
}

#[tokio::test]
async fn destinations_that_match_no_type_are_typed_errors() {
    let emulator = Emulator::start_default().await.unwrap();
    let alice = common::person(&emulator, "Alice", PersonType::Person);
    let webex = common::client(&emulator, &alice).await;
    webex.meetings().register().await.unwrap();
    for bad in ["", "   ", "not a meeting"] {
        let err = webex.meetings().create(bad, None).await.unwrap_err();
        assert!(
            matches!(err, MeetingError::InvalidDestination(_)),
            "{bad:?}: {err:?}"
        );
    }
    assert!(webex.meetings().list().is_empty(), "nothing was added");
}
