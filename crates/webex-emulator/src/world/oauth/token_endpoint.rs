//! The token endpoint's grants and revocation, as [`Data`] operations:
//! exchanging a code, refreshing, revoking, and a guest's JWT login.

use std::collections::BTreeSet;
use std::time::SystemTime;

use tokio::time::Instant;
use uuid::Uuid;

use super::code::verify_pkce;
use super::error::OAuthError;
use super::guest::guest_email;
use crate::kit::ids::{self, HydraType};
use crate::world::Data;
use crate::world::people::{NewPerson, PersonType};
use crate::world::tokens::{TokenInfo, real_shaped};

/// What Webex's identity broker describes every unusable refresh token as.
const BAD_REFRESH_TOKEN: &str =
    "The refresh token provided is expired, revoked, malformed, or invalid.";

/// Tokens handed out by a grant.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct TokenSet {
    /// The access token.
    pub(crate) access_token: String,
    /// Its lifetime in seconds.
    pub(crate) expires_in: u64,
    /// The refresh token.
    pub(crate) refresh_token: String,
    /// The refresh token's remaining lifetime in seconds.
    pub(crate) refresh_token_expires_in: u64,
}

impl std::fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSet")
            .field("expires_in", &self.expires_in)
            .field("refresh_token_expires_in", &self.refresh_token_expires_in)
            .finish_non_exhaustive()
    }
}

/// A guest's access token.
pub(crate) struct GuestToken {
    /// The token (a JWT).
    pub(crate) token: String,
    /// Its lifetime in seconds.
    pub(crate) expires_in: u64,
}

impl Data {
    /// A new grant of `client` for `person` with a refresh token and a
    /// first access token.
    pub(crate) fn new_grant(
        &mut self,
        client_id: &str,
        person: Uuid,
        scopes: BTreeSet<String>,
        now: Instant,
    ) -> Result<(u64, TokenSet), OAuthError> {
        let client = self
            .oauth
            .clients
            .get(client_id)
            .ok_or_else(OAuthError::invalid_client)?;
        let (access_lifetime, refresh_lifetime) = (client.access_lifetime, client.refresh_lifetime);
        let refresh_token = real_shaped(self.org.uuid);
        let grant = self.oauth.grants.insert(
            client_id,
            person,
            scopes,
            refresh_token.clone(),
            now + refresh_lifetime,
        );
        let access_token = self.issue_access_token(person, grant, now + access_lifetime);
        Ok((
            grant,
            TokenSet {
                access_token,
                expires_in: access_lifetime.as_secs(),
                refresh_token,
                refresh_token_expires_in: refresh_lifetime.as_secs(),
            },
        ))
    }

    /// `grant_type=authorization_code` for the authenticated `client_id`.
    pub(crate) fn exchange_code(
        &mut self,
        client_id: &str,
        code: &str,
        redirect_uri: Option<&str>,
        verifier: Option<&str>,
        now: Instant,
    ) -> Result<TokenSet, OAuthError> {
        let details = match self.oauth.codes.take(code) {
            Ok(details) => details,
            Err(earlier_grant) => {
                if let Some(grant) = earlier_grant {
                    // A replayed code: what it granted is revoked.
                    self.revoke_grant(grant);
                    return Err(OAuthError::invalid_grant(
                        "The authorization code was already used; the tokens it granted are revoked.",
                    ));
                }
                return Err(OAuthError::invalid_grant(
                    "The authorization code is invalid or expired.",
                ));
            }
        };
        if details.client_id != client_id {
            return Err(OAuthError::invalid_grant(
                "The authorization code was issued to another client.",
            ));
        }
        if redirect_uri != Some(details.redirect_uri.as_str()) {
            return Err(OAuthError::invalid_grant(
                "The redirect_uri does not match the one of the authorization request.",
            ));
        }
        if now >= details.expires {
            return Err(OAuthError::invalid_grant(
                "The authorization code is invalid or expired.",
            ));
        }
        if let Some(challenge) = &details.challenge {
            verify_pkce(challenge, verifier)?;
        }
        if self.people.get(details.person).is_none() {
            return Err(OAuthError::invalid_grant("The user of this code is gone."));
        }
        let (grant, tokens) = self.new_grant(client_id, details.person, details.scopes, now)?;
        self.oauth.codes.mark_used(code.to_owned(), grant);
        Ok(tokens)
    }

