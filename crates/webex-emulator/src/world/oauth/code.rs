//! Authorization codes: single use, bound to a client and a redirect URI,
//! short-lived, and checked against their PKCE challenge (RFC 7636, S256).

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use tokio::time::Instant;
use uuid::Uuid;

use super::error::OAuthError;

/// How long a code may wait for its exchange (the emulator's choice; RFC
/// 6749 asks for at most ten minutes).
pub(crate) const CODE_LIFETIME: Duration = Duration::from_secs(300);

/// What a code stands for.
pub(crate) struct AuthorizationCode {
    /// The client it was issued to.
    pub(crate) client_id: String,
    /// The redirect URI of the authorize request.
    pub(crate) redirect_uri: String,
    /// Who consented.
    pub(crate) person: Uuid,
    /// The scopes consented to.
    pub(crate) scopes: BTreeSet<String>,
    /// The S256 `code_challenge`, if the request had one.
    pub(crate) challenge: Option<String>,
    /// When it stops being exchangeable.
    pub(crate) expires: Instant,
}

/// The codes not yet exchanged, and the grant each exchanged code made.
#[derive(Default)]
pub(crate) struct CodeStore {
    pending: HashMap<String, AuthorizationCode>,
    /// Exchanged codes and the grant they created: a second exchange of one
    /// revokes that grant (RFC 6749 section 4.1.2).
    used: HashMap<String, u64>,
}

impl CodeStore {
    /// Keeps `code` for its exchange.
    pub(crate) fn insert(&mut self, code: String, details: AuthorizationCode) {
        self.pending.insert(code, details);
    }

    /// Takes `code` for its one exchange: the grant an earlier exchange of
    /// the same code made (to be revoked) as the error side.
    pub(crate) fn take(&mut self, code: &str) -> Result<AuthorizationCode, Option<u64>> {
        match self.pending.remove(code) {
            Some(details) => Ok(details),
            None => Err(self.used.get(code).copied()),
        }
    }

    /// Records that `code` made `grant`.
    pub(crate) fn mark_used(&mut self, code: String, grant: u64) {
        self.used.insert(code, grant);
    }
}

/// Whether `value` is a valid PKCE verifier or challenge: 43 to 128
/// characters of `[A-Za-z0-9-._~]`.
pub(crate) fn is_pkce_value(value: &str) -> bool {
    (43..=128).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// Checks `verifier` against the S256 `challenge`:
/// `BASE64URL(SHA-256(verifier)) == challenge`.
pub(crate) fn verify_pkce(challenge: &str, verifier: Option<&str>) -> Result<(), OAuthError> {
    let verifier = verifier.ok_or_else(|| {
        OAuthError::invalid_grant(
            "code_verifier is required: the code was issued with a code_challenge.",
        )
    })?;
    if !is_pkce_value(verifier) {
        return Err(OAuthError::invalid_grant(
            "code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~].",
        ));
    }
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    if computed != challenge {
        return Err(OAuthError::invalid_grant(
            "The code_verifier does not match the code_challenge.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_the_rfc_7636_example() {
        // RFC 7636 appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(verify_pkce(challenge, Some(verifier)).is_ok());
        assert!(verify_pkce(challenge, Some(&verifier.replace('d', "e"))).is_err());
        assert!(verify_pkce(challenge, None).is_err());
        assert!(verify_pkce(challenge, Some("short")).is_err());
        assert!(is_pkce_value(challenge));
        assert!(!is_pkce_value(&"a".repeat(129)));
        assert!(!is_pkce_value(&format!("{}+", "a".repeat(43))));
    }

    #[test]
    fn codes_are_single_use() {
        let mut store = CodeStore::default();
        let details = AuthorizationCode {
            client_id: "C1".to_owned(),
            redirect_uri: "http://h/cb".to_owned(),
            person: Uuid::new_v4(),
            scopes: BTreeSet::new(),
            challenge: None,
            expires: Instant::now(),
        };
        store.insert("code".to_owned(), details);
        assert!(store.take("code").is_ok());
        store.mark_used("code".to_owned(), 7);
        assert_eq!(store.take("code").err(), Some(Some(7)));
        assert_eq!(store.take("other").err(), Some(None));
    }
}
