//! What one socket was sent: sequence numbers, envelopes, and the frames
//! not yet acknowledged (which [`super::parking`] keeps for redelivery when
//! the socket ends).

use std::collections::VecDeque;
use std::time::SystemTime;

use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::hub::Outbound;
use super::parking::Pending;
use crate::kit::clock;
use crate::kit::ids;

/// The most frames a socket remembers as sent and not yet acknowledged; a
/// client that never acks loses redelivery of the oldest.
const UNACKED: usize = 1024;

/// The frames sent on one socket and not yet acknowledged (oldest first),
/// and the last sequence number used.
pub(super) struct Delivery {
    sequence: u64,
    unacked: VecDeque<Pending>,
}

impl Default for Delivery {
    fn default() -> Self {
        Self {
            sequence: Self::READY_SEQUENCE,
            unacked: VecDeque::new(),
        }
    }
}

impl Delivery {
    /// The sequence number of the readiness frame; pushed frames follow it.
    pub(super) const READY_SEQUENCE: u64 = 1;

    /// The envelope that sends `pending` next (under its earlier frame id
    /// when it is a redelivery), remembered until it is acknowledged.
    pub(super) fn next(&mut self, pending: Pending) -> String {
        self.sequence = self.sequence.saturating_add(1);
        let id = pending.id.unwrap_or_else(|| Uuid::new_v4().to_string());
        let text = envelope(&id, &pending.outbound, self.sequence);
        if self.unacked.len() >= UNACKED {
            self.unacked.pop_front();
            tracing::debug!("mercury client does not ack: oldest unacked frame forgotten");
        }
        self.unacked.push_back(Pending {
            id: Some(id),
            outbound: pending.outbound,
        });
        text
    }

    /// Forgets the frame an ack (`{"type": "ack", "messageId"}`) names: by
    /// its frame id, as the JS SDK acks, or by the id of the activity it
    /// carries, bare or as a Hydra id, as webex-bot acks the messages it
    /// handled.
    pub(super) fn acked(&mut self, frame: &Map<String, Value>) {
        let Some(id) = frame.get("messageId").and_then(Value::as_str) else {
            return;
        };
        let activity = ids::decode(id).map_or_else(|| id.to_owned(), |decoded| decoded.inner);
        let position = self.unacked.iter().position(|pending| {
            pending.id.as_deref() == Some(id) || activity_id(&pending.outbound) == Some(&activity)
        });
        if let Some(index) = position {
            self.unacked.remove(index);
        }
    }

    /// What is still unacknowledged, oldest first.
    pub(super) fn into_unacked(self) -> VecDeque<Pending> {
        self.unacked
    }
}

/// The id of the activity a frame carries, if it carries one.
fn activity_id(outbound: &Outbound) -> Option<&str> {
    outbound.data.get("activity")?.get("id")?.as_str()
}

/// A pushed frame on the wire, borrowing its `data`: written straight to
/// text, not first copied into a JSON tree (one frame per event).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Frame<'a> {
    id: &'a str,
    data: &'a Value,
    timestamp: u64,
    tracking_id: &'a str,
    alert_type: &'static str,
    headers: Map<String, Value>,
    sequence_number: u64,
    filter_message: bool,
    ws_write_timestamp: u64,
}

/// The envelope of a pushed frame.
fn envelope(id: &str, outbound: &Outbound, sequence: u64) -> String {
    let now = clock::unix_millis(SystemTime::now());
    let frame = Frame {
        id,
        data: &outbound.data,
        timestamp: now,
        tracking_id: &outbound.tracking_id,
        alert_type: "full",
        headers: Map::new(),
        sequence_number: sequence,
        filter_message: false,
        ws_write_timestamp: now,
    };
    // Serializing a `Value` and plain fields cannot fail (no non-string map
    // keys); were it to, the client would see a frame it cannot read.
    serde_json::to_string(&frame).unwrap_or_else(|error| {
        tracing::error!("mercury frame not serialized: {error}");
        String::new()
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;

    fn pending(activity: &str) -> Pending {
        Pending {
            id: None,
            outbound: Arc::new(Outbound {
                data: json!({"eventType": "conversation.activity", "activity": {"id": activity}}),
                tracking_id: "T_1".to_owned(),
            }),
        }
    }

    fn ack(id: &str) -> Map<String, Value> {
        json!({"type": "ack", "messageId": id})
            .as_object()
            .cloned()
            .unwrap()
    }

    #[test]
    fn envelopes_carry_what_clients_read() {
        let mut delivery = Delivery::default();
        let frame: Value = serde_json::from_str(&delivery.next(pending("a"))).unwrap();
        assert!(frame.get("type").is_none());
        assert_eq!(frame["sequenceNumber"], 2);
        assert_eq!(frame["trackingId"], "T_1");
        assert_eq!(frame["data"]["eventType"], "conversation.activity");
        assert!(frame["id"].as_str().is_some_and(|id| !id.is_empty()));
        let mut again = pending("a");
        again.id = Some("frame-7".to_owned());
        let frame: Value = serde_json::from_str(&delivery.next(again)).unwrap();
        assert_eq!(frame["id"], "frame-7");
        assert_eq!(frame["sequenceNumber"], 3);
    }

    #[test]
    fn acks_by_frame_id_or_by_activity_id() {
        let mut delivery = Delivery::default();
        let uuid = Uuid::new_v4().to_string();
        let first: Value = serde_json::from_str(&delivery.next(pending("one"))).unwrap();
        delivery.next(pending(&uuid));
        delivery.next(pending("three"));
        delivery.acked(&ack(first["id"].as_str().unwrap()));
        // webex-bot acks a message by its Hydra id.
        let hydra = ids::uuid_id(ids::HydraType::Message, Uuid::parse_str(&uuid).unwrap());
        delivery.acked(&ack(&hydra));
        delivery.acked(&ack("unknown"));
        let left: Vec<_> = delivery
            .into_unacked()
            .into_iter()
            .map(|pending| activity_id(&pending.outbound).unwrap().to_owned())
            .collect();
        assert_eq!(left, ["three"]);
    }
}
