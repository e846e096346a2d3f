//! A meeting's meeting info: the lookup at `create()`, `verify_password` (password or host
//! key, and the captcha), `refresh_captcha`, and the permission token refresh before a join.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::Meeting;
use crate::destination::DestinationType;
use crate::error::{MeetingError, Result};
use crate::info::{
    self, Captcha, InfoFailure, InfoFailureReason, InfoLookup, MeetingInfo, PasswordStatus,
    VerifyPasswordOutcome, decode_permission_token,
};

/// A permission token with this little left is refreshed before a join.
const TOKEN_REFRESH_MARGIN: Duration = Duration::from_secs(30);

impl Meeting {
    /// Looks the meeting up; keeps what it learns (info, identifiers, password and captcha
    /// status) whatever the outcome. `personal_room` is `(userId, orgId)` for that type.
    pub(crate) async fn fetch_info(
        &self,
        lookup: &InfoLookup,
        personal_room: Option<(&str, &str)>,
    ) -> Result<Option<MeetingInfo>> {
        let webex = self.webex()?;
        let Some(body) = info::request_body(
            self.destination_type(),
            self.destination(),
            personal_room,
            lookup,
        ) else {
            return Ok(None);
        };
        let had_captcha = self.data().required_captcha.is_some();
        match info::fetch(&webex, &body).await {
            Ok(found) => {
                {
                    let mut data = self.data();
                    data.password_status = Some(match data.password_status {
                        Some(PasswordStatus::Required) => PasswordStatus::Verified,
                        Some(PasswordStatus::Verified) => PasswordStatus::Verified,
                        _ if lookup.password.is_some() => PasswordStatus::Verified,
                        _ => PasswordStatus::NotRequired,
                    });
                    data.required_captcha = None;
                    data.info_refusal = None;
                    data.failure_reason = Some(InfoFailureReason::None);
                    data.info = Some(found.clone());
                    if let Some(url) = &found.locus_url {
                        data.locus_url = Some(url.clone());
                    }
                }
                self.set_identifiers(
                    found.sip_url.clone().or_else(|| {
                        (self.destination_type() == DestinationType::SipUri)
                            .then(|| self.destination().to_owned())
                    }),
                    found.meeting_number.clone(),
                    found.conversation_url.clone(),
                );
                Ok(Some(found))
            }
            Err(failure) => {
                self.remember_failure(&failure, had_captcha);
                Err(failure.into())
            }
        }
    }

    fn remember_failure(&self, failure: &InfoFailure, had_captcha: bool) {
        let mut data = self.data();
        data.info_refusal = match failure {
            InfoFailure::Policy { code, message } => Some((Some(*code), message.clone())),
            InfoFailure::Password { code, message, .. } => Some((*code, message.clone())),
            InfoFailure::Captcha { message, .. } => Some((None, message.clone())),
            InfoFailure::NotFound { .. } | InfoFailure::Other(_) => None,
        };
        match failure {
            InfoFailure::Policy { .. } => data.failure_reason = Some(InfoFailureReason::Policy),
            InfoFailure::Password { info, .. } => {
                data.password_status = Some(PasswordStatus::Required);
                data.failure_reason = Some(InfoFailureReason::WrongPassword);
                if let Some(partial) = info {
                    data.meeting_number = partial
                        .meeting_number
                        .clone()
                        .or(data.meeting_number.take());
                    data.info = Some((**partial).clone());
                }
            }
            InfoFailure::Captcha { captcha, .. } => {
                if captcha.password_required {
                    data.password_status = Some(PasswordStatus::Required);
                }
                data.failure_reason = Some(if had_captcha {
                    InfoFailureReason::WrongCaptcha
                } else {
                    InfoFailureReason::WrongPassword
                });
                data.required_captcha = Some((**captcha).clone());
            }
            InfoFailure::NotFound { .. } | InfoFailure::Other(_) => {
                data.failure_reason = Some(InfoFailureReason::Other);
            }
        }
    }

    /// Tries a password (or host key) and, when one is required, the captcha's code: the
    /// meeting info lookup again with them. A wrong password is an outcome, not an error.
    ///
    /// # Errors
    /// [`MeetingError::InvalidState`] for a password when none is required or a captcha code
    /// when no captcha is (nothing is sent); errors other than password, captcha and policy.
    pub async fn verify_password(
        &self,
        password: Option<&str>,
        captcha_code: Option<&str>,
    ) -> Result<VerifyPasswordOutcome> {
        let (status, captcha) = {
            let data = self.data();
            (data.password_status, data.required_captcha.clone())
        };
        if password.is_some()
            && !matches!(status, Some(PasswordStatus::Required))
            && captcha.as_ref().is_none_or(|c| !c.password_required)
        {
            return Err(MeetingError::state(
                "verify the password",
                "no password is required",
            ));
        }
        if captcha_code.is_some() && captcha.is_none() {
            return Err(MeetingError::state(
                "verify the captcha",
                "no captcha is required",
            ));
        }
        let lookup = InfoLookup {
            password: password.map(str::to_owned),
            captcha: captcha
                .zip(captcha_code)
                .map(|(c, code)| (c.captcha_id, code.to_owned())),
            ..InfoLookup::default()
        };
        match self.fetch_info(&lookup, None).await {
            Ok(_) => Ok(VerifyPasswordOutcome {
                is_password_valid: true,
                required_captcha: None,
                failure_reason: InfoFailureReason::None,
            }),
            Err(
                MeetingError::PasswordRequired { .. }
                | MeetingError::CaptchaRequired { .. }
                | MeetingError::Policy { .. },
            ) => Ok(VerifyPasswordOutcome {
                is_password_valid: false,
                required_captcha: self.required_captcha(),
                failure_reason: self.info_failure_reason(),
            }),
            Err(other) => Err(other),
        }
    }

    /// What meeting info said when it last refused (code and message), if it did.
    pub(crate) fn info_refusal(&self) -> Option<(Option<u64>, String)> {
        self.data().info_refusal.clone()
    }

    /// Replaces the required captcha with a new one.
    ///
    /// # Errors
    /// [`MeetingError::InvalidState`] when no captcha is required; HTTP errors.
    pub async fn refresh_captcha(&self) -> Result<Captcha> {
        let captcha = self
            .required_captcha()
            .ok_or_else(|| MeetingError::state("refresh the captcha", "no captcha is required"))?;
        let fresh = info::refresh_captcha(&self.webex()?, &captcha).await?;
        self.data().required_captcha = Some(fresh.clone());
        Ok(fresh)
    }

    /// Before a join: a permission token with 30 s or less left is refreshed (meeting info
    /// again with `permissionToken`), as the JS SDK does.
    pub(crate) async fn refresh_permission_token_if_expiring(&self) -> Result<()> {
        let token = self
            .data()
            .info
            .as_ref()
            .and_then(|i| i.permission_token.clone());
        let Some(token) = token else { return Ok(()) };
        let Ok(claims) = decode_permission_token(token.secret()) else {
            return Ok(());
        };
        let Some(exp) = claims.exp else { return Ok(()) };
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        let margin = u64::try_from(TOKEN_REFRESH_MARGIN.as_millis()).unwrap_or(u64::MAX);
        if exp.saturating_sub(now_ms) > margin {
            return Ok(());
        }
        let lookup = InfoLookup {
            permission_token: Some(token.secret().to_owned()),
            ..InfoLookup::default()
        };
        self.fetch_info(&lookup, None).await.map(drop)
    }
}
