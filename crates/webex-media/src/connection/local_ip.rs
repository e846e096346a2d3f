//! Choosing the local address to bind: the one the system routes from toward the media host.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};

use crate::error::MediaError;

/// Any port: connecting a UDP socket sends nothing, it only picks the route.
const PROBE_PORT: u16 = 9;
/// Toward this address when no host is known (a public one: the default route).
const DEFAULT_ROUTE: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);

/// The source address of the route toward `host` (or the default route).
///
/// # Errors
///
/// [`MediaError::Io`] when `host` does not resolve or no route leads there.
pub(super) async fn toward(host: Option<&str>) -> Result<IpAddr, MediaError> {
    let target = match host {
        Some(host) => {
            let host = host.trim_start_matches('[').trim_end_matches(']');
            tokio::net::lookup_host((host, PROBE_PORT))
                .await?
                .next()
                .ok_or_else(|| {
                    std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        format!("media host {host} does not resolve"),
                    )
                })?
        }
        None => SocketAddr::new(DEFAULT_ROUTE.into(), PROBE_PORT),
    };
    let unspecified: IpAddr = if target.is_ipv4() {
        Ipv4Addr::UNSPECIFIED.into()
    } else {
        std::net::Ipv6Addr::UNSPECIFIED.into()
    };
    let probe = UdpSocket::bind((unspecified, 0))?;
    probe.connect(target)?;
    Ok(probe.local_addr()?.ip())
}
