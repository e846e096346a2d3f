//! Mercury faults: closing, stalling or dropping open sockets on demand, so
//! tests can exercise a client's reconnects.

use serde::Deserialize;
use serde_json::Value;

use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};
pub use crate::services::mercury::fault::MercuryFaultAction;

/// A fault applied at once to open Mercury sockets: every open socket, or
/// only those of the person `person_id` (a Hydra person id).
///
/// On the wire (`POST /_emulator/faults`): `{"mercury": "close", "code":
/// 1006}`, `{"mercury": "stall"}` or `{"mercury": "drop"}`, each with an
/// optional `"personId"`; the answer is `{"sockets": <how many it hit>}`.
/// See [`MercuryFaultAction`] for what each does on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MercuryFault {
    /// What to do to the sockets.
    pub action: MercuryFaultAction,
    /// Whose sockets (a Hydra person id); every open socket when `None`.
    pub person_id: Option<String>,
}

/// The wire form of a Mercury fault.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Wire {
    mercury: Kind,
    code: Option<u16>,
    person_id: Option<String>,
}

/// The wire names of the actions.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum Kind {
    Close,
    Stall,
    Drop,
}

impl MercuryFault {
    /// Whether a `POST /_emulator/faults` body is a Mercury fault (rather
    /// than an HTTP one).
    pub(crate) fn is_one(body: &Value) -> bool {
        body.get("mercury").is_some()
    }

    /// Reads a Mercury fault from its wire form.
    pub(crate) fn from_wire(body: Value) -> Result<Self, ApiError> {
        let wire: Wire = serde_json::from_value(body)
            .map_err(|error| ApiError::bad_request(format!("Invalid request body: {error}.")))?;
        let action = match (wire.mercury, wire.code) {
            (Kind::Close, Some(code)) => MercuryFaultAction::Close { code },
            (Kind::Close, None) => {
                return Err(ApiError::bad_request("A Mercury close needs a code."));
            }
            (Kind::Stall | Kind::Drop, Some(_)) => {
                return Err(ApiError::bad_request("Only a Mercury close takes a code."));
            }
            (Kind::Stall, None) => MercuryFaultAction::Stall,
            (Kind::Drop, None) => MercuryFaultAction::Drop,
        };
        Ok(Self {
            action,
            person_id: wire.person_id,
        })
    }

    /// Checks the fault; returns the person uuid it targets, if any.
    pub(crate) fn target(&self) -> Result<Option<uuid::Uuid>, ApiError> {
        self.action.check().map_err(ApiError::bad_request)?;
        self.person_id
            .as_deref()
            .map(|id| {
                ids::decode_uuid(id, HydraType::People)
                    .ok_or_else(|| ApiError::bad_request(format!("{id} is not a person id.")))
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn parse(body: Value) -> Result<MercuryFault, ApiError> {
        MercuryFault::from_wire(body)
    }

    #[test]
    fn wire_format() {
        let close = parse(json!({"mercury": "close", "code": 1006, "personId": "p"})).unwrap();
        assert_eq!(close.action, MercuryFaultAction::Close { code: 1006 });
        assert_eq!(close.person_id.as_deref(), Some("p"));
        assert_eq!(
            parse(json!({"mercury": "stall"})).unwrap().action,
            MercuryFaultAction::Stall
        );
        assert_eq!(
            parse(json!({"mercury": "drop"})).unwrap().action,
            MercuryFaultAction::Drop
        );
        assert!(MercuryFault::is_one(&json!({"mercury": "drop"})));
        assert!(!MercuryFault::is_one(&json!({"status": 500})));
    }

    #[test]
    fn bad_faults_are_refused() {
        for bad in [
            json!({"mercury": "close"}),
            json!({"mercury": "stall", "code": 1000}),
            json!({"mercury": "nap"}),
            json!({"mercury": "drop", "status": 500}),
        ] {
            assert!(parse(bad.clone()).is_err(), "{bad}");
        }
        let bad_code = parse(json!({"mercury": "close", "code": 1015})).unwrap();
        assert!(bad_code.target().is_err());
        let bad_person = parse(json!({"mercury": "drop", "personId": "nobody"})).unwrap();
        assert!(bad_person.target().is_err());
        let everyone = parse(json!({"mercury": "drop"})).unwrap();
        assert_eq!(everyone.target().unwrap(), None);
    }
}
