//! `upload_logs()`: the three steps against the emulator's client-logs service; the upload
//! carries the client's log history and the metadata names the feedback id returned.

mod common;

use webex_emulator::{Emulator, PersonType};
use webex_meetings::{LogUploadOptions, MeetingsExt};

#[tokio::test]
async fn the_log_history_is_uploaded_with_its_feedback_id() {
    let emulator = Emulator::start_default().await.unwrap();
    let alice = common::person(&emulator, "Alice", PersonType::Person);
    let webex = common::client(&emulator, &alice).await;
    webex.meetings().register().await.unwrap();
    webex_core::log_info!(webex.logger(), "a line the upload must carry");

    let feedback_id = webex
        .meetings()
        .upload_logs(LogUploadOptions::default())
        .await
        .unwrap();

    let uploads = emulator.client_logs();
    assert_eq!(uploads.len(), 1, "{uploads:?}");
    let upload = &uploads[0];
    assert!(upload.uploaded, "the PUT to the temporary URL arrived");
    assert!(
        upload.text.contains("a line the upload must carry"),
        "{}",
        upload.text
    );
    assert_eq!(
        upload.meta.get("feedbackId").and_then(|v| v.as_str()),
        Some(feedback_id.as_str()),
        "{:?}",
        upload.meta
    );
}
