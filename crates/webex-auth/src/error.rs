use std::time::Duration;

use webex_core::{Error, ErrorKind};

/// What can go wrong signing in or refreshing. No variant carries a token or secret.
///
/// Inside the client it travels as the source of a [`webex_core::Error`] of kind
/// [`ErrorKind::Credentials`]; [`AuthError::find`] gets it back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The refresh token is expired, revoked or unknown (the broker's `invalid_grant`, or the
    /// `invalid_request` it is known to send for the same case), or there is none: the user
    /// must sign in again. Refresh is not retried.
    #[error("reauthorization required: {reason}")]
    ReauthorizationRequired {
        /// Why, in the broker's words when it gave them.
        reason: String,
    },
    /// No token has been obtained or stored yet.
    #[error("not signed in: no token in the store")]
    NotSignedIn,
    /// The token endpoint refused a request for another reason.
    #[error("the token endpoint answered {status}: {error}{}", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    TokenEndpoint {
        /// The HTTP status.
        status: u16,
        /// The OAuth error code (`invalid_client`, ...) or a summary of an unreadable answer.
        error: String,
        /// The broker's `error_description`.
        description: Option<String>,
    },
    /// The token endpoint could not be reached or did not answer in time.
    #[error("token endpoint unreachable: {0}")]
    Unreachable(String),
    /// The token endpoint did not answer within the configured timeout.
    #[error("the token endpoint did not answer within {0:?}")]
    Timeout(Duration),
    /// A setting cannot work (a URL a token must not be sent to, a malformed URL).
    #[error("invalid OAuth setting: {0}")]
    Config(String),
    /// The token store failed.
    #[error("token store: {0}")]
    Store(String),
    /// A redirect back from the broker that cannot be used (wrong `state`, an `error`, a
    /// missing field).
    #[error("authorization redirect: {0}")]
    Redirect(String),
}

impl AuthError {
    /// The `AuthError` somewhere in `error`'s source chain, if any.
    #[must_use]
    pub fn find(error: &Error) -> Option<&AuthError> {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
        while let Some(current) = source {
            if let Some(found) = current.downcast_ref::<AuthError>() {
                return Some(found);
            }
            source = current.source();
        }
        None
    }

    /// Whether `error` means the user must sign in again.
    #[must_use]
    pub fn is_reauthorization_required(error: &Error) -> bool {
        matches!(
            Self::find(error),
            Some(AuthError::ReauthorizationRequired { .. })
        )
    }
}

impl From<AuthError> for Error {
    fn from(error: AuthError) -> Self {
        Error::new(ErrorKind::Credentials, error.to_string()).with_source(error)
    }
}
