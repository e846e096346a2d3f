//! The authorize step: checking a request the way the identity broker does
//! (client and redirect URI first, since errors before them cannot be
//! redirected), then turning a consent into a code or, for the implicit
//! grant, into tokens.

use std::collections::BTreeSet;

use tokio::time::Instant;
use uuid::Uuid;

use super::client::MAX_VALUE_LEN;
use super::code::{AuthorizationCode, CODE_LIFETIME, is_pkce_value};
use super::error::{ErrorCode, OAuthError};
use super::token_endpoint::TokenSet;
use crate::world::Data;
use crate::world::tokens::real_shaped;

/// The longest `state` accepted.
const MAX_STATE_LEN: usize = 4096;

/// The parameters of an authorize request, as given.
#[derive(Clone, Debug, Default)]
pub(crate) struct AuthorizeParams {
    /// `code` or `token`.
    pub(crate) response_type: Option<String>,
    /// The client.
    pub(crate) client_id: Option<String>,
    /// Where to send the answer.
    pub(crate) redirect_uri: Option<String>,
    /// Space-separated scopes.
    pub(crate) scope: Option<String>,
    /// Opaque, echoed back.
    pub(crate) state: Option<String>,
    /// PKCE challenge.
    pub(crate) code_challenge: Option<String>,
    /// PKCE method; only `S256`.
    pub(crate) code_challenge_method: Option<String>,
}

/// Whether the answer is a code (in the query) or tokens (in the fragment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ResponseType {
    /// The authorization code grant.
    Code,
    /// The implicit grant.
    Token,
}

/// A checked authorize request, waiting for the user's consent.
#[derive(Clone, Debug)]
pub(crate) struct AuthorizeRequest {
    /// The client.
    pub(crate) client_id: String,
    /// Its registered redirect URI.
    pub(crate) redirect_uri: String,
    /// Code or token.
    pub(crate) response_type: ResponseType,
    /// The requested scopes (all the client's).
    pub(crate) scopes: BTreeSet<String>,
    /// `state`, echoed back.
    pub(crate) state: Option<String>,
    /// The PKCE challenge, for the code grant.
    pub(crate) challenge: Option<String>,
}

/// Why an authorize request is refused.
#[derive(Clone, Debug)]
pub(crate) enum AuthorizeError {
    /// The client or the redirect URI is unknown: the error is shown on a
    /// page, never sent to an unverified redirect URI (RFC 6749 4.1.2.1).
    Page(String),
    /// Any other problem goes back to the redirect URI as `error=`.
    Redirect {
        /// The (registered) redirect URI.
        redirect_uri: String,
        /// `state`, echoed back.
        state: Option<String>,
        /// The error.
        error: OAuthError,
    },
}

/// What a consent produces.
pub(crate) enum Issued {
    /// An authorization code.
    Code(String),
    /// Tokens (implicit grant).
    Tokens(TokenSet),
}

impl Data {
    /// Checks an authorize request against the registered clients.
    pub(crate) fn check_authorize(
        &self,
        params: &AuthorizeParams,
    ) -> Result<AuthorizeRequest, AuthorizeError> {
        let client_id = present(params.client_id.as_deref()).ok_or_else(|| {
            AuthorizeError::Page("The client_id parameter is missing.".to_owned())
        })?;
        let client = self.oauth.clients.get(client_id).ok_or_else(|| {
            AuthorizeError::Page("The client_id is not a registered client.".to_owned())
        })?;
        let redirect_uri = present(params.redirect_uri.as_deref()).ok_or_else(|| {
            AuthorizeError::Page("The redirect_uri parameter is missing.".to_owned())
        })?;
        if !client.allows_redirect(redirect_uri) {
            return Err(AuthorizeError::Page(
                "The redirect_uri is not registered for this client.".to_owned(),
            ));
        }
        let state = params.state.clone().filter(|state| !state.is_empty());
        let redirect = |error: OAuthError| AuthorizeError::Redirect {
            redirect_uri: redirect_uri.to_owned(),
            state: state.clone(),
            error,
        };
        if state
            .as_ref()
            .is_some_and(|state| state.len() > MAX_STATE_LEN)
        {
            return Err(redirect(OAuthError::invalid_request(format!(
                "state is longer than {MAX_STATE_LEN} bytes."
            ))));
        }
        let response_type = match present(params.response_type.as_deref()) {
            None => {
                return Err(redirect(OAuthError::invalid_request(
                    "The response_type parameter is missing.",
                )));
            }
            Some("code") => ResponseType::Code,
            Some("token") => ResponseType::Token,
            Some(_) => {
                return Err(redirect(OAuthError::new(
                    ErrorCode::UnsupportedResponseType,
                    "response_type must be code or token.",
                )));
            }
        };
        let scope = present(params.scope.as_deref()).ok_or_else(|| {
            redirect(OAuthError::invalid_request(
                "The scope parameter is missing.",
            ))
        })?;
        if scope.len() > MAX_VALUE_LEN * 4 {
            return Err(redirect(OAuthError::invalid_request("scope is too long.")));
        }
        let scopes = client.scopes_of(scope).map_err(redirect)?;
        let challenge = match response_type {
            ResponseType::Token => None,
            ResponseType::Code => pkce_challenge(params).map_err(redirect)?,
        };
        Ok(AuthorizeRequest {
            client_id: client.id.clone(),
            redirect_uri: redirect_uri.to_owned(),
            response_type,
            scopes,
            state,
            challenge,
        })
    }

    /// `person` consented to `request`: a code, or tokens for the implicit
    /// grant.
    pub(crate) fn consent(
        &mut self,
        request: &AuthorizeRequest,
        person: Uuid,
        now: Instant,
    ) -> Result<Issued, OAuthError> {
        match request.response_type {
            ResponseType::Code => {
                let code = real_shaped(self.org.uuid);
                self.oauth.codes.insert(
                    code.clone(),
                    AuthorizationCode {
                        client_id: request.client_id.clone(),
                        redirect_uri: request.redirect_uri.clone(),
                        person,
                        scopes: request.scopes.clone(),
                        challenge: request.challenge.clone(),
                        expires: now + CODE_LIFETIME,
                    },
                );
                Ok(Issued::Code(code))
            }
            ResponseType::Token => self
                .new_grant(&request.client_id, person, request.scopes.clone(), now)
                .map(|(_, tokens)| Issued::Tokens(tokens)),
        }
    }
}

/// A non-empty parameter.
fn present(value: Option<&str>) -> Option<&str> {
    value.filter(|value| !value.is_empty())
}

/// The S256 challenge of a code request, if any: `plain` and other methods
/// are refused, and so is a method without a challenge.
fn pkce_challenge(params: &AuthorizeParams) -> Result<Option<String>, OAuthError> {
    let challenge = present(params.code_challenge.as_deref());
    let method = present(params.code_challenge_method.as_deref());
    match (challenge, method) {
        (None, None) => Ok(None),
        (None, Some(_)) => Err(OAuthError::invalid_request(
            "code_challenge_method was given without a code_challenge.",
        )),
        (Some(_), method) if method != Some("S256") => Err(OAuthError::invalid_request(
            "code_challenge_method must be S256.",
        )),
        (Some(challenge), _) if !is_pkce_value(challenge) => Err(OAuthError::invalid_request(
            "code_challenge must be 43 to 128 characters of [A-Za-z0-9-._~].",
        )),
        (Some(challenge), _) => Ok(Some(challenge.to_owned())),
    }
}
