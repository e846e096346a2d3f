//! Joining: creating the locus of a meeting on the first join, who goes
//! straight in and who waits in the lobby, and admitting from the lobby.

use std::time::SystemTime;

use tokio::time::Instant;
use uuid::Uuid;

use super::controls::LocusControls;
use super::errors::{self, coded, inactive, meeting_not_found, not_moderator};
use super::locus::{Locus, LocusKind, LocusState, MediaShare, ShareKind, Stamps};
use super::participant::{
    Modified, Participant, ParticipantControls, ParticipantDevice, ParticipantState, Roles,
};
use super::{Notice, first_sequence};
use crate::bus::LocusChange;
use crate::kit::error::ApiError;
use crate::world::Data;

/// A join request, as Locus reads it.
#[derive(Clone, Debug)]
pub(crate) struct JoinRequest {
    /// Who joins.
    pub(crate) person: Uuid,
    /// `device.url`.
    pub(crate) device_url: String,
    /// `device.deviceType`.
    pub(crate) device_type: String,
    /// `correlationId`.
    pub(crate) correlation_id: String,
    /// `pin`: a host key makes the joiner a host.
    pub(crate) pin: Option<String>,
    /// `moderator: true` with the host key.
    pub(crate) moderator: bool,
    /// `supportsNativeLobby`: the client can wait in a lobby.
    pub(crate) supports_lobby: bool,
}

/// What a join produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Joined {
    /// The locus.
    pub(crate) locus: Uuid,
    /// The joiner's participant.
    pub(crate) participant: Uuid,
    /// The media session of their device.
    pub(crate) media_id: Uuid,
}

impl Data {
    /// Joins meeting `number` (its live locus, or a new one).
    ///
    /// # Errors
    ///
    /// 404 for an unknown meeting; the intent-to-join codes when the joiner
    /// would have to wait but cannot; 400 for an empty device URL.
    pub(crate) fn join_meeting(
        &mut self,
        number: &str,
        request: &JoinRequest,
    ) -> Result<Joined, ApiError> {
        let meeting = self
            .meetings
            .book
            .get(number)
            .ok_or_else(meeting_not_found)?;
        let locus = match meeting.locus {
            Some(locus) => locus,
            None => {
                let host = meeting.host;
                let id = self.new_locus(number, host, LocusKind::Meeting);
                if let Some(meeting) = self.meetings.book.get_mut(number) {
                    meeting.locus = Some(id);
                }
                id
            }
        };
        self.join_locus(locus, request)
    }

    /// Creates an empty locus for meeting `number` (empty for a call)
    /// hosted by `host`.
    pub(super) fn new_locus(&mut self, number: &str, host: Uuid, kind: LocusKind) -> Uuid {
        let now = SystemTime::now();
        let after_last = self
            .meetings
            .last_locus_of(number)
            .map_or(0, |last| last.sequence.saturating_add(1));
        let first = first_sequence(now).max(after_last);
        let released = |kind| MediaShare {
            kind,
            floor: None,
            released: None,
        };
        let locus = Locus {
            id: Uuid::new_v4(),
            meeting: number.to_owned(),
            kind,
            session: Uuid::new_v4(),
            created: now,
            last_active: now,
            first_sequence: first,
            sequence: first,
            state: LocusState::Active,
            host,
            controls: LocusControls::new(Modified { by: host, at: now }),
            shares: [
                released(ShareKind::Content),
                released(ShareKind::Whiteboard),
            ],
            participants: Vec::new(),
            stamps: Stamps {
                info: first,
                full_state: first,
                host: first,
                controls: first,
                media_shares: first,
            },
        };
        let id = locus.id;
        self.insert_locus(locus);
        id
    }

