//! A local file sent as `multipart/form-data`, streamed from disk. The body is a factory
//! that re-opens the file for every attempt, so retries and 401 replays send it whole again
//! without ever holding it in memory.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt, stream};
use http::HeaderValue;
use tokio::io::AsyncReadExt;
use tokio_util::io::ReaderStream;
use webex_core::Result;
use webex_core::http::Body;

use crate::client::invalid;

/// The largest file Webex accepts in a message.
pub const MAX_FILE_SIZE: u64 = 100 * 1024 * 1024;

/// A file checked before sending: it exists, is a regular file and is small enough.
#[derive(Debug, Clone)]
pub(crate) struct LocalFile {
    path: PathBuf,
    name: String,
    len: u64,
    content_type: String,
}

impl LocalFile {
    /// Checks `path` on disk.
    ///
    /// # Errors
    /// `InvalidInput` naming the path when it is missing, not a file, or over 100 MB.
    pub(crate) async fn check(path: &Path) -> Result<Self> {
        let shown = path.display();
        let meta = tokio::fs::metadata(path).await.map_err(|e| {
            let why = match e.kind() {
                io::ErrorKind::NotFound => "does not exist".to_owned(),
                _ => format!("cannot be read ({e})"),
            };
            invalid(format!("the file `{shown}` {why}")).with_source(e)
        })?;
        if !meta.is_file() {
            return Err(invalid(format!("`{shown}` is not a file")));
        }
        if meta.len() > MAX_FILE_SIZE {
            return Err(invalid(format!(
                "the file `{shown}` has {} bytes; Webex accepts at most {MAX_FILE_SIZE} (100 MB)",
                meta.len()
            )));
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| invalid(format!("`{shown}` has no file name")))?;
        Ok(Self {
            path: path.to_owned(),
            content_type: mime_guess::from_path(path)
                .first_or_octet_stream()
                .essence_str()
                .to_owned(),
            name,
            len: meta.len(),
        })
    }
}

/// The multipart body: `fields` as text parts, then `file` as the part named `files`.
pub(crate) fn multipart(fields: &[(&str, &str)], file: LocalFile) -> (Body, HeaderValue) {
    let boundary = format!("webex-rs-{}", uuid::Uuid::new_v4().simple());
    let mut head = String::new();
    for (name, value) in fields {
        head.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    head.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{}\"\r\n\
         Content-Type: {}\r\n\r\n",
        quoted(&file.name),
        file.content_type
    ));
    let head = Bytes::from(head);
    let tail = Bytes::from(format!("\r\n--{boundary}--\r\n"));
    let len = head.len() as u64 + file.len + tail.len() as u64;
    let body = Body::stream(Some(len), move || {
        stream::iter([Ok(head.clone())])
            .chain(file_stream(file.path.clone(), file.len))
            .chain(stream::iter([Ok(tail.clone())]))
            .boxed()
    });
    // The boundary is ASCII letters, digits and `-`, always a valid header value.
    let content_type = HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))
        .unwrap_or_else(|_| HeaderValue::from_static("multipart/form-data"));
    (body, content_type)
}

/// The file's bytes, exactly `len` of them: the `content-length` was announced from the
/// size checked before sending, so a file that grew is cut and one that shrank fails the
/// attempt instead of leaving the server waiting.
fn file_stream(
    path: PathBuf,
    len: u64,
) -> impl futures::Stream<Item = io::Result<Bytes>> + Send + 'static {
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    let bytes = stream::once(async move { tokio::fs::File::open(path).await })
        .map_ok(move |file| ReaderStream::new(file.take(len)))
        .try_flatten()
        .inspect_ok(move |chunk| {
            counter.fetch_add(chunk.len() as u64, Ordering::Relaxed);
        });
    let shrunk = stream::once(async move { sent.load(Ordering::Relaxed) }).filter_map(
        move |read| async move {
            (read < len).then(|| {
                Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("the file shrank to {read} of {len} bytes while it was sent"),
                ))
            })
        },
    );
    bytes.chain(shrunk)
}

/// A filename for a quoted header parameter, escaped as browsers do (`"`, CR, LF).
fn quoted(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}
