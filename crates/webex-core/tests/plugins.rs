//! The plugin lifecycle: dependency order, start/stop hooks, plugin groups, and the build
//! errors.

use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

use webex_core::{ErrorKind, Plugin, PluginGroup, PluginId, PluginSet, Result, Webex, async_trait};

type Journal = Arc<Mutex<Vec<String>>>;

/// Marker types: each makes `Recorder<K>` a plugin type of its own, so plugins can depend on
/// each other by type.
struct Auth;
struct Devices;
struct Mercury;
struct A;
struct B;
struct First;

struct Recorder<K> {
    name: &'static str,
    deps: Vec<PluginId>,
    journal: Journal,
    kind: PhantomData<fn() -> K>,
}

impl<K: 'static> Recorder<K> {
    fn new(name: &'static str, deps: Vec<PluginId>, journal: &Journal) -> Self {
        Self {
            name,
            deps,
            journal: journal.clone(),
            kind: PhantomData,
        }
    }

    fn note(&self, what: &str) {
        self.journal
            .lock()
            .unwrap()
            .push(format!("{what} {}", self.name));
    }
}

/// The id of `Recorder<K>`.
fn id<K: 'static>() -> PluginId {
    PluginId::of::<Recorder<K>>()
}

#[async_trait]
impl<K: 'static> Plugin for Recorder<K> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn dependencies(&self) -> Vec<PluginId> {
        self.deps.clone()
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
        .plugin(Recorder::<Mercury>::new(
            "mercury",
            vec![id::<Devices>()],
            &journal,
        ))
        .plugin(Recorder::<Devices>::new(
            "devices",
            vec![id::<Auth>()],
            &journal,
        ))
        .plugin(Recorder::<Auth>::new("auth", vec![], &journal))
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
        .plugin(Recorder::<A>::new("x", vec![], &journal))
        .build()
        .await
        .unwrap();
    assert_eq!(webex.plugin::<Recorder<A>>().map(|p| p.name), Some("x"));
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
        .plugin(Recorder::<Mercury>::new(
            "mercury",
            vec![id::<Devices>()],
            &journal,
        ))
        .build()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissingDependency);
    let expected = format!(
        "`mercury` ({}) depends on {}",
        std::any::type_name::<Recorder<Mercury>>(),
        std::any::type_name::<Recorder<Devices>>()
    );
    assert!(err.message().contains(&expected), "{err}");
    assert!(journal.lock().unwrap().is_empty(), "nothing built");
}

#[tokio::test]
async fn cycle_is_an_error() {
    let journal = Journal::default();
    let err = Webex::builder()
        .without_catalog()
        .plugin(Recorder::<A>::new("a", vec![id::<B>()], &journal))
        .plugin(Recorder::<B>::new("b", vec![id::<A>()], &journal))
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
        .plugin(Recorder::<A>::new("a", vec![], &journal))
        .plugin(Recorder::<B>::new("a", vec![], &journal))
        .build()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DuplicatePlugin);
    assert!(err.message().contains("`a`"), "{err}");
}

#[tokio::test]
async fn same_plugin_type_twice_is_an_error_naming_the_fix() {
    let journal = Journal::default();
    let err = Webex::builder()
        .without_catalog()
        .plugin(Recorder::<A>::new("a", vec![], &journal))
        .plugin(Recorder::<A>::new("a", vec![], &journal))
        .build()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DuplicatePlugin);
    assert!(err.message().contains("was added twice"), "{err}");
    assert!(err.message().contains(".set(plugin)"), "{err}");
    assert!(journal.lock().unwrap().is_empty(), "nothing built");
}

/// A group of three, as a facade's default set would be.
struct Trio(Journal);

impl PluginGroup for Trio {
    fn into_set(self) -> PluginSet {
        PluginSet::new()
            .with(Recorder::<Auth>::new("auth", vec![], &self.0))
            .with(Recorder::<Devices>::new(
                "devices",
                vec![id::<Auth>()],
                &self.0,
            ))
            .with(Recorder::<Mercury>::new(
                "mercury",
                vec![id::<Devices>()],
                &self.0,
            ))
    }
}

#[tokio::test]
async fn a_group_member_is_replaced_in_place_by_set() {
    let journal = Journal::default();
    let webex = Webex::builder()
        .without_catalog()
        .plugins(Trio(journal.clone()).set(Recorder::<Devices>::new(
            "configured-devices",
            vec![id::<Auth>()],
            &journal,
        )))
        .build()
        .await
        .unwrap();
    assert_eq!(
        webex.plugin_names(),
        ["auth", "configured-devices", "mercury"]
    );
}

#[tokio::test]
async fn a_disabled_group_member_is_left_out() {
    let journal = Journal::default();
    let webex = Webex::builder()
        .without_catalog()
        .plugins(Trio(journal.clone()).disable::<Recorder<Mercury>>())
        .build()
        .await
        .unwrap();
    assert_eq!(webex.plugin_names(), ["auth", "devices"]);
    assert!(webex.plugin::<Recorder<Mercury>>().is_none());

    // Leaving out what others need is a build error naming both.
    let err = Webex::builder()
        .without_catalog()
        .plugins(Trio(journal).disable::<Recorder<Auth>>())
        .build()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissingDependency);
    assert!(err.message().contains("`devices`"), "{err}");
}

struct FailsToStart;

#[async_trait]
impl Plugin for FailsToStart {
    fn name(&self) -> &'static str {
        "fails"
    }
    fn dependencies(&self) -> Vec<PluginId> {
        vec![id::<First>()]
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
        .plugin(Recorder::<First>::new("first", vec![], &journal))
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
