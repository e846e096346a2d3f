//! A WebRTC client for the media server's tests: str0m as the offering,
//! ICE-controlling, DTLS-active peer, on its own UDP socket on 127.0.0.1,
//! with the three m-lines of a transcoded Webex offer (audio, video, share
//! video). It sends Opus frames on the audio line and, when asked, H.264
//! access units on the video line, and asks for keyframes.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use str0m::change::{SdpAnswer, SdpPendingOffer};
use str0m::format::Codec;
use str0m::media::{Direction, Frequency, KeyframeRequestKind, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, Input, Output, Rtc, RtcConfig};
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// How long a test waits for something the peer expects (a hang guard).
const PATIENCE: Duration = Duration::from_secs(10);

/// Samples per 20 ms Opus frame at 48 kHz.
const FRAME_SAMPLES: u64 = 960;

/// 90 kHz ticks per 20 ms video frame.
const VIDEO_TICKS: u64 = 1800;

/// What a running peer saw.
#[derive(Debug)]
pub(crate) enum Seen {
    /// ICE and DTLS are up.
    Connected,
    /// A media frame arrived: its m-line kind and bytes.
    Frame(MediaKind, Vec<u8>),
    /// The server asked for a keyframe on the video line.
    KeyframeRequest,
}

/// What a running peer sends once connected, every 20 ms.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Sending {
    /// Opus frames on the audio line, starting with these bytes.
    pub(crate) voice: Option<&'static [u8]>,
    /// H.264 access units (one IDR slice) on the video line, whose slice
    /// data starts with these bytes.
    pub(crate) video: Option<&'static [u8]>,
}

/// A peer before it runs: its `Rtc`, socket and pending offer.
pub(crate) struct Peer {
    rtc: Rtc,
    socket: UdpSocket,
    address: SocketAddr,
    pending: Option<SdpPendingOffer>,
    audio: Option<Mid>,
    video: Option<Mid>,
    share: Option<Mid>,
}

impl Peer {
    /// A peer with a host candidate on a fresh loopback socket.
    pub(crate) async fn new() -> Peer {
        str0m::crypto::from_feature_flags().install_process_default();
        let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        let address = socket.local_addr().unwrap();
        let mut rtc = RtcConfig::new().build(Instant::now());
        rtc.add_local_candidate(Candidate::host(address, "udp").unwrap());
        Peer {
            rtc,
            socket,
            address,
            pending: None,
            audio: None,
            video: None,
            share: None,
        }
    }

    /// The first offer: sendrecv audio, sendrecv video and a share video
    /// line that only receives.
    pub(crate) fn offer(&mut self) -> String {
        let mut api = self.rtc.sdp_api();
        self.audio = Some(api.add_media(MediaKind::Audio, Direction::SendRecv, None, None, None));
        self.video = Some(api.add_media(MediaKind::Video, Direction::SendRecv, None, None, None));
        self.share = Some(api.add_media(MediaKind::Video, Direction::RecvOnly, None, None, None));
        let (offer, pending) = api.apply().expect("an offer");
        self.pending = Some(pending);
        offer.to_sdp_string()
    }

    /// A renegotiation: the share line now sends too (as when a share
    /// starts).
    pub(crate) fn reoffer_sharing(&mut self) -> String {
        let share = self.share.expect("offered before");
        let mut api = self.rtc.sdp_api();
        api.set_direction(share, Direction::SendRecv);
        let (offer, pending) = api.apply().expect("an offer");
        self.pending = Some(pending);
        offer.to_sdp_string()
    }

    /// Applies the server's answer to the pending offer.
    pub(crate) fn accept(&mut self, answer: &str) {
        let answer = SdpAnswer::from_sdp_string(answer).expect("a parsable answer");
        let pending = self.pending.take().expect("an offer pending");
        self.rtc
            .sdp_api()
            .accept_answer(pending, answer)
            .expect("the answer accepted");
    }

    /// Runs the peer on its own task; once connected it sends what
    /// `sending` says.
    pub(crate) fn run(self, sending: Sending) -> Running {
        let (seen, events) = mpsc::unbounded_channel();
        let (stop, stopped) = oneshot::channel();
        let (keyframe, keyframe_asked) = mpsc::unbounded_channel();
        let task = tokio::spawn(drive(self, sending, seen, stopped, keyframe_asked));
        Running {
            events,
            stop: Some(stop),
            keyframe,
            task,
            saw_video: false,
        }
    }
}

/// A running peer.
pub(crate) struct Running {
    events: mpsc::UnboundedReceiver<Seen>,
    stop: Option<oneshot::Sender<()>>,
    keyframe: mpsc::UnboundedSender<()>,
    task: JoinHandle<()>,
    saw_video: bool,
}

impl Running {
    /// Waits until ICE and DTLS are up.
    pub(crate) async fn connected(&mut self) {
        self.until(|seen| matches!(seen, Seen::Connected)).await;
    }

    /// Waits for an audio frame starting with `voice`.
    pub(crate) async fn hears(&mut self, voice: &[u8]) -> Vec<u8> {
        let seen = self
            .until(|seen| {
                matches!(seen, Seen::Frame(MediaKind::Audio, data) if data.starts_with(voice))
            })
            .await;
        match seen {
            Seen::Frame(_, data) => data,
            _ => unreachable!(),
        }
    }

    /// Waits for a video frame whose bytes contain `marker`.
    pub(crate) async fn sees(&mut self, marker: &[u8]) {
        self.until(|seen| {
            matches!(seen, Seen::Frame(MediaKind::Video, data)
                if data.windows(marker.len()).any(|w| w == marker))
        })
        .await;
    }

