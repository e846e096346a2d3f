//! Where clients reach the emulator: the bound address, or the public URL
//! it was told to advertise (a container's service name, a proxy).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use url::Url;

/// Whether clients reach the emulator over TLS; every URL it hands out
/// follows it (`https`/`wss`, or `http`/`ws`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// Plain `http` and `ws`.
    #[default]
    Plain,
    /// `https` and `wss`.
    Tls,
}

impl Scheme {
    /// `http` or `https`.
    pub(crate) fn http(self) -> &'static str {
        match self {
            Scheme::Plain => "http",
            Scheme::Tls => "https",
        }
    }

    /// `ws` or `wss`.
    pub(crate) fn websocket(self) -> &'static str {
        match self {
            Scheme::Plain => "ws",
            Scheme::Tls => "wss",
        }
    }

    /// The port a URL of this scheme leaves out: 80 or 443.
    fn default_port(self) -> u16 {
        match self {
            Scheme::Plain => 80,
            Scheme::Tls => 443,
        }
    }
}

/// A public URL the emulator cannot advertise (`--public-url`,
/// [`EmulatorConfig::public_url`](crate::EmulatorConfig::public_url)).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid public URL {url:?}: {reason}")]
pub struct PublicUrlError {
    /// The URL as given.
    pub url: String,
    /// What is wrong with it.
    pub reason: String,
}

/// The address clients use to reach the emulator.
#[derive(Clone, Debug)]
pub(crate) struct Endpoint {
    /// Host as it appears in a URL: `127.0.0.1`, or `[::1]` for IPv6.
    pub(crate) host: String,
    /// The bound port.
    pub(crate) port: u16,
    /// Plain or TLS.
    pub(crate) scheme: Scheme,
}

impl Endpoint {
    /// The endpoint for a bound socket. An unspecified address (`0.0.0.0`,
    /// `::`) cannot be connected to portably, so the matching loopback
    /// address is advertised instead.
    pub(crate) fn for_bound(addr: SocketAddr) -> Self {
        let addr = reachable(addr);
        let host = match addr.ip() {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => format!("[{v6}]"),
        };
        Self {
            host,
            port: addr.port(),
            scheme: Scheme::Plain,
        }
    }

