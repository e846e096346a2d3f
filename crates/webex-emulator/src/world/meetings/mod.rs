//! Meetings: meeting records (numbers, links, passwords, personal rooms,
//! space meetings) and loci, the live state of a meeting session with its
//! participants, lobby, roles, controls and floors.
//!
//! Every change to a locus advances its sequence number by one and stamps
//! the sections and participants it touched with the new number, so a
//! delta against any earlier sequence is "everything stamped after it".
//! The change is published as [`Event::Locus`]; renderers decide who gets
//! which DTO.

pub(crate) mod call;
pub(crate) mod captcha;
pub(crate) mod controls;
pub(crate) mod errors;
pub(crate) mod join;
pub(crate) mod leave;
pub(crate) mod lobby;
pub(crate) mod locus;
pub(crate) mod media;
pub(crate) mod meeting;
pub(crate) mod moderation;
pub(crate) mod participant;
pub(crate) mod shares;

#[cfg(test)]
mod rules_tests;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

use tokio::sync::Notify;

use uuid::Uuid;

use self::errors::{locus_not_found, meeting_not_found};
use self::locus::Locus;
use self::meeting::{Meeting, MeetingBook, MeetingSpec};
use super::Data;
use crate::bus::{Event, LocusChange};
use crate::kit::clock;
use crate::kit::error::ApiError;

/// Every meeting and locus.
#[derive(Default)]
pub(crate) struct MeetingStore {
    /// Meeting records.
    pub(crate) book: MeetingBook,
    /// Loci by id, ended ones included (their URLs stay readable).
    loci: HashMap<Uuid, Locus>,
    /// Notified when a device starts waiting in a lobby, so the task that
    /// drops quiet ones looks again.
    pub(crate) lobby_changed: Arc<Notify>,
}

impl MeetingStore {
    /// Forgets every meeting and locus, keeping the lobby task's wake-up
    /// call.
    pub(crate) fn clear(&mut self) {
        self.book = MeetingBook::default();
        self.loci.clear();
        self.lobby_changed.notify_one();
    }

    /// The locus with `id`.
    pub(crate) fn locus(&self, id: Uuid) -> Option<&Locus> {
        self.loci.get(&id)
    }

    /// The locus with `id`, to change without a sequence step (keep-alives).
    pub(crate) fn locus_mut(&mut self, id: Uuid) -> Option<&mut Locus> {
        self.loci.get_mut(&id)
    }

    /// Every live locus.
    pub(crate) fn live_loci(&self) -> impl Iterator<Item = &Locus> {
        self.loci
            .values()
            .filter(|locus| locus.state == locus::LocusState::Active)
    }

    /// The most recent locus of meeting `number`, live or ended.
    pub(crate) fn last_locus_of(&self, number: &str) -> Option<&Locus> {
        self.loci
            .values()
            .filter(|locus| locus.meeting == number)
            .max_by_key(|locus| (locus.created, locus.first_sequence))
    }

    /// Every locus where `person` is in the meeting or its lobby.
    pub(crate) fn loci_of(&self, person: Uuid) -> Vec<&Locus> {
        let mut loci: Vec<&Locus> = self
            .loci
            .values()
            .filter(|locus| locus.participant_of(person).is_some_and(|p| p.present()))
            .collect();
        loci.sort_by_key(|locus| locus.created);
        loci
    }
}

/// What one locus change tells the renderers besides its kind.
#[derive(Clone, Debug, Default)]
pub(crate) struct Notice {
    /// The person the change is about, who gets a full DTO.
    pub(crate) subject: Option<Uuid>,
    /// People no longer present who must still hear of it.
    pub(crate) also: Vec<Uuid>,
}

impl Data {
    /// Creates a meeting hosted by an existing person.
    ///
    /// # Errors
    ///
    /// 404 when the host does not exist; 400 for a blank title.
    pub(crate) fn create_meeting(&mut self, request: MeetingSpec) -> Result<Meeting, ApiError> {
        if request.title.trim().is_empty() {
            return Err(ApiError::bad_request("title is required."));
        }
        if self.people.get(request.host).is_none() {
            return Err(ApiError::not_found("The host does not exist."));
        }
        let number = self.fresh_meeting_number();
        let mut meeting = record(number.clone(), number, request.title.trim(), request.host);
        meeting.password = request.password.filter(|p| !p.is_empty());
        meeting.lobby = request.lobby;
        meeting.invitees = request.invitees;
        self.meetings.book.insert(meeting.clone());
        Ok(meeting)
    }

