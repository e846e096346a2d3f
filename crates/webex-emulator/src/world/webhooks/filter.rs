//! Webhook filters: `key=value` pairs joined by `&`, values percent-encoded
//! (`roomId=...`, `personEmail=a%40example.com`, `mentionedPeople=me`).
//!
//! A filter is checked against the object a delivery carries, so the
//! same code serves every resource.

use percent_encoding::percent_decode_str;
use serde_json::Value;
use uuid::Uuid;

use crate::bus::Resource;
use crate::kit::error::ApiError;
use crate::kit::ids;

/// The filter keys each resource accepts, as on Webex.
fn allowed(resource: Option<Resource>) -> &'static [&'static str] {
    match resource {
        Some(Resource::Messages) => &[
            "roomId",
            "roomType",
            "personId",
            "personEmail",
            "mentionedPeople",
            "mentionedGroups",
            "hasFiles",
        ],
        Some(Resource::Memberships) => &["roomId", "personId", "personEmail", "isModerator"],
        Some(Resource::Rooms) => &["type", "isLocked"],
        Some(Resource::AttachmentActions) => &["roomId", "messageId", "personId"],
        None => &["roomId"],
    }
}

/// A parsed filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Filter {
    pairs: Vec<(String, String)>,
}

impl Filter {
    /// Parses and checks a filter for `resource` (`None` for `all`).
    pub(crate) fn parse(text: &str, resource: Option<Resource>) -> Result<Self, ApiError> {
        let mut pairs = Vec::new();
        for part in text.split('&').filter(|part| !part.is_empty()) {
            let (key, value) = part.split_once('=').ok_or_else(|| {
                ApiError::bad_request(format!("Invalid filter '{part}': expected key=value."))
            })?;
            if !allowed(resource).contains(&key) {
                return Err(ApiError::bad_request(format!(
                    "Unsupported filter '{key}' for this resource."
                )));
            }
            let value = percent_decode_str(value).decode_utf8_lossy().into_owned();
            pairs.push((key.to_owned(), value));
        }
        Ok(Self { pairs })
    }

    /// Whether `data` (as `owner` sees it) passes every condition.
    pub(crate) fn matches(&self, data: &Value, owner: Uuid) -> bool {
        self.pairs
            .iter()
            .all(|(key, value)| condition(key, value, data, owner))
    }
}

/// The uuid inside a Hydra id (or a bare uuid) of any type.
fn uuid_of(id: &str) -> Option<Uuid> {
    Uuid::try_parse(id)
        .ok()
        .or_else(|| ids::decode(id).and_then(|decoded| Uuid::parse_str(&decoded.inner).ok()))
}

/// Whether two ids name the same thing, whatever their encoding.
fn same_id(a: &str, b: &str) -> bool {
    a == b || matches!((uuid_of(a), uuid_of(b)), (Some(x), Some(y)) if x == y)
}

fn condition(key: &str, wanted: &str, data: &Value, owner: Uuid) -> bool {
    let field = data.get(key);
    match key {
        "mentionedPeople" => {
            let wanted = if wanted == "me" {
                ids::person_id(owner)
            } else {
                wanted.to_owned()
            };
            field.and_then(Value::as_array).is_some_and(|people| {
                people
                    .iter()
                    .filter_map(Value::as_str)
                    .any(|id| same_id(id, &wanted))
            })
        }
        "mentionedGroups" => field
            .and_then(Value::as_array)
            .is_some_and(|groups| groups.iter().any(|g| g.as_str() == Some(wanted))),
        "hasFiles" => {
            let has = data
                .get("files")
                .and_then(Value::as_array)
                .is_some_and(|files| !files.is_empty());
            wanted.eq_ignore_ascii_case(if has { "true" } else { "false" })
        }
        "personEmail" => field
            .and_then(Value::as_str)
            .is_some_and(|email| email.eq_ignore_ascii_case(wanted)),
        "roomId" | "personId" | "messageId" => field
            .and_then(Value::as_str)
            .is_some_and(|id| same_id(id, wanted)),
        _ => match field {
            Some(Value::Bool(flag)) => wanted.eq_ignore_ascii_case(&flag.to_string()),
            Some(Value::String(text)) => text == wanted,
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::ids::HydraType;
    use serde_json::json;

    #[test]
    fn parses_and_checks_keys() {
        assert!(Filter::parse("roomId=x", Some(Resource::Messages)).is_ok());
        assert!(Filter::parse("type=group", Some(Resource::Messages)).is_err());
        assert!(Filter::parse("roomId", Some(Resource::Messages)).is_err());
        assert_eq!(
            Filter::parse("", Some(Resource::Rooms)).unwrap(),
            Filter::default()
        );
    }

    #[test]
    fn matches_objects() {
        let owner = Uuid::new_v4();
        let message = json!({
            "roomId": ids::uuid_id(HydraType::Room, Uuid::nil()),
            "personEmail": "Alice@Example.com",
            "mentionedPeople": [ids::person_id(owner)],
            "files": ["http://x"],
        });
        let check = |filter: &str| {
            Filter::parse(filter, Some(Resource::Messages))
                .unwrap()
                .matches(&message, owner)
        };
        assert!(check("personEmail=alice%40example.com"));
        assert!(check("mentionedPeople=me&hasFiles=true"));
        assert!(check(&format!("roomId={}", Uuid::nil())));
        assert!(!check("hasFiles=false"));
        assert!(!check("mentionedPeople=me&personEmail=bob%40example.com"));
        assert!(
            !Filter::parse("mentionedPeople=me", Some(Resource::Messages))
                .unwrap()
                .matches(&message, Uuid::new_v4())
        );
        let room = json!({"type": "group", "isLocked": true});
        assert!(
            Filter::parse("type=group&isLocked=true", Some(Resource::Rooms))
                .unwrap()
                .matches(&room, owner)
        );
    }
}
