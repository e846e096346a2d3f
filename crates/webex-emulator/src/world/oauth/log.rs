//! What the token endpoint was asked and how it answered, without tokens
//! or secrets, so a test can count refreshes ("two processes, one refresh").

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

/// How many requests are kept.
const CAPACITY: usize = 1000;

/// The longest `grant_type` or client id kept.
const MAX_FIELD_LEN: usize = 128;

/// One token-endpoint request, as `GET /_emulator/oauth/token-requests`
/// lists it.
///
/// Wire form: `{"grantType", "clientId", "status", "error"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TokenRequest {
    /// The `grant_type` sent (empty when missing).
    pub grant_type: String,
    /// The client id sent (Basic user or form field), if any.
    pub client_id: Option<String>,
    /// The status answered: 200, 400 or 401.
    pub status: u16,
    /// The OAuth `error` answered, if any.
    pub error: Option<String>,
}

impl TokenRequest {
    /// A log entry; over-long fields are cut.
    pub(crate) fn new(
        grant_type: &str,
        client_id: Option<&str>,
        status: u16,
        error: Option<&str>,
    ) -> Self {
        let cut = |text: &str| text.chars().take(MAX_FIELD_LEN).collect::<String>();
        Self {
            grant_type: cut(grant_type),
            client_id: client_id.map(cut),
            status,
            error: error.map(str::to_owned),
        }
    }
}

/// The last [`CAPACITY`] token-endpoint requests, oldest first.
#[derive(Default)]
pub(crate) struct TokenRequestLog {
    entries: VecDeque<TokenRequest>,
}

impl TokenRequestLog {
    /// Records a request, forgetting the oldest past the capacity.
    pub(crate) fn push(&mut self, request: TokenRequest) {
        if self.entries.len() == CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(request);
    }

    /// Every kept request, oldest first.
    pub(crate) fn all(&self) -> Vec<TokenRequest> {
        self.entries.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_requests() {
        let mut log = TokenRequestLog::default();
        for n in 0..=CAPACITY {
            log.push(TokenRequest::new(&n.to_string(), None, 200, None));
        }
        let all = log.all();
        assert_eq!(all.len(), CAPACITY);
        assert_eq!(all[0].grant_type, "1");
        let long = TokenRequest::new(&"g".repeat(500), Some("c"), 400, Some("invalid_grant"));
        assert_eq!(long.grant_type.len(), MAX_FIELD_LEN);
    }
}
