//! The body of a `PUT {selfUrl}/media` that carries a ROAP message, as the JS SDK sends it:
//! the device, the correlation id, `clientMediaPreferences` with `ipver` (offers only) and the
//! join cookie, and `localMedias[0]` with the `localSdp` JSON string and the media id. Unlike a
//! local mute it carries no `respOnlySdp`, `usingResource` or `sequence`.

use serde_json::{Map, Value, json};
use webex_media::roap::{LocalSdp, MessageType};

/// What a ROAP `/media` body is made of.
pub(crate) struct RoapBody<'a> {
    pub(crate) device_url: &'a str,
    pub(crate) correlation_id: &'a str,
    /// The join's media id; empty on a TURN discovery that starts a new transport.
    pub(crate) media_id: &'a str,
    pub(crate) join_cookie: Value,
    pub(crate) local_sdp: &'a LocalSdp,
}

/// The JSON body.
pub(crate) fn roap_body(input: &RoapBody<'_>) -> Map<String, Value> {
    let offer = input.local_sdp.roap_message.as_ref().is_some_and(|m| {
        matches!(
            m.message_type,
            MessageType::Offer | MessageType::OfferResponse
        )
    });
    let mut preferences = Map::new();
    preferences.insert("preferTranscoding".into(), json!(true));
    if offer {
        preferences.insert("ipver".into(), json!(4));
    }
    preferences.insert("joinCookie".into(), input.join_cookie.clone());
    let mut body = Map::new();
    body.insert(
        "device".into(),
        json!({"url": input.device_url, "deviceType": "WEB"}),
    );
    body.insert("correlationId".into(), json!(input.correlation_id));
    body.insert("clientMediaPreferences".into(), Value::Object(preferences));
    body.insert(
        "localMedias".into(),
        json!([{"localSdp": input.local_sdp.to_json_string(), "mediaId": input.media_id}]),
    );
    body
}

#[cfg(test)]
mod tests {
    use webex_media::roap::RoapMessage;

    use super::*;

    fn body_of(message: RoapMessage) -> Map<String, Value> {
        roap_body(&RoapBody {
            device_url: "https://wdm/devices/1",
            correlation_id: "c1",
            media_id: "m1",
            join_cookie: json!({"anycastEntryPoint": "x"}),
            local_sdp: &LocalSdp::roap(message, false, true),
        })
    }

    #[test]
    fn a_turn_discovery_body_has_no_ipver_and_carries_the_message_in_a_string() {
        let body = body_of(RoapMessage::turn_discovery_request());
        assert_eq!(body["device"]["url"], "https://wdm/devices/1");
        assert_eq!(body["correlationId"], "c1");
        assert!(body["clientMediaPreferences"].get("ipver").is_none());
        assert_eq!(body["clientMediaPreferences"]["preferTranscoding"], true);
        assert_eq!(body["localMedias"][0]["mediaId"], "m1");
        let local = LocalSdp::parse(body["localMedias"][0]["localSdp"].as_str().unwrap()).unwrap();
        assert!(!local.audio_muted && local.video_muted);
        assert_eq!(
            local.roap_message.unwrap().message_type,
            MessageType::TurnDiscoveryRequest
        );
        for absent in ["respOnlySdp", "usingResource", "sequence"] {
            assert!(!body.contains_key(absent), "{absent}");
        }
    }

    #[test]
    fn an_offer_body_asks_for_ipv4() {
        let body = body_of(RoapMessage::offer(1, "v=0\r\n"));
        assert_eq!(body["clientMediaPreferences"]["ipver"], 4);
        assert_eq!(
            body["clientMediaPreferences"]["joinCookie"]["anycastEntryPoint"],
            "x"
        );
    }

    #[test]
    fn an_ok_body_has_no_ipver() {
        let body = body_of(RoapMessage::ok(3));
        assert!(body["clientMediaPreferences"].get("ipver").is_none());
    }
}
