//! The peer's reception reports about what we send. webrtc-rs 0.21 keeps no remote-inbound
//! statistics from them (and its interceptor chain ends inbound RTCP before the application),
//! so this interceptor, the closest to the wire, reads the report blocks of every RTCP sender
//! and receiver report as it passes and keeps the latest per SSRC: cumulative loss, jitter,
//! and the round-trip time of RFC 3550 §6.4.1 from the block's LSR and DLSR. It also
//! watches for keyframe requests (PLI, FIR) about our video SSRC and reports them as
//! [`BackendEvent::KeyframeRequested`].

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rtc::interceptor::{Interceptor, Packet, StreamInfo, TaggedPacket};
use rtc::rtcp::payload_feedbacks::full_intra_request::FullIntraRequest;
use rtc::rtcp::payload_feedbacks::picture_loss_indication::PictureLossIndication;
use rtc::rtcp::receiver_report::ReceiverReport;
use rtc::rtcp::reception_report::ReceptionReport;
use rtc::rtcp::sender_report::SenderReport;
use rtc::sansio::Protocol;
use rtc::shared::error::Error;
use tokio::sync::mpsc;

use crate::backend::BackendEvent;

/// Seconds from the NTP epoch (1900) to the Unix epoch (1970).
const NTP_UNIX_OFFSET: u64 = 2_208_988_800;

/// What the peer last reported about one of our streams.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct RemoteReport {
    /// Packets lost, cumulative.
    pub(super) packets_lost: u64,
    /// Interarrival jitter in RTP timestamp units.
    pub(super) jitter: u32,
    /// The round-trip time, when the block answers one of our sender reports.
    pub(super) round_trip_time: Option<Duration>,
}

/// The latest report per SSRC, shared between the interceptor and the statistics.
#[derive(Debug, Default)]
pub(super) struct RemoteReports(Mutex<HashMap<u32, RemoteReport>>);

impl RemoteReports {
    /// The latest report about `ssrc`.
    pub(super) fn get(&self, ssrc: u32) -> Option<RemoteReport> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&ssrc)
            .copied()
    }

    /// Records `block`, received at `now` (wall clock).
    fn record(&self, block: &ReceptionReport, now: SystemTime) {
        let mut reports = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let previous = reports.get(&block.ssrc).and_then(|r| r.round_trip_time);
        reports.insert(
            block.ssrc,
            RemoteReport {
                packets_lost: u64::from(block.total_lost),
                jitter: block.jitter,
                round_trip_time: round_trip_time(block, now).or(previous),
            },
        );
    }
}

/// RFC 3550 §6.4.1: arrival − LSR − DLSR, all in the middle 32 bits of NTP time (1/65536 s).
/// `None` when the block answers no sender report (LSR 0) or the clocks disagree.
fn round_trip_time(block: &ReceptionReport, now: SystemTime) -> Option<Duration> {
    if block.last_sender_report == 0 {
        return None;
    }
    let since_unix = now.duration_since(UNIX_EPOCH).ok()?;
    let seconds = since_unix.as_secs() + NTP_UNIX_OFFSET;
    let fraction = (u64::from(since_unix.subsec_nanos()) << 32) / 1_000_000_000;
    // The low 16 bits of the seconds and the high 16 bits of the fraction.
    let arrival = (((seconds & 0xffff) << 16) | (fraction >> 16)) as u32;
    let rtt = arrival
        .wrapping_sub(block.last_sender_report)
        .wrapping_sub(block.delay);
    // A "negative" result wraps to a huge value: no sensible RTT.
    (rtt < 0x8000_0000).then(|| Duration::from_secs_f64(f64::from(rtt) / 65_536.0))
}

/// Reads inbound report blocks into [`RemoteReports`]; changes no packet.
pub(super) struct ReportReader {
    /// Where the reports go.
    reports: Arc<RemoteReports>,
    /// Our video SSRC, and where a keyframe request about it is reported.
    keyframes: (u32, mpsc::Sender<BackendEvent>),
    /// Inbound packets, passed on unchanged.
    read: VecDeque<TaggedPacket>,
    /// Outbound packets, passed on unchanged.
    write: VecDeque<TaggedPacket>,
}

impl ReportReader {
    /// A reader recording into `reports`.
    pub(super) fn new(
        reports: Arc<RemoteReports>,
        video_ssrc: u32,
        events: mpsc::Sender<BackendEvent>,
    ) -> Self {
        ReportReader {
            reports,
            keyframes: (video_ssrc, events),
            read: VecDeque::new(),
            write: VecDeque::new(),
        }
    }
}

impl Protocol<TaggedPacket, TaggedPacket, ()> for ReportReader {
    type Rout = TaggedPacket;
    type Wout = TaggedPacket;
    type Eout = ();
    type Error = Error;
    type Time = std::time::Instant;

