//! Guest issuers and the guest JWTs they sign: an app holding an issuer's
//! secret signs an HS256 JWT `{sub, name, iss, exp}` for a guest, and
//! `POST {hydra}/jwt/login` trades it for an access token acting as that
//! guest.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::client::random_hex;
use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};

/// How long a guest's access token lives by default: six hours (the
/// emulator's choice).
pub(crate) const DEFAULT_GUEST_LIFETIME_SECS: u64 = 6 * 3600;

/// The longest guest-token lifetime accepted (one year).
const MAX_GUEST_LIFETIME_SECS: u64 = 365 * 86_400;

/// The longest `sub` or `name` accepted.
const MAX_CLAIM_LEN: usize = 256;

/// A guest issuer to create; the body of `POST /_emulator/oauth/guest-issuers`.
///
/// Wire form: `{"tokenLifetimeSecs"?}` (or an empty body).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewGuestIssuer {
    /// Seconds a guest's access token lives (default 21,600: six hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_lifetime_secs: Option<u64>,
}

/// A created guest issuer; the answer of
/// `POST /_emulator/oauth/guest-issuers`.
///
/// Wire form: `{"issuerId", "secret"}`; `secret` is base64, as Webex shows
/// it: the JWT is signed with its base64 *decoding*.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GuestIssuerCredentials {
    /// The issuer id, the JWT's `iss`.
    pub issuer_id: String,
    /// The shared secret, base64.
    pub secret: String,
}

impl std::fmt::Debug for GuestIssuerCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GuestIssuerCredentials")
            .field("issuer_id", &self.issuer_id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// A guest issuer.
struct GuestIssuer {
    key: DecodingKey,
    token_lifetime: Duration,
}

/// The claims of a guest JWT the emulator reads.
#[derive(Deserialize)]
struct GuestClaims {
    sub: Option<String>,
    name: Option<String>,
    iss: Option<String>,
    /// A number, or (as webexpythonsdk sends it) a string of digits.
    exp: Option<Value>,
}

/// A verified guest JWT: who the guest is.
#[derive(Debug)]
pub(crate) struct GuestIdentity {
    /// The issuer.
    pub(crate) issuer: String,
    /// The app's id for the guest.
    pub(crate) sub: String,
    /// The guest's display name.
    pub(crate) name: String,
    /// How long the guest's access token lives.
    pub(crate) token_lifetime: Duration,
}

/// The claims of a guest access token the emulator issues (a JWT, as
/// Webex's are: clients read the org from `realm` and see a guest in
/// `user_type`).
#[derive(Serialize)]
struct GuestTokenClaims<'a> {
    iss: &'a str,
    sub: String,
    name: &'a str,
    realm: String,
    user_type: &'static str,
    iat: u64,
    exp: u64,
    jti: String,
}

/// The guest issuers, the guests they created, and the key guest access
/// tokens are signed with.
pub(crate) struct GuestStore {
    issuers: HashMap<String, GuestIssuer>,
    /// `(issuer, sub)` → the guest's person.
    guests: HashMap<(String, String), Uuid>,
    signing_key: EncodingKey,
}

impl Default for GuestStore {
    fn default() -> Self {
        Self {
            issuers: HashMap::new(),
            guests: HashMap::new(),
            signing_key: EncodingKey::from_secret(random_hex().as_bytes()).unwrap_or_else(|_| {
                EncodingKey::from_secret(b"webex-emulator").expect("non-empty")
            }),
        }
    }
}

impl GuestStore {
    /// Creates an issuer with a fresh 32-byte secret.
    pub(crate) fn create(
        &mut self,
        request: NewGuestIssuer,
    ) -> Result<GuestIssuerCredentials, ApiError> {
        let secs = request
            .token_lifetime_secs
            .unwrap_or(DEFAULT_GUEST_LIFETIME_SECS);
        if !(1..=MAX_GUEST_LIFETIME_SECS).contains(&secs) {
            return Err(ApiError::bad_request(format!(
                "tokenLifetimeSecs must be a whole number of seconds from 1 to {MAX_GUEST_LIFETIME_SECS}."
            )));
        }
        let secret: Vec<u8> = [Uuid::new_v4(), Uuid::new_v4()]
            .iter()
            .flat_map(|uuid| uuid.into_bytes())
            .collect();
        let issuer_id = ids::uuid_id(HydraType::Organization, Uuid::new_v4());
        let key = DecodingKey::from_secret(&secret)
            .map_err(|error| ApiError::bad_request(format!("Cannot use the secret: {error}.")))?;
        self.issuers.insert(
            issuer_id.clone(),
            GuestIssuer {
                key,
                token_lifetime: Duration::from_secs(secs),
            },
        );
        Ok(GuestIssuerCredentials {
            issuer_id,
            secret: STANDARD.encode(secret),
        })
    }

