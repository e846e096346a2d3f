//! The meeting bot of `examples/meeting-bot`: joins a meeting with media, plays a WAV file
//! into it (looping), records what it hears to a WAV file, and leaves after N seconds, when
//! the caller stops it (Ctrl-C) or when the meeting ends. The example binary and its test
//! (`examples/tests/meeting_bot.rs`) run this same code.

use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use futures::StreamExt;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use webex::media::audio::{AudioFrame, WavSource, WavWriter};
use webex::meetings::events::MeetingEvent;
use webex::meetings::{JoinOptions, JoinOutcome, MediaOptions, Meeting};

/// The error of a bot run: the join, the media, a WAV file, or the leave.
pub type BotError = Box<dyn std::error::Error + Send + Sync>;

/// What the bot plays, records, and for how long.
#[derive(Debug, Clone, Default)]
pub struct BotOptions {
    /// A WAV file to play into the meeting, looping (any rate, channels, bit depth).
    pub play: Option<PathBuf>,
    /// A WAV file to record what the bot hears into (48 kHz mono, 16 bit).
    pub record: Option<PathBuf>,
    /// Leave after this long; `None`: stay until stopped or the meeting ends.
    pub seconds: Option<u64>,
    /// How to join (a host key, a password, a display name).
    pub join: JoinOptions,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunEnd {
    /// `seconds` passed; the bot left.
    TimeUp,
    /// The caller's stop future completed (Ctrl-C); the bot left.
    Stopped,
    /// Locus ended the meeting for the bot.
    MeetingEnded,
}

/// What a run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// How it ended.
    pub end: RunEnd,
    /// The 20 ms frames written to the recording (silence stands in for frames lost).
    pub frames_recorded: u64,
}

/// Joins `meeting` with media and runs the bot until `options.seconds` pass, `stop`
/// completes or the meeting ends; hands a line to `out` at each step.
///
/// # Errors
/// The WAV files (unreadable, not WAV, not writable), the join (a password to give, an
/// unknown meeting, ...), the media (no connection, a failed negotiation), the leave.
pub async fn run(
    meeting: &Meeting,
    options: BotOptions,
    mut out: impl FnMut(String),
    stop: impl Future<Output = ()>,
) -> Result<Outcome, BotError> {
    let mut media = MediaOptions::new()
        .receive_video(false)
        .receive_share(false);
    if let Some(path) = &options.play {
        media = media.audio(WavSource::open(path, true)?);
    }
    let writer = options.record.as_ref().map(WavWriter::create).transpose()?;
    let mut events = meeting.events();
    tokio::pin!(stop);
    if meeting.join(options.join.clone()).await? == JoinOutcome::InLobby {
        out("waiting in the lobby for a host to admit us".into());
        loop {
            tokio::select! {
                () = &mut stop => return leave(meeting, RunEnd::Stopped, None).await,
                event = events.next() => match event {
                    Some(Ok(MeetingEvent::Admitted)) => break,
                    Some(Ok(MeetingEvent::Ended { .. })) | None => {
                        return Ok(Outcome { end: RunEnd::MeetingEnded, frames_recorded: 0 });
                    }
                    Some(_) => {}
                },
            }
        }
    }
    meeting.add_media(media).await?;
    out(match &options.play {
        Some(path) => format!("in the meeting with media, playing {}", path.display()),
        None => "in the meeting with media, listening".into(),
    });
    let recording = writer.map(|writer| {
        if let Some(path) = &options.record {
            out(format!("recording to {}", path.display()));
        }
        Recording::start(meeting, writer)
    });
    let time_up = async {
        match options.seconds {
            Some(seconds) => tokio::time::sleep(Duration::from_secs(seconds)).await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(time_up);
    let end = loop {
        tokio::select! {
            () = &mut stop => break RunEnd::Stopped,
            () = &mut time_up => break RunEnd::TimeUp,
            event = events.next() => match event {
                Some(Ok(MeetingEvent::Ended { .. })) | None => break RunEnd::MeetingEnded,
                Some(Err(err)) => out(format!("warning: {err}")),
                Some(Ok(_)) => {}
            },
        }
    };
    if end == RunEnd::MeetingEnded {
        out("the meeting ended".into());
        let frames_recorded = match recording {
            Some(recording) => recording.finish().await?,
            None => 0,
        };
        return Ok(Outcome {
            end,
            frames_recorded,
        });
    }
    leave(meeting, end, recording).await
}

/// Leaves (closing the media), then finishes the recording.
async fn leave(
    meeting: &Meeting,
    end: RunEnd,
    recording: Option<Recording>,
) -> Result<Outcome, BotError> {
    if meeting.view().is_some_and(|v| v.ended.is_none()) {
        meeting.leave().await?;
    }
    let frames_recorded = match recording {
        Some(recording) => recording.finish().await?,
        None => 0,
    };
    Ok(Outcome {
        end,
        frames_recorded,
    })
}

/// The task writing the remote audio to a WAV file, until told to finish or the audio ends.
struct Recording {
    finish: oneshot::Sender<()>,
    task: JoinHandle<Result<u64, BotError>>,
}

impl Recording {
    fn start(meeting: &Meeting, mut writer: WavWriter) -> Self {
        let mut audio = meeting.media().map(|m| m.remote_audio());
        let (finish, mut finished) = oneshot::channel();
        let task = tokio::spawn(async move {
            let mut frames = 0_u64;
            let silence = AudioFrame::silence();
            if let Some(audio) = audio.as_mut() {
                loop {
                    let item = tokio::select! {
                        _ = &mut finished => break,
                        item = audio.next() => item,
                    };
                    match item {
                        None => break,
                        Some(Ok(frame)) => {
                            writer.write(&frame)?;
                            frames += 1;
                        }
                        // Too slow to keep up: the lost frames become silence, so the
                        // recording keeps the meeting's timeline.
                        Some(Err(lag)) => {
                            for _ in 0..lag.frames {
                                writer.write(&silence)?;
                                frames += 1;
                            }
                        }
                    }
                }
            }
            writer.finalize()?;
            Ok(frames)
        });
        Self { finish, task }
    }

    /// Stops recording and closes the file; answers the frames written.
    async fn finish(self) -> Result<u64, BotError> {
        let _ = self.finish.send(());
        self.task.await?
    }
}
