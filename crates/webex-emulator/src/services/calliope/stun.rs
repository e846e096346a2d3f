//! The STUN responder of the emulated media cluster: answers RFC 5389
//! binding requests on a loopback UDP port, which is what the clients'
//! reachability check sends to the `udp` URLs calliope lists.
//!
//! The emulated cluster sits behind a one-to-one address translation, the
//! way a cloud media cluster sees a client's public address rather than the
//! one the client bound: a request from `127.0.0.1` is answered with the
//! same port on [`TRANSLATED_LOOPBACK`]. This is not cosmetic: a browser
//! drops a server-reflexive candidate that equals one of its host
//! candidates, and the JS SDK counts a cluster as reachable over UDP only
//! when a server-reflexive candidate shows up. Any other source address is
//! reported as it is.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use bytecodec::{DecodeExt, EncodeExt};
use stun_codec::rfc5389::Attribute;
use stun_codec::rfc5389::attributes::{Software, XorMappedAddress};
use stun_codec::rfc5389::methods::BINDING;
use stun_codec::{Message, MessageClass, MessageDecoder, MessageEncoder};
use tokio::net::UdpSocket;
use tokio::sync::watch;

use crate::kit::sync::stopped;

/// The address a request from `127.0.0.1` is reported as coming from.
pub(crate) const TRANSLATED_LOOPBACK: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);

/// The `SOFTWARE` attribute of every answer.
const SOFTWARE: &str = "webex-emulator";

/// The largest datagram read; STUN binding requests are far smaller.
const MAX_DATAGRAM: usize = 1500;

/// A bound STUN responder, not yet serving.
pub(crate) struct StunResponder {
    socket: UdpSocket,
}

impl StunResponder {
    /// Binds a free UDP port on `ip`.
    pub(crate) async fn bind(ip: IpAddr) -> io::Result<Self> {
        let socket = UdpSocket::bind(SocketAddr::new(ip, 0)).await?;
        Ok(Self { socket })
    }

    /// The bound address.
    pub(crate) fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.local_addr()
    }

    /// Serves binding requests on a task until `stop` turns true.
    pub(crate) fn spawn(self, mut stop: watch::Receiver<bool>) {
        tokio::spawn(async move {
            let mut buf = vec![0; MAX_DATAGRAM];
            loop {
                tokio::select! {
                    received = self.socket.recv_from(&mut buf) => {
                        let Ok((len, from)) = received else { continue };
                        if let Some(answer) = answer(&buf[..len], from) {
                            // A lost answer is what UDP does; the client retries.
                            let _ = self.socket.send_to(&answer, from).await;
                        }
                    }
                    () = stopped(&mut stop) => return,
                }
            }
        });
    }
}

/// Where the cluster sees a request from `from` coming from.
pub(crate) fn reflexive(from: SocketAddr) -> SocketAddr {
    match from.ip() {
        IpAddr::V4(v4) if v4 == Ipv4Addr::LOCALHOST => {
            SocketAddr::new(IpAddr::V4(TRANSLATED_LOOPBACK), from.port())
        }
        _ => from,
    }
}

/// The answer to one datagram: a binding success response for a binding
/// request, nothing for anything else (a response, an indication, bytes
/// that are not STUN), as a STUN server ignores what it cannot answer.
fn answer(datagram: &[u8], from: SocketAddr) -> Option<Vec<u8>> {
    let mut decoder = MessageDecoder::<Attribute>::new();
    let request = decoder.decode_from_bytes(datagram).ok()?.ok()?;
    if request.class() != MessageClass::Request || request.method() != BINDING {
        return None;
    }
    let mut response = Message::<Attribute>::new(
        MessageClass::SuccessResponse,
        BINDING,
        request.transaction_id(),
    );
    response.add_attribute(XorMappedAddress::new(reflexive(from)));
    if let Ok(software) = Software::new(SOFTWARE.to_owned()) {
        response.add_attribute(software);
    }
    MessageEncoder::new().encode_into_bytes(response).ok()
}

#[cfg(test)]
mod tests {
    use stun_codec::TransactionId;

    use super::*;

    fn binding(class: MessageClass) -> Vec<u8> {
        let message = Message::<Attribute>::new(class, BINDING, TransactionId::new([7; 12]));
        MessageEncoder::new().encode_into_bytes(message).unwrap()
    }

    fn decode(bytes: &[u8]) -> Message<Attribute> {
        MessageDecoder::<Attribute>::new()
            .decode_from_bytes(bytes)
            .unwrap()
            .unwrap()
    }

    #[test]
    fn a_binding_request_gets_the_translated_address() {
        let from: SocketAddr = "127.0.0.1:40000".parse().unwrap();
        let bytes = answer(&binding(MessageClass::Request), from).unwrap();
        let response = decode(&bytes);
        assert_eq!(response.class(), MessageClass::SuccessResponse);
        assert_eq!(response.transaction_id(), TransactionId::new([7; 12]));
        let mapped = response.get_attribute::<XorMappedAddress>().unwrap();
        assert_eq!(mapped.address(), "127.0.0.2:40000".parse().unwrap());
    }

    #[test]
    fn other_sources_are_reported_as_they_are() {
        let from: SocketAddr = "10.1.2.3:5000".parse().unwrap();
        assert_eq!(reflexive(from), from);
    }

    #[test]
    fn what_is_not_a_binding_request_is_ignored() {
        let from: SocketAddr = "127.0.0.1:1".parse().unwrap();
        assert!(answer(&binding(MessageClass::SuccessResponse), from).is_none());
        assert!(answer(&binding(MessageClass::Indication), from).is_none());
        assert!(answer(b"GET / HTTP/1.1\r\n\r\n", from).is_none());
        assert!(answer(&[], from).is_none());
    }

    #[tokio::test]
    async fn answers_over_udp() {
        let responder = StunResponder::bind(IpAddr::V4(Ipv4Addr::LOCALHOST))
            .await
            .unwrap();
        let server = responder.local_addr().unwrap();
        let (stop, stopped) = watch::channel(false);
        responder.spawn(stopped);
        let client = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let port = client.local_addr().unwrap().port();
        client
            .send_to(&binding(MessageClass::Request), server)
            .await
            .unwrap();
        let mut buf = [0; MAX_DATAGRAM];
        let (len, _) = client.recv_from(&mut buf).await.unwrap();
        let mapped = decode(&buf[..len])
            .get_attribute::<XorMappedAddress>()
            .unwrap()
            .address();
        assert_eq!(mapped, SocketAddr::new(TRANSLATED_LOOPBACK.into(), port));
        stop.send_replace(true);
    }
}
