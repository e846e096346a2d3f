//! Where clients reach the emulator.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

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

    /// `HOST:PORT`, the form a URL's `host` has and hostmap keys use.
    pub(crate) fn host_port(&self) -> String {
        format!("{}:{}", self.host, self.port)
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
        let v4 = Endpoint::for_bound("0.0.0.0:80".parse().unwrap());
        assert_eq!(v4.base_url(), "http://127.0.0.1:80");
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
}
