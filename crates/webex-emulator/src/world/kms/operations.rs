//! The KMS operations under a context: retrieve a key, create keys, create a resource,
//! create / list / delete authorizations, bind a key, ping. Each answer carries `status`
//! and the request's `requestId`; a refused request has `status` ≥ 400 and a `reason`.

use serde_json::{Value, json};
use uuid::Uuid;

use super::jose::encode;
use super::{KMS_HOST, Key, KmsStore, Resource, date, new_uri};

/// The most keys one `create /keys` makes.
const MAX_KEYS: u64 = 100;

/// A refused request.
struct Refusal(u16, String);

fn refuse(status: u16, reason: impl Into<String>) -> Refusal {
    Refusal(status, reason.into())
}

/// `uri` without the `kms://<host>` prefix, and its query.
fn path_of(uri: &str) -> (&str, Option<&str>) {
    let prefix = format!("kms://{KMS_HOST}");
    let path = uri.strip_prefix(prefix.as_str()).unwrap_or(uri);
    match path.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path, None),
    }
}

/// The ids (`userIds`) of a request: strings.
fn ids(body: &Value, field: &str) -> Result<Vec<String>, Refusal> {
    match &body[field] {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .iter()
            .map(|id| {
                id.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| refuse(400, format!("{field} must be strings")))
            })
            .collect(),
        _ => Err(refuse(400, format!("{field} must be an array"))),
    }
}

impl KmsStore {
    /// The answer to `body` from `caller`.
    pub(crate) fn apply(&mut self, caller: Uuid, body: &Value) -> Value {
        let request_id = body["requestId"].clone();
        let mut answer = match self.operation(caller, body) {
            Ok(answer) => answer,
            Err(Refusal(status, reason)) => json!({"status": status, "reason": reason}),
        };
        answer["requestId"] = request_id;
        answer
    }

    fn operation(&mut self, caller: Uuid, body: &Value) -> Result<Value, Refusal> {
        let method = body["method"].as_str().unwrap_or_default();
        let uri = body["uri"].as_str().unwrap_or_default();
        let (path, query) = path_of(uri);
        match (method, path) {
            ("update", "/ping") => Ok(json!({"status": 200})),
            ("create", "/keys") => self.create_keys(caller, body),
            ("create", "/resources") => self.create_resource(caller, body),
            ("create", "/authorizations") => {
                let resource = body["resourceUri"].as_str().unwrap_or_default();
                self.authorize(caller, resource, ids(body, "userIds")?)
            }
            ("retrieve", path) if path.starts_with("/keys/") => {
                let key = self.readable_key(caller, uri)?;
                Ok(json!({"status": 200, "key": key}))
            }
            ("update", path) if path.starts_with("/keys/") => {
                let resource = body["resourceUri"].as_str().unwrap_or_default();
                self.bind(caller, uri, resource)
            }
            ("retrieve", path) if path.ends_with("/authorizations") => {
                let resource = uri.split('?').next().unwrap_or_default();
                let resource = resource.trim_end_matches("/authorizations");
                let list = self.authorizations(caller, resource)?;
                Ok(json!({"status": 200, "authorizations": list}))
            }
            ("delete", path) if path.ends_with("/authorizations") => {
                let resource = uri.split('?').next().unwrap_or_default();
                let resource = resource.trim_end_matches("/authorizations");
                let auth_id = query
                    .into_iter()
                    .flat_map(|q| q.split('&'))
                    .find_map(|pair| pair.strip_prefix("authId="))
                    .map(|id| {
                        percent_encoding::percent_decode_str(id)
                            .decode_utf8_lossy()
                            .into_owned()
                    })
                    .ok_or_else(|| refuse(400, "authId is required"))?;
                self.deauthorize(caller, resource, &auth_id)
            }
            _ => Err(refuse(400, format!("unsupported request {method} {uri}"))),
        }
    }

    fn key_json(uri: &str, key: &Key) -> Value {
        let mut json = json!({
            "uri": uri,
            "jwk": {"kty": "oct", "kid": uri, "k": encode(&key.key)},
            "userId": key.owner.to_string(),
            "createDate": date(key.created),
        });
        if let Some(resource) = &key.resource {
            json["resourceUri"] = resource.clone().into();
            json["bindDate"] = date(key.created).into();
        }
        json
    }

    /// Whether `caller` is authorized on `resource`.
    fn authorized(&self, caller: Uuid, resource: &str) -> Result<&Resource, Refusal> {
        let found = self
            .resources
            .get(resource)
            .ok_or_else(|| refuse(404, format!("no resource {resource}")))?;
        if !found.authorized.contains(&caller.to_string()) {
            return Err(refuse(403, "not authorized on the resource"));
        }
        Ok(found)
    }

