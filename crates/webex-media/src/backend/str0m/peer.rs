//! The str0m side of one connection: the `Rtc` and what the offer/answer exchange and the
//! statistics need around it. Shared (behind a mutex never held across an await) by the
//! backend's methods and its task.

use std::net::SocketAddr;
use std::time::Instant;

use str0m::change::{SdpAnswer, SdpPendingOffer};
use str0m::format::Codec;
use str0m::media::{Direction as RtcDirection, Frequency, MediaKind as RtcKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, IceConnectionState, Input, Output, Rtc, RtcConfig};

use super::counters::Counters;
use crate::backend::{BackendEvent, Direction};
use crate::error::MediaError;
use crate::stats::{MediaKind, StreamDirection, StreamStats};

/// How often str0m reports RTCP-derived statistics.
const STATS_INTERVAL: std::time::Duration = std::time::Duration::from_secs(1);
/// RTP timestamp units per 20 ms Opus frame.
const SAMPLES_PER_FRAME: u64 = 960;

/// What one round of polling the `Rtc` produced.
#[derive(Default)]
pub(super) struct Polled {
    /// Datagrams to send.
    pub(super) transmits: Vec<(SocketAddr, Vec<u8>)>,
    /// Events for the connection.
    pub(super) events: Vec<BackendEvent>,
    /// When the `Rtc` next wants a timeout.
    pub(super) deadline: Option<Instant>,
    /// The `Rtc` gave up (an error, or it is no longer alive), with why.
    pub(super) ended: Option<String>,
}

/// The m-lines, once offered.
#[derive(Clone, Copy, Debug)]
struct Mids {
    audio: Mid,
    video: Mid,
    share: Mid,
}

/// The `Rtc` and its negotiation.
pub(super) struct Peer {
    rtc: Rtc,
    address: SocketAddr,
    mids: Option<Mids>,
    directions: [Direction; 3],
    /// The offer awaiting its answer.
    pending: Option<SdpPendingOffer>,
    /// The last offer made (made again when nothing changed since).
    last_offer: Option<String>,
    /// The next audio frame's RTP timestamp.
    audio_clock: u64,
    pub(super) counters: Counters,
}

impl Peer {
    /// A peer whose host candidate is `address`.
    pub(super) fn new(address: SocketAddr, directions: [Direction; 3]) -> Result<Self, MediaError> {
        let mut rtc = RtcConfig::new()
            .clear_codecs()
            .enable_opus(true, false)
            .enable_h264(true)
            .set_stats_interval(Some(STATS_INTERVAL))
            .build(Instant::now());
        let candidate = Candidate::host(address, "udp")
            .map_err(|e| MediaError::Backend(format!("host candidate {address}: {e}")))?;
        rtc.add_local_candidate(candidate);
        Ok(Peer {
            rtc,
            address,
            mids: None,
            directions,
            pending: None,
            last_offer: None,
            audio_clock: 0,
            counters: Counters::default(),
        })
    }

    /// The offer: the three m-lines the first time, direction changes later, the last offer
    /// again when nothing changed.
    pub(super) fn create_offer(&mut self) -> Result<String, MediaError> {
        let [audio, video, share] = self.directions.map(rtc_direction);
        let mut api = self.rtc.sdp_api();
        match self.mids {
            None => {
                let mids = Mids {
                    audio: api.add_media(RtcKind::Audio, audio, None, None, None),
                    video: api.add_media(RtcKind::Video, video, None, None, None),
                    share: api.add_media(RtcKind::Video, share, None, None, None),
                };
                self.mids = Some(mids);
            }
            Some(mids) => {
                api.set_direction(mids.audio, audio);
                api.set_direction(mids.video, video);
                api.set_direction(mids.share, share);
            }
        }
        match api.apply() {
            Some((offer, pending)) => {
                let text = offer.to_sdp_string();
                self.pending = Some(pending);
                self.last_offer = Some(text.clone());
                Ok(text)
            }
            None => self
                .last_offer
                .clone()
                .ok_or_else(|| MediaError::Backend("str0m made no offer".into())),
        }
    }