    /// Asks the server for a keyframe (PLI) on the video line.
    pub(crate) fn request_keyframe(&self) {
        self.keyframe.send(()).expect("the peer runs");
    }

    /// Waits until the server asks for a keyframe.
    pub(crate) async fn keyframe_requested(&mut self) {
        self.until(|seen| matches!(seen, Seen::KeyframeRequest))
            .await;
    }

    /// Every audio frame received so far (without waiting).
    pub(crate) fn heard_so_far(&mut self) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        while let Ok(seen) = self.events.try_recv() {
            if let Seen::Frame(MediaKind::Audio, data) = seen {
                out.push(data);
            }
        }
        out
    }

    /// Whether a video frame arrived so far (without waiting).
    pub(crate) fn saw_video_so_far(&mut self) -> bool {
        while let Ok(seen) = self.events.try_recv() {
            self.note(&seen);
        }
        self.saw_video
    }

    /// Remembers what passes by that a later question may ask about.
    fn note(&mut self, seen: &Seen) {
        self.saw_video |= matches!(seen, Seen::Frame(MediaKind::Video, _));
    }

    /// Stops the peer and closes its socket.
    pub(crate) async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.await.unwrap();
    }

    /// The first event `wanted` accepts, skipping the others.
    async fn until(&mut self, wanted: impl Fn(&Seen) -> bool) -> Seen {
        let found = tokio::time::timeout(PATIENCE, async {
            loop {
                let seen = self.events.recv().await.expect("the peer runs");
                self.note(&seen);
                if wanted(&seen) {
                    return seen;
                }
            }
        })
        .await;
        found.expect("the peer saw it in time")
    }
}

/// The peer's loop: the sans-IO `Rtc` over its socket, plus the frames it
/// sends.
async fn drive(
    mut peer: Peer,
    sending: Sending,
    seen: mpsc::UnboundedSender<Seen>,
    mut stopped: oneshot::Receiver<()>,
    mut keyframe_asked: mpsc::UnboundedReceiver<()>,
) {
    let mut buf = vec![0; 2048];
    let mut connected = false;
    let mut sent: u64 = 0;
    let mut pace = tokio::time::interval(Duration::from_millis(20));
    loop {
        let deadline = loop {
            match peer.rtc.poll_output().expect("the peer's rtc") {
                Output::Timeout(at) => break at,
                Output::Transmit(t) => {
                    let _ = peer.socket.send_to(&t.contents, t.destination).await;
                }
                Output::Event(Event::Connected) => {
                    connected = true;
                    let _ = seen.send(Seen::Connected);
                }
                Output::Event(Event::MediaData(data)) => {
                    let kind = peer.rtc.media(data.mid).map(|m| m.kind());
                    let kind = kind.unwrap_or(MediaKind::Video);
                    let _ = seen.send(Seen::Frame(kind, data.data.to_vec()));
                }
                Output::Event(Event::KeyframeRequest(_)) => {
                    let _ = seen.send(Seen::KeyframeRequest);
                }
                Output::Event(_) => {}
            }
        };
        tokio::select! {
            _ = &mut stopped => return,
            () = tokio::time::sleep_until(deadline.into()) => {
                peer.rtc.handle_input(Input::Timeout(Instant::now())).unwrap();
            }
            received = peer.socket.recv_from(&mut buf) => {
                let (n, source) = received.unwrap();
                let Ok(contents) = buf[..n].try_into() else { continue };
                let input = Input::Receive(
                    Instant::now(),
                    Receive { proto: Protocol::Udp, source, destination: peer.address, contents },
                );
                if peer.rtc.accepts(&input) {
                    peer.rtc.handle_input(input).unwrap();
                }
            }
            Some(()) = keyframe_asked.recv() => {
                let mid = peer.video.expect("a video line");
                let mut writer = peer.rtc.writer(mid).expect("a video writer");
                writer.request_keyframe(None, KeyframeRequestKind::Pli).unwrap();
            }
            _ = pace.tick(), if connected => {
                if let (Some(voice), Some(mid)) = (sending.voice, peer.audio) {
                    let mut frame = voice.to_vec();
                    frame.extend_from_slice(&sent.to_be_bytes());
                    let time = MediaTime::new(sent * FRAME_SAMPLES, Frequency::FORTY_EIGHT_KHZ);
                    write(&mut peer.rtc, mid, Codec::Opus, time, frame);
                }
                if let (Some(video), Some(mid)) = (sending.video, peer.video) {
                    // One IDR slice NAL unit in Annex-B framing.
                    let mut unit = vec![0, 0, 0, 1, 0x65];
                    unit.extend_from_slice(video);
                    unit.extend_from_slice(&sent.to_be_bytes());
                    let time = MediaTime::new(sent * VIDEO_TICKS, Frequency::NINETY_KHZ);
                    write(&mut peer.rtc, mid, Codec::H264, time, unit);
                }
                sent += 1;
            }
        }
    }
}

/// Writes one frame of `codec` on `mid`.
fn write(rtc: &mut Rtc, mid: Mid, codec: Codec, time: MediaTime, frame: Vec<u8>) {
    let writer = rtc.writer(mid).expect("a writer");
    let pt = writer
        .payload_params()
        .find(|p| p.spec().codec == codec)
        .map(|p| p.pt())
        .expect("the codec negotiated");
    writer.write(pt, Instant::now(), time, frame).unwrap();
}
