//! A meeting participant as the tests drive one: a person with a device and
//! its Mercury socket, the JS SDK's request bodies, and checks of every
//! Locus DTO it receives (sequences below 2^53, deltas against exactly what
//! it saw last).

use hyper::Method;
use serde_json::{Value, json};
use webex_emulator::{CreatedPerson, Emulator, PersonType};

use crate::client::{Http, person};
use crate::devices::register;
use crate::mercury::{Socket, authorize, next, open};

/// The largest integer JavaScript represents exactly.
const JS_SAFE: u64 = (1 << 53) - 1;

/// One person in a meeting: their token, device, socket and what they last
/// saw of the locus.
pub(crate) struct Member {
    pub(crate) person: CreatedPerson,
    pub(crate) device_url: String,
    pub(crate) socket: Socket,
    pub(crate) locus_url: String,
    pub(crate) self_url: String,
    pub(crate) sequence: u64,
    /// The locus as this member knows it: the last whole DTO with every
    /// delta since merged in the way clients merge them.
    pub(crate) view: Value,
}

/// Registers a device for `email` and opens its authorized socket.
pub(crate) async fn member(emulator: &Emulator, http: &Http, email: &str) -> Member {
    let person = person(emulator, email, PersonType::Person);
    let device = register(http, &person.access_token).await;
    let mut socket = open(&device).await;
    authorize(&mut socket, &person.access_token).await;
    let ready = next(&mut socket).await;
    assert_eq!(ready["data"]["eventType"], "mercury.buffer_state");
    Member {
        person,
        device_url: device["url"].as_str().unwrap().to_owned(),
        socket,
        locus_url: String::new(),
        self_url: String::new(),
        sequence: 0,
        view: Value::Null,
    }
}