    /// Verifies a guest JWT at `now`: HS256, signed with its issuer's
    /// secret, with `sub` (letters, digits, hyphens), `name` and an `exp`
    /// still ahead. The error says what is wrong.
    pub(crate) fn verify(&self, jwt: &str, now: SystemTime) -> Result<GuestIdentity, String> {
        let unverified: GuestClaims = jsonwebtoken::dangerous::insecure_decode_claims(jwt)
            .map_err(|error| format!("the JWT is malformed ({error})"))?;
        let issuer = unverified
            .iss
            .filter(|iss| !iss.is_empty())
            .ok_or("the JWT has no iss")?;
        let known = self
            .issuers
            .get(&issuer)
            .ok_or("the JWT's issuer is unknown")?;
        let mut validation = Validation::new(Algorithm::HS256);
        // `exp` is checked below, where a string of digits also counts.
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        let claims = jsonwebtoken::decode::<GuestClaims>(jwt, &known.key, &validation)
            .map_err(|error| format!("the JWT cannot be verified ({error})"))?
            .claims;
        let sub = claims
            .sub
            .filter(|sub| is_guest_sub(sub))
            .ok_or("sub must be 1 to 256 letters, digits and hyphens")?;
        let name = claims
            .name
            .map(|name| name.trim().to_owned())
            .filter(|name| !name.is_empty() && name.len() <= MAX_CLAIM_LEN)
            .ok_or("name must be 1 to 256 bytes")?;
        let exp = claims
            .exp
            .as_ref()
            .and_then(expiry_secs)
            .ok_or("exp must be a Unix time in seconds")?;
        let now_secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        if exp <= now_secs {
            return Err("the JWT has expired".to_owned());
        }
        Ok(GuestIdentity {
            issuer,
            sub,
            name,
            token_lifetime: known.token_lifetime,
        })
    }

    /// The person already created for this guest.
    pub(crate) fn person_of(&self, guest: &GuestIdentity) -> Option<Uuid> {
        self.guests
            .get(&(guest.issuer.clone(), guest.sub.clone()))
            .copied()
    }

    /// Remembers the person created for this guest.
    pub(crate) fn remember(&mut self, guest: &GuestIdentity, person: Uuid) {
        self.guests
            .insert((guest.issuer.clone(), guest.sub.clone()), person);
    }

    /// A signed guest access token for `person` of org `org`, living
    /// `lifetime` from `now`.
    pub(crate) fn access_token(
        &self,
        person: Uuid,
        name: &str,
        org: Uuid,
        now: SystemTime,
        lifetime: Duration,
    ) -> Result<String, String> {
        let iat = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let claims = GuestTokenClaims {
            iss: "webex-emulator",
            sub: person.to_string(),
            name,
            realm: org.to_string(),
            user_type: "guest",
            iat,
            exp: iat.saturating_add(lifetime.as_secs()),
            jti: Uuid::new_v4().to_string(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.signing_key)
            .map_err(|error| format!("cannot sign the guest token ({error})"))
    }
}

/// The email the emulator gives a guest (guests have none of their own).
pub(crate) fn guest_email(guest: &GuestIdentity) -> String {
    let issuer = ids::decode_uuid(&guest.issuer, HydraType::Organization)
        .map_or_else(|| "issuer".to_owned(), |uuid| uuid.simple().to_string());
    format!(
        "{}@{issuer}.guest.webex-emulator.invalid",
        guest.sub.to_ascii_lowercase()
    )
}

/// Letters, digits and hyphens, 1 to 256 of them.
fn is_guest_sub(sub: &str) -> bool {
    !sub.is_empty()
        && sub.len() <= MAX_CLAIM_LEN
        && sub.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `exp` as whole seconds: a non-negative number or a string of digits.
fn expiry_secs(exp: &Value) -> Option<u64> {
    match exp {
        Value::Number(number) => number.as_u64().or_else(|| {
            number
                .as_f64()
                .filter(|f| *f >= 0.0 && f.is_finite())
                .map(|f| f as u64)
        }),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sign(claims: &Value, secret_b64: &str) -> String {
        let secret = STANDARD.decode(secret_b64).unwrap();
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            claims,
            &EncodingKey::from_secret(&secret).unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn verifies_guest_jwts() {
        let mut store = GuestStore::default();
        let issuer = store.create(NewGuestIssuer::default()).unwrap();
        assert!(!format!("{issuer:?}").contains(&issuer.secret));
        let now = SystemTime::now();
        let exp = now.duration_since(UNIX_EPOCH).unwrap().as_secs() + 600;
        let good =
            json!({"sub": "guest-1", "name": "Guest One", "iss": issuer.issuer_id, "exp": exp});
        let identity = store.verify(&sign(&good, &issuer.secret), now).unwrap();
        assert_eq!(identity.sub, "guest-1");
        assert_eq!(identity.name, "Guest One");
        // webexpythonsdk sends exp as a string.
        let text_exp =
            json!({"sub": "g", "name": "G", "iss": issuer.issuer_id, "exp": exp.to_string()});
        assert!(store.verify(&sign(&text_exp, &issuer.secret), now).is_ok());

        let other = store.create(NewGuestIssuer::default()).unwrap();
        let error = store.verify(&sign(&good, &other.secret), now).unwrap_err();
        assert!(error.contains("cannot be verified"), "{error}");
        let expired = json!({"sub": "g", "name": "G", "iss": issuer.issuer_id, "exp": 1});
        assert!(store.verify(&sign(&expired, &issuer.secret), now).is_err());
        let bad_sub = json!({"sub": "a b", "name": "G", "iss": issuer.issuer_id, "exp": exp});
        assert!(store.verify(&sign(&bad_sub, &issuer.secret), now).is_err());
        let unknown = json!({"sub": "g", "name": "G", "iss": "nobody", "exp": exp});
        assert!(store.verify(&sign(&unknown, &issuer.secret), now).is_err());
        assert!(store.verify("not.a.jwt", now).is_err());
        assert!(store.verify("", now).is_err());
    }

    #[test]
    fn guest_tokens_carry_the_realm() {
        let store = GuestStore::default();
        let org = Uuid::new_v4();
        let token = store
            .access_token(
                Uuid::new_v4(),
                "G",
                org,
                SystemTime::now(),
                Duration::from_secs(60),
            )
            .unwrap();
        let claims: Value = jsonwebtoken::dangerous::insecure_decode_claims(&token).unwrap();
        assert_eq!(claims["realm"], org.to_string());
        assert_eq!(claims["user_type"], "guest");
    }
}
