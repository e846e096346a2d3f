//! Changing a meeting's media: `update_media` (audio and video on or off) and the content
//! share (`start_share`/`stop_share`: the floor plus a renegotiation of the share m-line).
//! Each change is a new offer carried over Locus, awaited like the first one.

use webex_media::{AudioOptions, MediaConnection, VideoOptions};

use super::media::Directions;
use super::{Meeting, ShareKind};
use crate::error::{MeetingError, Result};
use crate::media::{MediaFailure, SignallingFailures};

impl Meeting {
    /// Turns audio and/or video on or off (`None` leaves it as it is), as the JS SDK's
    /// `updateMedia` for a transcoded meeting: both directions of the medium follow, and the
    /// connection renegotiates. Video is sent only when `add_media` was given a video source.
    ///
    /// # Errors
    /// [`MeetingError::InvalidState`] without media; [`MeetingError::Media`] when the
    /// renegotiation fails.
    pub async fn update_media(
        &self,
        audio_enabled: Option<bool>,
        video_enabled: Option<bool>,
    ) -> Result<()> {
        let _serial = self.inner.media_setup.lock().await;
        let (connection, mut directions, signalling) = self.media_session("update media")?;
        if let Some(on) = audio_enabled {
            directions.audio = AudioOptions {
                send: on,
                receive: on,
            };
        }
        if let Some(on) = video_enabled {
            let has_source = self
                .data()
                .media
                .as_ref()
                .is_some_and(|m| m.has_video_source);
            directions.video = VideoOptions {
                send: on && has_source,
                receive: on,
            };
        }
        self.renegotiate(&connection, directions, &signalling).await
    }

    /// Starts sharing content: the share m-line starts sending (a renegotiation), then the
    /// content floor is requested for us. (No share source exists yet: the floor and the
    /// direction are what the others see.)
    ///
    /// # Errors
    /// [`MeetingError::InvalidState`] without media or while sharing already;
    /// [`MeetingError::Media`] when the renegotiation fails; the floor request's errors.
    pub async fn start_share(&self) -> Result<()> {
        let _serial = self.inner.media_setup.lock().await;
        let (connection, mut directions, signalling) = self.media_session("start sharing")?;
        if directions.share.send {
            return Err(MeetingError::state("start sharing", "sharing already"));
        }
        directions.share.send = true;
        self.renegotiate(&connection, directions, &signalling)
            .await?;
        self.request_floor(ShareKind::Content).await?;
        Ok(())
    }

    /// Stops sharing content: the floor is released, then the share m-line stops sending
    /// (a renegotiation).
    ///
    /// # Errors
    /// [`MeetingError::InvalidState`] without media or when not sharing;
    /// [`MeetingError::Media`] when the renegotiation fails; the floor release's errors.
    pub async fn stop_share(&self) -> Result<()> {
        let _serial = self.inner.media_setup.lock().await;
        let (connection, mut directions, signalling) = self.media_session("stop sharing")?;
        if !directions.share.send {
            return Err(MeetingError::state("stop sharing", "not sharing"));
        }
        self.release_floor(ShareKind::Content).await?;
        directions.share.send = false;
        self.renegotiate(&connection, directions, &signalling).await
    }

    /// The connection, its directions and its signalling failures; an error naming
    /// `action` without media.
    fn media_session(
        &self,
        action: &'static str,
    ) -> Result<(MediaConnection, Directions, SignallingFailures)> {
        let data = self.data();
        let session = data.media.as_ref().ok_or_else(|| {
            MeetingError::state(action, "the meeting has no media (add_media first)")
        })?;
        Ok((
            session.connection.clone(),
            session.directions,
            session.signalling.clone(),
        ))
    }

    /// Sets `directions` and waits for the renegotiation; they are kept once negotiated.
    async fn renegotiate(
        &self,
        connection: &MediaConnection,
        directions: Directions,
        signalling: &SignallingFailures,
    ) -> Result<()> {
        let mark = signalling.mark();
        connection
            .update_directions(directions.audio, directions.video, directions.share)
            .await
            .map_err(MediaFailure::from)?;
        super::media::negotiated(connection, signalling, mark).await?;
        if let Some(session) = self.data().media.as_mut() {
            session.directions = directions;
        }
        Ok(())
    }
}
