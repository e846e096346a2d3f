//! Multipart uploads and `GET /v1/contents/{id}`.

use bytes::Bytes;
use hyper::Method;
use serde_json::{Value, json};
use webex_emulator::PersonType;

use crate::client::{Http, Reply, add_member, create_room, decode_id, person, post_message, start};

const BOUNDARY: &str = "----emulator-test-boundary";

/// A multipart body with text fields and `(filename, content type, bytes)`
/// file parts.
pub(crate) fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (filename, content_type, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

pub(crate) async fn upload(http: &Http, token: &str, body: Vec<u8>) -> Reply {
    let auth = format!("Bearer {token}");
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    http.send_bytes(
        Method::POST,
        "/v1/messages",
        &[("authorization", &auth), ("content-type", &content_type)],
        Bytes::from(body),
    )
    .await
    .expect("upload")
}

#[tokio::test]
async fn files_round_trip() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let carol = person(&emulator, "carol@example.com", PersonType::Person);
    let room = create_room(&http, &alice.access_token, "Files").await;
    add_member(&http, &alice.access_token, &room, "bob@example.com").await;
    let room_id = room["id"].as_str().unwrap();

    let payload: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
    let reply = upload(
        &http,
        &alice.access_token,
        multipart(
            &[("roomId", room_id), ("text", "the report")],
            &[("Quarterly report (Q3).pdf", "application/pdf", &payload)],
        ),
    )
    .await;
    let message = reply.ok();
    assert_eq!(message["text"], "the report");
    let files = message["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    let url = files[0].as_str().unwrap();
    let prefix = format!("{}/v1/contents/", emulator.base_url());
    assert!(url.starts_with(&prefix), "{url}");
    let message_uuid = decode_id(message["id"].as_str().unwrap())
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(
        decode_id(&url[prefix.len()..]),
        format!("ciscospark://us/CONTENT/{message_uuid}/0")
    );

    // Bob downloads it with his token.
    let download = http.call(Method::GET, url, &bob.access_token, None).await;
    assert_eq!(download.status, 200);
    assert_eq!(download.header("content-type"), Some("application/pdf"));
    assert_eq!(
        download.header("content-disposition"),
        Some("attachment; filename=\"Quarterly report (Q3).pdf\"")
    );
    assert_eq!(&download.body[..], &payload[..]);
    // Without a token, or as an outsider: no.
    http.get(url).await.assert_webex_error(401);
    http.call(Method::GET, url, &carol.access_token, None)
        .await
        .assert_webex_error(403);
    // GET of the message shows the same URL.
    let again = http
        .call(
            Method::GET,
            &format!("/v1/messages/{}", message["id"].as_str().unwrap()),
            &bob.access_token,
            None,
        )
        .await
        .ok();
    assert_eq!(again["files"], message["files"]);

    // Deleting the message deletes the file.
    http.call(
        Method::DELETE,
        &format!("/v1/messages/{}", message["id"].as_str().unwrap()),
        &alice.access_token,
        None,
    )
    .await;
    http.call(Method::GET, url, &alice.access_token, None)
        .await
        .assert_webex_error(404);
}

#[tokio::test]
async fn multipart_direct_messages_types_and_limits() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    person(&emulator, "bob@example.com", PersonType::Person);

    // toPersonEmail, no text, no content type: guessed from the name.
    let message = upload(
        &http,
        &alice.access_token,
        multipart(
            &[("toPersonEmail", "bob@example.com")],
            &[("notes.txt", "", b"plain notes")],
        ),
    )
    .await
    .ok();
    assert_eq!(message["roomType"], "direct");
    let url = message["files"][0].as_str().unwrap();
    let download = http.call(Method::GET, url, &alice.access_token, None).await;
    assert_eq!(download.header("content-type"), Some("text/plain"));

    // One file per message; a file is required when there is no text.
    upload(
        &http,
        &alice.access_token,
        multipart(
            &[("toPersonEmail", "bob@example.com")],
            &[("a.txt", "text/plain", b"a"), ("b.txt", "text/plain", b"b")],
        ),
    )
    .await
    .assert_webex_error(400);
    upload(
        &http,
        &alice.access_token,
        multipart(&[("toPersonEmail", "bob@example.com")], &[]),
    )
    .await
    .assert_webex_error(400);

    // Bigger than axum's default 2 MB body limit: fine.
    let big = vec![7u8; 5 * 1024 * 1024];
    let message = upload(
        &http,
        &alice.access_token,
        multipart(
            &[("toPersonEmail", "bob@example.com")],
            &[("big.bin", "application/octet-stream", &big)],
        ),
    )
    .await
    .ok();
    let download = http
        .call(
            Method::GET,
            message["files"][0].as_str().unwrap(),
            &alice.access_token,
            None,
        )
        .await;
    assert_eq!(download.body.len(), big.len());

    // Over 100 MB: 413.
    let huge = vec![0u8; 100 * 1024 * 1024 + 1];
    upload(
        &http,
        &alice.access_token,
        multipart(
            &[("toPersonEmail", "bob@example.com")],
            &[("huge.bin", "application/octet-stream", &huge)],
        ),
    )
    .await
    .assert_webex_error(413);

    // A `files` part without a filename: a URL, or an unnamed file.
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"toPersonEmail\"\r\n\r\nbob@example.com\r\n").as_bytes(),
    );
    body.extend_from_slice(
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"\r\nContent-Type: image/png\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(&[0x89, b'P', b'N', b'G', 0xff, 0x00]);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let unnamed = upload(&http, &alice.access_token, body).await.ok();
    let download = http
        .call(
            Method::GET,
            unnamed["files"][0].as_str().unwrap(),
            &alice.access_token,
            None,
        )
        .await;
    assert_eq!(download.header("content-type"), Some("image/png"));
    assert_eq!(
        download.header("content-disposition"),
        Some("attachment; filename=\"file\"")
    );
    let linked = upload(
        &http,
        &alice.access_token,
        multipart(
            &[
                ("toPersonEmail", "bob@example.com"),
                ("files", "http://example.com/b.png"),
            ],
            &[],
        ),
    )
    .await
    .ok();
    assert_eq!(linked["files"], json!(["http://example.com/b.png"]));

    // JSON messages carry file URLs as given.
    let linked: Value = post_message(
        &http,
        &alice.access_token,
        json!({"toPersonEmail": "bob@example.com", "files": ["http://example.com/a.png"]}),
    )
    .await;
    assert_eq!(linked["files"], json!(["http://example.com/a.png"]));
}
