//! The CA's directory: `ca.pem` (the certificate clients are handed) and
//! `ca.key` (its private key, readable by the owner only). Loaded when both
//! are there, made and written when neither is.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::TlsError;
use super::authority::{Authority, Unreadable};

/// The CA certificate's file name.
pub(crate) const CA_CERT_FILE: &str = "ca.pem";
/// The CA private key's file name.
pub(crate) const CA_KEY_FILE: &str = "ca.key";

/// `dir` made absolute against the current directory, so the printed CA
/// path works from anywhere.
pub(crate) fn absolute(dir: &Path) -> Result<PathBuf, TlsError> {
    std::path::absolute(dir).map_err(|source| TlsError::Dir {
        path: dir.to_path_buf(),
        source,
    })
}

/// The CA in `dir` (created if missing), made and written there when it
/// holds none; with the path of its certificate file.
pub(crate) fn load_or_create(dir: &Path) -> Result<(Authority, PathBuf), TlsError> {
    create_dir(dir)?;
    let cert_path = dir.join(CA_CERT_FILE);
    let key_path = dir.join(CA_KEY_FILE);
    let authority = match (exists(&cert_path)?, exists(&key_path)?) {
        (true, true) => load(&cert_path, &key_path)?,
        (false, false) => {
            let authority = Authority::generate()?;
            // The key first: a certificate without its key would be
            // refused at the next start, a lone key is overwritten by
            // nobody (`create_new`).
            write_new(&key_path, authority.key_pem().as_bytes(), 0o600)?;
            write_new(&cert_path, authority.cert_pem().as_bytes(), 0o644)?;
            authority
        }
        (true, false) => {
            return Err(TlsError::Incomplete {
                present: cert_path,
                missing: key_path,
            });
        }
        (false, true) => {
            return Err(TlsError::Incomplete {
                present: key_path,
                missing: cert_path,
            });
        }
    };
    Ok((authority, cert_path))
}

/// The CA stored in `cert_path` and `key_path`.
fn load(cert_path: &Path, key_path: &Path) -> Result<Authority, TlsError> {
    let cert_pem = read(cert_path)?;
    let key_pem = read(key_path)?;
    Authority::from_pem(&cert_pem, &key_pem).map_err(|unreadable| match unreadable {
        Unreadable::Certificate(reason) => TlsError::Certificate {
            path: cert_path.to_path_buf(),
            reason,
        },
        Unreadable::Key(reason) => TlsError::Key {
            path: key_path.to_path_buf(),
            reason,
        },
    })
}

/// Creates `dir` and its parents (a new directory is the owner's only).
fn create_dir(dir: &Path) -> Result<(), TlsError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|source| TlsError::Dir {
        path: dir.to_path_buf(),
        source,
    })
}

/// Whether `path` exists (an error when that cannot be told).
fn exists(path: &Path) -> Result<bool, TlsError> {
    path.try_exists().map_err(|source| TlsError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// The text of `path`.
fn read(path: &Path) -> Result<String, TlsError> {
    fs::read_to_string(path).map_err(|source| TlsError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes `contents` to `path`, which must not exist yet, with `mode` on
/// Unix.
fn write_new(path: &Path, contents: &[u8], mode: u32) -> Result<(), TlsError> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let written = options
        .open(path)
        .and_then(|mut file| file.write_all(contents).and_then(|()| file.sync_all()));
    written.map_err(|source: io::Error| TlsError::Write {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_ca_is_written_then_loaded_as_is() {
        let dir = tempfile::tempdir().unwrap();
        let (made, path) = load_or_create(dir.path()).unwrap();
        assert_eq!(path, dir.path().join(CA_CERT_FILE));
        let (loaded, _) = load_or_create(dir.path()).unwrap();
        assert_eq!(made.cert_pem(), loaded.cert_pem());
        assert_eq!(made.key_pem(), loaded.key_pem());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(CA_KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn half_a_ca_is_refused_and_named() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(CA_CERT_FILE), "x").unwrap();
        let error = load_or_create(dir.path()).err().unwrap().to_string();
        assert!(error.contains("ca.pem exists but"), "{error}");
        assert!(error.contains("ca.key does not"), "{error}");
    }

    #[test]
    fn a_key_that_is_not_pem_is_named() {
        let dir = tempfile::tempdir().unwrap();
        load_or_create(dir.path()).unwrap();
        fs::write(dir.path().join(CA_KEY_FILE), "not a key").unwrap();
        let error = load_or_create(dir.path()).err().unwrap();
        assert!(matches!(error, TlsError::Key { .. }), "{error}");
        assert!(error.to_string().contains("ca.key is not a PEM"), "{error}");
    }
}
