//! Meeting info (`webex-appapi-service`, wbxappapi): `POST meetingInfo`
//! finds a meeting by whatever the client has (SIP URI, number, link,
//! meeting id, personal room owner, space, locus) and answers what it
//! needs to join, or the password and captcha errors.
//!
//! The answer has no `locusClusterUrl`: the JS SDK turns one into an
//! `https://` Locus URL, which the plain-HTTP emulator cannot serve, and
//! without it the client joins through the catalog's `locus`, which is
//! the same place.

pub(crate) mod captcha;
pub(crate) mod lookup;
pub(crate) mod token;

use std::time::SystemTime;

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::app::AppState;
use crate::kit::auth::Caller;
use crate::kit::body::JsonBody;
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::kit::service::{Listing, ServiceSpec};
use crate::views::meeting_urls::locus_url;
use crate::world::meetings::captcha::{Attempt, PasswordCheck};
use crate::world::meetings::meeting::Meeting;

/// The meeting-info service.
pub(crate) const SPEC: ServiceSpec = ServiceSpec {
    name: "webex-appapi-service",
    base_path: "/wbxappapi/v1",
    listing: Listing::Base,
};

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(&SPEC.path("/meetingInfo"), post(meeting_info))
        .route(&SPEC.path("/captchas/refresh"), post(captcha::refresh))
        .route(&SPEC.path("/captchas/{id}/image"), get(captcha::image))
        .route(&SPEC.path("/captchas/{id}/audio"), get(captcha::audio))
}

/// `POST meetingInfo`.
async fn meeting_info(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let body = match serde_json::from_slice::<Value>(&raw) {
        Ok(Value::Object(body)) => body,
        _ => {
            return Err(lookup::bad_request(
                "The request body must be a JSON object.",
            ));
        }
    };
    let text = |key: &str| body.get(key).and_then(Value::as_str);
    let base = state.endpoint.base_url();
    let mut data = lock(&state.data);
    let number = lookup::meeting_number(&mut data, &body, caller.person)?;
    let meeting = data
        .meetings
        .book
        .get_mut(&number)
        .ok_or_else(lookup::not_found)?;
    let is_host = meeting.host == caller.person;
    let host_key = meeting.host_key.clone();
    let password = meeting.password.clone();
    let check = if is_host {
        PasswordCheck::Accepted { host_key: false }
    } else {
        meeting.captchas.check(
            password.as_deref(),
            &host_key,
            Attempt {
                person: caller.person,
                password: text("password"),
                captcha_id: text("captchaID"),
                captcha_code: text("captchaVerifyCode"),
            },
        )
    };
    let meeting = meeting.clone();
    match check {
        PasswordCheck::Accepted { host_key } => {
            let host_name = data
                .people
                .get(meeting.host)
                .map(|p| p.display_name.clone());
            Ok(Json(info(
                &base,
                &meeting,
                caller.person,
                is_host || host_key,
                host_name,
            )))
        }
        PasswordCheck::Required => Err(captcha::password_required(&meeting)),
        PasswordCheck::Captcha { captcha, again } => {
            Err(captcha::captcha_required(&base, &meeting, &captcha, again))
        }
    }
}

/// The answer for `person`; hosts also get the host key.
fn info(
    base: &str,
    meeting: &Meeting,
    person: Uuid,
    host: bool,
    host_name: Option<String>,
) -> Value {
    let mut out = Map::new();
    let mut put = |key: &str, value: Value| {
        out.insert(key.to_owned(), value);
    };
    put("meetingNumber", json!(meeting.number));
    put("sipUrl", json!(meeting.sip_uri()));
    put("meetingJoinUrl", json!(meeting.web_link()));
    put("meetingName", json!(meeting.title));
    put("owner", json!(meeting.host.to_string()));
    put("hostId", json!(meeting.host.to_string()));
    put("hostDisplayName", json!(host_name));
    put("isPmr", json!(meeting.personal_room));
    put(
        "permissionToken",
        json!(token::permission_token(person, SystemTime::now())),
    );
    put("supportVoIP", json!(true));
    put("video", json!({"supportHDV": true, "supportHQV": true}));
    put("channel", json!("EMULATOR"));
    put("meetingId", json!(meeting.id.to_string()));
    put("confID", json!(meeting.number));
    put("confIdStr", json!(meeting.number));
    if meeting.personal_room {
        put("sipMeetingUri", json!(meeting.sip_uri()));
        put("webExMeetingLink", json!(meeting.web_link()));
        put("meetingLink", json!(meeting.web_link()));
    }
    if let Some(room) = meeting.room {
        put(
            "conversationUrl",
            json!(format!("{base}/conversation/api/v1/conversations/{room}")),
        );
    }
    if let Some(locus) = meeting.locus {
        put("locusUrl", json!(locus_url(base, locus)));
    }
    if host {
        put("hostKey", json!(meeting.host_key));
    }
    Value::Object(out)
}
