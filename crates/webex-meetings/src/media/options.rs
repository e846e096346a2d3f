//! The options of `add_media`: what to send and what to receive, and which WebRTC stack.

use webex_media::Backend;
use webex_media::audio::AudioSource;

/// What a meeting's media sends and receives ([`Meeting::add_media`](crate::Meeting::add_media)).
///
/// The default receives audio, video and the share, and sends nothing (a listener); give
/// an audio source to speak.
#[non_exhaustive]
pub struct MediaOptions {
    /// The local audio to send (a WAV file, a tone, a channel of PCM frames); `None`
    /// receives only.
    pub audio: Option<Box<dyn AudioSource>>,
    /// The local video to send on the main video m-line as H.264 (feature `video`); `None`
    /// receives only.
    #[cfg(feature = "video")]
    pub video: Option<Box<dyn webex_media::video::VideoSource>>,
    /// Receive the others' audio.
    pub receive_audio: bool,
    /// Receive the main video (frames are counted, not decoded).
    pub receive_video: bool,
    /// Receive the content share.
    pub receive_share: bool,
    /// The WebRTC stack of the connection.
    pub backend: Backend,
}

impl Default for MediaOptions {
    fn default() -> Self {
        Self {
            audio: None,
            #[cfg(feature = "video")]
            video: None,
            receive_audio: true,
            receive_video: true,
            receive_share: true,
            backend: Backend::default(),
        }
    }
}

impl std::fmt::Debug for MediaOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut debug = f.debug_struct("MediaOptions");
        debug.field("audio", &self.audio.as_ref().map(|_| "<source>"));
        #[cfg(feature = "video")]
        debug.field("video", &self.video.as_ref().map(|_| "<source>"));
        debug
            .field("receive_audio", &self.receive_audio)
            .field("receive_video", &self.receive_video)
            .field("receive_share", &self.receive_share)
            .field("backend", &self.backend)
            .finish()
    }
}

impl MediaOptions {
    /// Whether a video source is given (always `false` without the `video` feature).
    pub(crate) fn has_video_source(&self) -> bool {
        #[cfg(feature = "video")]
        return self.video.is_some();
        #[cfg(not(feature = "video"))]
        false
    }

    /// Receives audio, video and the share; sends nothing.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends `source` as the local audio.
    #[must_use]
    pub fn audio(mut self, source: impl AudioSource) -> Self {
        self.audio = Some(Box::new(source));
        self
    }

    /// Sends `source` as the local video (feature `video`).
    #[cfg(feature = "video")]
    #[must_use]
    pub fn video(mut self, source: impl webex_media::video::VideoSource) -> Self {
        self.video = Some(Box::new(source));
        self
    }

    /// Whether to receive the others' audio.
    #[must_use]
    pub fn receive_audio(mut self, receive: bool) -> Self {
        self.receive_audio = receive;
        self
    }

    /// Whether to receive the main video.
    #[must_use]
    pub fn receive_video(mut self, receive: bool) -> Self {
        self.receive_video = receive;
        self
    }

    /// Whether to receive the content share.
    #[must_use]
    pub fn receive_share(mut self, receive: bool) -> Self {
        self.receive_share = receive;
        self
    }

    /// Uses `backend` as the WebRTC stack.
    #[must_use]
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }
}
