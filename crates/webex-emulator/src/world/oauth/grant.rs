//! Grants: one per consent, holding the refresh token that keeps it alive.
//! Access tokens issued under a grant live in the token store, tagged with
//! the grant's id, so revoking the grant revokes them too.

use std::collections::{BTreeSet, HashMap};

use tokio::time::Instant;
use uuid::Uuid;

/// One user's consent to one client.
pub(crate) struct Grant {
    /// Its id (the tag on its access tokens).
    pub(crate) id: u64,
    /// The client.
    pub(crate) client_id: String,
    /// The user.
    pub(crate) person: Uuid,
    /// The scopes consented to.
    pub(crate) scopes: BTreeSet<String>,
    /// The current refresh token.
    pub(crate) refresh_token: String,
    /// When the refresh token runs out unless used.
    pub(crate) refresh_expires: Instant,
}

/// Every live grant, by id and by refresh token.
#[derive(Default)]
pub(crate) struct GrantStore {
    last_id: u64,
    grants: HashMap<u64, Grant>,
    by_refresh: HashMap<String, u64>,
}

impl GrantStore {
    /// A new grant; returns its id.
    pub(crate) fn insert(
        &mut self,
        client_id: &str,
        person: Uuid,
        scopes: BTreeSet<String>,
        refresh_token: String,
        refresh_expires: Instant,
    ) -> u64 {
        self.last_id += 1;
        let id = self.last_id;
        self.by_refresh.insert(refresh_token.clone(), id);
        self.grants.insert(
            id,
            Grant {
                id,
                client_id: client_id.to_owned(),
                person,
                scopes,
                refresh_token,
                refresh_expires,
            },
        );
        id
    }

    /// The grant whose current refresh token is `refresh_token`.
    pub(crate) fn by_refresh_token(&mut self, refresh_token: &str) -> Option<&mut Grant> {
        let id = self.by_refresh.get(refresh_token)?;
        self.grants.get_mut(id)
    }

    /// Replaces the refresh token of grant `id`: the old one stops working.
    pub(crate) fn rotate(&mut self, id: u64, new_token: String) {
        if let Some(grant) = self.grants.get_mut(&id) {
            self.by_refresh.remove(&grant.refresh_token);
            self.by_refresh.insert(new_token.clone(), id);
            grant.refresh_token = new_token;
        }
    }

    /// Ends grant `id`; its refresh token stops working.
    pub(crate) fn revoke(&mut self, id: u64) -> Option<Grant> {
        let grant = self.grants.remove(&id)?;
        self.by_refresh.remove(&grant.refresh_token);
        Some(grant)
    }

    /// The grant `id`, if live.
    pub(crate) fn get(&self, id: u64) -> Option<&Grant> {
        self.grants.get(&id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_retires_the_old_refresh_token() {
        let mut store = GrantStore::default();
        let now = Instant::now();
        let id = store.insert("C", Uuid::nil(), BTreeSet::new(), "r1".to_owned(), now);
        assert_eq!(store.by_refresh_token("r1").map(|g| g.id), Some(id));
        store.rotate(id, "r2".to_owned());
        assert!(store.by_refresh_token("r1").is_none());
        assert_eq!(store.by_refresh_token("r2").map(|g| g.id), Some(id));
        assert!(store.revoke(id).is_some());
        assert!(store.by_refresh_token("r2").is_none());
        assert!(store.get(id).is_none());
    }
}
