//! Building the webrtc-rs peer connection: codecs (opus/48000/2 and H.264
//! packetization-mode=1 only), RTCP reports and NACK, the UDP socket on the local address,
//! and the audio, video and share transceivers in that order.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicU8;

use rtc::interceptor::Slot;
use rtc::media_stream::MediaStreamTrack;
use rtc::peer_connection::configuration::media_engine::{MIME_TYPE_H264, MIME_TYPE_OPUS};
use rtc::rtp_transceiver::rtp_sender::{
    RTCRtpCodec, RTCRtpCodecParameters, RTCRtpCodingParameters, RTCRtpEncodingParameters,
    RtpCodecKind,
};
use rtc::rtp_transceiver::{RTCRtpReceiverId, RTCRtpTransceiverDirection, RTCRtpTransceiverInit};
use webrtc::media_stream::track_local::static_rtp::TrackLocalStaticRTP;
use webrtc::peer_connection::{
    MediaEngine, PeerConnection, PeerConnectionBuilder, RTCConfigurationBuilder, RTCIceServer,
    Registry, configure_nack, configure_rtcp_reports,
};
use webrtc::rtp_transceiver::RtpTransceiver;

use super::feedback::ReportReader;
use super::handler::Handler;
use super::send::LocalTrack;
use super::shared::{LINES, Shared};
use crate::backend::{BackendConfig, Direction, IceServer};
use crate::error::MediaError;

/// Opus's payload type in our offers (the JS SDK's).
const OPUS_PAYLOAD_TYPE: u8 = 111;
/// H.264's payload type in our offers.
const H264_PAYLOAD_TYPE: u8 = 102;
/// H.264 constrained baseline, non-interleaved (packetization-mode=1).
const H264_FMTP: &str = "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f";

/// Where the report reader sits in the interceptor chain: below every named slot, the first
/// to see inbound RTCP (it only observes).
const REPORT_READER_SLOT: usize = 500;

/// An open peer connection and its parts.
pub(super) struct Peer {
    /// The connection.
    pub(super) connection: Arc<dyn PeerConnection>,
    /// Audio, video and share, in m-line order.
    pub(super) transceivers: Vec<Arc<dyn RtpTransceiver>>,
}

/// Opens a peer connection for `config`, reporting to `shared`; returns it with the audio
/// and video tracks the sender tasks write to.
pub(super) async fn open(
    config: &BackendConfig,
    shared: &Arc<Shared>,
) -> Result<(Peer, LocalTrack, LocalTrack), MediaError> {
    let backend = |e: webrtc::error::Error| MediaError::Backend(format!("webrtc-rs: {e}"));
    let mut engine = MediaEngine::default();
    engine
        .register_codec(opus(), RtpCodecKind::Audio)
        .map_err(backend)?;
    engine
        .register_codec(h264(), RtpCodecKind::Video)
        .map_err(backend)?;
    let video_ssrc = fastrand::u32(..);
    let reader = ReportReader::new(
        Arc::clone(&shared.reports),
        video_ssrc,
        shared.event_sender(),
    );
    let registry = configure_rtcp_reports(configure_nack(Registry::new(), &mut engine))
        .with(Slot::from(REPORT_READER_SLOT), reader);
    let configuration = RTCConfigurationBuilder::new()
        .with_ice_servers(config.ice_servers.iter().map(ice_server).collect())
        .build();
    let connection = PeerConnectionBuilder::new()
        .with_configuration(configuration)
        .with_media_engine(engine)
        .with_interceptor_registry(registry)
        .with_handler(Arc::new(Handler {
            shared: Arc::clone(shared),
        }))
        .with_udp_addrs(vec![SocketAddr::new(config.local_ip, 0)])
        .build()
        .await
        .map_err(backend)?;
    let connection: Arc<dyn PeerConnection> = Arc::new(connection);

    let ssrc = fastrand::u32(..);
    let track = Arc::new(TrackLocalStaticRTP::new(local_track(
        ssrc,
        RtpCodecKind::Audio,
        opus_codec(),
    )));
    let audio = connection
        .add_transceiver_from_track(
            Arc::clone(&track) as _,
            Some(init(RTCRtpTransceiverDirection::Sendrecv)),
        )
        .await
        .map_err(backend)?;
    let video_track = Arc::new(TrackLocalStaticRTP::new(local_track(
        video_ssrc,
        RtpCodecKind::Video,
        h264().rtp_codec,
    )));
    let video = connection
        .add_transceiver_from_track(
            Arc::clone(&video_track) as _,
            Some(init(RTCRtpTransceiverDirection::Sendrecv)),
        )
        .await
        .map_err(backend)?;
    let share = connection
        .add_transceiver_from_kind(
            RtpCodecKind::Video,
            Some(init(RTCRtpTransceiverDirection::Recvonly)),
        )
        .await
        .map_err(backend)?;
    let transceivers = vec![audio, video, share];
    for (transceiver, kind) in transceivers.iter().zip(LINES) {
        shared.add_receiver(RTCRtpReceiverId::from(transceiver.id()), kind);
    }
    let peer = Peer {
        connection,
        transceivers,
    };
    peer.set_directions([config.audio, config.video, config.share])
        .await?;
    let audio = LocalTrack {
        track,
        ssrc,
        payload_type: Arc::new(AtomicU8::new(OPUS_PAYLOAD_TYPE)),
    };
    let video = LocalTrack {
        track: video_track,
        ssrc: video_ssrc,
        payload_type: Arc::new(AtomicU8::new(H264_PAYLOAD_TYPE)),
    };
    Ok((peer, audio, video))
}

