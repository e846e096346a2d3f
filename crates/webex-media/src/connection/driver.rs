//! The connection's task: it owns the ROAP machine, the backend and the audio path, serves
//! the handles' commands, paces local audio every 20 ms, decodes remote audio, and publishes
//! events and statuses. It ends on `close()` or when every handle is dropped.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use tokio::sync::mpsc;
use tokio::time::{Instant, Interval, MissedTickBehavior};

use super::Shared;
use super::audio_receive::AudioReceiver;
use super::audio_send::AudioSender;
use super::command::Command;
use super::event::{ConnectionState, MediaEvent};
use super::status::Connection;
use crate::audio::FRAME_DURATION;
use crate::backend::{BackendEvent, Direction, WebRtcBackend};
use crate::error::MediaError;
use crate::metrics::{METRICS_FIRST_SEND, METRICS_INTERVAL, RtcMetricsConfig, stats_item};
use crate::roap::RoapMachine;
use crate::sdp::MungeConfig;
use crate::stats::MediaStats;

/// The driver's state.
pub(super) struct Driver {
    pub(super) shared: Arc<Shared>,
    pub(super) roap: RoapMachine,
    pub(super) backend: Box<dyn WebRtcBackend>,
    pub(super) munge: MungeConfig,
    /// The munged offer last sent (what answers are checked against).
    pub(super) local_offer: Option<String>,
    /// Audio, video, share.
    pub(super) directions: [Direction; 3],
    pub(super) sender: AudioSender,
    pub(super) receiver: AudioReceiver,
    pub(super) metrics: Option<RtcMetricsConfig>,
    /// The RTC metrics' `connectionId`.
    metrics_connection: String,
    /// The error the command being served ends with.
    pub(super) error: Option<MediaError>,
    first_audio: bool,
    first_video: [bool; 2],
    /// Local video (its pacer is the run loop's, at the source's frame rate).
    #[cfg(feature = "video")]
    video: Option<super::video_send::VideoSender>,
}

/// Whether the loop goes on.
enum Flow {
    Continue,
    Stop(Option<tokio::sync::oneshot::Sender<()>>),
}

