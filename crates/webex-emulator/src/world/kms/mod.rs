//! The key management service (KMS): its identity, the ECDHE contexts clients negotiated,
//! content keys, resources (KROs) and who is authorized on them.
//!
//! Requests arrive as compact JWEs: the ECDHE `create` encrypted to the KMS's RSA key
//! (answered with a JWS the KMS signs), every later one under a context's shared key
//! (`dir`, answered the same way). A person may retrieve a key they created or one bound
//! to a resource they (or an id given in `userIds`) are authorized on.
//!
//! Every room has a resource whose authorizations are its members ([`rooms`]).
//!
//! Other services use [`KmsStore::open`] for the `kmsMessage` a REST body carries, and
//! tests use [`KmsStore::encrypt_with_new_key`] to make encrypted texts.

mod ecdhe;
mod identity;
mod jose;
mod operations;
mod rooms;

use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};
use uuid::Uuid;

use self::identity::Identity;
use self::jose::{Compact, JoseError};

/// The host every KMS URI names (`kms://<host>/...`); also the certificate's name.
pub(crate) const KMS_HOST: &str = "kms.emulator.example";

/// How long a negotiated context lives (`expirationDate` of the ECDHE key).
const CONTEXT_LIFETIME: Duration = Duration::from_secs(3600);

/// Why a KMS message could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum KmsOpenError {
    /// Not a JWE the KMS can read.
    #[error("malformed kms message: {0}")]
    Malformed(String),
    /// Its `kid` names no live context (never negotiated, or expired).
    #[error("unknown or expired ECDHE context {0}")]
    UnknownContext(String),
    /// The request names another user than the one who negotiated the context, or a token
    /// that is not that user's.
    #[error("the request's credential is not the context's user")]
    WrongCaller,
    /// The KMS identity could not be made.
    #[error("{0}")]
    Identity(String),
}

impl From<JoseError> for KmsOpenError {
    fn from(err: JoseError) -> Self {
        Self::Malformed(err.0)
    }
}

/// A negotiated ECDHE context.
struct Context {
    owner: Uuid,
    client_id: String,
    key: [u8; 32],
    expires: SystemTime,
}

/// A content key.
struct Key {
    owner: Uuid,
    key: [u8; 32],
    created: SystemTime,
    /// The resource it is bound to.
    resource: Option<String>,
}

/// A KMS resource object: its keys and the ids authorized on it.
struct Resource {
    keys: Vec<String>,
    authorized: Vec<String>,
}

/// An opened request: its body and who sent it.
pub(crate) struct Opened {
    /// The request body (`method`, `uri`, `requestId`, `client`, ...).
    pub(crate) body: Value,
    /// The user of the context it came under.
    pub(crate) owner: Uuid,
    /// The context's `client.clientId` (the device URL).
    pub(crate) client_id: String,
    /// The context's URI, under which the answer goes back.
    context: String,
}

/// Everything the KMS knows.
#[derive(Default)]
pub(crate) struct KmsStore {
    identity: OnceLock<Result<Identity, String>>,
    contexts: HashMap<String, Context>,
    keys: HashMap<String, Key>,
    resources: HashMap<String, Resource>,
    /// The resource of each room (by the room's uuid).
    room_resources: HashMap<Uuid, String>,
}

/// A KMS URI for `kind` (`keys`, `resources`, `ecdhe`) and a new id.
fn new_uri(kind: &str) -> String {
    format!("kms://{KMS_HOST}/{kind}/{}", Uuid::new_v4())
}

/// An ISO-8601 date as KMS writes them.
fn date(at: SystemTime) -> String {
    humantime::format_rfc3339_millis(at).to_string()
}

impl KmsStore {
    /// Forgets every context, key and resource, keeping the identity (its
    /// RSA key is slow to make, and clients may hold its public key).
    pub(crate) fn clear(&mut self) {
        self.contexts.clear();
        self.keys.clear();
        self.resources.clear();
        self.room_resources.clear();
    }

    /// The identity, made on first use (an RSA key takes a moment).
    fn identity(&self) -> Result<&Identity, KmsOpenError> {
        self.identity
            .get_or_init(|| Identity::generate(KMS_HOST))
            .as_ref()
            .map_err(|err| KmsOpenError::Identity(err.clone()))
    }

