//! One participant-device's media session: its str0m `Rtc` (ICE-lite,
//! passive DTLS, BUNDLE, opus and H.264 only) and its UDP socket on
//! 127.0.0.1, plus what its task and the router need to reach it.
//!
//! The `Rtc` sits behind a mutex shared by two parties that never hold it
//! across an await: the HTTP handler answering a (re)offer, and the
//! session's task (`task.rs`) feeding it packets, timeouts and forwarded
//! media. The handler wakes the task after a renegotiation so it polls the
//! `Rtc` again.

use std::net::{Ipv4Addr, SocketAddr, UdpSocket as StdUdpSocket};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use str0m::change::SdpOffer;
use str0m::format::PayloadParams;
use str0m::media::{Direction, KeyframeRequestKind, MediaKind, MediaTime, Mid};
use str0m::{Candidate, Rtc, RtcConfig};
use tokio::net::UdpSocket;
use tokio::sync::{Notify, mpsc};

use super::lines::{Line, Lines};
use crate::kit::lock;
use crate::kit::media::{MediaAnswer, MediaError, MediaSessionKey, NegotiatedLine};

/// How many forwarded frames may wait for a session's task; more are
/// dropped (and counted), as a congested UDP path would.
const FORWARD_QUEUE: usize = 256;

/// A media frame on its way from one session to another (or back).
#[derive(Clone, Debug)]
pub(crate) struct Frame {
    /// The line it came on, and goes out on.
    pub(crate) line: Line,
    /// The sender's codec parameters, matched to the receiver's payload
    /// type.
    pub(crate) params: PayloadParams,
    /// RTP media time.
    pub(crate) time: MediaTime,
    /// When the first packet of it arrived.
    pub(crate) arrived: Instant,
    /// The depacketized frame.
    pub(crate) data: Arc<[u8]>,
}

/// Counters an admin read shows.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    /// ICE and DTLS are up.
    pub(crate) connected: AtomicBool,
    /// Frames received from the client.
    pub(crate) received: AtomicU64,
    /// Frames sent to the client (forwarded or echoed).
    pub(crate) sent: AtomicU64,
    /// Frames meant for the client that were dropped (queue full, or no
    /// payload type or sending m-line to carry them).
    pub(crate) dropped: AtomicU64,
}

/// What the session's task owns: its socket and its queue of forwarded
/// frames.
#[derive(Debug)]
pub(crate) struct SessionIo {
    /// The session's UDP socket.
    pub(crate) socket: UdpSocket,
    /// Frames other sessions forwarded to this one.
    pub(crate) frames: mpsc::Receiver<Frame>,
}

/// A live media session.
#[derive(Debug)]
pub(crate) struct Session {
    /// Whose session it is.
    pub(crate) key: MediaSessionKey,
    /// Tells this session from an earlier one of the same device (after a
    /// transport reset), so a late report of the old one changes nothing.
    pub(crate) generation: u64,
    /// The socket's address (the answer's host candidate).
    pub(crate) address: SocketAddr,
    /// The WebRTC state machine.
    pub(crate) rtc: Mutex<Rtc>,
    /// The answered m-lines and their directions.
    lines: Mutex<Lines>,
    /// Wakes the task after the handler changed the `Rtc`.
    pub(crate) wake: Notify,
    /// Ends the task.
    pub(crate) closed: Notify,
    /// Hands frames to the task.
    forward: mpsc::Sender<Frame>,
    /// Counters.
    pub(crate) counters: Counters,
}

