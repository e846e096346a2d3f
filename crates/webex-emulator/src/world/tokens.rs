//! Access tokens.
//!
//! Tokens look like real Webex tokens, `<random>_<cluster>_<orgUuid>`,
//! because real clients read the org id from the third `_`-separated part
//! and fail to load the service catalog otherwise.

use std::collections::HashMap;

use uuid::Uuid;

/// The cluster code real tokens carry in their middle part.
const CLUSTER: &str = "PF84";

/// Length of the random first part, like real tokens.
const RANDOM_LEN: usize = 64;

/// The characters of the random part: no `_`, which separates the parts.
const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// What a token grants; a struct so that scopes and expiry can join later.
#[derive(Clone, Debug)]
pub(crate) struct TokenInfo {
    /// The person the token acts for.
    pub(crate) person: Uuid,
}

/// Issued tokens.
#[derive(Default)]
pub(crate) struct TokenStore {
    tokens: HashMap<String, TokenInfo>,
}

impl TokenStore {
    /// Issues a new token for `person` in the org `org`.
    pub(crate) fn issue(&mut self, person: Uuid, org: Uuid) -> String {
        let token = format!("{}_{CLUSTER}_{org}", random_part());
        self.tokens.insert(token.clone(), TokenInfo { person });
        token
    }

    /// What `token` grants, if it was issued.
    pub(crate) fn get(&self, token: &str) -> Option<&TokenInfo> {
        self.tokens.get(token)
    }
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
}
