//! The idbroker's browser session: signing in on the authorize page sets a
//! cookie; a later authorize in the same browser shows the consent without
//! the login form and its form needs no email; the browser logout
//! (`GET .../logout?goto=`) ends the session, revokes a `token` it names,
//! and sends the browser to `goto`.

use bytes::Bytes;
use hyper::Method;

use webex_emulator::PersonType;

use crate::client::{Http, Reply, alice, start};
use crate::oauth::{
    CHALLENGE, VERIFIER, authorize_query, exchange, form_fields, location, param, post_form,
    register, sign_in,
};

/// `GET path` with the browser's `cookie`.
async fn get_with_cookie(http: &Http, path: &str, cookie: &str) -> Reply {
    http.send_bytes(Method::GET, path, &[("cookie", cookie)], Bytes::new())
        .await
        .expect("GET")
}

/// The `name=value` part of the reply's session cookie.
fn session_cookie(reply: &Reply) -> String {
    let set = reply.header("set-cookie").expect("a set-cookie header");
    assert!(set.contains("HttpOnly"), "{set}");
    assert!(set.contains("Path=/idb/oauth2/v1"), "{set}");
    set.split(';').next().unwrap().to_owned()
}

fn html(reply: &Reply) -> String {
    String::from_utf8(reply.body.to_vec()).unwrap()
}

#[tokio::test]
async fn a_signed_in_browser_skips_the_login_form_until_it_logs_out() {
    let (emulator, http) = start().await;
    let alice = alice(&emulator);
    let client = register(&http, serde_json::json!({})).await;
    let query = authorize_query(
        &client,
        "code",
        &[
            ("state", "s1"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
    );

    // First sign-in: the form with the email; the answer sets the cookie.
    let first = sign_in(&http, &query, &alice.email, "accept").await;
    let cookie = session_cookie(&first);
    assert!(param(location(&first).query().unwrap(), "code").is_some());

    // Again in the same browser: no email field, who is signed in, and a way out.
    let path = format!("/idb/oauth2/v1/authorize?{query}");
    let page = get_with_cookie(&http, &path, &cookie).await;
    assert_eq!(page.status.as_u16(), 200);
    let text = html(&page);
    assert!(!text.contains("name=\"email\""), "{text}");
    assert!(text.contains("id=\"signed-in\""), "{text}");
    assert!(text.contains(&alice.email), "{text}");
    assert!(text.contains("id=\"sign-out\""), "{text}");
    assert!(text.contains("/idb/oauth2/v1/logout?goto="), "{text}");

    // Its form, without an email, signs the session's person in.
    let mut fields = form_fields(&text);
    fields.push(("consent".to_owned(), "accept".to_owned()));
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let second = post_form(
        &http,
        "/idb/oauth2/v1/authorize",
        &[("cookie", &cookie)],
        &pairs,
    )
    .await;
    let code = param(location(&second).query().unwrap(), "code").expect("code");
    assert!(second.header("set-cookie").is_none(), "the session goes on");
    let tokens = exchange(&http, &client, &code, VERIFIER).await;
    assert_eq!(tokens.status.as_u16(), 200, "{:?}", tokens.body);
    let access = tokens.json()["access_token"].as_str().unwrap().to_owned();
    let me = http.get_auth("/v1/people/me", &access).await;
    assert_eq!(me.json()["emails"][0], alice.email.as_str());

    // Without the cookie, the email is asked for; a form without one is refused.
    let fresh = http.get(&path).await;
    assert!(html(&fresh).contains("name=\"email\""));
    let refused = post_form(&http, "/idb/oauth2/v1/authorize", &[], &pairs).await;
    assert_eq!(refused.status.as_u16(), 400);
    assert!(html(&refused).contains("id=\"error\""));

    // The browser logout ends the session, revokes the token it names, goes to goto.
    let goto = "http://127.0.0.1:9/signed-out?x=1";
    let logout = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("cisService", "common-identity")
        .append_pair("goto", goto)
        .append_pair("token", &access)
        .finish();
    let out = get_with_cookie(&http, &format!("/idb/oauth2/v1/logout?{logout}"), &cookie).await;
    assert_eq!(location(&out).as_str(), goto);
    let cleared = out.header("set-cookie").expect("the cookie is cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let after = get_with_cookie(&http, &path, &cookie).await;
    assert!(html(&after).contains("name=\"email\""), "the session ended");
    let me = http.get_auth("/v1/people/me", &access).await;
    assert_eq!(me.status.as_u16(), 401, "the named token is revoked");
}

#[tokio::test]
async fn the_browser_logout_without_goto_shows_a_page_and_refuses_a_bad_goto() {
    let (_emulator, http) = start().await;
    let page = http.get("/idb/oauth2/v1/logout").await;
    assert_eq!(page.status.as_u16(), 200);
    assert!(html(&page).contains("id=\"signed-out\""));
    for bad in ["javascript:alert(1)", "/relative", "not a url"] {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("goto", bad)
            .finish();
        let refused = http.get(&format!("/idb/oauth2/v1/logout?{query}")).await;
        assert_eq!(refused.status.as_u16(), 400, "{bad}");
        assert!(html(&refused).contains("id=\"error\""));
    }
}

#[tokio::test]
async fn signing_in_as_someone_else_replaces_the_session() {
    let (emulator, http) = start().await;
    let alice = alice(&emulator);
    let bob = crate::client::person(&emulator, "bob@example.com", PersonType::Person);
    let client = register(&http, serde_json::json!({})).await;
    let query = authorize_query(&client, "code", &[("state", "s1")]);
    let alice_cookie = session_cookie(&sign_in(&http, &query, &alice.email, "accept").await);

    // The same browser, Alice's session, but Bob types his email on a fresh form.
    let path = format!("/idb/oauth2/v1/authorize?{query}");
    let mut fields = form_fields(&html(&get_with_cookie(&http, &path, &alice_cookie).await));
    fields.push(("email".to_owned(), bob.email.clone()));
    fields.push(("consent".to_owned(), "accept".to_owned()));
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let answer = post_form(
        &http,
        "/idb/oauth2/v1/authorize",
        &[("cookie", &alice_cookie)],
        &pairs,
    )
    .await;
    let bob_cookie = session_cookie(&answer);
    assert_ne!(bob_cookie, alice_cookie);

    let with_bob = html(&get_with_cookie(&http, &path, &bob_cookie).await);
    assert!(with_bob.contains(&bob.email) && with_bob.contains("id=\"signed-in\""));
    let with_alice = html(&get_with_cookie(&http, &path, &alice_cookie).await);
    assert!(
        with_alice.contains("name=\"email\""),
        "Alice's session ended"
    );
}
