//! What the media tests share: an emulated meeting, participants who join it over raw Locus
//! HTTP (through webex-core's client) and carry a `MediaConnection`'s ROAP messages to
//! `PUT {selfUrl}/media`, as the meetings plugin does.

#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use serde_json::{Value, json};
use webex_core::Webex;
use webex_core::http::{Request, Target};
use webex_emulator::{CreatedPerson, Emulator, NewMeeting, NewPerson, PersonType};
use webex_media::metrics::{METRICS_RESOURCE, METRICS_SERVICE};
use webex_media::roap::{LocalSdp, RemoteSdp, RoapMessage};
use webex_media::{
    Backend, MediaConnection, MediaConnectionConfig, MediaEvent, MediaEvents, MetricsSink,
    RtcMetricsRequest,
};

/// A bound on anything a test waits for (never reached when things work).
pub(crate) const PATIENCE: Duration = Duration::from_secs(20);

/// The backends every media test runs with.
pub(crate) fn backends() -> Vec<Backend> {
    [
        #[cfg(feature = "str0m")]
        Backend::Str0m,
        #[cfg(feature = "webrtc")]
        Backend::WebrtcRs,
    ]
    .into()
}

/// A person of the emulator.
pub(crate) fn person(emulator: &Emulator, name: &str) -> CreatedPerson {
    emulator.create_person(NewPerson {
        display_name: name.into(),
        email: format!("{}@example.com", name.to_lowercase()),
        kind: PersonType::Person,
    })
}

/// A new meeting hosted by someone who never joins; its web link.
pub(crate) fn meeting(emulator: &Emulator) -> String {
    static HOSTS: AtomicUsize = AtomicUsize::new(0);
    let host = person(
        emulator,
        &format!("Host{}", HOSTS.fetch_add(1, Ordering::Relaxed)),
    );
    emulator
        .create_meeting(NewMeeting::new("Media", host.email))
        .expect("meeting created")
        .web_link
}

