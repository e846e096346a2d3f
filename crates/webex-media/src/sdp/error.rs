//! Why an SDP was refused.

use thiserror::Error;

/// An SDP that cannot be sent or accepted. `index` is the m-line's position, from 0.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SdpError {
    /// The text is not SDP.
    #[error("unparsable SDP: {0}")]
    Parse(String),
    /// An m-line with port 0 (a rejected or disabled medium is not offered that way).
    #[error("m-line {index} has port 0")]
    PortZero {
        /// The m-line.
        index: usize,
    },
    /// An audio or video m-line without any ICE candidate (non-trickle: all must be there).
    #[error("m-line {index} has no ICE candidate")]
    NoCandidate {
        /// The m-line.
        index: usize,
    },
    /// An audio or video m-line without ICE ufrag or pwd (at media or session level).
    #[error("m-line {index} lacks ICE credentials (ice-ufrag and ice-pwd)")]
    NoIceCredentials {
        /// The m-line.
        index: usize,
    },
    /// A video m-line that does not offer H264.
    #[error("video m-line {index} does not offer H264")]
    NoH264 {
        /// The m-line.
        index: usize,
    },
    /// The answer has fewer m-lines than the offer.
    #[error("answer lacks m-line {index}")]
    AnswerLacksMline {
        /// The first missing m-line.
        index: usize,
    },
    /// The answer has more m-lines than the offer.
    #[error("answer has {answered} m-lines, the offer {offered}")]
    AnswerHasExtraMlines {
        /// m-lines offered.
        offered: usize,
        /// m-lines answered.
        answered: usize,
    },
    /// An answered m-line of another media kind.
    #[error("answer m-line {index} is {answered}, the offer's is {offered}")]
    MediaKindMismatch {
        /// The m-line.
        index: usize,
        /// The offer's kind.
        offered: String,
        /// The answer's kind.
        answered: String,
    },
    /// An answered m-line whose mid differs from the offer's.
    #[error("answer m-line {index} has mid {answered:?}, the offer's is {offered:?}")]
    MidMismatch {
        /// The m-line.
        index: usize,
        /// The offer's mid.
        offered: Option<String>,
        /// The answer's mid.
        answered: Option<String>,
    },
    /// The offer bundles its m-lines and the answer's `BUNDLE` group misses one.
    #[error("answer's BUNDLE group lacks mid {mid}")]
    NotBundled {
        /// The mid missing from the group.
        mid: String,
    },
}
