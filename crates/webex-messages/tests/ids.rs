//! Typed Hydra ids: encoding, lenient decoding, clusters kept, types checked.

use serde_json::json;
use uuid::Uuid;
use webex_core::ErrorKind;
use webex_messages::id::{self, ContentId, MembershipId, MessageId, PersonId, RoomId};
use webex_messages::rooms::{Room, RoomType};

/// A real person id (`ciscospark://us/PEOPLE/6bb085fa-…`).
const REAL: &str =
    "Y2lzY29zcGFyazovL3VzL1BFT1BMRS82YmIwODVmYS1mNmIyLTQyMTAtYjI2Ny1iZTBmZGViYjA3YzQ";
const UUID: &str = "6bb085fa-f6b2-4210-b267-be0fdebb07c4";

#[test]
fn encodes_like_hydra_unpadded() {
    let id = PersonId::from_uuid("us", Uuid::parse_str(UUID).unwrap());
    assert_eq!(id.as_str(), REAL);
    assert!(!id.as_str().contains('='));
}

#[test]
fn decodes_a_real_id_and_padded_or_url_safe_variants() {
    let id = PersonId::new(REAL);
    assert_eq!(id.uuid().unwrap().to_string(), UUID);
    assert_eq!(id.cluster().unwrap(), "us");
    let padded = PersonId::new(format!("{REAL}="));
    assert_eq!(padded.uuid().unwrap().to_string(), UUID);
    let decoded = id::decode(REAL).unwrap();
    assert_eq!(decoded.kind, "PEOPLE");
}

#[test]
fn the_cluster_is_kept_not_assumed() {
    let uuid = Uuid::new_v4();
    let eu = RoomId::from_uuid("urn:TEAM:eu-central-1_k", uuid);
    assert_eq!(eu.cluster().unwrap(), "urn:TEAM:eu-central-1_k");
    assert_eq!(eu.uuid().unwrap(), uuid);
    assert_ne!(eu, RoomId::from_uuid("us", uuid));
}

#[test]
fn composite_inner_ids_round_trip() {
    let membership = MembershipId::encode("us", "a:b");
    assert_eq!(membership.decode().unwrap().inner, "a:b");
    let content = ContentId::encode("urn:TEAM:eu-central-1_k", "act/0");
    let decoded = content.decode().unwrap();
    assert_eq!(decoded.inner, "act/0");
    assert_eq!(decoded.cluster, "urn:TEAM:eu-central-1_k");
    let err = membership.uuid().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
}

#[test]
fn a_long_inner_id_round_trips_like_a_short_one() {
    // Past the stack buffer `encode` puts short ids together in.
    let inner = "x".repeat(300);
    let content = ContentId::encode("us", &inner);
    assert_eq!(content.decode().unwrap().inner, inner);
}

#[test]
fn the_wrong_type_or_garbage_is_invalid_input() {
    let as_room = RoomId::new(REAL);
    let err = as_room.uuid().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.message().contains("PEOPLE"), "{err}");
    assert!(MessageId::new("not base64!").decode().is_err());
    assert!(id::decode("aGVsbG8").is_err(), "base64 of `hello`");
}

#[test]
fn models_keep_unknown_fields_and_enum_values() {
    let room: Room = serde_json::from_value(json!({
        "id": "r1",
        "title": "T",
        "type": "channel",
        "isLocked": false,
        "lastActivity": "2024-10-23T10:00:00.000Z",
        "creatorId": "p1",
        "created": "2024-10-23T10:00:00.000Z",
        "brandNewField": {"x": 1}
    }))
    .unwrap();
    assert_eq!(room.room_type, RoomType::Unknown("channel".into()));
    assert_eq!(room.extra["brandNewField"], json!({"x": 1}));
    let back = serde_json::to_value(&room).unwrap();
    assert_eq!(back["type"], "channel");
    assert_eq!(back["brandNewField"], json!({"x": 1}));
}
