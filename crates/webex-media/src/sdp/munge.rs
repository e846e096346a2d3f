//! The changes the transcoded client makes to its local offer before Locus sees it, after
//! checking it is complete: bandwidth (`b=TIAS`) per medium, periodic key frames on video,
//! `a=content:slides` on the share (second) video m-line, no header extensions. Applying it
//! twice changes nothing.

use ::sdp::SessionDescription;
use ::sdp::description::common::{Attribute, Bandwidth};
use ::sdp::description::media::MediaDescription;

use super::{SdpError, attribute, h264_payload_types, parse, strip_extmap};

/// What the munging applies (the JS SDK's transcoded defaults by [`Default`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MungeConfig {
    /// `b=TIAS` on audio m-lines, bits per second.
    pub audio_tias: u64,
    /// `b=TIAS` on video m-lines, bits per second.
    pub video_tias: u64,
    /// `a=periodic-keyframes` on video m-lines, seconds.
    pub periodic_keyframes: u32,
    /// Mark the second of exactly two video m-lines `a=content:slides`.
    pub content_slides: bool,
    /// Remove every `a=extmap`.
    pub strip_extmap: bool,
    /// Refuse a video m-line without H264.
    pub require_h264: bool,
}

impl Default for MungeConfig {
    fn default() -> Self {
        MungeConfig {
            audio_tias: 64_000,
            video_tias: 4_000_000,
            periodic_keyframes: 20,
            content_slides: true,
            strip_extmap: true,
            require_h264: true,
        }
    }
}

const TIAS: &str = "TIAS";

/// Checks the local offer and munges it for Locus.
///
/// # Errors
///
/// [`SdpError`] when the SDP does not parse, or an audio/video m-line has port 0, no
/// candidate, no ICE credentials, or (with `require_h264`) a video m-line lacks H264.
pub fn munge_local_offer(offer: &str, config: &MungeConfig) -> Result<String, SdpError> {
    let mut session = parse(offer)?;
    validate(&session, config)?;
    let videos = session
        .media_descriptions
        .iter()
        .filter(|m| m.media_name.media == "video")
        .count();
    let mut video_index = 0;
    if config.strip_extmap {
        strip_extmap(&mut session);
    }
    for media in &mut session.media_descriptions {
        match media.media_name.media.as_str() {
            "audio" => set_tias(media, config.audio_tias),
            "video" => {
                set_tias(media, config.video_tias);
                let keyframes = config.periodic_keyframes.to_string();
                set_attribute(media, "periodic-keyframes", &keyframes);
                if config.content_slides && videos == 2 && video_index == 1 {
                    set_attribute(media, "content", "slides");
                }
                video_index += 1;
            }
            _ => {}
        }
    }
    Ok(session.marshal())
}

fn validate(session: &SessionDescription, config: &MungeConfig) -> Result<(), SdpError> {
    for (index, media) in session.media_descriptions.iter().enumerate() {
        let kind = media.media_name.media.as_str();
        if kind != "audio" && kind != "video" {
            continue;
        }
        if media.media_name.port.value == 0 {
            return Err(SdpError::PortZero { index });
        }
        if !media.attributes.iter().any(Attribute::is_ice_candidate) {
            return Err(SdpError::NoCandidate { index });
        }
        let credentials = attribute(session, media, "ice-ufrag").is_some()
            && attribute(session, media, "ice-pwd").is_some();
        if !credentials {
            return Err(SdpError::NoIceCredentials { index });
        }
        if kind == "video" && config.require_h264 && h264_payload_types(media).is_empty() {
            return Err(SdpError::NoH264 { index });
        }
    }
    Ok(())
}

fn set_tias(media: &mut MediaDescription, bits_per_second: u64) {
    media.bandwidth.retain(|b| b.bandwidth_type != TIAS);
    media.bandwidth.push(Bandwidth {
        experimental: false,
        bandwidth_type: TIAS.to_owned(),
        bandwidth: bits_per_second,
    });
}

/// Sets `a=key:value`, replacing an existing value (so munging twice changes nothing).
fn set_attribute(media: &mut MediaDescription, key: &str, value: &str) {
    match media.attributes.iter_mut().find(|a| a.key == key) {
        Some(existing) => existing.value = Some(value.to_owned()),
        None => media
            .attributes
            .push(Attribute::new(key.to_owned(), Some(value.to_owned()))),
    }
}
