//! The plugin lifecycle: dependency order, start/stop hooks, and the three build errors.

use std::sync::{Arc, Mutex};

use webex_core::{ErrorKind, Plugin, Result, Webex, async_trait};

type Journal = Arc<Mutex<Vec<String>>>;

struct Recorder {
    name: &'static str,
    deps: Vec<&'static str>,
    journal: Journal,
}

impl Recorder {
    fn new(name: &'static str, deps: &[&'static str], journal: &Journal) -> Self {
        Self {
            name,
            deps: deps.to_vec(),
            journal: journal.clone(),
        }
    }

    fn note(&self, what: &str) {
        self.journal
            .lock()
            .unwrap()
            .push(format!("{what} {}", self.name));
    }
}

#[async_trait]
impl Plugin for Recorder {
    fn name(&self) -> &'static str {
        self.name
    }

    fn dependencies(&self) -> &[&'static str] {
        &self.deps
    }

    fn build(&mut self, _ctx: &mut webex_core::BuildContext<'_>) -> Result<()> {
        self.note("build");
        Ok(())
    }

    async fn start(&self, _webex: &Webex) -> Result<()> {
        self.note("start");
        Ok(())
    }

    async fn stop(&self, _webex: &Webex) -> Result<()> {
        self.note("stop");
        Ok(())
    }
}

#[tokio::test]
async fn plugins_build_and_start_in_dependency_order_and_stop_in_reverse() {
    let journal = Journal::default();
    let webex = Webex::builder()
        .without_catalog()
        .plugin(Recorder::new("mercury", &["devices"], &journal))
        .plugin(Recorder::new("devices", &["auth"], &journal))
        .plugin(Recorder::new("auth", &[], &journal))
        .build()
        .await
        .unwrap();
    assert_eq!(webex.plugin_names(), ["auth", "devices", "mercury"]);
    webex.shutdown().await.unwrap();
    webex.shutdown().await.unwrap(); // a second shutdown does nothing
    let journal = journal.lock().unwrap().clone();
    assert_eq!(
        journal,
        [
            "build auth",
            "build devices",
            "build mercury",
            "start auth",
            "start devices",
            "start mercury",
            "stop mercury",
            "stop devices",
            "stop auth",
        ]
    );
}

#[tokio::test]
async fn plugin_is_reachable_by_type() {
    let journal = Journal::default();
    let webex = Webex::builder()
        .without_catalog()
        .plugin(Recorder::new("x", &[], &journal))
        .build()
        .await
        .unwrap();
    assert_eq!(webex.plugin::<Recorder>().map(|p| p.name), Some("x"));
    #[derive(Debug)]
    struct Absent;
    #[async_trait]
    impl Plugin for Absent {
        fn name(&self) -> &'static str {
            "absent"
        }
    }
    assert!(webex.plugin::<Absent>().is_none());
}

#[tokio::test]
async fn missing_dependency_is_an_error() {
    let journal = Journal::default();
    let err = Webex::builder()
        .without_catalog()
        .plugin(Recorder::new("mercury", &["devices"], &journal))
        .build()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissingDependency);
    assert!(
        err.message().contains("`mercury` depends on `devices`"),
        "{err}"
    );
    assert!(journal.lock().unwrap().is_empty(), "nothing built");
}

#[tokio::test]
async fn cycle_is_an_error() {
    let journal = Journal::default();
    let err = Webex::builder()
        .without_catalog()
        .plugin(Recorder::new("a", &["b"], &journal))
        .plugin(Recorder::new("b", &["a"], &journal))
        .build()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DependencyCycle);
    assert!(err.message().contains("a -> b -> a"), "{err}");
}

#[tokio::test]
async fn duplicate_is_an_error() {
    let journal = Journal::default();
    let err = Webex::builder()
        .without_catalog()
        .plugin(Recorder::new("a", &[], &journal))
        .plugin(Recorder::new("a", &[], &journal))
        .build()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DuplicatePlugin);
    assert!(err.message().contains("`a`"), "{err}");
}

struct FailsToStart;

#[async_trait]
impl Plugin for FailsToStart {
    fn name(&self) -> &'static str {
        "fails"
    }
    fn dependencies(&self) -> &[&'static str] {
        &["first"]
    }
    async fn start(&self, _webex: &Webex) -> Result<()> {
        Err(webex_core::Error::new(ErrorKind::InvalidInput, "no thanks"))
    }
}

#[tokio::test]
async fn failed_start_stops_what_started() {
    let journal = Journal::default();
    let err = Webex::builder()
        .without_catalog()
        .plugin(FailsToStart)
        .plugin(Recorder::new("first", &[], &journal))
        .build()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Plugin);
    assert!(
        err.message().contains("`fails` failed to start: no thanks"),
        "{err}"
    );
    assert_eq!(
        *journal.lock().unwrap(),
        ["build first", "start first", "stop first"]
    );
}

static_assertions::assert_impl_all!(Webex: Clone, Send, Sync);
