//! Device registration (WDM): `POST/GET {wdm}/devices`,
//! `GET/PUT/DELETE {wdm}/devices/{uuid}`.
//!
//! A device belongs to the person whose token registered it; nobody else
//! sees it (404). Its `url` is its identity (the JS SDK refreshes with `PUT
//! url` and unregisters with `DELETE url`), and its `webSocketUrl`, without a
//! query string, is where the Mercury service serves its event stream. A
//! device registered with `ttl` (seconds; the JS SDK's ephemeral devices send
//! 1800) expires when it is not refreshed in time ([`expiry`] closes its
//! websockets); without `ttl` it stays until deleted. Deleting a device
//! closes its open websockets. A person at the device limit gets WDM's
//! "excessive device registrations" error (403) on register.

pub(crate) mod expiry;

use std::time::SystemTime;

use tokio::time::Instant;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::app::{AppState, Shared};
use crate::bus::{Audience, Envelope, Payload};
use crate::kit::auth::Caller;
use crate::kit::body::{self, JsonBody};
use crate::kit::clock;
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::kit::service::{Listing, ServiceSpec};
use crate::world::devices::{self, Device};

/// The catalog name of the service whose websocket a device gets.
const MERCURY: &str = "mercury";

/// The path of the device collection, under the base path.
const DEVICES: &str = "/devices";

/// The path of a device's websocket under the Mercury service's base path.
const MERCURY_REGISTRATION: &str = "/apps/wx2/registrations";

/// The string fields a client sets (and may change on refresh). Other
/// fields of a request body are ignored: the JS SDK sends its whole stored
/// device back on refresh, server-owned fields included.
const CLIENT_STRINGS: [&str; 7] = [
    "name",
    "deviceName",
    "deviceType",
    "model",
    "localizedModel",
    "systemName",
    "systemVersion",
];

/// The close reason a device's websockets get when it is deleted.
const UNREGISTERED: &str = "Device unregistered";

/// WDM's answer (403) to a registration past the per-user device limit; the
/// JS SDK recognises it by this exact `message`.
pub(crate) const EXCESSIVE_REGISTRATIONS: &str = "User has excessive device registrations";

/// The WDM service.
pub(crate) const SPEC: ServiceSpec = ServiceSpec {
    name: "wdm",
    base_path: "/wdm/api/v1",
    listing: Listing::Base,
};

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(&SPEC.path(DEVICES), get(list).post(register))
        .route(
            &SPEC.path(&format!("{DEVICES}/{{id}}")),
            get(get_one).put(refresh).delete(unregister),
        )
}

/// The device's `url`.
pub(crate) fn url(shared: &Shared, uuid: Uuid) -> String {
    format!("{}{DEVICES}/{uuid}", SPEC.url(&shared.endpoint.base_url()))
}

/// The device's `webSocketUrl`, without a query string (the JS SDK adds its
/// parameters to it).
fn web_socket_url(shared: &Shared, uuid: Uuid) -> String {
    let mercury = shared
        .catalog
        .service(MERCURY)
        .map_or("", |spec| spec.base_path);
    format!(
        "{}{mercury}{MERCURY_REGISTRATION}/{uuid}/messages",
        shared.endpoint.websocket_base_url(),
    )
}

/// The client fields of a request body, checked: strings, `capabilities` an
/// object, `ttl` a positive whole number of seconds.
fn client_fields(raw: &[u8]) -> Result<(Map<String, Value>, Option<u64>), ApiError> {
    let request: Map<String, Value> = body::json(raw)?;
    let mut fields = Map::new();
    for name in CLIENT_STRINGS {
        match request.get(name) {
            None | Some(Value::Null) => {}
            Some(Value::String(value)) => {
                fields.insert(name.to_owned(), value.clone().into());
            }
            Some(_) => {
                return Err(ApiError::bad_request(format!("{name} must be a string.")));
            }
        }
    }
    match request.get("capabilities") {
        None | Some(Value::Null) => {}
        Some(capabilities @ Value::Object(_)) => {
            fields.insert("capabilities".to_owned(), capabilities.clone());
        }
        Some(_) => return Err(ApiError::bad_request("capabilities must be an object.")),
    }
    let ttl = match request.get("ttl") {
        None | Some(Value::Null) => None,
        Some(value) => Some(devices::ttl(value).map_err(ApiError::bad_request)?),
    };
    Ok((fields, ttl))
}

/// `{"<service>ServiceUrl": url}` and the catalog's hostmap, as real WDM
/// answers carry them (clients drop both in favour of U2C).
fn services(shared: &Shared) -> (Value, Value) {
    let hostmap = shared.catalog.hostmap(
        &shared.endpoint,
        shared.org.uuid,
        clock::unix_secs(SystemTime::now()),
    );
    let hostmap = serde_json::to_value(hostmap).unwrap_or_default();
    let links = hostmap.get("serviceLinks").cloned().unwrap_or_default();
    let services: Map<String, Value> = links
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, link)| (format!("{name}ServiceUrl"), link.clone()))
        .collect();
    let host_map = json!({
        "serviceLinks": links,
        "hostCatalog": hostmap.get("hostCatalog").cloned().unwrap_or_default(),
    });
    (Value::Object(services), host_map)
}

