//! OAuth errors as RFC 6749 names them; idbroker renders them as
//! `{"error", "error_description"}` bodies or as `error=` redirect
//! parameters.

/// The `error` codes of RFC 6749 (sections 4.1.2.1 and 5.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ErrorCode {
    /// A parameter is missing, repeated, malformed or unsupported.
    InvalidRequest,
    /// The client is unknown or its secret is wrong.
    InvalidClient,
    /// A code or refresh token is unknown, used, expired, revoked or
    /// belongs to another client or redirect URI; a PKCE verifier does not
    /// match.
    InvalidGrant,
    /// The client may not use this grant type.
    UnauthorizedClient,
    /// The grant type is not one the service has.
    UnsupportedGrantType,
    /// A scope the client was not registered for.
    InvalidScope,
    /// The user declined.
    AccessDenied,
    /// `response_type` is neither `code` nor `token`.
    UnsupportedResponseType,
}

impl ErrorCode {
    /// The wire name, e.g. `invalid_grant`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidScope => "invalid_scope",
            Self::AccessDenied => "access_denied",
            Self::UnsupportedResponseType => "unsupported_response_type",
        }
    }
}

/// An OAuth error: its code and a human-readable description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OAuthError {
    /// The `error` code.
    pub(crate) code: ErrorCode,
    /// The `error_description`.
    pub(crate) description: String,
}

impl OAuthError {
    /// An error with `code` and `description`.
    pub(crate) fn new(code: ErrorCode, description: impl Into<String>) -> Self {
        Self {
            code,
            description: description.into(),
        }
    }

    /// `invalid_request`.
    pub(crate) fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidRequest, description)
    }

    /// `invalid_grant`.
    pub(crate) fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidGrant, description)
    }

    /// `invalid_client`, for an unknown client or a wrong secret.
    pub(crate) fn invalid_client() -> Self {
        Self::new(
            ErrorCode::InvalidClient,
            "Client authentication failed: unknown client or wrong secret.",
        )
    }
}
