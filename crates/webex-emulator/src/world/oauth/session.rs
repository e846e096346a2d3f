//! The identity broker's browser sessions: who signed in on the authorize
//! page, kept behind a cookie so a later sign-in in the same browser skips
//! the login form (as idbroker does), until the session ends (browser
//! logout) or expires.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;
use uuid::Uuid;

use super::client::random_hex;

/// How long a browser stays signed in (the emulator's choice).
pub(crate) const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 60 * 60);

/// Sessions kept at most; the oldest go first (a flood of sign-ins cannot
/// grow the store without bound).
const MAX_SESSIONS: usize = 10_000;

struct Session {
    person: Uuid,
    expires: Instant,
}

/// The live sessions, by the cookie's value.
#[derive(Default)]
pub(crate) struct SessionStore {
    sessions: HashMap<String, Session>,
}

impl SessionStore {
    /// A new session for `person`; the cookie value naming it.
    pub(crate) fn start(&mut self, person: Uuid, now: Instant) -> String {
        self.sessions.retain(|_, session| session.expires > now);
        if self.sessions.len() >= MAX_SESSIONS
            && let Some(oldest) = self
                .sessions
                .iter()
                .min_by_key(|(_, session)| session.expires)
                .map(|(id, _)| id.clone())
        {
            self.sessions.remove(&oldest);
        }
        let id = random_hex();
        self.sessions.insert(
            id.clone(),
            Session {
                person,
                expires: now + SESSION_LIFETIME,
            },
        );
        id
    }

    /// The person signed in by the session `id`, if it is live.
    pub(crate) fn person(&self, id: &str, now: Instant) -> Option<Uuid> {
        self.sessions
            .get(id)
            .filter(|session| session.expires > now)
            .map(|session| session.person)
    }

    /// Ends the session `id` (nothing when there is none).
    pub(crate) fn end(&mut self, id: &str) {
        self.sessions.remove(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_session_lives_until_it_ends_or_expires() {
        let mut store = SessionStore::default();
        let person = Uuid::new_v4();
        let now = Instant::now();
        let id = store.start(person, now);
        assert_eq!(store.person(&id, now), Some(person));
        assert_eq!(store.person("other", now), None);
        assert_eq!(store.person(&id, now + SESSION_LIFETIME), None);
        store.end(&id);
        assert_eq!(store.person(&id, now), None);
    }
}
