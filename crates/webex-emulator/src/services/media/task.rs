//! A session's task: the sans-IO `Rtc` driven over its UDP socket on
//! Tokio. It sends what the `Rtc` wants sent, hands received media and
//! keyframe requests to the router, writes frames forwarded to it, and
//! ends when the session is closed, the emulator stops, or the `Rtc` gives
//! up.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use str0m::media::{KeyframeRequest, MediaData};
use str0m::net::{Protocol, Receive};
use str0m::{Event, IceConnectionState, Input, Output};
use tokio::sync::watch;

use super::router::Router;
use super::session::{Session, SessionIo};
use crate::kit::lock;
use crate::kit::sync::stopped;

/// The largest datagram read.
const DATAGRAM: usize = 2048;

/// What one round of polling the `Rtc` produced.
#[derive(Default)]
struct Polled {
    /// Datagrams to send.
    transmits: Vec<(SocketAddr, Vec<u8>)>,
    /// Media received.
    media: Vec<MediaData>,
    /// Keyframe requests the client sent.
    keyframe_requests: Vec<KeyframeRequest>,
    /// When the `Rtc` next wants a timeout.
    deadline: Option<Instant>,
    /// The `Rtc` ended (ICE disconnected, or an error).
    ended: bool,
}

/// Runs `session` until it ends, then removes it from `router` (unless a
/// newer session replaced it).
pub(crate) async fn run(
    session: Arc<Session>,
    io: SessionIo,
    router: Arc<Router>,
    mut stop: watch::Receiver<bool>,
) {
    let SessionIo { socket, mut frames } = io;
    let mut buf = vec![0; DATAGRAM];
    let mut flowing = false;
    loop {
        let polled = poll(&session);
        for (destination, bytes) in &polled.transmits {
            if let Err(error) = socket.send_to(bytes, destination).await {
                tracing::debug!(%error, %destination, "media datagram not sent");
            }
        }
        for data in &polled.media {
            session.counters.received.fetch_add(1, Ordering::Relaxed);
            if !flowing {
                flowing = true;
                router.report_flowing(&session);
            }
            router.deliver(&session, data);
        }
        for request in &polled.keyframe_requests {
            router.request_keyframe(&session, request);
        }
        if polled.ended {
            break;
        }
        let deadline = polled.deadline.unwrap_or_else(Instant::now);
        tokio::select! {
            () = session.closed.notified() => break,
            () = stopped(&mut stop) => break,
            () = session.wake.notified() => {}
            () = tokio::time::sleep_until(deadline.into()) => {
                input(&session, Input::Timeout(Instant::now()));
            }
            received = socket.recv_from(&mut buf) => match received {
                Ok((n, source)) => receive(&session, source, &buf[..n]),
                Err(error) => tracing::debug!(%error, "media socket read failed"),
            },
            Some(frame) = frames.recv() => session.write(&frame),
        }
    }
    router.remove_if_current(&session);
}

/// Polls the `Rtc` until it only waits for a timeout.
fn poll(session: &Session) -> Polled {
    let mut polled = Polled::default();
    let mut rtc = lock(&session.rtc);
    loop {
        match rtc.poll_output() {
            Ok(Output::Timeout(at)) => {
                polled.deadline = Some(at);
                break;
            }
            Ok(Output::Transmit(t)) => polled.transmits.push((t.destination, t.contents.to_vec())),
            Ok(Output::Event(Event::MediaData(data))) => polled.media.push(data),
            Ok(Output::Event(Event::KeyframeRequest(request))) => {
                polled.keyframe_requests.push(request);
            }
            Ok(Output::Event(Event::Connected)) => {
                session.counters.connected.store(true, Ordering::Relaxed);
            }
            Ok(Output::Event(Event::IceConnectionStateChange(
                IceConnectionState::Disconnected,
            ))) => {
                polled.ended = true;
                break;
            }
            Ok(Output::Event(_)) => {}
            Err(error) => {
                tracing::debug!(%error, media_id = %session.key.media_id, "media session failed");
                polled.ended = true;
                break;
            }
        }
    }
    polled.ended |= !rtc.is_alive();
    polled
}

/// Hands `bytes` from `source` to the `Rtc`; packets it does not accept
/// (not for this session, malformed) are dropped.
fn receive(session: &Session, source: SocketAddr, bytes: &[u8]) {
    let Ok(contents) = bytes.try_into() else {
        tracing::debug!(%source, "unrecognised datagram dropped");
        return;
    };
    let receive = Receive {
        proto: Protocol::Udp,
        source,
        destination: session.address,
        contents,
    };
    input(session, Input::Receive(Instant::now(), receive));
}

/// Feeds `input` to the `Rtc`, logging what it refuses.
fn input(session: &Session, input: Input<'_>) {
    let mut rtc = lock(&session.rtc);
    if !rtc.accepts(&input) {
        return;
    }
    if let Err(error) = rtc.handle_input(input) {
        tracing::debug!(%error, media_id = %session.key.media_id, "media input refused");
    }
}
