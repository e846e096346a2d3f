//! Meeting-wide controls: lock and unlock (refused locally unless the display hints offer
//! them, as in the JS SDK), and the layout of our device.

use http::Method;
use serde_json::{Map, json};

use super::Meeting;
use super::locus_http::parse_url;
use crate::error::{MeetingError, Result};

/// A video layout (`PUT {locusUrl}/controls` `layout.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Layout {
    /// One stream.
    Single,
    /// A grid of equals.
    Equal,
    /// The active speaker large, others small.
    ActivePresence,
    /// The active speaker prominent.
    Prominent,
    /// One large and N small.
    OnePlusN,
}

impl Layout {
    fn as_str(self) -> &'static str {
        match self {
            Self::Single => "Single",
            Self::Equal => "Equal",
            Self::ActivePresence => "ActivePresence",
            Self::Prominent => "Prominent",
            Self::OnePlusN => "OnePlusN",
        }
    }
}

impl Meeting {
    /// Locks the meeting (`PATCH {locusUrl}/controls {lock: {locked: true}}` \[Δ\]).
    ///
    /// # Errors
    /// [`MeetingError::NotPermitted`] unless the display hints offer it; HTTP errors.
    pub async fn lock(&self) -> Result<()> {
        self.set_locked(true).await
    }

    /// Unlocks the meeting.
    ///
    /// # Errors
    /// As [`lock`](Self::lock).
    pub async fn unlock(&self) -> Result<()> {
        self.set_locked(false).await
    }

    async fn set_locked(&self, locked: bool) -> Result<()> {
        let action = if locked { "lock" } else { "unlock" };
        let view = self.require_view(action)?;
        let actions = &view.in_meeting_actions;
        let allowed = if locked {
            actions.can_lock
        } else {
            actions.can_unlock
        };
        if !allowed {
            return Err(MeetingError::NotPermitted { action });
        }
        let mut body = Map::new();
        body.insert("lock".into(), json!({"locked": locked}));
        let url = parse_url(&format!("{}/controls", view.locus_url))?;
        self.locus_delta(Method::PATCH, url, body).await?;
        Ok(())
    }

    /// Changes our device's layout (`PUT {locusUrl}/controls {layout}` \[Δ\]). The JS SDK
    /// debounces this call (2 s); this one sends each call.
    ///
    /// # Errors
    /// [`MeetingError::InvalidState`] before Locus state; HTTP errors.
    pub async fn change_layout(&self, layout: Layout) -> Result<()> {
        let view = self.require_view("change the layout")?;
        let mut body = Map::new();
        body.insert(
            "layout".into(),
            json!({"deviceUrl": self.device_url(), "type": layout.as_str()}),
        );
        let url = parse_url(&format!("{}/controls", view.locus_url))?;
        self.locus_delta(Method::PUT, url, body).await?;
        Ok(())
    }
}
