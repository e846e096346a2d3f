//! The meeting's side of a running media connection: one task reads the connection's
//! events (ROAP messages to carry, negotiation and transport news turned into meeting
//! events), another carries the ROAP messages to Locus in order and feeds each answer back.
//! Two tasks, so that feeding an answer back never waits on the event stream it is in.

use futures::StreamExt;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use webex_media::roap::RoapMessage;
use webex_media::{MediaConnection, MediaEvent};

use super::WeakMeeting;
use super::media_signalling::MediaIdUse;
use crate::events::{MediaKind, MeetingEvent};
use crate::media::SignallingFailures;

/// Starts the tasks; they end when the connection closes (its event stream ends) or the
/// meeting is dropped.
pub(crate) fn spawn(
    meeting: WeakMeeting,
    connection: &MediaConnection,
    signalling: SignallingFailures,
) -> JoinHandle<()> {
    let mut events = connection.events();
    let (outgoing, queue) = mpsc::unbounded_channel();
    let carrier = tokio::spawn(carry(
        meeting.clone(),
        connection.clone(),
        signalling,
        queue,
    ));
    tokio::spawn(async move {
        while let Some(event) = events.next().await {
            if let MediaEvent::Roap(message) = event {
                if outgoing.send(message).is_err() {
                    break;
                }
                continue;
            }
            let Some(meeting) = meeting.upgrade() else {
                break;
            };
            if let Some(event) = meeting_event(&event) {
                if let MeetingEvent::MediaReady { kind } = event
                    && let Some(session) = meeting.data().media.as_mut()
                {
                    session.ready.insert(kind);
                }
                meeting.runtime().publish(event);
            }
            if let MediaEvent::RoapFailed(failure) = &event {
                meeting.log_media_warning(&format!("negotiation failed: {failure}"));
            }
        }
        drop(outgoing);
        let _ = carrier.await;
    })
}

/// The meeting event a connection event makes, if any.
fn meeting_event(event: &MediaEvent) -> Option<MeetingEvent> {
    Some(match event {
        MediaEvent::RoapDone => MeetingEvent::MediaNegotiated,
        MediaEvent::ConnectionState(state) => MeetingEvent::MediaConnectionChanged(*state),
        MediaEvent::FirstAudioReceived => MeetingEvent::MediaReady {
            kind: MediaKind::Audio,
        },
        MediaEvent::FirstVideoReceived { share } => MeetingEvent::MediaReady {
            kind: if *share {
                MediaKind::Share
            } else {
                MediaKind::Video
            },
        },
        _ => return None,
    })
}

/// Sends each message in `PUT {selfUrl}/media`, in order, and hands the connection what the
/// answer carried.
async fn carry(
    meeting: WeakMeeting,
    connection: MediaConnection,
    signalling: SignallingFailures,
    mut queue: mpsc::UnboundedReceiver<RoapMessage>,
) {
    while let Some(message) = queue.recv().await {
        let Some(meeting) = meeting.upgrade() else {
            return;
        };
        let kind = message.message_type;
        match meeting.send_roap(message, MediaIdUse::Current).await {
            Ok(Some(reply)) => {
                if let Err(err) = connection.roap_message_received(reply).await {
                    meeting.log_media_warning(&format!("the answer to {kind:?}: {err}"));
                }
            }
            Ok(None) => {}
            Err(err) => {
                meeting.log_media_warning(&format!("sending {kind:?} failed: {err}"));
                signalling.failed(format!("{kind:?}: {err}"));
            }
        }
        if kind == webex_media::roap::MessageType::Offer {
            meeting.data().media_confluence = true;
        }
    }
}