    /// Joins an existing locus (`POST {locusUrl}/participant`).
    ///
    /// # Errors
    ///
    /// As [`Data::join_meeting`], and 409 when the locus has ended.
    pub(crate) fn join_locus(
        &mut self,
        locus_id: Uuid,
        request: &JoinRequest,
    ) -> Result<Joined, ApiError> {
        if request.device_url.trim().is_empty() {
            return Err(errors::bad_request("device.url is required."));
        }
        // A device URL that names a registered device must name the
        // joiner's own (its uuid is the URL's last segment).
        let device = request.device_url.trim_end_matches('/').rsplit('/').next();
        let owner = device
            .and_then(|id| Uuid::try_parse(id).ok())
            .and_then(|id| self.devices.owner_of(id));
        if owner.is_some_and(|owner| owner != request.person) {
            return Err(errors::forbidden(
                errors::NOT_YOUR_DEVICE,
                "The device belongs to someone else.",
            ));
        }
        let locus = self
            .meetings
            .locus(locus_id)
            .ok_or_else(errors::locus_not_found)?;
        let (external, is_host, lobby) = if locus.kind.is_call() {
            // Only the two parties: the caller (its host), the callee answering.
            if request.person != locus.host && locus.participant_of(request.person).is_none() {
                return Err(errors::not_a_party());
            }
            (false, false, false)
        } else {
            self.meeting_admission(&locus.meeting, request)?
        };
        let request = request.clone();
        self.change_locus(
            locus_id,
            LocusChange::ParticipantJoined,
            move |locus, seq| {
                if locus.state == LocusState::Inactive {
                    return Err(inactive());
                }
                let existing = locus.participant_of(request.person);
                let roles = existing.map(|p| p.controls.roles).unwrap_or_default();
                let moderates = is_host || roles.moderates();
                let waits = !moderates && (lobby || locus.controls.locked);
                if waits && !request.supports_lobby {
                    let (code, message) = if locus.controls.locked {
                        (errors::LOCKED, "The meeting is locked.")
                    } else {
                        (errors::LOBBY_UNSUPPORTED, "The meeting has a lobby.")
                    };
                    return Err(coded(ApiError::forbidden(message), code));
                }
                let media_id = Uuid::new_v4();
                let device = ParticipantDevice {
                    url: request.device_url.clone(),
                    device_type: request.device_type.clone(),
                    correlation_id: request.correlation_id.clone(),
                    waiting: waits,
                    left: false,
                    media_id,
                    audio_muted: true,
                    video_muted: true,
                    media_lines: Vec::new(),
                    media_flowing: false,
                    last_seen: Instant::now(),
                };
                let state = if waits {
                    ParticipantState::Idle
                } else {
                    ParticipantState::Joined
                };
                let mute = locus.controls.mute_on_entry && !moderates;
                // The first to join created it (a call's callee is listed before).
                let creator = !locus.participants.iter().any(|p| p.creator);
                let participant = match locus
                    .participants
                    .iter_mut()
                    .find(|p| p.person == request.person)
                {
                    Some(participant) => {
                        participant.devices.retain(|d| d.url != request.device_url);
                        participant.devices.retain(|d| !d.left);
                        participant.devices.push(device);
                        if participant.state != ParticipantState::Joined {
                            participant.state = state;
                        }
                        participant.removed = false;
                        participant.reason = None;
                        participant.controls.roles.moderator |= is_host;
                        participant.changed_at = seq;
                        participant.id
                    }
                    None => {
                        let id = Uuid::new_v4();
                        locus.participants.push(Participant {
                            id,
                            person: request.person,
                            state,
                            devices: vec![device],
                            controls: ParticipantControls {
                                audio_muted: mute,
                                requested_to_unmute: false,
                                audio_modified: None,
                                video_muted: false,
                                hand_raised: false,
                                roles: Roles {
                                    moderator: is_host,
                                    ..Roles::default()
                                },
                                layout: None,
                            },
                            external,
                            creator,
                            removed: false,
                            reason: None,
                            changed_at: seq,
                        });
                        id
                    }
                };
                if is_host && locus.host != request.person {
                    locus.host = request.person;
                    locus.stamps.host = seq;
                }
                locus.stamps.full_state = seq;
                let joined = Joined {
                    locus: locus.id,
                    participant,
                    media_id,
                };
                let notice = Notice {
                    subject: Some(request.person),
                    also: Vec::new(),
                };
                Ok(((joined, waits), notice))
            },
        )
        .map(|(joined, waits)| {
            if waits {
                self.meetings.lobby_changed.notify_one();
            }
            joined
        })
    }

