//! The str0m backend: str0m's sans-IO `Rtc` driven by a Tokio task over a UDP socket bound
//! on the local address (port 0), full ICE (controlling) with one host candidate, opus and
//! H.264 only. str0m has no TURN client, so `ice_servers` are not used: media goes to the
//! media server's host candidates directly.

mod counters;
mod ice_watch;
mod offer;
mod peer;
mod task;

use std::net::{SocketAddr, UdpSocket as StdUdpSocket};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use tokio::net::UdpSocket;
use tokio::sync::{Notify, mpsc};

use self::ice_watch::IceWatch;
use self::peer::Peer;
use super::{BackendConfig, BackendEvent, Direction, WebRtcBackend};
use crate::error::MediaError;
use crate::stats::StreamStats;

/// How many events may wait for the connection before the task waits.
const EVENTS_QUEUE: usize = 256;

/// What the backend's methods and its task share.
struct Shared {
    peer: Mutex<Peer>,
    /// Wakes the task after a method changed the `Rtc`.
    wake: Notify,
    /// Ends the task.
    closed: Notify,
    ice: IceWatch,
}

/// A str0m connection.
struct Str0mBackend {
    shared: Arc<Shared>,
    events: Mutex<Option<mpsc::Receiver<BackendEvent>>>,
}

/// Starts a str0m connection: binds its socket and spawns its task.
pub(crate) fn start(config: BackendConfig) -> Result<Box<dyn WebRtcBackend>, MediaError> {
    // str0m needs a process-wide crypto provider; installing it again is a no-op.
    str0m::crypto::from_feature_flags().install_process_default();
    if !config.ice_servers.is_empty() {
        tracing::warn!(
            servers = config.ice_servers.len(),
            "str0m has no TURN client: ICE servers unused, host candidates only"
        );
    }
    let std_socket = StdUdpSocket::bind(SocketAddr::new(config.local_ip, 0))?;
    std_socket.set_nonblocking(true)?;
    let address = std_socket.local_addr()?;
    let socket = UdpSocket::from_std(std_socket)?;
    let peer = Peer::new(address, [config.audio, config.video, config.share])?;
    let shared = Arc::new(Shared {
        peer: Mutex::new(peer),
        wake: Notify::new(),
        closed: Notify::new(),
        ice: IceWatch::new(config.ice_timeout),
    });
    let (sender, receiver) = mpsc::channel(EVENTS_QUEUE);
    tokio::spawn(task::run(Arc::clone(&shared), socket, sender));
    Ok(Box::new(Str0mBackend {
        shared,
        events: Mutex::new(Some(receiver)),
    }))
}

impl Str0mBackend {
    /// Runs `f` on the peer, then lets the task poll what it changed.
    fn with_peer<T>(&self, f: impl FnOnce(&mut Peer) -> T) -> T {
        let out = f(&mut crate::lock(&self.shared.peer));
        self.shared.wake.notify_one();
        out
    }
}

#[async_trait]
impl WebRtcBackend for Str0mBackend {
    async fn create_offer(&self) -> Result<String, MediaError> {
        let offer = self.with_peer(Peer::create_offer)?;
        offer::with_candidates_on_every_mline(&offer)
    }

    async fn apply_answer(&self, sdp: &str) -> Result<(), MediaError> {
        self.with_peer(|peer| peer.apply_answer(sdp))?;
        self.shared.ice.answer_applied();
        // The task picks up the new deadline.
        self.shared.wake.notify_one();
        Ok(())
    }

    async fn set_directions(
        &self,
        audio: Direction,
        video: Direction,
        share: Direction,
    ) -> Result<(), MediaError> {
        self.with_peer(|peer| peer.set_directions([audio, video, share]));
        Ok(())
    }

    fn send_audio(&self, opus: &[u8]) -> Result<(), MediaError> {
        // Dropped (not an error) before the connection is up.
        self.with_peer(|peer| peer.write_audio(opus))
            .map(|_written| ())
    }

    fn send_video(&self, access_unit: &[u8], rtp_time: u32) -> Result<(), MediaError> {
        self.with_peer(|peer| peer.write_video(access_unit, rtp_time))
            .map(|_written| ())
    }

    fn take_events(&self) -> Option<mpsc::Receiver<BackendEvent>> {
        crate::lock(&self.events).take()
    }

    async fn stats(&self) -> Result<Vec<StreamStats>, MediaError> {
        Ok(crate::lock(&self.shared.peer).stats())
    }

    async fn close(&self) {
        self.shared.closed.notify_one();
    }
}