impl Peer {
    /// The Opus payload type negotiated on the audio m-line, once an answer is applied.
    pub(super) async fn opus_payload_type(&self) -> Option<u8> {
        self.payload_type(0, MIME_TYPE_OPUS).await
    }

    /// The H.264 payload type negotiated on the video m-line, once an answer is applied.
    pub(super) async fn h264_payload_type(&self) -> Option<u8> {
        self.payload_type(1, MIME_TYPE_H264).await
    }

    /// The payload type of `mime_type` negotiated on the `line`th m-line.
    async fn payload_type(&self, line: usize, mime_type: &str) -> Option<u8> {
        let sender = self.transceivers.get(line)?.sender().await.ok()??;
        let parameters = sender.get_parameters().await.ok()?;
        parameters
            .rtp_parameters
            .codecs
            .iter()
            .find(|c| c.rtp_codec.mime_type.eq_ignore_ascii_case(mime_type))
            .map(|c| c.payload_type)
    }

    /// Sets the audio, video and share directions (negotiated with the next offer).
    pub(super) async fn set_directions(
        &self,
        directions: [Direction; 3],
    ) -> Result<(), MediaError> {
        for (transceiver, direction) in self.transceivers.iter().zip(directions) {
            transceiver
                .set_direction(rtc_direction(direction))
                .await
                .map_err(|e| MediaError::Backend(format!("webrtc-rs: {e}")))?;
        }
        Ok(())
    }
}

/// opus/48000/2.
fn opus() -> RTCRtpCodecParameters {
    RTCRtpCodecParameters {
        rtp_codec: opus_codec(),
        payload_type: OPUS_PAYLOAD_TYPE,
    }
}

/// The Opus codec as the JS SDK offers it.
fn opus_codec() -> RTCRtpCodec {
    RTCRtpCodec {
        mime_type: MIME_TYPE_OPUS.to_owned(),
        clock_rate: 48_000,
        channels: 2,
        sdp_fmtp_line: "minptime=10;useinbandfec=1".to_owned(),
        rtcp_feedback: Vec::new(),
    }
}

/// H.264, packetization-mode=1.
fn h264() -> RTCRtpCodecParameters {
    RTCRtpCodecParameters {
        rtp_codec: RTCRtpCodec {
            mime_type: MIME_TYPE_H264.to_owned(),
            clock_rate: 90_000,
            channels: 0,
            sdp_fmtp_line: H264_FMTP.to_owned(),
            rtcp_feedback: Vec::new(),
        },
        payload_type: H264_PAYLOAD_TYPE,
    }
}

/// A local track of `kind`: one encoding of `codec` with our SSRC.
fn local_track(ssrc: u32, kind: RtpCodecKind, codec: RTCRtpCodec) -> MediaStreamTrack {
    let id = format!("{:016x}", fastrand::u64(..));
    let label = if kind == RtpCodecKind::Audio {
        "audio"
    } else {
        "video"
    };
    MediaStreamTrack::new(
        format!("stream-{id}"),
        format!("{label}-{id}"),
        label.to_owned(),
        kind,
        vec![RTCRtpEncodingParameters {
            rtp_coding_parameters: RTCRtpCodingParameters {
                ssrc: Some(ssrc),
                ..Default::default()
            },
            active: true,
            codec,
            ..Default::default()
        }],
    )
}

/// A transceiver starting in `direction`.
fn init(direction: RTCRtpTransceiverDirection) -> RTCRtpTransceiverInit {
    RTCRtpTransceiverInit {
        direction,
        streams: Vec::new(),
        send_encodings: Vec::new(),
    }
}

/// webrtc-rs's name for `direction`.
fn rtc_direction(direction: Direction) -> RTCRtpTransceiverDirection {
    match direction {
        Direction::SendRecv => RTCRtpTransceiverDirection::Sendrecv,
        Direction::SendOnly => RTCRtpTransceiverDirection::Sendonly,
        Direction::RecvOnly => RTCRtpTransceiverDirection::Recvonly,
        Direction::Inactive => RTCRtpTransceiverDirection::Inactive,
    }
}

/// webrtc-rs's form of an ICE server.
fn ice_server(server: &IceServer) -> RTCIceServer {
    RTCIceServer {
        urls: server.urls.clone(),
        username: server.username.clone().unwrap_or_default(),
        credential: server.credential.clone().unwrap_or_default(),
    }
}
