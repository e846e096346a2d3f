//! Share floor control: `PUT <mediaShares[content|whiteboard].url>` to be granted or to
//! release the floor (a plain request: the new floor comes back through Locus events).

use http::Method;
use serde_json::{Value, json};

use super::Meeting;
use super::locus_http::parse_url;
use crate::error::{MeetingError, Result};
use crate::view::MeetingView;

/// Which share floor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ShareKind {
    /// Screen or content share (`content`).
    Content,
    /// Whiteboard share (`whiteboard`).
    Whiteboard,
}

impl ShareKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Content => "content",
            Self::Whiteboard => "whiteboard",
        }
    }
}

/// The URL of `kind`'s floor.
fn share_url(view: &MeetingView, kind: ShareKind) -> Option<String> {
    match kind {
        ShareKind::Content => view.media_share_urls.content.clone(),
        ShareKind::Whiteboard => view.media_share_urls.whiteboard.clone(),
    }
}

/// The body asking for the floor for us.
pub(crate) fn grant_body(self_url: &str, device_url: &str, share_instance_id: &str) -> Value {
    json!({"floor": {
        "beneficiary": {"url": self_url, "devices": [{"deviceType": "WEB", "url": device_url}]},
        "disposition": "GRANTED",
        "requester": {"url": self_url},
        "shareInstanceId": share_instance_id,
    }})
}

/// The body releasing the floor.
pub(crate) fn release_body(share_instance_id: Option<&str>) -> Value {
    match share_instance_id {
        Some(id) => json!({"floor": {"disposition": "RELEASED", "shareInstanceId": id}}),
        None => json!({"floor": {"disposition": "RELEASED"}}),
    }
}

impl Meeting {
    /// Asks for the share floor (we become the one sharing); returns the share instance id.
    ///
    /// # Errors
    /// [`MeetingError::InvalidState`] unless we are in the meeting and Locus lists that
    /// share; HTTP errors.
    pub async fn request_floor(&self, kind: ShareKind) -> Result<String> {
        let view = self.require_view("request the floor")?;
        if !super::self_joined(&view) {
            return Err(MeetingError::state(
                "request the floor",
                "not in the meeting",
            ));
        }
        let (self_url, share_url) = (view.self_url.clone(), share_url(&view, kind));
        let (Some(self_url), Some(share_url)) = (self_url, share_url) else {
            return Err(MeetingError::state(
                "request the floor",
                format!("Locus lists no {} share", kind.name()),
            ));
        };
        let share_instance_id = uuid::Uuid::new_v4().to_string();
        let body = grant_body(&self_url, self.device_url(), &share_instance_id);
        self.locus_send(Method::PUT, parse_url(&share_url)?, Some(&body))
            .await?;
        Ok(share_instance_id)
    }

    /// Releases the share floor; does nothing when someone else holds it (as the JS SDK).
    ///
    /// # Errors
    /// [`MeetingError::InvalidState`] unless Locus lists that share; HTTP errors.
    pub async fn release_floor(&self, kind: ShareKind) -> Result<()> {
        let view = self.require_view("release the floor")?;
        let Some(share_url) = share_url(&view, kind) else {
            return Err(MeetingError::state(
                "release the floor",
                format!("Locus lists no {} share", kind.name()),
            ));
        };
        let holder = match kind {
            ShareKind::Content => &view.floor.content,
            ShareKind::Whiteboard => &view.floor.whiteboard,
        };
        if holder.is_none() || *holder != view.self_id {
            return Ok(());
        }
        self.locus_send(
            Method::PUT,
            parse_url(&share_url)?,
            Some(&release_body(None)),
        )
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grant_and_release_bodies() {
        let grant = grant_body("https://l/p/1", "https://d/1", "s1");
        assert_eq!(grant["floor"]["disposition"], "GRANTED");
        assert_eq!(
            grant["floor"]["beneficiary"]["devices"][0]["url"],
            "https://d/1"
        );
        assert_eq!(grant["floor"]["requester"]["url"], "https://l/p/1");
        assert_eq!(
            release_body(None),
            json!({"floor": {"disposition": "RELEASED"}})
        );
    }
}
