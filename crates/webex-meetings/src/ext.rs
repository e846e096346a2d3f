//! `webex.meetings()`: the API as a method on the client.

use futures::stream::BoxStream;
use webex_core::Webex;

use crate::error::{MeetingError, Result};
use crate::meeting::Meeting;
use crate::meetings_events::{self, MeetingsEvent, MeetingsEventError};
use crate::plugin::{MeetingsPlugin, Registration, Shared};
use crate::reachability::ReachabilityResults;

/// `webex.meetings()`.
pub trait MeetingsExt {
    /// The meetings of this client.
    fn meetings(&self) -> Meetings;
}

impl MeetingsExt for Webex {
    fn meetings(&self) -> Meetings {
        Meetings {
            webex: self.clone(),
        }
    }
}

/// The meetings API; cheap to clone.
#[derive(Debug, Clone)]
pub struct Meetings {
    pub(crate) webex: Webex,
}

impl Meetings {
    pub(crate) fn shared(&self) -> Result<&std::sync::Arc<Shared>> {
        self.webex
            .plugin::<MeetingsPlugin>()
            .map(|p| &p.shared)
            .ok_or_else(|| {
                MeetingError::Http(webex_core::Error::new(
                    webex_core::ErrorKind::MissingDependency,
                    "the `meetings` plugin is not added to this client (add webex_meetings::MeetingsPlugin)",
                ))
            })
    }

    pub(crate) fn registration(&self) -> Result<Registration> {
        self.shared()?
            .registration()
            .ok_or(MeetingError::NotRegistered)
    }

    /// Whether `register()` has run (and `unregister()` has not since).
    #[must_use]
    pub fn is_registered(&self) -> bool {
        self.shared().is_ok_and(|s| s.registration().is_some())
    }

    /// The meetings of this client (created, joined, or told of by Locus).
    #[must_use]
    pub fn list(&self) -> Vec<Meeting> {
        self.shared()
            .map(|s| s.collection.list())
            .unwrap_or_default()
    }

    /// The meeting with this id.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<Meeting> {
        self.find(|m| Some(m.id().to_owned()), id)
    }

    /// The meeting with this Locus URL.
    #[must_use]
    pub fn by_locus_url(&self, locus_url: &str) -> Option<Meeting> {
        self.find(Meeting::locus_url, locus_url)
    }

    /// The meeting with this SIP URI.
    #[must_use]
    pub fn by_sip_uri(&self, sip_uri: &str) -> Option<Meeting> {
        self.find(Meeting::sip_uri, sip_uri)
    }

    /// The meeting with this meeting number.
    #[must_use]
    pub fn by_meeting_number(&self, number: &str) -> Option<Meeting> {
        self.find(Meeting::meeting_number, number)
    }

    /// The meeting with this conversation URL.
    #[must_use]
    pub fn by_conversation_url(&self, url: &str) -> Option<Meeting> {
        self.find(Meeting::conversation_url, url)
    }

    fn find(&self, key: impl Fn(&Meeting) -> Option<String>, value: &str) -> Option<Meeting> {
        self.shared().ok()?.collection.find(key, value)
    }

    /// The plugin's events from now on: registered, unregistered, meetings added and
    /// removed. An `Err` item says this subscriber fell behind and missed events.
    #[must_use]
    pub fn events(
        &self,
    ) -> BoxStream<'static, std::result::Result<MeetingsEvent, MeetingsEventError>> {
        match self.shared() {
            Ok(shared) => meetings_events::stream(shared.events.subscribe()),
            Err(_) => Box::pin(futures::stream::empty()),
        }
    }

    /// The latest reachability results (empty before `register()`).
    #[must_use]
    pub fn reachability(&self) -> ReachabilityResults {
        self.shared()
            .map(|s| s.reachability.results())
            .unwrap_or_default()
    }
}
