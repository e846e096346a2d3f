//! Waiting for a meeting's events, and a reaction relayed over the data channel.

use std::time::Duration;

use futures::StreamExt;
use webex_meetings::events::MeetingEvent;
use webex_meetings::{Meeting, Reaction};

/// The meeting events stream of a test.
pub(crate) type Events = futures::stream::BoxStream<
    'static,
    Result<MeetingEvent, webex_meetings::events::MeetingEventError>,
>;

/// Reads events until one matches (true) or the stream ends (false).
pub(crate) async fn wait_event(events: &mut Events, pred: impl Fn(&MeetingEvent) -> bool) -> bool {
    wait_event_for(events, pred, Duration::from_secs(20)).await
}

/// As [`wait_event`], giving up (false) after `bound`.
pub(crate) async fn wait_event_for(
    events: &mut Events,
    pred: impl Fn(&MeetingEvent) -> bool,
    bound: Duration,
) -> bool {
    let wait = async {
        while let Some(item) = events.next().await {
            if item.as_ref().is_ok_and(&pred) {
                return true;
            }
        }
        false
    };
    tokio::time::timeout(bound, wait).await.unwrap_or(false)
}

/// Sends `reaction` from `sender` until `events` (another member's) shows an event `is_it`
/// accepts: the data channels connect in the background after the join, so the first ones
/// may go unheard. Whether one was heard within 40 tries.
pub(crate) async fn send_until_relayed(
    sender: &Meeting,
    reaction: Reaction,
    events: &mut Events,
    is_it: impl Fn(&MeetingEvent) -> bool,
) -> bool {
    for _ in 0..40 {
        sender.send_reaction(reaction).await.unwrap();
        if wait_event_for(events, &is_it, Duration::from_millis(250)).await {
            return true;
        }
    }
    false
}
