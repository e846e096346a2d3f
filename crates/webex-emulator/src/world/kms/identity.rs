//! The KMS's long-term identity: an RSA key, its JWK (`kid` a `kms:` URI) and a self-signed
//! certificate naming the `kid` host, as discovery hands them out. It opens the JWE
//! (`RSA-OAEP` + `A256GCM`) an ECDHE request comes in and signs the answer (JWS `RS256`).

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{
    KeyPair, KeySize, OAEP_SHA1_MGF1SHA1, OaepPrivateDecryptingKey, PrivateDecryptingKey,
};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use super::jose::{self, Compact, JoseError, encode};

/// The KMS identity.
pub(crate) struct Identity {
    /// The JWK's `kid`.
    pub(crate) kid: String,
    /// Discovery's `rsaPublicKey`: the JWK as a JSON string.
    pub(crate) public_jwk: String,
    signing: KeyPair,
    decrypting: OaepPrivateDecryptingKey,
}

impl Identity {
    /// A new 2048-bit identity whose `kid` is `kms://<host>/kms/<uuid>`.
    pub(crate) fn generate(host: &str) -> Result<Self, String> {
        let failed = |what: &str| format!("cannot make the KMS identity: {what}");
        let signing = KeyPair::generate(KeySize::Rsa2048).map_err(|_| failed("RSA key"))?;
        let pkcs8 = signing.as_der().map_err(|_| failed("PKCS#8"))?;
        let decrypting = PrivateDecryptingKey::from_pkcs8(pkcs8.as_ref())
            .and_then(|key| OaepPrivateDecryptingKey::new(key).map_err(Into::into))
            .map_err(|_| failed("OAEP key"))?;
        let cert_key =
            rcgen::KeyPair::try_from(pkcs8.as_ref()).map_err(|_| failed("certificate key"))?;
        let mut params =
            rcgen::CertificateParams::new(vec![host.to_owned()]).map_err(|_| failed("SAN"))?;
        params.distinguished_name = rcgen::DistinguishedName::new();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, host);
        let certificate = params
            .self_signed(&cert_key)
            .map_err(|_| failed("certificate"))?;
        let public = signing.public_key();
        let kid = format!("kms://{host}/kms/{}", uuid::Uuid::new_v4());
        let components = aws_lc_rs::rsa::PublicKeyComponents::<Vec<u8>>::from(public);
        let jwk = json!({
            "kty": "RSA",
            "kid": kid,
            "e": encode(&components.e),
            "n": encode(&components.n),
            "x5c": [STANDARD.encode(certificate.der())],
        });
        Ok(Self {
            kid,
            public_jwk: jwk.to_string(),
            signing,
            decrypting,
        })
    }

    /// The plaintext of a JWE `RSA-OAEP` / `A256GCM` made to this key.
    pub(crate) fn open(&self, jwe: &Compact<'_>) -> Result<Vec<u8>, JoseError> {
        if jwe.header.alg != "RSA-OAEP" {
            return Err(JoseError(format!("unexpected alg {}", jwe.header.alg)));
        }
        let wrapped = jwe.encrypted_key()?;
        let mut cek = vec![0; self.decrypting.min_output_size()];
        let cek = self
            .decrypting
            .decrypt(&OAEP_SHA1_MGF1SHA1, &wrapped, &mut cek, None)
            .map_err(|_| JoseError("the content key does not unwrap with the KMS key".into()))?;
        jose::decrypt(cek, jwe)
    }

    /// A compact JWS `RS256` of `payload` with this key's `kid`.
    pub(crate) fn sign(&self, payload: &[u8]) -> Result<String, JoseError> {
        let header = encode(
            json!({"alg": "RS256", "kid": self.kid})
                .to_string()
                .as_bytes(),
        );
        let signed = format!("{header}.{}", encode(payload));
        let mut signature = vec![0; self.signing.public_modulus_len()];
        self.signing
            .sign(
                &RSA_PKCS1_SHA256,
                &aws_lc_rs::rand::SystemRandom::new(),
                signed.as_bytes(),
                &mut signature,
            )
            .map_err(|_| JoseError("RSA signing failed".into()))?;
        Ok(format!("{signed}.{}", encode(&signature)))
    }
}
