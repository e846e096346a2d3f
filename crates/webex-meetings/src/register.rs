//! `register()` / `unregister()`: the device, Mercury, reachability and who the user is, then
//! the routing of Locus events to meetings.

use std::sync::Arc;

use serde::Deserialize;
use webex_core::http::{Request, Target};
use webex_devices::DevicesExt;
use webex_mercury::{ConnectionState, MercuryExt};

use crate::destination::hydra_id;
use crate::error::{MeetingError, Result};
use crate::ext::Meetings;
use crate::meetings_events::{MeetingsEvent, RemovedReason};
use crate::plugin::Registration;
use crate::routing;

/// What the SDK reads of `people/me`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Me {
    #[serde(default)]
    org_id: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
}

impl Meetings {
    /// Registers this client for meetings: the device (WDM), the Mercury connection, the
    /// reachability test (its results are ready after at most three seconds; failures are
    /// logged, never fatal, as in the JS SDK) and `people/me` (a failure is logged: JS SDK
    /// 3.12.0 tolerates a 404). Then Locus events start reaching meetings. Resolves at once
    /// when already registered.
    ///
    /// # Errors
    /// The device registration's error ([`MeetingError::Http`]) or the Mercury connection's
    /// ([`MeetingError::Mercury`]).
    pub async fn register(&self) -> Result<()> {
        let shared = self.shared()?.clone();
        let _guard = shared.register_lock.lock().await;
        if shared.registration().is_some() {
            return Ok(());
        }
        let webex = &self.webex;
        // Subscribe before connecting so no Locus event is missed.
        let events = webex.mercury().events();
        let device = async {
            let device = webex.devices().ensure_registered().await?;
            webex.mercury().connect().await?;
            Ok::<_, MeetingError>(device)
        };
        let me = async {
            let req = Request::get(Target::service("hydra", "people/me"));
            match webex.http().json::<Me>(req).await {
                Ok(me) => Some(me),
                Err(err) => {
                    webex_core::log_warn!(webex.logger(), "meetings: people/me failed: {err}");
                    None
                }
            }
        };
        let reachability = async {
            if let Err(err) = shared.reachability.gather(webex, "startup").await {
                webex_core::log_warn!(webex.logger(), "meetings: reachability failed: {err}");
            }
        };
        let (device, me, ()) = tokio::join!(device, me, reachability);
        let device = device?;
        let org_id = me
            .as_ref()
            .and_then(|m| m.org_id.as_deref())
            .map(|id| hydra_id(id).map_or_else(|| id.to_owned(), |(_, uuid)| uuid));
        let is_guest = me.as_ref().and_then(|m| m.kind.as_deref()) == Some("appuser");
        let device_url = device.url.to_string();
        let router = tokio::spawn(routing::route(
            webex.downgrade(),
            shared.clone(),
            device_url.clone(),
            events,
        ));
        let mut tasks = vec![router];
        if let Ok(state) = webex.mercury().state() {
            tasks.push(tokio::spawn(sync_on_reconnect(webex.downgrade(), state)));
        }
        shared.set_registration(Some(Registration {
            device_url,
            user_id: device.user_id.clone(),
            org_id,
            is_guest,
            tasks: Arc::new(tasks),
        }));
        shared.emit(MeetingsEvent::Registered);
        Ok(())
    }

    /// Stops routing Locus events, disconnects Mercury and deletes the device; every meeting
    /// is closed and removed (nothing is sent to Locus: leave first to leave). Does nothing
    /// when not registered.
    ///
    /// # Errors
    /// The device deletion's error.
    pub async fn unregister(&self) -> Result<()> {
        let shared = self.shared()?.clone();
        let _guard = shared.register_lock.lock().await;
        let Some(registration) = shared.set_registration(None) else {
            return Ok(());
        };
        registration
            .tasks
            .iter()
            .for_each(tokio::task::JoinHandle::abort);
        for meeting in shared.collection.clear() {
            meeting.close();
            shared.emit(MeetingsEvent::Removed {
                meeting_id: meeting.id().to_owned(),
                reason: RemovedReason::Unregistered,
            });
        }
        self.webex.mercury().disconnect().await;
        self.webex.devices().unregister().await?;
        shared.emit(MeetingsEvent::Unregistered);
        Ok(())
    }
}

/// After a Mercury reconnect, syncs the meetings with Locus (`online` in the JS SDK, which
/// keeps meetings without a Locus).
async fn sync_on_reconnect(
    webex: webex_core::WeakWebex,
    mut state: tokio::sync::watch::Receiver<ConnectionState>,
) {
    let mut was_down = false;
    while state.changed().await.is_ok() {
        let connected = matches!(*state.borrow_and_update(), ConnectionState::Connected);
        if !connected {
            was_down = true;
            continue;
        }
        if !std::mem::take(&mut was_down) {
            continue;
        }
        let Some(webex) = webex.upgrade() else { return };
        let meetings = crate::MeetingsExt::meetings(&webex);
        if let Err(err) = meetings.sync(false).await {
            webex_core::log_warn!(
                webex.logger(),
                "meetings: sync after reconnect failed: {err}"
            );
        }
    }
}
