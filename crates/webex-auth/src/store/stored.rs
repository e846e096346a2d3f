//! The JSON a persistent store writes: expiries as Unix seconds, since Tokio's clock does
//! not survive a restart.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tokio::time::Instant;
use webex_core::credentials::AccessToken;

use crate::{Secret, TokenSet};

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct StoredTokens {
    access_token: String,
    token_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token_expires_at: Option<u64>,
}

impl StoredTokens {
    pub(super) fn from_set(set: &TokenSet) -> Self {
        Self {
            access_token: set.access_token.secret().to_owned(),
            token_type: set.access_token.token_type().to_owned(),
            refresh_token: set.refresh_token.as_ref().map(|t| t.expose().to_owned()),
            expires_at: set.expires_at.map(to_unix),
            refresh_token_expires_at: set.refresh_token_expires_at.map(to_unix),
        }
    }

    pub(super) fn into_set(self) -> TokenSet {
        TokenSet {
            access_token: AccessToken::new(format!("{} {}", self.token_type, self.access_token)),
            refresh_token: self.refresh_token.map(Secret::new),
            expires_at: self.expires_at.map(from_unix),
            refresh_token_expires_at: self.refresh_token_expires_at.map(from_unix),
        }
    }
}

/// Unix seconds of a Tokio instant, read against the wall clock now.
fn to_unix(at: Instant) -> u64 {
    let now = Instant::now();
    let wall = if at >= now {
        SystemTime::now() + (at - now)
    } else {
        SystemTime::now()
            .checked_sub(now - at)
            .unwrap_or(UNIX_EPOCH)
    };
    wall.duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
}

/// The Tokio instant of Unix seconds (a past one as now: it has expired either way).
fn from_unix(secs: u64) -> Instant {
    let wall = UNIX_EPOCH + Duration::from_secs(secs);
    let ahead = wall.duration_since(SystemTime::now()).unwrap_or_default();
    Instant::now() + ahead
}
