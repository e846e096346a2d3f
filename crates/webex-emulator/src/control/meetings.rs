//! Admin operations on meetings: create one, read it as a neutral observer
//! (the locus without `self`, what every participant's view must converge
//! to), read any locus (a call's) that way, read the captcha it currently asks for, and the Locus
//! `drop-deltas` fault.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Control;
use crate::kit::body;
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::services::locus::dto::{Dto, Viewer};
use crate::services::locus::ledger::LocusFault;
use crate::views::meeting_urls::locus_url;
use crate::world::Data;
use crate::world::meetings::errors::{locus_not_found, meeting_not_found};
use crate::world::meetings::locus::Locus;
use crate::world::meetings::meeting::{Meeting, MeetingSpec};

/// `POST /_emulator/meetings`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct NewMeeting {
    /// The title.
    pub title: String,
    /// The host's email (a person created before).
    pub host_email: String,
    /// A password every other person must give in meeting info.
    #[serde(default)]
    pub password: Option<String>,
    /// Whether people outside the host's email domain who are not in
    /// `invitees` wait in the lobby until a host admits them.
    #[serde(default)]
    pub lobby: Option<bool>,
    /// Emails that never wait in the lobby.
    #[serde(default)]
    pub invitees: Vec<String>,
}

impl NewMeeting {
    /// A meeting titled `title` hosted by `host_email`, without password or
    /// lobby.
    pub fn new(title: impl Into<String>, host_email: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            host_email: host_email.into(),
            ..Self::default()
        }
    }

    /// With a password.
    #[must_use]
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// With a lobby for outsiders.
    #[must_use]
    pub fn lobby(mut self, lobby: bool) -> Self {
        self.lobby = Some(lobby);
        self
    }

    /// With `email` among those who never wait in the lobby.
    #[must_use]
    pub fn invitee(mut self, email: impl Into<String>) -> Self {
        self.invitees.push(email.into());
        self
    }
}

/// A meeting, as the admin API shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreatedMeeting {
    /// 11 digits starting with `2`.
    pub meeting_number: String,
    /// `<number>@emulator.local`.
    pub sip_uri: String,
    /// `https://emulator.webex.com/meet/<number>`.
    pub web_link: String,
    /// The locus URL while the meeting is live.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locus_url: Option<String>,
    /// The host key (six digits).
    pub host_key: String,
    /// The meeting id (`meetingId` of meeting info).
    pub meeting_id: String,
}

/// The captcha a meeting asks for now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MeetingCaptcha {
    /// `captchaID`.
    pub captcha_id: String,
    /// The code its image shows.
    pub code: String,
}

impl Control {
    /// Creates a meeting.
    pub(crate) fn create_meeting(&self, request: NewMeeting) -> Result<CreatedMeeting, ApiError> {
        let mut data = lock(&self.state.data);
        let host = data
            .people
            .by_email(request.host_email.trim())
            .map(|p| p.uuid)
            .ok_or_else(|| ApiError::bad_request("hostEmail is not a person's email."))?;
        let meeting = data.create_meeting(MeetingSpec {
            title: request.title,
            host,
            password: request.password,
            lobby: request.lobby.unwrap_or(false),
            invitees: request.invitees,
        })?;
        Ok(self.created(&meeting))
    }

    /// The admin view of a meeting record.
    fn created(&self, meeting: &Meeting) -> CreatedMeeting {
        let base = self.state.endpoint.base_url();
        CreatedMeeting {
            meeting_number: meeting.number.clone(),
            sip_uri: meeting.sip_uri(),
            web_link: meeting.web_link(),
            locus_url: meeting.locus.map(|locus| locus_url(&base, locus)),
            host_key: meeting.host_key.clone(),
            meeting_id: meeting.id.to_string(),
        }
    }

