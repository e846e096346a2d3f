//! A participant of a locus: one person, their devices, media status and
//! controls.

use std::time::SystemTime;

use tokio::time::Instant;

use uuid::Uuid;

use crate::kit::media::NegotiatedLine;

/// `participant.state`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ParticipantState {
    /// Waiting in the lobby (with a device whose intent is `WAIT`).
    Idle,
    /// Called and not answered yet (a 1:1 call ringing).
    Notified,
    /// In the meeting.
    Joined,
    /// Declined a call; stays in the list.
    Declined,
    /// Left or removed; stays in the list.
    Left,
}

impl ParticipantState {
    /// The wire name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Idle => "IDLE",
            Self::Notified => "NOTIFIED",
            Self::Joined => "JOINED",
            Self::Declined => "DECLINED",
            Self::Left => "LEFT",
        }
    }
}

/// Why a participant left, when they did not leave on their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LeaveReason {
    /// Removed by a host.
    Forced,
    /// The meeting ended, or a device waiting in the lobby went quiet.
    Inactive,
}

impl LeaveReason {
    /// The wire name (`participant.reason`).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Forced => "FORCED",
            Self::Inactive => "INACTIVE",
        }
    }
}

/// One device a participant joined with.
#[derive(Clone, Debug)]
pub(crate) struct ParticipantDevice {
    /// The client's WDM device URL.
    pub(crate) url: String,
    /// `deviceType` as the client sent it (`WEB`, ...).
    pub(crate) device_type: String,
    /// The join's correlation id.
    pub(crate) correlation_id: String,
    /// The device waits in the lobby (`intent.type: WAIT`).
    pub(crate) waiting: bool,
    /// The device left.
    pub(crate) left: bool,
    /// The media session id the join answered with (`mediaId`).
    pub(crate) media_id: Uuid,
    /// The client's local audio mute, from its last `/media` request.
    pub(crate) audio_muted: bool,
    /// The client's local video mute.
    pub(crate) video_muted: bool,
    /// The m-lines of its media session's last answer, in order; empty
    /// without a session.
    pub(crate) media_lines: Vec<NegotiatedLine>,
    /// Media has reached the media server on the current session: from
    /// then on its media sessions show as active.
    pub(crate) media_flowing: bool,
    /// When the device joined or last sent a keep-alive (Tokio's clock,
    /// so paused-clock tests can let it go quiet).
    pub(crate) last_seen: Instant,
}

/// A participant's roles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Roles {
    /// `MODERATOR`: the host.
    pub(crate) moderator: bool,
    /// `COHOST`.
    pub(crate) cohost: bool,
    /// `PRESENTER`.
    pub(crate) presenter: bool,
}

impl Roles {
    /// Host or cohost: may lock, admit, mute others, record, end.
    pub(crate) fn moderates(self) -> bool {
        self.moderator || self.cohost
    }
}

/// Who changed a control last, and when (`meta`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Modified {
    /// The person who changed it.
    pub(crate) by: Uuid,
    /// When.
    pub(crate) at: SystemTime,
}

/// A participant's controls.
#[derive(Clone, Debug)]
pub(crate) struct ParticipantControls {
    /// Muted by a host (or by themselves through Locus).
    pub(crate) audio_muted: bool,
    /// A host asked them to unmute.
    pub(crate) requested_to_unmute: bool,
    /// Who changed the audio control last.
    pub(crate) audio_modified: Option<Modified>,
    /// Video muted by a host.
    pub(crate) video_muted: bool,
    /// Hand raised.
    pub(crate) hand_raised: bool,
    /// Roles.
    pub(crate) roles: Roles,
    /// The layout their device asked for.
    pub(crate) layout: Option<String>,
}

/// A participant.
#[derive(Clone, Debug)]
pub(crate) struct Participant {
    /// Its id (in its URL).
    pub(crate) id: Uuid,
    /// The person.
    pub(crate) person: Uuid,
    /// Where they are.
    pub(crate) state: ParticipantState,
    /// Their devices, oldest first.
    pub(crate) devices: Vec<ParticipantDevice>,
    /// Controls.
    pub(crate) controls: ParticipantControls,
    /// Outside the host's email domain.
    pub(crate) external: bool,
    /// Created the locus.
    pub(crate) creator: bool,
    /// Removed from the meeting (they left, or were removed).
    pub(crate) removed: bool,
    /// Why they left, if not on their own.
    pub(crate) reason: Option<LeaveReason>,
    /// The sequence number of the last change to this participant.
    pub(crate) changed_at: u64,
}

impl Participant {
    /// The device with `url`.
    pub(crate) fn device_mut(&mut self, url: &str) -> Option<&mut ParticipantDevice> {
        self.devices.iter_mut().find(|device| device.url == url)
    }

    /// The device still in the meeting, latest first (the one whose mute
    /// state the participant's status shows).
    pub(crate) fn active_device(&self) -> Option<&ParticipantDevice> {
        self.devices.iter().rev().find(|device| !device.left)
    }

    /// Whether they are in the meeting or its lobby, or being called.
    pub(crate) fn present(&self) -> bool {
        matches!(
            self.state,
            ParticipantState::Idle | ParticipantState::Notified | ParticipantState::Joined
        )
    }
}
