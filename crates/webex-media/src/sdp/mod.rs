//! SDP work the transcoded connection needs on top of the WebRTC stack
//! (`docs/protocol/roap.md`, "SDP"): munging the local offer before it goes to Locus,
//! checking the answer that comes back, and munging a remote SDP before it is applied. Parsing and printing use the `sdp` crate.

mod check;
mod error;
mod munge;
mod remote;

pub use check::{AnswerSummary, check_answer};
pub use error::SdpError;
pub use munge::{MungeConfig, munge_local_offer};
pub use remote::{START_BITRATE_KBPS, munge_remote_sdp};

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

/// Gives every m-line the bundle's candidate lines (`a=candidate`, `a=end-of-candidates`),
/// each once: WebRTC stacks write a bundled transport's candidates on the first m-line only,
/// while a browser's non-trickle offer (and Locus's checks) has them on every m-line.
#[cfg(any(feature = "str0m", feature = "webrtc"))]
pub(crate) fn candidates_on_every_mline(session: &mut SessionDescription) {
    const CANDIDATE_KEYS: [&str; 2] = ["candidate", "end-of-candidates"];
    let mut candidates: Vec<::sdp::description::common::Attribute> = Vec::new();
    for attribute in session
        .media_descriptions
        .iter()
        .flat_map(|m| &m.attributes)
    {
        let known = candidates
            .iter()
            .any(|c| c.key == attribute.key && c.value == attribute.value);
        if CANDIDATE_KEYS.contains(&attribute.key.as_str()) && !known {
            candidates.push(attribute.clone());
        }
    }
    for media in &mut session.media_descriptions {
        for candidate in &candidates {
            let present = media
                .attributes
                .iter()
                .any(|a| a.key == candidate.key && a.value == candidate.value);
            if !present {
                media.attributes.push(candidate.clone());
            }
        }
    }
}

/// Removes every `a=extmap` (session and media level; `a=extmap-allow-mixed` is another
/// attribute).
pub(crate) fn strip_extmap(session: &mut SessionDescription) {
    session.attributes.retain(|a| a.key != "extmap");
    for media in &mut session.media_descriptions {
        media.attributes.retain(|a| a.key != "extmap");
    }
}

/// The payload types whose `a=rtpmap` names H264.
pub(crate) fn h264_payload_types(media: &MediaDescription) -> Vec<String> {
    media
        .attributes
        .iter()
        .filter(|a| a.key == "rtpmap")
        .filter_map(|a| a.value.as_deref())
        .filter_map(|v| v.split_once(' '))
        .filter(|(_, codec)| codec.to_ascii_uppercase().starts_with("H264/"))
        .map(|(pt, _)| pt.to_owned())
        .collect()
}

/// The m-line's `a=mid`.
pub(crate) fn mid(media: &MediaDescription) -> Option<&str> {
    media.attribute("mid").flatten()
}

#[cfg(test)]
mod tests;
