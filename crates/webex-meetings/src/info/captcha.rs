//! The captcha meeting info asks for after repeated wrong passwords, and its refresh.

use serde::Deserialize;
use serde_json::json;
use url::Url;
use webex_core::Webex;
use webex_core::http::{Request, Target};

use crate::error::{MeetingError, Result};

/// A captcha to show the user; its code goes with the next password attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Captcha {
    /// The captcha's id (sent back as `captchaID`).
    pub captcha_id: String,
    /// The image to show.
    pub verification_image_url: String,
    /// The audio version.
    pub verification_audio_url: String,
    /// Where a new captcha comes from (`refresh_captcha`).
    pub refresh_url: String,
    /// Whether the password is required too (codes 423005 and 423006).
    pub password_required: bool,
}

#[derive(Deserialize)]
struct Refreshed {
    #[serde(rename = "captchaID")]
    captcha_id: String,
    #[serde(default, rename = "verificationImageURL")]
    verification_image_url: Option<String>,
    #[serde(default, rename = "verificationAudioURL")]
    verification_audio_url: Option<String>,
}

/// `POST <refreshURL>&siteFullName=<its host>` with `{captchaId}`: a new captcha in place of
/// `captcha`.
pub(crate) async fn refresh(webex: &Webex, captcha: &Captcha) -> Result<Captcha> {
    let mut url = Url::parse(&captcha.refresh_url).map_err(|e| {
        MeetingError::InvalidResponse(format!(
            "captcha refresh URL {:?}: {e}",
            captcha.refresh_url
        ))
    })?;
    let host = url.host_str().unwrap_or_default().to_owned();
    url.query_pairs_mut().append_pair("siteFullName", &host);
    let req = Request::post(Target::Url(url)).json(&json!({"captchaId": captcha.captcha_id}))?;
    let fresh: Refreshed = webex.http().json(req).await?;
    Ok(Captcha {
        captcha_id: fresh.captcha_id,
        verification_image_url: fresh
            .verification_image_url
            .unwrap_or_else(|| captcha.verification_image_url.clone()),
        verification_audio_url: fresh
            .verification_audio_url
            .unwrap_or_else(|| captcha.verification_audio_url.clone()),
        refresh_url: captcha.refresh_url.clone(),
        password_required: captcha.password_required,
    })
}
