//! TLS on request: the emulator serves `https` and `wss` on its one port,
//! with a certificate signed by a local certificate authority (CA) that it
//! makes at start (or loads from a directory the user already trusts).
//!
//! The CA's PEM file is what clients are handed (`NODE_EXTRA_CA_CERTS`,
//! `REQUESTS_CA_BUNDLE`, `SSL_CERT_FILE`, `WEBEX_CA_FILE`); the server
//! certificate is made fresh at every start, for `localhost`, `127.0.0.1`,
//! `::1` and the address being listened on.

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
    /// certificate for the loopback names and `listen_ip`.
    ///
    /// # Errors
    ///
    /// A directory that cannot be created or written, a `ca.pem` or
    /// `ca.key` that cannot be read or parsed, or a key that does not
    /// belong to the certificate.
    pub(crate) fn prepare(config: &TlsConfig, listen_ip: IpAddr) -> Result<Tls, TlsError> {
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
        let server = server_config::build(&authority, &server_names(listen_ip), &ca_path)?;
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

/// The names the server certificate is valid for: the loopback names and
/// the address listened on (unless it is unspecified or already there).
fn server_names(listen_ip: IpAddr) -> Vec<String> {
    let mut names: Vec<String> = ["localhost", "127.0.0.1", "::1"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    let listen = listen_ip.to_string();
    if !listen_ip.is_unspecified() && !names.contains(&listen) {
        names.push(listen);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_certificate_names_loopback_and_the_listen_address() {
        let base = ["localhost", "127.0.0.1", "::1"];
        assert_eq!(server_names("127.0.0.1".parse().unwrap()), base);
        assert_eq!(server_names("0.0.0.0".parse().unwrap()), base);
        assert_eq!(server_names("::".parse().unwrap()), base);
        assert_eq!(
            server_names("10.1.2.3".parse().unwrap()),
            ["localhost", "127.0.0.1", "::1", "10.1.2.3"]
        );
    }
}
