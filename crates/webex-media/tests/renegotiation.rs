//! Changing directions renegotiates: a new offer with the next `seq` and the new directions,
//! answered by the emulator's media server on the same session; media keeps flowing.

mod common;

use webex_emulator::Emulator;
use webex_media::roap::MessageType;
use webex_media::{AudioOptions, Backend, ShareOptions, VideoOptions};

use common::{Participant, backends, config, connect, meeting, next_roap};

/// The direction attribute of each m-line of `sdp`, in order.
fn directions(sdp: &str) -> Vec<&str> {
    sdp.split("m=")
        .skip(1)
        .map(|section| {
            section
                .lines()
                .find_map(|line| {
                    ["sendrecv", "sendonly", "recvonly", "inactive"]
                        .into_iter()
                        .find(|d| line.trim() == format!("a={d}"))
                })
                .unwrap_or("none")
        })
        .collect()
}

async fn directions_renegotiate(backend: Backend) {
    let emulator = Emulator::start_default().await.expect("emulator");
    let ann = Participant::join(&emulator, "Ann", &meeting(&emulator)).await;
    let (connection, mut events) = connect(&ann, config(backend)).await;

    connection
        .update_directions(
            AudioOptions {
                send: true,
                receive: true,
            },
            VideoOptions {
                send: false,
                receive: false,
            },
            ShareOptions {
                send: false,
                receive: true,
            },
        )
        .await
        .expect("renegotiation started");
    let offer = next_roap(&mut events).await;
    assert_eq!((offer.message_type, offer.seq), (MessageType::Offer, 2));
    let sdp = offer.sdp.clone().expect("offer SDP");
    assert_eq!(directions(&sdp), ["sendrecv", "inactive", "recvonly"]);
    let answer = ann.put_media(offer).await.expect("answer");
    assert_eq!(answer.seq, 2);
    connection
        .roap_message_received(answer)
        .await
        .expect("answer applied");
    connection.negotiated().await.expect("negotiated");
    // The emulator kept the session: one, still connected.
    let sessions = emulator.media_sessions();
    assert_eq!(sessions.len(), 1);
    assert!(sessions[0].connected);
    connection.close().await;
}

#[tokio::test]
async fn changing_directions_renegotiates_on_every_backend() {
    for backend in backends() {
        directions_renegotiate(backend).await;
    }
}