    /// The endpoint a client reaches at `url`, a base URL (scheme, host,
    /// optional port; the port defaults to the scheme's) whose scheme must
    /// be `scheme`'s: `https` with TLS on, `http` with it off.
    pub(crate) fn public(url: &str, scheme: Scheme) -> Result<Self, PublicUrlError> {
        let invalid = |reason: String| PublicUrlError {
            url: url.to_owned(),
            reason,
        };
        let parsed = Url::parse(url).map_err(|error| invalid(error.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(invalid("the scheme must be http or https".to_owned()));
        }
        if parsed.scheme() != scheme.http() {
            let tls = if scheme == Scheme::Tls { "on" } else { "off" };
            return Err(invalid(format!(
                "it is {} but TLS is {tls}: use {}://",
                parsed.scheme(),
                scheme.http()
            )));
        }
        let host = parsed
            .host_str()
            .filter(|host| !host.is_empty())
            .ok_or_else(|| invalid("it has no host".to_owned()))?;
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(invalid(
                "it must not carry a user name or password".to_owned(),
            ));
        }
        if parsed.path() != "/" || parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(invalid(
                "only a scheme, a host and a port are allowed (no path, query or fragment): \
                 the emulator's services live at fixed paths"
                    .to_owned(),
            ));
        }
        Ok(Self {
            host: host.to_owned(),
            port: parsed
                .port_or_known_default()
                .unwrap_or(scheme.default_port()),
            scheme,
        })
    }

    /// The same endpoint reached with `scheme`.
    pub(crate) fn with_scheme(self, scheme: Scheme) -> Self {
        Self { scheme, ..self }
    }

    /// `http://HOST:PORT` (`https://` over TLS), without a trailing slash.
    pub(crate) fn base_url(&self) -> String {
        self.origin(&self.host_port())
    }

    /// `ws://HOST:PORT` (`wss://` over TLS), without a trailing slash.
    pub(crate) fn websocket_base_url(&self) -> String {
        format!("{}://{}", self.scheme.websocket(), self.host_port())
    }

    /// `http://HOST_PORT` (`https://` over TLS) for another name of this
    /// server, such as `localhost:PORT`.
    pub(crate) fn origin(&self, host_port: &str) -> String {
        format!("{}://{host_port}", self.scheme.http())
    }

    /// `HOST:PORT`, the form a URL's `host` has and hostmap keys use; just
    /// `HOST` when the port is the scheme's default, as URL parsers (and
    /// so clients computing hostmap keys) leave it out.
    pub(crate) fn host_port(&self) -> String {
        self.port_of(&self.host)
    }

    /// A second name of this server, for the catalog's `identityLookup`
    /// key, which must differ from the main one (the JS SDK takes a key's
    /// service id from its first entry): `localhost` for an IP address,
    /// `127.0.0.1` for `localhost`, and for any other DNS name its
    /// absolute spelling with a trailing dot (`emulator.`), which resolves
    /// to the same host.
    pub(crate) fn lookup_host(&self) -> String {
        let bare = self.certificate_name();
        if bare.eq_ignore_ascii_case("localhost") {
            Ipv4Addr::LOCALHOST.to_string()
        } else if bare.parse::<IpAddr>().is_ok() {
            "localhost".to_owned()
        } else if let Some(relative) = bare.strip_suffix('.') {
            relative.to_owned()
        } else {
            format!("{bare}.")
        }
    }

    /// The `host` of the `identityLookup` key's entry, where clients (the
    /// JS SDK, ours) send what they look up: they move the link onto its
    /// entry's host. [`Endpoint::lookup_host`], except for a DNS name,
    /// whose absolute spelling only keeps the key apart: its entry names
    /// the host as given, so no resolver has to know the dotted form (a
    /// Kubernetes service name, for one, resolves only through search
    /// domains, which an absolute name skips).
    pub(crate) fn lookup_entry_host(&self) -> String {
        let lookup = self.lookup_host();
        if lookup.ends_with('.') {
            self.certificate_name().to_owned()
        } else {
            lookup
        }
    }

    /// [`Endpoint::lookup_host`] with the port, as [`Endpoint::host_port`].
    pub(crate) fn lookup_host_port(&self) -> String {
        self.port_of(&self.lookup_host())
    }

    /// The host as a certificate names it: without the brackets of an
    /// IPv6 address.
    pub(crate) fn certificate_name(&self) -> &str {
        self.host
            .strip_prefix('[')
            .and_then(|host| host.strip_suffix(']'))
            .unwrap_or(&self.host)
    }

    /// `host` with this endpoint's port, unless it is the default one.
    fn port_of(&self, host: &str) -> String {
        if self.port == self.scheme.default_port() {
            host.to_owned()
        } else {
            format!("{host}:{}", self.port)
        }
    }
}

