//! Leaving, removing someone, and ending the meeting for everyone.

use uuid::Uuid;

use super::Notice;
use super::call::end_call_if_alone;
use super::errors::{self, inactive};
use super::join::require_moderator;
use super::locus::{Locus, LocusState};
use super::participant::{LeaveReason, ParticipantState};
use crate::bus::LocusChange;
use crate::kit::error::ApiError;
use crate::world::Data;

impl Data {
    /// `participant` leaves (`PUT .../participant/{id}/leave`): with a
    /// device URL only that device, else all of them. Someone else may only
    /// remove a participant as a host or cohost. The participant stays in
    /// the list as `LEFT` and `removed`; when nobody is left in the meeting
    /// it ends, and so does a call left with one party.
    ///
    /// # Errors
    ///
    /// 404 for an unknown participant; 403 when `actor` may not remove
    /// them; 400 for a device that is not in the meeting; 409 when the
    /// meeting has ended.
    pub(crate) fn leave(
        &mut self,
        locus_id: Uuid,
        actor: Uuid,
        participant: Uuid,
        device_url: Option<&str>,
    ) -> Result<(), ApiError> {
        let result = self.change_locus(locus_id, LocusChange::ParticipantLeft, |locus, seq| {
            if locus.state == LocusState::Inactive {
                return Err(inactive());
            }
            let target = locus
                .participant(participant)
                .ok_or_else(errors::participant_not_found)?;
            let person = target.person;
            let forced = person != actor;
            if forced {
                require_moderator(locus, actor)?;
            }
            let Some(target) = locus.participant_mut(participant) else {
                return Err(errors::participant_not_found());
            };
            if let Some(url) = device_url
                && !forced
                && !target.devices.iter().any(|d| d.url == url && !d.left)
            {
                return Err(errors::bad_request("The device is not in this meeting."));
            }
            for device in &mut target.devices {
                if forced || device_url.is_none_or(|url| url == device.url) {
                    device.left = true;
                    device.waiting = false;
                }
            }
            if target.devices.iter().all(|d| d.left) {
                target.state = ParticipantState::Left;
                target.removed = true;
                target.reason = forced.then_some(LeaveReason::Forced);
            }
            target.changed_at = seq;
            let mut also = vec![person];
            release_floors_of(locus, participant, seq);
            if locus.joined_count() == 0 {
                also.extend(end(locus, seq));
            }
            also.extend(end_call_if_alone(locus, seq));
            locus.stamps.full_state = seq;
            let notice = Notice {
                subject: None,
                also,
            };
            Ok((locus.state, notice))
        })?;
        if result == LocusState::Inactive {
            self.forget_live_locus(locus_id);
        }
        Ok(())
    }

    /// Ends the meeting for everyone (`POST {locusUrl}/end`).
    ///
    /// # Errors
    ///
    /// 403 unless `actor` is a host or cohost; 409 when it already ended.
    pub(crate) fn end_meeting(&mut self, locus_id: Uuid, actor: Uuid) -> Result<(), ApiError> {
        self.change_locus(locus_id, LocusChange::Ended, |locus, seq| {
            if locus.state == LocusState::Inactive {
                return Err(inactive());
            }
            require_moderator(locus, actor)?;
            let also = end(locus, seq);
            Ok((
                (),
                Notice {
                    subject: None,
                    also,
                },
            ))
        })?;
        self.forget_live_locus(locus_id);
        Ok(())
    }

    /// The meeting of an ended locus gets a new locus on its next join.
    fn forget_live_locus(&mut self, locus_id: Uuid) {
        let Some(number) = self.meetings.locus(locus_id).map(|l| l.meeting.clone()) else {
            return;
        };
        if let Some(meeting) = self.meetings.book.get_mut(&number)
            && meeting.locus == Some(locus_id)
        {
            meeting.locus = None;
        }
    }
}

/// Ends `locus`: everyone still present leaves; returns who they were.
pub(super) fn end(locus: &mut Locus, seq: u64) -> Vec<Uuid> {
    let mut left = Vec::new();
    for p in locus.participants.iter_mut().filter(|p| p.present()) {
        p.state = ParticipantState::Left;
        p.reason = Some(LeaveReason::Inactive);
        for device in &mut p.devices {
            device.left = true;
            device.waiting = false;
        }
        p.changed_at = seq;
        left.push(p.person);
    }
    for kind in [
        super::locus::ShareKind::Content,
        super::locus::ShareKind::Whiteboard,
    ] {
        let share = locus.share_mut(kind);
        if let Some(floor) = share.floor.take() {
            share.released = Some((floor.share_instance, std::time::SystemTime::now()));
            locus.stamps.media_shares = seq;
        }
    }
    locus.state = LocusState::Inactive;
    locus.stamps.full_state = seq;
    left
}

/// Releases every floor `participant` holds.
fn release_floors_of(locus: &mut Locus, participant: Uuid, seq: u64) {
    for kind in [
        super::locus::ShareKind::Content,
        super::locus::ShareKind::Whiteboard,
    ] {
        let share = locus.share_mut(kind);
        if share
            .floor
            .as_ref()
            .is_some_and(|floor| floor.beneficiary == participant)
        {
            let floor = share.floor.take();
            share.released = floor.map(|f| (f.share_instance, std::time::SystemTime::now()));
            locus.stamps.media_shares = seq;
        }
    }
}
