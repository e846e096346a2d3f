//! Counting received requests, so tests can assert on retries and refreshes.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use super::Control;
use super::routes::is_admin_path;
use crate::kit::lock;

/// How many non-admin requests arrived, per exact path.
///
/// Counts per distinct path rather than a list of every request, so a
/// long-running emulator does not grow with traffic, only with the number of
/// resources.
#[derive(Default)]
pub(crate) struct RequestLog {
    per_path: HashMap<String, usize>,
}

impl RequestLog {
    /// Records one request for `path`.
    pub(crate) fn record(&mut self, path: &str) {
        *self.per_path.entry(path.to_owned()).or_default() += 1;
    }

    /// How many recorded requests had a path starting with `prefix`.
    pub(crate) fn count(&self, prefix: &str) -> usize {
        self.per_path
            .iter()
            .filter(|(path, _)| path.starts_with(prefix))
            .map(|(_, count)| count)
            .sum()
    }
}

/// Middleware: records every non-admin request before faults can answer it,
/// so a request that a fault rejected still counts as received.
pub(crate) async fn middleware(
    State(control): State<Arc<Control>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if !is_admin_path(path) {
        lock(&control.requests).record(path);
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_prefix() {
        let mut log = RequestLog::default();
        log.record("/v1/people/me");
        log.record("/v1/people/me");
        log.record("/v1/people/abc");
        log.record("/u2c/api/v1/catalog");
        assert_eq!(log.count("/v1/people/me"), 2);
        assert_eq!(log.count("/v1/"), 3);
        assert_eq!(log.count(""), 4);
        assert_eq!(log.count("/wdm"), 0);
    }
}
