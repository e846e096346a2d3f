use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::TokenStore;
use super::stored::StoredTokens;
use crate::{AuthError, TokenSet};

/// Tokens in a JSON file, readable only by its owner (mode 0600 on Unix), replaced
/// atomically (written to a temporary file next to it, then renamed over it), so a crash
/// mid-write leaves the old tokens, never half of the new ones.
#[derive(Debug, Clone)]
pub struct FileTokenStore {
    path: PathBuf,
}

impl FileTokenStore {
    /// A store at `path` (created on the first save).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The file's path.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self, what: &str, e: impl std::fmt::Display) -> AuthError {
        AuthError::Store(format!("{what} {}: {e}", self.path.display()))
    }

    fn write(&self, json: &[u8]) -> Result<(), AuthError> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let name = self
            .path
            .file_name()
            .map_or_else(|| "tokens".into(), |n| n.to_string_lossy().into_owned());
        let temp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
        let written = (|| {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options.open(&temp)?;
            file.write_all(json)?;
            file.sync_all()?;
            std::fs::rename(&temp, &self.path)
        })();
        if written.is_err() {
            // Best effort: the error below is what matters.
            let _ = std::fs::remove_file(&temp);
        }
        written.map_err(|e| self.error("cannot write", e))
    }
}

#[webex_core::async_trait]
impl TokenStore for FileTokenStore {
    async fn load(&self) -> Result<Option<TokenSet>, AuthError> {
        let bytes = match tokio::fs::read(&self.path).await {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.error("cannot read", e)),
        };
        let stored: StoredTokens =
            serde_json::from_slice(&bytes).map_err(|e| self.error("unreadable", e))?;
        Ok(Some(stored.into_set()))
    }

    async fn save(&self, tokens: &TokenSet) -> Result<(), AuthError> {
        let json = serde_json::to_vec(&StoredTokens::from_set(tokens))
            .map_err(|e| self.error("cannot encode", e))?;
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.write(&json))
            .await
            .map_err(|e| self.error("cannot write", e))?
    }

    async fn clear(&self) -> Result<(), AuthError> {
        match tokio::fs::remove_file(&self.path).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.error("cannot remove", e)),
        }
    }
}