impl Session {
    /// Opens a session for `key` answering `offer` (whose text is
    /// `offer_text`): binds its socket and builds its `Rtc`.
    ///
    /// # Errors
    ///
    /// [`MediaError::Transport`] when no socket can be bound,
    /// [`MediaError::BadOffer`] when str0m refuses the offer.
    pub(crate) fn open(
        key: MediaSessionKey,
        generation: u64,
        offer: SdpOffer,
        offer_text: &str,
    ) -> Result<(Arc<Session>, MediaAnswer, SessionIo), MediaError> {
        let transport = |e: std::io::Error| MediaError::Transport(e.to_string());
        let std_socket = StdUdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).map_err(transport)?;
        std_socket.set_nonblocking(true).map_err(transport)?;
        let address = std_socket.local_addr().map_err(transport)?;
        let socket = UdpSocket::from_std(std_socket).map_err(transport)?;
        let mut rtc = RtcConfig::new()
            .set_ice_lite(true)
            .clear_codecs()
            .enable_opus(true, false)
            .enable_h264(true)
            .build(Instant::now());
        let candidate =
            Candidate::host(address, "udp").map_err(|e| MediaError::Transport(e.to_string()))?;
        rtc.add_local_candidate(candidate);
        let (forward, frames) = mpsc::channel(FORWARD_QUEUE);
        let session = Session {
            key,
            generation,
            address,
            rtc: Mutex::new(rtc),
            lines: Mutex::new(Lines::default()),
            wake: Notify::new(),
            closed: Notify::new(),
            forward,
            counters: Counters::default(),
        };
        let answer = session.accept(offer, offer_text)?;
        Ok((Arc::new(session), answer, SessionIo { socket, frames }))
    }

    /// Answers a further offer on the same transport (renegotiation).
    ///
    /// # Errors
    ///
    /// [`MediaError::BadOffer`] when str0m refuses it; the session keeps
    /// its earlier negotiation.
    pub(crate) fn renegotiate(
        &self,
        offer: SdpOffer,
        offer_text: &str,
    ) -> Result<MediaAnswer, MediaError> {
        let answer = self.accept(offer, offer_text)?;
        self.wake.notify_one();
        Ok(answer)
    }

    /// Applies `offer` and describes the answer.
    fn accept(&self, offer: SdpOffer, offer_text: &str) -> Result<MediaAnswer, MediaError> {
        let mut rtc = lock(&self.rtc);
        let answer = rtc
            .sdp_api()
            .accept_offer(offer)
            .map_err(|e| MediaError::BadOffer(e.to_string()))?;
        let mut lines = Vec::new();
        let mut answered = Lines::default();
        let mut videos = 0;
        for mid in offered_mids(offer_text) {
            let mid = Mid::from(mid);
            let Some(media) = rtc.media(mid) else {
                continue;
            };
            let ours = media.direction();
            let line = match media.kind() {
                MediaKind::Audio => Line::Audio,
                MediaKind::Video => {
                    videos += 1;
                    if videos == 1 {
                        Line::Video
                    } else {
                        Line::Share
                    }
                }
            };
            answered.push(mid, line, ours);
            let (media_type, content) = line.locus_names();
            lines.push(NegotiatedLine {
                media_type,
                content,
                direction: client_direction(ours),
            });
        }
        *lock(&self.lines) = answered;
        Ok(MediaAnswer {
            sdp: answer.to_sdp_string(),
            lines,
        })
    }

    /// Queues `frame` for the task to send to the client; counts it as
    /// dropped when the queue is full.
    pub(crate) fn enqueue(&self, frame: Frame) {
        if self.forward.try_send(frame).is_err() {
            self.counters.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The line `mid` is, in the last answer.
    pub(crate) fn line_of(&self, mid: Mid) -> Option<Line> {
        lock(&self.lines).line_of(mid)
    }

    /// Writes `frame` to the client on the session's m-line for the
    /// frame's line, with the client's payload type for the frame's codec.
    /// Called by the task only.
    pub(crate) fn write(&self, frame: &Frame) {
        let sent = {
            let mut rtc = lock(&self.rtc);
            let mid = lock(&self.lines).sending(frame.line);
            mid.and_then(|mid| rtc.writer(mid)).is_some_and(|writer| {
                writer.match_params(frame.params).is_some_and(|pt| {
                    writer
                        .write(pt, frame.arrived, frame.time, Arc::clone(&frame.data))
                        .is_ok()
                })
            })
        };
        let counter = if sent {
            &self.counters.sent
        } else {
            &self.counters.dropped
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Asks the client for a keyframe on the m-line it sends `line` on
    /// (FIR when negotiated and asked for, else PLI); nothing when the
    /// client does not send that line.
    pub(crate) fn request_keyframe(&self, line: Line, kind: KeyframeRequestKind) {
        let requested = {
            let mut rtc = lock(&self.rtc);
            let mid = lock(&self.lines).receiving(line);
            mid.and_then(|mid| rtc.writer(mid))
                .is_some_and(|mut writer| {
                    let kind = if writer.is_request_keyframe_possible(kind) {
                        kind
                    } else {
                        KeyframeRequestKind::Pli
                    };
                    writer.request_keyframe(None, kind).is_ok()
                })
        };
        if requested {
            // The request leaves as RTCP when the task next polls.
            self.wake.notify_one();
        }
    }
}

/// The `a=mid:` values of an SDP, in order.
fn offered_mids(sdp: &str) -> impl Iterator<Item = &str> {
    sdp.lines()
        .filter_map(|line| line.trim_end().strip_prefix("a=mid:"))
}

/// The direction the client has on an m-line the server answered with
/// `ours`: the mirror image.
fn client_direction(ours: Direction) -> &'static str {
    match ours {
        Direction::SendRecv => "sendrecv",
        Direction::SendOnly => "recvonly",
        Direction::RecvOnly => "sendonly",
        Direction::Inactive => "inactive",
    }
}
