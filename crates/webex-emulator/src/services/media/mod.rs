//! The media server: one WebRTC session per participant-device on str0m,
//! answering the ROAP offers Locus receives (`docs/protocol/media-server.md`).
//!
//! Locus reaches it through [`crate::kit::media::MediaServer`]; each
//! session (`session.rs`) has its own UDP socket on 127.0.0.1 and its own
//! task (`task.rs`); the router (`router.rs`) forwards audio, video, share
//! and keyframe requests between the sessions of a meeting, line to line
//! (`lines.rs`), and tells the world when media flows.

mod lines;
mod router;
mod session;
mod task;

#[cfg(test)]
mod answer_tests;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use str0m::change::SdpOffer;
use uuid::Uuid;

use self::router::Router;
use self::session::Session;
use crate::app::AppState;
use crate::kit::media::{MediaAnswer, MediaError, MediaServer, MediaSessionKey};

/// One media session as an admin read shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaSessionInfo {
    /// The device's `mediaId`.
    pub media_id: String,
    /// The locus (meeting) id.
    pub locus_id: String,
    /// The participant id.
    pub participant_id: String,
    /// The device URL.
    pub device_url: String,
    /// The session's UDP address (its host candidate).
    pub address: SocketAddr,
    /// ICE and DTLS are connected.
    pub connected: bool,
    /// Media frames received from the client.
    pub frames_received: u64,
    /// Media frames sent to the client.
    pub frames_sent: u64,
    /// Frames meant for the client that were dropped.
    pub frames_dropped: u64,
}

/// The media server.
pub(crate) struct MediaService {
    /// The live sessions.
    router: Arc<Router>,
    /// The emulator's state (its stop signal ends every session).
    state: AppState,
    /// Numbers sessions, so a replaced session's late reports are ignored.
    generations: AtomicU64,
}

impl std::fmt::Debug for MediaService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaService")
            .field("router", &self.router)
            .finish_non_exhaustive()
    }
}

impl MediaService {
    /// A media server whose sessions report to `state`'s world.
    pub(crate) fn new(state: AppState) -> Self {
        // str0m needs a process-wide crypto provider; installing it again
        // is a no-op.
        str0m::crypto::from_feature_flags().install_process_default();
        Self {
            router: Arc::new(Router::new(Arc::clone(&state))),
            state,
            generations: AtomicU64::new(0),
        }
    }

    /// Every live session, ordered by locus then media id.
    pub(crate) fn sessions(&self) -> Vec<MediaSessionInfo> {
        let mut out: Vec<MediaSessionInfo> = self
            .router
            .all()
            .iter()
            .map(|session| info(session))
            .collect();
        out.sort_by(|a, b| (&a.locus_id, &a.media_id).cmp(&(&b.locus_id, &b.media_id)));
        out
    }
}

/// The admin view of `session`.
fn info(session: &Session) -> MediaSessionInfo {
    let counters = &session.counters;
    MediaSessionInfo {
        media_id: session.key.media_id.to_string(),
        locus_id: session.key.locus.to_string(),
        participant_id: session.key.participant.to_string(),
        device_url: session.key.device_url.clone(),
        address: session.address,
        connected: counters.connected.load(Ordering::Relaxed),
        frames_received: counters.received.load(Ordering::Relaxed),
        frames_sent: counters.sent.load(Ordering::Relaxed),
        frames_dropped: counters.dropped.load(Ordering::Relaxed),
    }
}

impl MediaServer for MediaService {
    fn answer(&self, key: &MediaSessionKey, offer: &str) -> Result<MediaAnswer, MediaError> {
        let parsed =
            SdpOffer::from_sdp_string(offer).map_err(|e| MediaError::BadOffer(e.to_string()))?;
        if let Some(session) = self.router.get(key.media_id)
            && session.key == *key
        {
            return session.renegotiate(parsed, offer);
        }
        let generation = self.generations.fetch_add(1, Ordering::Relaxed);
        let (session, answer, io) = Session::open(key.clone(), generation, parsed, offer)?;
        if let Some(earlier) = self.router.insert(Arc::clone(&session)) {
            earlier.closed.notify_one();
        }
        tokio::spawn(task::run(
            session,
            io,
            Arc::clone(&self.router),
            self.state.shutdown.subscribe(),
        ));
        Ok(answer)
    }

    fn close(&self, media_id: Uuid) -> bool {
        let Some(session) = self.router.remove(media_id) else {
            return false;
        };
        session.closed.notify_one();
        true
    }
}