/// The address clients connect to for a socket bound to `addr`: the
/// matching loopback address for an unspecified one (`0.0.0.0`, `::`).
pub(crate) fn reachable(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_advertises_loopback_for_unspecified_addresses() {
        let v4 = Endpoint::for_bound("0.0.0.0:8080".parse().unwrap());
        assert_eq!(v4.base_url(), "http://127.0.0.1:8080");
        let v6 = Endpoint::for_bound("[::]:81".parse().unwrap());
        assert_eq!(v6.host_port(), "[::1]:81");
        let exact = Endpoint::for_bound("127.0.0.5:82".parse().unwrap());
        assert_eq!(exact.host, "127.0.0.5");
        assert_eq!(
            reachable("0.0.0.0:83".parse().unwrap()),
            "127.0.0.1:83".parse().unwrap()
        );
    }

    #[test]
    fn every_url_follows_the_scheme() {
        let plain = Endpoint::for_bound("127.0.0.1:84".parse().unwrap());
        assert_eq!(plain.websocket_base_url(), "ws://127.0.0.1:84");
        assert_eq!(plain.origin("localhost:84"), "http://localhost:84");
        let tls = plain.with_scheme(Scheme::Tls);
        assert_eq!(tls.base_url(), "https://127.0.0.1:84");
        assert_eq!(tls.websocket_base_url(), "wss://127.0.0.1:84");
        assert_eq!(tls.origin("localhost:84"), "https://localhost:84");
    }

    #[test]
    fn the_default_port_is_left_out_like_url_parsers_do() {
        let plain = Endpoint::for_bound("127.0.0.1:80".parse().unwrap());
        assert_eq!(plain.base_url(), "http://127.0.0.1");
        assert_eq!(plain.lookup_host_port(), "localhost");
        let tls = Endpoint::for_bound("127.0.0.1:443".parse().unwrap()).with_scheme(Scheme::Tls);
        assert_eq!(tls.websocket_base_url(), "wss://127.0.0.1");
        assert_eq!(
            tls.clone().with_scheme(Scheme::Plain).host_port(),
            "127.0.0.1:443"
        );
    }

    #[test]
    fn a_public_url_is_what_is_advertised() {
        let service = Endpoint::public("http://emulator:8642", Scheme::Plain).unwrap();
        assert_eq!(service.base_url(), "http://emulator:8642");
        assert_eq!(service.websocket_base_url(), "ws://emulator:8642");
        assert_eq!(service.lookup_host_port(), "emulator.:8642");
        assert_eq!(service.lookup_entry_host(), "emulator");
        assert_eq!(service.certificate_name(), "emulator");
        let proxy = Endpoint::public("https://webex.test/", Scheme::Tls).unwrap();
        assert_eq!(proxy.base_url(), "https://webex.test");
        assert_eq!(proxy.port, 443);
        assert_eq!(proxy.lookup_host(), "webex.test.");
        let absolute = Endpoint::public("http://emulator.:1", Scheme::Plain).unwrap();
        assert_eq!(absolute.lookup_host(), "emulator");
        let v6 = Endpoint::public("http://[::1]:9", Scheme::Plain).unwrap();
        assert_eq!(v6.host_port(), "[::1]:9");
        assert_eq!(v6.certificate_name(), "::1");
        assert_eq!(v6.lookup_host(), "localhost");
        assert_eq!(v6.lookup_entry_host(), "localhost");
        let local = Endpoint::public("http://LOCALHOST:7", Scheme::Plain).unwrap();
        assert_eq!(local.lookup_host_port(), "127.0.0.1:7");
    }

    #[test]
    fn a_public_url_that_cannot_be_advertised_is_refused() {
        let reason = |url: &str, scheme| Endpoint::public(url, scheme).unwrap_err().reason;
        assert_eq!(
            reason("http://emulator:8642", Scheme::Tls),
            "it is http but TLS is on: use https://"
        );
        assert_eq!(
            reason("https://emulator", Scheme::Plain),
            "it is https but TLS is off: use http://"
        );
        assert!(reason("ftp://emulator", Scheme::Plain).contains("http or https"));
        assert!(reason("emulator:8642", Scheme::Plain).contains("http or https"));
        assert!(reason("http://emulator/webex", Scheme::Plain).contains("no path"));
        assert!(reason("http://emulator/?a=1", Scheme::Plain).contains("no path"));
        assert!(reason("http://ada:pw@emulator", Scheme::Plain).contains("user name"));
        assert!(!reason("not a url", Scheme::Plain).is_empty());
        let error = Endpoint::public("http://a b", Scheme::Plain).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("invalid public URL \"http://a b\": ")
        );
    }
}
