//! `GET {idbroker}/idb/oauth2/v1/authorize` (the page), its form's `POST`
//! (the decision), and the public API's `GET /v1/authorize`, which
//! forwards to it.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use tokio::time::Instant;
use url::Url;

use super::form::Params;
use super::page::SignedIn;
use super::{page, reply, session};
use crate::app::AppState;
use crate::kit::lock;
use crate::world::oauth::TokenSet;
use crate::world::oauth::authorize::{AuthorizeError, AuthorizeParams, AuthorizeRequest, Issued};
use crate::world::oauth::error::{ErrorCode, OAuthError};
use crate::world::people::PersonType;

/// `GET /v1/authorize?...`: 302 to idbroker's authorize page (an absolute
/// URL) with the same query, as the public API does.
pub(super) async fn forward(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let path = format!("{}{}", state.endpoint.base_url(), super::authorize_path());
    match query {
        Some(query) => reply::redirect(&format!("{path}?{query}")),
        None => reply::redirect(&path),
    }
}

/// The login and consent page, or where the request is refused. A browser
/// with a live sign-in session sees only the consent (no login form).
pub(super) async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let params = match Params::parse(query.as_bytes()) {
        Ok(params) => params,
        Err(error) => return page::error(&error.description),
    };
    let data = lock(&state.data);
    match data.check_authorize(&authorize_params(&params)) {
        Ok(request) => {
            let signed_in = session_person(&data, &headers).and_then(|person| {
                let person = data.people.get(person)?;
                // "Not you?": the browser logout, back to this very page.
                let here = format!(
                    "{}{}?{query}",
                    state.endpoint.base_url(),
                    super::authorize_path()
                );
                let mut sign_out = Url::parse(&state.endpoint.base_url()).ok()?;
                sign_out.set_path(&super::logout_path());
                sign_out.query_pairs_mut().append_pair("goto", &here);
                Some(SignedIn {
                    email: person.email.clone(),
                    display_name: person.display_name.clone(),
                    sign_out: sign_out.to_string(),
                })
            });
            page::consent(
                &super::authorize_path(),
                &request,
                &people(&data),
                None,
                signed_in.as_ref(),
            )
        }
        Err(refusal) => refused(refusal),
    }
}

/// The person the browser's live sign-in session is for (not a bot).
fn session_person(data: &crate::world::Data, headers: &HeaderMap) -> Option<uuid::Uuid> {
    let id = session::id(headers)?;
    let person = data.oauth.sessions.person(&id, Instant::now())?;
    data.people
        .get(person)
        .filter(|person| person.kind == PersonType::Person)
        .map(|person| person.uuid)
}

/// The form's `POST`: the user's email and decision.
pub(super) async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = match Params::from_body(&headers, &body) {
        Ok(params) => params,
        Err(error) => return page::error(&error.description),
    };
    let mut data = lock(&state.data);
    let request = match data.check_authorize(&authorize_params(&params)) {
        Ok(request) => request,
        Err(refusal) => return refused(refusal),
    };
    if params.get("consent") != Some("accept") {
        let declined = OAuthError::new(ErrorCode::AccessDenied, "The user declined the request.");
        return send_error(&request.redirect_uri, request.state.as_deref(), &declined);
    }
    let email = params.get("email").unwrap_or_default().trim();
    // No email on the form: the browser's session says who it is.
    let session = if email.is_empty() {
        session_person(&data, &headers)
    } else {
        None
    };
    let person = session.or_else(|| {
        data.people
            .by_email(email)
            .filter(|person| person.kind == PersonType::Person)
            .map(|person| person.uuid)
    });
    let Some(person) = person else {
        let problem = if email.is_empty() {
            "Type your email address to sign in.".to_owned()
        } else {
            format!("No Webex user has the email address \"{email}\".")
        };
        return page::consent(
            &super::authorize_path(),
            &request,
            &people(&data),
            Some(&problem),
            None,
        );
    };
    let now = Instant::now();
    let mut response = match data.consent(&request, person, now) {
        Ok(Issued::Code(code)) => send_code(&request, &code),
        Ok(Issued::Tokens(tokens)) => send_tokens(&request, &tokens),
        Err(error) => send_error(&request.redirect_uri, request.state.as_deref(), &error),
    };
    if session.is_none() {
        // Signed in with the form: the browser stays signed in, as this person (a session
        // it had for someone else ends).
        if let Some(old) = session::id(&headers) {
            data.oauth.sessions.end(&old);
        }
        let id = data.oauth.sessions.start(person, now);
        session::set(&mut response, &id);
    }
    response
}

