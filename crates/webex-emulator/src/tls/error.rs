//! Why TLS could not be set up.

use std::io;
use std::path::PathBuf;

/// Why the emulator could not set up TLS at start; every message names the
/// file or directory at fault and what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// No temporary directory for a new CA.
    #[error("cannot create a temporary directory for the CA: {source}")]
    TemporaryDir {
        /// The underlying error.
        source: io::Error,
    },
    /// The CA directory could not be created or read.
    #[error("cannot use {} as the CA directory: {source}", path.display())]
    Dir {
        /// The directory.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// A CA file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// A CA file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// Only one of `ca.pem` and `ca.key` is there.
    #[error(
        "{} exists but {} does not; remove it to have a new CA made, or put its pair next to it",
        present.display(),
        missing.display()
    )]
    Incomplete {
        /// The file that is there.
        present: PathBuf,
        /// The file that is missing.
        missing: PathBuf,
    },
    /// `ca.pem` is not a PEM certificate.
    #[error(
        "{} is not a PEM certificate ({reason}); remove it and ca.key to have a new CA made",
        path.display()
    )]
    Certificate {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// `ca.key` is not a PEM private key the emulator can sign with.
    #[error(
        "{} is not a PEM PKCS#8 private key ({reason}); remove it and ca.pem to have a new CA made",
        path.display()
    )]
    Key {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A certificate signed with `ca.key` does not verify against
    /// `ca.pem`: the two are not a pair (or the CA has expired).
    #[error(
        "a certificate signed with the CA key does not verify against {} ({reason}): \
         ca.key and ca.pem are not a pair, or the CA has expired",
        ca.display()
    )]
    Mismatch {
        /// The CA certificate file.
        ca: PathBuf,
        /// What the verifier said.
        reason: String,
    },
    /// rcgen could not make a key or a certificate.
    #[error("cannot make a certificate: {0}")]
    Generate(#[from] rcgen::Error),
    /// rustls refused the server configuration.
    #[error("cannot configure TLS: {0}")]
    Rustls(#[from] rustls::Error),
}