    /// Discovery's answer: `{"kmsCluster", "rsaPublicKey"}` (the JWK as a string).
    pub(crate) fn discovery(&self) -> Result<Value, KmsOpenError> {
        let identity = self.identity()?;
        Ok(json!({
            "kmsCluster": format!("kms://{KMS_HOST}"),
            "rsaPublicKey": identity.public_jwk,
        }))
    }

    /// Opens a `kmsMessage` a REST call carried: finds the context by the JWE's `kid`,
    /// decrypts, and checks the request names the context's user.
    pub(crate) fn open(&self, jwe: &str) -> Result<Value, KmsOpenError> {
        self.open_request(jwe).map(|opened| opened.body)
    }

    fn open_request(&self, jwe: &str) -> Result<Opened, KmsOpenError> {
        let compact = Compact::parse(jwe)?;
        let kid = compact.header.kid.clone().unwrap_or_default();
        let context = self
            .contexts
            .get(&kid)
            .filter(|context| SystemTime::now() < context.expires)
            .ok_or_else(|| KmsOpenError::UnknownContext(kid.clone()))?;
        let body: Value = serde_json::from_slice(&jose::decrypt_dir(&context.key, &compact)?)
            .map_err(|_| KmsOpenError::Malformed("the request is not JSON".into()))?;
        if body["client"]["credential"]["userId"] != context.owner.to_string() {
            return Err(KmsOpenError::WrongCaller);
        }
        Ok(Opened {
            body,
            owner: context.owner,
            client_id: context.client_id.clone(),
            context: kid,
        })
    }

