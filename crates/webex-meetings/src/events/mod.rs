//! Typed meeting events: the difference of two [`MeetingView`](crate::view::MeetingView) values, and what can go wrong on the
//! way (each stream item is an event or a [`MeetingEventError`], as with `listen()`).

mod diff;
mod error;

pub use diff::diff;
pub use error::MeetingEventError;

use crate::view::{
    ControlsView, EndReason, InMeetingActions, MeetingState, Member, ParticipantState,
    RecordingState, Roles,
};

/// Which share floor an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Share {
    /// The content (screen) share.
    Content,
    /// The whiteboard.
    Whiteboard,
}

/// Which remote medium a media event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum MediaKind {
    /// The others' audio.
    Audio,
    /// The main video.
    Video,
    /// The content share.
    Share,
}

/// Something that changed in a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MeetingEvent {
    /// `fullState.state` changed (`meeting:stateChange`).
    StateChanged {
        /// Before (`None`: not known yet).
        previous: Option<MeetingState>,
        /// Now.
        current: Option<MeetingState>,
    },
    /// `self.state` changed.
    SelfStateChanged {
        /// Before.
        previous: Option<ParticipantState>,
        /// Now.
        current: Option<ParticipantState>,
    },
    /// Members joined the roster or changed (`members:update`).
    MembersUpdated {
        /// Members seen for the first time.
        added: Vec<Member>,
        /// Members whose derived state changed.
        updated: Vec<Member>,
    },
    /// The meeting was locked.
    Locked,
    /// The meeting was unlocked.
    Unlocked,
    /// The recording started, stopped, paused or resumed.
    Recording(RecordingState),
    /// Other meeting-wide controls changed (reactions, mute on entry, hard mute).
    ControlsUpdated(ControlsView),
    /// This client was muted server-side by someone else.
    SelfMutedByOthers,
    /// This client's server-side mute was lifted.
    SelfUnmutedByOthers,
    /// This client's video was muted server-side.
    SelfVideoMutedByOthers,
    /// This client's video mute was lifted.
    SelfVideoUnmutedByOthers,
    /// The host asked this client to unmute.
    SelfRequestedToUnmute,
    /// This client's roles changed.
    SelfRolesChanged(Roles),
    /// A share floor was granted.
    FloorGranted {
        /// Which floor.
        share: Share,
        /// The participant id that holds it.
        beneficiary: String,
    },
    /// A share floor was released.
    FloorReleased {
        /// Which floor.
        share: Share,
        /// The participant id that held it.
        previous: String,
    },
    /// This client waits in the lobby.
    LobbyWaiting,
    /// This client was admitted from the lobby.
    Admitted,
    /// A reaction was received (from the reactions relay).
    Reaction {
        /// The participant id of the sender.
        sender: String,
        /// The reaction's type (`smile`, `clap`, `thumb_up`, ...).
        reaction: String,
        /// The skin tone, if any.
        tone: Option<String>,
    },
    /// What the user may do changed.
    ActionsUpdated(InMeetingActions),
    /// The locus URL changed (moved to or from a breakout).
    LocusUrlChanged {
        /// The new URL.
        url: String,
    },
    /// The other side of a 1:1 call answered or declined, after our join
    /// (`meeting:ringingStop`).
    RingingStopped {
        /// It joined.
        remote_answered: bool,
        /// It declined.
        remote_declined: bool,
    },
    /// Locus says the meeting is over for this client.
    Ended {
        /// Why.
        reason: EndReason,
    },
    /// The first remote media of `kind` arrived (`media:ready`).
    MediaReady {
        /// Which medium.
        kind: MediaKind,
    },
    /// The remote media of `kind` stopped: the connection closed (`media:stopped`).
    MediaStopped {
        /// Which medium.
        kind: MediaKind,
    },
    /// A media negotiation (offer and answer) finished (`media:negotiated`).
    MediaNegotiated,
    /// The media connection's ICE/DTLS state changed (`network:connected`,
    /// `network:disconnected`).
    #[cfg(feature = "media")]
    MediaConnectionChanged(webex_media::ConnectionState),
}