impl Driver {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        shared: Arc<Shared>,
        backend: Box<dyn WebRtcBackend>,
        munge: MungeConfig,
        directions: [Direction; 3],
        sender: AudioSender,
        receiver: AudioReceiver,
        metrics: Option<RtcMetricsConfig>,
    ) -> Self {
        Driver {
            shared,
            roap: RoapMachine::new(fastrand::u64(..)),
            backend,
            munge,
            local_offer: None,
            directions,
            sender,
            receiver,
            metrics,
            metrics_connection: uuid::Uuid::new_v4().to_string(),
            error: None,
            first_audio: true,
            first_video: [true; 2],
            #[cfg(feature = "video")]
            video: None,
        }
    }

    /// Runs until closed.
    pub(super) async fn run(
        mut self,
        mut commands: mpsc::Receiver<Command>,
        mut backend_events: mpsc::Receiver<BackendEvent>,
    ) {
        let mut pacer = pacer();
        // Set with a video source (never without the `video` feature).
        let mut video_pacer: Option<Interval> = None;
        let mut next_metrics = Instant::now() + METRICS_FIRST_SEND;
        let mut backend_open = true;
        let closing = loop {
            let roap_deadline = self.roap.poll_timeout().map(Instant::from_std);
            let sending = self.sender.has_source() && self.directions[0].sends();
            let video_sends = self.directions[1].sends();
            let flow = tokio::select! {
                command = commands.recv() => match command {
                    Some(command) => self.command(command, &mut pacer, &mut video_pacer).await,
                    None => Flow::Stop(None),
                },
                event = backend_events.recv(), if backend_open => {
                    match event {
                        Some(event) => self.backend_event(event).await,
                        None => backend_open = false,
                    }
                    Flow::Continue
                }
                _ = pacer.tick(), if sending => {
                    self.send_audio();
                    Flow::Continue
                }
                () = tick_some(video_pacer.as_mut().filter(|_| video_sends)) => {
                    self.send_video();
                    Flow::Continue
                }
                () = crate::sleep_until_some(roap_deadline) => {
                    self.roap.handle_timeout(now());
                    self.drive_roap().await;
                    self.error = None;
                    Flow::Continue
                }
                () = tokio::time::sleep_until(next_metrics), if self.metrics.is_some() => {
                    self.send_metrics().await;
                    next_metrics = Instant::now() + METRICS_INTERVAL;
                    Flow::Continue
                }
            };
            if let Flow::Stop(reply) = flow {
                break reply;
            }
        };
        self.shut_down().await;
        if let Some(reply) = closing {
            // The closer may have gone; the connection is closed either way.
            let _ = reply.send(());
        }
    }

    // Without the `video` feature no command sets the video pacer.
    #[cfg_attr(not(feature = "video"), allow(unused_variables))]
    async fn command(
        &mut self,
        command: Command,
        pacer: &mut Interval,
        video_pacer: &mut Option<Interval>,
    ) -> Flow {
        match command {
            Command::InitiateOffer(reply) => {
                let result = self.initiate_offer().await;
                let _ = reply.send(result);
            }
            Command::RoapReceived(message, reply) => {
                self.roap.handle_remote(message, now());
                self.drive_roap().await;
                let _ = reply.send(self.error.take().map_or(Ok(()), Err));
            }
            Command::SetAudioSource(source) => {
                self.sender.set_source(source);
                pacer.reset();
            }
            #[cfg(feature = "video")]
            Command::SetVideoSource(source, reply) => {
                let result = source
                    .map(super::video_send::VideoSender::new)
                    .transpose()
                    .map(|sender| {
                        *video_pacer = sender.as_ref().map(|s| pacer_every(s.frame_period()));
                        self.video = sender;
                    });
                let _ = reply.send(result);
            }
            Command::UpdateDirections(directions, reply) => {
                let result = self.update_directions(directions).await;
                let _ = reply.send(result);
            }
            Command::Stats(reply) => {
                let _ = reply.send(self.stats().await);
            }
            Command::Close(reply) => return Flow::Stop(Some(reply)),
        }
        Flow::Continue
    }

    async fn update_directions(&mut self, directions: [Direction; 3]) -> Result<(), MediaError> {
        let [audio, video, share] = directions;
        self.backend.set_directions(audio, video, share).await?;
        self.directions = directions;
        self.initiate_offer().await
    }

    pub(super) async fn stats(&mut self) -> Result<MediaStats, MediaError> {
        Ok(MediaStats {
            streams: self.backend.stats().await?,
        })
    }

    /// One 20 ms tick of local audio.
    fn send_audio(&mut self) {
        let muted = self.shared.muted.load(Ordering::Relaxed);
        let packet = match self.sender.next_packet(muted) {
            Ok(packet) => packet,
            Err(error) => {
                tracing::warn!(%error, "local audio frame not encoded");
                return;
            }
        };
        if let Some(packet) = packet
            && let Err(error) = self.backend.send_audio(&packet)
        {
            tracing::debug!(%error, "audio frame not sent");
        }
    }

    /// One frame of local video.
    #[cfg(feature = "video")]
    fn send_video(&mut self) {
        let Some(sender) = self.video.as_mut() else {
            return;
        };
        match sender.next_access_unit() {
            Ok(Some((unit, rtp_time))) => {
                if let Err(error) = self.backend.send_video(&unit, rtp_time) {
                    tracing::debug!(%error, "video frame not sent");
                }
            }
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, "local video frame not encoded"),
        }
    }

    /// Built without video, the video pacer never exists, so this is never called.
    #[cfg(not(feature = "video"))]
    fn send_video(&mut self) {}

    async fn backend_event(&mut self, event: BackendEvent) {
        match event {
            BackendEvent::Connected => self.set_connection(ConnectionState::Connected, None).await,
            BackendEvent::Disconnected => {
                self.set_connection(ConnectionState::Disconnected, None)
                    .await;
            }
            BackendEvent::Failed(reason) => {
                self.set_connection(ConnectionState::Failed, Some(reason))
                    .await;
            }
            BackendEvent::Audio {
                payload, sequence, ..
            } => {
                if std::mem::take(&mut self.first_audio) {
                    self.shared
                        .events
                        .emit(MediaEvent::FirstAudioReceived)
                        .await;
                }
                if self.shared.remote_audio.has_listeners() {
                    for frame in self.receiver.receive(&payload, sequence) {
                        self.shared.remote_audio.deliver(&frame);
                    }
                }
            }
            BackendEvent::KeyframeRequested =>
            {
                #[cfg(feature = "video")]
                if let Some(sender) = self.video.as_mut() {
                    sender.request_keyframe();
                }
            }
            BackendEvent::VideoFrame { share } => {
                if std::mem::take(&mut self.first_video[usize::from(share)]) {
                    let event = MediaEvent::FirstVideoReceived { share };
                    self.shared.events.emit(event).await;
                }
            }
        }
    }

    /// Publishes a new connection state (and emits it when it changed).
    pub(super) async fn set_connection(&mut self, state: ConnectionState, failure: Option<String>) {
        let changed = self.shared.status.connection.send_if_modified(|current| {
            if current.state == state || current.state == ConnectionState::Closed {
                return false;
            }
            *current = Connection { state, failure };
            true
        });
        if changed {
            let event = MediaEvent::ConnectionState(state);
            self.shared.events.emit(event).await;
        }
    }

    async fn send_metrics(&mut self) {
        if self.metrics.is_none() {
            return;
        }
        match self.stats().await {
            Ok(stats) => {
                let item = stats_item(&stats, unix_millis());
                if let (Some(metrics), Some(item)) = (&self.metrics, item) {
                    let request = metrics.request(&self.metrics_connection, vec![item]);
                    metrics.sink.send(request);
                }
            }
            Err(error) => tracing::debug!(%error, "no statistics for the RTC metrics"),
        }
    }

    async fn shut_down(&mut self) {
        // The last metrics first, as the JS SDK sends its queue on close.
        self.send_metrics().await;
        self.backend.close().await;
        self.set_connection(ConnectionState::Closed, None).await;
        self.shared.status.negotiation.send_if_modified(|n| {
            // A negotiation under way ends with the connection.
            let running = *n == super::status::Negotiation::Running;
            if running {
                *n = super::status::Negotiation::Failed(crate::roap::RoapFailure::Local(
                    "the media connection was closed".into(),
                ));
            }
            running
        });
        self.shared.events.close();
        self.shared.remote_audio.close();
    }
}

/// The 20 ms audio clock.
fn pacer() -> Interval {
    pacer_every(FRAME_DURATION)
}

/// A media clock ticking every `period` (it catches up after a late tick, so the RTP
/// timeline keeps pace).
fn pacer_every(period: std::time::Duration) -> Interval {
    let mut pacer = tokio::time::interval(period);
    pacer.set_missed_tick_behavior(MissedTickBehavior::Burst);
    pacer
}

/// Waits for `pacer`'s next tick, or forever without one (a `select!` branch that may not
/// apply).
async fn tick_some(pacer: Option<&mut Interval>) {
    match pacer {
        Some(pacer) => {
            pacer.tick().await;
        }
        None => std::future::pending().await,
    }
}

/// Now, in Unix milliseconds (the metrics' timestamps).
fn unix_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The time for the ROAP machine (Tokio's clock, so a paused test clock drives it).
pub(super) fn now() -> std::time::Instant {
    Instant::now().into_std()
}
