//! The device remote (`examples/device-remote`): find a room device by name, pair with the
//! PIN it shows, apply what was asked (bind a room, mute or unmute, set the volume), print
//! the device's state, then print each change made on the device until told to stop.

use std::future::Future;

use futures::StreamExt;
use webex::device_manager::{AudioState, DeviceEvent, DeviceManagerError};
use webex::prelude::*;

/// What the command line asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Remote {
    /// The device's name (any case).
    pub name: String,
    /// The PIN the device shows.
    pub pin: String,
    /// A room (Hydra id) to show on the device.
    pub bind: Option<String>,
    /// Mute (`Some(true)`) or unmute (`Some(false)`) the microphones.
    pub mute: Option<bool>,
    /// The volume to set.
    pub volume: Option<i64>,
}

/// The paired device: its id and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paired {
    /// The space id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// One line about an audio state.
#[must_use]
pub fn describe(audio: &AudioState) -> String {
    let range = audio.volume.range();
    format!(
        "volume {} ({}..={}), microphones {}",
        audio.volume.level,
        range.start(),
        range.end(),
        if audio.microphones.muted {
            "muted"
        } else {
            "on"
        }
    )
}

/// Finds the device, requests a PIN, pairs with `remote.pin` (or, when `shown_pin` knows the
/// PIN the device shows, with that: the embedded emulator's case), applies the options and
/// returns the device and its state.
///
/// # Errors
/// The device manager's typed errors: an unknown device, a wrong PIN, a volume out of range.
pub async fn pair_and_apply(
    webex: &Webex,
    remote: &Remote,
    shown_pin: impl FnOnce(&str) -> Option<String>,
) -> Result<(Paired, AudioState), DeviceManagerError> {
    let manager = webex.device_manager();
    let found = manager.find_by_name(&remote.name).await?;
    manager.request_pin(&found.id, None).await?;
    let pin = shown_pin(&found.id).unwrap_or_else(|| remote.pin.clone());
    manager.pair(&pin).await?;
    if let Some(room) = &remote.bind {
        manager.bind_room(room).await?;
    }
    let mut audio = manager.audio_state().await?;
    match remote.mute {
        Some(true) => audio = manager.mute().await?,
        Some(false) => audio = manager.unmute().await?,
        None => {}
    }
    if let Some(level) = remote.volume {
        audio = manager.set_volume(level).await?;
    }
    let paired = Paired {
        id: found.id,
        name: found.display_name,
    };
    Ok((paired, audio))
}

/// Why [`follow`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowEnd {
    /// `stop` completed (Ctrl-C).
    Stopped,
    /// The device is no longer paired.
    PairingLost,
    /// The client is gone.
    Closed,
}

/// Prints (`print`) each change of the paired device until `stop` completes or the pairing
/// ends.
///
/// # Errors
/// Without the device manager plugin.
pub async fn follow(
    webex: &Webex,
    stop: impl Future<Output = ()>,
    mut print: impl FnMut(String),
) -> Result<FollowEnd, DeviceManagerError> {
    let mut events = Box::pin(webex.device_manager().events()?);
    let mut stop = std::pin::pin!(stop);
    loop {
        let event = tokio::select! {
            () = &mut stop => return Ok(FollowEnd::Stopped),
            event = events.next() => event,
        };
        match event {
            None => return Ok(FollowEnd::Closed),
            Some(DeviceEvent::AudioChanged { audio, .. }) => print(describe(&audio)),
            Some(DeviceEvent::PairingLost { .. }) => {
                print("pairing lost".to_owned());
                return Ok(FollowEnd::PairingLost);
            }
            Some(DeviceEvent::Missed(count)) => print(format!("({count} updates missed)")),
            Some(_) => {}
        }
    }
}
