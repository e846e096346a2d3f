//! Where the token may go: the socket URL of a device must be `wss://` on a host the client
//! trusts with its token, or plain `ws://` to a loopback address (a local test server).

use url::{Host, Url};
use webex_core::Webex;

use crate::MercuryError;

/// Checks `url` with the rule of the client's HTTP auth layer
/// ([`ServiceCatalog::trusts`](webex_core::catalog::ServiceCatalog::trusts): a Webex domain,
/// a catalog host, or `services.allowed_domains`), plus the scheme rule.
///
/// # Errors
/// [`MercuryError::UntrustedUrl`] saying why.
pub(crate) fn check(webex: &Webex, url: &Url) -> Result<(), MercuryError> {
    let reject = |reason: &str| MercuryError::UntrustedUrl {
        url: format!(
            "{}://{}{}",
            url.scheme(),
            url.host_str().unwrap_or_default(),
            url.port().map(|p| format!(":{p}")).unwrap_or_default()
        ),
        reason: reason.to_owned(),
    };
    match url.scheme() {
        "wss" => {}
        "ws" if is_loopback(url) => {}
        "ws" => return Err(reject("plain ws:// is allowed only to a loopback address")),
        _ => return Err(reject("not a websocket URL")),
    }
    if webex.services().catalog().trusts(url) {
        Ok(())
    } else {
        Err(reject(
            "the host is not a Webex domain, a catalog host or in services.allowed_domains",
        ))
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_wss_to_trusted_hosts_or_ws_to_loopback() {
        let webex = Webex::builder()
            .without_catalog()
            .configure(|c| c.services.allowed_domains.push("example.test".into()))
            .build()
            .await
            .unwrap();
        let check = |url: &str| check(&webex, &Url::parse(url).unwrap());
        assert!(check("wss://mercury-connection-a5.wbx2.com/v1/apps/wx2/registrations/x").is_ok());
        assert!(check("wss://mercury.example.test/x").is_ok());
        for (url, why) in [
            ("ws://mercury-connection-a5.wbx2.com/x", "loopback"),
            ("wss://evil.example.com/wbx2.com", "not a Webex domain"),
            ("wss://wbx2.com.evil.example/x", "not a Webex domain"),
            ("https://mercury.wbx2.com/x", "not a websocket URL"),
            // Loopback, but not a host the client trusts with its token.
            ("ws://127.0.0.1:9/x", "not a Webex domain"),
        ] {
            let err = check(url).unwrap_err();
            assert!(
                matches!(&err, MercuryError::UntrustedUrl { reason, .. } if reason.contains(why)),
                "{url}: {err}"
            );
            assert!(!err.to_string().contains("/x"), "{err}");
        }
    }

    #[test]
    fn loopback_hosts() {
        for (url, loopback) in [
            ("ws://127.0.0.1:1/", true),
            ("ws://127.9.9.9/", true),
            ("ws://[::1]:1/", true),
            ("ws://localhost:1/", true),
            ("ws://10.0.0.1/", false),
            ("ws://localhost.example/", false),
        ] {
            assert_eq!(is_loopback(&Url::parse(url).unwrap()), loopback, "{url}");
        }
    }
}
