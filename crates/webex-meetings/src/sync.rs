//! `sync_meetings()`: the loci Locus has for this user (`GET {locus}/loci`, and each remote
//! cluster's), each to its meeting as a Locus event would be; meetings Locus no longer has
//! are removed.

use std::collections::HashSet;

use serde::Deserialize;
use serde_json::Value;
use webex_core::http::{Request, Target};

use crate::error::Result;
use crate::ext::Meetings;
use crate::meetings_events::{MeetingsEvent, RemovedReason};
use crate::routing::handle_locus;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Loci {
    #[serde(default)]
    loci: Vec<Value>,
    #[serde(default)]
    remote_locus_cluster_urls: Vec<String>,
}

impl Meetings {
    /// Brings the collection in line with Locus: every locus of this user reaches its
    /// meeting (or makes one), and every meeting Locus does not list is removed
    /// ([`RemovedReason::NoMeetingsToSync`]). Skipped for guests, as in the JS SDK.
    ///
    /// # Errors
    /// [`MeetingError::NotRegistered`](crate::MeetingError::NotRegistered); HTTP errors.
    pub async fn sync_meetings(&self) -> Result<()> {
        self.sync(true).await
    }

    /// `keep_only_locus_meetings`: also remove meetings that have no Locus (true for the
    /// public call, false after a reconnect, as in the JS SDK).
    pub(crate) async fn sync(&self, keep_only_locus_meetings: bool) -> Result<()> {
        let shared = self.shared()?.clone();
        let registration = self.registration()?;
        if registration.is_guest {
            return Ok(());
        }
        let req = Request::get(Target::service("locus", "loci"));
        let mut answer: Loci = self.webex.http().json(req).await?;
        for remote in std::mem::take(&mut answer.remote_locus_cluster_urls) {
            let url = crate::meeting::parse_url(&remote)?;
            let more: Loci = self
                .webex
                .http()
                .json(Request::get(Target::Url(url)))
                .await?;
            answer.loci.extend(more.loci);
        }
        let mut seen = HashSet::new();
        for locus in answer.loci {
            let Some(url) = locus.get("url").and_then(Value::as_str).map(str::to_owned) else {
                continue;
            };
            handle_locus(
                &self.webex,
                &shared,
                &registration.device_url,
                crate::routing::SYNC,
                Some(&url),
                locus,
            );
            seen.insert(url);
        }
        for meeting in shared.collection.list() {
            let gone = match meeting.locus_url() {
                Some(url) => !seen.contains(&url),
                None => keep_only_locus_meetings,
            };
            if gone && shared.collection.remove(meeting.id()).is_some() {
                meeting.close();
                shared.emit(MeetingsEvent::Removed {
                    meeting_id: meeting.id().to_owned(),
                    reason: RemovedReason::NoMeetingsToSync,
                });
            }
        }
        Ok(())
    }
}
