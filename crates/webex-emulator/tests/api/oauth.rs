//! The idbroker's OAuth flows over raw HTTP, as the JS SDK and
//! webexpythonsdk send them: the authorize page and its form, the code
//! exchange with PKCE, refresh (kept or rotated), expiry, revocation.
//! Shared helpers for the other `oauth_*` modules live here.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use bytes::Bytes;
use hyper::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use url::Url;

use crate::client::{Http, Reply, alice, start};

/// Where the test integration says it lives; never contacted.
pub(crate) const REDIRECT: &str = "http://127.0.0.1:9/callback";

/// The RFC 7636 example verifier and its S256 challenge.
pub(crate) const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub(crate) const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// A registered client's credentials.
pub(crate) struct Client {
    pub(crate) id: String,
    pub(crate) secret: String,
}

/// Registers a client through the admin API with `extra` fields.
pub(crate) async fn register(http: &Http, extra: Value) -> Client {
    let mut body = json!({"redirectUris": [REDIRECT], "scopes": ["spark:all", "spark:kms"]});
    for (key, value) in extra.as_object().cloned().unwrap_or_default() {
        body[key] = value;
    }
    let reply = http
        .post("/_emulator/oauth/clients", &body.to_string())
        .await;
    assert_eq!(reply.status.as_u16(), 201, "{:?}", reply.body);
    let created = reply.json();
    let keys: Vec<&String> = created.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["clientId", "clientSecret"]);
    Client {
        id: created["clientId"].as_str().unwrap().to_owned(),
        secret: created["clientSecret"].as_str().unwrap().to_owned(),
    }
}

/// `POST` of form fields, with extra headers.
pub(crate) async fn post_form(
    http: &Http,
    path: &str,
    headers: &[(&str, &str)],
    fields: &[(&str, &str)],
) -> Reply {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let mut all = headers.to_vec();
    all.push(("content-type", "application/x-www-form-urlencoded"));
    http.send_bytes(Method::POST, path, &all, Bytes::from(body))
        .await
        .expect("POST form")
}

/// `Authorization: Basic` for `client`, as the JS SDK sends it.
pub(crate) fn basic(client: &Client) -> String {
    format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", client.id, client.secret))
    )
}

/// The authorize query the JS SDK's first-party plugin builds.
pub(crate) fn authorize_query(
    client: &Client,
    response_type: &str,
    extra: &[(&str, &str)],
) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", response_type)
        .append_pair("client_id", &client.id)
        .append_pair("redirect_uri", REDIRECT)
        .append_pair("scope", "spark:all spark:kms")
        .extend_pairs(extra)
        .finish()
}

/// The hidden and named inputs of the page's form.
pub(crate) fn form_fields(html: &str) -> Vec<(String, String)> {
    let unescape = |text: &str| {
        text.replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    };
    html.split("<input type=\"hidden\" ")
        .skip(1)
        .filter_map(|rest| {
            let name = rest.strip_prefix("name=\"")?.split('"').next()?;
            let value = rest.split("value=\"").nth(1)?.split('"').next()?;
            Some((name.to_owned(), unescape(value)))
        })
        .collect()
}

/// The `Location` of a 302.
pub(crate) fn location(reply: &Reply) -> Url {
    assert_eq!(reply.status.as_u16(), 302, "{:?}", reply.body);
    Url::parse(reply.header("location").expect("location")).expect("absolute location")
}