/// A configuration for a connection to the emulator's media server (on loopback).
pub(crate) fn config(backend: Backend) -> MediaConnectionConfig {
    MediaConnectionConfig::default()
        .backend(backend)
        .local_ip(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

/// Someone in the meeting: a client, their Locus self URL and `mediaId`.
pub(crate) struct Participant {
    pub(crate) webex: Webex,
    pub(crate) email: String,
    pub(crate) self_url: String,
    pub(crate) media_id: String,
    device_url: String,
}

impl Participant {
    /// `name` joins the meeting at `link` (without media; offers go through `/media`).
    pub(crate) async fn join(emulator: &Emulator, name: &str, link: &str) -> Self {
        let person = person(emulator, name);
        let webex = Webex::builder()
            .access_token(&person.access_token)
            .discovery_base(emulator.base_url())
            .build()
            .await
            .expect("client builds against the emulator");
        let device_url = format!("https://wdm.example.com/devices/{}", name.to_lowercase());
        let body = json!({
            "device": {"url": device_url, "deviceType": "WEB"},
            "correlationId": format!("corr-{}", person.email),
            "respOnlySdp": true,
            "allowMultiDevice": true,
            "supportsNativeLobby": 1,
            "clientMediaPreferences": {"ipver": 4, "joinCookie": {}, "preferTranscoding": true},
            "invitee": {"address": link},
        });
        let request = Request::post(Target::service("locus", "loci/call"))
            .query("alternateRedirect", "true")
            .json(&body)
            .expect("join body");
        let reply: Value = webex.http().json(request).await.expect("joined");
        Participant {
            webex,
            email: person.email,
            self_url: reply["locus"]["self"]["url"]
                .as_str()
                .expect("self url")
                .to_owned(),
            media_id: reply["mediaConnections"][0]["mediaId"]
                .as_str()
                .expect("mediaId")
                .to_owned(),
            device_url,
        }
    }

    /// `PUT {selfUrl}/media` with `message`; the ROAP message of the response, if any.
    pub(crate) async fn put_media(&self, message: RoapMessage) -> Option<RoapMessage> {
        let local_sdp = LocalSdp::roap(message, false, true).to_json_string();
        let body = json!({
            "device": {"url": self.device_url, "deviceType": "WEB"},
            "correlationId": format!("corr-{}", self.email),
            "clientMediaPreferences": {"ipver": 4, "joinCookie": {}, "preferTranscoding": true},
            "localMedias": [{"localSdp": local_sdp, "mediaId": self.media_id}],
        });
        let url = format!("{}/media", self.self_url)
            .parse()
            .expect("media URL");
        let request = Request::put(Target::Url(url))
            .json(&body)
            .expect("media body");
        let reply: Value = self
            .webex
            .http()
            .json(request)
            .await
            .expect("/media answered");
        let remote = reply["mediaConnections"][0]["remoteSdp"].as_str()?;
        Some(RemoteSdp::parse(remote).expect("remoteSdp").roap_message)
    }

    /// POSTs an RTC metrics request as the meeting does; the response status.
    pub(crate) async fn post_metrics(&self, request: RtcMetricsRequest) -> u16 {
        let mut http_request = Request::post(Target::service(METRICS_SERVICE, METRICS_RESOURCE))
            .json(&request.body)
            .expect("metrics body");
        for (name, value) in request.headers {
            http_request = http_request.header(
                http::HeaderName::from_bytes(name.as_bytes()).expect("header name"),
                http::HeaderValue::from_static(value),
            );
        }
        let response = self
            .webex
            .http()
            .send(http_request)
            .await
            .expect("metrics sent");
        response.status().as_u16()
    }

    /// `PUT {selfUrl}/leave`.
    pub(crate) async fn leave(&self) {
        let body = json!({"device": {"url": self.device_url, "deviceType": "WEB"}});
        let url = format!("{}/leave", self.self_url)
            .parse()
            .expect("leave URL");
        let request = Request::put(Target::Url(url))
            .json(&body)
            .expect("leave body");
        self.webex.http().send(request).await.expect("left");
    }
}

/// The next event `pick` accepts, within [`PATIENCE`].
pub(crate) async fn next_event<T>(
    events: &mut MediaEvents,
    pick: impl Fn(MediaEvent) -> Option<T>,
) -> T {
    let wait = async {
        while let Some(event) = events.next().await {
            if let Some(found) = pick(event) {
                return Some(found);
            }
        }
        None
    };
    tokio::time::timeout(PATIENCE, wait)
        .await
        .expect("the event in time")
        .expect("the event before the stream ended")
}

/// The next ROAP message the connection wants sent.
pub(crate) async fn next_roap(events: &mut MediaEvents) -> RoapMessage {
    next_event(events, |event| match event {
        MediaEvent::Roap(message) => Some(message),
        _ => None,
    })
    .await
}

/// Offers through `participant`'s `/media` and returns Locus's answer, not yet applied.
pub(crate) async fn offer_and_answer(
    connection: &MediaConnection,
    events: &mut MediaEvents,
    participant: &Participant,
) -> RoapMessage {
    connection.initiate_offer().await.expect("offer made");
    let offer = next_roap(events).await;
    participant
        .put_media(offer)
        .await
        .expect("the answer in the /media response")
}

/// A connection of `participant`, negotiated and connected.
pub(crate) async fn connect(
    participant: &Participant,
    config: MediaConnectionConfig,
) -> (MediaConnection, MediaEvents) {
    let connection = MediaConnection::new(config).await.expect("connection");
    let mut events = connection.events();
    let answer = offer_and_answer(&connection, &mut events, participant).await;
    connection
        .roap_message_received(answer)
        .await
        .expect("answer applied");
    tokio::time::timeout(PATIENCE, connection.connected())
        .await
        .expect("connected in time")
        .expect("connected");
    (connection, events)
}

/// A metrics sink that keeps what it is given.
#[derive(Clone, Default)]
pub(crate) struct RecordingSink(Arc<Mutex<Vec<RtcMetricsRequest>>>);

impl RecordingSink {
    /// The requests so far.
    pub(crate) fn requests(&self) -> Vec<RtcMetricsRequest> {
        self.0.lock().expect("sink lock").clone()
    }
}

impl MetricsSink for RecordingSink {
    fn send(&self, request: RtcMetricsRequest) {
        self.0.lock().expect("sink lock").push(request);
    }
}
