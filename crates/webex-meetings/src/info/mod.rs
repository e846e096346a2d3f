//! Meeting info (`POST {webex-appapi-service}/meetingInfo`): what a destination is, with the
//! password, host key and captcha flow, and the permission token's claims.

mod body;
mod captcha;
mod failure;
mod model;
mod permission;

pub use body::InfoLookup;
pub use captcha::Captcha;
pub use failure::{InfoFailureReason, PasswordStatus, VerifyPasswordOutcome};
pub use model::{MeetingInfo, PermissionToken};
pub use permission::{PermissionClaims, decode_permission_token};

pub(crate) use body::request_body;
pub(crate) use captcha::refresh as refresh_captcha;
pub(crate) use failure::{InfoFailure, classify};

use serde_json::Value;
use webex_core::Webex;
use webex_core::http::{Request, Target};

use crate::error::{MeetingError, Result};

/// The catalog service of meeting info.
pub(crate) const APPAPI: &str = "webex-appapi-service";

/// `POST {webex-appapi-service}/meetingInfo` with `body`; a failure is classified
/// ([`InfoFailure`]) so the meeting can keep the captcha or partial info it carries.
pub(crate) async fn fetch(webex: &Webex, body: &Value) -> Result<MeetingInfo, InfoFailure> {
    let req = Request::post(Target::service(APPAPI, "meetingInfo"))
        .json(body)
        .map_err(|e| InfoFailure::Other(e.into()))?;
    let res = webex
        .http()
        .send_raw(req)
        .await
        .map_err(|e| InfoFailure::Other(e.into()))?;
    if res.status().is_success() {
        return res
            .json::<MeetingInfo>()
            .map_err(|e| InfoFailure::Other(MeetingError::Http(e)));
    }
    Err(classify(res))
}
