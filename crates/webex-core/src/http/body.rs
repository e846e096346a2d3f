use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use futures::stream::BoxStream;

/// Makes a fresh byte stream for each attempt.
type StreamFactory = Arc<dyn Fn() -> BoxStream<'static, std::io::Result<Bytes>> + Send + Sync>;

/// A request body. Every variant can be sent again, so retries, 401 replays and redirects work
/// for streamed uploads too: a streamed body is a *factory* that opens the source anew (e.g.
/// re-opens the file) for each attempt.
#[derive(Clone, Default)]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// Bytes in memory.
    Full(Bytes),
    /// A stream made fresh for every attempt, with its length when known (sent as
    /// `content-length`; otherwise the body is chunked).
    Stream {
        /// Total length in bytes, if known.
        len: Option<u64>,
        /// Creates the stream.
        make: StreamFactory,
    },
}

impl Body {
    /// A streamed body; `make` is called once per attempt.
    pub fn stream<F>(len: Option<u64>, make: F) -> Self
    where
        F: Fn() -> BoxStream<'static, std::io::Result<Bytes>> + Send + Sync + 'static,
    {
        Self::Stream {
            len,
            make: Arc::new(make),
        }
    }

    /// The length, when known.
    #[must_use]
    pub fn len(&self) -> Option<u64> {
        match self {
            Self::Empty => Some(0),
            Self::Full(bytes) => Some(bytes.len() as u64),
            Self::Stream { len, .. } => *len,
        }
    }

    /// Whether the body is known to be empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// The bytes, for an in-memory body.
    #[must_use]
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match self {
            Self::Full(bytes) => Some(bytes),
            _ => None,
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("Body::Empty"),
            Self::Full(bytes) => write!(f, "Body::Full({} bytes)", bytes.len()),
            Self::Stream { len, .. } => write!(f, "Body::Stream(len {len:?})"),
        }
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        if bytes.is_empty() {
            Self::Empty
        } else {
            Self::Full(bytes)
        }
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Bytes::from(bytes).into()
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Self {
        Bytes::from_static(text.as_bytes()).into()
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Bytes::from(text).into()
    }
}
