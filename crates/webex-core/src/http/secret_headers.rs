//! Request headers that carry credentials: what a redirect to an untrusted or insecure place
//! drops, and what the transport refuses to send in clear.

use http::HeaderMap;
use http::header::{AUTHORIZATION, COOKIE, HeaderName, PROXY_AUTHORIZATION};

/// Headers that are secret by name, whatever their value says.
const SECRET_HEADERS: [HeaderName; 5] = [
    AUTHORIZATION,
    PROXY_AUTHORIZATION,
    COOKIE,
    HeaderName::from_static("x-api-key"),
    HeaderName::from_static("x-auth-token"),
];

/// Whether `headers` carry a credential: a header secret by name, or any value marked
/// sensitive (`HeaderValue::set_sensitive`), the way a plugin flags a credential of its own.
#[must_use]
pub fn carries_secret(headers: &HeaderMap) -> bool {
    SECRET_HEADERS.iter().any(|name| headers.contains_key(name))
        || headers.values().any(http::HeaderValue::is_sensitive)
}

/// Removes every credential header (see [`carries_secret`]) from `headers`.
pub fn strip(headers: &mut HeaderMap) {
    for name in SECRET_HEADERS {
        headers.remove(name);
    }
    let sensitive: Vec<HeaderName> = headers
        .iter()
        .filter(|(_, v)| v.is_sensitive())
        .map(|(k, _)| k.clone())
        .collect();
    for name in sensitive {
        headers.remove(name);
    }
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    #[test]
    fn strips_named_and_sensitive_headers_only() {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer x"));
        headers.insert(COOKIE, HeaderValue::from_static("s=1"));
        let mut own = HeaderValue::from_static("y");
        own.set_sensitive(true);
        headers.insert("x-plugin-credential", own);
        headers.insert("trackingid", HeaderValue::from_static("t"));
        assert!(carries_secret(&headers));
        strip(&mut headers);
        assert!(!carries_secret(&headers));
        assert_eq!(headers.len(), 1);
        assert!(headers.contains_key("trackingid"));
    }
}
