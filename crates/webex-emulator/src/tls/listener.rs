//! A listener that hands `axum::serve` connections whose TLS handshake is
//! done, so the same router (HTTP/1.1, HTTP/2, websocket upgrades) serves
//! `https` and `wss` on one port.
//!
//! Handshakes run on their own tasks: a slow or silent client cannot hold
//! up the others' connections.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// How long a client may take to finish its TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Handshaken connections waiting for the server to take them.
const BACKLOG: usize = 128;
/// Pause after a failed `accept` (out of file descriptors, say), so the loop
/// does not spin.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(100);

/// TLS connections, ready for HTTP.
pub(crate) struct TlsListener {
    handshaken: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local_addr: SocketAddr,
}

impl TlsListener {
    /// Accepts on `tcp` until `stop` turns `true`, handshaking with
    /// `config` (on the current Tokio runtime).
    pub(crate) fn spawn(
        tcp: TcpListener,
        config: Arc<rustls::ServerConfig>,
        stop: watch::Receiver<bool>,
    ) -> io::Result<TlsListener> {
        let local_addr = tcp.local_addr()?;
        let (sender, handshaken) = mpsc::channel(BACKLOG);
        tokio::spawn(accept_loop(tcp, TlsAcceptor::from(config), sender, stop));
        Ok(TlsListener {
            handshaken,
            local_addr,
        })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.handshaken.recv().await {
            Some(connection) => connection,
            // The accept loop stopped, so the server is stopping: nothing
            // more will come, and graceful shutdown ends the wait.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(self.local_addr)
    }
}

/// What a failed handshake most likely means, for the developer reading
/// the log.
fn hint(error: &io::Error) -> &'static str {
    match error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        Some(rustls::Error::AlertReceived(_)) => {
            " (does the client trust the emulator's CA? hand it the `ca:` file)"
        }
        Some(rustls::Error::InvalidMessage(_)) => {
            " (not TLS: a client using http:// or ws:// on the https port?)"
        }
        _ => "",
    }
}

/// Accepts TCP connections and handshakes each on its own task, until
/// `stop` or until the listener is gone.
async fn accept_loop(
    tcp: TcpListener,
    acceptor: TlsAcceptor,
    sender: mpsc::Sender<(TlsStream<TcpStream>, SocketAddr)>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            accepted = tcp.accept() => accepted,
            // An error means the sender is gone, which also means stop.
            _ = stop.wait_for(|stopped| *stopped) => return,
            () = sender.closed() => return,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                tracing::warn!("TLS listener cannot accept: {error}");
                tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                continue;
            }
        };
        let acceptor = acceptor.clone();
        let sender = sender.clone();
        tokio::spawn(async move {
            match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                Ok(Ok(tls)) => {
                    // The server stopped taking connections: drop it.
                    let _ = sender.send((tls, peer)).await;
                }
                Ok(Err(error)) => {
                    tracing::warn!(%peer, "TLS handshake failed: {error}{}", hint(&error));
                }
                Err(_) => tracing::warn!(
                    %peer,
                    "TLS handshake not finished within {HANDSHAKE_TIMEOUT:?}"
                ),
            }
        });
    }
}
