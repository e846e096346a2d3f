//! SDP work the transcoded connection needs on top of the WebRTC stack
//! (`docs/protocol/roap.md`, "SDP"): munging the local offer before it goes to Locus, and
//! checking the answer that comes back. Parsing and printing use the `sdp` crate.

mod check;
mod error;
mod munge;

pub use check::{AnswerSummary, check_answer};
pub use error::SdpError;
pub use munge::{MungeConfig, munge_local_offer};

use ::sdp::SessionDescription;
use ::sdp::description::media::MediaDescription;

/// Parses SDP text.
pub(crate) fn parse(text: &str) -> Result<SessionDescription, SdpError> {
    SessionDescription::unmarshal(&mut std::io::Cursor::new(text.as_bytes()))
        .map_err(|e| SdpError::Parse(e.to_string()))
}

/// The value of a media-level attribute, falling back to the session level.
pub(crate) fn attribute<'a>(
    session: &'a SessionDescription,
    media: &'a MediaDescription,
    key: &str,
) -> Option<&'a str> {
    media
        .attribute(key)
        .flatten()
        .or_else(|| session.attribute(key).map(String::as_str))
}

/// The m-line's `a=mid`.
pub(crate) fn mid(media: &MediaDescription) -> Option<&str> {
    media.attribute("mid").flatten()
}

#[cfg(test)]
mod tests;
