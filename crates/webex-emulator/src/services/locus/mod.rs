//! Locus: the live state of meetings and 1:1 calls. Joining or calling
//! (`loci/call`, `{locusUrl}/participant`), answering a call (alert,
//! decline), leaving, ending, controls, participant controls, the
//! `/media` requests (local mute, TURN discovery), floors, keep-alives, and
//! reading a locus (`GET {locusUrl}`, `GET syncUrl`, `GET loci`).
//!
//! Requests the JS SDK sends with its current `sequence` get their
//! response's `locus` as a delta against it (the whole locus when the
//! sequence is missing or not one this locus had). Every change also goes
//! to every participant over Mercury ([`events`]).

pub(crate) mod controls;
pub(crate) mod dto;
pub(crate) mod events;
pub(crate) mod fields;
pub(crate) mod join;
pub(crate) mod ledger;
pub(crate) mod lobby;
pub(crate) mod media_fault;
pub(crate) mod participant;
pub(crate) mod read;
pub(crate) mod roap;

use std::sync::Arc;

use axum::routing::{get, patch, post, put};
use axum::{Extension, Json, Router};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use self::dto::{Dto, Viewer};
use self::ledger::Ledger;
use self::media_fault::MediaFaults;
use crate::app::{AppState, Shared};
use crate::kit::error::ApiError;
use crate::kit::media::MediaServer;
use crate::kit::service::{Listing, ServiceSpec};
use crate::views::meeting_urls::LOCUS_BASE_PATH;
use crate::world::Data;
use crate::world::meetings::errors::{locus_not_found, participant_not_found};

/// The Locus service.
pub(crate) const SPEC: ServiceSpec = ServiceSpec {
    name: "locus",
    base_path: LOCUS_BASE_PATH,
    listing: Listing::Base,
};

/// The routes; `ledger` records what each person got over Mercury, `media`
/// answers offers (spoiled by the armed `media_faults`).
pub(crate) fn routes(
    ledger: Arc<Ledger>,
    media: Arc<dyn MediaServer>,
    media_faults: Arc<MediaFaults>,
) -> Router<AppState> {
    let locus = |rest: &str| SPEC.path(&format!("/loci/{{locus}}{rest}"));
    Router::new()
        .route(&SPEC.path("/loci"), get(read::list))
        .route(&SPEC.path("/loci/call"), post(join::call))
        .route(&locus(""), get(read::locus))
        .route(&locus("/sync"), get(read::sync))
        .route(&locus("/participant"), post(join::participant))
        .route(&locus("/participant/alert"), put(participant::alert))
        .route(&locus("/participant/decline"), put(participant::decline))
        .route(
            &locus("/participant/{participant}/leave"),
            put(participant::leave),
        )
        .route(
            &locus("/participant/{participant}/media"),
            put(participant::media),
        )
        .route(
            &locus("/participant/{participant}/controls"),
            patch(participant::controls),
        )
        .route(
            &locus("/participant/{participant}/keepAlive"),
            get(read::keep_alive),
        )
        .route(&locus("/end"), post(controls::end))
        .route(
            &locus("/controls"),
            patch(controls::update).put(controls::update),
        )
        .route(&locus("/controls/"), put(controls::update))
        .route(&locus("/mediashares/{share}"), put(controls::floor))
        .layer(Extension(ledger))
        .layer(Extension(media))
        .layer(Extension(media_faults))
}

/// The renderer of `locus.*` Mercury events, recording in `ledger`.
pub(crate) fn renderer(base: &str, ledger: Arc<Ledger>) -> events::LocusEvents {
    events::LocusEvents::new(base.to_owned(), ledger)
}

/// A locus id from a path.
fn locus_id(text: &str) -> Result<Uuid, ApiError> {
    Uuid::try_parse(text).map_err(|_| locus_not_found())
}

/// A participant id from a path.
fn participant_id(text: &str) -> Result<Uuid, ApiError> {
    Uuid::try_parse(text).map_err(|_| participant_not_found())
}

/// Closes the media sessions of every device of `locus` that is no longer
/// in it (after a leave, a removal or the end of the meeting, which makes
/// everyone leave); closing is idempotent.
fn close_left_media(data: &Data, locus: Uuid, media: &dyn MediaServer) {
    let Some(locus) = data.meetings.locus(locus) else {
        return;
    };
    for participant in &locus.participants {
        for device in participant.devices.iter().filter(|d| d.left) {
            media.close(device.media_id);
        }
    }
}

/// The answer to a [Δ] request: `{"locus": ...}`, a delta against the
/// `sequence` of the request `body`.
fn delta_answer(
    state: &Shared,
    data: &Data,
    locus: Uuid,
    person: Uuid,
    body: &Map<String, Value>,
) -> Result<Json<Value>, ApiError> {
    locus_reply(state, data, locus, person, fields::since(body)).map(Json)
}

/// `{"locus": ...}` as `person` sees it: a delta against `since` when it
/// is one of the locus's sequences, else the whole locus.
fn locus_reply(
    state: &Shared,
    data: &Data,
    locus: Uuid,
    person: Uuid,
    since: Option<u64>,
) -> Result<Value, ApiError> {
    let locus = data.meetings.locus(locus).ok_or_else(locus_not_found)?;
    let base = state.endpoint.base_url();
    let dto = Dto { base: &base, data };
    Ok(json!({"locus": dto.since(locus, Viewer::Person(person), since)}))
}
