//! Every backend's offer, as the connection sends it to Locus, has the shape the protocol
//! asks for (audio, video and share video m-lines, BUNDLE, host candidates on every m-line,
//! opus/48000/2 and H.264 packetization-mode=1, `a=content:slides` on the share), and the
//! emulator's media server answers it, first and after a change of directions.

mod common;

use webex_emulator::Emulator;
use webex_media::roap::{MessageType, RoapMessage};
use webex_media::sdp::check_answer;
use webex_media::{Backend, ConnectionState, MediaConnection, MediaEvents, StreamOptions};

use common::{PATIENCE, Participant, backends, config, meeting, next_roap};

/// The m-line sections of `sdp` (each from its `m=` line to the next).
fn sections(sdp: &str) -> Vec<&str> {
    let starts: Vec<usize> = sdp.match_indices("m=").map(|(i, _)| i).collect();
    starts
        .iter()
        .enumerate()
        .map(|(n, &start)| &sdp[start..starts.get(n + 1).copied().unwrap_or(sdp.len())])
        .collect()
}

/// The offer's SDP, checked to have the shape Locus needs, with the m-lines' directions.
fn checked_offer(offer: &RoapMessage, backend: Backend) -> (String, Vec<&'static str>) {
    assert_eq!(offer.message_type, MessageType::Offer, "{backend:?}");
    let sdp = offer.sdp.clone().expect("an offer SDP");
    let lines = sections(&sdp);
    let kinds: Vec<&str> = lines.iter().map(|m| &m[2..7]).collect();
    assert_eq!(kinds, ["audio", "video", "video"], "{backend:?}: {sdp}");
    let bundle = sdp
        .lines()
        .find_map(|l| l.strip_prefix("a=group:BUNDLE "))
        .expect("a BUNDLE group");
    assert_eq!(bundle.split_whitespace().count(), 3, "{backend:?}: {sdp}");
    for line in &lines {
        assert!(
            line.contains(" 127.0.0.1 ") && line.contains(" typ host"),
            "{backend:?}: every m-line carries the host candidate: {sdp}"
        );
    }
    assert!(lines[0].contains("opus/48000/2"), "{backend:?}: {sdp}");
    for video in &lines[1..] {
        assert!(
            video.contains("H264/90000") && video.contains("packetization-mode=1"),
            "{backend:?}: {sdp}"
        );
    }
    assert!(!lines[1].contains("a=content:slides"), "{backend:?}: {sdp}");
    assert!(lines[2].contains("a=content:slides"), "{backend:?}: {sdp}");
    let directions = lines
        .iter()
        .map(|line| {
            ["sendrecv", "sendonly", "recvonly", "inactive"]
                .into_iter()
                .find(|d| line.contains(&format!("a={d}\r\n")))
                .expect("a direction")
        })
        .collect();
    (sdp, directions)
}

/// Sends the next offer of `connection` through `participant`'s `/media`, checks it and
/// the answer, and applies the answer; returns the offer's directions.
async fn negotiate(
    connection: &MediaConnection,
    events: &mut MediaEvents,
    participant: &Participant,
    backend: Backend,
) -> Vec<&'static str> {
    let offer = next_roap(events).await;
    let (sdp, directions) = checked_offer(&offer, backend);
    let answer = participant
        .put_media(offer)
        .await
        .expect("the answer in the /media response");
    assert_eq!(answer.message_type, MessageType::Answer, "{backend:?}");
    let answer_sdp = answer.sdp.as_deref().expect("an answer SDP");
    let summary = check_answer(&sdp, answer_sdp).expect("the answer fits the offer");
    assert_eq!(summary.mids.len(), 3, "{backend:?}");
    connection
        .roap_message_received(answer)
        .await
        .expect("answer applied");
    directions
}

async fn offer_accepted(backend: Backend) {
    let emulator = Emulator::start_default().await.expect("emulator");
    let link = meeting(&emulator);
    let ann = Participant::join(&emulator, "Ann", &link).await;
    let connection = MediaConnection::new(config(backend))
        .await
        .expect("connection");
    let mut events = connection.events();

    connection.initiate_offer().await.expect("offer made");
    let directions = negotiate(&connection, &mut events, &ann, backend).await;
    assert_eq!(
        directions,
        ["sendrecv", "recvonly", "recvonly"],
        "{backend:?}"
    );
    tokio::time::timeout(PATIENCE, connection.connected())
        .await
        .expect("connected in time")
        .expect("connected");

    // Renegotiation on the same transport: audio only received, the share sent too.
    let only = |send, receive| StreamOptions { send, receive };
    connection
        .update_directions(only(false, true), only(false, true), only(true, true))
        .await
        .expect("directions updated");
    let directions = negotiate(&connection, &mut events, &ann, backend).await;
    assert_eq!(
        directions,
        ["recvonly", "recvonly", "sendrecv"],
        "{backend:?}"
    );
    assert_eq!(connection.connection_state(), ConnectionState::Connected);
    let sessions = emulator.media_sessions();
    assert_eq!(sessions.len(), 1, "{backend:?}: one session, renegotiated");
    assert!(sessions[0].connected, "{backend:?}");

    connection.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_backend_offers_what_locus_needs_and_the_media_server_answers() {
    for backend in backends() {
        offer_accepted(backend).await;
    }
}
