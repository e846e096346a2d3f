//! Meeting records: what a scheduled meeting or a personal room is before
//! and while anyone is in it (number, SIP URI, link, host, password, host
//! key, lobby), and how a destination finds one.

use std::collections::HashMap;
use uuid::Uuid;

use super::captcha::{Captcha, CaptchaBook};

/// The domain of every meeting's SIP URI. It has two labels on purpose: the
/// JS SDK sends meeting-info lookups for a three-label SIP domain straight
/// to that host instead of the catalog.
pub(crate) const SIP_DOMAIN: &str = "emulator.local";

/// Where meeting links point. `webex.com` plus a `/meet/` path is what the
/// JS SDK's destination inference reads as a meeting link; the link is only
/// a lookup key, nobody fetches it.
pub(crate) const LINK_BASE: &str = "https://emulator.webex.com/meet/";

/// A meeting.
#[derive(Clone, Debug)]
pub(crate) struct Meeting {
    /// The meeting's id (`meetingId` in meeting info).
    pub(crate) id: Uuid,
    /// 11 digits starting with `2`, which the JS SDK's US phone-number
    /// pattern never matches (it wants a `1` before ten digits).
    pub(crate) number: String,
    /// The left part of the SIP URI: the number, or a personal room's
    /// owner's email local part.
    pub(crate) sip_user: String,
    /// The title (`meetingName`).
    pub(crate) title: String,
    /// The host.
    pub(crate) host: Uuid,
    /// The meeting password, if one is required.
    pub(crate) password: Option<String>,
    /// Six digits that make whoever gives them a host.
    pub(crate) host_key: String,
    /// Whether people outside the host's email domain (and not invited)
    /// wait in the lobby until admitted.
    pub(crate) lobby: bool,
    /// Emails that never wait in the lobby.
    pub(crate) invitees: Vec<String>,
    /// A personal meeting room (`isPmr`).
    pub(crate) personal_room: bool,
    /// The room of a space meeting, if this is one.
    pub(crate) room: Option<Uuid>,
    /// The live locus, once someone joined (until the meeting ends).
    pub(crate) locus: Option<Uuid>,
    /// Wrong passwords and pending captchas, per person.
    pub(crate) captchas: CaptchaBook,
}

impl Meeting {
    /// `<user>@emulator.local`.
    pub(crate) fn sip_uri(&self) -> String {
        format!("{}@{SIP_DOMAIN}", self.sip_user)
    }

    /// `https://emulator.webex.com/meet/<user>`.
    pub(crate) fn web_link(&self) -> String {
        format!("{LINK_BASE}{}", self.sip_user)
    }
}

/// A meeting to create.
#[derive(Clone, Debug)]
pub(crate) struct MeetingSpec {
    /// The title.
    pub(crate) title: String,
    /// The host.
    pub(crate) host: Uuid,
    /// A password, if one is required.
    pub(crate) password: Option<String>,
    /// Whether outsiders wait in the lobby.
    pub(crate) lobby: bool,
    /// Emails that never wait in the lobby.
    pub(crate) invitees: Vec<String>,
}

/// What a meeting-info request or a Locus invitee names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Destination {
    /// `sipUrl`, or a Locus invitee address with an `@`.
    Sip(String),
    /// `meetingKey`: the meeting number.
    Number(String),
    /// `meetingUrl`: the web link.
    Link(String),
    /// `meetingUUID`.
    Id(Uuid),
}

/// Every meeting, by number, with the indexes destinations need.
#[derive(Default)]
pub(crate) struct MeetingBook {
    by_number: HashMap<String, Meeting>,
    by_sip_user: HashMap<String, String>,
    by_id: HashMap<Uuid, String>,
    personal_rooms: HashMap<Uuid, String>,
    room_meetings: HashMap<Uuid, String>,
}

