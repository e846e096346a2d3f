//! Why ROAP text from the wire could not be read.

use thiserror::Error;

/// A ROAP message, `localSdp` or `remoteSdp` that could not be read. Outside input only ever
/// produces one of these, never a panic.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RoapParseError {
    /// The text is not JSON, or its JSON does not have the message's shape.
    #[error("malformed ROAP JSON: {0}")]
    Json(String),
    /// `version` is present and is not `"2"`.
    #[error("unsupported ROAP version {0:?} (only \"2\" is spoken)")]
    UnsupportedVersion(String),
    /// A `remoteSdp` wrapper without its `roapMessage`.
    #[error("remoteSdp carries no roapMessage")]
    NoRoapMessage,
    /// A TURN discovery response lacks one of the three `x-cisco-turn-*` headers.
    #[error("TURN discovery response lacks the {0} header")]
    MissingTurnHeader(&'static str),
}

impl From<serde_json::Error> for RoapParseError {
    fn from(error: serde_json::Error) -> Self {
        RoapParseError::Json(error.to_string())
    }
}
