//! The floor of a media share: granting it to a participant and
//! releasing it.

use std::time::SystemTime;

use uuid::Uuid;

use super::Notice;
use super::controls::SHARE_ANYONE;
use super::errors::{self, forbidden};
use super::locus::{Floor, ShareKind};
use super::moderation::live;
use super::participant::ParticipantState;
use crate::bus::LocusChange;
use crate::kit::error::ApiError;
use crate::world::Data;

/// A floor request.
#[derive(Clone, Debug)]
pub(crate) struct FloorGrant {
    /// The participant to share (from `beneficiary.url`).
    pub(crate) beneficiary: Uuid,
    /// Their device (`beneficiary.devices[0].url`).
    pub(crate) device_url: String,
    /// `shareInstanceId`.
    pub(crate) share_instance: String,
    /// `resourceUrl` (a whiteboard).
    pub(crate) resource_url: Option<String>,
}

impl Data {
    /// Grants share `kind`'s floor, taking it from whoever held it.
    ///
    /// # Errors
    ///
    /// 403 unless `actor` is in the meeting, shares for themselves (or
    /// moderates), and sharing is open to them; 404 for an unknown
    /// beneficiary; 409 once the meeting ended.
    pub(crate) fn grant_floor(
        &mut self,
        locus_id: Uuid,
        actor: Uuid,
        kind: ShareKind,
        grant: FloorGrant,
    ) -> Result<(), ApiError> {
        self.change_locus(locus_id, LocusChange::FloorGranted, |locus, seq| {
            live(locus)?;
            let me = locus
                .participant_of(actor)
                .filter(|p| p.state == ParticipantState::Joined)
                .ok_or_else(|| forbidden(errors::NOT_JOINED, "You are not in the meeting."))?;
            let (requester, moderates) = (me.id, me.controls.roles.moderates());
            let presenter = me.controls.roles.presenter;
            let beneficiary = locus
                .participant(grant.beneficiary)
                .filter(|p| p.state == ParticipantState::Joined)
                .ok_or_else(errors::participant_not_found)?;
            if beneficiary.id != requester && !moderates {
                return Err(forbidden(
                    errors::NOT_YOURSELF,
                    "You can only share yourself.",
                ));
            }
            if locus.controls.share_control != SHARE_ANYONE && !moderates && !presenter {
                return Err(forbidden(
                    errors::SHARE_NOT_ALLOWED,
                    "Only hosts and presenters may share.",
                ));
            }
            // A participant's `videoSlidesStatus` shows whether they share.
            let previous = locus.share(kind).floor.as_ref().map(|f| f.beneficiary);
            for id in previous.into_iter().chain([grant.beneficiary]) {
                if let Some(p) = locus.participant_mut(id) {
                    p.changed_at = seq;
                }
            }
            locus.share_mut(kind).floor = Some(Floor {
                beneficiary: grant.beneficiary,
                device_url: grant.device_url,
                requester,
                share_instance: grant.share_instance,
                resource_url: grant.resource_url,
                granted: SystemTime::now(),
            });
            locus.stamps.media_shares = seq;
            Ok(((), Notice::default()))
        })
    }

    /// Releases share `kind`'s floor; `Ok(false)` when nobody held it.
    ///
    /// # Errors
    ///
    /// 403 unless `actor` holds it or moderates; 409 once the meeting ended.
    pub(crate) fn release_floor(
        &mut self,
        locus_id: Uuid,
        actor: Uuid,
        kind: ShareKind,
    ) -> Result<bool, ApiError> {
        let held = self
            .meetings
            .locus(locus_id)
            .ok_or_else(errors::locus_not_found)?
            .share(kind)
            .floor
            .is_some();
        if !held {
            return Ok(false);
        }
        self.change_locus(locus_id, LocusChange::FloorReleased, |locus, seq| {
            live(locus)?;
            let me = locus
                .participant_of(actor)
                .filter(|p| p.present())
                .ok_or_else(|| forbidden(errors::NOT_JOINED, "You are not in the meeting."))?;
            let (mine, moderates) = (me.id, me.controls.roles.moderates());
            let share = locus.share_mut(kind);
            let holder = share.floor.as_ref().map(|floor| floor.beneficiary);
            if holder != Some(mine) && !moderates {
                return Err(forbidden(
                    errors::NOT_YOURSELF,
                    "Someone else has the floor.",
                ));
            }
            let floor = share.floor.take();
            share.released = floor.map(|f| (f.share_instance, SystemTime::now()));
            locus.stamps.media_shares = seq;
            if let Some(p) = holder.and_then(|id| locus.participant_mut(id)) {
                p.changed_at = seq;
            }
            Ok((true, Notice::default()))
        })
    }
}
