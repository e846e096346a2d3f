//! Admin operations for OAuth: register integrations (clients) and guest
//! issuers, and make a token expire now, so tests can run the sign-in
//! flows and their failures without waiting.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::time::Instant;

use super::Control;
use crate::kit::body;
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::world::oauth::client::{NewOAuthClient, OAuthClientCredentials};
use crate::world::oauth::guest::{GuestIssuerCredentials, NewGuestIssuer};
use crate::world::oauth::log::TokenRequest;

/// `{"token": "..."}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpireRequest {
    token: String,
}

impl Control {
    /// Registers an OAuth client.
    pub(crate) fn create_oauth_client(
        &self,
        request: NewOAuthClient,
    ) -> Result<OAuthClientCredentials, ApiError> {
        lock(&self.state.data).oauth.clients.create(request)
    }

    /// Creates a guest issuer.
    pub(crate) fn create_guest_issuer(
        &self,
        request: NewGuestIssuer,
    ) -> Result<GuestIssuerCredentials, ApiError> {
        lock(&self.state.data).oauth.guests.create(request)
    }

    /// The token endpoint's recent requests, oldest first.
    pub(crate) fn oauth_token_requests(&self) -> Vec<TokenRequest> {
        lock(&self.state.data).oauth.requests.all()
    }

    /// Makes an access or refresh token expire now; whether it was known.
    pub(crate) fn expire_token(&self, token: &str) -> bool {
        lock(&self.state.data).expire_token(token, Instant::now())
    }
}

/// The admin operations this module routes (see [`super::operations`]).
pub(crate) const OPERATIONS: &[&str] = &[
    "POST /_emulator/oauth/clients",
    "POST /_emulator/oauth/guest-issuers",
    "POST /_emulator/oauth/expire",
    "GET /_emulator/oauth/token-requests",
];

/// The OAuth admin routes.
pub(crate) fn routes<S: Clone + Send + Sync + 'static>(control: Arc<Control>) -> Router<S> {
    Router::new()
        .route("/_emulator/oauth/clients", post(create_client))
        .route("/_emulator/oauth/guest-issuers", post(create_guest_issuer))
        .route("/_emulator/oauth/expire", post(expire))
        .route("/_emulator/oauth/token-requests", get(token_requests))
        .with_state(control)
}

/// `POST /_emulator/oauth/clients`: 201 `{"clientId", "clientSecret"}`.
async fn create_client(
    State(control): State<Arc<Control>>,
    raw: Bytes,
) -> Result<(StatusCode, Json<OAuthClientCredentials>), ApiError> {
    let request: NewOAuthClient = body::json(&raw)?;
    Ok((
        StatusCode::CREATED,
        Json(control.create_oauth_client(request)?),
    ))
}

/// `POST /_emulator/oauth/guest-issuers`: 201 `{"issuerId", "secret"}`.
async fn create_guest_issuer(
    State(control): State<Arc<Control>>,
    raw: Bytes,
) -> Result<(StatusCode, Json<GuestIssuerCredentials>), ApiError> {
    let request: NewGuestIssuer = if raw.iter().all(u8::is_ascii_whitespace) {
        NewGuestIssuer::default()
    } else {
        body::json(&raw)?
    };
    Ok((
        StatusCode::CREATED,
        Json(control.create_guest_issuer(request)?),
    ))
}

/// `POST /_emulator/oauth/expire` with `{"token"}`: `{"expired": bool}`.
async fn expire(State(control): State<Arc<Control>>, raw: Bytes) -> Result<Json<Value>, ApiError> {
    let request: ExpireRequest = body::json(&raw)?;
    Ok(Json(
        json!({"expired": control.expire_token(&request.token)}),
    ))
}

/// `GET /_emulator/oauth/token-requests`: `{"items": [...]}`, oldest first.
async fn token_requests(State(control): State<Arc<Control>>) -> Json<Value> {
    Json(json!({"items": control.oauth_token_requests()}))
}
