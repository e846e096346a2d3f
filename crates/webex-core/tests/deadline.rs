//! One overall deadline per call, whatever the retries, refreshes and redirects inside it;
//! the error names the stage that ran out. Paused clock: virtual time only.

mod common;

use std::time::Duration;

use common::Setup;
use tokio::time::Instant;
use webex_core::http::{Request, Target};
use webex_core::{ErrorKind, Webex};
use webex_emulator::{Fault, RetryAfterValue};

/// Sends `req`, which must fail with a timeout `limit` after it was sent (within the next
/// second), and returns the error.
async fn runs_out(webex: &Webex, req: Request, limit: Duration) -> webex_core::Error {
    let started = Instant::now();
    let err = webex.http().send(req).await.unwrap_err();
    let waited = started.elapsed();
    assert!(
        waited >= limit && waited < limit + Duration::from_secs(1),
        "{waited:?}"
    );
    assert_eq!(err.kind(), ErrorKind::Timeout);
    err
}

fn me() -> Request {
    Request::get(Target::service("hydra", "people/me"))
}

#[tokio::test(start_paused = true)]
async fn retries_stop_at_the_call_deadline_and_the_error_names_the_stage() {
    let setup = Setup::new().await;
    let webex = setup
        .builder()
        .access_token(&setup.person.access_token)
        .configure(|c| {
            c.call_deadline = Duration::from_secs(10);
            c.retry.max_retries = 5;
        })
        .build()
        .await
        .unwrap();
    // Every attempt is rate limited for 4 s: 5 retries would take 20 s.
    setup.emulator.add_fault(Fault {
        status: Some(429),
        retry_after: Some(RetryAfterValue::Seconds(4)),
        count: 10,
        path_prefix: Some("/v1/people/me".into()),
        ..Fault::default()
    });
    let err = runs_out(&webex, me(), Duration::from_secs(10)).await;
    assert!(
        err.message().contains("within 10s") && err.message().contains("waiting to retry (3)"),
        "{err}"
    );
    assert_eq!(setup.emulator.request_count("/v1/people/me"), 3);
}

#[tokio::test(start_paused = true)]
async fn a_per_call_deadline_beats_the_configured_one() {
    let setup = Setup::new().await;
    let webex = setup.client().await;
    setup.emulator.add_fault(Fault {
        delay_ms: Some(20_000),
        path_prefix: Some("/v1/people/me".into()),
        ..Fault::default()
    });
    let err = runs_out(
        &webex,
        me().deadline(Duration::from_secs(2)),
        Duration::from_secs(2),
    )
    .await;
    assert!(err.message().contains("attempt 1"), "{err}");
}

/// A token provider that never answers.
#[derive(Debug)]
struct Silent;

#[webex_core::async_trait]
impl webex_core::credentials::ProvideToken for Silent {
    async fn token(&self) -> webex_core::Result<webex_core::credentials::AccessToken> {
        std::future::pending().await
    }
}

#[tokio::test(start_paused = true)]
async fn a_token_that_never_comes_runs_out_waiting_for_the_token() {
    let setup = Setup::new().await;
    let webex = setup
        .builder()
        .without_catalog()
        .token_provider(Silent)
        .build()
        .await
        .unwrap();
    let url = url::Url::parse(&format!("{}/v1/people/me", setup.emulator.base_url())).unwrap();
    let err = runs_out(
        &webex,
        Request::get(Target::Url(url)).deadline(Duration::from_secs(2)),
        Duration::from_secs(2),
    )
    .await;
    assert!(
        err.message().contains("waiting for the access token"),
        "{err}"
    );
    assert_eq!(setup.emulator.request_count("/v1/people/me"), 0);
}

/// A plugin whose layer holds every response back for a minute.
struct Slow;

impl webex_core::Plugin for Slow {
    fn name(&self) -> &'static str {
        "slow"
    }

    fn build(&mut self, ctx: &mut webex_core::BuildContext<'_>) -> webex_core::Result<()> {
        ctx.http_layer(tower::util::AndThenLayer::new(
            |res: webex_core::http::HttpResponse| async move {
                tokio::time::sleep(Duration::from_secs(60)).await;
                Ok::<_, webex_core::Error>(res)
            },
        ));
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn a_plugin_layer_that_stalls_is_bounded_by_the_call_deadline() {
    let setup = Setup::new().await;
    let webex = setup
        .builder()
        .access_token(&setup.person.access_token)
        .plugin(Slow)
        .build()
        .await
        .unwrap();
    let err = runs_out(
        &webex,
        me().deadline(Duration::from_secs(2)),
        Duration::from_secs(2),
    )
    .await;
    assert!(err.message().contains("within 2s"), "{err}");
}
