//! Access tokens.
//!
//! Tokens look like real Webex tokens, `<random>_<cluster>_<orgUuid>`,
//! because real clients read the org id from the third `_`-separated part
//! and fail to load the service catalog otherwise.

use std::collections::HashMap;

use tokio::time::Instant;
use uuid::Uuid;

/// The cluster code real tokens carry in their middle part.
const CLUSTER: &str = "PF84";

/// Length of the random first part, like real tokens.
const RANDOM_LEN: usize = 64;

/// The characters of the random part: no `_`, which separates the parts.
const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// What a token grants.
#[derive(Clone, Debug)]
pub(crate) struct TokenInfo {
    /// The person the token acts for.
    pub(crate) person: Uuid,
    /// When it stops working (Tokio's clock, so paused-clock tests can let
    /// it run out); never for the tokens the admin API hands out.
    pub(crate) expires: Option<Instant>,
    /// The OAuth grant it was issued under (revoking the grant revokes it).
    pub(crate) grant: Option<u64>,
}

/// Issued tokens.
#[derive(Default)]
pub(crate) struct TokenStore {
    tokens: HashMap<String, TokenInfo>,
}

impl TokenStore {
    /// Issues a new token for `person` in the org `org` that never expires.
    pub(crate) fn issue(&mut self, person: Uuid, org: Uuid) -> String {
        self.issue_with(
            org,
            TokenInfo {
                person,
                expires: None,
                grant: None,
            },
        )
    }

    /// Issues a new token in the real shape with what it grants.
    pub(crate) fn issue_with(&mut self, org: Uuid, info: TokenInfo) -> String {
        let token = real_shaped(org);
        self.tokens.insert(token.clone(), info);
        token
    }

    /// Registers a token made elsewhere (a guest's JWT).
    pub(crate) fn insert(&mut self, token: String, info: TokenInfo) {
        self.tokens.insert(token, info);
    }

    /// What `token` grants, if it was issued, is not revoked and has not
    /// expired by Tokio's clock.
    pub(crate) fn get(&self, token: &str) -> Option<&TokenInfo> {
        self.get_at(token, Instant::now())
    }

    /// What `token` grants at `now`.
    pub(crate) fn get_at(&self, token: &str, now: Instant) -> Option<&TokenInfo> {
        self.tokens
            .get(token)
            .filter(|info| info.expires.is_none_or(|expires| now < expires))
    }

    /// Whether `token` was ever issued and not revoked (expired or not).
    pub(crate) fn is_known(&self, token: &str) -> bool {
        self.tokens.contains_key(token)
    }

    /// The token the admin API gave `person` (one that never expires and
    /// belongs to no OAuth grant), if it still works; the first in text
    /// order when there are several.
    pub(crate) fn plain_token_of(&self, person: Uuid) -> Option<&str> {
        self.tokens
            .iter()
            .filter(|(_, info)| {
                info.person == person && info.expires.is_none() && info.grant.is_none()
            })
            .map(|(token, _)| token.as_str())
            .min()
    }

    /// Makes `token` expire at `when`; whether it was known.
    pub(crate) fn expire(&mut self, token: &str, when: Instant) -> bool {
        match self.tokens.get_mut(token) {
            Some(info) => {
                info.expires = Some(when);
                true
            }
            None => false,
        }
    }

    /// Revokes `token`; what it granted, if it was known.
    pub(crate) fn revoke(&mut self, token: &str) -> Option<TokenInfo> {
        self.tokens.remove(token)
    }

    /// Revokes every token issued under `grant`.
    pub(crate) fn revoke_grant(&mut self, grant: u64) {
        self.tokens.retain(|_, info| info.grant != Some(grant));
    }
}

/// A fresh token of the real shape, `<random>_PF84_<org>`; refresh tokens
/// and authorization codes look the same on Webex.
pub(crate) fn real_shaped(org: Uuid) -> String {
    format!("{}_{CLUSTER}_{org}", random_part())
}

/// 64 random alphanumeric characters.
///
/// UUIDv4 bytes come from the OS random generator; the emulator needs no
/// cryptographic strength, only tokens that never collide in practice, so the
/// slight bias of `% 62` does not matter.
fn random_part() -> String {
    let mut out = String::with_capacity(RANDOM_LEN);
    while out.len() < RANDOM_LEN {
        for byte in Uuid::new_v4().into_bytes() {
            if out.len() == RANDOM_LEN {
                break;
            }
            let index = usize::from(byte) % ALPHABET.len();
            out.push(char::from(ALPHABET[index]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_the_real_shape() {
        let org = Uuid::new_v4();
        let mut store = TokenStore::default();
        let person = Uuid::new_v4();
        let token = store.issue(person, org);
        let parts: Vec<&str> = token.split('_').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].len(), 64);
        assert!(parts[0].bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(parts[1], "PF84");
        assert_eq!(parts[2], org.to_string());
        assert_eq!(store.get(&token).map(|info| info.person), Some(person));
        assert_ne!(store.issue(person, org), token);
    }

    #[test]
    fn tokens_expire_and_are_revoked_with_their_grant() {
        let org = Uuid::new_v4();
        let mut store = TokenStore::default();
        let now = Instant::now();
        let info = |grant| TokenInfo {
            person: Uuid::nil(),
            expires: Some(now + std::time::Duration::from_secs(10)),
            grant,
        };
        let first = store.issue_with(org, info(Some(1)));
        let second = store.issue_with(org, info(Some(1)));
        let other = store.issue_with(org, info(Some(2)));
        assert!(store.get_at(&first, now).is_some());
        assert!(
            store
                .get_at(&first, now + std::time::Duration::from_secs(10))
                .is_none()
        );
        assert!(store.expire(&other, now));
        assert!(store.get_at(&other, now).is_none());
        store.revoke_grant(1);
        assert!(store.get_at(&first, now).is_none());
        assert!(store.get_at(&second, now).is_none());
        assert!(!store.expire("unknown", now));
    }
}