    /// Applies the answer to the pending offer (an answer to an offer made again unchanged
    /// changes nothing).
    pub(super) fn apply_answer(&mut self, sdp: &str) -> Result<(), MediaError> {
        let answer = SdpAnswer::from_sdp_string(sdp)
            .map_err(|e| MediaError::Backend(format!("unreadable answer: {e}")))?;
        let Some(pending) = self.pending.take() else {
            return Ok(());
        };
        self.rtc
            .sdp_api()
            .accept_answer(pending, answer)
            .map_err(|e| MediaError::Backend(format!("answer refused: {e}")))
    }

    /// Records new directions (offered next time).
    pub(super) fn set_directions(&mut self, directions: [Direction; 3]) {
        self.directions = directions;
    }

    /// Writes one Opus frame; dropped (`Ok(false)`) before the audio m-line can send.
    pub(super) fn write_audio(&mut self, opus: &[u8]) -> Result<bool, MediaError> {
        let Some(mids) = self.mids else {
            return Ok(false);
        };
        let time = MediaTime::new(self.audio_clock, Frequency::FORTY_EIGHT_KHZ);
        self.audio_clock += SAMPLES_PER_FRAME;
        if !self.rtc.is_connected() {
            return Ok(false);
        }
        let Some(writer) = self.rtc.writer(mids.audio) else {
            return Ok(false);
        };
        let Some(pt) = writer
            .payload_params()
            .find(|p| p.spec().codec == Codec::Opus)
            .map(|p| p.pt())
        else {
            return Ok(false);
        };
        writer
            .write(pt, Instant::now(), time, opus.to_vec())
            .map_err(|e| MediaError::Backend(format!("audio not written: {e}")))?;
        self.counters.sent_audio(opus.len());
        Ok(true)
    }

    /// Writes one H.264 access unit (Annex-B) on the video m-line, which str0m packetizes;
    /// dropped (`Ok(false)`) before the connection is up or when video is not sent.
    pub(super) fn write_video(
        &mut self,
        access_unit: &[u8],
        rtp_time: u32,
    ) -> Result<bool, MediaError> {
        let Some(mids) = self.mids else {
            return Ok(false);
        };
        if !self.rtc.is_connected() || !self.directions[1].sends() {
            return Ok(false);
        }
        let Some(writer) = self.rtc.writer(mids.video) else {
            return Ok(false);
        };
        // Non-interleaved mode: the one our offers and the media server's answers share.
        let Some(pt) = writer
            .payload_params()
            .find(|p| {
                p.spec().codec == Codec::H264 && p.spec().format.packetization_mode == Some(1)
            })
            .or_else(|| {
                writer
                    .payload_params()
                    .find(|p| p.spec().codec == Codec::H264)
            })
            .map(|p| p.pt())
        else {
            return Ok(false);
        };
        let time = MediaTime::new(u64::from(rtp_time), Frequency::NINETY_KHZ);
        writer
            .write(pt, Instant::now(), time, access_unit.to_vec())
            .map_err(|e| MediaError::Backend(format!("video not written: {e}")))?;
        self.counters.sent_video(access_unit.len());
        Ok(true)
    }

    /// Hands a datagram from `source` to the `Rtc`; what it does not accept is dropped.
    pub(super) fn receive(&mut self, source: SocketAddr, bytes: &[u8]) {
        let Ok(contents) = bytes.try_into() else {
            tracing::debug!(%source, "unrecognised datagram dropped");
            return;
        };
        let receive = Receive {
            proto: Protocol::Udp,
            source,
            destination: self.address,
            contents,
        };
        self.input(Input::Receive(Instant::now(), receive));
    }

    /// Time passed.
    pub(super) fn timeout(&mut self) {
        self.input(Input::Timeout(Instant::now()));
    }

    fn input(&mut self, input: Input<'_>) {
        if !self.rtc.accepts(&input) {
            return;
        }
        if let Err(error) = self.rtc.handle_input(input) {
            tracing::debug!(%error, "media input refused");
        }
    }

