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
}

impl HydraType {
    /// The `TYPE` segment of the decoded id.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::People => "PEOPLE",
            Self::Organization => "ORGANIZATION",
        }
    }
}

/// Encodes a Hydra id the way Hydra does: standard alphabet, no padding.
pub(crate) fn encode(kind: HydraType, cluster: &str, inner: &str) -> String {
    STANDARD_NO_PAD.encode(format!("{SCHEME}{cluster}/{}/{inner}", kind.as_str()))
}

/// The Hydra id of a person.
pub(crate) fn person_id(uuid: Uuid) -> String {
    encode(HydraType::People, US, &uuid.to_string())
}

/// The Hydra id of an organisation.
pub(crate) fn org_id(uuid: Uuid) -> String {
    encode(HydraType::Organization, US, &uuid.to_string())
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

/// Decodes a Hydra id like the JS SDK's `deconstructHydraId`: the last three
/// `/`-separated parts are cluster, type and id. `None` for anything that is
/// not base64 of a `ciscospark://` URL.
pub(crate) fn decode(id: &str) -> Option<DecodedId> {
    let bytes = STANDARD_LENIENT
        .decode(id)
        .or_else(|_| URL_SAFE_LENIENT.decode(id))
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let rest = text.strip_prefix(SCHEME)?;
    let mut parts = rest.rsplitn(3, '/');
    let inner = parts.next()?;
    let kind = parts.next()?;
    let cluster = parts.next()?;
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
/// accepted, since the emulator has only one.
pub(crate) fn decode_uuid(id: &str, kind: HydraType) -> Option<Uuid> {
    let decoded = decode(id)?;
    if decoded.kind != kind.as_str() {
        return None;
    }
    Uuid::parse_str(&decoded.inner).ok()
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
}
