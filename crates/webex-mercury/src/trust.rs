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
