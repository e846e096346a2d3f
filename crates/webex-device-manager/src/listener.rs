//! Follows Mercury's `lyra.space_updated` (`{"spaceUrl"}`) for the devices
//! in the collection, as the JS SDK does: re-reads the space; one that no
//! longer counts this user as a verified occupant loses its pairing (the
//! paired one) or is upserted again. Beyond the JS SDK, a change of the
//! paired space also re-reads its audio, so apps see device-side changes.

use std::sync::Arc;

use futures::StreamExt;
use serde::Deserialize;
use webex_core::{WeakWebex, Webex};
use webex_mercury::MercuryExt;

use crate::event::{DeviceEvent, SPACE_UPDATED};
use crate::manager::DeviceManager;
use crate::model::Space;
use crate::state::Shared;

/// The `data` of `lyra.space_updated`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpaceUpdated {
    space_url: String,
}

/// Follows the events until the client is gone; each Mercury connection
/// ends its event stream, so the next connection is subscribed again.
pub(crate) async fn run(webex: WeakWebex, shared: Arc<Shared>) {
    loop {
        let (mut events, mut state) = {
            let Some(client) = webex.upgrade() else {
                return;
            };
            let Ok(state) = client.mercury().state() else {
                return;
            };
            (client.mercury().events(), state)
        };
        while let Some(event) = events.next().await {
            let Ok(event) = event else { continue };
            if event.event_type() != SPACE_UPDATED {
                continue;
            }
            let parsed = event.envelope().data.parse::<SpaceUpdated>();
            let Some(client) = webex.upgrade() else {
                return;
            };
            match parsed {
                Ok(update) => handle(&client, &shared, &update.space_url).await,
                Err(error) => webex_core::log_warn!(
                    client.logger(),
                    "devicemanager: {SPACE_UPDATED} without a spaceUrl: {error}"
                ),
            }
        }
        if state.changed().await.is_err() {
            return;
        }
    }
}

/// One `lyra.space_updated` for `space_url`.
async fn handle(webex: &Webex, shared: &Shared, space_url: &str) {
    let id = space_url.rsplit('/').next().unwrap_or_default().to_owned();
    if !shared.state().collection.contains_key(&id) {
        return;
    }
    let manager = DeviceManager {
        webex: webex.clone(),
    };
    let space = match manager.space(&id).await {
        Ok(space) => space,
        Err(error) => {
            webex_core::log_warn!(
                webex.logger(),
                "devicemanager: cannot read updated space {id}: {error}"
            );
            return;
        }
    };
    if space.is_paired() {
        paired_space_changed(&manager, shared, space).await;
    } else {
        lost_pairing(&manager, shared, &space).await;
    }
}

/// A space this user is paired with changed.
async fn paired_space_changed(manager: &DeviceManager, shared: &Shared, space: Space) {
    let id = space.id().to_owned();
    let is_paired = shared.state().paired.as_ref().is_some_and(|p| p.id() == id);
    shared.emit(DeviceEvent::SpaceUpdated(space));
    if !is_paired {
        return;
    }
    match manager.audio_state().await {
        Ok(audio) => {
            let changed = {
                let mut state = shared.state();
                let changed = state.audio.as_ref() != Some(&audio);
                state.audio = Some(audio.clone());
                changed
            };
            if changed {
                shared.emit(DeviceEvent::AudioChanged { id, audio });
            }
        }
        Err(error) => webex_core::log_warn!(
            manager.webex.logger(),
            "devicemanager: cannot read the audio of space {id}: {error}"
        ),
    }
}

/// A known space no longer counts this user as paired.
async fn lost_pairing(manager: &DeviceManager, shared: &Shared, space: &Space) {
    let id = space.id().to_owned();
    let (was_paired, pending) = {
        let mut state = shared.state();
        if let Some(device) = state.collection.get_mut(&id) {
            device.product_name = Some(space.product_name().to_owned());
        }
        let was_paired = state.paired.as_ref().is_some_and(|p| p.id() == id);
        if was_paired {
            state.forget_paired();
        }
        let pending = state.pending.as_ref().is_some_and(|p| p.id() == id);
        (was_paired, pending)
    };
    if was_paired {
        shared.emit(DeviceEvent::PairingLost { id });
        return;
    }
    shared.emit(DeviceEvent::SpaceUpdated(space.clone()));
    if !pending && let Err(error) = manager.upsert(&id).await {
        webex_core::log_warn!(
            manager.webex.logger(),
            "devicemanager: cannot upsert space {id}: {error}"
        );
    }
}
