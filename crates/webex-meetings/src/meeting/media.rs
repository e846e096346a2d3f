//! Media in a meeting: `add_media` (TURN discovery, a connection, the offer carried over
//! Locus, the answer applied, ICE and DTLS connected), `join_with_media`, `media()`, and
//! closing the connection when we leave or the meeting goes away. The JS SDK's
//! `addMedia`/`joinWithMedia` for a transcoded meeting.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;
use webex_media::{
    AudioOptions, MediaConnection, MediaConnectionConfig, RtcMetricsConfig, ShareOptions,
    VideoOptions,
};

use super::{JoinOptions, JoinOutcome, Meeting, media_driver};
use crate::error::{MeetingError, Result};
use crate::events::{MediaKind, MeetingEvent};
use crate::media::{MediaFailure, MediaOptions, SignallingFailures, SignallingMark};

/// How long closing waits for the driver to carry a message already in flight.
const DRIVER_END_WAIT: Duration = Duration::from_secs(5);

/// A meeting's live media connection and what the meeting keeps about it.
pub(crate) struct MediaSession {
    pub(crate) connection: MediaConnection,
    pub(crate) directions: Directions,
    pub(crate) signalling: SignallingFailures,
    /// The remote media that arrived (`MediaReady`), which stop when the connection closes.
    pub(crate) ready: BTreeSet<MediaKind>,
    /// A video source was given: turning video on sends it too.
    pub(crate) has_video_source: bool,
    driver: JoinHandle<()>,
}

/// The m-line directions last negotiated (what `update_media` and the share change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Directions {
    pub(crate) audio: AudioOptions,
    pub(crate) video: VideoOptions,
    pub(crate) share: ShareOptions,
}

impl Directions {
    fn of(options: &MediaOptions) -> Self {
        Self {
            audio: AudioOptions {
                send: options.audio.is_some(),
                receive: options.receive_audio,
            },
            video: VideoOptions {
                send: options.has_video_source(),
                receive: options.receive_video,
            },
            share: ShareOptions {
                send: false,
                receive: options.receive_share,
            },
        }
    }
}

impl Meeting {
    /// Adds media to the meeting we are in: TURN discovery (unless reachability found a
    /// media cluster), a media connection toward the Locus host, the ROAP offer sent with
    /// `PUT {selfUrl}/media`, the answer applied, and ICE and DTLS connected. Returns once
    /// media can flow; [`media()`](Self::media) is then the connection (remote audio,
    /// stats, noise reduction). Audio starts unmuted when a source is given (unless muted
    /// before), muted otherwise.
    ///
    /// # Errors
    /// [`MeetingError::InvalidState`] unless we are in the meeting, or when it has media
    /// already; [`MeetingError::Media`] when the connection could not be made, the
    /// negotiation failed (a ROAP `ERROR`, an answer lacking an m-line, no answer within
    /// 35 s), or ICE and DTLS did not connect (within 20 s). On an error the connection is
    /// closed and the meeting stays as it was: it can leave, or add media again.
    pub async fn add_media(&self, mut options: MediaOptions) -> Result<()> {
        let _serial = self.inner.media_setup.lock().await;
        let view = self.require_view("add media")?;
        if !super::self_joined(&view) {
            return Err(MeetingError::state("add media", "not in the meeting"));
        }
        if self.media().is_some() {
            return Err(MeetingError::state(
                "add media",
                "the meeting has media already",
            ));
        }
        let self_url = view
            .self_url
            .clone()
            .ok_or_else(|| MeetingError::state("add media", "not a participant"))?;
        let remote_host = super::parse_url(&self_url)?.host_str().map(str::to_owned);
        {
            let mut data = self.data();
            if data.audio_muted.is_none() {
                data.audio_muted = Some(options.audio.is_none());
            }
            data.video_muted.get_or_insert(!options.has_video_source());
        }
        let ice_servers = self.discover_turn().await;
        let directions = Directions::of(&options);
        let mut config = MediaConnectionConfig::default()
            .backend(options.backend)
            .ice_servers(ice_servers)
            .audio(directions.audio)
            .video(directions.video)
            .share(directions.share);
        if let Some(host) = remote_host {
            config = config.remote_host(host);
        }
        if let Some(metrics) = self.rtc_metrics() {
            config = config.metrics(metrics);
        }
        let connection = MediaConnection::new(config)
            .await
            .map_err(MediaFailure::from)?;
        connection.set_audio_muted(self.data().audio_muted.unwrap_or(true));
        connection.set_audio_source(options.audio.take()).await;
        #[cfg(feature = "video")]
        if let Some(video) = options.video.take()
            && let Err(error) = connection.set_video_source(Some(video)).await
        {
            connection.close().await;
            return Err(MediaFailure::from(error).into());
        }
        let signalling = SignallingFailures::default();
        let driver = media_driver::spawn(self.downgrade(), &connection, signalling.clone());
        self.data().media = Some(MediaSession {
            connection: connection.clone(),
            directions,
            signalling: signalling.clone(),
            ready: BTreeSet::new(),
            has_video_source: directions.video.send,
            driver,
        });
        let established = async {
            let mark = signalling.mark();
            connection.initiate_offer().await?;
            negotiated(&connection, &signalling, mark).await?;
            connection.connected().await?;
            Ok::<(), MediaFailure>(())
        };
        if let Err(failure) = established.await {
            self.close_media().await;
            return Err(failure.into());
        }
        Ok(())
    }

