//! How webex-auth's own requests go out (the token endpoint, the guest login): a transport
//! and the timeout of one call. They run before a client exists, or beside it, so they do not
//! use the client's HTTP stack; they trust what the client's configuration trusts when built
//! from it ([`AuthHttp::from_config`]): the webpki roots plus its `extra_root_certificates`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use bytes::Bytes;
use http::StatusCode;
use tower::ServiceExt as _;
use webex_core::ErrorKind;
use webex_core::config::WebexConfig;
use webex_core::http::{Body, HyperTransport, tls_client_config};

use crate::AuthError;

/// A transport whose attempts time out with the call, and the TLS configuration it was made
/// with (kept so that a new timeout keeps the trusted roots).
#[derive(Debug, Clone)]
pub(crate) struct AuthHttp {
    /// `None`: the webpki roots only.
    tls: Option<rustls::ClientConfig>,
    /// The `extra_root_certificates` file `tls` trusts besides them.
    extra_roots: Option<PathBuf>,
    transport: HyperTransport,
    timeout: Duration,
}

impl AuthHttp {
    /// Trusting the webpki roots, calls bounded by `timeout`.
    pub(crate) fn new(timeout: Duration) -> Self {
        Self {
            tls: None,
            extra_roots: None,
            transport: HyperTransport::new(timeout),
            timeout,
        }
    }

    /// Trusting the webpki roots and `config`'s `extra_root_certificates` (e.g. a
    /// `webex-emulator --tls` CA, or `WEBEX_CA_FILE` through the `WEBEX_*` layer), calls
    /// bounded by `timeout`.
    ///
    /// # Errors
    /// [`AuthError::Config`] naming the file when it cannot be read or holds no usable
    /// certificate.
    pub(crate) fn from_config(config: &WebexConfig, timeout: Duration) -> Result<Self, AuthError> {
        let Some(path) = config.extra_root_certificates.as_deref() else {
            return Ok(Self::new(timeout));
        };
        let tls = tls_client_config(Some(path)).map_err(|e| AuthError::Config(e.to_string()))?;
        Ok(Self {
            transport: HyperTransport::with_tls_config(timeout, tls.clone()),
            tls: Some(tls),
            extra_roots: Some(path.to_path_buf()),
            timeout,
        })
    }

    /// The same roots, calls bounded by `timeout`.
    #[must_use]
    pub(crate) fn with_timeout(&self, timeout: Duration) -> Self {
        let transport = match &self.tls {
            None => HyperTransport::new(timeout),
            Some(tls) => HyperTransport::with_tls_config(timeout, tls.clone()),
        };
        Self {
            tls: self.tls.clone(),
            extra_roots: self.extra_roots.clone(),
            transport,
            timeout,
        }
    }

    /// The `extra_root_certificates` file trusted besides the webpki roots, if any.
    pub(crate) fn extra_roots(&self) -> Option<&Path> {
        self.extra_roots.as_deref()
    }

    /// How long one call may take.
    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends `request` under the timeout; the status and body.
    ///
    /// # Errors
    /// [`AuthError::Timeout`], or [`AuthError::Unreachable`] with the transport's reason
    /// (refused, reset, an untrusted certificate).
    pub(crate) async fn send(
        &self,
        request: http::Request<Body>,
    ) -> Result<(StatusCode, Bytes), AuthError> {
        let call = self.transport.clone().oneshot(request);
        match tokio::time::timeout(self.timeout, call).await {
            // The transport's attempt timeout is the call's: either one firing is the same.
            Err(_) => Err(AuthError::Timeout(self.timeout)),
            Ok(Err(e)) if e.kind() == ErrorKind::Timeout => Err(AuthError::Timeout(self.timeout)),
            Ok(Err(e)) => Err(AuthError::Unreachable(e.to_string())),
            Ok(Ok(response)) => {
                let (parts, body) = response.into_parts();
                Ok((parts.status, body))
            }
        }
    }
}
