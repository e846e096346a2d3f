//! Failures of the Locus side of a negotiation: a `PUT {selfUrl}/media` carrying a ROAP
//! message that failed. The connection cannot know of them (no answer will come), so the
//! meeting's media driver reports them here and a waiting `add_media` or `update_media`
//! ends at once instead of at the ROAP deadline.

use tokio::sync::watch;

/// The failures so far (a count, and the last one's reason).
#[derive(Debug, Clone)]
pub(crate) struct SignallingFailures {
    sender: watch::Sender<(u64, String)>,
}

impl Default for SignallingFailures {
    fn default() -> Self {
        Self {
            sender: watch::channel((0, String::new())).0,
        }
    }
}

/// The count of failures when a wait began.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark(u64);

impl SignallingFailures {
    /// The failures so far, to wait for a later one.
    pub(crate) fn mark(&self) -> Mark {
        Mark(self.sender.borrow().0)
    }

    /// A request failed.
    pub(crate) fn failed(&self, reason: String) {
        self.sender.send_modify(|(count, last)| {
            *count += 1;
            *last = reason;
        });
    }

    /// Waits for a failure after `mark` and answers its reason (pending forever if none).
    pub(crate) async fn after(&self, mark: Mark) -> String {
        let mut receiver = self.sender.subscribe();
        let reason = receiver
            .wait_for(|(count, _)| *count > mark.0)
            .await
            .map(|failure| failure.1.clone());
        match reason {
            Ok(reason) => reason,
            // The sender lives in `self`: never closed while this runs.
            Err(_) => std::future::pending().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_failure_after_the_mark_ends_the_wait_and_an_earlier_one_does_not() {
        let failures = SignallingFailures::default();
        failures.failed("before".into());
        let mark = failures.mark();
        let wait = {
            let failures = failures.clone();
            tokio::spawn(async move { failures.after(mark).await })
        };
        tokio::task::yield_now().await;
        assert!(!wait.is_finished());
        failures.failed("Locus answered 500".into());
        assert_eq!(wait.await.unwrap(), "Locus answered 500");
    }
}
