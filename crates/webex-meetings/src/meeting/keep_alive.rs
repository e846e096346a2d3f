//! The lobby keep-alive: while we wait to be admitted, `GET <self device keepAliveUrl>` every
//! `(keepAliveSecs − 1) × 750` ms (the JS SDK's period); it stops when we are admitted or
//! leave, and on the first failure (as in the JS SDK).

use std::time::Duration;

use webex_core::http::{Request, Target};

use super::Meeting;
use super::locus_http::parse_url;

/// The period of the keep-alive for Locus's `keepAliveSecs`.
pub(crate) fn keep_alive_period(keep_alive_secs: u64) -> Duration {
    Duration::from_millis(
        keep_alive_secs
            .saturating_sub(1)
            .saturating_mul(750)
            .max(750),
    )
}

impl Meeting {
    /// Starts (or restarts) the keep-alive task.
    pub(crate) fn start_keep_alive(&self, url: String, keep_alive_secs: u64) {
        let Ok(url) = parse_url(&url) else { return };
        let period = keep_alive_period(keep_alive_secs);
        let meeting = self.downgrade();
        let task = tokio::spawn(async move {
            let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
            loop {
                ticks.tick().await;
                let Some(meeting) = meeting.upgrade() else {
                    return;
                };
                let in_lobby = meeting.view().is_some_and(|v| v.keep_alive.is_some());
                let Ok(webex) = meeting.webex() else { return };
                if !in_lobby {
                    return;
                }
                let req = Request::get(Target::Url(url.clone()));
                if let Err(err) = webex.http().send(req).await {
                    webex_core::log_warn!(
                        webex.logger(),
                        "meetings: lobby keep-alive failed, stopping it: {err}"
                    );
                    return;
                }
            }
        });
        if let Some(old) = self.data().keep_alive.replace(task) {
            old.abort();
        }
    }

    pub(crate) fn stop_keep_alive(&self) {
        if let Some(task) = self.data().keep_alive.take() {
            task.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_period_is_three_quarters_of_one_second_less() {
        assert_eq!(keep_alive_period(20), Duration::from_millis(14_250));
        assert_eq!(keep_alive_period(1), Duration::from_millis(750));
        assert_eq!(keep_alive_period(0), Duration::from_millis(750));
    }
}
