//! What the bench clients share: their environment and how they measure
//! themselves. Included by each bench example with `#[path]`.

use std::time::Duration;

use nix::sys::resource::{UsageWho, getrusage};

/// The error type of the bench clients.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A required environment variable.
pub(crate) fn var(name: &str) -> Result<String, BoxError> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| format!("set {name}").into())
}

/// An optional numeric environment variable.
pub(crate) fn number(name: &str, default: usize) -> Result<usize, BoxError> {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .map_err(|e| format!("{name}={v}: {e}").into()),
        Err(_) => Ok(default),
    }
}

/// User plus system CPU time of this process so far (all threads).
pub(crate) fn cpu_time() -> Result<Duration, BoxError> {
    let usage = getrusage(UsageWho::RUSAGE_SELF)?;
    let micros = |t: nix::sys::time::TimeVal| {
        Duration::from_secs(u64::try_from(t.tv_sec()).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t.tv_usec()).unwrap_or(0))
    };
    Ok(micros(usage.user_time()) + micros(usage.system_time()))
}
