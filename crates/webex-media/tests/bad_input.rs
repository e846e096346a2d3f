//! What a connection does with bad input from the other side: an answer lacking an m-line, a
//! ROAP `ERROR`, an ICE path that never connects, an offer never answered. Each ends in a
//! typed error and an event, never a hang.

mod common;

use std::net::UdpSocket;
use std::time::Duration;

use webex_emulator::Emulator;
use webex_media::roap::{ErrorType, MessageType, RoapFailure, RoapMessage};
use webex_media::sdp::SdpError;
use webex_media::{Backend, ConnectionState, MediaConnection, MediaError, MediaEvent};

use common::{Participant, backends, config, meeting, next_event, next_roap, offer_and_answer};

/// `sdp` without its last m-line.
fn without_last_mline(sdp: &str) -> String {
    let last = sdp.rfind("m=").expect("an m-line");
    sdp[..last].to_owned()
}

async fn answer_lacking_an_mline(backend: Backend) {
    let emulator = Emulator::start_default().await.expect("emulator");
    let ann = Participant::join(&emulator, "Ann", &meeting(&emulator)).await;
    let connection = MediaConnection::new(config(backend))
        .await
        .expect("connection");
    let mut events = connection.events();
    let mut answer = offer_and_answer(&connection, &mut events, &ann).await;
    answer.sdp = answer.sdp.as_deref().map(without_last_mline);

    let error = connection.roap_message_received(answer.clone()).await;
    assert!(
        matches!(
            error,
            Err(MediaError::Sdp(SdpError::AnswerLacksMline { index: 2 }))
        ),
        "{error:?}"
    );
    // Locus is told the answer failed, and the negotiation ends.
    let refusal = next_roap(&mut events).await;
    assert_eq!(refusal.message_type, MessageType::Error);
    assert_eq!(refusal.error_type, Some(ErrorType::Failed));
    assert_eq!(refusal.seq, answer.seq);
    let failure = next_event(&mut events, |e| match e {
        MediaEvent::RoapFailed(failure) => Some(failure),
        _ => None,
    })
    .await;
    assert!(matches!(failure, RoapFailure::Local(_)), "{failure:?}");
    assert!(matches!(
        connection.negotiated().await,
        Err(MediaError::Roap(RoapFailure::Local(_)))
    ));
    connection.close().await;
}

async fn roap_error(backend: Backend) {
    let connection = MediaConnection::new(config(backend))
        .await
        .expect("connection");
    let mut events = connection.events();
    connection.initiate_offer().await.expect("offer");
    let offer = next_roap(&mut events).await;
    assert_eq!(offer.message_type, MessageType::Offer);

    // A retryable error: a new offer with the next seq.
    let retry = RoapMessage::error(offer.seq, ErrorType::Retry);
    connection
        .roap_message_received(retry)
        .await
        .expect("retried");
    let again = next_roap(&mut events).await;
    assert_eq!(
        (again.message_type, again.seq),
        (MessageType::Offer, offer.seq + 1)
    );

    // A final one: the awaiting call and `negotiated` fail with it.
    let mut refused = RoapMessage::error(again.seq, ErrorType::Refused);
    refused.error_cause = Some("no capacity".into());
    let error = connection.roap_message_received(refused).await;
    let expected = RoapFailure::Remote {
        error_type: ErrorType::Refused,
        cause: Some("no capacity".into()),
    };
    assert!(
        matches!(&error, Err(MediaError::Roap(failure)) if *failure == expected),
        "{error:?}"
    );
    assert!(matches!(
        connection.negotiated().await,
        Err(MediaError::Roap(_))
    ));
    // The machine is done: no new offer.
    assert!(matches!(
        connection.initiate_offer().await,
        Err(MediaError::RoapState(_))
    ));
    connection.close().await;
    assert!(matches!(connection.stats().await, Err(MediaError::Closed)));
}

async fn ice_never_connecting(backend: Backend) {
    let emulator = Emulator::start_default().await.expect("emulator");
    let ann = Participant::join(&emulator, "Ann", &meeting(&emulator)).await;
    let connection = MediaConnection::new(config(backend).ice_timeout(Duration::from_millis(300)))
        .await
        .expect("connection");
    let mut events = connection.events();
    let mut answer = offer_and_answer(&connection, &mut events, &ann).await;
    // The answer's candidate leads to a socket that never answers.
    let silent = UdpSocket::bind("127.0.0.1:0").expect("a silent socket");
    let silent_port = silent.local_addr().expect("address").port();
    let sdp = answer.sdp.take().expect("answer SDP");
    let rewritten: Vec<String> = sdp
        .split("\r\n")
        .map(|line| {
            if !line.starts_with("a=candidate:") {
                return line.to_owned();
            }
            let mut fields: Vec<String> = line.split(' ').map(str::to_owned).collect();
            fields[5] = silent_port.to_string();
            fields.join(" ")
        })
        .collect();
    answer.sdp = Some(rewritten.join("\r\n"));

    connection
        .roap_message_received(answer)
        .await
        .expect("answer applied");
    let error = connection.connected().await;
    assert!(matches!(error, Err(MediaError::IceFailed(_))), "{error:?}");
    next_event(&mut events, |e| {
        (e == MediaEvent::ConnectionState(ConnectionState::Failed)).then_some(())
    })
    .await;
    assert_eq!(connection.connection_state(), ConnectionState::Failed);
    connection.close().await;
}

#[tokio::test]
async fn an_answer_lacking_an_mline_is_a_typed_error_on_every_backend() {
    for backend in backends() {
        answer_lacking_an_mline(backend).await;
    }
}

#[tokio::test]
async fn a_roap_error_is_a_typed_error_on_every_backend() {
    for backend in backends() {
        roap_error(backend).await;
    }
}

#[tokio::test]
async fn ice_that_never_connects_fails_the_connection_on_every_backend() {
    for backend in backends() {
        ice_never_connecting(backend).await;
    }
}

#[tokio::test(start_paused = true)]
async fn an_offer_never_answered_fails_after_the_roap_deadline() {
    for backend in backends() {
        let connection = MediaConnection::new(config(backend))
            .await
            .expect("connection");
        let mut events = connection.events();
        connection.initiate_offer().await.expect("offer");
        next_roap(&mut events).await;
        // Nobody answers; the paused clock runs on to the 35 s deadline.
        assert!(matches!(
            connection.negotiated().await,
            Err(MediaError::Roap(RoapFailure::Timeout))
        ));
        next_event(&mut events, |e| {
            (e == MediaEvent::RoapFailed(RoapFailure::Timeout)).then_some(())
        })
        .await;
        connection.close().await;
    }
}

#[cfg(not(feature = "webrtc"))]
#[tokio::test]
async fn a_backend_not_built_in_is_no_backend() {
    let result = MediaConnection::new(config(Backend::WebrtcRs)).await;
    assert!(matches!(result, Err(MediaError::NoBackend)), "{result:?}");
}
