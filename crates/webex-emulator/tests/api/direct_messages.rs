//! `GET /v1/messages/direct`: the 1:1 messages with one person.

use hyper::Method;
use serde_json::{Value, json};
use webex_emulator::PersonType;

use crate::client::{Http, create_room, person, post_message, start};

fn id(value: &Value) -> String {
    value["id"].as_str().expect("id").to_owned()
}

async fn direct(http: &Http, token: &str, query: &str) -> crate::client::Reply {
    http.call(
        Method::GET,
        &format!("/v1/messages/direct?{query}"),
        token,
        None,
    )
    .await
}

#[tokio::test]
async fn lists_the_direct_room_newest_first_with_pages() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let (a, b) = (&alice.access_token, &bob.access_token);

    // No direct room yet: nothing to list.
    let empty = direct(&http, a, "personEmail=bob@example.com").await;
    assert_eq!(empty.ok(), json!({"items": []}));

    let first = post_message(
        &http,
        a,
        json!({"toPersonEmail": "bob@example.com", "text": "1"}),
    )
    .await;
    let second = post_message(&http, b, json!({"toPersonId": alice.id, "text": "2"})).await;
    let third = post_message(&http, a, json!({"roomId": first["roomId"], "text": "3"})).await;
    // Messages elsewhere do not count.
    let group = create_room(&http, a, "Group").await;
    post_message(&http, a, json!({"roomId": group["id"], "text": "group"})).await;

    let newest_first = vec![id(&third), id(&second), id(&first)];
    assert_eq!(
        direct(&http, a, "personEmail=bob@example.com").await.ids(),
        newest_first
    );
    let query = format!("personId={}", alice.id);
    let from_bob = direct(&http, b, &query).await;
    assert_eq!(from_bob.ids(), newest_first);
    assert_eq!(from_bob.ok()["items"][0]["roomType"], "direct");

    // Link pagination repeats the person and max, with a beforeMessage
    // cursor.
    let page = direct(&http, a, "personEmail=bob@example.com&max=2").await;
    assert_eq!(page.ids(), newest_first[..2].to_vec());
    let next = page.next_link().expect("next link");
    assert!(
        next.starts_with(&format!(
            "{}/v1/messages/direct?personEmail=bob%40example.com&max=2&beforeMessage=",
            emulator.base_url()
        )),
        "{next}"
    );
    let rest = http.call(Method::GET, &next, a, None).await;
    assert_eq!(rest.ids(), newest_first[2..].to_vec());
    assert_eq!(rest.next_link(), None);

    // parentId lists a thread's replies.
    let reply = post_message(
        &http,
        b,
        json!({"roomId": first["roomId"], "parentId": first["id"], "text": "re"}),
    )
    .await;
    let thread = direct(
        &http,
        a,
        &format!("personEmail=bob@example.com&parentId={}", id(&first)),
    )
    .await;
    assert_eq!(thread.ids(), vec![id(&reply)]);
}

#[tokio::test]
async fn errors() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let a = &alice.access_token;
    direct(&http, a, "").await.assert_webex_error(400);
    direct(&http, a, "personId=nope")
        .await
        .assert_webex_error(400);
    direct(&http, a, "personEmail=nobody@example.com")
        .await
        .assert_webex_error(404);
    direct(&http, a, "personEmail=alice@example.com")
        .await
        .assert_webex_error(400);
    direct(&http, a, "personEmail=alice@example.com&max=0")
        .await
        .assert_webex_error(400);
    http.get("/v1/messages/direct?personEmail=alice@example.com")
        .await
        .assert_webex_error(401);
}