    /// Polls the `Rtc` until it only waits for a timeout.
    pub(super) fn poll(&mut self) -> Polled {
        let mut polled = Polled::default();
        loop {
            match self.rtc.poll_output() {
                Ok(Output::Timeout(at)) => {
                    polled.deadline = Some(at);
                    break;
                }
                Ok(Output::Transmit(t)) => {
                    polled.transmits.push((t.destination, t.contents.to_vec()));
                }
                Ok(Output::Event(event)) => self.event(event, &mut polled),
                Err(error) => {
                    polled.ended = Some(format!("str0m failed: {error}"));
                    break;
                }
            }
        }
        if polled.ended.is_none() && !self.rtc.is_alive() {
            polled.ended = Some("the str0m connection ended".into());
        }
        polled
    }

    fn event(&mut self, event: Event, polled: &mut Polled) {
        match event {
            Event::Connected => polled.events.push(BackendEvent::Connected),
            Event::IceConnectionStateChange(IceConnectionState::Disconnected) => {
                polled.events.push(BackendEvent::Disconnected);
            }
            Event::MediaData(data) => {
                let Some(kind) = self.kind(data.mid) else {
                    return;
                };
                self.counters.received(kind, &data);
                polled.events.push(match kind {
                    MediaKind::Audio => BackendEvent::Audio {
                        payload: data.data.to_vec(),
                        // RTP carries the low 32 and 16 bits.
                        rtp_timestamp: data.time.numer() as u32,
                        sequence: **data.seq_range.end() as u16,
                    },
                    MediaKind::Video => BackendEvent::VideoFrame { share: false },
                    MediaKind::Share => BackendEvent::VideoFrame { share: true },
                });
            }
            Event::KeyframeRequest(request) if self.kind(request.mid) == Some(MediaKind::Video) => {
                polled.events.push(BackendEvent::KeyframeRequested);
            }
            Event::MediaIngressStats(stats) => {
                if let Some(kind) = self.kind(stats.mid) {
                    self.counters.ingress(kind, &stats);
                }
            }
            Event::MediaEgressStats(stats) => {
                if let Some(kind) = self.kind(stats.mid) {
                    self.counters.egress(kind, &stats);
                }
            }
            _ => {}
        }
    }

    fn kind(&self, mid: Mid) -> Option<MediaKind> {
        let mids = self.mids?;
        [
            (mids.audio, MediaKind::Audio),
            (mids.video, MediaKind::Video),
            (mids.share, MediaKind::Share),
        ]
        .into_iter()
        .find_map(|(m, kind)| (m == mid).then_some(kind))
    }

    /// The statistics of every stream that carried media.
    pub(super) fn stats(&mut self) -> Vec<StreamStats> {
        let Some(mids) = self.mids else {
            return Vec::new();
        };
        let mut api = self.rtc.direct_api();
        let mut ssrcs = Vec::new();
        for (mid, kind) in [
            (mids.audio, MediaKind::Audio),
            (mids.video, MediaKind::Video),
            (mids.share, MediaKind::Share),
        ] {
            if let Some(tx) = api.stream_tx_by_mid(mid, None) {
                ssrcs.push((kind, StreamDirection::Send, *tx.ssrc()));
            }
            if let Some(rx) = api.stream_rx_by_mid(mid, None) {
                ssrcs.push((kind, StreamDirection::Receive, *rx.ssrc()));
            }
        }
        self.counters.snapshot(|kind, direction| {
            ssrcs
                .iter()
                .find(|(k, d, _)| *k == kind && *d == direction)
                .map(|(_, _, ssrc)| *ssrc)
        })
    }

    /// Closes the `Rtc`.
    pub(super) fn disconnect(&mut self) {
        self.rtc.disconnect();
    }
}

/// str0m's direction for ours.
fn rtc_direction(direction: Direction) -> RtcDirection {
    match direction {
        Direction::SendRecv => RtcDirection::SendRecv,
        Direction::SendOnly => RtcDirection::SendOnly,
        Direction::RecvOnly => RtcDirection::RecvOnly,
        Direction::Inactive => RtcDirection::Inactive,
    }
}