    /// A meeting with its live locus as a neutral observer sees it (the
    /// last one after it ended), as JSON.
    pub(crate) fn meeting(&self, number: &str) -> Result<Value, ApiError> {
        let data = lock(&self.state.data);
        let meeting = data
            .meetings
            .book
            .get(number)
            .ok_or_else(meeting_not_found)?;
        let mut out = serde_json::to_value(self.created(meeting))
            .map_err(|error| ApiError::bad_request(error.to_string()))?;
        let locus = meeting
            .locus
            .and_then(|id| data.meetings.locus(id))
            .or_else(|| data.meetings.last_locus_of(number));
        if let (Some(locus), Value::Object(fields)) = (locus, &mut out) {
            fields.insert("locus".into(), self.observed(&data, locus));
        }
        Ok(out)
    }

    /// Any locus (a call's too) as a neutral observer sees it, by its id
    /// or URL (its last segment is the id).
    pub(crate) fn locus(&self, locus: &str) -> Result<Value, ApiError> {
        let id = locus
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default();
        let id = uuid::Uuid::try_parse(id).map_err(|_| locus_not_found())?;
        let data = lock(&self.state.data);
        let locus = data.meetings.locus(id).ok_or_else(locus_not_found)?;
        Ok(self.observed(&data, locus))
    }

    /// `locus` as a neutral observer sees it: the whole DTO without `self`.
    fn observed(&self, data: &Data, locus: &Locus) -> Value {
        let base = self.state.endpoint.base_url();
        Dto { base: &base, data }.full(locus, Viewer::Observer)
    }

    /// The captcha meeting `number` currently asks someone to solve.
    pub(crate) fn meeting_captcha(&self, number: &str) -> Result<MeetingCaptcha, ApiError> {
        let data = lock(&self.state.data);
        let meeting = data
            .meetings
            .book
            .get(number)
            .ok_or_else(meeting_not_found)?;
        let captcha = meeting
            .captchas
            .latest()
            .ok_or_else(|| ApiError::not_found("The meeting asks for no captcha."))?;
        Ok(MeetingCaptcha {
            captcha_id: captcha.id.to_string(),
            code: captcha.code.clone(),
        })
    }

    /// Arms a Locus fault.
    pub(crate) fn add_locus_fault(&self, fault: &LocusFault) -> Result<(), ApiError> {
        self.ledger.add_fault(fault).map(|_| ())
    }
}

/// The admin operations this module routes (see [`super::operations`]).
pub(crate) const OPERATIONS: &[&str] = &[
    "POST /_emulator/meetings",
    "GET /_emulator/meetings/{number}",
    "GET /_emulator/meetings/{number}/captcha",
    "GET /_emulator/loci/{locus}",
];

/// The admin routes of meetings.
pub(crate) fn routes<S: Clone + Send + Sync + 'static>(control: Arc<Control>) -> Router<S> {
    Router::new()
        .route("/_emulator/meetings", post(create))
        .route("/_emulator/meetings/{number}", get(read))
        .route("/_emulator/meetings/{number}/captcha", get(captcha))
        .route("/_emulator/loci/{locus}", get(read_locus))
        .with_state(control)
}

/// `POST /_emulator/meetings`: 201 with the meeting.
async fn create(
    State(control): State<Arc<Control>>,
    raw: Bytes,
) -> Result<(StatusCode, Json<CreatedMeeting>), ApiError> {
    let request: NewMeeting = body::json(&raw)?;
    Ok((StatusCode::CREATED, Json(control.create_meeting(request)?)))
}

/// `GET /_emulator/meetings/{number}`.
async fn read(
    State(control): State<Arc<Control>>,
    Path(number): Path<String>,
) -> Result<Json<Value>, ApiError> {
    control.meeting(&number).map(Json)
}

/// `GET /_emulator/loci/{locus}`.
async fn read_locus(
    State(control): State<Arc<Control>>,
    Path(locus): Path<String>,
) -> Result<Json<Value>, ApiError> {
    control.locus(&locus).map(Json)
}

/// `GET /_emulator/meetings/{number}/captcha`.
async fn captcha(
    State(control): State<Arc<Control>>,
    Path(number): Path<String>,
) -> Result<Json<MeetingCaptcha>, ApiError> {
    control.meeting_captcha(&number).map(Json)
}
