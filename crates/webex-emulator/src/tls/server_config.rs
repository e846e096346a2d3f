//! The rustls server configuration: a fresh server certificate signed by the
//! CA, checked against the CA certificate the way a client would check it,
//! and ALPN for HTTP/2 and HTTP/1.1 on the one port.

use std::path::Path;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::ServerCertVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{RootCertStore, ServerConfig};

use super::TlsError;
use super::authority::Authority;

/// The name the start-up check verifies the server certificate for.
const CHECKED_NAME: &str = "localhost";

/// A server configuration presenting a new certificate for `names`, signed
/// by `authority` (whose certificate file is `ca_path`, for messages).
///
/// # Errors
///
/// [`TlsError::Mismatch`] when the certificate does not verify against the
/// CA certificate alone (a `ca.key` that is not `ca.pem`'s, an expired CA).
pub(crate) fn build(
    authority: &Authority,
    names: &[String],
    ca_path: &Path,
) -> Result<ServerConfig, TlsError> {
    let provider = Arc::new(provider());
    let server = authority.sign_server(names)?;
    verify(authority, &server.cert, ca_path, &provider)?;
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(vec![server.cert], server.key)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The crypto the emulator uses everywhere (aws-lc-rs), chosen explicitly:
/// another dependency may enable a second provider, and then rustls has no
/// default.
fn provider() -> CryptoProvider {
    rustls::crypto::aws_lc_rs::default_provider()
}

/// Verifies `cert` for [`CHECKED_NAME`] with only the CA certificate as a
/// root: what a client handed `ca.pem` will do.
fn verify(
    authority: &Authority,
    cert: &CertificateDer<'static>,
    ca_path: &Path,
    provider: &Arc<CryptoProvider>,
) -> Result<(), TlsError> {
    let mismatch = |reason: String| TlsError::Mismatch {
        ca: ca_path.to_path_buf(),
        reason,
    };
    let ca = CertificateDer::from_pem_slice(authority.cert_pem().as_bytes()).map_err(|error| {
        TlsError::Certificate {
            path: ca_path.to_path_buf(),
            reason: error.to_string(),
        }
    })?;
    let mut roots = RootCertStore::empty();
    roots.add(ca).map_err(|error| TlsError::Certificate {
        path: ca_path.to_path_buf(),
        reason: error.to_string(),
    })?;
    let verifier =
        WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(provider))
            .build()
            .map_err(|error| mismatch(error.to_string()))?;
    let name = ServerName::try_from(CHECKED_NAME).map_err(|error| mismatch(error.to_string()))?;
    verifier
        .verify_server_cert(cert, &[], &name, &[], UnixTime::now())
        .map(|_| ())
        .map_err(|error| mismatch(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        vec!["localhost".to_owned(), "127.0.0.1".to_owned()]
    }

    #[test]
    fn a_certificate_from_the_ca_verifies_against_it() {
        let authority = Authority::generate().unwrap();
        let config = build(&authority, &names(), Path::new("ca.pem")).unwrap();
        assert_eq!(
            config.alpn_protocols,
            [b"h2".to_vec(), b"http/1.1".to_vec()]
        );
    }

    #[test]
    fn a_key_of_another_ca_is_a_mismatch() {
        let one = Authority::generate().unwrap();
        let other = Authority::generate().unwrap();
        let crossed = Authority::from_pem(one.cert_pem(), &other.key_pem()).unwrap();
        let error = build(&crossed, &names(), Path::new("/x/ca.pem"))
            .err()
            .unwrap();
        assert!(matches!(error, TlsError::Mismatch { .. }), "{error}");
        assert!(error.to_string().contains("/x/ca.pem"), "{error}");
    }
}
