//! The URLs of a meeting's live state that more than one service writes:
//! meeting info answers with a locus URL, Locus with its own and with the
//! data-channel URLs the data-channel service serves.

use uuid::Uuid;

/// The base path of Locus (the catalog's `locus`).
pub(crate) const LOCUS_BASE_PATH: &str = "/locus/api/v1";

/// The base path of the data-channel service.
pub(crate) const DATACHANNEL_BASE_PATH: &str = "/datachannel/api/v1";

/// `{base}/locus/api/v1/loci/{locusId}`.
pub(crate) fn locus_url(base_url: &str, locus: Uuid) -> String {
    format!("{base_url}{LOCUS_BASE_PATH}/loci/{locus}")
}

/// Where a client registers for the meeting's data channel
/// (`info.datachannelUrl`).
pub(crate) fn datachannel_url(base_url: &str, locus: Uuid) -> String {
    format!("{base_url}{DATACHANNEL_BASE_PATH}/locus/{locus}/registrations")
}

/// Where a client posts reactions
/// (`controls.reactions.reactionChannelUrl`).
pub(crate) fn reaction_channel_url(base_url: &str, locus: Uuid) -> String {
    format!("{base_url}{DATACHANNEL_BASE_PATH}/locus/{locus}/reactions")
}