    /// Handles one message of `POST /kms/messages` from `caller`: an ECDHE `create` to the
    /// KMS key, or a request under a context. `person_of_token` checks the bearer the
    /// ECDHE request carries. Returns the answer (JWS or JWE) and the `clientId` it is for.
    pub(crate) fn handle(
        &mut self,
        message: &str,
        caller: Uuid,
        person_of_token: impl Fn(&str) -> Option<Uuid>,
    ) -> Result<(String, String), KmsOpenError> {
        let compact = Compact::parse(message)?;
        if compact.header.alg != "dir" {
            let identity = self.identity()?;
            if compact.header.kid.as_deref() != Some(identity.kid.as_str()) {
                return Err(KmsOpenError::Malformed(
                    "a request to an unknown KMS key".into(),
                ));
            }
            let body: Value = serde_json::from_slice(&identity.open(&compact)?)
                .map_err(|_| KmsOpenError::Malformed("the request is not JSON".into()))?;
            let credential = &body["client"]["credential"];
            let bearer = credential["bearer"].as_str().unwrap_or_default();
            if credential["userId"] != caller.to_string() || person_of_token(bearer) != Some(caller)
            {
                return Err(KmsOpenError::WrongCaller);
            }
            let client_id = body["client"]["clientId"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let answer = self.negotiate(&body, caller, &client_id);
            let signed = self.identity()?.sign(answer.to_string().as_bytes())?;
            return Ok((signed, client_id));
        }
        let opened = self.open_request(message)?;
        if opened.owner != caller {
            return Err(KmsOpenError::WrongCaller);
        }
        let answer = self.apply(opened.owner, &opened.body);
        let key = self
            .contexts
            .get(&opened.context)
            .map(|context| context.key)
            .ok_or_else(|| KmsOpenError::UnknownContext(opened.context.clone()))?;
        Ok((
            jose::encrypt_dir(&key, Some(&opened.context), answer.to_string().as_bytes()),
            opened.client_id,
        ))
    }

    /// The answer to an ECDHE `create`: a new context, or an error status.
    fn negotiate(&mut self, body: &Value, owner: Uuid, client_id: &str) -> Value {
        let request_id = body["requestId"].clone();
        let is_ecdhe = body["method"] == "create"
            && body["uri"]
                .as_str()
                .is_some_and(|uri| uri.ends_with("/ecdhe"));
        if !is_ecdhe {
            return json!({"status": 400, "reason": "only an ECDHE create may use the KMS key", "requestId": request_id});
        }
        match ecdhe::agree(&body["jwk"]) {
            Ok((jwk, key)) => {
                let uri = new_uri("ecdhe");
                let now = SystemTime::now();
                let expires = now + CONTEXT_LIFETIME;
                self.contexts.retain(|_, context| now < context.expires);
                self.contexts.insert(
                    uri.clone(),
                    Context {
                        owner,
                        client_id: client_id.to_owned(),
                        key,
                        expires,
                    },
                );
                json!({
                    "status": 201,
                    "requestId": request_id,
                    "key": {
                        "uri": uri,
                        "jwk": jwk,
                        "userId": owner.to_string(),
                        "clientId": client_id,
                        "createDate": date(now),
                        "expirationDate": date(expires),
                    },
                })
            }
            Err(err) => json!({"status": 400, "reason": err.0, "requestId": request_id}),
        }
    }

    /// Encrypts `text` (JWE `dir` / `A256GCM`, no `kid`, as conversation texts are) with a
    /// new key owned by `owner`, who may retrieve it. Returns the key's URI and the JWE.
    pub(crate) fn encrypt_with_new_key(&mut self, owner: Uuid, text: &str) -> (String, String) {
        let uri = self.new_key(owner);
        let key = self.keys[&uri].key;
        (uri, jose::encrypt_dir(&key, None, text.as_bytes()))
    }

    /// A new key owned by `owner`; its URI.
    fn new_key(&mut self, owner: Uuid) -> String {
        let uri = new_uri("keys");
        self.keys.insert(
            uri.clone(),
            Key {
                owner,
                key: jose::new_key(),
                created: SystemTime::now(),
                resource: None,
            },
        );
        uri
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_messages_are_errors_never_panics() {
        let mut kms = KmsStore::default();
        let caller = Uuid::new_v4();
        let header = jose::encode(br#"{"alg":"RSA-OAEP","enc":"A256GCM","kid":"x"}"#);
        let kid = kms.identity().unwrap().kid.clone();
        let ours = jose::encode(
            serde_json::json!({"alg": "RSA-OAEP", "enc": "A256GCM", "kid": kid})
                .to_string()
                .as_bytes(),
        );
        for message in [
            String::new(),
            "....".into(),
            "a.b.c".into(),
            "!!.a.b.c.d".into(),
            format!("{header}.AAAA.AAAA.AAAA.AAAA"),
            format!("{ours}.AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA"),
            format!("{ours}..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA"),
            jose::encrypt_dir(&[1; 32], Some("kms://nowhere/ecdhe/1"), b"{}"),
            jose::encrypt_dir(&[1; 32], None, b"{}"),
        ] {
            assert!(
                kms.handle(&message, caller, |_| Some(caller)).is_err(),
                "{message:?}"
            );
            assert!(kms.open(&message).is_err(), "{message:?}");
        }
    }

    #[test]
    fn the_owner_of_an_encrypted_text_may_retrieve_its_key_and_nobody_else() {
        let mut kms = KmsStore::default();
        let (ada, bob) = (Uuid::new_v4(), Uuid::new_v4());
        let (uri, jwe) = kms.encrypt_with_new_key(ada, "hello");
        let retrieve = json!({"method": "retrieve", "uri": uri, "requestId": "r"});
        let answer = kms.apply(ada, &retrieve);
        assert_eq!(answer["status"], 200);
        assert_eq!(answer["requestId"], "r");
        let k = answer["key"]["jwk"]["k"].as_str().unwrap();
        let key =
            base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, k).unwrap();
        let compact = Compact::parse(&jwe).unwrap();
        assert!(compact.header.kid.is_none());
        assert_eq!(jose::decrypt_dir(&key, &compact).unwrap(), b"hello");
        assert_eq!(kms.apply(bob, &retrieve)["status"], 403);

        // Bound to a resource Bob is authorized on, it is his to retrieve too.
        let resource = kms.apply(
            ada,
            &json!({"method": "create", "uri": "/resources", "userIds": [bob.to_string()], "keyUris": [uri]}),
        );
        assert_eq!(resource["status"], 201, "{resource}");
        assert_eq!(kms.apply(bob, &retrieve)["status"], 200);
        let kro = resource["resource"]["uri"].as_str().unwrap().to_owned();
        let removed = kms.apply(
            ada,
            &json!({"method": "delete", "uri": format!("{kro}/authorizations?authId={bob}")}),
        );
        assert_eq!(removed["status"], 200, "{removed}");
        assert_eq!(kms.apply(bob, &retrieve)["status"], 403);
    }
}
