//! The world as a whole: export it as fixtures (`GET /_emulator/state`),
//! load fixtures into it (`POST /_emulator/state`), and empty it
//! (`POST /_emulator/reset`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use uuid::Uuid;

use super::Control;
use super::requests::RequestLog;
use crate::fixtures::error::FixturesError;
use crate::fixtures::{self, Fixtures, export};
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::kit::media::MediaServer;
use crate::services::hydra::contents;

/// The admin operations this module routes.
pub(crate) const OPERATIONS: &[&str] = &[
    "GET /_emulator/state",
    "POST /_emulator/state",
    "POST /_emulator/reset",
];

/// The tracking id of what a reset queues (the closes of the devices'
/// sockets).
const RESET_TRACKING_ID: &str = "emulator_reset";

/// The routes.
pub(crate) fn routes<S: Clone + Send + Sync + 'static>(control: Arc<Control>) -> Router<S> {
    Router::new()
        .route("/_emulator/state", get(export_state).post(load_state))
        .route("/_emulator/reset", post(reset))
        .with_state(control)
}

impl Control {
    /// Loads `fixtures` into the world, all or nothing.
    pub(crate) fn load_fixtures(&self, fixtures: &Fixtures) -> Result<(), FixturesError> {
        let base = self.state.endpoint.base_url();
        let file_url = |message, index| contents::url(&base, message, index);
        let mut data = lock(&self.state.data);
        fixtures::load_into(&mut data, fixtures, &file_url)
    }

    /// The world as fixtures.
    pub(crate) fn export_state(&self) -> Fixtures {
        export::export(&lock(&self.state.data))
    }

    /// Empties the world (closing the devices' sockets, the media sessions
    /// and the data-channel sockets) and what the services remember of it
    /// (the Mercury connection log, what each person got of each locus, the
    /// data-channel registrations), and clears the test machinery: faults,
    /// added catalog hosts, request counts and the webhook delivery log. The
    /// catalog and the admin API stay.
    pub(crate) fn reset(&self) {
        {
            let mut data = lock(&self.state.data);
            // What was published before belongs to the old world's audiences.
            data.drain(RESET_TRACKING_ID);
            data.reset();
            data.drain(RESET_TRACKING_ID);
            // Past the drains (which record Locus pushes): the old world's
            // service state goes too.
            self.ledger.clear();
        }
        self.hub.connections.clear();
        self.datachannels.clear();
        // The loci went with the world: so do their media sessions.
        for session in self.media.sessions() {
            if let Ok(media_id) = Uuid::parse_str(&session.media_id) {
                self.media.close(media_id);
            }
        }
        self.clear_faults();
        self.reset_catalog_hosts();
        *lock(&self.requests) = RequestLog::default();
        self.clear_webhook_deliveries();
    }
}

/// `GET /_emulator/state`: the world as fixtures JSON.
async fn export_state(State(control): State<Arc<Control>>) -> Json<Fixtures> {
    // Serialized straight from the entries, so keys keep the format's order.
    Json(control.export_state())
}

/// `POST /_emulator/state`: 201 after loading the body (fixtures JSON, or
/// TOML as `application/toml`) into the world; 400 with
/// `request body:LINE:COLUMN: what is wrong` otherwise.
async fn load_state(
    State(control): State<Arc<Control>>,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let text = std::str::from_utf8(&raw)
        .map_err(|_| ApiError::bad_request("The request body is not UTF-8 text."))?;
    let is_toml = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("application/toml")
        });
    let fixtures = if is_toml {
        Fixtures::parse_toml("request body", text)
    } else {
        Fixtures::parse_json("request body", text)
    }
    .map_err(bad_fixtures)?;
    control.load_fixtures(&fixtures).map_err(bad_fixtures)?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "people": fixtures.people.len(),
            "rooms": fixtures.rooms.len(),
            "memberships": fixtures.memberships.len(),
            "teams": fixtures.teams.len(),
            "teamMemberships": fixtures.team_memberships.len(),
            "messages": fixtures.messages.len(),
        })),
    ))
}

/// The 400 of fixtures that cannot be loaded, with the line and column.
fn bad_fixtures(error: FixturesError) -> ApiError {
    let mut fields = serde_json::Map::new();
    if let (Some(line), Some(column)) = (error.line(), error.column()) {
        fields.insert("line".to_owned(), json!(line));
        fields.insert("column".to_owned(), json!(column));
    }
    ApiError::bad_request(error.to_string()).with_fields(fields)
}

/// `POST /_emulator/reset`: 204, the world empty.
async fn reset(State(control): State<Arc<Control>>) -> StatusCode {
    control.reset();
    StatusCode::NO_CONTENT
}
