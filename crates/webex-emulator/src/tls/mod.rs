//! TLS on request: the emulator serves `https` and `wss` on its one port,
//! with a certificate signed by a local certificate authority (CA) that it
//! makes at start (or loads from a directory the user already trusts).
//!
//! The CA's PEM file is what clients are handed (`NODE_EXTRA_CA_CERTS`,
//! `REQUESTS_CA_BUNDLE`, `SSL_CERT_FILE`, `WEBEX_CA_FILE`); the server
//! certificate is made fresh at every start, for `localhost`, `127.0.0.1`,
//! `::1`, the address being listened on and the host of the public URL.

mod authority;
mod error;
mod listener;
mod server_config;
mod store;

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use error::TlsError;
pub(crate) use listener::TlsListener;

/// How to serve TLS (see [`EmulatorConfig::tls`](crate::EmulatorConfig::tls)).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsConfig {
    /// Where the CA lives: `DIR/ca.pem` and `DIR/ca.key` are loaded when
    /// both exist, else a new CA is made and written there (the key with
    /// mode 0600), so that a client trusts it once for every later run.
    /// `None`: a new CA in a fresh directory under the system's temporary
    /// directory, removed when the emulator stops.
    pub dir: Option<PathBuf>,
}

/// TLS ready to serve: the rustls configuration, and where the CA is.
pub(crate) struct Tls {
    /// The certificate chain and key the server presents, ALPN `h2` and
    /// `http/1.1`.
    pub(crate) server: Arc<rustls::ServerConfig>,
    /// The CA certificate's PEM file (absolute).
    pub(crate) ca_path: PathBuf,
    /// The temporary directory holding the CA when no directory was
    /// given; removed when dropped.
    _temporary: Option<tempfile::TempDir>,
}

impl Tls {
    /// Loads or makes the CA as `config` says, and signs a server
    /// certificate for the loopback names, `listen_ip` and `public_host`
    /// (the host of the public URL, a DNS name or an IP address).
    ///
    /// # Errors
    ///
    /// A directory that cannot be created or written, a `ca.pem` or
    /// `ca.key` that cannot be read or parsed, or a key that does not
    /// belong to the certificate.
    pub(crate) fn prepare(
        config: &TlsConfig,
        listen_ip: IpAddr,
        public_host: Option<&str>,
    ) -> Result<Tls, TlsError> {
        let (dir, temporary) = match &config.dir {
            Some(dir) => (store::absolute(dir)?, None),
            None => {
                let temporary = tempfile::Builder::new()
                    .prefix("webex-emulator-tls-")
                    .tempdir()
                    .map_err(|source| TlsError::TemporaryDir { source })?;
                (store::absolute(temporary.path())?, Some(temporary))
            }
        };
        let (authority, ca_path) = store::load_or_create(&dir)?;
        let server =
            server_config::build(&authority, &server_names(listen_ip, public_host), &ca_path)?;
        Ok(Tls {
            server: Arc::new(server),
            ca_path,
            _temporary: temporary,
        })
    }

    /// The CA certificate's PEM file.
    pub(crate) fn ca_path(&self) -> &Path {
        &self.ca_path
    }
}

/// The names the server certificate is valid for: the loopback names, the
/// address listened on (unless it is unspecified) and the public URL's
/// host, each once.
fn server_names(listen_ip: IpAddr, public_host: Option<&str>) -> Vec<String> {
    let mut names: Vec<String> = ["localhost", "127.0.0.1", "::1"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    let listen = (!listen_ip.is_unspecified()).then(|| listen_ip.to_string());
    for name in listen.into_iter().chain(public_host.map(str::to_owned)) {
        if !names.iter().any(|known| known.eq_ignore_ascii_case(&name)) {
            names.push(name);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_certificate_names_loopback_and_the_listen_address() {
        let base = ["localhost", "127.0.0.1", "::1"];
        assert_eq!(server_names("127.0.0.1".parse().unwrap(), None), base);
        assert_eq!(server_names("0.0.0.0".parse().unwrap(), None), base);
        assert_eq!(server_names("::".parse().unwrap(), None), base);
        assert_eq!(
            server_names("10.1.2.3".parse().unwrap(), None),
            ["localhost", "127.0.0.1", "::1", "10.1.2.3"]
        );
    }

    #[test]
    fn the_certificate_names_the_public_host() {
        assert_eq!(
            server_names("0.0.0.0".parse().unwrap(), Some("emulator")),
            ["localhost", "127.0.0.1", "::1", "emulator"]
        );
        assert_eq!(
            server_names("10.1.2.3".parse().unwrap(), Some("10.1.2.3")),
            ["localhost", "127.0.0.1", "::1", "10.1.2.3"]
        );
        assert_eq!(
            server_names("127.0.0.1".parse().unwrap(), Some("LocalHost")),
            ["localhost", "127.0.0.1", "::1"]
        );
    }
}
