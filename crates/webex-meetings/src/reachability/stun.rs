//! One STUN binding test over UDP (RFC 5389): send a Binding request to a cluster's
//! `stun:host:port`, retransmitting as RFC 5389 §7.2.1 says (500 ms, doubling), until a
//! success response with our transaction id brings our server-reflexive address.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use bytecodec::{DecodeExt, EncodeExt};
use stun_codec::rfc5389::Attribute;
use stun_codec::rfc5389::attributes::{MappedAddress, XorMappedAddress};
use stun_codec::rfc5389::methods::BINDING;
use stun_codec::{Message, MessageClass, MessageDecoder, MessageEncoder, TransactionId};
use tokio::net::UdpSocket;
use tokio::time::{Instant, timeout_at};

/// The first retransmission timeout (RFC 5389 RTO).
const FIRST_RTO: Duration = Duration::from_millis(500);

/// What a successful binding test found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Binding {
    /// Our address as the STUN server saw it.
    pub(crate) mapped: IpAddr,
    /// Milliseconds from the first send to the answer (the JS SDK also measures from the
    /// start of the test).
    pub(crate) latency_ms: u64,
}

/// Why a test gave no result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum StunError {
    #[error("not a stun: URL: {0}")]
    BadUrl(String),
    #[error("cannot resolve {0}")]
    Resolve(String),
    #[error("socket: {0}")]
    Socket(String),
    #[error("no answer before the deadline")]
    Timeout,
}

/// `stun:host:port` (port 3478 when absent) → `host:port`.
pub(crate) fn parse_stun_url(url: &str) -> Result<String, StunError> {
    let rest = url
        .strip_prefix("stun:")
        .ok_or_else(|| StunError::BadUrl(url.to_owned()))?;
    let rest = rest.split('?').next().unwrap_or_default();
    if rest.is_empty() {
        return Err(StunError::BadUrl(url.to_owned()));
    }
    let has_port = rest.rsplit_once(':').is_some_and(|(h, p)| {
        !h.is_empty() && !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())
    }) && (!rest.starts_with('[') || rest.contains("]:"));
    Ok(if has_port {
        rest.to_owned()
    } else {
        format!("{rest}:3478")
    })
}

/// Runs one binding test against `url` until `deadline`.
pub(crate) async fn binding_test(url: &str, deadline: Instant) -> Result<Binding, StunError> {
    let target = parse_stun_url(url)?;
    let server: SocketAddr = tokio::net::lookup_host(&target)
        .await
        .map_err(|_| StunError::Resolve(target.clone()))?
        .next()
        .ok_or_else(|| StunError::Resolve(target.clone()))?;
    let bind: SocketAddr = if server.is_ipv4() {
        ([0, 0, 0, 0], 0).into()
    } else {
        ([0u16; 8], 0).into()
    };
    let socket = UdpSocket::bind(bind)
        .await
        .map_err(|e| StunError::Socket(e.to_string()))?;
    let id: [u8; 12] = uuid::Uuid::new_v4().as_bytes()[..12]
        .try_into()
        .unwrap_or_default();
    let request = Message::<Attribute>::new(MessageClass::Request, BINDING, TransactionId::new(id));
    let bytes = MessageEncoder::new()
        .encode_into_bytes(request)
        .map_err(|e| StunError::Socket(e.to_string()))?;
    let start = Instant::now();
    let mut rto = FIRST_RTO;
    let mut buf = [0u8; 1500];
    loop {
        socket
            .send_to(&bytes, server)
            .await
            .map_err(|e| StunError::Socket(e.to_string()))?;
        let wait_until = (Instant::now() + rto).min(deadline);
        loop {
            match timeout_at(wait_until, socket.recv_from(&mut buf)).await {
                Err(_) => break,
                Ok(Err(e)) => return Err(StunError::Socket(e.to_string())),
                Ok(Ok((n, from))) => {
                    if from != server {
                        continue;
                    }
                    if let Some(mapped) = mapped_address(&buf[..n], id) {
                        let latency_ms =
                            u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX);
                        return Ok(Binding { mapped, latency_ms });
                    }
                }
            }
        }
        if Instant::now() >= deadline {
            return Err(StunError::Timeout);
        }
        rto = rto.saturating_mul(2);
    }
}

/// The mapped address of a Binding success response with transaction id `id`; anything
/// else (another id, an error response, garbage) is `None`.
fn mapped_address(datagram: &[u8], id: [u8; 12]) -> Option<IpAddr> {
    let message = MessageDecoder::<Attribute>::new()
        .decode_from_bytes(datagram)
        .ok()?
        .ok()?;
    if message.class() != MessageClass::SuccessResponse
        || message.method() != BINDING
        || message.transaction_id().as_bytes() != &id
    {
        return None;
    }
    message
        .get_attribute::<XorMappedAddress>()
        .map(|a| a.address().ip())
        .or_else(|| {
            message
                .get_attribute::<MappedAddress>()
                .map(|a| a.address().ip())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stun_urls_get_a_port() {
        assert_eq!(
            parse_stun_url("stun:127.0.0.1:5004").unwrap(),
            "127.0.0.1:5004"
        );
        assert_eq!(
            parse_stun_url("stun:media.example").unwrap(),
            "media.example:3478"
        );
        assert!(parse_stun_url("turn:x:1").is_err());
        assert!(parse_stun_url("stun:").is_err());
    }

    #[test]
    fn garbage_and_foreign_transactions_are_ignored() {
        assert_eq!(mapped_address(b"hello", [1; 12]), None);
        let mut response = Message::<Attribute>::new(
            MessageClass::SuccessResponse,
            BINDING,
            TransactionId::new([2; 12]),
        );
        response.add_attribute(XorMappedAddress::new(([127, 0, 0, 2], 9).into()));
        let bytes = MessageEncoder::new().encode_into_bytes(response).unwrap();
        assert_eq!(mapped_address(&bytes, [1; 12]), None);
        assert_eq!(mapped_address(&bytes, [2; 12]), Some([127, 0, 0, 2].into()));
    }

    /// A real binding exchange on loopback with a responder made of the same codec.
    #[tokio::test]
    async fn a_binding_exchange_on_loopback_reports_the_mapped_address() {
        let server = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = server.local_addr().unwrap();
        tokio::spawn(async move {
            let mut buf = [0u8; 1500];
            let (n, from) = server.recv_from(&mut buf).await.unwrap();
            let req = MessageDecoder::<Attribute>::new()
                .decode_from_bytes(&buf[..n])
                .unwrap()
                .unwrap();
            let mut res = Message::<Attribute>::new(
                MessageClass::SuccessResponse,
                BINDING,
                req.transaction_id(),
            );
            res.add_attribute(XorMappedAddress::new(([127, 0, 0, 2], from.port()).into()));
            let bytes = MessageEncoder::new().encode_into_bytes(res).unwrap();
            server.send_to(&bytes, from).await.unwrap();
        });
        let deadline = Instant::now() + Duration::from_secs(5);
        let binding = binding_test(&format!("stun:{addr}"), deadline)
            .await
            .unwrap();
        assert_eq!(binding.mapped, IpAddr::from([127, 0, 0, 2]));
    }
}
