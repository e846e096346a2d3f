//! The password and captcha errors of meeting info, and the captcha's
//! refresh URL, image and audio.
//!
//! A meeting with a password answers 403 (`code` 403004) with the
//! meeting's number in `data.meetingInfo` while no or a wrong password is
//! given; after three wrong passwords in a row from one person it answers
//! 423 with a captcha (`code` 423005, or 423006 when a captcha was already
//! pending and the answer was wrong), which must be solved together with
//! the right password. The JS SDK reads both 4230xx codes as "password
//! required".

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde_json::{Map, Value, json};

use super::SPEC;
use super::lookup::{bad_request, not_found};
use crate::app::AppState;
use crate::kit::auth::Caller;
use crate::kit::body::JsonBody;
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::world::meetings::captcha::Captcha;
use crate::world::meetings::meeting::Meeting;

/// A password is required, or the one given is wrong.
pub(crate) const PASSWORD_REQUIRED: u64 = 403_004;
/// A captcha is required (and a password).
pub(crate) const CAPTCHA_REQUIRED: u64 = 423_005;
/// The captcha (or the password with it) was wrong; a new one is required.
pub(crate) const CAPTCHA_WRONG: u64 = 423_006;

/// 403 asking for the password.
pub(crate) fn password_required(meeting: &Meeting) -> ApiError {
    let mut fields = Map::new();
    fields.insert("code".into(), json!(PASSWORD_REQUIRED));
    fields.insert(
        "data".into(),
        json!({"meetingInfo": {
            "meetingNumber": meeting.number,
            "sipUrl": meeting.sip_uri(),
            "meetingName": meeting.title,
        }}),
    );
    ApiError::forbidden("Password required.").with_fields(fields)
}

/// 423 asking for a captcha.
pub(crate) fn captcha_required(
    base: &str,
    meeting: &Meeting,
    captcha: &Captcha,
    again: bool,
) -> ApiError {
    let mut fields = captcha_fields(base, captcha);
    fields.insert(
        "code".into(),
        json!(if again {
            CAPTCHA_WRONG
        } else {
            CAPTCHA_REQUIRED
        }),
    );
    fields.insert(
        "refreshURL".into(),
        json!(format!(
            "{}/captchas/refresh?meetingNumber={}&captchaID={}",
            SPEC.url(base),
            meeting.number,
            captcha.id
        )),
    );
    let message = if again {
        "Wrong captcha or password."
    } else {
        "Too many wrong passwords: a captcha is required."
    };
    ApiError::new(StatusCode::LOCKED, message).with_fields(fields)
}

/// `captchaID` and the URLs of its image and audio.
fn captcha_fields(base: &str, captcha: &Captcha) -> Map<String, Value> {
    let at = |what: &str| format!("{}/captchas/{}/{what}", SPEC.url(base), captcha.id);
    let mut fields = Map::new();
    fields.insert("captchaID".into(), json!(captcha.id.to_string()));
    fields.insert("verificationImageURL".into(), json!(at("image")));
    fields.insert("verificationAudioURL".into(), json!(at("audio")));
    fields
}

/// `POST <refreshURL>&siteFullName=...` body `{captchaId}`: a new captcha.
pub(crate) async fn refresh(
    State(state): State<AppState>,
    _caller: Caller,
    Query(query): Query<HashMap<String, String>>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let from_body = serde_json::from_slice::<Value>(&raw).ok().and_then(|body| {
        body.get("captchaId")
            .and_then(Value::as_str)
            .map(str::to_owned)
    });
    let id = from_body
        .or_else(|| query.get("captchaID").cloned())
        .ok_or_else(|| bad_request("captchaId is required."))?;
    let number = query
        .get("meetingNumber")
        .ok_or_else(|| bad_request("meetingNumber is required."))?;
    let mut data = lock(&state.data);
    let meeting = data.meetings.book.get_mut(number).ok_or_else(not_found)?;
    let fresh = meeting.captchas.refresh(&id).ok_or_else(not_found)?;
    let base = state.endpoint.base_url();
    Ok(Json(Value::Object(captcha_fields(&base, &fresh))))
}

/// The pending captcha with `id`, in any meeting.
fn pending(state: &AppState, id: &str) -> Result<Captcha, ApiError> {
    let data = lock(&state.data);
    data.meetings
        .book
        .pending_captcha(id)
        .cloned()
        .ok_or_else(not_found)
}

/// `GET captchas/{id}/image`: the code drawn as SVG text.
pub(crate) async fn image(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let captcha = pending(&state, &id)?;
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"160\" height=\"48\">\
         <text x=\"12\" y=\"34\" font-family=\"monospace\" font-size=\"28\">{}</text></svg>",
        captcha.code
    );
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg))
}

/// `GET captchas/{id}/audio`: the code spelled out, as text (the
/// emulator has no speech synthesis).
pub(crate) async fn audio(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let captcha = pending(&state, &id)?;
    let spelled: Vec<String> = captcha.code.chars().map(String::from).collect();
    Ok(([(header::CONTENT_TYPE, "text/plain")], spelled.join(" ")))
}