/// The WDM JSON of a device.
fn device_json(shared: &Shared, device: &Device) -> Value {
    let mut json = device.fields.clone();
    let (services, service_host_map) = services(shared);
    let mut put = |key: &str, value: Value| {
        json.insert(key.to_owned(), value);
    };
    put("url", url(shared, device.uuid).into());
    put("webSocketUrl", web_socket_url(shared, device.uuid).into());
    put("userId", device.owner.to_string().into());
    put("orgId", shared.org.uuid.to_string().into());
    put(
        "creationTime",
        clock::rfc3339_millis(device.created.time).into(),
    );
    put(
        "modificationTime",
        clock::rfc3339_millis(device.modified.time).into(),
    );
    if let Some(ttl) = device.ttl {
        put("ttl", ttl.into());
    }
    put(
        "features",
        json!({"developer": [], "entitlement": [], "user": []}),
    );
    put("services", services);
    put("serviceHostMap", service_host_map);
    Value::Object(json)
}

/// A device answer with its `ETag`, which changes with every refresh.
fn respond(shared: &Shared, device: &Device) -> Response {
    let mut response = Json(device_json(shared, device)).into_response();
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", device.modified.seq)) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

/// Parses the id of a device URL; anything else is an unknown device.
fn parse_id(id: &str) -> Result<Uuid, ApiError> {
    Uuid::try_parse(id).map_err(|_| not_found())
}

/// The answer for unknown (or someone else's, or expired) devices.
fn not_found() -> ApiError {
    ApiError::not_found("Device not found.")
}

/// `POST {wdm}/devices?includeUpstreamServices=...`: registers a device.
async fn register(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(raw): JsonBody,
) -> Result<Response, ApiError> {
    let (fields, ttl) = client_fields(&raw)?;
    let mut data = lock(&state.data);
    if data.devices.at_limit(caller.person) {
        return Err(ApiError::forbidden(EXCESSIVE_REGISTRATIONS));
    }
    let stamp = data.tick();
    let device = Device {
        uuid: Uuid::new_v4(),
        owner: caller.person,
        fields,
        ttl,
        created: stamp,
        modified: stamp,
        expires: devices::expiry(Instant::now(), ttl),
    };
    let response = respond(&state, &device);
    data.devices.insert(device);
    Ok(response)
}

/// `GET {wdm}/devices`: the caller's devices, oldest first, as
/// `{"devices": [...]}`.
async fn list(State(state): State<AppState>, caller: Caller) -> Json<Value> {
    let data = lock(&state.data);
    let devices: Vec<Value> = data
        .devices
        .of_owner(caller.person)
        .into_iter()
        .map(|device| device_json(&state, device))
        .collect();
    Json(json!({ "devices": devices }))
}

/// `GET {wdm}/devices/{uuid}`.
async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let uuid = parse_id(&id)?;
    let data = lock(&state.data);
    let device = data
        .devices
        .owned(uuid, caller.person)
        .ok_or_else(not_found)?;
    Ok(respond(&state, device))
}

/// `PUT {wdm}/devices/{uuid}`: refresh. Takes the client fields it sends
/// (keeping the others) and restarts the `ttl`.
async fn refresh(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Response, ApiError> {
    let uuid = parse_id(&id)?;
    let (fields, ttl) = client_fields(&raw)?;
    let mut data = lock(&state.data);
    data.devices
        .owned(uuid, caller.person)
        .ok_or_else(not_found)?;
    let stamp = data.tick();
    let device = data
        .devices
        .refresh(uuid, caller.person, fields, ttl, stamp)
        .ok_or_else(not_found)?;
    Ok(respond(&state, &device))
}

/// `DELETE {wdm}/devices/{uuid}`: unregister; its websockets close.
async fn unregister(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let uuid = parse_id(&id)?;
    let mut data = lock(&state.data);
    data.devices
        .owned(uuid, caller.person)
        .ok_or_else(not_found)?;
    data.devices.remove(uuid);
    // Its sockets close when the bus is drained, still before any later
    // request can use the device.
    data.post(Envelope {
        audience: Audience::Device(uuid),
        payload: Payload::Close {
            reason: UNREGISTERED,
        },
    });
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_fields_are_checked() {
        let (fields, ttl) = client_fields(
            br#"{"name":"node","deviceType":"WEB","ttl":1800,"url":"ignored","capabilities":{}}"#,
        )
        .unwrap();
        assert_eq!(fields.get("name"), Some(&Value::from("node")));
        assert_eq!(fields.get("url"), None);
        assert!(fields.contains_key("capabilities"));
        assert_eq!(ttl, Some(1800));
        assert_eq!(client_fields(b"{}").unwrap().1, None);
        for bad in [
            r#"{"ttl":0}"#,
            r#"{"ttl":-5}"#,
            r#"{"ttl":"1800"}"#,
            r#"{"ttl":1.5}"#,
            r#"{"ttl":18446744073709551615}"#,
            r#"{"name":3}"#,
            r#"{"capabilities":[]}"#,
            "[]",
            "",
        ] {
            assert!(client_fields(bad.as_bytes()).is_err(), "{bad}");
        }
    }
}