    /// `grant_type=refresh_token` for the authenticated `client_id`: a new
    /// access token; the refresh token is kept and its lifetime restarted,
    /// or replaced when the client rotates refresh tokens.
    pub(crate) fn refresh(
        &mut self,
        client_id: &str,
        refresh_token: &str,
        scope: Option<&str>,
        now: Instant,
    ) -> Result<TokenSet, OAuthError> {
        let client = self
            .oauth
            .clients
            .get(client_id)
            .ok_or_else(OAuthError::invalid_client)?;
        let (access_lifetime, refresh_lifetime, rotate) = (
            client.access_lifetime,
            client.refresh_lifetime,
            client.rotate_refresh_tokens,
        );
        let unusable = OAuthError::new(client.refresh_token_error, BAD_REFRESH_TOKEN);
        let narrowed = scope
            .filter(|scope| !scope.trim().is_empty())
            .map(|scope| client.scopes_of(scope))
            .transpose()?;
        let grant = self
            .oauth
            .grants
            .by_refresh_token(refresh_token)
            .filter(|grant| grant.client_id == client_id && now < grant.refresh_expires)
            .ok_or_else(|| unusable.clone())?;
        if narrowed
            .as_ref()
            .is_some_and(|narrowed| !narrowed.is_subset(&grant.scopes))
        {
            return Err(OAuthError::new(
                super::error::ErrorCode::InvalidScope,
                "The requested scope is invalid.",
            ));
        }
        grant.refresh_expires = now + refresh_lifetime;
        let (id, person) = (grant.id, grant.person);
        if self.people.get(person).is_none() {
            return Err(unusable);
        }
        let refresh_token = if rotate {
            let fresh = real_shaped(self.org.uuid);
            self.oauth.grants.rotate(id, fresh.clone());
            fresh
        } else {
            refresh_token.to_owned()
        };
        let access_token = self.issue_access_token(person, id, now + access_lifetime);
        Ok(TokenSet {
            access_token,
            expires_in: access_lifetime.as_secs(),
            refresh_token,
            refresh_token_expires_in: refresh_lifetime.as_secs(),
        })
    }

    /// Revokes `token`, an access or a refresh token. A refresh token ends
    /// its grant with every access token of it; an access token ends alone.
    /// With `client_id`, only that client's tokens are revoked (RFC 7009:
    /// another's token is ignored). Whether anything was revoked.
    pub(crate) fn revoke_token(&mut self, client_id: Option<&str>, token: &str) -> bool {
        let owned_by = |grant_client: &str| client_id.is_none_or(|id| id == grant_client);
        if let Some(grant) = self.oauth.grants.by_refresh_token(token) {
            if !owned_by(&grant.client_id) {
                return false;
            }
            let id = grant.id;
            self.revoke_grant(id);
            return true;
        }
        let Some(grant) = self
            .tokens
            .get_at(token, Instant::now())
            .and_then(|info| info.grant)
        else {
            // Tokens of no grant (the admin API's, guests') are revoked only
            // without a client, by logout.
            return client_id.is_none() && self.tokens.revoke(token).is_some();
        };
        let allowed = self
            .oauth
            .grants
            .get(grant)
            .is_some_and(|grant| owned_by(&grant.client_id));
        allowed && self.tokens.revoke(token).is_some()
    }

    /// A new access token for `person` under `grant`, expiring at `expires`.
    fn issue_access_token(&mut self, person: Uuid, grant: u64, expires: Instant) -> String {
        self.tokens.issue_with(
            self.org.uuid,
            TokenInfo {
                person,
                expires: Some(expires),
                grant: Some(grant),
            },
        )
    }

    /// Ends grant `id` and every access token issued under it.
    pub(crate) fn revoke_grant(&mut self, id: u64) {
        self.oauth.grants.revoke(id);
        self.tokens.revoke_grant(id);
    }

    /// Makes an access or refresh token expire at `now`; whether it was
    /// known.
    pub(crate) fn expire_token(&mut self, token: &str, now: Instant) -> bool {
        if let Some(grant) = self.oauth.grants.by_refresh_token(token) {
            grant.refresh_expires = now;
            return true;
        }
        self.tokens.expire(token, now)
    }

    /// `POST {hydra}/jwt/login`: verifies a guest JWT and answers with an
    /// access token acting as the guest, created on first login.
    pub(crate) fn guest_login(
        &mut self,
        jwt: &str,
        wall: SystemTime,
        now: Instant,
    ) -> Result<GuestToken, String> {
        let guest = self.oauth.guests.verify(jwt, wall)?;
        let person = match self.oauth.guests.person_of(&guest) {
            Some(person) if self.people.get(person).is_some() => person,
            _ => {
                let created = self
                    .create_person(NewPerson {
                        display_name: guest.name.clone(),
                        email: guest_email(&guest),
                        kind: PersonType::Person,
                    })
                    .map_err(|error| format!("cannot create the guest ({error})"))?;
                let person = ids::decode_uuid(&created.id, HydraType::People)
                    .ok_or("cannot create the guest")?;
                // The admin token create_person issued is not the guest's.
                self.tokens.revoke(&created.access_token);
                self.oauth.guests.remember(&guest, person);
                person
            }
        };
        let token = self.oauth.guests.access_token(
            person,
            &guest.name,
            self.org.uuid,
            wall,
            guest.token_lifetime,
        )?;
        self.tokens.insert(
            token.clone(),
            TokenInfo {
                person,
                expires: Some(now + guest.token_lifetime),
                grant: None,
            },
        );
        Ok(GuestToken {
            token,
            expires_in: guest.token_lifetime.as_secs(),
        })
    }
}
