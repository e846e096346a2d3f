//! What the device manager tells an app about its devices, from Mercury's
//! `lyra.space_updated`.

use futures::Stream;
use futures::stream::unfold;
use tokio::sync::broadcast;

use crate::model::{AudioState, Space};

/// The Mercury event type the manager follows.
pub const SPACE_UPDATED: &str = "lyra.space_updated";

/// A change of a known device.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum DeviceEvent {
    /// A device in the collection changed; its space as re-read.
    SpaceUpdated(Space),
    /// The paired device is no longer paired with this user (unpaired on
    /// the device, or from another client).
    PairingLost {
        /// The space id.
        id: String,
    },
    /// The paired device's audio changed (e.g. its volume on the device).
    AudioChanged {
        /// The space id.
        id: String,
        /// The new state.
        audio: AudioState,
    },
    /// This stream fell behind and missed this many events.
    Missed(u64),
}

/// The events of `receiver` as a stream, ending when the manager is gone.
pub(crate) fn stream(
    receiver: broadcast::Receiver<DeviceEvent>,
) -> impl Stream<Item = DeviceEvent> {
    unfold(receiver, |mut receiver| async move {
        match receiver.recv().await {
            Ok(event) => Some((event, receiver)),
            Err(broadcast::error::RecvError::Lagged(missed)) => {
                Some((DeviceEvent::Missed(missed), receiver))
            }
            Err(broadcast::error::RecvError::Closed) => None,
        }
    })
}
