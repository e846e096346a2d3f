//! str0m's offer made complete the way a browser's non-trickle offer is: str0m writes the
//! bundled transport's candidates on the first m-line only; a browser (and Locus's checks)
//! has them on every m-line of the bundle.

use crate::error::MediaError;

/// `offer` with the first m-line's candidates on every m-line
/// ([`crate::sdp::candidates_on_every_mline`]).
pub(super) fn with_candidates_on_every_mline(offer: &str) -> Result<String, MediaError> {
    let mut session = crate::sdp::parse(offer)?;
    crate::sdp::candidates_on_every_mline(&mut session);
    Ok(session.marshal())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_of_the_first_mline_reach_the_others() {
        let offer = "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n\
            m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n\
            a=candidate:1 1 udp 2130706175 127.0.0.1 5000 typ host\r\na=mid:0\r\n\
            m=video 9 UDP/TLS/RTP/SAVPF 127\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\n";
        let completed = with_candidates_on_every_mline(offer).unwrap();
        assert_eq!(completed.matches("a=candidate:1 1 udp").count(), 2);
        // Applying it again adds nothing.
        let again = with_candidates_on_every_mline(&completed).unwrap();
        assert_eq!(again, completed);
    }
}
