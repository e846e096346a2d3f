//! A session's negotiated m-lines by what they carry: the transcoded
//! offer's audio, main video and share video. Forwarding goes line to line
//! (audio to audio, video to video, share to share), whatever the mids of
//! the two clients are.

use str0m::media::{Direction, Mid};

/// Which of a transcoded offer's three m-lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// The audio m-line.
    Audio,
    /// The first video m-line (the camera).
    Video,
    /// The second video m-line (`a=content:slides`, the share).
    Share,
}

impl Line {
    /// `mediaType` and `mediaContent` of the line in Locus's
    /// `mediaSessions`.
    pub(crate) fn locus_names(self) -> (&'static str, &'static str) {
        match self {
            Line::Audio => ("audio", "main"),
            Line::Video => ("video", "main"),
            Line::Share => ("video", "slides"),
        }
    }
}

/// The answered m-lines: each mid with its line and the server's
/// direction on it.
#[derive(Debug, Default)]
pub(crate) struct Lines(Vec<(Mid, Line, Direction)>);

impl Lines {
    /// Records an answered m-line.
    pub(crate) fn push(&mut self, mid: Mid, line: Line, direction: Direction) {
        self.0.push((mid, line, direction));
    }

    /// The line `mid` is.
    pub(crate) fn line_of(&self, mid: Mid) -> Option<Line> {
        self.0.iter().find(|(m, ..)| *m == mid).map(|(_, l, _)| *l)
    }

    /// The mid the server sends `line` on, if the client receives it.
    pub(crate) fn sending(&self, line: Line) -> Option<Mid> {
        self.find(line, |d| {
            matches!(d, Direction::SendRecv | Direction::SendOnly)
        })
    }

    /// The mid the server receives `line` on, if the client sends it.
    pub(crate) fn receiving(&self, line: Line) -> Option<Mid> {
        self.find(line, |d| {
            matches!(d, Direction::SendRecv | Direction::RecvOnly)
        })
    }

    fn find(&self, line: Line, direction: impl Fn(Direction) -> bool) -> Option<Mid> {
        self.0
            .iter()
            .find(|(_, l, d)| *l == line && direction(*d))
            .map(|(m, ..)| *m)
    }
}
