//! What `listen()` needs to know about one resource (`messages`, `rooms`, ...): how its
//! activities become events, whether it can recover what a reconnect missed, and how to tell
//! one of its events from a copy.

use futures::future::BoxFuture;
use webex_core::Result;
use webex_mercury::Activity;

use super::backfill::Backfill;
use super::clusters::Clusters;
use super::error::ListenError;
use super::event::{Envelope, HydraEvent};
use super::fetch::MessageFetches;

/// One item of a `listen()` stream.
pub(crate) type Item<D> = Result<HydraEvent<D>, ListenError>;

/// One event converted from an activity: ready, or still to be fetched.
pub(crate) enum Converted<D> {
    /// Built from the activity alone.
    Ready(HydraEvent<D>),
    /// Needs a request (the created message from Hydra); run concurrently with others.
    Fetch(BoxFuture<'static, Result<HydraEvent<D>>>),
}

/// A resource `listen()` reports on.
pub(crate) trait Resource: Send + Sync + 'static {
    /// The events' `data`.
    type Data: Send + 'static;
    /// The events' `resource`.
    const NAME: &'static str;

    /// The events for `activity` (none when the resource has none for its verb); a message
    /// to fetch is asked of `fetches`, which fetches a batch's messages together.
    ///
    /// # Errors
    /// An activity without what the conversion needs (`ErrorKind::InvalidResponse`), or a URL
    /// whose cluster the catalog does not know.
    fn convert(
        &self,
        clusters: &Clusters,
        envelope: &Envelope,
        activity: Activity,
        fetches: &mut MessageFetches,
    ) -> Result<Vec<Converted<Self::Data>>>;

    /// The events that may have been missed while the socket was down (or the stream lagged),
    /// recovered over REST; `None` when the resource has no way to.
    fn backfill(&self, _request: Backfill) -> Option<BoxFuture<'static, Vec<Item<Self::Data>>>> {
        None
    }

    /// What identifies an event across live delivery and backfill; events without one are
    /// never de-duplicated.
    fn dedup_key(_event: &HydraEvent<Self::Data>) -> Option<&str> {
        None
    }
}