fn authorize_params(params: &Params) -> AuthorizeParams {
    let text = |name: &str| params.get(name).map(str::to_owned);
    AuthorizeParams {
        response_type: text("response_type"),
        client_id: text("client_id"),
        redirect_uri: text("redirect_uri"),
        scope: text("scope"),
        state: text("state"),
        code_challenge: text("code_challenge"),
        code_challenge_method: text("code_challenge_method"),
    }
}

/// The people who can sign in (not bots), by email.
fn people(data: &crate::world::Data) -> Vec<(String, String)> {
    data.people
        .all()
        .map(|(_, person)| person)
        .filter(|person| person.kind == PersonType::Person)
        .map(|person| (person.email.clone(), person.display_name.clone()))
        .collect()
}

fn refused(refusal: AuthorizeError) -> Response {
    match refusal {
        AuthorizeError::Page(message) => page::error(&message),
        AuthorizeError::Redirect {
            redirect_uri,
            state,
            error,
        } => send_error(&redirect_uri, state.as_deref(), &error),
    }
}

/// `redirect_uri?code=...&state=...`.
fn send_code(request: &AuthorizeRequest, code: &str) -> Response {
    with_query(&request.redirect_uri, |pairs| {
        pairs.append_pair("code", code);
        if let Some(state) = &request.state {
            pairs.append_pair("state", state);
        }
    })
}

/// `redirect_uri#access_token=...&token_type=Bearer&expires_in=...&refresh_token=...&refresh_token_expires_in=...&state=...`,
/// the fields the JS SDK's browser plugin reads from the fragment.
fn send_tokens(request: &AuthorizeRequest, tokens: &TokenSet) -> Response {
    let mut fragment = url::form_urlencoded::Serializer::new(String::new());
    fragment
        .append_pair("access_token", &tokens.access_token)
        .append_pair("token_type", "Bearer")
        .append_pair("expires_in", &tokens.expires_in.to_string())
        .append_pair("refresh_token", &tokens.refresh_token)
        .append_pair(
            "refresh_token_expires_in",
            &tokens.refresh_token_expires_in.to_string(),
        );
    if let Some(state) = &request.state {
        fragment.append_pair("state", state);
    }
    match Url::parse(&request.redirect_uri) {
        Ok(mut url) => {
            url.set_fragment(Some(&fragment.finish()));
            reply::redirect(url.as_str())
        }
        Err(_) => page::error("The redirect_uri is not a URL."),
    }
}

/// `redirect_uri?error=...&error_description=...&state=...`: in the query
/// for both grants, where the JS SDK's browser plugin looks for it.
fn send_error(redirect_uri: &str, state: Option<&str>, error: &OAuthError) -> Response {
    with_query(redirect_uri, |pairs| {
        pairs.append_pair("error", error.code.as_str());
        pairs.append_pair("error_description", &error.description);
        if let Some(state) = state {
            pairs.append_pair("state", state);
        }
    })
}

fn with_query(
    redirect_uri: &str,
    add: impl FnOnce(&mut url::form_urlencoded::Serializer<'_, url::UrlQuery<'_>>),
) -> Response {
    match Url::parse(redirect_uri) {
        Ok(mut url) => {
            add(&mut url.query_pairs_mut());
            reply::redirect(url.as_str())
        }
        Err(_) => page::error("The redirect_uri is not a URL."),
    }
}
