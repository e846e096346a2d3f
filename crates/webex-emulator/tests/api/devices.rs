//! Device registration (WDM): register, list, get, refresh, unregister.

use hyper::Method;
use serde_json::{Value, json};
use webex_emulator::PersonType;

use crate::client::{Http, decode_id, person, start};

/// The body the JS SDK registers with.
fn js_sdk_body() -> Value {
    json!({
        "name": "node",
        "deviceType": "WEB",
        "model": "web-js-sdk",
        "localizedModel": "webex-js-sdk",
        "systemName": "WEBEX_JS_SDK",
        "systemVersion": "1.0.0",
        "ttl": 1800,
    })
}

/// `POST /wdm/api/v1/devices` as `token` with the JS SDK's body; the reply.
async fn post_registration(http: &Http, token: &str) -> crate::client::Reply {
    http.call(
        Method::POST,
        "/wdm/api/v1/devices?includeUpstreamServices=all",
        token,
        Some(js_sdk_body()),
    )
    .await
}

/// `POST /wdm/api/v1/devices` as `token`; the device.
pub(crate) async fn register(http: &Http, token: &str) -> Value {
    post_registration(http, token).await.ok()
}

/// The uuid at the end of a Hydra person id.
fn person_uuid(id: &str) -> String {
    decode_id(id)
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn register_answers_what_clients_read() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let base = emulator.base_url();
    let reply = post_registration(&http, &alice.access_token).await;
    assert_eq!(reply.status.as_u16(), 200);
    assert!(reply.header("etag").is_some_and(|etag| !etag.is_empty()));
    let device = reply.json();
    let url = device["url"].as_str().expect("url");
    let id = url
        .strip_prefix(&format!("{base}/wdm/api/v1/devices/"))
        .expect("url under the wdm service");
    assert!(uuid::Uuid::try_parse(id).is_ok(), "{id}");
    let host = base.trim_start_matches("http://");
    assert_eq!(
        device["webSocketUrl"],
        format!("ws://{host}/mercury/api/v1/apps/wx2/registrations/{id}/messages")
    );
    assert_eq!(device["userId"], person_uuid(&alice.id));
    assert_eq!(device["deviceType"], "WEB");
    assert_eq!(device["name"], "node");
    assert_eq!(device["model"], "web-js-sdk");
    assert_eq!(device["ttl"], 1800);
    assert_eq!(
        device["features"],
        json!({"developer": [], "entitlement": [], "user": []})
    );
    assert_eq!(device["creationTime"], device["modificationTime"]);
    assert_eq!(device["services"]["hydraServiceUrl"], format!("{base}/v1/"));
    assert_eq!(
        device["serviceHostMap"]["serviceLinks"]["wdm"],
        format!("{base}/wdm/api/v1")
    );
    assert!(device["serviceHostMap"]["hostCatalog"][host].is_array());

    // A token is required, and the body must make sense.
    http.post("/wdm/api/v1/devices", &js_sdk_body().to_string())
        .await
        .assert_webex_error(401);
    for bad in [
        json!({"ttl": "soon"}),
        json!({"ttl": 0}),
        json!({"name": 7}),
    ] {
        http.call(
            Method::POST,
            "/wdm/api/v1/devices",
            &alice.access_token,
            Some(bad),
        )
        .await
        .assert_webex_error(400);
    }
    // Other clients send other fields, or fewer.
    let minimal = http
        .call(
            Method::POST,
            "/wdm/api/v1/devices",
            &alice.access_token,
            Some(json!({"deviceName": "bot", "deviceType": "DESKTOP", "extra": true})),
        )
        .await
        .ok();
    assert_eq!(minimal["deviceName"], "bot");
    assert!(minimal.get("extra").is_none() && minimal.get("ttl").is_none());
}

#[tokio::test]
async fn list_get_refresh_unregister() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let (a, b) = (&alice.access_token, &bob.access_token);
    let first = register(&http, a).await;
    let second = register(&http, a).await;
    let bobs = register(&http, b).await;
    let url = first["url"].as_str().unwrap().to_owned();

    // Only one's own devices, oldest first.
    let list = http
        .call(Method::GET, "/wdm/api/v1/devices", a, None)
        .await
        .ok();
    let urls: Vec<&Value> = list["devices"]
        .as_array()
        .expect("devices")
        .iter()
        .map(|device| &device["url"])
        .collect();
    assert_eq!(urls, vec![&first["url"], &second["url"]]);
    assert_eq!(http.call(Method::GET, &url, a, None).await.ok(), first);
    http.call(Method::GET, &url, b, None)
        .await
        .assert_webex_error(404);
    http.call(Method::GET, bobs["url"].as_str().unwrap(), a, None)
        .await
        .assert_webex_error(404);

    // Refresh: the JS SDK sends its whole device back, with If-None-Match.
    let etag = http
        .call(Method::GET, &url, a, None)
        .await
        .header("etag")
        .map(str::to_owned)
        .expect("etag");
    let mut body = first.clone();
    body["name"] = "renamed".into();
    body["ttl"] = 900.into();
    let auth = format!("Bearer {a}");
    let reply = http
        .send(
            Method::PUT,
            &format!("{url}?includeUpstreamServices=all"),
            &[("authorization", &auth), ("if-none-match", &etag)],
            Some(&body.to_string()),
        )
        .await
        .expect("PUT");
    let refreshed = reply.ok();
    assert_ne!(reply.header("etag"), Some(etag.as_str()));
    assert_eq!(refreshed["url"], first["url"]);
    assert_eq!(refreshed["webSocketUrl"], first["webSocketUrl"]);
    assert_eq!(refreshed["name"], "renamed");
    assert_eq!(refreshed["model"], "web-js-sdk");
    assert_eq!(refreshed["ttl"], 900);
    assert_eq!(refreshed["creationTime"], first["creationTime"]);
    assert_ne!(refreshed["modificationTime"], first["modificationTime"]);
    http.call(Method::PUT, &url, b, Some(json!({})))
        .await
        .assert_webex_error(404);

    // Unregister: gone for every method; the other device stays.
    http.call(Method::DELETE, &url, b, None)
        .await
        .assert_webex_error(404);
    let deleted = http.call(Method::DELETE, &url, a, None).await;
    assert_eq!(deleted.status.as_u16(), 204);
    for method in [Method::GET, Method::DELETE] {
        http.call(method, &url, a, None)
            .await
            .assert_webex_error(404);
    }
    // A 404 on refresh is what makes the JS SDK register anew.
    http.call(Method::PUT, &url, a, Some(body))
        .await
        .assert_webex_error(404);
    let list = http
        .call(Method::GET, "/wdm/api/v1/devices", a, None)
        .await
        .ok();
    assert_eq!(list["devices"].as_array().map(Vec::len), Some(1));
    http.call(Method::GET, "/wdm/api/v1/devices/not-a-uuid", a, None)
        .await
        .assert_webex_error(404);
}

