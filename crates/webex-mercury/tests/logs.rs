//! Records carry the module that logged them as their `tracing` target, so `EnvFilter` selects
//! them by crate; the history keeps what the client's own level allows, whatever the filter.

mod common;

use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use webex_core::Webex;
use webex_core::config::LogLevel;
use webex_emulator::Emulator;
use webex_mercury::{MercuryExt, MercuryPlugin};

/// One event the subscriber received.
#[derive(Debug, Clone)]
struct Captured {
    target: String,
    level: Level,
    message: String,
}

/// A layer that keeps every event it is given.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<Captured>>>);

impl Capture {
    fn events(&self) -> Vec<Captured> {
        self.0.lock().unwrap().clone()
    }
}

impl<S: Subscriber> Layer<S> for Capture {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut message = MessageField::default();
        event.record(&mut message);
        self.0.lock().unwrap().push(Captured {
            target: event.metadata().target().to_owned(),
            level: *event.metadata().level(),
            message: message.0,
        });
    }
}

#[derive(Default)]
struct MessageField(String);

impl Visit for MessageField {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

/// Connects a client whose history keeps records down to `level`, under a subscriber that
/// filters with `RUST_LOG`-style `directives`; returns the client and what the subscriber got.
async fn connect_under(directives: &str, level: LogLevel) -> (Webex, Vec<Captured>) {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry()
        .with(EnvFilter::new(directives))
        .with(capture.clone());
    let _guard = tracing::subscriber::set_default(subscriber);

    let emulator = Emulator::start_default().await.unwrap();
    let (builder, _) = common::client_builder(&emulator, MercuryPlugin::default());
    let webex = builder
        .configure(move |c| c.logger.level = level)
        .build()
        .await
        .unwrap();
    webex.mercury().connect().await.unwrap();
    webex.mercury().disconnect().await;
    (webex, capture.events())
}

#[tokio::test]
async fn env_filter_selects_mercury_by_crate_and_the_history_keeps_every_crate() {
    let (webex, events) = connect_under("webex_mercury=debug", LogLevel::Debug).await;

    assert!(
        events.iter().any(|e| e.target == "webex_mercury::driver"
            && e.level == Level::DEBUG
            && e.message.contains("Connected")),
        "Mercury's debug records pass the filter: {events:#?}"
    );
    assert!(
        events.iter().any(|e| e.target == "webex_mercury::driver"
            && e.level == Level::INFO
            && e.message.contains("mercury connecting to")),
        "{events:#?}"
    );
    assert!(
        events.iter().all(|e| e.target.starts_with("webex_mercury")),
        "nothing but Mercury's records passes the filter: {events:#?}"
    );

    let history = webex.logger().history().records();
    let from = |target: &'static str| history.iter().filter(move |r| r.target == target);
    assert!(
        from("webex_mercury::driver").any(|r| r.message.contains("Connected")),
        "{history:#?}"
    );
    assert!(
        from("webex_core::http::layers::logging")
            .any(|r| r.level == LogLevel::Debug && r.message.contains("/devices")),
        "the core's HTTP records are kept although the filter drops them: {history:#?}"
    );
    assert!(
        // The devices crate's records, from whichever of its modules.
        history
            .iter()
            .any(|r| r.target.starts_with("webex_devices")
                && r.message.starts_with("device registered")),
        "{history:#?}"
    );
}

#[tokio::test]
async fn the_filter_and_the_history_level_are_independent() {
    // The default history level (`error`) keeps none of these records, yet the subscriber,
    // which asked for Mercury's debug records, gets them.
    let (webex, events) = connect_under("webex_mercury=debug", LogLevel::Error).await;
    assert!(
        events
            .iter()
            .any(|e| e.target == "webex_mercury::driver" && e.level == Level::DEBUG),
        "{events:#?}"
    );
    assert!(webex.logger().history().is_empty());

    // And the other way round: a subscriber that wants nothing from the SDK leaves the
    // history as full as its level says.
    let (webex, events) = connect_under("webex_emulator=trace", LogLevel::Debug).await;
    assert!(
        events
            .iter()
            .all(|e| !e.target.starts_with("webex_") || e.target.starts_with("webex_emulator")),
        "{events:#?}"
    );
    assert!(
        webex
            .logger()
            .history()
            .records()
            .iter()
            .any(|r| r.target == "webex_mercury::driver")
    );
}
