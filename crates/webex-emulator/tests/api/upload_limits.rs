//! Uploaded files count against a configurable quota (a Webex 413 past it,
//! freed when their message is deleted), and a file above the spill
//! threshold is kept in a temporary directory rather than in memory, still
//! downloading byte for byte.

use std::path::{Path, PathBuf};

use hyper::Method;
use webex_emulator::{PersonType, UploadLimits};

use crate::client::{Http, Reply, create_room, person, start};
use crate::files::{multipart, upload};

/// The files of exactly `len` bytes in the emulators' spill directories
/// (the odd sizes used here identify this test's files).
fn spilled_files_of(len: u64) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|dir| {
            dir.file_name()
                .to_string_lossy()
                .starts_with("webex-emulator-contents-")
        })
        .filter_map(|dir| std::fs::read_dir(dir.path()).ok())
        .flatten()
        .filter_map(Result::ok)
        .filter(|file| file.metadata().is_ok_and(|meta| meta.len() == len))
        .map(|file| file.path())
        .collect()
}

/// Posts a message to `room_id` with a file of `len` bytes; the reply and
/// the bytes.
async fn post_file(
    http: &Http,
    token: &str,
    room_id: &str,
    name: &str,
    len: usize,
) -> (Reply, Vec<u8>) {
    let payload: Vec<u8> = (0..=250u8).cycle().take(len).collect();
    let body = multipart(
        &[("roomId", room_id)],
        &[(name, "application/octet-stream", &payload)],
    );
    (upload(http, token, body).await, payload)
}

fn exists(paths: &[PathBuf]) -> bool {
    paths.iter().any(|path| Path::exists(path))
}

#[tokio::test]
async fn uploads_past_the_quota_get_413_and_large_files_spill_to_disk() {
    let (emulator, http) = start().await;
    emulator.set_upload_limits(UploadLimits {
        quota_bytes: 3_000_000,
        spill_threshold_bytes: 100_000,
    });
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let a = &alice.access_token;
    let room = create_room(&http, a, "Quota").await;
    let room_id = room["id"].as_str().unwrap();
    let post = |name: &'static str, len: usize| post_file(&http, a, room_id, name, len);

    // Above the threshold: on disk while stored, and downloads whole.
    let (reply, big) = post("big.bin", 1_234_577).await;
    let first = reply.ok();
    let spilled = spilled_files_of(1_234_577);
    assert_eq!(spilled.len(), 1, "one spilled file: {spilled:?}");
    let url = first["files"][0].as_str().unwrap();
    let download = http.call(Method::GET, url, a, None).await;
    assert_eq!(download.status.as_u16(), 200);
    assert_eq!(download.header("content-length"), Some("1234577"));
    assert!(
        download.body == big,
        "the spilled file downloads byte for byte"
    );

    // Below it: in memory, and no file of its size appears.
    let (reply, small) = post("small.bin", 54_321).await;
    let url = reply.ok()["files"][0].as_str().unwrap().to_owned();
    assert!(spilled_files_of(54_321).is_empty());
    assert!(http.call(Method::GET, &url, a, None).await.body == small);

    // 1 234 577 + 54 321 stored: 1 800 000 more do not fit in 3 000 000.
    let (reply, _) = post("late.bin", 1_800_000).await;
    let message = reply.assert_webex_error(413);
    assert!(
        message.contains("late.bin") && message.contains("quota of 3000000 bytes"),
        "{message}"
    );
    assert!(
        spilled_files_of(1_800_000).is_empty(),
        "a refused upload leaves no file"
    );

    // Deleting the first message frees its bytes and its file.
    let first_id = first["id"].as_str().unwrap();
    let deleted = http
        .call(Method::DELETE, &format!("/v1/messages/{first_id}"), a, None)
        .await;
    assert_eq!(deleted.status.as_u16(), 204);
    assert!(
        !exists(&spilled),
        "the spilled file is deleted with its message"
    );
    let (reply, _) = post("late.bin", 1_800_000).await;
    reply.ok();
}
