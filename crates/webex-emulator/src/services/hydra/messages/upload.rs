//! Receiving one uploaded file part: chunk by chunk, in memory up to the
//! spill threshold, then into a file of the spill directory, so a large
//! upload never sits in RAM whole; refused as soon as it passes the 100 MB
//! file limit or the room left in the upload quota.

use axum::extract::multipart::Field;
use axum::http::StatusCode;
use bytes::BytesMut;
use tokio::io::AsyncWriteExt;

use super::multipart::rejected;
use crate::app::AppState;
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::world::contents::{SpillTarget, Stored, quota_exceeded};
use crate::world::messages::post::{FILE_LIMIT, too_large};

/// The bytes of the file part `field` (named `filename` in errors).
pub(super) async fn receive(
    mut field: Field<'_>,
    filename: &str,
    state: &AppState,
) -> Result<Stored, ApiError> {
    let target = lock(&state.data)
        .contents
        .spill_target()
        .map_err(storage_error)?;
    let mut memory = BytesMut::new();
    let mut spilled: Option<(tokio::fs::File, tempfile::TempPath)> = None;
    let mut len: u64 = 0;
    while let Some(chunk) = field.chunk().await.map_err(|error| rejected(&error))? {
        len += chunk.len() as u64;
        if len > FILE_LIMIT {
            return Err(too_large(filename));
        }
        if len > target.room {
            return Err(quota_exceeded(filename, target.quota));
        }
        if spilled.is_none() && len > target.threshold {
            let (mut file, path) = spill_file(&target).await?;
            file.write_all(&memory).await.map_err(storage_error)?;
            memory = BytesMut::new();
            spilled = Some((file, path));
        }
        match &mut spilled {
            Some((file, _)) => file.write_all(&chunk).await.map_err(storage_error)?,
            None => memory.extend_from_slice(&chunk),
        }
    }
    Ok(match spilled {
        Some((mut file, path)) => {
            file.flush().await.map_err(storage_error)?;
            Stored::Spilled { path, len }
        }
        None => Stored::Memory(memory.freeze()),
    })
}

/// A new file in the spill directory, deleted when its path is dropped.
async fn spill_file(
    target: &SpillTarget,
) -> Result<(tokio::fs::File, tempfile::TempPath), ApiError> {
    let dir = target.dir.clone();
    let named = tokio::task::spawn_blocking(move || tempfile::NamedTempFile::new_in(dir))
        .await
        .map_err(|error| storage_error(std::io::Error::other(error)))?
        .map_err(storage_error)?;
    let (file, path) = named.into_parts();
    Ok((tokio::fs::File::from_std(file), path))
}

/// A 500 for a spill directory the emulator cannot write.
fn storage_error(error: std::io::Error) -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("The emulator could not store the upload: {error}."),
    )
}
