//! 1:1 calls: a `CALL` locus from one person to another, without a
//! meeting record. The caller joins at once and the callee is a participant
//! in state `NOTIFIED` (without devices), so every device of theirs hears of
//! the call; the callee acknowledges (alert), answers by joining, or
//! declines. A call with fewer than two parties (joined or being called)
//! ends: when the callee declines, or either side leaves.

use tokio::time::Instant;
use uuid::Uuid;

use super::Notice;
use super::errors::{self, inactive};
use super::join::{JoinRequest, Joined};
use super::locus::{Locus, LocusKind, LocusState};
use super::participant::{
    Participant, ParticipantControls, ParticipantDevice, ParticipantState, Roles,
};
use crate::bus::LocusChange;
use crate::kit::error::ApiError;
use crate::world::Data;

/// A device of the callee telling Locus it is ringing, or declining.
#[derive(Clone, Debug)]
pub(crate) struct CalleeDevice {
    /// `device.url`.
    pub(crate) url: String,
    /// `device.deviceType`.
    pub(crate) device_type: String,
    /// `correlationId`, when sent.
    pub(crate) correlation_id: Option<String>,
}

impl Data {
    /// `caller` calls the person whose email is `address` (`POST loci/call`
    /// with that invitee): a new `CALL` locus with the caller joined and
    /// the callee notified.
    ///
    /// # Errors
    ///
    /// 404 when nobody has that email; 400 for a call to oneself; the
    /// errors of a join.
    pub(crate) fn start_call(
        &mut self,
        address: &str,
        request: &JoinRequest,
    ) -> Result<Joined, ApiError> {
        let callee = self
            .people
            .by_email(address.trim())
            .map(|p| p.uuid)
            .ok_or_else(errors::meeting_not_found)?;
        if callee == request.person {
            return Err(errors::bad_request("A call needs someone else to call."));
        }
        let kind = LocusKind::Call {
            address: address.trim().to_owned(),
        };
        let id = self.new_locus("", request.person, kind);
        // The callee is a participant from the start; the caller's join
        // below is the change everyone hears of.
        if let Some(locus) = self.meetings.locus_mut(id) {
            let seq = locus.sequence;
            locus.participants.push(notified(callee, seq));
        }
        self.join_locus(id, request)
    }

    /// The callee's device acknowledges the call (`PUT {locusUrl}/
    /// participant/alert`): it is listed on their participant, still
    /// `NOTIFIED`.
    ///
    /// # Errors
    ///
    /// 404 unless `person` is being called in this locus; 409 when the
    /// call ended.
    pub(crate) fn alert(
        &mut self,
        locus_id: Uuid,
        person: Uuid,
        device: &CalleeDevice,
    ) -> Result<(), ApiError> {
        self.change_locus(locus_id, LocusChange::ParticipantUpdated, |locus, seq| {
            let callee = being_called(locus, person)?;
            callee.devices.retain(|d| d.url != device.url);
            callee.devices.push(ParticipantDevice {
                url: device.url.clone(),
                device_type: device.device_type.clone(),
                correlation_id: device.correlation_id.clone().unwrap_or_default(),
                waiting: false,
                left: false,
                media_id: Uuid::new_v4(),
                audio_muted: true,
                video_muted: true,
                last_seen: Instant::now(),
                media_lines: Vec::new(),
                media_flowing: false,
            });
            callee.changed_at = seq;
            Ok(((), Notice::default()))
        })
    }

    /// The callee declines (`PUT {locusUrl}/participant/decline`): their
    /// participant is `DECLINED`, and the call, left with one party, ends.
    ///
    /// # Errors
    ///
    /// As [`Data::alert`].
    pub(crate) fn decline(&mut self, locus_id: Uuid, person: Uuid) -> Result<(), ApiError> {
        self.change_locus(locus_id, LocusChange::ParticipantDeclined, |locus, seq| {
            let callee = being_called(locus, person)?;
            callee.state = ParticipantState::Declined;
            for device in &mut callee.devices {
                device.left = true;
            }
            callee.changed_at = seq;
            let mut also = vec![person];
            also.extend(end_call_if_alone(locus, seq));
            locus.stamps.full_state = seq;
            let notice = Notice {
                subject: None,
                also,
            };
            Ok(((), notice))
        })
    }
}

/// `person`'s participant in `locus`, if they are being called in it.
fn being_called(locus: &mut Locus, person: Uuid) -> Result<&mut Participant, ApiError> {
    if locus.state == LocusState::Inactive {
        return Err(inactive());
    }
    if !locus.kind.is_call() {
        return Err(errors::bad_request(
            "Only a call can be acknowledged or declined.",
        ));
    }
    locus
        .participants
        .iter_mut()
        .find(|p| p.person == person && p.state == ParticipantState::Notified)
        .ok_or_else(errors::participant_not_found)
}

/// A call with fewer than two parties ends: the one left leaves
/// (`INACTIVE`) and the locus becomes inactive. Returns who was told to
/// leave; nothing for a meeting or a call that goes on.
pub(super) fn end_call_if_alone(locus: &mut Locus, seq: u64) -> Vec<Uuid> {
    if !locus.kind.is_call() || locus.state == LocusState::Inactive || locus.parties() >= 2 {
        return Vec::new();
    }
    super::leave::end(locus, seq)
}

/// The callee, ringing.
fn notified(person: Uuid, seq: u64) -> Participant {
    Participant {
        id: Uuid::new_v4(),
        person,
        state: ParticipantState::Notified,
        devices: Vec::new(),
        controls: ParticipantControls {
            audio_muted: false,
            requested_to_unmute: false,
            audio_modified: None,
            video_muted: false,
            hand_raised: false,
            roles: Roles::default(),
            layout: None,
        },
        external: false,
        creator: false,
        removed: false,
        reason: None,
        changed_at: seq,
    }
}