    fn handle_read(&mut self, msg: TaggedPacket) -> Result<(), Self::Error> {
        if let Packet::Rtcp(packets) = &msg.message.packet {
            let now = SystemTime::now();
            let (video_ssrc, events) = &self.keyframes;
            if asks_for_keyframe(packets, *video_ssrc) {
                // A full queue means the connection is behind; the periodic keyframe follows.
                if let Err(error) = events.try_send(BackendEvent::KeyframeRequested) {
                    tracing::debug!(%error, "keyframe request not passed on");
                }
            }
            for packet in packets {
                let any = packet.as_any();
                let blocks = if let Some(sr) = any.downcast_ref::<SenderReport>() {
                    &sr.reports
                } else if let Some(rr) = any.downcast_ref::<ReceiverReport>() {
                    &rr.reports
                } else {
                    continue;
                };
                for block in blocks {
                    self.reports.record(block, now);
                }
            }
        }
        self.read.push_back(msg);
        Ok(())
    }

    fn poll_read(&mut self) -> Option<Self::Rout> {
        self.read.pop_front()
    }

    fn handle_write(&mut self, msg: TaggedPacket) -> Result<(), Self::Error> {
        self.write.push_back(msg);
        Ok(())
    }

    fn poll_write(&mut self) -> Option<Self::Wout> {
        self.write.pop_front()
    }
}

impl Interceptor for ReportReader {
    fn bind_local_stream(&mut self, _info: &StreamInfo) {}
    fn unbind_local_stream(&mut self, _info: &StreamInfo) {}
    fn bind_remote_stream(&mut self, _info: &StreamInfo) {}
    fn unbind_remote_stream(&mut self, _info: &StreamInfo) {}
}

/// Whether `packets` hold a PLI or FIR about `ssrc`.
fn asks_for_keyframe(packets: &[Box<dyn rtc::rtcp::Packet>], ssrc: u32) -> bool {
    packets.iter().any(|packet| {
        let any = packet.as_any();
        any.downcast_ref::<PictureLossIndication>()
            .is_some_and(|pli| pli.media_ssrc == ssrc)
            || any
                .downcast_ref::<FullIntraRequest>()
                .is_some_and(|fir| fir.fir.iter().any(|entry| entry.ssrc == ssrc))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rtc::rtcp::payload_feedbacks::full_intra_request::FirEntry;

    #[test]
    fn a_pli_or_fir_about_our_video_asks_for_a_keyframe() {
        let pli = |media_ssrc| -> Vec<Box<dyn rtc::rtcp::Packet>> {
            vec![Box::new(PictureLossIndication {
                sender_ssrc: 1,
                media_ssrc,
            })]
        };
        assert!(asks_for_keyframe(&pli(42), 42));
        assert!(!asks_for_keyframe(&pli(43), 42));
        let fir: Vec<Box<dyn rtc::rtcp::Packet>> = vec![Box::new(FullIntraRequest {
            sender_ssrc: 1,
            media_ssrc: 0,
            fir: vec![FirEntry {
                ssrc: 42,
                sequence_number: 1,
            }],
        })];
        assert!(asks_for_keyframe(&fir, 42));
        assert!(!asks_for_keyframe(&fir, 7));
        let report: Vec<Box<dyn rtc::rtcp::Packet>> = vec![Box::new(ReceiverReport::default())];
        assert!(!asks_for_keyframe(&report, 42));
    }

    /// A block answering a sender report sent at `sent` and held `delay` by the peer.
    fn block(sent: SystemTime, delay: Duration) -> ReceptionReport {
        let since_unix = sent.duration_since(UNIX_EPOCH).unwrap();
        let seconds = since_unix.as_secs() + NTP_UNIX_OFFSET;
        let fraction = (u64::from(since_unix.subsec_nanos()) << 32) / 1_000_000_000;
        ReceptionReport {
            ssrc: 7,
            total_lost: 3,
            jitter: 96,
            last_sender_report: (((seconds & 0xffff) << 16) | (fraction >> 16)) as u32,
            delay: (delay.as_secs_f64() * 65_536.0) as u32,
            ..Default::default()
        }
    }

    #[test]
    fn round_trip_time_is_arrival_minus_lsr_minus_dlsr() {
        let sent = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let block = block(sent, Duration::from_millis(200));
        let arrived = sent + Duration::from_millis(250);
        let rtt = round_trip_time(&block, arrived).unwrap();
        assert!(
            rtt.abs_diff(Duration::from_millis(50)) < Duration::from_millis(1),
            "{rtt:?}"
        );
    }

    #[test]
    fn a_block_without_a_sender_report_or_from_the_future_has_no_round_trip_time() {
        let sent = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let mut unanswered = block(sent, Duration::ZERO);
        unanswered.last_sender_report = 0;
        assert_eq!(round_trip_time(&unanswered, sent), None);
        let late = block(sent, Duration::from_millis(500));
        assert_eq!(
            round_trip_time(&late, sent + Duration::from_millis(100)),
            None
        );
    }

    #[test]
    fn a_report_keeps_loss_jitter_and_the_last_round_trip_time() {
        let reports = RemoteReports::default();
        let sent = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        reports.record(
            &block(sent, Duration::ZERO),
            sent + Duration::from_millis(30),
        );
        let mut next = block(sent, Duration::ZERO);
        next.last_sender_report = 0;
        next.total_lost = 5;
        reports.record(&next, sent + Duration::from_secs(1));
        let report = reports.get(7).unwrap();
        assert_eq!((report.packets_lost, report.jitter), (5, 96));
        let rtt = report.round_trip_time.unwrap();
        assert!(rtt.abs_diff(Duration::from_millis(30)) < Duration::from_millis(1));
        assert_eq!(reports.get(8), None);
    }
}
