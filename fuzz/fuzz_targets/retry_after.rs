//! `Retry-After` values: never a panic; delta seconds are read exactly; a date gives at most
//! the time from `now` to that date.

#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use http::HeaderValue;
use libfuzzer_sys::fuzz_target;
use webex_core::http::retry_after;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = HeaderValue::from_bytes(data) else {
        return;
    };
    let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let delay = retry_after::parse(&value, now);
    let Ok(text) = value.to_str() else {
        assert_eq!(delay, None, "a value that is not text has no delay");
        return;
    };
    if let Ok(secs) = text.trim().parse::<u64>() {
        assert_eq!(delay, Some(Duration::from_secs(secs)));
    }
    if let Ok(at) = httpdate::parse_http_date(text.trim()) {
        let until = at.duration_since(now).unwrap_or(Duration::ZERO);
        assert_eq!(delay, Some(until), "{text:?}");
    }
    // The same value read later never asks to wait longer.
    let later = retry_after::parse(&value, now + Duration::from_secs(60));
    if let (Some(delay), Some(later)) = (delay, later) {
        assert!(later <= delay, "{text:?}");
    }
});
