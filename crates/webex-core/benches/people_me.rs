//! `GET /v1/people/me` against the in-process emulator: the SDK's full pipeline versus a bare
//! hyper client doing the minimum any client must do (send the token, collect the body, parse
//! the JSON). Both run in one criterion group on the same emulator and the same runtime, so
//! `people_me/sdk ÷ people_me/bare_hyper` is the SDK's overhead (target: at most 1.15).
//!
//! ```text
//! cargo bench -p webex-core --bench people_me
//! WEBEX_BENCH_RUNTIME=current_thread cargo bench -p webex-core --bench people_me
//! ```
//!
//! The second form runs everything (emulator, connections, client) on one thread, where the
//! SDK's own work is not hidden behind another thread's.
//!
//! After the group has run, the two variants' mean, median and slope (the figure criterion
//! prints as `time`) and their ratios are printed from the estimates criterion just saved.
//!
//! For an instruction count instead of a time (repeatable on a loaded machine), run one
//! variant `WEBEX_BENCH_CALLS` times without criterion under callgrind, e.g.
//!
//! ```text
//! WEBEX_BENCH_RUNTIME=current_thread WEBEX_BENCH_CALLS=2000 WEBEX_BENCH_VARIANT=sdk \
//!     valgrind --tool=callgrind target/release/deps/people_me-<hash>
//! ```
//!
//! and subtract a run with fewer calls: the difference over the difference in calls is the
//! instructions per call (emulator included, the same for both variants).
//!
//! Mind the machine: on a small box, a concurrent build skews one variant more than the
//! other (criterion runs them one after the other), so compare runs on an idle machine.

use std::path::PathBuf;
use std::time::SystemTime;

use bytes::Bytes;
use criterion::{Criterion, criterion_group};
use http::header::{ACCEPT, AUTHORIZATION};
use http::{HeaderValue, Uri};
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;
use webex_core::Webex;
use webex_core::http::{Request, Target};
use webex_emulator::{Emulator, NewPerson, PersonType};

const GROUP: &str = "people_me";

/// What both variants share: the emulator (kept alive for the whole run) and the person's
/// token.
struct Fixture {
    emulator: Emulator,
    token: String,
}

/// The baseline: hyper's pooled client over plain HTTP/1.1, with the request's invariant
/// parts (URI, header values) prepared once.
struct Bare {
    client: Client<HttpConnector, Empty<Bytes>>,
    uri: Uri,
    authorization: HeaderValue,
}

impl Bare {
    fn new(fixture: &Fixture) -> Self {
        let client = Client::builder(TokioExecutor::new()).build_http();
        let uri = format!("{}/v1/people/me", fixture.emulator.base_url())
            .parse()
            .expect("emulator URL is a URI");
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {}", fixture.token)).expect("token is ASCII");
        authorization.set_sensitive(true);
        Self {
            client,
            uri,
            authorization,
        }
    }

    async fn me(&self) -> Value {
        let req = http::Request::get(self.uri.clone())
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .body(Empty::new())
            .expect("valid request");
        let res = self.client.request(req).await.expect("request succeeds");
        assert!(res.status().is_success(), "status {}", res.status());
        let body = res
            .into_body()
            .collect()
            .await
            .expect("body arrives")
            .to_bytes();
        serde_json::from_slice(&body).expect("JSON body")
    }
}

async fn sdk_me(webex: &Webex) -> Value {
    webex
        .http()
        .json::<Value>(Request::get(Target::service("hydra", "people/me")))
        .await
        .expect("SDK request succeeds")
}

async fn setup() -> (Fixture, Webex) {
    let emulator = Emulator::start_default().await.expect("emulator starts");
    let person = emulator.create_person(NewPerson {
        display_name: "Ada".into(),
        email: "ada@example.com".into(),
        kind: PersonType::Person,
    });
    let webex = Webex::builder()
        .access_token(&person.access_token)
        .discovery_base(emulator.base_url())
        .build()
        .await
        .expect("client builds");
    let fixture = Fixture {
        emulator,
        token: person.access_token,
    };
    (fixture, webex)
}

