//! Local mute (`PUT {selfUrl}/media`, "LocalMute", with the join's media id) and muting a
//! member server-side (`PATCH .../participant/{id}/controls`).
//!
//! With media (`add_media`), muting audio stops sending RTP at once, then tells Locus.
//! The JS SDK sends the local mute only once a media connection exists (before that it only
//! remembers the values). This SDK sends it right away, media or not: Locus then shows the
//! mute to everyone, which is what a signalling-only client wants too.

use http::Method;
use serde_json::{Map, Value, json};

use super::Meeting;
use super::locus_http::parse_url;
use crate::error::{MeetingError, Result};

/// Which medium a mute is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Medium {
    /// The microphone.
    Audio,
    /// The camera.
    Video,
}

/// The `LocalMute` body of `PUT {selfUrl}/media` (as the browser client sends it).
pub(crate) fn local_mute_body(
    device_url: &str,
    correlation_id: &str,
    media_id: &str,
    audio_muted: bool,
    video_muted: bool,
) -> Map<String, Value> {
    let local_sdp = json!({"audioMuted": audio_muted, "videoMuted": video_muted}).to_string();
    let mut body = Map::new();
    body.insert(
        "device".into(),
        json!({"url": device_url, "deviceType": "WEB"}),
    );
    body.insert("correlationId".into(), json!(correlation_id));
    body.insert("respOnlySdp".into(), json!(true));
    body.insert("usingResource".into(), Value::Null);
    body.insert(
        "localMedias".into(),
        json!([{"localSdp": local_sdp, "mediaId": media_id}]),
    );
    body
}

impl Meeting {
    /// Mutes our microphone: with media, no audio is sent from the next 20 ms frame on,
    /// then Locus is told.
    ///
    /// # Errors
    /// As [`set_local_mute`](Self::set_local_mute).
    pub async fn mute_audio(&self) -> Result<()> {
        self.set_local_mute(Medium::Audio, true).await
    }

    /// Unmutes our microphone.
    ///
    /// # Errors
    /// As [`set_local_mute`](Self::set_local_mute).
    pub async fn unmute_audio(&self) -> Result<()> {
        self.set_local_mute(Medium::Audio, false).await
    }

    /// Mutes our camera.
    ///
    /// # Errors
    /// As [`set_local_mute`](Self::set_local_mute).
    pub async fn mute_video(&self) -> Result<()> {
        self.set_local_mute(Medium::Video, true).await
    }

    /// Unmutes our camera.
    ///
    /// # Errors
    /// As [`set_local_mute`](Self::set_local_mute).
    pub async fn unmute_video(&self) -> Result<()> {
        self.set_local_mute(Medium::Video, false).await
    }

    /// Sets our local mute of `medium` (the other keeps its last value; both start muted, as
    /// in the JS SDK before any mute was asked for): `PUT {selfUrl}/media` \[Δ\], one at a time.
    ///
    /// # Errors
    /// [`MeetingError::InvalidState`] unless we are in the meeting (`self.state` JOINED) with
    /// a media id; HTTP errors.
    pub async fn set_local_mute(&self, medium: Medium, muted: bool) -> Result<()> {
        // Mute stops sending at once, while Locus is told.
        #[cfg(feature = "media")]
        if let (Medium::Audio, Some(media)) = (medium, self.media()) {
            media.set_audio_muted(muted);
        }
        let _one_at_a_time = self.inner.media_lock.lock().await;
        let view = self.require_view("mute")?;
        if !super::self_joined(&view) {
            return Err(MeetingError::state("mute", "not in the meeting"));
        }
        let self_url = view
            .self_url
            .clone()
            .ok_or_else(|| MeetingError::state("mute", "not a participant"))?;
        let (media_id, audio, video) = {
            let mut data = self.data();
            match medium {
                Medium::Audio => data.audio_muted = Some(muted),
                Medium::Video => data.video_muted = Some(muted),
            }
            (
                data.media_id.clone(),
                data.audio_muted.unwrap_or(true),
                data.video_muted.unwrap_or(true),
            )
        };
        let media_id =
            media_id.ok_or_else(|| MeetingError::state("mute", "the join gave no media id"))?;
        let body = local_mute_body(
            self.device_url(),
            &self.correlation_id(),
            &media_id,
            audio,
            video,
        );
        self.locus_delta(Method::PUT, parse_url(&format!("{self_url}/media"))?, body)
            .await?;
        Ok(())
    }

    /// Mutes or unmutes another member's `medium` (hosts), or our own server-side mute:
    /// `PATCH {locusUrl}/participant/{memberId}/controls` \[Δ\].
    ///
    /// # Errors
    /// [`MeetingError::InvalidState`] unless we are in the meeting; HTTP errors (403 for
    /// someone who may not).
    pub async fn mute_member(&self, member_id: &str, medium: Medium, muted: bool) -> Result<()> {
        let view = self.require_view("mute a member")?;
        if !super::self_joined(&view) {
            return Err(MeetingError::state("mute a member", "not in the meeting"));
        }
        let key = match medium {
            Medium::Audio => "audio",
            Medium::Video => "video",
        };
        let mut body = Map::new();
        body.insert(key.into(), json!({"muted": muted}));
        let url = format!("{}/participant/{member_id}/controls", view.locus_url);
        self.locus_delta(Method::PATCH, parse_url(&url)?, body)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_local_mute_body_carries_a_json_string() {
        let body = local_mute_body("d", "c", "m", true, false);
        assert_eq!(body["localMedias"][0]["mediaId"], "m");
        let sdp: Value =
            serde_json::from_str(body["localMedias"][0]["localSdp"].as_str().unwrap()).unwrap();
        assert_eq!(sdp, json!({"audioMuted": true, "videoMuted": false}));
        assert_eq!(body["respOnlySdp"], true);
        assert!(body["usingResource"].is_null());
    }
}
