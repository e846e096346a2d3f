//! Calliope discovery and the media cluster's STUN responder, as the JS
//! SDK's reachability check uses them.

use std::net::SocketAddr;

use hyper::Method;
use serde_json::json;
use tokio::net::UdpSocket;

use crate::client::{alice, start};

/// A STUN binding request (RFC 5389: type 0x0001, no attributes) with
/// transaction id `id`.
fn binding_request(id: [u8; 12]) -> Vec<u8> {
    let mut bytes = vec![0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42];
    bytes.extend_from_slice(&id);
    bytes
}

/// The XOR-MAPPED-ADDRESS (IPv4) of a binding success response.
fn xor_mapped(response: &[u8], id: [u8; 12]) -> SocketAddr {
    assert_eq!(&response[..2], &[0x01, 0x01], "a binding success response");
    assert_eq!(&response[8..20], &id, "the request's transaction id");
    let mut at = 20;
    while at + 4 <= response.len() {
        let kind = u16::from_be_bytes([response[at], response[at + 1]]);
        let len = usize::from(u16::from_be_bytes([response[at + 2], response[at + 3]]));
        let value = &response[at + 4..at + 4 + len];
        if kind == 0x0020 {
            assert_eq!(value[1], 0x01, "IPv4");
            let port = u16::from_be_bytes([value[2], value[3]]) ^ 0x2112;
            let ip: [u8; 4] = std::array::from_fn(|i| value[4 + i] ^ [0x21, 0x12, 0xa4, 0x42][i]);
            return SocketAddr::from((ip, port));
        }
        at += 4 + len.div_ceil(4) * 4;
    }
    panic!("no XOR-MAPPED-ADDRESS in {response:?}");
}

#[tokio::test]
async fn clusters_list_the_loopback_stun_responder_which_answers() {
    let (emulator, http) = start().await;
    let token = alice(&emulator).access_token;
    let body = json!({"ipver": 0, "supported-options": {"report-version": 1,
        "early-call-min-clusters": true}, "trigger": "startup"});
    let posted = http
        .call(
            Method::POST,
            "/calliope/api/discovery/v1/clusters",
            &token,
            Some(body),
        )
        .await
        .ok();
    let got = http
        .get_auth(
            "/calliope/api/discovery/v1/clusters?JCSupport=1&ipver=4",
            &token,
        )
        .await
        .ok();
    assert_eq!(posted, got, "POST (JS SDK 3.x) and GET answer alike");
    let stun = emulator.stun_addr();
    assert_eq!(
        posted["clusters"]["emulator-loopback"],
        json!({"udp": [format!("stun:{stun}")], "tcp": [], "xtls": []})
    );
    assert!(posted["joinCookie"].is_object());

    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let port = socket.local_addr().unwrap().port();
    let id = [9; 12];
    socket.send_to(&binding_request(id), stun).await.unwrap();
    let mut buf = [0; 1500];
    let (len, from) = socket.recv_from(&mut buf).await.unwrap();
    assert_eq!(from, stun);
    assert_eq!(
        xor_mapped(&buf[..len], id),
        SocketAddr::from(([127, 0, 0, 2], port)),
        "loopback is reported translated, so it differs from the host candidate"
    );
}

#[tokio::test]
async fn clusters_need_a_token() {
    let (_emulator, http) = start().await;
    http.get("/calliope/api/discovery/v1/clusters")
        .await
        .assert_webex_error(401);
}