    /// Whether `request`'s joiner of meeting `number` is external, a host,
    /// and has to wait in its lobby.
    fn meeting_admission(
        &self,
        number: &str,
        request: &JoinRequest,
    ) -> Result<(bool, bool, bool), ApiError> {
        let meeting = self
            .meetings
            .book
            .get(number)
            .ok_or_else(meeting_not_found)?;
        let joiner = self
            .people
            .get(request.person)
            .ok_or_else(ApiError::unauthorized)?;
        let host_email = self.people.get(meeting.host).map(|p| p.email.clone());
        let external = host_email.is_none_or(|host| domain(&host) != domain(&joiner.email));
        let invited = meeting
            .invitees
            .iter()
            .any(|email| email.eq_ignore_ascii_case(&joiner.email));
        let host_key_given = request
            .pin
            .as_deref()
            .is_some_and(|pin| pin.trim() == meeting.host_key);
        let is_host = request.person == meeting.host || (host_key_given && request.moderator);
        let lobby = meeting.lobby && external && !invited;
        Ok((external, is_host, lobby))
    }

    /// Admits `participants` from the lobby (`PUT {locusUrl}/controls`
    /// `{admit}`); those already in are left alone.
    ///
    /// # Errors
    ///
    /// 403 unless `actor` is a host or cohost; 404 for an id that is not a
    /// participant.
    pub(crate) fn admit(
        &mut self,
        locus_id: Uuid,
        actor: Uuid,
        participants: &[Uuid],
    ) -> Result<(), ApiError> {
        self.change_locus(locus_id, LocusChange::ParticipantUpdated, |locus, seq| {
            require_moderator(locus, actor)?;
            if participants
                .iter()
                .any(|id| locus.participant(*id).is_none())
            {
                return Err(errors::participant_not_found());
            }
            for id in participants {
                if let Some(p) = locus.participant_mut(*id)
                    && p.state == ParticipantState::Idle
                {
                    p.state = ParticipantState::Joined;
                    for device in &mut p.devices {
                        device.waiting = false;
                    }
                    p.changed_at = seq;
                }
            }
            locus.stamps.full_state = seq;
            Ok(((), Notice::default()))
        })
    }

    /// Records a keep-alive of the participant's devices (only those
    /// waiting in the lobby need them).
    ///
    /// # Errors
    ///
    /// 404 unless `participant` is `person`'s and still present.
    pub(crate) fn keep_alive(
        &mut self,
        locus_id: Uuid,
        participant: Uuid,
        person: Uuid,
    ) -> Result<(), ApiError> {
        let locus = self
            .meetings
            .locus_mut(locus_id)
            .ok_or_else(errors::locus_not_found)?;
        let found = locus
            .participant_mut(participant)
            .filter(|p| p.person == person && p.present())
            .ok_or_else(errors::participant_not_found)?;
        let now = Instant::now();
        for device in found.devices.iter_mut().filter(|d| !d.left) {
            device.last_seen = now;
        }
        Ok(())
    }
}

/// The email domain, lower-case.
fn domain(email: &str) -> String {
    email
        .rsplit_once('@')
        .map(|(_, domain)| domain.to_ascii_lowercase())
        .unwrap_or_default()
}

/// `actor`'s participant, if they are a present host or cohost.
pub(crate) fn require_moderator(locus: &Locus, actor: Uuid) -> Result<&Participant, ApiError> {
    locus
        .participant_of(actor)
        .filter(|p| p.present() && p.controls.roles.moderates())
        .ok_or_else(not_moderator)
}