/// The only entry of a sequence, checked to be JS-safe.
pub(crate) fn entry(sequence: &Value) -> u64 {
    let entries = sequence["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1, "{sequence}");
    let n = entries[0].as_u64().expect("an integer entry");
    assert!(n > 0 && n <= JS_SAFE, "{n}");
    assert_eq!(sequence["rangeStart"], 0);
    assert_eq!(sequence["rangeEnd"], 0);
    n
}

/// `POST /_emulator/meetings`.
pub(crate) async fn create_meeting(http: &Http, body: Value) -> Value {
    let reply = http.post("/_emulator/meetings", &body.to_string()).await;
    assert_eq!(reply.status.as_u16(), 201, "{:?}", reply.body);
    reply.json()
}

impl Member {
    /// A call as this member.
    pub(crate) async fn call(
        &self,
        http: &Http,
        method: Method,
        url: &str,
        body: Value,
    ) -> crate::client::Reply {
        http.call(method, url, &self.person.access_token, Some(body))
            .await
    }

    /// `POST meetingInfo`.
    pub(crate) async fn meeting_info(&self, http: &Http, body: Value) -> crate::client::Reply {
        let mut full = json!({"supportHostKey": true, "supportCountryList": true});
        for (key, value) in body.as_object().unwrap() {
            full[key] = value.clone();
        }
        self.call(http, Method::POST, "/wbxappapi/v1/meetingInfo", full)
            .await
    }

    /// The join body the JS SDK sends.
    pub(crate) fn join_body(&self, invitee: Option<&str>) -> Value {
        let mut body = json!({
            "device": {"url": self.device_url, "deviceType": "WEB"},
            "usingResource": null,
            "moveMediaToResource": false,
            "correlationId": format!("corr-{}", self.person.email),
            "respOnlySdp": true,
            "allowMultiDevice": true,
            "ensureConversation": false,
            "supportsNativeLobby": 1,
            "clientMediaPreferences": {"ipver": 4, "joinCookie": {}, "preferTranscoding": true},
        });
        if let Some(address) = invitee {
            body["invitee"] = json!({"address": address});
        }
        body
    }

    /// Joins by address through `loci/call`; returns the response body.
    pub(crate) async fn join(&mut self, http: &Http, address: &str) -> Value {
        let body = self.join_body(Some(address));
        let reply = self
            .call(
                http,
                Method::POST,
                "/locus/api/v1/loci/call?alternateRedirect=true",
                body,
            )
            .await;
        let body = reply.ok();
        self.took_full(&body["locus"]);
        body
    }

    /// Remembers a whole DTO.
    pub(crate) fn took_full(&mut self, locus: &Value) {
        self.locus_url = locus["url"].as_str().expect("url").to_owned();
        self.self_url = locus["self"]["url"].as_str().expect("self.url").to_owned();
        let n = entry(&locus["sequence"]);
        assert!(n >= self.sequence);
        self.sequence = n;
        self.view = locus.clone();
    }

    /// The next `locus.*` event, checked: a delta's `baseSequence` is what
    /// this member last saw; a full DTO is newer than it.
    pub(crate) async fn event(&mut self) -> (String, Value) {
        let frame = next(&mut self.socket).await;
        let data = &frame["data"];
        let event_type = data["eventType"].as_str().expect("eventType").to_owned();
        assert!(event_type.starts_with("locus."), "{frame}");
        assert_eq!(data["locusUrl"], data["locus"]["url"]);
        let locus = data["locus"].clone();
        let n = entry(&locus["sequence"]);
        if event_type == "locus.difference" {
            assert_eq!(entry(&locus["baseSequence"]), self.sequence, "{locus}");
            assert!(n > self.sequence, "{n} after {}", self.sequence);
            merge(&mut self.view, &locus);
        } else {
            self.view = locus.clone();
            // A full DTO may repeat what an HTTP answer already gave.
            assert!(locus.get("baseSequence").is_none());
            assert!(locus["self"].is_object());
            assert!(n >= self.sequence, "{n} after {}", self.sequence);
        }
        self.sequence = n;
        (event_type, locus)
    }

    /// A [Δ] request with this member's sequence; returns the response's
    /// locus (a delta against it).
    pub(crate) async fn delta_request(
        &self,
        http: &Http,
        method: Method,
        url: &str,
        mut body: Value,
    ) -> Value {
        body["sequence"] = json!({"entries": [self.sequence], "rangeStart": 0, "rangeEnd": 0});
        let reply = self.call(http, method, url, body).await;
        let body = reply.ok();
        let locus = body["locus"].clone();
        assert_eq!(entry(&locus["baseSequence"]), self.sequence, "{locus}");
        locus
    }

    /// Asserts that this member's merged view is the emulator's neutral
    /// view of meeting `number`, and its `self` is its own participant.
    pub(crate) fn assert_converged(&self, emulator: &Emulator, number: &str) {
        let neutral = emulator.meeting(number).expect("meeting")["locus"].clone();
        self.assert_sees(&neutral);
    }

    /// Asserts that this member's merged view is the neutral view of its
    /// locus (by URL: a call has no meeting number).
    pub(crate) fn assert_converged_locus(&self, emulator: &Emulator) {
        let neutral = emulator.locus(&self.locus_url).expect("locus");
        self.assert_sees(&neutral);
    }

    /// Asserts that this member's merged view is `neutral` (a DTO without
    /// `self`), and its `self` is its own participant.
    fn assert_sees(&self, neutral: &Value) {
        for key in [
            "url",
            "info",
            "host",
            "fullState",
            "controls",
            "mediaShares",
            "sequence",
        ] {
            assert_eq!(
                self.view[key], neutral[key],
                "{key} of {}",
                self.person.email
            );
        }
        let sorted = |locus: &Value| {
            let mut all = locus["participants"]
                .as_array()
                .expect("participants")
                .clone();
            all.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
            all
        };
        assert_eq!(sorted(&self.view), sorted(neutral), "{}", self.person.email);
        let mut me = self.view["self"].clone();
        me.as_object_mut().expect("self").remove("enableDTMF");
        let id = me["id"].clone();
        let mine = sorted(neutral).into_iter().find(|p| p["id"] == id);
        assert_eq!(Some(me), mine, "self of {}", self.person.email);
    }
}

/// Merges a delta the way clients do: each top-level section it carries
/// replaces the known one, participants are upserted by `id`.
pub(crate) fn merge(view: &mut Value, delta: &Value) {
    for (key, value) in delta.as_object().expect("a delta object") {
        match key.as_str() {
            "baseSequence" => {}
            "participants" => {
                let known = view["participants"].as_array_mut().expect("participants");
                for participant in value.as_array().expect("participants") {
                    match known.iter_mut().find(|p| p["id"] == participant["id"]) {
                        Some(slot) => *slot = participant.clone(),
                        None => known.push(participant.clone()),
                    }
                }
            }
            _ => view[key] = value.clone(),
        }
    }
}

/// The participant of `locus` whose person has `email`.
pub(crate) fn participant<'a>(locus: &'a Value, email: &str) -> &'a Value {
    locus["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .find(|p| p["person"]["email"] == email)
        .unwrap_or_else(|| panic!("no {email} in {locus}"))
}

/// The Webex error of a Locus refusal: status, `errorCode` and tracking id.
pub(crate) fn refused(reply: &crate::client::Reply, status: u16, code: u64) {
    reply.assert_webex_error(status);
    assert_eq!(reply.json()["errorCode"], code, "{:?}", reply.body);
}
