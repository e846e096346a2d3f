//! `Page::into_stream`: a `Link` loop (a URL seen twice) ends the stream with an error instead
//! of reading forever, and an optional page cap bounds the pages read.

mod common;

use common::Setup;
use futures::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use webex_core::ErrorKind;
use webex_core::http::{Request, Target};
use webex_core::page::Page;

/// Serves `/p/<n>` forever: one item `n`, and a `Link` to `next(n)` (none when `None`).
async fn serve_pages(next: fn(u32) -> Option<u32>) -> url::Url {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let link_base = base.clone();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let link_base = link_base.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    let n = socket.read(&mut buf).await.unwrap();
                    if n == 0 {
                        return;
                    }
                    head.extend_from_slice(&buf[..n]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let n: u32 = head
                    .split_whitespace()
                    .nth(1)
                    .and_then(|path| path.strip_prefix("/p/"))
                    .and_then(|n| n.parse().ok())
                    .unwrap();
                let body = format!("{{\"items\": [{n}]}}");
                let link = next(n)
                    .map(|m| format!("link: <{link_base}/p/{m}>; rel=\"next\"\r\n"))
                    .unwrap_or_default();
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{link}\
                     connection: close\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
                socket.write_all(answer.as_bytes()).await.unwrap();
            });
        }
    });
    url::Url::parse(&format!("{base}/p/0")).unwrap()
}

#[tokio::test]
async fn a_link_loop_ends_the_stream_with_an_error() {
    let setup = Setup::new().await;
    let webex = setup.client().await;
    // 0 → 1 → 2 → 1 → ...
    let first = serve_pages(|n| Some(if n == 2 { 1 } else { n + 1 })).await;
    let page = Page::<u32>::fetch(webex.http(), Request::get(Target::Url(first)))
        .await
        .unwrap();
    let all: Vec<_> = page.into_stream().collect().await;
    let items: Vec<u32> = all
        .iter()
        .filter_map(|r| r.as_ref().ok().copied())
        .collect();
    assert_eq!(items, [0, 1, 2], "every page once");
    let err = all.last().unwrap().as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse);
    assert!(err.message().contains("seen before"), "{err}");
}

#[tokio::test]
async fn the_page_cap_bounds_an_endless_list() {
    let setup = Setup::new().await;
    let webex = setup.client().await;
    let first = serve_pages(|n| Some(n + 1)).await;
    let page = Page::<u32>::fetch(webex.http(), Request::get(Target::Url(first)))
        .await
        .unwrap();
    let items: Vec<u32> = page
        .max_pages(4)
        .into_stream()
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(items, [0, 1, 2, 3]);
}
