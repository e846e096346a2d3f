//! Discovery of the KMS (`GET {encryption}/kms/<userId>`) and the check of its identity, as
//! the JS SDK's `kms-certificate-validation.js` does without configured CA roots: an RSA
//! JWK whose `kid` is a `kms:` URI, with a certificate chain (`x5c`) whose first certificate
//! names the `kid` host (subjectAltName, else CN) and holds the same key.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rsa::PublicKey;
use rsa::pkcs8::DecodePublicKey;
use serde::Deserialize;
use url::Url;
use webex_core::Webex;
use webex_core::http::{Request, Target};
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey as CertKey;

use crate::error::KmsError;

/// What discovery says about the user's KMS.
#[derive(Clone)]
pub(crate) struct KmsDetails {
    /// `kmsCluster`: the `destination` of every batch, and the base of the ECDHE URI.
    pub(crate) cluster: String,
    /// The KMS's RSA `kid`.
    pub(crate) kid: String,
    /// Its RSA public key.
    pub(crate) key: PublicKey,
}

impl std::fmt::Debug for KmsDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KmsDetails")
            .field("cluster", &self.cluster)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Discovery {
    kms_cluster: String,
    rsa_public_key: String,
}

#[derive(Deserialize)]
struct RsaJwk {
    #[serde(default)]
    kty: String,
    #[serde(default)]
    kid: String,
    #[serde(default)]
    n: String,
    #[serde(default)]
    e: String,
    #[serde(default)]
    x5c: Vec<String>,
}

fn invalid(what: impl Into<String>) -> KmsError {
    KmsError::InvalidKms(what.into())
}

/// Asks the `encryption` service for `user_id`'s KMS and checks its identity.
pub(crate) async fn discover(webex: &Webex, user_id: &str) -> Result<KmsDetails, KmsError> {
    let request = Request::get(Target::service("encryption", format!("kms/{user_id}")));
    let discovery: Discovery = webex.http().json(request).await?;
    let jwk: RsaJwk = serde_json::from_str(&discovery.rsa_public_key)
        .map_err(|err| invalid(format!("rsaPublicKey is not a JWK: {err}")))?;
    let key = validate(&jwk)?;
    Ok(KmsDetails {
        cluster: discovery.kms_cluster,
        kid: jwk.kid,
        key,
    })
}

/// A big-endian integer without its leading zero bytes.
fn trimmed(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

fn validate(jwk: &RsaJwk) -> Result<PublicKey, KmsError> {
    if jwk.kty != "RSA" {
        return Err(invalid("'kty' header must be 'RSA'"));
    }
    let kid = Url::parse(&jwk.kid).map_err(|_| invalid("'kid' is not a valid URI"))?;
    if kid.scheme() != "kms" {
        return Err(invalid("'kid' protocol must be 'kms:'"));
    }
    let host = kid.host_str().unwrap_or_default().to_ascii_lowercase();
    let first = jwk
        .x5c
        .first()
        .ok_or_else(|| invalid("JWK does not contain a list of certificates"))?;
    let der = STANDARD
        .decode(first)
        .map_err(|_| invalid("the first certificate is not base64"))?;
    let (_, certificate) = X509Certificate::from_der(&der)
        .map_err(|_| invalid("the first certificate is not an X.509 certificate"))?;
    let san_matches = certificate
        .subject_alternative_name()
        .ok()
        .flatten()
        .is_some_and(|san| {
            san.value.general_names.iter().any(
                |name| matches!(name, GeneralName::DNSName(dns) if dns.to_ascii_lowercase() == host),
            )
        });
    let cn_matches = || {
        certificate
            .subject()
            .iter_common_name()
            .any(|cn| cn.as_str().is_ok_and(|cn| cn == host))
    };
    if !san_matches && !cn_matches() {
        return Err(invalid(
            "hostname of the 1st certificate does not match 'kid'",
        ));
    }
    let spki = certificate.public_key();
    let Ok(CertKey::RSA(cert_key)) = spki.parsed() else {
        return Err(invalid("the 1st certificate holds no RSA key"));
    };
    let jwk_int = |value: &str, what: &str| {
        URL_SAFE_NO_PAD
            .decode(value)
            .map_err(|_| invalid(format!("'{what}' is not base64url")))
    };
    if trimmed(&jwk_int(&jwk.e, "e")?) != trimmed(cert_key.exponent) {
        return Err(invalid("Public exponent is invalid"));
    }
    if trimmed(&jwk_int(&jwk.n, "n")?) != trimmed(cert_key.modulus) {
        return Err(invalid("Modulus is invalid"));
    }
    PublicKey::from_public_key_der(spki.raw)
        .map_err(|err| invalid(format!("the RSA key is unusable: {err}")))
}
