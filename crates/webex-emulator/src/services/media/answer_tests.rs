//! The answer to an offer shaped like a browser's transcoded offer (three
//! m-lines, BUNDLE, many codecs, host candidates on loopback): what the JS
//! SDK needs of it.

use uuid::Uuid;

use super::session::Session;
use crate::kit::media::{MediaSessionKey, NegotiatedLine};

/// A browser-style offer: audio with opus among other codecs, video with
/// VP8 and H.264 (and their RTX), and a third (share) video line that only
/// receives.
fn offer() -> String {
    let fingerprint = "sha-256 11:22:33:44:55:66:77:88:99:00:AA:BB:CC:DD:EE:FF:11:22:33:44:55:66:77:88:99:00:AA:BB:CC:DD:EE:FF";
    let common = format!(
        "c=IN IP4 127.0.0.1\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n\
         a=ice-options:trickle\r\n\
         a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0\r\n\
         a=fingerprint:{fingerprint}\r\na=setup:actpass\r\n"
    );
    let video = |mid: &str, direction: &str| {
        format!(
            "m=video 50000 UDP/TLS/RTP/SAVPF 96 97 102 103\r\n{common}a=mid:{mid}\r\na=rtcp-mux\r\n\
             a={direction}\r\na=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack pli\r\n\
             a=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\na=rtpmap:102 H264/90000\r\n\
             a=rtcp-fb:102 nack pli\r\n\
             a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n\
             a=rtpmap:103 rtx/90000\r\na=fmtp:103 apt=102\r\na=ssrc:2222 cname:x\r\n"
        )
    };
    format!(
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1 2\r\n\
         a=msid-semantic: WMS\r\n\
         m=audio 50000 UDP/TLS/RTP/SAVPF 111 63 9 0 126\r\n{common}a=mid:0\r\na=rtcp-mux\r\n\
         a=sendrecv\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n\
         a=rtpmap:63 red/48000/2\r\na=fmtp:63 111/111\r\na=rtpmap:9 G722/8000\r\n\
         a=rtpmap:0 PCMU/8000\r\na=rtpmap:126 telephone-event/8000\r\na=ssrc:1111 cname:x\r\n\
         {}{}",
        video("1", "sendrecv"),
        video("2", "recvonly"),
    )
}

/// The `m=` lines of `sdp`.
fn media_lines(sdp: &str) -> Vec<&str> {
    sdp.lines().filter(|l| l.starts_with("m=")).collect()
}

#[tokio::test]
async fn answers_every_line_in_order_ice_lite_passive_bundled() {
    let key = MediaSessionKey {
        locus: Uuid::new_v4(),
        participant: Uuid::new_v4(),
        device_url: "https://device".into(),
        media_id: Uuid::new_v4(),
    };
    str0m::crypto::from_feature_flags().install_process_default();
    let text = offer();
    let parsed = str0m::change::SdpOffer::from_sdp_string(&text).unwrap();
    let (session, answer, _io) = Session::open(key, 0, parsed, &text).unwrap();
    let sdp = &answer.sdp;
    assert!(sdp.contains("a=ice-lite"), "{sdp}");
    assert!(sdp.contains("a=group:BUNDLE 0 1 2"), "{sdp}");
    assert!(sdp.contains("a=setup:passive"), "{sdp}");
    assert!(!sdp.contains("a=setup:active"), "{sdp}");
    let host = format!("127.0.0.1 {} typ host", session.address.port());
    assert!(sdp.contains(&host), "{sdp}");
    let lines = media_lines(sdp);
    assert_eq!(lines.len(), 3, "{sdp}");
    assert!(
        lines[0].starts_with("m=audio ") && lines[0].contains(" 111"),
        "{sdp}"
    );
    for video in &lines[1..] {
        // H.264 with the client's payload type; no VP8.
        assert!(
            video.starts_with("m=video ") && video.contains(" 102"),
            "{sdp}"
        );
        assert!(!video.contains(" 96"), "{sdp}");
    }
    let mids: Vec<&str> = sdp
        .lines()
        .filter_map(|l| l.strip_prefix("a=mid:"))
        .collect();
    assert_eq!(mids, ["0", "1", "2"]);
    let directions: Vec<&str> = sdp
        .lines()
        .filter(|l| {
            matches!(
                *l,
                "a=sendrecv" | "a=sendonly" | "a=recvonly" | "a=inactive"
            )
        })
        .collect();
    assert_eq!(directions, ["a=sendrecv", "a=sendrecv", "a=sendonly"]);
    let expected = [
        ("audio", "main", "sendrecv"),
        ("video", "main", "sendrecv"),
        ("video", "slides", "recvonly"),
    ]
    .map(|(media_type, content, direction)| NegotiatedLine {
        media_type,
        content,
        direction,
    });
    assert_eq!(answer.lines, expected);
}
