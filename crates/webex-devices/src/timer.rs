//! The refresh timer: one task per client that refreshes the device when it is due.
//!
//! The task holds a [`WeakWebex`] and the receiving end of a `watch` whose sender the plugin
//! keeps, so it never keeps the client alive: dropping the last `Webex` drops the plugin, the
//! channel closes and the task ends.

use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;
use webex_core::WeakWebex;

use crate::DevicesExt;

/// How long to wait before trying again after a refresh failed (network down, 5xx): well
/// within the JS SDK's margin of a quarter of the default `ttl`.
pub(crate) const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(30);

/// When the next refresh is due; `None` while there is no device with a `ttl`.
pub(crate) type Due = watch::Sender<Option<Instant>>;

/// Starts the task that refreshes the device of `webex` whenever `due` says so.
pub(crate) fn spawn(webex: WeakWebex, due: watch::Receiver<Option<Instant>>) {
    tokio::spawn(run(webex, due));
}

async fn run(webex: WeakWebex, mut due: watch::Receiver<Option<Instant>>) {
    loop {
        let at = *due.borrow_and_update();
        let fire = async {
            match at {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            changed = due.changed() => {
                if changed.is_err() {
                    return;
                }
                continue;
            }
            () = fire => {}
        }
        let Some(webex) = webex.upgrade() else { return };
        // A success schedules the next refresh itself; a failure tries again soon.
        if let Err(err) = webex.devices().refresh().await {
            webex_core::log_warn!(
                webex.logger(),
                "scheduled device refresh failed, retrying in {}s: {err}",
                RETRY_AFTER_FAILURE.as_secs()
            );
            if let Some(plugin) = webex.plugin::<crate::DevicesPlugin>() {
                plugin.schedule(Some(Instant::now() + RETRY_AFTER_FAILURE));
            }
        }
    }
}