    /// Joins the meeting, then adds media (the JS SDK's `joinWithMedia`). When the media
    /// fails after a successful join, we leave again.
    ///
    /// # Errors
    /// As [`join`](Self::join), then as [`add_media`](Self::add_media); in the lobby media
    /// cannot be added yet ([`MeetingError::InvalidState`], still in the lobby).
    pub async fn join_with_media(
        &self,
        join: JoinOptions,
        media: MediaOptions,
    ) -> Result<JoinOutcome> {
        let outcome = self.join(join).await?;
        if outcome == JoinOutcome::InLobby {
            return Err(MeetingError::state(
                "add media",
                "waiting in the lobby (add media once admitted)",
            ));
        }
        if let Err(err) = self.add_media(media).await {
            if let Err(leave) = self.leave().await {
                self.log_media_warning(&format!("leaving after the media failed: {leave}"));
            }
            return Err(err);
        }
        Ok(outcome)
    }

    /// The meeting's media connection, once [`add_media`](Self::add_media) made it:
    /// `remote_audio()`, `stats()`, `noise_reduction()`, `events()`.
    #[must_use]
    pub fn media(&self) -> Option<MediaConnection> {
        self.data().media.as_ref().map(|m| m.connection.clone())
    }

    /// Closes the media connection, if any (leave, end, the meeting removed, a failed
    /// `add_media`); tells of each remote medium that had arrived stopping.
    pub(crate) async fn close_media(&self) {
        let Some(session) = self.data().media.take() else {
            return;
        };
        session.connection.close().await;
        // The driver ends with the connection's events; waiting for it (a little) keeps no
        // ROAP message of the closed connection in flight.
        let mut driver = session.driver;
        if tokio::time::timeout(DRIVER_END_WAIT, &mut driver)
            .await
            .is_err()
        {
            driver.abort();
        }
        for kind in session.ready {
            self.runtime().publish(MeetingEvent::MediaStopped { kind });
        }
    }

    /// Closes the media connection from a synchronous context (the meeting removed).
    pub(crate) fn close_media_soon(&self) {
        if self.data().media.is_none() {
            return;
        }
        let meeting = self.clone();
        tokio::spawn(async move { meeting.close_media().await });
    }

    /// Where the connection's RTC metrics go: the metrics service, about this user and
    /// meeting (none before registration).
    fn rtc_metrics(&self) -> Option<RtcMetricsConfig> {
        let registration = self.shared()?.registration()?;
        Some(RtcMetricsConfig {
            sink: Arc::new(crate::media::HttpMetricsSink {
                webex: self.inner.webex.clone(),
            }),
            user_id: registration.user_id,
            meeting_id: self.id().to_owned(),
            correlation_id: self.correlation_id(),
        })
    }
}

/// Waits for the negotiation started after `mark`: done, failed (the connection's error),
/// or its ROAP message not delivered to Locus.
pub(super) async fn negotiated(
    connection: &MediaConnection,
    signalling: &SignallingFailures,
    mark: SignallingMark,
) -> std::result::Result<(), MediaFailure> {
    tokio::select! {
        negotiated = connection.negotiated() => Ok(negotiated?),
        reason = signalling.after(mark) => Err(MediaFailure::Signalling(reason)),
    }
}
