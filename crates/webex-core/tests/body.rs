//! Streamed request bodies: sent with their length, and made anew for a replay.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use common::{Setup, capture_one_request};
use futures::StreamExt;
use http::HeaderValue;
use webex_core::http::{Body, Request, Target};

#[tokio::test]
async fn a_streamed_body_is_sent_whole_with_its_length() {
    let setup = Setup::new().await;
    let webex = setup.client().await;
    let opened = Arc::new(AtomicUsize::new(0));
    let body = Body::stream(Some(11), {
        let opened = opened.clone();
        move || {
            opened.fetch_add(1, Ordering::SeqCst);
            futures::stream::iter([
                Ok(Bytes::from_static(b"hello ")),
                Ok(Bytes::from_static(b"world")),
            ])
            .boxed()
        }
    });
    let (url, request) = capture_one_request().await;
    webex
        .http()
        .send(Request::post(Target::Url(url)).body(body, HeaderValue::from_static("text/plain")))
        .await
        .unwrap();
    let request = request.await.unwrap();
    assert!(
        request.to_ascii_lowercase().contains("content-length: 11"),
        "{request}"
    );
    assert!(request.ends_with("\r\n\r\nhello world"), "{request}");
    assert_eq!(opened.load(Ordering::SeqCst), 1);
}