/// One query (or fragment) parameter of `url`.
pub(crate) fn param(pairs: &str, name: &str) -> Option<String> {
    url::form_urlencoded::parse(pairs.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// Opens the authorize page for `query` and submits its form as `email`
/// with `consent`; the response to the form.
pub(crate) async fn sign_in(http: &Http, query: &str, email: &str, consent: &str) -> Reply {
    let page = http.get(&format!("/idb/oauth2/v1/authorize?{query}")).await;
    assert_eq!(page.status.as_u16(), 200, "{:?}", page.body);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let html = String::from_utf8(page.body.to_vec()).unwrap();
    assert!(
        html.contains("<form id=\"consent\" method=\"post\" action=\"/idb/oauth2/v1/authorize\">")
    );
    let mut fields = form_fields(&html);
    fields.push(("email".to_owned(), email.to_owned()));
    fields.push(("consent".to_owned(), consent.to_owned()));
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    post_form(http, "/idb/oauth2/v1/authorize", &[], &pairs).await
}

/// A code for `email`, from the whole page flow with a PKCE challenge.
pub(crate) async fn code_for(http: &Http, client: &Client, email: &str) -> String {
    let query = authorize_query(
        client,
        "code",
        &[
            ("state", "s1"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
    );
    let redirected = location(&sign_in(http, &query, email, "accept").await);
    param(redirected.query().unwrap_or_default(), "code").expect("code")
}

/// Exchanges `code` with Basic auth (the JS SDK's request).
pub(crate) async fn exchange(http: &Http, client: &Client, code: &str, verifier: &str) -> Reply {
    post_form(
        http,
        "/idb/oauth2/v1/access_token",
        &[("authorization", &basic(client))],
        &[
            ("grant_type", "authorization_code"),
            ("redirect_uri", REDIRECT),
            ("code", code),
            ("self_contained_token", "true"),
            ("code_verifier", verifier),
        ],
    )
    .await
}

/// Refreshes with Basic auth (the JS SDK's request).
pub(crate) async fn refresh(http: &Http, client: &Client, refresh_token: &str) -> Reply {
    post_form(
        http,
        "/idb/oauth2/v1/access_token",
        &[("authorization", &basic(client))],
        &[
            ("grant_type", "refresh_token"),
            ("redirect_uri", REDIRECT),
            ("refresh_token", refresh_token),
        ],
    )
    .await
}

/// Asserts an OAuth error body with `status` and `error`; its description.
pub(crate) fn assert_oauth_error(reply: &Reply, status: u16, error: &str) -> String {
    assert_eq!(reply.status.as_u16(), status, "{:?}", reply.body);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let body = reply.json();
    assert_eq!(body["error"], error, "{body}");
    assert_eq!(body["trackingID"].as_str(), reply.header("trackingid"));
    body["error_description"]
        .as_str()
        .expect("description")
        .to_owned()
}

/// The Hydra person id `token` acts as, or the status it got.
pub(crate) async fn me(http: &Http, token: &str) -> Result<String, u16> {
    let reply = http.get_auth("/v1/people/me", token).await;
    if reply.status.is_success() {
        Ok(reply.json()["id"].as_str().unwrap().to_owned())
    } else {
        reply.assert_webex_error(401);
        Err(reply.status.as_u16())
    }
}

#[tokio::test]
async fn the_code_flow_with_pkce_gives_tokens_that_act_as_the_person() {
    let (emulator, http) = start().await;
    let alice = alice(&emulator);
    let client = register(&http, json!({})).await;

    // The public API's authorize URL forwards to idbroker's page.
    let query = authorize_query(
        &client,
        "code",
        &[
            ("state", "eyJjc3JmX3Rva2VuIjoiMSJ9"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
            ("emailHash", "ignored"),
        ],
    );
    let forwarded = http.get(&format!("/v1/authorize?{query}")).await;
    assert_eq!(forwarded.status.as_u16(), 302);
    assert_eq!(
        forwarded.header("location"),
        Some(format!("{}/idb/oauth2/v1/authorize?{query}", emulator.base_url()).as_str())
    );

    let answer = sign_in(&http, &query, "alice@example.com", "accept").await;
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    let redirected = location(&answer);
    assert_eq!(
        format!(
            "{}://{}{}",
            redirected.scheme(),
            redirected.authority(),
            redirected.path()
        ),
        REDIRECT
    );
    let query_back = redirected.query().unwrap();
    assert_eq!(
        param(query_back, "state").as_deref(),
        Some("eyJjc3JmX3Rva2VuIjoiMSJ9")
    );
    let code = param(query_back, "code").unwrap();
    assert_eq!(code.split('_').count(), 3, "codes look like real ones");

    let tokens = exchange(&http, &client, &code, VERIFIER).await;
    assert_eq!(tokens.header("cache-control"), Some("no-store"));
    let body = tokens.ok();
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "access_token",
            "expires_in",
            "refresh_token",
            "refresh_token_expires_in",
            "token_type"
        ]
    );
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 1_209_600);
    assert_eq!(body["refresh_token_expires_in"], 7_776_000);
    let access = body["access_token"].as_str().unwrap();
    assert_eq!(access.split('_').count(), 3);
    assert_eq!(me(&http, access).await, Ok(alice.id.clone()));
    // The token works on the other services too (WDM here).
    let devices = http
        .call(Method::GET, "/wdm/api/v1/devices", access, None)
        .await;
    assert_eq!(devices.status.as_u16(), 200);

    // A code is single use: a replay fails and revokes what it granted.
    let replay = exchange(&http, &client, &code, VERIFIER).await;
    assert!(assert_oauth_error(&replay, 400, "invalid_grant").contains("already used"));
    assert_eq!(me(&http, access).await, Err(401));
    let refreshed = refresh(&http, &client, body["refresh_token"].as_str().unwrap()).await;
    assert_oauth_error(&refreshed, 400, "invalid_grant");
}

#[tokio::test]
async fn a_pkce_verifier_mismatch_is_rejected() {
    let (emulator, http) = start().await;
    alice(&emulator);
    let client = register(&http, json!({})).await;

    let code = code_for(&http, &client, "alice@example.com").await;
    let wrong = URL_SAFE_NO_PAD.encode(Sha256::digest(b"another verifier"));
    let reply = exchange(&http, &client, &code, &wrong).await;
    assert!(assert_oauth_error(&reply, 400, "invalid_grant").contains("code_verifier"));
    // The failed exchange used the code up.
    let retry = exchange(&http, &client, &code, VERIFIER).await;
    assert_oauth_error(&retry, 400, "invalid_grant");

    // Without a verifier, too.
    let code = code_for(&http, &client, "alice@example.com").await;
    let missing = post_form(
        &http,
        "/idb/oauth2/v1/access_token",
        &[("authorization", &basic(&client))],
        &[
            ("grant_type", "authorization_code"),
            ("redirect_uri", REDIRECT),
            ("code", &code),
        ],
    )
    .await;
    assert!(
        assert_oauth_error(&missing, 400, "invalid_grant").contains("code_verifier is required")
    );

    // Only S256: `plain` goes back to the client as an error, with the state.
    let plain = authorize_query(
        &client,
        "code",
        &[
            ("state", "s2"),
            ("code_challenge", VERIFIER),
            ("code_challenge_method", "plain"),
        ],
    );
    let refused = location(&http.get(&format!("/idb/oauth2/v1/authorize?{plain}")).await);
    let query = refused.query().unwrap();
    assert_eq!(param(query, "error").as_deref(), Some("invalid_request"));
    assert_eq!(param(query, "state").as_deref(), Some("s2"));
}

#[tokio::test]
async fn a_code_is_bound_to_its_client_and_redirect_uri() {
    let (emulator, http) = start().await;
    alice(&emulator);
    let client = register(&http, json!({})).await;
    let other = register(&http, json!({})).await;

    let code = code_for(&http, &client, "alice@example.com").await;
    let stolen = exchange(&http, &other, &code, VERIFIER).await;
    assert!(assert_oauth_error(&stolen, 400, "invalid_grant").contains("another client"));

    let code = code_for(&http, &client, "alice@example.com").await;
    let elsewhere = post_form(
        &http,
        "/idb/oauth2/v1/access_token",
        &[("authorization", &basic(&client))],
        &[
            ("grant_type", "authorization_code"),
            ("redirect_uri", "http://127.0.0.1:9/other"),
            ("code", &code),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert!(assert_oauth_error(&elsewhere, 400, "invalid_grant").contains("redirect_uri"));
}

#[tokio::test]
async fn refresh_keeps_the_refresh_token_unless_the_client_rotates() {
    let (emulator, http) = start().await;
    let alice = alice(&emulator);

    // Webex's behaviour: the same refresh token, a new access token.
    let client = register(&http, json!({})).await;
    let code = code_for(&http, &client, "alice@example.com").await;
    let first = exchange(&http, &client, &code, VERIFIER).await.ok();
    let refresh_token = first["refresh_token"].as_str().unwrap();
    let second = refresh(&http, &client, refresh_token).await.ok();
    assert_ne!(second["access_token"], first["access_token"]);
    assert_eq!(second["refresh_token"], refresh_token);
    assert_eq!(second["token_type"], "Bearer");
    let third = refresh(&http, &client, refresh_token).await.ok();
    assert_ne!(third["access_token"], second["access_token"]);
    // Earlier access tokens live on until they expire.
    for token in [&first, &second, &third] {
        assert_eq!(
            me(&http, token["access_token"].as_str().unwrap()).await,
            Ok(alice.id.clone())
        );
    }

    // webexpythonsdk's request: form credentials at the public API's path.
    let python = post_form(
        &http,
        "/v1/access_token",
        &[],
        &[
            ("grant_type", "refresh_token"),
            ("client_id", &client.id),
            ("client_secret", &client.secret),
            ("refresh_token", refresh_token),
        ],
    )
    .await
    .ok();
    assert_eq!(python["refresh_token"], refresh_token);

    // A rotating client: every refresh retires the refresh token it used.
    let rotating = register(&http, json!({"rotateRefreshTokens": true})).await;
    let code = code_for(&http, &rotating, "alice@example.com").await;
    let first = exchange(&http, &rotating, &code, VERIFIER).await.ok();
    let old = first["refresh_token"].as_str().unwrap();
    let second = refresh(&http, &rotating, old).await.ok();
    let new = second["refresh_token"].as_str().unwrap();
    assert_ne!(new, old);
    let reused = refresh(&http, &rotating, old).await;
    assert_eq!(
        assert_oauth_error(&reused, 400, "invalid_grant"),
        "The refresh token provided is expired, revoked, malformed, or invalid."
    );
    assert!(refresh(&http, &rotating, new).await.status.is_success());

    // A refresh token works only for its own client.
    let foreign = refresh(&http, &client, new).await;
    assert_oauth_error(&foreign, 400, "invalid_grant");

    // The identity broker's other observed answer, on request.
    let old_style = register(&http, json!({"refreshTokenError": "invalid_request"})).await;
    let code = code_for(&http, &old_style, "alice@example.com").await;
    let tokens = exchange(&http, &old_style, &code, VERIFIER).await.ok();
    assert!(emulator.expire_token(tokens["refresh_token"].as_str().unwrap()));
    let expired = refresh(&http, &old_style, tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(
        assert_oauth_error(&expired, 400, "invalid_request"),
        "The refresh token provided is expired, revoked, malformed, or invalid."
    );
}

#[tokio::test(start_paused = true)]
async fn tokens_expire_on_the_emulators_clock() {
    let (emulator, http) = start().await;
    let alice = alice(&emulator);
    let client = register(
        &http,
        json!({"accessTokenLifetimeSecs": 60, "refreshTokenLifetimeSecs": 300}),
    )
    .await;
    let code = code_for(&http, &client, "alice@example.com").await;
    let tokens = exchange(&http, &client, &code, VERIFIER).await.ok();
    assert_eq!(tokens["expires_in"], 60);
    assert_eq!(tokens["refresh_token_expires_in"], 300);
    let access = tokens["access_token"].as_str().unwrap();
    let refresh_token = tokens["refresh_token"].as_str().unwrap();

    tokio::time::sleep(Duration::from_secs(59)).await;
    assert_eq!(me(&http, access).await, Ok(alice.id.clone()));
    tokio::time::sleep(Duration::from_secs(1)).await;
    // Expired: the Webex 401 everywhere, Hydra and WDM alike.
    assert_eq!(me(&http, access).await, Err(401));
    http.call(Method::GET, "/wdm/api/v1/devices", access, None)
        .await
        .assert_webex_error(401);

    // Each use of the refresh token restarts its 300 s.
    tokio::time::sleep(Duration::from_secs(200)).await;
    let renewed = refresh(&http, &client, refresh_token).await.ok();
    assert_eq!(
        me(&http, renewed["access_token"].as_str().unwrap()).await,
        Ok(alice.id.clone())
    );
    tokio::time::sleep(Duration::from_secs(299)).await;
    assert!(
        refresh(&http, &client, refresh_token)
            .await
            .status
            .is_success()
    );
    tokio::time::sleep(Duration::from_secs(300)).await;
    let late = refresh(&http, &client, refresh_token).await;
    assert_oauth_error(&late, 400, "invalid_grant");

    // An authorization code lives five minutes.
    let code = code_for(&http, &client, "alice@example.com").await;
    tokio::time::sleep(Duration::from_secs(301)).await;
    let stale = exchange(&http, &client, &code, VERIFIER).await;
    assert!(assert_oauth_error(&stale, 400, "invalid_grant").contains("expired"));
}

#[tokio::test]
async fn the_admin_api_makes_tokens_expire_now() {
    let (emulator, http) = start().await;
    alice(&emulator);
    let client = register(&http, json!({})).await;
    let code = code_for(&http, &client, "alice@example.com").await;
    let tokens = exchange(&http, &client, &code, VERIFIER).await.ok();
    let access = tokens["access_token"].as_str().unwrap();
    let refresh_token = tokens["refresh_token"].as_str().unwrap();

    let expired = http
        .post(
            "/_emulator/oauth/expire",
            &json!({"token": access}).to_string(),
        )
        .await;
    assert_eq!(expired.ok(), json!({"expired": true}));
    assert_eq!(me(&http, access).await, Err(401));
    // The refresh token still gets a new access token.
    let renewed = refresh(&http, &client, refresh_token).await.ok();
    assert!(
        me(&http, renewed["access_token"].as_str().unwrap())
            .await
            .is_ok()
    );

    assert!(emulator.expire_token(refresh_token));
    assert_oauth_error(
        &refresh(&http, &client, refresh_token).await,
        400,
        "invalid_grant",
    );
    assert!(!emulator.expire_token("unknown"));

    // The token endpoint's log: what was asked, never a token.
    let log = http.get("/_emulator/oauth/token-requests").await.ok();
    let seen: Vec<(&str, u64, Option<&str>)> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            assert_eq!(item["clientId"], client.id.as_str());
            (
                item["grantType"].as_str().unwrap(),
                item["status"].as_u64().unwrap(),
                item["error"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("authorization_code", 200, None),
            ("refresh_token", 200, None),
            ("refresh_token", 400, Some("invalid_grant")),
        ]
    );
    assert_eq!(emulator.oauth_token_requests().len(), 3);
    assert!(!log.to_string().contains(refresh_token));
    let unknown = http
        .post(
            "/_emulator/oauth/expire",
            &json!({"token": "x"}).to_string(),
        )
        .await;
    assert_eq!(unknown.ok(), json!({"expired": false}));
    http.post("/_emulator/oauth/expire", "{}")
        .await
        .assert_webex_error(400);
}

#[tokio::test]
async fn revocation_ends_tokens_and_grants() {
    let (emulator, http) = start().await;
    alice(&emulator);
    let client = register(&http, json!({})).await;
    let other = register(&http, json!({})).await;
    let code = code_for(&http, &client, "alice@example.com").await;
    let first = exchange(&http, &client, &code, VERIFIER).await.ok();
    let refresh_token = first["refresh_token"].as_str().unwrap();
    let second = refresh(&http, &client, refresh_token).await.ok();
    let (a1, a2) = (
        first["access_token"].as_str().unwrap(),
        second["access_token"].as_str().unwrap(),
    );

    // The JS SDK revokes a superseded access token after a refresh.
    let revoke = |client: &Client, token: &str| {
        let auth = basic(client);
        let token = token.to_owned();
        let http = &http;
        async move {
            post_form(
                http,
                "/idb/oauth2/v1/revoke",
                &[("authorization", &auth)],
                &[("token", &token), ("token_type_hint", "access_token")],
            )
            .await
        }
    };
    // Another client's revocation is answered 200 and changes nothing.
    assert_eq!(revoke(&other, a1).await.status.as_u16(), 200);
    assert!(me(&http, a1).await.is_ok());
    assert_eq!(revoke(&client, a1).await.status.as_u16(), 200);
    assert_eq!(me(&http, a1).await, Err(401));
    assert!(me(&http, a2).await.is_ok());
    // Unknown tokens are fine too (RFC 7009).
    assert_eq!(revoke(&client, "unknown").await.status.as_u16(), 200);
    // Revocation needs client authentication.
    let anonymous = post_form(&http, "/idb/oauth2/v1/revoke", &[], &[("token", a2)]).await;
    assert_oauth_error(&anonymous, 401, "invalid_client");

    // Revoking the refresh token ends the grant with all its access tokens.
    assert_eq!(revoke(&client, refresh_token).await.status.as_u16(), 200);
    assert_eq!(me(&http, a2).await, Err(401));
    assert_oauth_error(
        &refresh(&http, &client, refresh_token).await,
        400,
        "invalid_grant",
    );

    // The JS SDK's Node logout: JSON {token, cisService}, no client auth.
    let code = code_for(&http, &client, "alice@example.com").await;
    let tokens = exchange(&http, &client, &code, VERIFIER).await.ok();
    let logout = http
        .post(
            "/idb/oauth2/v1/logout",
            &json!({"token": tokens["refresh_token"]}).to_string(),
        )
        .await;
    assert_eq!(logout.status.as_u16(), 204);
    assert_eq!(
        me(&http, tokens["access_token"].as_str().unwrap()).await,
        Err(401)
    );
    let empty = http.post("/idb/oauth2/v1/logout", "{}").await;
    assert_oauth_error(&empty, 400, "invalid_request");
}

#[tokio::test]
async fn the_implicit_grant_answers_in_the_fragment() {
    let (emulator, http) = start().await;
    let alice = alice(&emulator);
    let client = register(&http, json!({})).await;
    let query = authorize_query(&client, "token", &[("state", "abc")]);
    let redirected = location(&sign_in(&http, &query, "alice@example.com", "accept").await);
    assert_eq!(redirected.query(), None);
    let fragment = redirected.fragment().expect("fragment");
    assert_eq!(param(fragment, "token_type").as_deref(), Some("Bearer"));
    assert_eq!(param(fragment, "expires_in").as_deref(), Some("1209600"));
    assert_eq!(
        param(fragment, "refresh_token_expires_in").as_deref(),
        Some("7776000")
    );
    assert_eq!(param(fragment, "state").as_deref(), Some("abc"));
    assert!(param(fragment, "refresh_token").is_some());
    let access = param(fragment, "access_token").unwrap();
    assert_eq!(me(&http, &access).await, Ok(alice.id));
}

#[tokio::test]
async fn the_catalog_points_clients_at_the_idbroker() {
    let (emulator, http) = start().await;
    let catalog = http
        .get("/u2c/api/v1/limited/catalog?format=hostmap&orgId=x")
        .await
        .ok();
    let idbroker = catalog["serviceLinks"]["idbroker"].as_str().unwrap();
    assert_eq!(idbroker, format!("{}/", emulator.base_url()));
    // The JS SDK's token URL: `{idbroker}idb/oauth2/v1/access_token`.
    let reply = post_form(
        &http,
        &format!("{idbroker}idb/oauth2/v1/access_token"),
        &[],
        &[("grant_type", "refresh_token")],
    )
    .await;
    assert_oauth_error(&reply, 401, "invalid_client");
}

#[tokio::test]
async fn an_oauth_token_acts_as_its_person_on_every_service_until_it_expires() {
    let (emulator, http) = start().await;
    let alice = alice(&emulator);
    let client = register(&http, json!({})).await;
    let code = code_for(&http, &client, "alice@example.com").await;
    let tokens = exchange(&http, &client, &code, VERIFIER).await.ok();
    let access = tokens["access_token"].as_str().unwrap();

    // Hydra: a room and a message by Alice.
    let room = crate::client::create_room(&http, access, "Signed in").await;
    let message =
        crate::client::post_message(&http, access, json!({"roomId": room["id"], "text": "hi"}))
            .await;
    assert_eq!(message["personId"], alice.id.as_str());
    // WDM and Mercury: a device and an authorized socket.
    let device = crate::devices::register(&http, access).await;
    drop(crate::mercury::connected(&http, access).await);

    // Once expired, Mercury refuses it like an unknown token.
    assert!(emulator.expire_token(access));
    let mut socket = crate::mercury::open(&device).await;
    crate::mercury::authorize(&mut socket, access).await;
    assert_eq!(crate::mercury::closed(&mut socket).await.0, 4401);
    http.call(Method::GET, "/v1/rooms", access, None)
        .await
        .assert_webex_error(401);
}
