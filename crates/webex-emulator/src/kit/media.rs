//! The seam between Locus and the media server.
//!
//! Locus answers a client's ROAP `OFFER` in the HTTP response, so it needs
//! a media server synchronously; services never import each other, so
//! Locus sees the media server only through [`MediaServer`], which
//! `services/media` implements and `server.rs` hands to Locus's routes.

use std::fmt::Debug;

use uuid::Uuid;

/// One participant-device's media session: whose it is and in which
/// meeting (its locus), keyed by the device's stable `mediaId`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct MediaSessionKey {
    /// The meeting's locus: sessions of one locus hear each other.
    pub(crate) locus: Uuid,
    /// The participant the device belongs to.
    pub(crate) participant: Uuid,
    /// The device (`device.url`).
    pub(crate) device_url: String,
    /// The device's `mediaId`, unique per participant-device.
    pub(crate) media_id: Uuid,
}

/// What one answered m-line carries, in the offer's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NegotiatedLine {
    /// `audio` or `video`.
    pub(crate) media_type: &'static str,
    /// `main`, or `slides` for a second video line (the share).
    pub(crate) content: &'static str,
    /// The answer's direction as the client sees it (`sendrecv`,
    /// `sendonly`, `recvonly`, `inactive`): the offer's, mirrored back.
    pub(crate) direction: &'static str,
}

/// An accepted offer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct MediaAnswer {
    /// The answer SDP.
    pub(crate) sdp: String,
    /// Every answered m-line.
    pub(crate) lines: Vec<NegotiatedLine>,
}

/// Why an offer was not accepted; the message goes to the client as the
/// ROAP error's cause.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum MediaError {
    /// The offer SDP could not be parsed or answered.
    #[error("the offer was not accepted: {0}")]
    BadOffer(String),
    /// The server could not open a socket for the session.
    #[error("no media transport: {0}")]
    Transport(String),
}

/// A media server as Locus uses it.
pub(crate) trait MediaServer: Send + Sync + Debug {
    /// Answers `offer` for `key`'s session: a new session (new transport)
    /// when there is none, a renegotiation of the existing one otherwise.
    ///
    /// # Errors
    ///
    /// [`MediaError`] when the offer cannot be answered; the session is
    /// then unchanged.
    fn answer(&self, key: &MediaSessionKey, offer: &str) -> Result<MediaAnswer, MediaError>;

    /// Ends the session with `media_id` (leave, transport reset) and frees
    /// its socket; `false` when there was none.
    fn close(&self, media_id: Uuid) -> bool;
}
