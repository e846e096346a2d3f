//! What the handles ask the driver task to do.

use tokio::sync::oneshot;

use crate::audio::AudioSource;
use crate::backend::Direction;
use crate::error::MediaError;
use crate::roap::RoapMessage;
use crate::stats::MediaStats;

/// Where a command's result goes.
pub(super) type Reply<T> = oneshot::Sender<Result<T, MediaError>>;

/// A request to the driver.
pub(super) enum Command {
    InitiateOffer(Reply<()>),
    RoapReceived(RoapMessage, Reply<()>),
    SetAudioSource(Option<Box<dyn AudioSource>>),
    #[cfg(feature = "video")]
    SetVideoSource(Option<Box<dyn crate::video::VideoSource>>, Reply<()>),
    UpdateDirections([Direction; 3], Reply<()>),
    Stats(Reply<MediaStats>),
    Close(oneshot::Sender<()>),
}
