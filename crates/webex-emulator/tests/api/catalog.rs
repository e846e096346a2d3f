//! The U2C catalog, admin catalog hosts and the metrics sink.

use serde_json::json;
use webex_emulator::CatalogHost;

use crate::client::{alice, start};

#[tokio::test]
async fn limited_catalog_needs_no_auth_but_a_key() {
    let (emulator, http) = start().await;
    let port = emulator.local_addr().port();
    let base = emulator.base_url();
    assert_eq!(base, format!("http://127.0.0.1:{port}"));

    let reply = http
        .get("/u2c/api/v1/limited/catalog?orgId=whatever&format=hostmap")
        .await;
    assert_eq!(reply.status, 200);
    let catalog = reply.json();
    let links = &catalog["serviceLinks"];
    assert_eq!(links["hydra"], format!("{base}/v1/"));
    assert_eq!(links["u2c"], format!("{base}/u2c/api/v1"));
    assert_eq!(links["wdm"], format!("{base}/wdm/api/v1"));
    assert_eq!(links["metrics"], format!("{base}/metrics/api/v1"));
    assert_eq!(links["conversation"], format!("{base}/conversation/api/v1"));
    assert_eq!(links["encryption"], format!("{base}/encryption/api/v1"));
    assert_eq!(links["locus"], format!("{base}/locus/api/v1"));
    assert_eq!(links["idbroker"], format!("{base}/"));
    assert_eq!(links["identity"], format!("{base}/"));
    assert_eq!(
        links["identityLookup"],
        format!("http://localhost:{port}/conversation/api/v1")
    );
    assert_eq!(
        catalog["hostCatalog"][format!("127.0.0.1:{port}")],
        json!([{"host": "127.0.0.1", "ttl": -1, "priority": 5,
                "id": "urn:TEAM:us-east-2_a:conversation"}])
    );
    assert_eq!(
        catalog["hostCatalog"][format!("localhost:{port}")][0]["id"],
        "urn:TEAM:us-east-2_a:identityLookup"
    );
    assert_eq!(catalog["format"], "hostmap");
    assert!(
        catalog["timestamp"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .is_ok()
    );
    assert!(catalog["orgId"].is_string());

    for key in ["emailhash=abc", "userId=u", "mode=DEFAULT_BY_PROXIMITY"] {
        let reply = http
            .get(&format!("/u2c/api/v1/limited/catalog?format=hostmap&{key}"))
            .await;
        assert_eq!(reply.status, 200, "{key}");
    }

    http.get("/u2c/api/v1/limited/catalog?format=hostmap")
        .await
        .assert_webex_error(400);
    http.get("/u2c/api/v1/limited/catalog?format=U2CV2&orgId=x")
        .await
        .assert_webex_error(400);
}

#[tokio::test]
async fn full_catalog_needs_auth() {
    let (emulator, http) = start().await;
    let alice = alice(&emulator);
    http.get("/u2c/api/v1/catalog?format=hostmap")
        .await
        .assert_webex_error(401);
    let reply = http
        .get_auth("/u2c/api/v1/catalog?format=hostmap", &alice.access_token)
        .await;
    assert_eq!(reply.status, 200);
    let catalog = reply.json();
    assert!(catalog["serviceLinks"].is_object());
    assert!(catalog["hostCatalog"].is_object());
    assert_eq!(emulator.request_count("/u2c/api/v1/catalog"), 2);
}

#[tokio::test]
async fn admin_catalog_hosts_are_listed_and_reset() {
    let (emulator, http) = start().await;
    let key = format!("127.0.0.1:{}", emulator.local_addr().port());
    let path = "/u2c/api/v1/limited/catalog?format=hostmap&orgId=x";

    let reply = http
        .post(
            "/_emulator/catalog/hosts",
            r#"{"host":"127.0.0.2","priority":1}"#,
        )
        .await;
    assert_eq!(reply.status, 204);
    emulator.add_catalog_host(CatalogHost {
        host: "127.0.0.3".into(),
        priority: 2,
    });
    let hosts = http.get(path).await.json()["hostCatalog"][&key].clone();
    assert_eq!(
        hosts,
        json!([
            {"host": "127.0.0.1", "ttl": -1, "priority": 5, "id": "urn:TEAM:us-east-2_a:conversation"},
            {"host": "127.0.0.2", "ttl": -1, "priority": 1, "id": "urn:TEAM:us-east-2_a:conversation"},
            {"host": "127.0.0.3", "ttl": -1, "priority": 2, "id": "urn:TEAM:us-east-2_a:conversation"},
        ])
    );

    http.post(
        "/_emulator/catalog/hosts",
        r#"{"host":"http://x/","priority":1}"#,
    )
    .await
    .assert_webex_error(400);
    http.post("/_emulator/catalog/hosts", r#"{"host":"x"}"#)
        .await
        .assert_webex_error(400);

    assert_eq!(http.delete("/_emulator/catalog/hosts").await.status, 204);
    let hosts = http.get(path).await.json()["hostCatalog"][&key].clone();
    assert_eq!(hosts.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn metrics_are_accepted() {
    let (emulator, http) = start().await;
    for path in [
        "/metrics/api/v1/clientmetrics",
        "/metrics/api/v1/clientmetrics-prelogin",
    ] {
        let reply = http.post(path, r#"{"metrics":[]}"#).await;
        assert_eq!(reply.status, 204);
        assert!(reply.body.is_empty());
    }
    assert_eq!(emulator.request_count("/metrics/"), 2);
}
