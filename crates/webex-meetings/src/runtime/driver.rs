//! The task behind a [`LocusRuntime`](super::LocusRuntime): runs one sync fetch at a time, the
//! sync timer, and the hand-off of events to the streams.

use std::sync::{Arc, PoisonError};

use futures::FutureExt;
use futures::future::BoxFuture;
use webex_core::WeakWebex;
use webex_core::http::{Request, Target};

use super::subscribers::Subscribers;
use super::{HANDOFF_TIMEOUT, Shared, now};
use crate::locus::{Ignored, SyncFetch};

type FetchResult = (SyncFetch, Result<Vec<u8>, String>);

pub(super) async fn drive(shared: Arc<Shared>, webex: WeakWebex) {
    let mut streams = Subscribers::default();
    let mut fetch: Option<BoxFuture<'static, FetchResult>> = None;
    let mut published = shared.published.subscribe();
    loop {
        for sender in std::mem::take(
            &mut *shared
                .new_streams
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        ) {
            streams.add(sender);
        }
        let (events, ignored, next_fetch, deadline) = {
            let mut core = shared.core();
            let next = if fetch.is_none() {
                core.take_fetch()
            } else {
                None
            };
            let ignored = core.take_ignored();
            (core.take_events(), ignored, next, core.poll_timeout())
        };
        log_ignored(&webex, &ignored);
        for item in &events {
            streams.deliver(item, HANDOFF_TIMEOUT).await;
        }
        if published.borrow_and_update().closed {
            streams.close();
            return;
        }
        if let Some(next) = next_fetch {
            fetch = Some(get(webex.clone(), next).boxed());
        }
        let sleep = deadline.map(tokio::time::Instant::from_std);
        tokio::select! {
            () = shared.wake.notified() => {}
            () = sleep_until(sleep), if sleep.is_some() => {
                let now = now();
                shared.update(|core| core.handle_timeout(now));
            }
            (done, body) = poll_fetch(&mut fetch), if fetch.is_some() => {
                fetch = None;
                let now = now();
                shared.update(|core| core.handle_fetch(&done, body, now));
            }
        }
    }
}

/// Says which Locus DTOs were not applied (old, duplicated, baseless): normal under
/// redelivery, worth seeing when a meeting looks stale.
fn log_ignored(webex: &WeakWebex, ignored: &[Ignored]) {
    if ignored.is_empty() {
        return;
    }
    if let Some(webex) = webex.upgrade() {
        let logger = webex.logger();
        for why in ignored {
            webex_core::log_debug!(logger, "Locus DTO not applied: {why:?}");
        }
    }
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    if let Some(deadline) = deadline {
        tokio::time::sleep_until(deadline).await;
    }
}

async fn poll_fetch(fetch: &mut Option<BoxFuture<'static, FetchResult>>) -> FetchResult {
    match fetch {
        Some(fetch) => fetch.await,
        None => std::future::pending().await,
    }
}

/// `GET`s a sync URL; the body, or why there is none.
async fn get(webex: WeakWebex, fetch: SyncFetch) -> FetchResult {
    let Some(webex) = webex.upgrade() else {
        return (fetch, Err("the client was dropped".to_owned()));
    };
    let logger = webex.logger();
    webex_core::log_info!(logger, "Locus sync ({:?}): GET {}", fetch.kind, fetch.url);
    let body = match url::Url::parse(&fetch.url) {
        Err(err) => Err(format!("bad sync URL {:?}: {err}", fetch.url)),
        Ok(url) => webex
            .http()
            .send(Request::get(Target::Url(url)))
            .await
            .map(|response| response.body().to_vec())
            .map_err(|err| err.to_string()),
    };
    if let Err(reason) = &body {
        webex_core::log_warn!(logger, "Locus sync ({:?}) failed: {reason}", fetch.kind);
    }
    (fetch, body)
}
