//! The Opus codec: a tone survives it by frequency, lost packets are concealed, and whatever
//! arrives from the network gives a frame or a typed error, never a panic.

use proptest::prelude::*;
use webex_media::audio::{
    AudioError, AudioFrame, AudioSource, FRAME_SAMPLES, OpusDecoder, OpusEncoder, ToneSource,
    tone_level,
};

/// `frames` frames of `source` through an encoder and a decoder, and the payloads.
fn through_opus(source: &mut dyn AudioSource, frames: usize) -> (Vec<i16>, Vec<Vec<u8>>) {
    let mut encoder = OpusEncoder::new().unwrap();
    let mut decoder = OpusDecoder::new().unwrap();
    let mut heard = Vec::new();
    let mut payloads = Vec::new();
    for _ in 0..frames {
        let payload = encoder.encode(&source.next_frame().unwrap()).unwrap();
        let frame = decoder.decode(&payload).unwrap();
        assert_eq!(frame.samples.len(), FRAME_SAMPLES);
        heard.extend(frame.samples);
        payloads.push(payload);
    }
    (heard, payloads)
}

#[test]
fn a_1_khz_tone_keeps_its_frequency_through_opus() {
    let (heard, payloads) = through_opus(&mut ToneSource::new(1000.0, 0.5), 100);
    // Past the codec's first 200 ms (its start-up and the encoder's look-ahead).
    let steady = &heard[10 * FRAME_SAMPLES..];
    let at_1000 = tone_level(steady, 1000.0);
    let at_700 = tone_level(steady, 700.0);
    assert!(
        (0.15..=0.35).contains(&at_1000),
        "a 0.5 amplitude tone has power near 0.25, got {at_1000}"
    );
    assert!(
        at_1000 > 1000.0 * at_700,
        "1 kHz {at_1000} vs 700 Hz {at_700}"
    );
    // Compressed: a 20 ms frame of 16-bit PCM is 1920 bytes.
    assert!(payloads.iter().all(|payload| payload.len() < 400));
}

#[test]
fn silence_stays_silent() {
    struct Silence;
    impl AudioSource for Silence {
        fn next_frame(&mut self) -> Option<AudioFrame> {
            Some(AudioFrame::silence())
        }
    }
    let (heard, _) = through_opus(&mut Silence, 20);
    assert!(heard.iter().all(|&sample| sample.abs() < 10));
}

#[test]
fn a_lost_packet_is_concealed_with_the_tone_not_silence() {
    let mut tone = ToneSource::new(1000.0, 0.5);
    let mut encoder = OpusEncoder::new().unwrap();
    let mut decoder = OpusDecoder::new().unwrap();
    for _ in 0..20 {
        let payload = encoder.encode(&tone.next_frame().unwrap()).unwrap();
        decoder.decode(&payload).unwrap();
    }
    let concealed = decoder.decode_lost();
    assert_eq!(concealed.samples.len(), FRAME_SAMPLES);
    assert!(tone_level(&concealed.samples, 1000.0) > 0.05);
    // Decoding goes on after the gap.
    let payload = encoder.encode(&tone.next_frame().unwrap()).unwrap();
    assert!(tone_level(&decoder.decode(&payload).unwrap().samples, 1000.0) > 0.05);
}

#[test]
fn a_stereo_payload_decodes_to_mono() {
    // What a peer that really sends stereo (opus/48000/2 allows it) puts on the wire: the
    // tone on both channels.
    let mut stereo =
        opus::Encoder::new(48_000, opus::Channels::Stereo, opus::Application::Voip).unwrap();
    let mut tone = ToneSource::new(1000.0, 0.5);
    let mut decoder = OpusDecoder::new().unwrap();
    let mut heard = Vec::new();
    for _ in 0..50 {
        let mono = tone.next_frame().unwrap().samples;
        let interleaved: Vec<i16> = mono.iter().flat_map(|&sample| [sample, sample]).collect();
        let payload = stereo.encode_vec(&interleaved, 4000).unwrap();
        let frame = decoder.decode(&payload).unwrap();
        assert_eq!(frame.samples.len(), FRAME_SAMPLES);
        heard.extend(frame.samples);
    }
    let steady = &heard[10 * FRAME_SAMPLES..];
    assert!(tone_level(steady, 1000.0) > 0.15);
    assert!(tone_level(steady, 1000.0) > 1000.0 * tone_level(steady, 700.0));
}

#[test]
fn a_frame_of_the_wrong_length_is_refused() {
    let mut encoder = OpusEncoder::new().unwrap();
    let short = AudioFrame {
        samples: vec![0; 480],
    };
    let error = encoder.encode(&short).unwrap_err();
    assert!(
        matches!(error, AudioError::FrameLength { len: 480 }),
        "{error}"
    );
    assert!(error.to_string().contains("480 samples"));
}

#[test]
fn malformed_payloads_are_typed_errors_and_the_decoder_goes_on() {
    let mut decoder = OpusDecoder::new().unwrap();
    let empty = decoder.decode(&[]).unwrap_err();
    assert!(
        matches!(empty, AudioError::MalformedOpus { len: 0, .. }),
        "{empty}"
    );
    // TOC code 3 (arbitrary frame count) without its frame-count byte.
    let truncated = decoder.decode(&[0b0000_0011]).unwrap_err();
    assert!(
        matches!(truncated, AudioError::MalformedOpus { len: 1, .. }),
        "{truncated}"
    );
    assert!(
        truncated
            .to_string()
            .contains("malformed Opus payload (1 bytes)")
    );
    // A valid 60 ms packet (config 3: SILK narrowband 60 ms) is not a 20 ms frame.
    let long = decoder.decode(&[0b0001_1000, 0, 0]).unwrap_err();
    assert!(
        matches!(long, AudioError::OpusFrameDuration { samples: 2880 }),
        "{long}"
    );

    let mut encoder = OpusEncoder::new().unwrap();
    let payload = encoder
        .encode(&ToneSource::new(440.0, 0.3).next_frame().unwrap())
        .unwrap();
    assert_eq!(
        decoder.decode(&payload).unwrap().samples.len(),
        FRAME_SAMPLES
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_decoder_never_panics_on_arbitrary_bytes(
        payloads in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..400), 1..8)
    ) {
        let mut decoder = OpusDecoder::new().unwrap();
        for payload in &payloads {
            match decoder.decode(payload) {
                Ok(frame) => prop_assert_eq!(frame.samples.len(), FRAME_SAMPLES),
                Err(AudioError::MalformedOpus { len, .. }) => prop_assert_eq!(len, payload.len()),
                Err(AudioError::OpusFrameDuration { samples }) => prop_assert_ne!(samples, FRAME_SAMPLES),
                Err(other) => prop_assert!(false, "unexpected error {other}"),
            }
        }
        prop_assert_eq!(decoder.decode_lost().samples.len(), FRAME_SAMPLES);
    }
}

/// A connection runs its audio on a task that may move between threads, and hands the
/// noise-reduction handle to any thread.
#[test]
fn the_audio_pipeline_moves_between_threads() {
    fn send<T: Send + 'static>() {}
    fn shared<T: Send + Sync + 'static>() {}
    send::<OpusEncoder>();
    send::<OpusDecoder>();
    send::<webex_media::audio::NoiseReduction>();
    send::<webex_media::audio::WavWriter>();
    send::<Box<dyn AudioSource>>();
    shared::<webex_media::audio::NoiseReductionHandle>();
    shared::<webex_media::audio::PcmSender>();
    shared::<AudioError>();
}
