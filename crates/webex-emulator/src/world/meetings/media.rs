//! What a device's `/media` requests and its media session change: its
//! local mute state, which the participant's media status shows, and the
//! media sessions its device shows (the answered m-lines, active once
//! media flows).

use uuid::Uuid;

use super::Notice;
use super::errors::{self, forbidden};
use super::moderation::live;
use crate::bus::LocusChange;
use crate::kit::error::ApiError;
use crate::kit::media::{MediaSessionKey, NegotiatedLine};
use crate::world::Data;
use crate::world::meetings::participant::ParticipantDevice;

/// A device's local media state, from a `localSdp`.
#[derive(Clone, Debug)]
pub(crate) struct LocalMedia {
    /// The device (`device.url`).
    pub(crate) device_url: String,
    /// `audioMuted`.
    pub(crate) audio_muted: bool,
    /// `videoMuted`.
    pub(crate) video_muted: bool,
}

impl Data {
    /// Records `media` for `participant`'s device; `Ok(false)` when nothing
    /// changed (the sequence then stays).
    ///
    /// # Errors
    ///
    /// 403 unless `participant` is `person`'s; 404 for an unknown
    /// participant or a device it did not join with; 409 once the meeting
    /// ended.
    pub(crate) fn update_local_media(
        &mut self,
        locus_id: Uuid,
        person: Uuid,
        participant: Uuid,
        media: &LocalMedia,
    ) -> Result<bool, ApiError> {
        let locus = self
            .meetings
            .locus(locus_id)
            .ok_or_else(errors::locus_not_found)?;
        let found = locus
            .participant(participant)
            .ok_or_else(errors::participant_not_found)?;
        if found.person != person {
            return Err(forbidden(
                errors::NOT_YOURSELF,
                "This is not your participant.",
            ));
        }
        let device = found
            .devices
            .iter()
            .find(|d| d.url == media.device_url && !d.left)
            .ok_or_else(|| errors::bad_request("The device did not join this meeting."))?;
        let unchanged =
            device.audio_muted == media.audio_muted && device.video_muted == media.video_muted;
        if unchanged {
            return Ok(false);
        }
        self.change_locus(locus_id, LocusChange::ParticipantUpdated, |locus, seq| {
            live(locus)?;
            let p = locus
                .participant_mut(participant)
                .ok_or_else(errors::participant_not_found)?;
            if let Some(device) = p.device_mut(&media.device_url) {
                device.audio_muted = media.audio_muted;
                device.video_muted = media.video_muted;
            }
            p.changed_at = seq;
            Ok((true, Notice::default()))
        })
    }
}

impl Data {
    /// Records the m-lines the media server answered for `key`'s device.
    /// Nothing changes (and the sequence stays) when they are the same.
    ///
    /// # Errors
    ///
    /// 404 for an unknown locus, participant or device; 409 once the
    /// meeting ended.
    pub(crate) fn record_media_answer(
        &mut self,
        key: &MediaSessionKey,
        lines: Vec<NegotiatedLine>,
    ) -> Result<bool, ApiError> {
        self.change_media(key, |device| {
            if device.media_lines == lines {
                return false;
            }
            device.media_lines = lines;
            true
        })
    }

    /// Media reached the media server on `key`'s session: its media
    /// sessions show as active from now on.
    ///
    /// # Errors
    ///
    /// As [`Data::record_media_answer`].
    pub(crate) fn media_flowing(&mut self, key: &MediaSessionKey) -> Result<bool, ApiError> {
        self.change_media(key, |device| {
            !std::mem::replace(&mut device.media_flowing, true)
        })
    }

    /// The device's media session ended (transport reset): no media
    /// sessions until the next answer and media.
    ///
    /// # Errors
    ///
    /// As [`Data::record_media_answer`].
    pub(crate) fn reset_media(&mut self, key: &MediaSessionKey) -> Result<bool, ApiError> {
        self.change_media(key, |device| {
            let had = device.media_flowing || !device.media_lines.is_empty();
            device.media_flowing = false;
            device.media_lines.clear();
            had
        })
    }

    /// Applies `apply` to `key`'s (joined) device; a new sequence only when
    /// it says something changed.
    fn change_media(
        &mut self,
        key: &MediaSessionKey,
        apply: impl FnOnce(&mut ParticipantDevice) -> bool,
    ) -> Result<bool, ApiError> {
        let locus = self
            .meetings
            .locus(key.locus)
            .ok_or_else(errors::locus_not_found)?;
        let mut device = locus
            .participant(key.participant)
            .and_then(|p| {
                p.devices
                    .iter()
                    .find(|d| d.url == key.device_url && !d.left)
            })
            .ok_or_else(errors::participant_not_found)?
            .clone();
        if !apply(&mut device) {
            return Ok(false);
        }
        self.change_locus(key.locus, LocusChange::ParticipantUpdated, |locus, seq| {
            live(locus)?;
            let p = locus
                .participant_mut(key.participant)
                .ok_or_else(errors::participant_not_found)?;
            if let Some(slot) = p.device_mut(&key.device_url) {
                *slot = device;
            }
            p.changed_at = seq;
            Ok((true, Notice::default()))
        })
    }
}
