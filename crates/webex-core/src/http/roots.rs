//! Which certificate authorities the SDK trusts over TLS: the webpki roots
//! (Mozilla's list, built in), plus those of the `extra_root_certificates`
//! PEM file, such as the CA of a local `webex-emulator --tls` or of a
//! company proxy.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use rustls::{ClientConfig, RootCertStore};

use crate::config::WebexConfig;
use crate::{Error, ErrorKind, Result};

/// The TLS client configuration the SDK's connections use: ring, the safe
/// default protocol versions, the webpki roots and every certificate in
/// `extra_root_certificates` (a PEM file), no client certificate, no ALPN
/// (each connection sets its own).
///
/// # Errors
///
/// [`ErrorKind::Config`] naming the file when it cannot be read, holds no
/// PEM certificate, or holds one that is not a usable root.
pub fn tls_client_config(extra_root_certificates: Option<&Path>) -> Result<ClientConfig> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(path) = extra_root_certificates {
        for cert in read_certificates(path)? {
            roots.add(cert).map_err(|error| {
                config_error(
                    path,
                    &format!("a certificate is not a usable root: {error}"),
                )
            })?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| {
            Error::new(ErrorKind::Config, format!("TLS configuration: {error}")).with_source(error)
        })?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(config)
}

/// The TLS client configuration for `config`: `Some` when it names
/// `extra_root_certificates` (read and parsed here, once per client, at
/// `build()`), `None` when the webpki roots alone are trusted.
///
/// # Errors
///
/// As [`tls_client_config`].
pub(crate) fn configured_tls(config: &WebexConfig) -> Result<Option<Arc<ClientConfig>>> {
    config
        .extra_root_certificates
        .as_deref()
        .map(|path| tls_client_config(Some(path)).map(Arc::new))
        .transpose()
}

/// Every certificate in the PEM file `path`; at least one.
fn read_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(Iterator::collect::<std::result::Result<Vec<_>, _>>)
        .map_err(|error| config_error(path, &error.to_string()))?;
    if certs.is_empty() {
        return Err(config_error(path, "no PEM certificate in it"));
    }
    Ok(certs)
}

fn config_error(path: &Path, what: &str) -> Error {
    Error::new(
        ErrorKind::Config,
        format!("extra_root_certificates {}: {what}", path.display()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_extra_roots_only_the_webpki_roots_are_trusted() {
        let config = tls_client_config(None).unwrap();
        assert!(config.alpn_protocols.is_empty());
    }

    #[test]
    fn a_missing_or_empty_file_is_a_config_error_naming_it() {
        let error = tls_client_config(Some(Path::new("/nonexistent/ca.pem"))).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config);
        assert!(error.to_string().contains("/nonexistent/ca.pem"), "{error}");

        let dir = std::env::temp_dir().join(format!("webex-core-roots-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "no certificate here\n").unwrap();
        let error = tls_client_config(Some(&empty)).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(error.kind(), ErrorKind::Config);
        assert!(error.to_string().contains("no PEM certificate"), "{error}");
    }
}
