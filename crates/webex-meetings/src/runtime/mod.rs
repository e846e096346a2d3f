//! The per-meeting driver: a [`LocusRuntime`] handle, and one task per meeting that runs the
//! sync fetches and the sync timer and hands events to the meeting's streams.
//!
//! Inputs (`apply_*`) are applied at once under a lock, so the view and the sequence a caller
//! reads right after are current; the task does only what waits: HTTP, the timer, and the
//! hand-off to streams (with backpressure, see [`subscribers`]).

mod core;
mod driver;
mod subscribers;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use futures::Stream;
use tokio::sync::{Notify, mpsc, watch};
use webex_core::Webex;

use self::core::MeetingCore;
use self::subscribers::Item;
use crate::events::{MeetingEvent, MeetingEventError};
use crate::locus::{Locus, LocusError, Sequence};
use crate::view::{FsmError, FsmState, FsmTransition, MeetingView};

/// How many events each stream holds before the driver waits for it.
pub(crate) const STREAM_CAPACITY: usize = 256;
/// How long an event waits in all for room in full streams before they miss it.
pub(crate) const HANDOFF_TIMEOUT: Duration = Duration::from_secs(5);

/// What `wait_for` watches.
#[derive(Clone, Default)]
struct Published {
    view: Option<Arc<MeetingView>>,
    lost: Option<String>,
    closed: bool,
}

/// What the handle and the task share.
struct Shared {
    core: Mutex<MeetingCore>,
    published: watch::Sender<Published>,
    /// Wakes the task: new events, a fetch, a new timer, a new stream, or close.
    wake: Notify,
    new_streams: Mutex<Vec<mpsc::Sender<Item>>>,
}

impl Shared {
    fn core(&self) -> MutexGuard<'_, MeetingCore> {
        self.core.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` on the core, then publishes the view and wakes the task.
    fn update<R>(&self, f: impl FnOnce(&mut MeetingCore) -> R) -> R {
        let mut core = self.core();
        let result = f(&mut core);
        let view = core.view().cloned();
        let lost = core.lost().map(str::to_owned);
        drop(core);
        self.published.send_if_modified(|p| {
            let changed = !same_view(&p.view, &view) || p.lost != lost;
            p.view = view;
            p.lost = lost;
            changed
        });
        self.wake.notify_one();
        result
    }

    fn close(&self) {
        self.published.send_modify(|p| p.closed = true);
        self.wake.notify_one();
    }
}

fn same_view(a: &Option<Arc<MeetingView>>, b: &Option<Arc<MeetingView>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// Closes the meeting's task when the last handle is dropped.
struct CloseOnDrop(Arc<Shared>);

impl Drop for CloseOnDrop {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// One meeting's Locus runtime (a cheap `Clone` handle; the task ends when the last handle is
/// dropped or on [`close`](Self::close)).
#[derive(Clone)]
pub(crate) struct LocusRuntime {
    shared: Arc<Shared>,
    _owner: Arc<CloseOnDrop>,
}

impl std::fmt::Debug for LocusRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let core = self.shared.core();
        f.debug_struct("LocusRuntime")
            .field("locus_url", &core.view().map(|v| v.locus_url.clone()))
            .field("sequence", &core.sequence())
            .field("status", &core.sync().status())
            .finish()
    }
}

impl LocusRuntime {
    /// Starts a meeting's task. `device_url` is this client's device (to find it in
    /// `self.devices[]`); sync fetches go through `webex`'s HTTP client.
    pub(crate) fn spawn(webex: &Webex, device_url: String) -> LocusRuntime {
        let (published, _) = watch::channel(Published::default());
        let shared = Arc::new(Shared {
            core: Mutex::new(MeetingCore::new(device_url, fastrand::u64(..))),
            published,
            wake: Notify::new(),
            new_streams: Mutex::default(),
        });
        tokio::spawn(driver::drive(shared.clone(), webex.downgrade()));
        LocusRuntime {
            _owner: Arc::new(CloseOnDrop(shared.clone())),
            shared,
        }
    }

    /// A full DTO from an HTTP answer (join, `GET {locusUrl}`): applied if newer.
    pub(crate) fn apply_full(&self, locus: Locus) {
        let now = now();
        self.shared.update(|core| core.apply_full(locus, now));
    }

    /// The `locus` of a [Δ] request's answer: queued as a delta.
    pub(crate) fn apply_delta(&self, locus: Locus) {
        let now = now();
        self.shared.update(|core| core.apply_delta(locus, now));
    }

    /// A Mercury `locus.*` event's locus: full or delta by its event type.
    pub(crate) fn apply_mercury(&self, event_type: &str, locus: Locus) {
        let now = now();
        self.shared
            .update(|core| core.apply_mercury(event_type, locus, now));
    }

    /// A Locus DTO that could not be read: reported to the streams as
    /// [`MeetingEventError::Malformed`].
    pub(crate) fn report_malformed(&self, error: LocusError) {
        self.shared.update(|core| {
            core.report(MeetingEventError::Malformed {
                reason: error.to_string(),
            });
        });
    }

    /// Publishes an event that does not come from Locus (a reaction from the relay).
    pub(crate) fn publish(&self, event: MeetingEvent) {
        self.shared.update(|core| core.publish(event));
    }

    /// Moves the meeting state machine; the view shows the new state.
    pub(crate) fn transition(&self, transition: FsmTransition) -> Result<FsmState, FsmError> {
        self.shared.update(|core| core.transition(transition))
    }

    /// The sequence to copy into [Δ] request bodies; `None` before the first DTO.
    pub(crate) fn sequence(&self) -> Option<Sequence> {
        self.shared.core().sequence().cloned()
    }

    /// The merged state as the client sees it; `None` before the first DTO.
    pub(crate) fn view(&self) -> Option<Arc<MeetingView>> {
        self.shared.core().view().cloned()
    }

    /// Waits until the view satisfies `pred`. Fails when the sync is lost or the runtime is
    /// closed first.
    pub(crate) async fn wait_for(
        &self,
        pred: impl Fn(&MeetingView) -> bool,
    ) -> Result<Arc<MeetingView>, MeetingEventError> {
        let mut published = self.shared.published.subscribe();
        let seen = published
            .wait_for(|p| p.closed || p.lost.is_some() || p.view.as_deref().is_some_and(&pred))
            .await
            .map_err(|_| MeetingEventError::Closed)?;
        if let Some(view) = seen.view.as_ref().filter(|v| pred(v)) {
            return Ok(view.clone());
        }
        match &seen.lost {
            Some(reason) => Err(MeetingEventError::SyncFailed {
                reason: reason.clone(),
            }),
            None => Err(MeetingEventError::Closed),
        }
    }

    /// The meeting's events from now on, each stream with its own queue.
    pub(crate) fn events(&self) -> impl Stream<Item = Item> + Send + 'static {
        let (sender, receiver) = mpsc::channel(STREAM_CAPACITY);
        self.shared
            .new_streams
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(sender);
        self.shared.wake.notify_one();
        futures::stream::unfold(receiver, |mut receiver| async move {
            receiver.recv().await.map(|item| (item, receiver))
        })
    }

    /// Stops the task: streams end after what they hold; `wait_for` fails.
    pub(crate) fn close(&self) {
        self.shared.close();
    }
}

/// Now, on tokio's clock (paused in tests).
fn now() -> std::time::Instant {
    tokio::time::Instant::now().into_std()
}

#[cfg(test)]
mod emulator_tests;
#[cfg(test)]
mod tests;
