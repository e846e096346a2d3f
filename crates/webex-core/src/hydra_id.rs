//! Decoding Hydra ids: unpadded base64 of `ciscospark://<cluster>/<TYPE>/<inner>`.
//!
//! Every plugin that receives a Hydra id from the user (messages, meetings, the device
//! manager) decodes it here, so there is one reading of the format. Typed ids live in
//! `webex-messages`.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};

use crate::{Error, ErrorKind, Result};

/// What every decoded Hydra id starts with.
pub const SCHEME: &str = "ciscospark://";

/// Real ids are unpadded, but ids re-encoded elsewhere may carry `=` padding.
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The same for ids re-encoded with the URL-safe alphabet.
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The parts of a decoded Hydra id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct DecodedId {
    /// `us` or `urn:TEAM:<region>_<x>`.
    pub cluster: String,
    /// The `TYPE` segment, e.g. `ROOM`.
    pub kind: String,
    /// A uuid, or a composite such as `<person>:<room>`.
    pub inner: String,
}

/// Decodes any Hydra id like the JS SDK's `deconstructHydraId`: cluster, type and inner id
/// (a `urn:TEAM:…` cluster has no `/`; a `CONTENT` inner id does).
///
/// # Errors
/// [`ErrorKind::InvalidInput`] when `id` is not base64 of a `ciscospark://` URL.
pub fn decode(id: &str) -> Result<DecodedId> {
    let invalid = || {
        Error::new(
            ErrorKind::InvalidInput,
            format!("`{id}` is not a Hydra id (base64 of ciscospark://<cluster>/<TYPE>/<id>)"),
        )
    };
    let bytes = STANDARD_LENIENT
        .decode(id)
        .or_else(|_| URL_SAFE_LENIENT.decode(id))
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let rest = text.strip_prefix(SCHEME).ok_or_else(invalid)?;
    // Split from the front: the cluster and TYPE never contain `/`, a CONTENT inner id does.
    let (cluster, rest) = rest.split_once('/').ok_or_else(invalid)?;
    let (kind, inner) = rest.split_once('/').ok_or_else(invalid)?;
    if cluster.is_empty() || kind.is_empty() || inner.is_empty() {
        return Err(invalid());
    }
    Ok(DecodedId {
        cluster: cluster.to_owned(),
        kind: kind.to_owned(),
        inner: inner.to_owned(),
    })
}
