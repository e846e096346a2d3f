//! Where a secret (the access token, any credential header) may travel: only over `https`,
//! or over plain `http` to this machine (loopback: `127.0.0.0/8`, `::1`, `localhost` and
//! names under `.localhost`), where nobody on the network can read it.

use std::net::IpAddr;

use url::Url;

/// Whether `host` (as a URL shows it: IPv6 in brackets) is this machine.
#[must_use]
pub fn is_loopback_host(host: &str) -> bool {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return ip.is_loopback();
    }
    let name = host.trim_end_matches('.');
    name.eq_ignore_ascii_case("localhost")
        || name
            .len()
            .checked_sub(".localhost".len())
            .and_then(|at| name.get(at..))
            .is_some_and(|tail| tail.eq_ignore_ascii_case(".localhost"))
}

/// Whether `url`'s host is this machine.
#[must_use]
pub fn is_loopback(url: &Url) -> bool {
    url.host_str().is_some_and(is_loopback_host)
}

fn secure(scheme: &str, host: Option<&str>) -> bool {
    match scheme {
        "https" | "wss" => true,
        "http" | "ws" => host.is_some_and(is_loopback_host),
        _ => false,
    }
}

/// Whether a secret may be sent to `url` as far as the transport goes: `https`, or `http`
/// to a loopback host. Any other scheme never carries one.
#[must_use]
pub fn is_secure_transport(url: &Url) -> bool {
    secure(url.scheme(), url.host_str())
}

/// [`is_secure_transport`] for an `http::Uri` (what the transport sends).
#[must_use]
pub fn is_secure_uri(uri: &http::Uri) -> bool {
    uri.scheme_str()
        .is_some_and(|scheme| secure(scheme, uri.host()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secure(u: &str) -> bool {
        is_secure_transport(&Url::parse(u).unwrap())
    }

    #[test]
    fn https_anywhere_http_only_to_loopback() {
        assert!(secure("https://webexapis.com/v1"));
        assert!(secure("http://127.0.0.1:8080/v1"));
        assert!(secure("http://127.0.0.2/v1"));
        assert!(secure("http://[::1]:1/v1"));
        assert!(secure("http://localhost:1/v1"));
        assert!(secure("http://hydra.LOCALHOST/v1"));
        assert!(!secure("http://webexapis.com/v1"));
        assert!(!secure("http://127.0.0.1.example.com/v1"));
        assert!(!secure("http://notlocalhost/v1"));
        assert!(!secure("http://10.0.0.1/v1"));
        assert!(!secure("ftp://localhost/x"));
        for (uri, ok) in [
            ("https://webexapis.com/v1", true),
            ("http://[::1]:8/v1", true),
            ("http://127.0.0.1:8/v1", true),
            ("http://webexapis.com/v1", false),
            ("/relative", false),
        ] {
            assert_eq!(is_secure_uri(&uri.parse().unwrap()), ok, "{uri}");
        }
    }
}