impl MeetingBook {
    /// The meeting with `number`.
    pub(crate) fn get(&self, number: &str) -> Option<&Meeting> {
        self.by_number.get(number)
    }

    /// The meeting with `number`, to change.
    pub(crate) fn get_mut(&mut self, number: &str) -> Option<&mut Meeting> {
        self.by_number.get_mut(number)
    }

    /// Whether `number` is taken.
    pub(crate) fn contains(&self, number: &str) -> bool {
        self.by_number.contains_key(number)
    }

    /// Adds a meeting.
    pub(crate) fn insert(&mut self, meeting: Meeting) {
        let number = meeting.number.clone();
        self.by_sip_user
            .insert(meeting.sip_user.to_ascii_lowercase(), number.clone());
        self.by_id.insert(meeting.id, number.clone());
        if meeting.personal_room {
            self.personal_rooms.insert(meeting.host, number.clone());
        }
        if let Some(room) = meeting.room {
            self.room_meetings.insert(room, number.clone());
        }
        self.by_number.insert(number, meeting);
    }

    /// The pending captcha with `id`, in whichever meeting asked for it.
    pub(crate) fn pending_captcha(&self, id: &str) -> Option<&Captcha> {
        self.by_number
            .values()
            .find_map(|meeting| meeting.captchas.pending(id))
    }

    /// The number of `person`'s personal room, if it exists yet.
    pub(crate) fn personal_room_of(&self, person: Uuid) -> Option<&str> {
        self.personal_rooms.get(&person).map(String::as_str)
    }

    /// The number of the meeting of space `room`, if it exists yet.
    pub(crate) fn meeting_of_room(&self, room: Uuid) -> Option<&str> {
        self.room_meetings.get(&room).map(String::as_str)
    }

    /// The number of the meeting `destination` names, if any.
    pub(crate) fn find(&self, destination: &Destination) -> Option<&str> {
        let number = match destination {
            Destination::Number(number) => {
                let digits: String = number.chars().filter(|c| !c.is_whitespace()).collect();
                return self
                    .by_number
                    .get_key_value(&digits)
                    .map(|(k, _)| k.as_str());
            }
            Destination::Sip(uri) => sip_user(uri).and_then(|user| self.by_sip_user.get(&user)),
            Destination::Link(link) => link_user(link).and_then(|user| {
                self.by_sip_user
                    .get(&user)
                    .or_else(|| self.by_number.get_key_value(&user).map(|(k, _)| k))
            }),
            Destination::Id(id) => self.by_id.get(id),
        };
        number.map(String::as_str)
    }
}

/// The user part of a SIP URI of the emulator's domain, lower-case
/// (`sip:` prefix and case tolerated).
fn sip_user(uri: &str) -> Option<String> {
    let uri = uri.trim();
    let uri = uri
        .strip_prefix("sips:")
        .or_else(|| uri.strip_prefix("sip:"))
        .unwrap_or(uri);
    let (user, domain) = uri.rsplit_once('@')?;
    (domain.eq_ignore_ascii_case(SIP_DOMAIN) && !user.is_empty()).then(|| user.to_ascii_lowercase())
}

/// The last path segment of a meeting link (`.../meet/<user>` or
/// `.../join/<number>`), lower-case.
fn link_user(link: &str) -> Option<String> {
    let url = url::Url::parse(link.trim()).ok()?;
    let mut segments = url.path_segments()?;
    let last = segments.rfind(|segment| !segment.is_empty())?;
    Some(last.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_tolerate_prefixes_and_case() {
        assert_eq!(
            sip_user("sip:Alice@Emulator.Local").as_deref(),
            Some("alice")
        );
        assert_eq!(sip_user("alice@elsewhere.example"), None);
        assert_eq!(sip_user("@emulator.local"), None);
        assert_eq!(
            link_user("https://emulator.webex.com/meet/21234567890/").as_deref(),
            Some("21234567890")
        );
        assert_eq!(link_user("not a url"), None);
    }
}