    /// `person`'s personal room, created the first time it is asked for
    /// (its SIP user is their email's local part, or the number if that
    /// is taken).
    pub(crate) fn personal_room(&mut self, person: Uuid) -> Result<&Meeting, ApiError> {
        if let Some(number) = self
            .meetings
            .book
            .personal_room_of(person)
            .map(str::to_owned)
        {
            return self
                .meetings
                .book
                .get(&number)
                .ok_or_else(meeting_not_found);
        }
        let owner = self.people.get(person).ok_or_else(meeting_not_found)?;
        let local = owner
            .email
            .split('@')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let title = format!("{}'s Personal Room", owner.display_name);
        let number = self.fresh_meeting_number();
        let sip_taken = local.is_empty()
            || self
                .meetings
                .book
                .find(&meeting::Destination::Sip(format!(
                    "{local}@{}",
                    meeting::SIP_DOMAIN
                )))
                .is_some();
        let sip_user = if sip_taken { number.clone() } else { local };
        let mut meeting = record(number.clone(), sip_user, &title, person);
        meeting.lobby = true;
        meeting.personal_room = true;
        self.meetings.book.insert(meeting);
        self.meetings
            .book
            .get(&number)
            .ok_or_else(meeting_not_found)
    }

    /// The meeting of space `room`, created the first time a member asks;
    /// the room's creator hosts it.
    pub(crate) fn room_meeting(&mut self, room: Uuid, person: Uuid) -> Result<&Meeting, ApiError> {
        let found = self
            .rooms
            .get(room)
            .filter(|room| self.is_member(room.uuid, person))
            .map(|room| (room.creator, self.room_title(room, person)));
        let Some((creator, title)) = found else {
            return Err(meeting_not_found());
        };
        if let Some(number) = self.meetings.book.meeting_of_room(room).map(str::to_owned) {
            return self
                .meetings
                .book
                .get(&number)
                .ok_or_else(meeting_not_found);
        }
        let number = self.fresh_meeting_number();
        let mut meeting = record(number.clone(), number.clone(), &title, creator);
        meeting.room = Some(room);
        self.meetings.book.insert(meeting);
        self.meetings
            .book
            .get(&number)
            .ok_or_else(meeting_not_found)
    }

    /// An unused 11-digit number starting with `2`.
    fn fresh_meeting_number(&self) -> String {
        loop {
            let random = Uuid::new_v4().as_u128() % 10_000_000_000;
            let number = format!("2{random:010}");
            if !self.meetings.book.contains(&number) {
                return number;
            }
        }
    }

    /// Applies one change to locus `id`: `apply` gets the locus and the
    /// sequence number the change will have, must check everything before
    /// it changes anything, and stamps what it touched with that number.
    /// On success the sequence advances and the change is published.
    pub(crate) fn change_locus<T>(
        &mut self,
        id: Uuid,
        change: LocusChange,
        apply: impl FnOnce(&mut Locus, u64) -> Result<(T, Notice), ApiError>,
    ) -> Result<T, ApiError> {
        let locus = self
            .meetings
            .loci
            .get_mut(&id)
            .ok_or_else(locus_not_found)?;
        let mut next = locus.clone();
        let sequence = next.advance()?;
        let (value, notice) = apply(&mut next, sequence)?;
        // `fullState.lastActive` moves only with `fullState`, so that a
        // delta without `fullState` leaves nothing stale behind.
        if next.stamps.full_state == sequence {
            next.last_active = SystemTime::now();
        }
        *locus = next;
        self.publish(Event::Locus {
            locus: id,
            change,
            subject: notice.subject,
            also: notice.also,
        });
        Ok(value)
    }

    /// Adds a new locus.
    pub(crate) fn insert_locus(&mut self, locus: Locus) {
        self.meetings.loci.insert(locus.id, locus);
    }
}

/// A meeting record without password, lobby, personal room or space.
fn record(number: String, sip_user: String, title: &str, host: Uuid) -> Meeting {
    Meeting {
        id: Uuid::new_v4(),
        number,
        sip_user,
        title: title.to_owned(),
        host,
        password: None,
        host_key: fresh_host_key(),
        lobby: false,
        invitees: Vec::new(),
        personal_room: false,
        room: None,
        locus: None,
        captchas: Default::default(),
    }
}

/// A six-digit host key.
fn fresh_host_key() -> String {
    format!("{:06}", Uuid::new_v4().as_u128() % 1_000_000)
}

/// The first sequence number of a locus created now: the time in
/// milliseconds times 1000, so the numbers look like Locus's (which are
/// large) while staying far below 2^53. A later locus of the same meeting
/// also starts above the last number of the earlier one.
pub(crate) fn first_sequence(now: SystemTime) -> u64 {
    clock::unix_millis(now)
        .saturating_mul(1000)
        .min(locus::MAX_SEQUENCE / 2)
}
