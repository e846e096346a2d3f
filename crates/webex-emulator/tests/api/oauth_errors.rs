//! Bad OAuth input gets the identity broker's errors, never a panic: the
//! authorize page's refusals (a page, or a redirect with `error=`), the
//! token endpoint's `{"error", "error_description"}` bodies, and the admin
//! API's Webex errors.

use bytes::Bytes;
use hyper::Method;
use serde_json::json;

use webex_emulator::PersonType;

use crate::client::{alice, person, start};
use crate::oauth::{
    REDIRECT, assert_oauth_error, authorize_query, basic, code_for, location, param, post_form,
    register, sign_in,
};

#[tokio::test]
async fn the_authorize_page_refuses_like_the_identity_broker() {
    let (emulator, http) = start().await;
    alice(&emulator);
    person(&emulator, "bot@example.com", PersonType::Bot);
    let client = register(&http, json!({})).await;

    // Unknown client or redirect URI: an error page, no redirect.
    for query in [
        "response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&scope=spark%3Aall"
            .to_owned(),
        format!("response_type=code&client_id=Cunknown&redirect_uri={REDIRECT}&scope=spark:all"),
        format!(
            "response_type=code&client_id={}&redirect_uri=http%3A%2F%2Fevil.example%2Fcb&scope=spark:all",
            client.id
        ),
        format!("response_type=code&client_id={}&scope=spark:all", client.id),
    ] {
        let reply = http.get(&format!("/idb/oauth2/v1/authorize?{query}")).await;
        assert_eq!(reply.status.as_u16(), 400, "{query}");
        assert!(
            reply
                .header("content-type")
                .unwrap()
                .starts_with("text/html")
        );
        assert!(reply.header("location").is_none());
        let html = String::from_utf8_lossy(&reply.body).into_owned();
        assert!(html.contains("id=\"error\""), "{html}");
    }

    // Anything else goes back to the client, with the state.
    for (extra, error) in [
        (
            vec![
                ("response_type", "code"),
                ("scope", "spark:all admin:everything"),
            ],
            "invalid_scope",
        ),
        (
            vec![("response_type", "id_token")],
            "unsupported_response_type",
        ),
        (vec![("code_challenge_method", "S256")], "invalid_request"),
        (
            vec![
                ("code_challenge", "too-short"),
                ("code_challenge_method", "S256"),
            ],
            "invalid_request",
        ),
    ] {
        let response_type = extra
            .iter()
            .find(|(key, _)| *key == "response_type")
            .map_or("code", |(_, value)| *value);
        let rest: Vec<(&str, &str)> = extra
            .iter()
            .copied()
            .filter(|(key, _)| *key != "response_type")
            .chain([("state", "st")])
            .collect();
        let mut query = authorize_query(&client, response_type, &[]);
        if let Some((_, scope)) = rest.iter().find(|(key, _)| *key == "scope") {
            query = query.replace(
                "scope=spark%3Aall+spark%3Akms",
                &format!("scope={}", scope.replace(' ', "+").replace(':', "%3A")),
            );
        }
        let others: Vec<(&str, &str)> = rest
            .into_iter()
            .filter(|(key, _)| *key != "scope")
            .collect();
        let query = format!(
            "{query}&{}",
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(others)
                .finish()
        );
        let redirected = location(&http.get(&format!("/idb/oauth2/v1/authorize?{query}")).await);
        let back = redirected.query().unwrap();
        assert_eq!(param(back, "error").as_deref(), Some(error), "{query}");
        assert!(param(back, "error_description").is_some());
        assert_eq!(param(back, "state").as_deref(), Some("st"));
        assert!(redirected.as_str().starts_with(REDIRECT));
    }
    // The JS SDK's own example of the real error.
    let bad_scope = authorize_query(&client, "code", &[]).replace("spark%3Akms", "nope");
    let redirected = location(
        &http
            .get(&format!("/idb/oauth2/v1/authorize?{bad_scope}"))
            .await,
    );
    assert_eq!(
        param(redirected.query().unwrap(), "error_description").as_deref(),
        Some("The requested scope is invalid.")
    );

    // The user declines.
    let query = authorize_query(&client, "code", &[("state", "d")]);
    let declined = location(&sign_in(&http, &query, "alice@example.com", "decline").await);
    assert_eq!(
        param(declined.query().unwrap(), "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(
        param(declined.query().unwrap(), "state").as_deref(),
        Some("d")
    );

    // An unknown email, or a bot's, shows the page again with the problem.
    for email in ["nobody@example.com", "bot@example.com", "<script>@x"] {
        let again = sign_in(&http, &query, email, "accept").await;
        assert_eq!(again.status.as_u16(), 400);
        let html = String::from_utf8_lossy(&again.body).into_owned();
        assert!(html.contains("id=\"error\""));
        assert!(!html.contains("<script>"), "escaped: {html}");
    }

    // A form that is not form-encoded, or repeats a field.
    let json_body = http
        .post(
            "/idb/oauth2/v1/authorize",
            &json!({"client_id": client.id}).to_string(),
        )
        .await;
    assert_eq!(json_body.status.as_u16(), 400);
    let repeated = post_form(
        &http,
        "/idb/oauth2/v1/authorize",
        &[],
        &[("client_id", &client.id), ("client_id", &client.id)],
    )
    .await;
    assert_eq!(repeated.status.as_u16(), 400);
    // A huge query.
    let huge = format!(
        "{}&state={}",
        authorize_query(&client, "code", &[]),
        "x".repeat(20_000)
    );
    let reply = http.get(&format!("/idb/oauth2/v1/authorize?{huge}")).await;
    assert_eq!(reply.status.as_u16(), 400);
}

#[tokio::test]
async fn the_token_endpoint_answers_bad_requests_with_oauth_errors() {
    let (emulator, http) = start().await;
    alice(&emulator);
    let client = register(&http, json!({})).await;
    let auth = basic(&client);
    let with_auth = [("authorization", auth.as_str())];
    let path = "/idb/oauth2/v1/access_token";

    // JSON instead of a form.
    let json_body = http
        .send(
            Method::POST,
            path,
            &with_auth,
            Some(&json!({"grant_type": "refresh_token"}).to_string()),
        )
        .await
        .unwrap();
    assert!(
        assert_oauth_error(&json_body, 400, "invalid_request").contains("x-www-form-urlencoded")
    );
    // Client authentication: none, wrong secret, garbage, both methods.
    let none = post_form(&http, path, &[], &[("grant_type", "refresh_token")]).await;
    assert_oauth_error(&none, 401, "invalid_client");
    assert!(none.header("www-authenticate").is_some());
    let wrong = post_form(
        &http,
        path,
        &[],
        &[
            ("grant_type", "refresh_token"),
            ("client_id", &client.id),
            ("client_secret", "nope"),
        ],
    )
    .await;
    assert_oauth_error(&wrong, 401, "invalid_client");
    let garbage = post_form(
        &http,
        path,
        &[("authorization", "Basic %%%")],
        &[("grant_type", "x")],
    )
    .await;
    assert_oauth_error(&garbage, 401, "invalid_client");
    let both = post_form(
        &http,
        path,
        &with_auth,
        &[
            ("grant_type", "refresh_token"),
            ("client_secret", &client.secret),
        ],
    )
    .await;
    assert_oauth_error(&both, 400, "invalid_request");
    // Grant types.
    let missing = post_form(&http, path, &with_auth, &[("code", "x")]).await;
    assert!(assert_oauth_error(&missing, 400, "invalid_request").contains("grant_type"));
    let unknown = post_form(&http, path, &with_auth, &[("grant_type", "password")]).await;
    assert_oauth_error(&unknown, 400, "unsupported_grant_type");
    let client_credentials = post_form(
        &http,
        path,
        &with_auth,
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_oauth_error(&client_credentials, 400, "unauthorized_client");
    let reduction = post_form(
        &http,
        path,
        &with_auth,
        &[
            ("grant_type", "urn:cisco:oauth:grant-type:scope-reduction"),
            ("scope", "spark:kms"),
        ],
    )
    .await;
    assert_oauth_error(&reduction, 400, "unsupported_grant_type");
    // Missing or unknown codes and refresh tokens.
    let no_code = post_form(
        &http,
        path,
        &with_auth,
        &[("grant_type", "authorization_code")],
    )
    .await;
    assert!(assert_oauth_error(&no_code, 400, "invalid_request").contains("code"));
    let bad_code = post_form(
        &http,
        path,
        &with_auth,
        &[
            ("grant_type", "authorization_code"),
            ("code", "nope"),
            ("redirect_uri", REDIRECT),
        ],
    )
    .await;
    assert_oauth_error(&bad_code, 400, "invalid_grant");
    let bad_refresh = post_form(
        &http,
        path,
        &with_auth,
        &[("grant_type", "refresh_token"), ("refresh_token", "nope")],
    )
    .await;
    assert_oauth_error(&bad_refresh, 400, "invalid_grant");
    // A scope outside the grant's on refresh.
    let code = code_for(&http, &client, "alice@example.com").await;
    let tokens = crate::oauth::exchange(&http, &client, &code, crate::oauth::VERIFIER)
        .await
        .ok();
    let wider = post_form(
        &http,
        path,
        &with_auth,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
            ("scope", "spark:all identity:admin"),
        ],
    )
    .await;
    assert_oauth_error(&wider, 400, "invalid_scope");
    // Repeated and huge parameters.
    let repeated = post_form(
        &http,
        path,
        &with_auth,
        &[
            ("grant_type", "refresh_token"),
            ("grant_type", "refresh_token"),
        ],
    )
    .await;
    assert!(assert_oauth_error(&repeated, 400, "invalid_request").contains("repeated"));
    let huge = "y".repeat(100_000);
    let reply = post_form(
        &http,
        path,
        &with_auth,
        &[("grant_type", "refresh_token"), ("refresh_token", &huge)],
    )
    .await;
    assert_oauth_error(&reply, 400, "invalid_request");
    // Bytes that are not UTF-8.
    let raw = http
        .send_bytes(
            Method::POST,
            path,
            &[
                ("authorization", &auth),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            Bytes::from_static(b"grant_type=\xff\xfe&refresh_token=\xc3"),
        )
        .await
        .unwrap();
    assert_oauth_error(&raw, 400, "unsupported_grant_type");
}

#[tokio::test]
async fn the_admin_api_validates_clients() {
    let (_emulator, http) = start().await;
    for body in [
        "".to_owned(),
        "not json".to_owned(),
        "{}".to_owned(),
        json!({"redirectUris": [REDIRECT]}).to_string(),
        json!({"redirectUris": [], "scopes": ["spark:all"]}).to_string(),
        json!({"redirectUris": ["relative/path"], "scopes": ["spark:all"]}).to_string(),
        json!({"redirectUris": [REDIRECT], "scopes": ["spark:all"], "accessTokenLifetimeSecs": 0}).to_string(),
        json!({"redirectUris": [REDIRECT], "scopes": ["spark:all"], "refreshTokenLifetimeSecs": -1}).to_string(),
        json!({"redirectUris": [REDIRECT], "scopes": ["spark:all"], "accessTokenLifetimeSecs": 1e30}).to_string(),
        json!({"redirectUris": [REDIRECT], "scopes": ["spark:all"], "colour": "blue"}).to_string(),
        json!({"redirectUris": [REDIRECT], "scopes": ["spark:all"], "refreshTokenError": "nope"}).to_string(),
        json!({"redirectUris": ["x".repeat(100_000)], "scopes": ["spark:all"]}).to_string(),
    ] {
        let reply = http.post("/_emulator/oauth/clients", &body).await;
        reply.assert_webex_error(400);
    }
    for body in [
        json!({"tokenLifetimeSecs": 0}).to_string(),
        json!({"secret": "mine"}).to_string(),
        "[".to_owned(),
    ] {
        http.post("/_emulator/oauth/guest-issuers", &body)
            .await
            .assert_webex_error(400);
    }
}
