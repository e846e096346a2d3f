//! The axum route and extractor: real signed deliveries from the emulator, and rejections.

#![cfg(feature = "axum")]

mod common;

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::FromRef;
use axum::http::{Request, StatusCode};
use axum::routing::post;
use common::Setup;
use tokio::sync::mpsc;
use tower::ServiceExt;
use webex_messages::MessagesExt;
use webex_messages::webhook::axum::{VerifiedWebhook, webhook_route};
use webex_messages::webhook::{
    SIGNATURE_HEADER, WebhookData, WebhookEvent, WebhookSecret, WebhookVerifier, sign,
};
use webex_messages::webhooks::{WebhookEventType, WebhookResource};

const SECRET: &str = "s3cret";

/// A route that forwards every accepted event to the returned channel.
fn route() -> (Router, mpsc::UnboundedReceiver<WebhookEvent>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let app = Router::new().route(
        "/webex",
        webhook_route(WebhookVerifier::new(SECRET), move |event| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(event);
            }
        }),
    );
    (app, rx)
}

fn delivery(signature: Option<&str>, body: &'static str) -> Request<Body> {
    let mut req = Request::post("/webex");
    if let Some(signature) = signature {
        req = req.header(SIGNATURE_HEADER, signature);
    }
    req.body(Body::from(body)).unwrap()
}

/// A delivery as Webex sends it: the webhook's fields, `actorId` and the room.
const EVENT: &str = r#"{"id":"w1","name":"Rooms","targetUrl":"https://example.com/webex",
"resource":"rooms","event":"updated","status":"active","created":"2024-10-23T10:00:00.000Z",
"actorId":"p1","data":{"id":"r1","title":"T","type":"group","isLocked":false,
"lastActivity":"2024-10-23T10:00:00.000Z","creatorId":"p1","created":"2024-10-23T10:00:00.000Z"}}"#;

#[tokio::test]
async fn the_emulator_s_signed_deliveries_reach_the_callback() {
    let s = Setup::new().await;
    let (app, mut events) = route();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let room = s.webex.rooms().create("Hooked").await.unwrap();
    s.webex
        .webhooks()
        .create(
            "hook",
            format!("http://{addr}/webex"),
            WebhookResource::Messages,
            WebhookEventType::Created,
        )
        .filter(format!("roomId={}", room.id))
        .secret(SECRET)
        .await
        .unwrap();
    let sent = s
        .webex
        .messages()
        .create()
        .room_id(&room.id)
        .text("ping")
        .await
        .unwrap();

    let event = tokio::time::timeout(Duration::from_secs(10), events.recv())
        .await
        .expect("a delivery within 10 s")
        .expect("the route is alive");
    assert_eq!(event.resource, WebhookResource::Messages);
    assert_eq!(event.event, WebhookEventType::Created);
    let WebhookData::Message(message) = event.data else {
        panic!("a message event: {:?}", event.data);
    };
    assert_eq!(message.id, sent.id);
    assert_eq!(message.room_id, room.id);
    server.abort();
}

#[tokio::test]
async fn unsigned_wrongly_signed_and_garbage_deliveries_are_rejected() {
    let (app, mut events) = route();
    let good = sign(&WebhookSecret::new(SECRET), EVENT.as_bytes());
    let wrong = sign(&WebhookSecret::new("other"), EVENT.as_bytes());
    let garbage_sig = sign(&WebhookSecret::new(SECRET), b"not json");
    let cases = [
        (delivery(None, EVENT), StatusCode::UNAUTHORIZED),
        (delivery(Some(&wrong), EVENT), StatusCode::UNAUTHORIZED),
        (delivery(Some("zz"), EVENT), StatusCode::UNAUTHORIZED),
        (
            delivery(Some(&garbage_sig), "not json"),
            StatusCode::BAD_REQUEST,
        ),
        (delivery(Some(&good), EVENT), StatusCode::OK),
    ];
    for (req, status) in cases {
        let res = app.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), status);
    }
    let event = events
        .try_recv()
        .expect("only the good delivery got through");
    assert!(matches!(event.data, WebhookData::Room(room) if room.id.as_str() == "r1"));
    assert!(events.try_recv().is_err());
}

#[derive(Clone)]
struct AppState {
    verifier: WebhookVerifier,
}

impl FromRef<AppState> for WebhookVerifier {
    fn from_ref(state: &AppState) -> Self {
        state.verifier.clone()
    }
}

#[tokio::test]
async fn the_extractor_takes_its_verifier_from_state() {
    async fn handler(VerifiedWebhook(event): VerifiedWebhook) -> String {
        event.event.to_string()
    }
    let app = Router::new()
        .route("/webex", post(handler))
        .with_state(AppState {
            verifier: WebhookVerifier::new(SECRET),
        });
    let good = sign(&WebhookSecret::new(SECRET), EVENT.as_bytes());
    let res = app
        .clone()
        .oneshot(delivery(Some(&good), EVENT))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = app.oneshot(delivery(None, EVENT)).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}
