//! `POST {hydra}/jwt/login`: a guest's JWT (in `Authorization`, bare as
//! the JS SDK sends it or after `Bearer` as webexpythonsdk does) for an
//! access token acting as that guest.

use std::time::SystemTime;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::app::AppState;
use crate::kit::auth::bearer_token;
use crate::kit::error::ApiError;
use crate::kit::lock;

/// 200 `{"token", "expiresIn"}`, or a Webex 401 saying what is wrong.
pub(super) async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "The request requires a guest JWT in the Authorization header.",
            )
        })?;
    let jwt = bearer_token(value).unwrap_or(value);
    let token = lock(&state.data)
        .guest_login(jwt, SystemTime::now(), Instant::now())
        .map_err(|reason| {
            ApiError::new(StatusCode::UNAUTHORIZED, format!("Invalid JWT: {reason}."))
        })?;
    Ok(Json(
        json!({"token": token.token, "expiresIn": token.expires_in}),
    ))
}
