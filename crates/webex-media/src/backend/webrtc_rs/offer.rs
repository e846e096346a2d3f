//! What webrtc-rs's offer lacks for Locus: it lists the candidates on the first (bundled)
//! m-line only, while every audio and video m-line must carry them; and the share m-line is
//! marked `a=content:slides`.

use ::sdp::description::common::Attribute;

use super::shared::line_index;
use crate::sdp::{SdpError, candidates_on_every_mline, parse};
use crate::stats::MediaKind;

/// `offer` with every m-line carrying the candidates and the share m-line marked.
///
/// # Errors
///
/// [`SdpError`] when webrtc-rs's SDP does not parse.
pub(super) fn complete(offer: &str) -> Result<String, SdpError> {
    let mut session = parse(offer)?;
    candidates_on_every_mline(&mut session);
    for (index, media) in session.media_descriptions.iter_mut().enumerate() {
        let share = index == line_index(MediaKind::Share);
        if share && media.attribute("content").is_none() {
            media.attributes.push(Attribute::new(
                "content".to_owned(),
                Some("slides".to_owned()),
            ));
        }
    }
    Ok(session.marshal())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// webrtc-rs's offer shape: BUNDLE, the candidates on the first m-line only.
    const OFFER: &str = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n\
        a=group:BUNDLE 0 1 2\r\n\
        m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n\
        a=ice-ufrag:u\r\na=ice-pwd:p\r\na=rtpmap:111 opus/48000/2\r\na=sendrecv\r\n\
        a=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host\r\n\
        a=candidate:1 2 udp 2130706431 127.0.0.1 5000 typ host\r\na=end-of-candidates\r\n\
        m=video 9 UDP/TLS/RTP/SAVPF 102\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\n\
        a=ice-ufrag:u\r\na=ice-pwd:p\r\na=rtpmap:102 H264/90000\r\na=recvonly\r\n\
        m=video 9 UDP/TLS/RTP/SAVPF 102\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\n\
        a=ice-ufrag:u\r\na=ice-pwd:p\r\na=rtpmap:102 H264/90000\r\na=recvonly\r\n";

    /// The lines of the m-line starting `m=<kind> ... ` with `a=mid:<mid>`.
    fn section<'a>(sdp: &'a str, mid: &str) -> &'a str {
        let start = sdp.find(&format!("a=mid:{mid}\r\n")).unwrap();
        let end = sdp[start..].find("m=").map_or(sdp.len(), |e| start + e);
        &sdp[start..end]
    }

    #[test]
    fn every_m_line_carries_the_candidates_once_and_the_share_line_is_slides() {
        let completed = complete(OFFER).unwrap();
        for mid in ["0", "1", "2"] {
            let lines = section(&completed, mid);
            assert_eq!(lines.matches("a=candidate:").count(), 2, "{completed}");
            assert_eq!(
                lines.matches("a=end-of-candidates").count(),
                1,
                "{completed}"
            );
        }
        assert!(!section(&completed, "1").contains("a=content:"));
        assert!(section(&completed, "2").contains("a=content:slides"));
        // Completing twice changes nothing; the munging accepts it.
        assert_eq!(complete(&completed).unwrap(), completed);
        let munged = crate::sdp::munge_local_offer(&completed, &Default::default()).unwrap();
        assert_eq!(section(&munged, "2").matches("a=content:slides").count(), 1);
    }

    #[test]
    fn an_offer_that_does_not_parse_is_an_error() {
        assert!(complete("not sdp").is_err());
    }
}
