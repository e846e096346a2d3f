//! What `create()` is given to find a meeting, and how its type is inferred when the caller
//! does not say (the JS SDK's `getDestinationType`, in the same order).

use std::fmt;

use url::Url;

/// The kinds of destination `create()` accepts (the JS SDK's `DESTINATION_TYPE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DestinationType {
    /// A SIP address (`user@host`): a meeting's SIP URI, a personal room's, or a person's
    /// email for a one-on-one call.
    SipUri,
    /// A meeting number (`MEETING_ID` in the JS SDK).
    MeetingNumber,
    /// A Locus id or Locus URL: a meeting that already exists on Locus.
    LocusId,
    /// The personal meeting room of the current user.
    PersonalRoom,
    /// A meeting link (`https://<site>.webex.com/meet/<user>` ...).
    MeetingLink,
    /// A one-on-one call with a person, given by email or Hydra person id.
    OneOnOne,
    /// The meeting of a conversation (a room), given by conversation URL or Hydra room id.
    Conversation,
}

impl DestinationType {
    /// The JS SDK's name of the type (`SIP_URI`, `MEETING_ID`, ...).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SipUri => "SIP_URI",
            Self::MeetingNumber => "MEETING_ID",
            Self::LocusId => "LOCUS_ID",
            Self::PersonalRoom => "PERSONAL_ROOM",
            Self::MeetingLink => "MEETING_LINK",
            Self::OneOnOne => "ONE_ON_ONE_CALL",
            Self::Conversation => "CONVERSATION_URL",
        }
    }
}

impl fmt::Display for DestinationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a destination string looks like on its own, before any lookup: the first rule of
/// the JS SDK's order that matches. Hydra ids need a lookup (person → email) or a catalog
/// (room → conversation URL), which `create()` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Inferred {
    /// A type the string alone decides.
    Type(DestinationType),
    /// A Hydra person id (base64 of `ciscospark://<cluster>/PEOPLE/<uuid>`).
    HydraPerson,
    /// A Hydra room id, with the room's uuid.
    HydraRoom(String),
}

/// Path prefixes that make a `webex.com` URL a meeting link (JS: `/meet`, `/m`, `/cisco`,
/// `/co`, `/join`).
const LINK_PATHS: [&str; 5] = ["/meet", "/m", "/cisco", "/co", "/join"];

/// The rules, in the JS SDK's order, then two this SDK adds (a bare number is a meeting
/// number; a Locus URL is a Locus id); `None` when nothing matches.
pub(crate) fn infer(destination: &str, conversation_base: Option<&Url>) -> Option<Inferred> {
    let destination = destination.trim();
    if is_meeting_link(destination) {
        return Some(Inferred::Type(DestinationType::MeetingLink));
    }
    if is_sip_address(destination) || is_us_phone_number(destination) {
        return Some(Inferred::Type(DestinationType::SipUri));
    }
    if let (Some(base), Ok(url)) = (conversation_base, Url::parse(destination))
        && url
            .as_str()
            .starts_with(base.as_str().trim_end_matches('/'))
        && url.path().contains("/conversations/")
    {
        return Some(Inferred::Type(DestinationType::Conversation));
    }
    if let Some((kind, uuid)) = hydra_id(destination) {
        return match kind.as_str() {
            "PEOPLE" => Some(Inferred::HydraPerson),
            "ROOM" => Some(Inferred::HydraRoom(uuid)),
            _ => None,
        };
    }
    if let Ok(url) = Url::parse(destination)
        && url.path().contains("/loci/")
    {
        return Some(Inferred::Type(DestinationType::LocusId));
    }
    let digits = destination.replace([' ', '-'], "");
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Inferred::Type(DestinationType::MeetingNumber));
    }
    None
}

/// A URL (a missing scheme counts as `https://`) on a `webex.com` host whose path holds one
/// of [`LINK_PATHS`].
fn is_meeting_link(destination: &str) -> bool {
    let with_scheme = if destination.contains("://") {
        destination.to_owned()
    } else {
        format!("https://{destination}")
    };
    let Ok(url) = Url::parse(&with_scheme) else {
        return false;
    };
    let host_ok = url.host_str().is_some_and(|h| h.contains("webex.com"));
    host_ok && !destination.contains('@') && LINK_PATHS.iter().any(|p| url.path().contains(p))
}

/// `user@host`, optionally `sip:`-prefixed, with no spaces, a non-empty user and a host.
pub(crate) fn is_sip_address(destination: &str) -> bool {
    let address = destination.strip_prefix("sip:").unwrap_or(destination);
    let Some((user, host)) = address.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && !host.is_empty()
        && !host.contains('@')
        && !address.contains(char::is_whitespace)
        && !address.contains('/')
}

/// A US-style phone number: an optional `+1`, then 3 + 3 + 4 digits, optionally grouped
/// with `(`, `)`, spaces, dots or dashes. Eleven-digit meeting numbers that do not start
/// with 1 are not phone numbers.
fn is_us_phone_number(destination: &str) -> bool {
    let s = destination.strip_prefix('+').unwrap_or(destination);
    if !s
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
    {
        return false;
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        10 => true,
        11 => digits.starts_with('1'),
        _ => false,
    }
}

/// The type and inner id (a uuid) of a Hydra id, by the core's one decoder.
pub(crate) fn hydra_id(value: &str) -> Option<(String, String)> {
    let decoded = webex_core::hydra_id::decode(value).ok()?;
    Some((decoded.kind, decoded.inner))
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD_NO_PAD;

    use super::*;

    fn ty(s: &str) -> Option<Inferred> {
        infer(
            s,
            Url::parse("https://conv.example/conversation/api/v1")
                .ok()
                .as_ref(),
        )
    }

    #[test]
    fn links_sip_phones_and_numbers_are_told_apart() {
        use DestinationType::*;
        let t = |d| Some(Inferred::Type(d));
        assert_eq!(
            ty("https://emulator.webex.com/meet/23456789012"),
            t(MeetingLink)
        );
        assert_eq!(ty("site.webex.com/join/someone"), t(MeetingLink));
        assert_eq!(ty("23456789012@emulator.local"), t(SipUri));
        assert_eq!(ty("sip:alice@example.com"), t(SipUri));
        assert_eq!(ty("(415) 555-0100"), t(SipUri));
        assert_eq!(ty("+1 415 555 0100"), t(SipUri));
        // Eleven digits starting with 2: a meeting number, not a phone number.
        assert_eq!(ty("23456789012"), t(MeetingNumber));
        assert_eq!(ty("2345 678 9012"), t(MeetingNumber));
        assert_eq!(
            ty("https://conv.example/conversation/api/v1/conversations/abc"),
            t(Conversation)
        );
        assert_eq!(
            ty("https://locus.example/locus/api/v1/loci/abc"),
            t(LocusId)
        );
        assert_eq!(ty("hello world"), None);
        assert_eq!(ty(""), None);
    }

    #[test]
    fn hydra_ids_are_recognised_with_their_kind() {
        let person = STANDARD_NO_PAD.encode("ciscospark://us/PEOPLE/1234");
        let room = STANDARD_NO_PAD.encode("ciscospark://us/ROOM/r-1");
        assert_eq!(ty(&person), Some(Inferred::HydraPerson));
        assert_eq!(ty(&room), Some(Inferred::HydraRoom("r-1".into())));
        assert_eq!(hydra_id("bm90IGFuIGlk"), None);
    }
}
