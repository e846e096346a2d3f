//! The changes the transcoded client makes to a remote SDP before applying it: a start
//! bitrate on every H264 format, no header extensions, and no candidates of the `xtls`
//! transport (Webex media servers may list them; a WebRTC stack cannot use them).

use super::{SdpError, h264_payload_types, parse, strip_extmap};

/// The start bitrate given to every H264 format, kbit/s.
pub const START_BITRATE_KBPS: u32 = 2000;

const START_BITRATE: &str = "x-google-start-bitrate";

/// Munges a remote answer (or offer) before it is applied. Applying it twice changes nothing.
///
/// # Errors
///
/// [`SdpError::Parse`] when the SDP does not parse.
pub fn munge_remote_sdp(remote: &str) -> Result<String, SdpError> {
    let mut session = parse(remote)?;
    strip_extmap(&mut session);
    for media in &mut session.media_descriptions {
        media
            .attributes
            .retain(|a| !(a.is_ice_candidate() && is_xtls(a.value.as_deref())));
        let h264 = h264_payload_types(media);
        for fmtp in media.attributes.iter_mut().filter(|a| a.key == "fmtp") {
            let Some(value) = fmtp.value.as_mut() else {
                continue;
            };
            let payload_type = value.split_whitespace().next().unwrap_or_default();
            if h264.iter().any(|pt| pt == payload_type) && !value.contains(START_BITRATE) {
                value.push_str(&format!(";{START_BITRATE}={START_BITRATE_KBPS}"));
            }
        }
    }
    Ok(session.marshal())
}

/// `a=candidate:<foundation> <component> <transport> ...`: the third token.
fn is_xtls(candidate: Option<&str>) -> bool {
    candidate
        .and_then(|c| c.split_whitespace().nth(2))
        .is_some_and(|transport| transport.eq_ignore_ascii_case("xtls"))
}
