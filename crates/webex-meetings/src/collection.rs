//! The meetings of this client and their lookups (the JS SDK's `MeetingCollection`), and the
//! matching of incoming Locus data to a meeting.

use std::sync::{Mutex, PoisonError};

use serde_json::Value;

use crate::meeting::Meeting;

/// The collection; lookups return the first meeting whose field equals the value.
#[derive(Debug, Default)]
pub(crate) struct Collection {
    meetings: Mutex<Vec<Meeting>>,
}

impl Collection {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Meeting>> {
        self.meetings.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn list(&self) -> Vec<Meeting> {
        self.lock().clone()
    }

    pub(crate) fn insert(&self, meeting: Meeting) {
        self.lock().push(meeting);
    }

    pub(crate) fn remove(&self, id: &str) -> Option<Meeting> {
        let mut meetings = self.lock();
        let index = meetings.iter().position(|m| m.id() == id)?;
        Some(meetings.remove(index))
    }

    pub(crate) fn clear(&self) -> Vec<Meeting> {
        std::mem::take(&mut *self.lock())
    }

    /// The first meeting for which `key` gives `value`.
    pub(crate) fn find(
        &self,
        key: impl Fn(&Meeting) -> Option<String>,
        value: &str,
    ) -> Option<Meeting> {
        self.lock()
            .iter()
            .find(|m| key(m).as_deref() == Some(value))
            .cloned()
    }

    /// The meeting Locus data is about, matched in the JS SDK's order: the event's
    /// `locusUrl`, the correlation id of our device in `self.devices`, the self's callback
    /// address as SIP URI, the conversation URL (not for unified space meetings), the
    /// meeting number, then the last `replaces[].locusUrl`.
    pub(crate) fn matching(
        &self,
        locus_url: Option<&str>,
        locus: &Value,
        device_url: &str,
    ) -> Option<Meeting> {
        let str_at = |v: &Value, path: &[&str]| -> Option<String> {
            path.iter()
                .try_fold(v, |v, k| v.get(k))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        if let Some(url) = locus_url
            .map(str::to_owned)
            .or_else(|| str_at(locus, &["url"]))
            && let Some(m) = self.find(Meeting::locus_url, &url)
        {
            return Some(m);
        }
        let correlation = locus
            .pointer("/self/devices")
            .and_then(Value::as_array)
            .and_then(|devices| {
                devices
                    .iter()
                    .find(|d| d.get("url").and_then(Value::as_str) == Some(device_url))
            })
            .and_then(|d| str_at(d, &["correlationId"]));
        if let Some(c) = correlation
            && let Some(m) = self.find(|m| Some(m.correlation_id()), &c)
        {
            return Some(m);
        }
        if let Some(sip) = str_at(locus, &["self", "callbackInfo", "callbackAddress"])
            && let Some(m) = self.find(Meeting::sip_uri, &sip)
        {
            return Some(m);
        }
        let unified = locus
            .pointer("/info/isUnifiedSpaceMeeting")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if !unified
            && let Some(conv) = str_at(locus, &["conversationUrl"])
            && let Some(m) = self.find(Meeting::conversation_url, &conv)
        {
            return Some(m);
        }
        if let Some(number) = str_at(locus, &["info", "webExMeetingId"])
            && let Some(m) = self.find(Meeting::meeting_number, &number)
        {
            return Some(m);
        }
        let replaced = locus
            .get("replaces")
            .and_then(Value::as_array)
            .and_then(|r| r.last())
            .and_then(|r| str_at(r, &["locusUrl"]))?;
        self.find(Meeting::locus_url, &replaced)
    }
}
