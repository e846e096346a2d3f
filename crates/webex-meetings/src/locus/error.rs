//! What can be wrong with a Locus DTO.

/// A Locus DTO the client cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LocusError {
    /// Not a Locus DTO: not JSON, a required field missing (`url`, `sequence` with its
    /// `rangeStart` and `rangeEnd`, a participant's `id`), or a field of the wrong type (a
    /// sequence number that is not an unsigned integer).
    #[error("malformed Locus DTO: {reason}")]
    Malformed {
        /// What the parser said, with the path of the bad field.
        reason: String,
    },
}

impl LocusError {
    pub(crate) fn malformed(err: serde_json::Error) -> LocusError {
        LocusError::Malformed {
            reason: err.to_string(),
        }
    }
}
