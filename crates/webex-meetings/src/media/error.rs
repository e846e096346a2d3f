//! Why a meeting's media could not be set up or changed. The meeting stays usable after
//! any of them: the connection is closed, and `add_media` may be called again.

use webex_media::MediaError;

/// A media failure of a meeting (inside [`MeetingError::Media`](crate::MeetingError::Media)).
///
/// The connection's errors are typed in [`MediaError`]: an answer lacking an m-line is
/// `MediaError::Sdp`, a ROAP `ERROR` from Locus (or no answer within 35 s) is
/// `MediaError::Roap`, ICE or DTLS failing (or not connecting within 20 s) is
/// `MediaError::IceFailed`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MediaFailure {
    /// The media connection failed or refused: see [`MediaError`].
    #[error(transparent)]
    Connection(#[from] MediaError),
    /// The `PUT {selfUrl}/media` that carried a ROAP message failed.
    #[error("sending the ROAP message to Locus failed: {0}")]
    Signalling(String),
}
