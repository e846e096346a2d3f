//! Locus events from Mercury to meetings: a `locus.message.roap` goes to the media of the
//! meeting whose correlation id it names; every other `locus.*` event goes to the meeting it is about (the collection's matching order), or makes a new meeting
//! when Locus tells of one this client does not have yet (an incoming call, a join from
//! elsewhere), unless it is over for us.

use std::sync::Arc;

use futures::StreamExt;
use futures::stream::BoxStream;
use serde_json::Value;
use webex_core::{WeakWebex, Webex};
use webex_mercury::{EventError, MercuryEvent};

use crate::create::{added_kind_of, watch_for_end};
use crate::destination::DestinationType;
use crate::locus::Locus;
use crate::meeting::Meeting;
use crate::meetings_events::MeetingsEvent;
use crate::plugin::Shared;

/// ROAP messages travel as Locus events too; they belong to media, not to the Locus state.
const ROAP: &str = "locus.message.roap";

/// The event type `handle_locus` is given for a full DTO from `sync_meetings`.
pub(crate) const SYNC: &str = "sync";

/// Runs until the Mercury stream ends or the client is dropped.
pub(crate) async fn route(
    webex: WeakWebex,
    shared: Arc<Shared>,
    device_url: String,
    mut events: BoxStream<'static, Result<MercuryEvent, EventError>>,
) {
    while let Some(item) = events.next().await {
        let event = match item {
            Ok(event) => event,
            Err(err) => {
                // Locus events may be among those missed: catch up with a sync.
                let Some(webex) = webex.upgrade() else { return };
                webex_core::log_warn!(webex.logger(), "meetings: Mercury: {err}; syncing meetings");
                tokio::spawn(async move {
                    if let Err(err) = crate::MeetingsExt::meetings(&webex).sync(false).await {
                        webex_core::log_warn!(webex.logger(), "meetings: sync failed: {err}");
                    }
                });
                continue;
            }
        };
        let event_type = event.event_type();
        if !event_type.starts_with("locus.") {
            continue;
        }
        let Some(webex) = webex.upgrade() else { return };
        if event_type == ROAP {
            #[cfg(feature = "media")]
            route_roap(&webex, &shared, event.envelope().data.parse());
            continue;
        }
        let data: Value = match event.envelope().data.parse() {
            Ok(data) => data,
            Err(err) => {
                webex_core::log_warn!(
                    webex.logger(),
                    "meetings: unreadable {event_type} event: {err}"
                );
                continue;
            }
        };
        let locus_url = data
            .get("locusUrl")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let Some(locus) = data.get("locus").cloned() else {
            continue;
        };
        handle_locus(
            &webex,
            &shared,
            &device_url,
            event_type,
            locus_url.as_deref(),
            locus,
        );
    }
}

/// One Locus DTO (from Mercury or a sync) to its meeting, or a new meeting.
pub(crate) fn handle_locus(
    webex: &Webex,
    shared: &Arc<Shared>,
    device_url: &str,
    event_type: &str,
    locus_url: Option<&str>,
    raw: Value,
) {
    let matched = shared.collection.matching(locus_url, &raw, device_url);
    let locus = match Locus::from_value(raw.clone()) {
        Ok(locus) => locus,
        Err(err) => {
            match &matched {
                Some(meeting) => meeting.runtime().report_malformed(err),
                None => webex_core::log_warn!(webex.logger(), "meetings: {event_type}: {err}"),
            }
            return;
        }
    };
    if let Some(meeting) = matched {
        match event_type {
            SYNC => meeting.apply_full(locus),
            _ => meeting.apply_mercury(event_type, locus),
        }
        return;
    }
    let inactive = raw.pointer("/fullState/state").and_then(Value::as_str) == Some("INACTIVE");
    let left_and_removed = raw.pointer("/self/state").and_then(Value::as_str) == Some("LEFT")
        && raw.pointer("/self/removed").and_then(Value::as_bool) == Some(true);
    if inactive || left_and_removed || locus.is_delta() {
        return;
    }
    let meeting = Meeting::new(
        webex,
        shared,
        device_url.to_owned(),
        locus.url.clone(),
        DestinationType::LocusId,
    );
    meeting.apply_full(locus);
    shared.collection.insert(meeting.clone());
    watch_for_end(shared, &meeting);
    shared.emit(MeetingsEvent::Added {
        kind: added_kind_of(&meeting),
        meeting,
    });
}

/// A `locus.message.roap` event to the meeting whose correlation id it names (a message
/// for no meeting of ours is dropped, as the JS SDK does).
#[cfg(feature = "media")]
fn route_roap<E: std::fmt::Display>(webex: &Webex, shared: &Shared, data: Result<Value, E>) {
    use webex_media::roap::RoapEvent;
    let event = match data
        .map_err(|e| e.to_string())
        .and_then(|data| RoapEvent::from_data(&data).map_err(|e| e.to_string()))
    {
        Ok(Some(event)) => event,
        Ok(None) => return,
        Err(err) => {
            webex_core::log_warn!(webex.logger(), "meetings: unreadable {ROAP} event: {err}");
            return;
        }
    };
    match shared
        .collection
        .find(|m| Some(m.correlation_id()), &event.correlation_id)
    {
        Some(meeting) => meeting.roap_from_mercury(event.message),
        None => webex_core::log_debug!(
            webex.logger(),
            "meetings: a ROAP message for no meeting of ours"
        ),
    }
}
