//! The live sessions, and who hears and sees whom: within one meeting
//! (locus), each session's audio, video and share go to every other
//! session on the same line; a session alone in its meeting hears itself
//! (an audio echo, so a lone client can check its audio path; video is not
//! echoed). A keyframe request (PLI or FIR) a client sends on a line goes
//! to the other sessions that send that line, so a receiver that joins
//! late, or lost packets, gets a picture it can decode.
//!
//! With three or more sessions, a receiver gets every other sender's
//! frames on its one stream per line, interleaved (there is no mixer or
//! selection); two sessions, the common test, get each other's streams
//! untouched.
//!
//! Sessions are indexed by meeting too, so routing a frame costs the size
//! of its meeting, not of every meeting on the server.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use str0m::media::{KeyframeRequest, MediaData};
use uuid::Uuid;

use super::lines::Line;
use super::session::{Frame, Session};
use crate::app::AppState;
use crate::kit::lock;

/// Every live session by `mediaId`.
pub(crate) struct Router {
    /// For reporting to the world that media flows.
    state: AppState,
    /// The sessions.
    sessions: Mutex<Sessions>,
}

/// The sessions, by `mediaId` and by meeting; both always hold the same
/// sessions.
#[derive(Default)]
struct Sessions {
    by_media: HashMap<Uuid, Arc<Session>>,
    by_locus: HashMap<Uuid, Vec<Arc<Session>>>,
}

impl Sessions {
    fn insert(&mut self, session: Arc<Session>) -> Option<Arc<Session>> {
        let earlier = self.remove(session.key.media_id);
        self.by_locus
            .entry(session.key.locus)
            .or_default()
            .push(Arc::clone(&session));
        self.by_media.insert(session.key.media_id, session);
        earlier
    }

    fn remove(&mut self, media_id: Uuid) -> Option<Arc<Session>> {
        let session = self.by_media.remove(&media_id)?;
        if let Some(meeting) = self.by_locus.get_mut(&session.key.locus) {
            meeting.retain(|s| s.key.media_id != media_id);
            if meeting.is_empty() {
                self.by_locus.remove(&session.key.locus);
            }
        }
        Some(session)
    }

    /// The sessions of `from`'s meeting other than `from`.
    fn peers_of(&self, from: &Session) -> Vec<Arc<Session>> {
        self.by_locus
            .get(&from.key.locus)
            .into_iter()
            .flatten()
            .filter(|s| s.key.media_id != from.key.media_id)
            .cloned()
            .collect()
    }
}

impl std::fmt::Debug for Router {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Router")
            .field("sessions", &lock(&self.sessions).by_media.len())
            .finish_non_exhaustive()
    }
}

impl Router {
    /// An empty router reporting to `state`'s world.
    pub(crate) fn new(state: AppState) -> Self {
        Self {
            state,
            sessions: Mutex::new(Sessions::default()),
        }
    }

    /// The session of `media_id`.
    pub(crate) fn get(&self, media_id: Uuid) -> Option<Arc<Session>> {
        lock(&self.sessions).by_media.get(&media_id).cloned()
    }

    /// Every session.
    pub(crate) fn all(&self) -> Vec<Arc<Session>> {
        lock(&self.sessions).by_media.values().cloned().collect()
    }

    /// Adds `session`, replacing (and returning) the device's earlier one.
    pub(crate) fn insert(&self, session: Arc<Session>) -> Option<Arc<Session>> {
        lock(&self.sessions).insert(session)
    }

    /// Removes the session of `media_id`.
    pub(crate) fn remove(&self, media_id: Uuid) -> Option<Arc<Session>> {
        lock(&self.sessions).remove(media_id)
    }

    /// Removes `session` if it is still the device's current one (its task
    /// ended on its own).
    pub(crate) fn remove_if_current(&self, session: &Session) {
        let mut sessions = lock(&self.sessions);
        if sessions
            .by_media
            .get(&session.key.media_id)
            .is_some_and(|current| current.generation == session.generation)
        {
            sessions.remove(session.key.media_id);
        }
    }

    /// Routes what `from` received to the other sessions of its meeting,
    /// on the same line; audio goes back to `from` when it is alone.
    pub(crate) fn deliver(&self, from: &Session, data: &MediaData) {
        let Some(line) = from.line_of(data.mid) else {
            return;
        };
        let frame = Frame {
            line,
            params: data.params,
            time: data.time,
            arrived: data.network_time,
            data: Arc::clone(&data.data),
        };
        let peers = lock(&self.sessions).peers_of(from);
        if peers.is_empty() && line == Line::Audio {
            from.write(&frame);
        }
        for peer in peers {
            peer.enqueue(frame.clone());
        }
    }

    /// `from`'s client asked for a keyframe on one of its lines: the
    /// other sessions of its meeting ask their clients (the senders).
    pub(crate) fn request_keyframe(&self, from: &Session, request: &KeyframeRequest) {
        let Some(line) = from.line_of(request.mid) else {
            return;
        };
        let peers = lock(&self.sessions).peers_of(from);
        for peer in peers {
            peer.request_keyframe(line, request.kind);
        }
    }

    /// Media reached `session`: its device's media sessions turn active,
    /// unless the session was replaced or closed meanwhile.
    pub(crate) fn report_flowing(&self, session: &Session) {
        let current = self
            .get(session.key.media_id)
            .is_some_and(|s| s.generation == session.generation);
        if !current {
            return;
        }
        let mut data = lock(&self.state.data);
        if let Err(error) = data.media_flowing(&session.key) {
            // The device left or the meeting ended between the packet and
            // this report: nothing to show any more.
            tracing::debug!(?error, media_id = %session.key.media_id, "media flow not recorded");
        }
        data.drain("");
    }
}
