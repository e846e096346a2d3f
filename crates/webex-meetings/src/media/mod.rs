//! What a meeting needs to carry media (the `media` feature): the options of
//! [`Meeting::add_media`](crate::Meeting::add_media), the typed failures, the `PUT
//! {selfUrl}/media` body that carries a ROAP message, and the signalling failures a waiting
//! negotiation ends on.
//!
//! The media connection itself (`webex_media::MediaConnection`) makes offers and applies
//! answers; the meeting (`meeting/media*.rs`) carries its ROAP messages over Locus.

mod body;
mod error;
mod metrics;
mod options;
mod signalling;

pub(crate) use body::{RoapBody, roap_body};
pub use error::MediaFailure;
pub(crate) use metrics::HttpMetricsSink;
pub use options::MediaOptions;
pub(crate) use signalling::{Mark as SignallingMark, SignallingFailures};
