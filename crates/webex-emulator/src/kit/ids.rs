//! Hydra ids: unpadded base64 of `ciscospark://<cluster>/<TYPE>/<id>`.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD_NO_PAD};
use uuid::Uuid;

/// The scheme every decoded Hydra id starts with.
const SCHEME: &str = "ciscospark://";

/// People and organisations always use the `us` cluster, whatever the
/// user's real cluster is; clients compare ids as strings, so this must be
/// exact.
const US: &str = "us";

/// Decoders must accept ids with or without `=` padding; real ids have none,
/// but some clients re-encode with padding.
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The same, for ids that were re-encoded with the URL-safe alphabet.
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The resource types the emulator issues ids for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HydraType {
    /// A person or bot.
    People,
    /// An organisation.
    Organization,
    /// A room (a conversation).
    Room,
    /// A message (a post activity).
    Message,
    /// A membership, `<personUuid>:<roomUuid>`.
    Membership,
    /// A team.
    Team,
    /// A team membership, `<personUuid>:<teamUuid>`.
    TeamMembership,
    /// An uploaded file, `<activityUuid>/<index>`.
    Content,
    /// An attachment action (a card submit activity).
    AttachmentAction,
    /// A webhook.
    Webhook,
    /// An application (the `appId` of webhooks).
    Application,
}

impl HydraType {
    /// The `TYPE` segment of the decoded id.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::People => "PEOPLE",
            Self::Organization => "ORGANIZATION",
            Self::Room => "ROOM",
            Self::Message => "MESSAGE",
            Self::Membership => "MEMBERSHIP",
            Self::Team => "TEAM",
            Self::TeamMembership => "TEAM_MEMBERSHIP",
            Self::Content => "CONTENT",
            Self::AttachmentAction => "ATTACHMENT_ACTION",
            Self::Webhook => "WEBHOOK",
            Self::Application => "APPLICATION",
        }
    }
}

/// Encodes a Hydra id the way Hydra does: standard alphabet, no padding.
pub(crate) fn encode(kind: HydraType, cluster: &str, inner: &str) -> String {
    // Every rendered message, person and room carries ids, several per
    // event: the plain text is put together on the stack (it is short), and
    // the only allocation is the id itself.
    const STACK: usize = 128;
    let parts = [SCHEME, cluster, "/", kind.as_str(), "/", inner];
    let len: usize = parts.iter().map(|part| part.len()).sum();
    if len > STACK {
        return STANDARD_NO_PAD.encode(parts.concat());
    }
    let mut plain = [0u8; STACK];
    let mut at = 0;
    for part in parts {
        plain[at..at + part.len()].copy_from_slice(part.as_bytes());
        at += part.len();
    }
    STANDARD_NO_PAD.encode(&plain[..len])
}

/// The id of `kind` whose inner id is `uuid` (written on the stack).
fn encode_uuid(kind: HydraType, uuid: Uuid) -> String {
    let mut text = Uuid::encode_buffer();
    encode(kind, US, uuid.hyphenated().encode_lower(&mut text))
}

/// The Hydra id of a person.
pub(crate) fn person_id(uuid: Uuid) -> String {
    encode_uuid(HydraType::People, uuid)
}

/// The Hydra id of an organisation.
pub(crate) fn org_id(uuid: Uuid) -> String {
    encode_uuid(HydraType::Organization, uuid)
}

/// The Hydra id of any resource whose inner id is one UUID. The emulator's
/// catalog maps its conversation host to cluster `us`, so every id uses it.
pub(crate) fn uuid_id(kind: HydraType, uuid: Uuid) -> String {
    encode_uuid(kind, uuid)
}

/// The Hydra id of a pair such as a membership, `<first>:<second>`.
pub(crate) fn pair_id(kind: HydraType, first: Uuid, second: Uuid) -> String {
    encode(kind, US, &format!("{first}:{second}"))
}

/// The Hydra id of the `index`th file of a message.
pub(crate) fn content_id(message: Uuid, index: usize) -> String {
    encode(HydraType::Content, US, &format!("{message}/{index}"))
}

/// A decoded Hydra id.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct DecodedId {
    /// `us` or `urn:TEAM:<region>_<x>`.
    pub(crate) cluster: String,
    /// `PEOPLE`, `ROOM`, ...
    pub(crate) kind: String,
    /// The uuid, or a composite such as `<person>:<room>`.
    pub(crate) inner: String,
}

