//! The local certificate authority: an ECDSA P-256 key and a self-signed CA
//! certificate (rcgen), and the server certificates it signs.

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, PKCS_ECDSA_P256_SHA256,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::{Duration, OffsetDateTime};

use super::TlsError;

/// The CA certificate's common name.
pub(crate) const CA_COMMON_NAME: &str = "webex-emulator local CA";
/// The server certificate's common name (clients check its alternative
/// names, not this).
const SERVER_COMMON_NAME: &str = "webex-emulator";
/// How long a new CA is valid: long, since a user trusts it once.
const CA_LIFETIME: Duration = Duration::days(3650);
/// How long a server certificate is valid: it is made at every start; 397
/// days is the most browsers accept.
const SERVER_LIFETIME: Duration = Duration::days(397);
/// Validity starts this long before now, for clocks slightly behind.
const CLOCK_SKEW: Duration = Duration::hours(1);

/// A CA that can sign server certificates.
pub(crate) struct Authority {
    issuer: Issuer<'static, KeyPair>,
    cert_pem: String,
}

/// A server certificate and its private key.
pub(crate) struct ServerCertificate {
    /// The certificate (DER).
    pub(crate) cert: CertificateDer<'static>,
    /// Its private key (PKCS#8 DER).
    pub(crate) key: PrivateKeyDer<'static>,
}

impl Authority {
    /// A new CA: a fresh P-256 key, a self-signed certificate for
    /// [`CA_COMMON_NAME`] that may sign only end-entity certificates.
    pub(crate) fn generate() -> Result<Authority, TlsError> {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let mut params = CertificateParams::default();
        params.distinguished_name = common_name(CA_COMMON_NAME);
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let now = OffsetDateTime::now_utc();
        params.not_before = now - CLOCK_SKEW;
        params.not_after = now + CA_LIFETIME;
        let cert_pem = params.self_signed(&key)?.pem();
        Ok(Authority {
            issuer: Issuer::new(params, key),
            cert_pem,
        })
    }

    /// The CA in `cert_pem` with the private key in `key_pem`. Whether the
    /// two belong together is checked later, by verifying what it signs.
    ///
    /// # Errors
    ///
    /// Which of the two could not be parsed, and why (the caller names
    /// the file).
    pub(crate) fn from_pem(cert_pem: &str, key_pem: &str) -> Result<Authority, Unreadable> {
        let key = KeyPair::from_pem(key_pem).map_err(|error| Unreadable::Key(error.to_string()))?;
        let issuer = Issuer::from_ca_cert_pem(cert_pem, key)
            .map_err(|error| Unreadable::Certificate(error.to_string()))?;
        Ok(Authority {
            issuer,
            cert_pem: cert_pem.to_owned(),
        })
    }

    /// The CA certificate, PEM.
    pub(crate) fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    /// The CA private key, PEM (PKCS#8).
    pub(crate) fn key_pem(&self) -> String {
        self.issuer.key().serialize_pem()
    }

    /// A new server certificate for `names` (DNS names or IP addresses), with
    /// a fresh P-256 key, signed by this CA.
    pub(crate) fn sign_server(&self, names: &[String]) -> Result<ServerCertificate, TlsError> {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let mut params = CertificateParams::new(names.to_vec())?;
        params.distinguished_name = common_name(SERVER_COMMON_NAME);
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = true;
        let now = OffsetDateTime::now_utc();
        params.not_before = now - CLOCK_SKEW;
        params.not_after = now + SERVER_LIFETIME;
        let cert = params.signed_by(&key, &self.issuer)?;
        Ok(ServerCertificate {
            cert: cert.der().clone(),
            key: PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        })
    }
}

/// Which half of a stored CA could not be parsed, and why.
#[derive(Debug)]
pub(crate) enum Unreadable {
    /// The certificate.
    Certificate(String),
    /// The private key.
    Key(String),
}

/// A distinguished name with only a common name.
fn common_name(name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, name);
    dn
}
