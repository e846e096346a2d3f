//! `GET /_emulator/people`: everyone in the emulator with a token that acts
//! for them, so the chat page (or a script) can pick a person and call the
//! public API as that person. The admin API is local test setup, which is
//! why it hands tokens out.

use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{Value, json};

use super::Control;
use crate::kit::ids;
use crate::kit::lock;
use crate::world::people::PersonType;

/// The admin operations of this module (`POST /_emulator/people`, the
/// creation, is routed in [`super::routes`]).
pub(crate) const OPERATIONS: &[&str] = &["GET /_emulator/people"];

/// A person or bot as `GET /_emulator/people` lists it.
///
/// Wire form: `{"id", "displayName", "emails": [...], "type", "orgId",
/// "accessToken"}`; `accessToken` is `null` for someone whose every admin
/// token was revoked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListedPerson {
    /// The Hydra person id.
    pub id: String,
    /// The display name.
    pub display_name: String,
    /// The email addresses (one: the primary).
    pub emails: Vec<String>,
    /// Person or bot.
    #[serde(rename = "type")]
    pub kind: PersonType,
    /// The org's Hydra id.
    pub org_id: String,
    /// A token acting for this person (never expiring, as the admin API
    /// issues them).
    pub access_token: Option<String>,
}

/// The routes of this module.
pub(crate) fn routes<S: Clone + Send + Sync + 'static>(control: Arc<Control>) -> Router<S> {
    Router::new()
        .route("/_emulator/people", get(list))
        .with_state(control)
}

impl Control {
    /// Everyone, in creation order, with a token each.
    pub(crate) fn people(&self) -> Vec<ListedPerson> {
        let data = lock(&self.state.data);
        data.people
            .all()
            .map(|(_, person)| ListedPerson {
                id: ids::person_id(person.uuid),
                display_name: person.display_name.clone(),
                emails: vec![person.email.clone()],
                kind: person.kind,
                org_id: data.org.hydra_id.clone(),
                access_token: data.tokens.plain_token_of(person.uuid).map(str::to_owned),
            })
            .collect()
    }
}

/// `GET /_emulator/people`: `{"items": [...]}`, oldest first.
async fn list(State(control): State<Arc<Control>>) -> Json<Value> {
    Json(json!({"items": control.people()}))
}
