//! The webrtc-rs event handler: connection state and gathering go to [`Shared`], each remote
//! track gets a task reading its packets.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use async_trait::async_trait;
use webrtc::media_stream::track_remote::TrackRemote;
use webrtc::peer_connection::{
    PeerConnectionEventHandler, RTCIceGatheringState, RTCPeerConnectionState,
};

use super::receive;
use super::shared::Shared;
use crate::backend::BackendEvent;

/// Handles one peer connection's events.
pub(super) struct Handler {
    /// Where they go.
    pub(super) shared: Arc<Shared>,
}

#[async_trait]
impl PeerConnectionEventHandler for Handler {
    async fn on_ice_gathering_state_change(&self, state: RTCIceGatheringState) {
        self.shared
            .gathered
            .send_replace(state == RTCIceGatheringState::Complete);
    }

    async fn on_connection_state_change(&self, state: RTCPeerConnectionState) {
        let connected = &self.shared.connected;
        let event = match state {
            RTCPeerConnectionState::Connected => {
                connected.store(true, Ordering::Release);
                BackendEvent::Connected
            }
            RTCPeerConnectionState::Disconnected => {
                connected.store(false, Ordering::Release);
                BackendEvent::Disconnected
            }
            RTCPeerConnectionState::Failed => {
                connected.store(false, Ordering::Release);
                BackendEvent::Failed("webrtc-rs: the ICE or DTLS transport failed".into())
            }
            _ => return,
        };
        if !self.shared.closed.load(Ordering::Acquire) {
            self.shared.emit(event).await;
        }
    }

    async fn on_track(&self, track: Arc<dyn TrackRemote>) {
        tokio::spawn(receive::run(track, Arc::clone(&self.shared)));
    }
}
