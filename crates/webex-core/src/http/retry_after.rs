//! A tolerant `Retry-After` parser: delta seconds or an HTTP date.

use std::time::{Duration, SystemTime};

use http::HeaderValue;

/// The longest `Retry-After` an [`Error`](crate::Error) reports when no retry policy says
/// otherwise: the default of
/// [`RetryConfig::max_retry_after`](crate::config::RetryConfig::max_retry_after).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// The cap the retry layer applied to a response, for the error made from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RetryAfterCap(pub(crate) Duration);

/// The delay a `Retry-After` value asks for, measured from `now` for HTTP dates.
/// Garbage, negative numbers and unparsable dates give `None`; a date in the past gives zero.
#[must_use]
pub fn parse(value: &HeaderValue, now: SystemTime) -> Option<Duration> {
    let text = value.to_str().ok()?.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    // Some servers send fractional seconds.
    if let Ok(secs) = text.parse::<f64>() {
        return Duration::try_from_secs_f64(secs).ok();
    }
    let at = httpdate::parse_http_date(text).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hv(s: &str) -> HeaderValue {
        HeaderValue::from_str(s).unwrap()
    }

    #[test]
    fn seconds_dates_and_garbage() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(parse(&hv("1"), now), Some(Duration::from_secs(1)));
        assert_eq!(parse(&hv(" 120 "), now), Some(Duration::from_secs(120)));
        assert_eq!(parse(&hv("1.5"), now), Some(Duration::from_millis(1500)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(parse(&hv(&later), now), Some(Duration::from_secs(30)));
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(parse(&hv(&earlier), now), Some(Duration::ZERO));
        assert_eq!(parse(&hv("soon"), now), None);
        assert_eq!(parse(&hv("-5"), now), None);
        assert_eq!(parse(&hv(""), now), None);
    }
}
