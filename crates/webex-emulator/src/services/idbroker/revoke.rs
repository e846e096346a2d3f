//! Revocation: `POST {idbroker}/idb/oauth2/v1/revoke` (RFC 7009, what the
//! JS SDK sends for a superseded token) and `POST .../logout` (the JS SDK's
//! Node logout, a JSON `{token, cisService}` without client
//! authentication), and the browser's `GET .../logout?goto=` (the JS SDK's
//! browser logout), which also ends the sign-in session.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::form::Params;
use super::token::client_credentials;
use super::{page, reply, session};
use crate::app::AppState;
use crate::kit::lock;
use crate::kit::tracking::TrackingId;
use crate::world::oauth::error::OAuthError;

/// `token=...&token_type_hint=...` with client authentication: 200 whether
/// or not the token was known (RFC 7009 section 2.2).
pub(super) async fn revoke(
    State(state): State<AppState>,
    Extension(tracking): Extension<TrackingId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let outcome = (|| {
        let params = Params::from_body(&headers, &body)?;
        let (client_id, secret) = client_credentials(&headers, &params)?;
        let token = params.required("token")?;
        let mut data = lock(&state.data);
        data.oauth.clients.authenticate(&client_id, &secret)?;
        data.revoke_token(Some(&client_id), token);
        Ok::<(), OAuthError>(())
    })();
    match outcome {
        Ok(()) => StatusCode::OK.into_response(),
        Err(error) => reply::error(&error, &tracking),
    }
}

/// The JS SDK's logout body.
#[derive(Deserialize)]
struct LogoutBody {
    token: Option<String>,
}

/// `{"token": <refresh or access token>, "cisService"?}`: ends that token
/// (a refresh token's whole grant); 204.
pub(super) async fn logout(
    State(state): State<AppState>,
    Extension(tracking): Extension<TrackingId>,
    body: Bytes,
) -> Response {
    let token = serde_json::from_slice::<LogoutBody>(&body)
        .ok()
        .and_then(|body| body.token)
        .filter(|token| !token.is_empty());
    match token {
        Some(token) => {
            lock(&state.data).revoke_token(None, &token);
            StatusCode::NO_CONTENT.into_response()
        }
        None => reply::error(
            &OAuthError::invalid_request("The body must be JSON with a token."),
            &tracking,
        ),
    }
}

/// The browser logout, `GET logout?cisService=..&goto=<url>[&token=..]`
/// (the JS SDK's `buildLogoutUrl`): ends the browser's sign-in session (and
/// the `token` it names, like the `POST`), then sends the browser to `goto`
/// (an absolute `http`/`https` URL), or shows a signed-out page without one.
pub(super) async fn browser_logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let params = match Params::parse(query.unwrap_or_default().as_bytes()) {
        Ok(params) => params,
        Err(error) => return page::error(&error.description),
    };
    let goto = match params.get("goto").filter(|goto| !goto.is_empty()) {
        None => None,
        Some(goto) => match url::Url::parse(goto) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => Some(url),
            _ => return page::error("goto must be an absolute http or https URL."),
        },
    };
    {
        let mut data = lock(&state.data);
        if let Some(id) = session::id(&headers) {
            data.oauth.sessions.end(&id);
        }
        if let Some(token) = params.get("token").filter(|token| !token.is_empty()) {
            data.revoke_token(None, token);
        }
    }
    let mut response = match goto {
        Some(url) => reply::redirect(url.as_str()),
        None => page::signed_out(),
    };
    session::clear(&mut response);
    response
}