    /// The key at `uri` as `caller` may read it.
    fn readable_key(&self, caller: Uuid, uri: &str) -> Result<Value, Refusal> {
        let key = self
            .keys
            .get(uri)
            .ok_or_else(|| refuse(404, format!("no key {uri}")))?;
        let allowed = key.owner == caller
            || key
                .resource
                .as_deref()
                .is_some_and(|resource| self.authorized(caller, resource).is_ok());
        if !allowed {
            return Err(refuse(403, "not authorized to retrieve the key"));
        }
        Ok(Self::key_json(uri, key))
    }

    fn create_keys(&mut self, caller: Uuid, body: &Value) -> Result<Value, Refusal> {
        let count = body["count"]
            .as_u64()
            .filter(|count| (1..=MAX_KEYS).contains(count))
            .ok_or_else(|| refuse(400, format!("count must be 1 to {MAX_KEYS}")))?;
        let keys: Vec<Value> = (0..count)
            .map(|_| {
                let uri = self.new_key(caller);
                Self::key_json(&uri, &self.keys[&uri])
            })
            .collect();
        Ok(json!({"status": 201, "keys": keys}))
    }

    fn create_resource(&mut self, caller: Uuid, body: &Value) -> Result<Value, Refusal> {
        let key_uris = ids(body, "keyUris")?;
        if key_uris.is_empty() {
            return Err(refuse(400, "a resource needs at least one key"));
        }
        for uri in &key_uris {
            let key = self
                .keys
                .get(uri)
                .ok_or_else(|| refuse(404, format!("no key {uri}")))?;
            if key.owner != caller || key.resource.is_some() {
                return Err(refuse(403, format!("the key {uri} cannot be bound")));
            }
        }
        let uri = new_uri("resources");
        let mut authorized = vec![caller.to_string()];
        for id in ids(body, "userIds")? {
            if !authorized.contains(&id) {
                authorized.push(id);
            }
        }
        for key in &key_uris {
            if let Some(key) = self.keys.get_mut(key) {
                key.resource = Some(uri.clone());
            }
        }
        let resource = json!({
            "uri": uri,
            "keyUris": key_uris,
            "authorizationUris": authorized.iter().map(|id| format!("{uri}/authorizations/{id}")).collect::<Vec<_>>(),
        });
        self.resources.insert(
            uri,
            Resource {
                keys: key_uris,
                authorized,
            },
        );
        Ok(json!({"status": 201, "resource": resource}))
    }

    fn authorization(resource: &str, id: &str) -> Value {
        json!({"uri": format!("{resource}/authorizations/{id}"), "authId": id, "resourceUri": resource})
    }

    fn authorize(
        &mut self,
        caller: Uuid,
        resource: &str,
        new: Vec<String>,
    ) -> Result<Value, Refusal> {
        if new.is_empty() {
            return Err(refuse(400, "userIds is required"));
        }
        self.authorized(caller, resource)?;
        let entry = self
            .resources
            .get_mut(resource)
            .ok_or_else(|| refuse(404, format!("no resource {resource}")))?;
        for id in &new {
            if !entry.authorized.contains(id) {
                entry.authorized.push(id.clone());
            }
        }
        let list: Vec<Value> = new
            .iter()
            .map(|id| Self::authorization(resource, id))
            .collect();
        Ok(json!({"status": 201, "authorizations": list}))
    }

    fn authorizations(&self, caller: Uuid, resource: &str) -> Result<Vec<Value>, Refusal> {
        let found = self.authorized(caller, resource)?;
        Ok(found
            .authorized
            .iter()
            .map(|id| Self::authorization(resource, id))
            .collect())
    }

    fn deauthorize(&mut self, caller: Uuid, resource: &str, id: &str) -> Result<Value, Refusal> {
        self.authorized(caller, resource)?;
        let entry = self
            .resources
            .get_mut(resource)
            .ok_or_else(|| refuse(404, format!("no resource {resource}")))?;
        let before = entry.authorized.len();
        entry.authorized.retain(|known| known != id);
        if entry.authorized.len() == before {
            return Err(refuse(404, format!("{id} is not authorized on {resource}")));
        }
        Ok(json!({"status": 200, "authorizations": [Self::authorization(resource, id)]}))
    }

    fn bind(&mut self, caller: Uuid, key_uri: &str, resource: &str) -> Result<Value, Refusal> {
        self.authorized(caller, resource)?;
        let key = self
            .keys
            .get_mut(key_uri)
            .ok_or_else(|| refuse(404, format!("no key {key_uri}")))?;
        if key.owner != caller || key.resource.as_deref().is_some_and(|r| r != resource) {
            return Err(refuse(403, format!("the key {key_uri} cannot be bound")));
        }
        key.resource = Some(resource.to_owned());
        if let Some(entry) = self.resources.get_mut(resource)
            && !entry.keys.iter().any(|k| k == key_uri)
        {
            entry.keys.push(key_uri.to_owned());
        }
        let key = self.readable_key(caller, key_uri)?;
        Ok(json!({"status": 200, "key": key}))
    }
}