/// The runtime `WEBEX_BENCH_RUNTIME` asks for. Two workers run the emulator and hyper's
/// connection tasks; the measuring loop drives the client futures from `block_on` on this
/// thread. The runtime outlives every call, so the emulator keeps serving between them.
fn runtime() -> tokio::runtime::Runtime {
    let single = std::env::var("WEBEX_BENCH_RUNTIME").is_ok_and(|v| v == "current_thread");
    if single {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder.worker_threads(2);
        builder
    }
    .enable_all()
    .build()
    .expect("tokio runtime")
}

fn people_me(c: &mut Criterion) {
    let rt = runtime();
    let (fixture, webex) = rt.block_on(setup());
    let bare = Bare::new(&fixture);

    // Same answer both ways, and both pools hold a warm connection before measuring.
    let (via_sdk, via_bare) = rt.block_on(async { (sdk_me(&webex).await, bare.me().await) });
    assert_eq!(
        via_sdk, via_bare,
        "the SDK and bare hyper see the same person"
    );

    let mut group = c.benchmark_group(GROUP);
    group.bench_function("sdk", |b| b.to_async(&rt).iter(|| sdk_me(&webex)));
    group.bench_function("bare_hyper", |b| b.to_async(&rt).iter(|| bare.me()));
    group.finish();

    drop(webex);
    drop(fixture);
}

criterion_group!(benches, people_me);

/// Where criterion writes its estimates (its own lookup order, minus `cargo metadata`).
fn criterion_home() -> PathBuf {
    std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR").map(|d| PathBuf::from(d).join("criterion"))
        })
        .unwrap_or_else(|| PathBuf::from("target/criterion"))
}

/// The point estimates (ns) criterion saved for `name` during this run, if it did.
fn estimates(name: &str, since: SystemTime) -> Option<Value> {
    let path = criterion_home()
        .join(GROUP)
        .join(name)
        .join("new")
        .join("estimates.json");
    if std::fs::metadata(&path).ok()?.modified().ok()? < since {
        return None; // left over from an earlier run, e.g. one filtered to the other variant
    }
    serde_json::from_slice(&std::fs::read(&path).ok()?).ok()
}

/// Prints `statistic` for both variants and their ratio.
fn print_ratio(statistic: &str, sdk: &Value, bare: &Value) {
    let (Some(sdk), Some(bare)) = (
        sdk[statistic]["point_estimate"].as_f64(),
        bare[statistic]["point_estimate"].as_f64(),
    ) else {
        return; // e.g. no slope in flat sampling mode
    };
    println!(
        "{GROUP} {statistic:>6}: sdk {:8.2} µs, bare_hyper {:8.2} µs, sdk/bare_hyper = {:.3} \
         (target ≤ 1.15)",
        sdk / 1e3,
        bare / 1e3,
        sdk / bare
    );
}

/// `calls` calls of one variant (`sdk` or `bare_hyper`) after one warm-up call each, for
/// counting instructions.
fn count_calls(calls: usize, variant: &str) {
    let rt = runtime();
    let (fixture, webex) = rt.block_on(setup());
    let bare = Bare::new(&fixture);
    rt.block_on(async {
        let (via_sdk, via_bare) = (sdk_me(&webex).await, bare.me().await);
        assert_eq!(
            via_sdk, via_bare,
            "the SDK and bare hyper see the same person"
        );
        for _ in 0..calls {
            match variant {
                "sdk" => std::hint::black_box(sdk_me(&webex).await),
                "bare_hyper" => std::hint::black_box(bare.me().await),
                other => panic!("WEBEX_BENCH_VARIANT is sdk or bare_hyper, not {other}"),
            };
        }
    });
}

fn main() {
    if let Some(calls) = std::env::var("WEBEX_BENCH_CALLS")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        let variant = std::env::var("WEBEX_BENCH_VARIANT").unwrap_or_else(|_| "sdk".into());
        count_calls(calls, &variant);
        return;
    }
    let started = SystemTime::now();
    benches();
    Criterion::default().configure_from_args().final_summary();
    if let (Some(sdk), Some(bare)) = (estimates("sdk", started), estimates("bare_hyper", started)) {
        for statistic in ["mean", "median", "slope"] {
            print_ratio(statistic, &sdk, &bare);
        }
    }
}