#[tokio::test(start_paused = true)]
async fn a_device_not_refreshed_within_its_ttl_expires() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let a = &alice.access_token;
    let device = register(&http, a).await;
    let url = device["url"].as_str().unwrap();
    let refresh = |body: Value| http.call(Method::PUT, url, a, Some(body));

    // Refreshed just before the 1800 s run out, it lives another 1800 s from then.
    tokio::time::sleep(std::time::Duration::from_secs(1799)).await;
    assert_eq!(refresh(js_sdk_body()).await.status.as_u16(), 200);
    tokio::time::sleep(std::time::Duration::from_secs(1799)).await;
    assert_eq!(emulator.devices(&alice.id).len(), 1);
    assert_eq!(
        http.call(Method::GET, url, a, None).await.status.as_u16(),
        200
    );

    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(
        http.call(Method::GET, url, a, None).await.status.as_u16(),
        404
    );
    assert_eq!(refresh(js_sdk_body()).await.status.as_u16(), 404);
    assert!(emulator.devices(&alice.id).is_empty());

    // Without a ttl, a device never expires.
    let mut persistent = js_sdk_body();
    persistent.as_object_mut().unwrap().remove("ttl");
    http.call(Method::POST, "/wdm/api/v1/devices", a, Some(persistent))
        .await
        .ok();
    tokio::time::sleep(std::time::Duration::from_secs(10 * 86_400)).await;
    assert_eq!(emulator.devices(&alice.id).len(), 1);
    // Unless an admin says so.
    assert_eq!(emulator.expire_devices(Some(&alice.id)), 1);
    assert!(emulator.devices(&alice.id).is_empty());
}

#[tokio::test]
async fn the_device_limit_is_answered_with_the_wdm_error() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let admin = http
        .call(
            Method::POST,
            "/_emulator/devices/limit",
            "",
            Some(json!({"limit": 2})),
        )
        .await;
    assert_eq!(admin.status.as_u16(), 204);
    let first = register(&http, &alice.access_token).await;
    register(&http, &alice.access_token).await;

    let refused = post_registration(&http, &alice.access_token).await;
    assert_eq!(refused.status.as_u16(), 403);
    let body = refused.json();
    assert_eq!(body["message"], "User has excessive device registrations");
    assert!(body["trackingId"].as_str().is_some_and(|t| !t.is_empty()));
    // The limit is per user, and counts live devices only.
    register(&http, &bob.access_token).await;
    let url = first["url"].as_str().unwrap();
    let deleted = http
        .call(Method::DELETE, url, &alice.access_token, None)
        .await;
    assert_eq!(deleted.status.as_u16(), 204);
    register(&http, &alice.access_token).await;

    let listed = http
        .call(
            Method::GET,
            &format!("/_emulator/devices?personId={}", alice.id),
            "",
            None,
        )
        .await
        .ok();
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["personId"], alice.id.as_str());
    assert_eq!(items[0]["name"], "node");
    assert_eq!(items[0]["ttl"], 1800);
    assert_eq!(emulator.devices(&alice.id).len(), 2);
    assert_eq!(emulator.devices(&bob.id).len(), 1);

    let expired = http
        .call(
            Method::POST,
            "/_emulator/devices/expire",
            "",
            Some(json!({"personId": alice.id})),
        )
        .await
        .ok();
    assert_eq!(expired["devices"], 2);
    assert!(emulator.devices(&alice.id).is_empty());
    assert_eq!(emulator.devices(&bob.id).len(), 1);

    for bad in [
        json!({"limit": 0}),
        json!({"limit": "2"}),
        json!({"max": 2}),
    ] {
        let reply = http
            .call(Method::POST, "/_emulator/devices/limit", "", Some(bad))
            .await;
        assert_eq!(reply.status.as_u16(), 400);
    }
}
