//! `KmsError`: every way a KMS operation can fail, typed.

use std::time::Duration;

use webex_mercury::MercuryError;

/// A failed KMS operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KmsError {
    /// The client lacks what KMS needs: the `encryption` plugin, a registered device, a
    /// Mercury connection (the error says which).
    #[error("kms setup: {0}")]
    Setup(String),
    /// An HTTP call (discovery `GET {encryption}/kms/<userId>`, `POST /kms/messages`) failed.
    #[error("kms http: {0}")]
    Http(#[from] webex_core::Error),
    /// Mercury, where KMS answers arrive, could not connect.
    #[error("kms: mercury: {0}")]
    Mercury(#[from] MercuryError),
    /// The KMS identity from discovery is unacceptable (not an RSA key, `kid` not a `kms:`
    /// URI, no certificate, the certificate does not name the `kid` host or holds another
    /// key).
    #[error("INVALID KMS: {0}")]
    InvalidKms(String),
    /// The request given to [`Kms::request`](crate::Kms::request) or
    /// [`Kms::wrap`](crate::Kms::wrap) is not a KMS request (not an object, no `method` or
    /// `uri`).
    #[error("invalid kms request: {0}")]
    InvalidRequest(String),
    /// A JWE or JWS (from KMS, or given to [`Kms::decrypt_text`](crate::Kms::decrypt_text))
    /// could not be read, verified or decrypted.
    #[error("malformed kms message: {0}")]
    Malformed(String),
    /// KMS answered with an error status (400 or more).
    #[error("kms error {status}: {reason} (request {request_id})")]
    Kms {
        /// The `status` of the answer.
        status: u16,
        /// Its `reason`, or empty.
        reason: String,
        /// The request's `requestId`.
        request_id: String,
    },
    /// No answer came in time, even after the retries and ECDHE renegotiation the JS SDK
    /// does; `waited` is the last wait.
    #[error("the KMS did not respond within {} ms: {method} {uri} (request {request_id})", waited.as_millis())]
    Timeout {
        /// The last wait.
        waited: Duration,
        /// The request's `method`.
        method: String,
        /// The request's `uri`.
        uri: String,
        /// The request's `requestId` (of the last attempt).
        request_id: String,
    },
}
