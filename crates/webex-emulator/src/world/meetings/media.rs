//! What a device's `/media` requests change: its local mute state, which
//! the participant's media status shows.

use uuid::Uuid;

use super::Notice;
use super::errors::{self, forbidden};
use super::moderation::live;
use crate::bus::LocusChange;
use crate::kit::error::ApiError;
use crate::world::Data;

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
