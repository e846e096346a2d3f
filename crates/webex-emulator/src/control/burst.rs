//! `POST /_emulator/mercury/burst`: many real messages at once, pushed to
//! the room's devices at their pace, for benchmarks of event consumers.
//!
//! `{"personId", "roomId", "count", "text"}` posts `count` text messages
//! (`"<text> <n>"`, default text `burst`) as `personId` into `roomId`, through
//! the same world operation as `POST /v1/messages`: each is stored (clients
//! can fetch it), rendered as a `conversation.activity` `post` and published
//! on the bus to the room's devices. Unlike posting over HTTP, the messages
//! go out in chunks of [`BURST_CHUNK`], each only when every receiving socket
//! has room for it
//! ([`Hub::wait_for_room`](crate::services::mercury::Hub::wait_for_room)), so a slow consumer slows the
//! burst down instead of being closed with 1011.
//!
//! The answer (202, `{"count"}`) comes once the request is checked; the
//! messages follow in the background. A burst that fails part-way (the room
//! was deleted, the author left) stops and logs why at warn level.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Control;
use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};
use crate::kit::lock;
use crate::services::hydra::contents;
use crate::services::mercury::BURST_CHUNK;
use crate::world::Data;
use crate::world::messages::post::{self, NewMessage};
use crate::world::rooms;

/// The most messages one burst may post.
const MAX_COUNT: usize = 1_000_000;

/// A burst of messages, as `POST /_emulator/mercury/burst` takes it
/// (camelCase on the wire; unknown fields are rejected) and
/// [`Emulator::start_mercury_burst`](crate::Emulator::start_mercury_burst)
/// runs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MercuryBurst {
    /// The author (a Hydra person id), a member of the room.
    pub person_id: String,
    /// The room (a Hydra room id).
    pub room_id: String,
    /// How many messages, 1 to 1,000,000.
    pub count: usize,
    /// The text before each message's number; `burst` when absent.
    pub text: Option<String>,
}

/// A checked burst, ready to run.
struct Checked {
    author: Uuid,
    room: Uuid,
    count: usize,
    text: String,
}

impl Control {
    /// Checks `burst` and starts posting its messages in the background;
    /// how many will be posted.
    pub(crate) fn start_mercury_burst(
        self: &Arc<Self>,
        burst: MercuryBurst,
    ) -> Result<usize, ApiError> {
        let checked = self.check_burst(burst)?;
        let count = checked.count;
        let control = Arc::clone(self);
        tokio::spawn(async move { control.run_burst(checked).await });
        Ok(count)
    }

    fn check_burst(&self, burst: MercuryBurst) -> Result<Checked, ApiError> {
        if !(1..=MAX_COUNT).contains(&burst.count) {
            return Err(ApiError::bad_request(format!(
                "count must be 1 to {MAX_COUNT}."
            )));
        }
        let author = ids::decode_uuid(&burst.person_id, HydraType::People)
            .ok_or_else(|| ApiError::bad_request("personId is not a person id."))?;
        let room = rooms::parse_id(&burst.room_id)?;
        lock(&self.state.data).member_room(room, author)?;
        Ok(Checked {
            author,
            room,
            count: burst.count,
            text: burst.text.unwrap_or_else(|| "burst".to_owned()),
        })
    }

    async fn run_burst(&self, burst: Checked) {
        let base = self.state.endpoint.base_url();
        let file_url = |message, index| contents::url(&base, message, index);
        let mut posted = 0;
        while posted < burst.count {
            let audience: Vec<Uuid> = lock(&self.state.data)
                .memberships
                .of_room(burst.room)
                .map(|membership| membership.person)
                .collect();
            self.hub.wait_for_room(&audience).await;
            let chunk = BURST_CHUNK.min(burst.count - posted);
            let mut data = lock(&self.state.data);
            for n in posted..posted + chunk {
                if let Err(error) = post_one(&mut data, &file_url, &burst, n) {
                    tracing::warn!(
                        posted = n,
                        count = burst.count,
                        "mercury burst stopped: {}",
                        error.message
                    );
                    data.drain("");
                    return;
                }
            }
            data.drain("");
            posted += chunk;
        }
    }
}

/// Posts the `n`th message of `burst`.
fn post_one(
    data: &mut Data,
    file_url: &dyn Fn(Uuid, usize) -> String,
    burst: &Checked,
    n: usize,
) -> Result<Uuid, ApiError> {
    let message = NewMessage {
        room_id: Some(ids::uuid_id(HydraType::Room, burst.room)),
        text: Some(format!("{} {n}", burst.text)),
        ..NewMessage::default()
    };
    post::post(data, file_url, burst.author, message)
}
