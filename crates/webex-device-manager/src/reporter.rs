//! While a device is paired, its audio state is reported to Lyra every 10
//! minutes (`PUT {space url}/audio`), as the JS SDK asks of its apps.

use std::sync::Arc;
use std::time::Duration;

use tokio::task::AbortHandle;
use webex_core::WeakWebex;

use crate::manager::DeviceManager;
use crate::state::Shared;

/// How often the audio state is reported while paired.
pub const AUDIO_REPORT_PERIOD: Duration = Duration::from_secs(10 * 60);

/// Starts reporting; the task ends when aborted (unpair) or when the client
/// is gone. It holds no client handle between reports.
pub(crate) fn spawn(webex: WeakWebex, shared: Arc<Shared>) -> AbortHandle {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(AUDIO_REPORT_PERIOD).await;
            let Some(webex) = webex.upgrade() else {
                return;
            };
            let (paired, audio) = {
                let state = shared.state();
                (state.paired.clone(), state.audio.clone())
            };
            let Some(space) = paired else {
                return;
            };
            let manager = DeviceManager { webex };
            let result = match audio {
                Some(audio) => manager.put_audio_state(&space, &audio).await,
                None => match manager.audio_state().await {
                    Ok(audio) => manager.put_audio_state(&space, &audio).await,
                    Err(error) => Err(error),
                },
            };
            if let Err(error) = result {
                webex_core::log_warn!(
                    manager.webex.logger(),
                    "devicemanager: audio state report for space {} failed: {error}",
                    space.id()
                );
            }
        }
    })
    .abort_handle()
}
