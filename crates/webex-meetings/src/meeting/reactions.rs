//! Reactions: `POST <controls.reactions.reactionChannelUrl>` with the sender and the
//! reaction's emoji (the JS SDK's reaction table, default skin tone).

use http::Method;
use serde_json::{Value, json};

use super::Meeting;
use super::locus_http::parse_url;
use crate::error::{MeetingError, Result};

/// A reaction (the JS SDK's `ReactionServerType`s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reaction {
    /// 🙂
    Smile,
    /// 😥
    Sad,
    /// 😮
    Wow,
    /// 😃
    Haha,
    /// 🎉
    Celebrate,
    /// 👏
    Clap,
    /// 👍
    ThumbUp,
    /// 👎
    ThumbDown,
    /// ❤
    Heart,
    /// 🔥
    Fire,
    /// 🙏
    Prayer,
    /// 🐇
    SpeedUp,
    /// 🐢
    SlowDown,
}

impl Reaction {
    /// `(type, codepoints, shortcodes)` on the wire.
    fn wire(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::Smile => ("smile", "1F642", ":slightly_smiling_face:"),
            Self::Sad => ("sad", "1F625", ":disappointed_relieved:"),
            Self::Wow => ("wow", "1F62E", ":open_mouth:"),
            Self::Haha => ("haha", "1F603", ":smiley:"),
            Self::Celebrate => ("celebrate", "1F389", ":tada:"),
            Self::Clap => ("clap", "1F44F", ":clap:"),
            Self::ThumbUp => ("thumb_up", "1F44D", ":thumbsup:"),
            Self::ThumbDown => ("thumb_down", "1F44E", ":thumbsdown:"),
            Self::Heart => ("heart", "2764", ":heart:"),
            Self::Fire => ("fire", "1F525", ":fire:"),
            Self::Prayer => ("prayer", "1F64F", ":pray:"),
            Self::SpeedUp => ("speed_up", "1F407", ":rabbit:"),
            Self::SlowDown => ("slow_down", "1F422", ":turtle:"),
        }
    }

    /// The wire `type` (`thumb_up`, ...).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        self.wire().0
    }
}

/// The body of a reaction sent by participant `self_id`.
pub(crate) fn reaction_body(self_id: &str, reaction: Reaction) -> Value {
    let (kind, codepoints, shortcodes) = reaction.wire();
    json!({
        "sender": {"participantId": self_id},
        "reaction": {
            "type": kind, "codepoints": codepoints, "shortcodes": shortcodes,
            "tone": {"type": "normal_skin_tone", "codepoints": "", "shortcodes": ""},
        },
    })
}

impl Meeting {
    /// Sends a reaction to everyone in the meeting.
    ///
    /// # Errors
    /// [`MeetingError::InvalidState`] unless we are in the meeting; [`MeetingError::NotPermitted`]
    /// when Locus gives no reaction channel (reactions off); HTTP errors.
    pub async fn send_reaction(&self, reaction: Reaction) -> Result<()> {
        let view = self.require_view("send a reaction")?;
        if !super::self_joined(&view) {
            return Err(MeetingError::state("send a reaction", "not in the meeting"));
        }
        let channel = view
            .reaction_channel_url
            .clone()
            .ok_or(MeetingError::NotPermitted {
                action: "send a reaction",
            })?;
        let self_id = view
            .self_id
            .clone()
            .ok_or_else(|| MeetingError::state("send a reaction", "not a participant"))?;
        let body = reaction_body(&self_id, reaction);
        self.locus_send(Method::POST, parse_url(&channel)?, Some(&body))
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_names_the_sender_and_the_emoji() {
        let body = reaction_body("p1", Reaction::ThumbUp);
        assert_eq!(body["sender"]["participantId"], "p1");
        assert_eq!(body["reaction"]["type"], "thumb_up");
        assert_eq!(body["reaction"]["codepoints"], "1F44D");
        assert_eq!(body["reaction"]["tone"]["type"], "normal_skin_tone");
    }
}
