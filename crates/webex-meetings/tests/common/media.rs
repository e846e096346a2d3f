//! What the media tests share: clients joined to one emulated meeting with media, and a
//! recorder of the audio a client hears.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures::StreamExt;
use tokio::task::JoinHandle;
use webex_core::Webex;
use webex_emulator::{CreatedPerson, Emulator, NewMeeting, PersonType};
use webex_media::audio::{AudioFrame, tone_level};
use webex_meetings::{JoinOptions, Meeting, MeetingsExt};

use super::{client, person};

/// The generous bound of every wait on media (a failure, not a measurement).
pub(crate) const MEDIA_WAIT: Duration = Duration::from_secs(30);

/// A registered client and its meeting, joined.
pub(crate) struct Joined {
    pub(crate) webex: Webex,
    pub(crate) meeting: Meeting,
    pub(crate) person: CreatedPerson,
}

/// A meeting hosted by a new person `host`; answers its number.
pub(crate) fn meeting(emulator: &Emulator, host: &CreatedPerson) -> String {
    emulator
        .create_meeting(NewMeeting::new("Media", &host.email))
        .expect("the emulator creates the meeting")
        .meeting_number
}

/// `name` (a new person) joined to meeting `number`, without media yet.
pub(crate) async fn joined(emulator: &Emulator, name: &str, number: &str) -> Joined {
    let person = person(emulator, name, PersonType::Person);
    joined_as(emulator, person, number).await
}

/// `person` joined to meeting `number`, without media yet.
pub(crate) async fn joined_as(emulator: &Emulator, person: CreatedPerson, number: &str) -> Joined {
    let webex = client(emulator, &person).await;
    webex.meetings().register().await.expect("register");
    let meeting = webex.meetings().create(number, None).await.expect("create");
    meeting.join(JoinOptions::default()).await.expect("join");
    Joined {
        webex,
        meeting,
        person,
    }
}

/// Every frame a client hears, from when it started.
pub(crate) struct Recorder {
    frames: Arc<Mutex<Vec<AudioFrame>>>,
    task: JoinHandle<()>,
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Recorder {
    /// Records `meeting`'s remote audio (it has media).
    pub(crate) fn start(meeting: &Meeting) -> Self {
        let mut audio = meeting
            .media()
            .expect("the meeting has media")
            .remote_audio();
        let frames = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&frames);
        let task = tokio::spawn(async move {
            while let Some(frame) = audio.next().await {
                // A lag (the test's consumer too slow) leaves frames out; levels are
                // measured over the frames kept.
                if let Ok(frame) = frame {
                    sink.lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(frame);
                }
            }
        });
        Self { frames, task }
    }

    /// How many frames were heard so far.
    pub(crate) fn len(&self) -> usize {
        self.frames
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// The samples of frames `from..to` (as many as exist).
    pub(crate) fn samples(&self, from: usize, to: usize) -> Vec<i16> {
        let frames = self.frames.lock().unwrap_or_else(PoisonError::into_inner);
        let to = to.min(frames.len());
        frames
            .get(from.min(to)..to)
            .unwrap_or_default()
            .iter()
            .flat_map(|f| f.samples.iter().copied())
            .collect()
    }

    /// Waits until at least `count` frames were heard (bounded by [`MEDIA_WAIT`]).
    pub(crate) async fn wait_for_frames(&self, count: usize) {
        let wait = async {
            while self.len() < count {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        };
        if tokio::time::timeout(MEDIA_WAIT, wait).await.is_err() {
            panic!("only {} of {count} frames were heard", self.len());
        }
    }

    /// Waits until the `window` frames after frame `from` carry `frequency` clearly, and
    /// answers where that window starts (bounded by [`MEDIA_WAIT`]).
    pub(crate) async fn wait_for_tone(&self, from: usize, window: usize, frequency: f32) -> usize {
        let wait = async {
            let mut start = from;
            loop {
                self.wait_for_frames(start + window).await;
                if has_tone(&self.samples(start, start + window), frequency) {
                    return start;
                }
                start += window / 2;
            }
        };
        match tokio::time::timeout(MEDIA_WAIT, wait).await {
            Ok(start) => start,
            Err(_) => panic!(
                "no {frequency} Hz tone after frame {from} ({} heard)",
                self.len()
            ),
        }
    }
}

/// Whether `samples` carry `frequency` clearly: well above the level of a frequency
/// nobody plays, and above a floor (silence carries no tone).
pub(crate) fn has_tone(samples: &[i16], frequency: f32) -> bool {
    let level = tone_level(samples, frequency);
    let other = tone_level(samples, 700.0_f32.min(frequency - 300.0));
    level > 0.01 && level > 20.0 * other
}
