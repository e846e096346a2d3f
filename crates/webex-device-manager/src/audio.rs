//! The paired device's audio: read and put its state (put again every 10 minutes by the
//! reporter while paired, and after every change), mute, unmute and the volume actions.

use http::Method;
use serde_json::{Value, json};
use webex_core::http::Request;
use webex_core::{Error, ErrorKind};

use crate::error::{DeviceManagerError, Result};
use crate::manager::{DeviceManager, absolute, join};
use crate::model::{AudioState, Space};

impl DeviceManager {
    /// The paired device's audio (`GET {space url}/audio`).
    ///
    /// # Errors
    /// [`DeviceManagerError::NotPaired`]; HTTP errors.
    pub async fn audio_state(&self) -> Result<AudioState> {
        parse_audio(self.paired_call(Method::GET, "audio", None).await?)
    }

    /// Reports `audio` for `space` (`PUT {space url}/audio`, with this
    /// client's `deviceUrl`). The manager does this itself every 10 minutes
    /// while paired and after every change it makes.
    ///
    /// # Errors
    /// HTTP errors.
    pub async fn put_audio_state(&self, space: &Space, audio: &AudioState) -> Result<AudioState> {
        let mut body = serde_json::to_value(audio).map_err(|error| {
            Error::new(
                ErrorKind::Config,
                format!("cannot encode the audio state: {error}"),
            )
        })?;
        body["deviceUrl"] = Value::from(self.device_url().await?);
        let target = join(&absolute(&space.url)?, "audio");
        let response = self
            .webex
            .http()
            .send(Request::put(target).json(&body)?)
            .await?;
        if response.body().is_empty() {
            return Ok(audio.clone());
        }
        Ok(response.json()?)
    }

    /// Runs an audio action and reports the new state.
    async fn audio_action(&self, action: &str, body: Option<Value>) -> Result<AudioState> {
        let value = self
            .paired_call(Method::POST, action, body.as_ref())
            .await?;
        let audio = if value.is_null() {
            self.audio_state().await?
        } else {
            parse_audio(value)?
        };
        let shared = self.shared()?;
        shared.state().audio = Some(audio.clone());
        let space = self.paired_space(&shared)?;
        self.put_audio_state(&space, &audio).await
    }

    /// Mutes the paired device's microphones.
    ///
    /// # Errors
    /// [`DeviceManagerError::NotPaired`]; HTTP errors.
    pub async fn mute(&self) -> Result<AudioState> {
        self.audio_action("audio/microphones/actions/mute/invoke", None)
            .await
    }

    /// Unmutes the paired device's microphones.
    ///
    /// # Errors
    /// [`DeviceManagerError::NotPaired`]; HTTP errors.
    pub async fn unmute(&self) -> Result<AudioState> {
        self.audio_action("audio/microphones/actions/un-mute/invoke", None)
            .await
    }

    /// One volume step up (stops at the top).
    ///
    /// # Errors
    /// [`DeviceManagerError::NotPaired`]; HTTP errors.
    pub async fn increase_volume(&self) -> Result<AudioState> {
        self.audio_action("audio/volume/actions/increase/invoke", None)
            .await
    }

    /// One volume step down (stops at the bottom).
    ///
    /// # Errors
    /// [`DeviceManagerError::NotPaired`]; HTTP errors.
    pub async fn decrease_volume(&self) -> Result<AudioState> {
        self.audio_action("audio/volume/actions/decrease/invoke", None)
            .await
    }

    /// Sets the volume; the level is checked against the device's range
    /// first.
    ///
    /// # Errors
    /// [`DeviceManagerError::VolumeOutOfRange`] (nothing is sent);
    /// [`DeviceManagerError::NotPaired`]; HTTP errors.
    pub async fn set_volume(&self, level: i64) -> Result<AudioState> {
        let shared = self.shared()?;
        self.paired_space(&shared)?;
        let known = shared.state().audio.clone();
        let audio = match known {
            Some(audio) => audio,
            None => self.audio_state().await?,
        };
        let range = audio.volume.range();
        if !range.contains(&level) {
            return Err(DeviceManagerError::VolumeOutOfRange {
                level,
                min: *range.start(),
                max: *range.end(),
            });
        }
        self.audio_action(
            "audio/volume/actions/set/invoke",
            Some(json!({"level": level})),
        )
        .await
    }
}

/// An audio state answer.
fn parse_audio(value: Value) -> Result<AudioState> {
    serde_json::from_value(value).map_err(|error| {
        Error::new(
            ErrorKind::InvalidResponse,
            format!("the audio state does not parse: {error}"),
        )
        .into()
    })
}
