//! What a failed meeting info lookup means (the JS SDK's table): a policy refusal, a
//! password to ask for, a captcha to show, an unknown meeting, or anything else.

use serde::Deserialize;
use serde_json::Value;
use webex_core::http::{Response, webex_error_message};

use super::{Captcha, MeetingInfo};
use crate::error::MeetingError;

/// 403 codes that mean "your policy does not allow this" rather than "password required".
const POLICY_CODES: [u64; 6] = [403_049, 403_104, 403_103, 403_048, 403_102, 403_101];
/// 423 codes that also mean the password is required (not only the captcha).
const CAPTCHA_PASSWORD_CODES: [u64; 2] = [423_005, 423_006];

/// Why the last meeting info lookup failed (`meetingInfoFailureReason` in the JS SDK).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InfoFailureReason {
    /// It did not fail.
    None,
    /// The password (or host key) is missing or wrong.
    WrongPassword,
    /// The captcha code is wrong (a captcha was already required).
    WrongCaptcha,
    /// The user's policy does not allow it.
    Policy,
    /// Anything else.
    Other,
}

/// Whether the meeting needs a password (`passwordStatus` in the JS SDK).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PasswordStatus {
    /// No meeting info yet.
    Unknown,
    /// The meeting opened without one.
    NotRequired,
    /// A password (or host key) is needed: call `verify_password`.
    Required,
    /// A password was needed and the last one given was right.
    Verified,
}

/// What `verify_password` found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifyPasswordOutcome {
    /// Whether the password opened the meeting.
    pub is_password_valid: bool,
    /// The captcha the next attempt must solve, if any.
    pub required_captcha: Option<Captcha>,
    /// Why it failed ([`InfoFailureReason::None`] when it did not).
    pub failure_reason: InfoFailureReason,
}

/// A classified meeting info failure.
#[derive(Debug)]
pub(crate) enum InfoFailure {
    Policy {
        code: u64,
        message: String,
    },
    Password {
        code: Option<u64>,
        message: String,
        info: Option<Box<MeetingInfo>>,
    },
    Captcha {
        captcha: Box<Captcha>,
        message: String,
    },
    NotFound {
        message: String,
    },
    Other(MeetingError),
}

impl From<InfoFailure> for MeetingError {
    fn from(failure: InfoFailure) -> Self {
        match failure {
            InfoFailure::Policy { code, message } => Self::Policy { code, message },
            InfoFailure::Password { code, message, .. } => Self::PasswordRequired { code, message },
            InfoFailure::Captcha { captcha, message } => Self::CaptchaRequired { captcha, message },
            InfoFailure::NotFound { message } => Self::MeetingNotFound { message },
            InfoFailure::Other(err) => err,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ErrorBody {
    #[serde(default)]
    code: Option<Value>,
    #[serde(default)]
    data: Option<ErrorData>,
    #[serde(default, rename = "captchaID")]
    captcha_id: Option<String>,
    #[serde(default, rename = "verificationImageURL")]
    verification_image_url: Option<String>,
    #[serde(default, rename = "verificationAudioURL")]
    verification_audio_url: Option<String>,
    #[serde(default, rename = "refreshURL")]
    refresh_url: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ErrorData {
    #[serde(default)]
    meeting_info: Option<MeetingInfo>,
}

/// Classifies a failed answer by status and body (a body that does not parse still gives a
/// typed failure by status, with the raw message).
pub(crate) fn classify(res: Response) -> InfoFailure {
    let body: ErrorBody = serde_json::from_slice(res.body()).unwrap_or_default();
    let message = webex_error_message(res.body())
        .unwrap_or_else(|| format!("meeting info answered {}", res.status()));
    let code = body.code.as_ref().and_then(|c| match c {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    });
    match res.status().as_u16() {
        403 if code.is_some_and(|c| POLICY_CODES.contains(&c)) => InfoFailure::Policy {
            code: code.unwrap_or_default(),
            message,
        },
        403 => InfoFailure::Password {
            code,
            message,
            info: body.data.and_then(|d| d.meeting_info).map(Box::new),
        },
        423 => match body.captcha_id {
            Some(captcha_id) => InfoFailure::Captcha {
                captcha: Box::new(Captcha {
                    captcha_id,
                    verification_image_url: body.verification_image_url.unwrap_or_default(),
                    verification_audio_url: body.verification_audio_url.unwrap_or_default(),
                    refresh_url: body.refresh_url.unwrap_or_default(),
                    password_required: code.is_some_and(|c| CAPTCHA_PASSWORD_CODES.contains(&c)),
                }),
                message,
            },
            None => InfoFailure::Other(MeetingError::InvalidResponse(format!(
                "meeting info asked for a captcha without a captchaID: {message}"
            ))),
        },
        404 => InfoFailure::NotFound { message },
        _ => InfoFailure::Other(MeetingError::Http(
            webex_core::Error::from_status(res.status(), message)
                .with_tracking_id(res.tracking_id().unwrap_or_default()),
        )),
    }
}