/// Decodes a Hydra id: cluster, type and inner id, `/`-separated. Unlike the
/// JS SDK's `deconstructHydraId`, which takes the *last* three parts, this
/// splits from the left, because `CONTENT` ids have a `/` in their inner id
/// and clusters (`us`, `urn:TEAM:...`) never do. `None` for anything that is
/// not base64 of a `ciscospark://` URL.
pub(crate) fn decode(id: &str) -> Option<DecodedId> {
    let bytes = STANDARD_LENIENT
        .decode(id)
        .or_else(|_| URL_SAFE_LENIENT.decode(id))
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let rest = text.strip_prefix(SCHEME)?;
    let mut parts = rest.splitn(3, '/');
    let cluster = parts.next()?;
    let kind = parts.next()?;
    let inner = parts.next()?;
    if inner.is_empty() || kind.is_empty() || cluster.is_empty() {
        return None;
    }
    Some(DecodedId {
        cluster: cluster.to_owned(),
        kind: kind.to_owned(),
        inner: inner.to_owned(),
    })
}

/// Decodes a Hydra id of `kind` whose inner id is a UUID. Any cluster is
/// accepted, since the emulator has only one. A bare UUID is accepted too,
/// as real clients send them (webex-bot replies with the raw activity UUID
/// as `parentId`).
pub(crate) fn decode_uuid(id: &str, kind: HydraType) -> Option<Uuid> {
    if let Ok(uuid) = Uuid::try_parse(id) {
        return Some(uuid);
    }
    let decoded = decode(id)?;
    if decoded.kind != kind.as_str() {
        return None;
    }
    Uuid::parse_str(&decoded.inner).ok()
}

/// Decodes a Hydra id of `kind` whose inner id is `<uuid><separator><rest>`.
pub(crate) fn decode_pair(id: &str, kind: HydraType, separator: char) -> Option<(Uuid, String)> {
    let decoded = decode(id)?;
    if decoded.kind != kind.as_str() {
        return None;
    }
    let (first, second) = decoded.inner.split_once(separator)?;
    Some((Uuid::parse_str(first).ok()?, second.to_owned()))
}

/// Decodes a membership-like id, `<uuid>:<uuid>`.
pub(crate) fn decode_uuid_pair(id: &str, kind: HydraType) -> Option<(Uuid, Uuid)> {
    let (first, second) = decode_pair(id, kind, ':')?;
    Some((first, Uuid::parse_str(&second).ok()?))
}

/// Decodes a `CONTENT` id, `<messageUuid>/<index>`.
pub(crate) fn decode_content(id: &str) -> Option<(Uuid, usize)> {
    let (message, index) = decode_pair(id, HydraType::Content, '/')?;
    Some((message, index.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real person id, from the protocol notes.
    const REAL: &str =
        "Y2lzY29zcGFyazovL3VzL1BFT1BMRS82YmIwODVmYS1mNmIyLTQyMTAtYjI2Ny1iZTBmZGViYjA3YzQ";

    #[test]
    fn decodes_a_real_id() {
        let decoded = decode(REAL).unwrap();
        assert_eq!(decoded.cluster, "us");
        assert_eq!(decoded.kind, "PEOPLE");
        assert_eq!(decoded.inner, "6bb085fa-f6b2-4210-b267-be0fdebb07c4");
    }

    #[test]
    fn encodes_like_hydra() {
        let uuid = Uuid::parse_str("6bb085fa-f6b2-4210-b267-be0fdebb07c4").unwrap();
        assert_eq!(person_id(uuid), REAL);
        assert!(!org_id(uuid).contains('='));
        assert_eq!(
            decode_uuid(&org_id(uuid), HydraType::Organization),
            Some(uuid)
        );
    }

    #[test]
    fn a_long_inner_id_encodes_like_a_short_one() {
        let inner = "x".repeat(300);
        let id = encode(HydraType::Content, "us", &inner);
        assert_eq!(decode(&id).unwrap().inner, inner, "past the stack buffer");
    }

    #[test]
    fn accepts_padding() {
        let padded = format!("{REAL}=");
        assert!(decode(&padded).is_some());
    }

    #[test]
    fn rejects_garbage_and_wrong_types() {
        assert_eq!(decode("not base64!"), None);
        assert_eq!(decode(&STANDARD_NO_PAD.encode("hello")), None);
        assert_eq!(
            decode(&STANDARD_NO_PAD.encode("ciscospark://us/PEOPLE/")),
            None
        );
        let org = org_id(Uuid::new_v4());
        assert_eq!(decode_uuid(&org, HydraType::People), None);
        let not_uuid = encode(HydraType::People, "us", "nope");
        assert_eq!(decode_uuid(&not_uuid, HydraType::People), None);
    }

    #[test]
    fn composite_ids_round_trip() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let membership = pair_id(HydraType::Membership, a, b);
        assert_eq!(
            decode_uuid_pair(&membership, HydraType::Membership),
            Some((a, b))
        );
        assert_eq!(
            decode_uuid_pair(&membership, HydraType::TeamMembership),
            None
        );
        let content = content_id(a, 3);
        assert_eq!(decode_content(&content), Some((a, 3)));
        assert_eq!(decode(&content).unwrap().inner, format!("{a}/3"));
        // Bare UUIDs are accepted for single-UUID ids.
        assert_eq!(decode_uuid(&a.to_string(), HydraType::Message), Some(a));
    }
}
