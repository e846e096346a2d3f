//! `POST {idbroker}/idb/oauth2/v1/access_token` and `POST /v1/access_token`:
//! the token endpoint. Clients authenticate with HTTP Basic (the JS SDK)
//! or with `client_id`/`client_secret` form fields (webexpythonsdk).

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use percent_encoding::percent_decode_str;
use tokio::time::Instant;

use super::form::Params;
use super::reply;
use crate::app::AppState;
use crate::kit::lock;
use crate::kit::tracking::TrackingId;
use crate::world::oauth::error::{ErrorCode, OAuthError};
use crate::world::oauth::log::TokenRequest;

/// The JS SDK's scope-reduction grant, which the emulator does not offer
/// (the JS SDK then uses the full token everywhere).
const SCOPE_REDUCTION: &str = "urn:cisco:oauth:grant-type:scope-reduction";

/// The token endpoint.
pub(super) async fn access_token(
    State(state): State<AppState>,
    Extension(tracking): Extension<TrackingId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let outcome = grant(&state, &headers, &body);
    let response = match &outcome {
        Ok(tokens) => reply::tokens(tokens),
        Err(error) => reply::error(error, &tracking),
    };
    record(&state, &headers, &body, &response, outcome.err());
    response
}

/// Logs the request for `GET /_emulator/oauth/token-requests`.
fn record(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
    response: &Response,
    error: Option<OAuthError>,
) {
    let params = Params::parse(body).unwrap_or_default();
    let basic_id = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| basic_credentials(value.to_str().unwrap_or_default()).ok())
        .map(|(id, _)| id);
    let client_id = basic_id.or_else(|| params.get("client_id").map(str::to_owned));
    let entry = TokenRequest::new(
        params.get("grant_type").unwrap_or_default(),
        client_id.as_deref(),
        response.status().as_u16(),
        error.map(|error| error.code.as_str()),
    );
    lock(&state.data).oauth.requests.push(entry);
}

fn grant(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<crate::world::oauth::TokenSet, OAuthError> {
    let params = Params::from_body(headers, body)?;
    let (client_id, secret) = client_credentials(headers, &params)?;
    let mut data = lock(&state.data);
    data.oauth.clients.authenticate(&client_id, &secret)?;
    let now = Instant::now();
    match params.required("grant_type")? {
        "authorization_code" => data.exchange_code(
            &client_id,
            params.required("code")?,
            params.get("redirect_uri"),
            params.get("code_verifier"),
            now,
        ),
        "refresh_token" => data.refresh(
            &client_id,
            params.required("refresh_token")?,
            params.get("scope"),
            now,
        ),
        "client_credentials" => Err(OAuthError::new(
            ErrorCode::UnauthorizedClient,
            "This client may not use the client_credentials grant.",
        )),
        SCOPE_REDUCTION => Err(OAuthError::new(
            ErrorCode::UnsupportedGrantType,
            "Scope reduction is not offered.",
        )),
        other => Err(OAuthError::new(
            ErrorCode::UnsupportedGrantType,
            format!("The grant type {other:?} is not supported."),
        )),
    }
}

/// The client's id and secret, from `Authorization: Basic` or from the
/// form, never both (RFC 6749 section 2.3.1).
pub(super) fn client_credentials(
    headers: &HeaderMap,
    params: &Params,
) -> Result<(String, String), OAuthError> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .map(|value| basic_credentials(value.to_str().unwrap_or_default()))
        .transpose()?;
    match basic {
        Some((id, secret)) => {
            if params.get("client_secret").is_some() {
                return Err(OAuthError::invalid_request(
                    "The client authenticated with both HTTP Basic and client_secret.",
                ));
            }
            if params.get("client_id").is_some_and(|form_id| form_id != id) {
                return Err(OAuthError::invalid_request(
                    "client_id differs from the HTTP Basic user.",
                ));
            }
            Ok((id, secret))
        }
        None => match (params.get("client_id"), params.get("client_secret")) {
            (Some(id), Some(secret)) => Ok((id.to_owned(), secret.to_owned())),
            _ => Err(OAuthError::new(
                ErrorCode::InvalidClient,
                "Client authentication is required: HTTP Basic or client_id and client_secret.",
            )),
        },
    }
}

/// `Basic base64(id:secret)`, each part form-encoded before base64.
fn basic_credentials(value: &str) -> Result<(String, String), OAuthError> {
    let bad = || {
        OAuthError::new(
            ErrorCode::InvalidClient,
            "The Authorization header is not valid HTTP Basic.",
        )
    };
    let (scheme, encoded) = value.trim().split_once(' ').ok_or_else(bad)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(bad());
    }
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| bad())?;
    let text = String::from_utf8(decoded).map_err(|_| bad())?;
    let (id, secret) = text.split_once(':').ok_or_else(bad)?;
    let decode = |part: &str| percent_decode_str(part).decode_utf8_lossy().into_owned();
    Ok((decode(id), decode(secret)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_basic_credentials() {
        let value = format!("Basic {}", STANDARD.encode("C1:s%3Ae"));
        assert_eq!(
            basic_credentials(&value).unwrap(),
            ("C1".to_owned(), "s:e".to_owned())
        );
        assert!(basic_credentials("Bearer x").is_err());
        assert!(basic_credentials("Basic !!").is_err());
        assert!(basic_credentials(&format!("Basic {}", STANDARD.encode("nocolon"))).is_err());
    }
}
