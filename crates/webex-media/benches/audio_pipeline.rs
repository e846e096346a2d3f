//! What one 20 ms audio frame costs on the way out (noise reduction, Opus encode) and in (Opus
//! decode): the per-stream CPU of a call's audio.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use webex_media::audio::{AudioSource, NoiseReduction, OpusDecoder, OpusEncoder, ToneSource};

fn audio_pipeline(c: &mut Criterion) {
    let mut tone = ToneSource::new(1000.0, 0.5);
    let frames: Vec<_> = (0..50).map(|_| tone.next_frame().unwrap()).collect();

    let mut encoder = OpusEncoder::new().unwrap();
    let payloads: Vec<_> = frames
        .iter()
        .map(|frame| encoder.encode(frame).unwrap())
        .collect();

    c.bench_function("opus encode 20 ms", |b| {
        let mut next = frames.iter().cycle();
        b.iter(|| encoder.encode(black_box(next.next().unwrap())).unwrap())
    });

    let mut decoder = OpusDecoder::new().unwrap();
    c.bench_function("opus decode 20 ms", |b| {
        let mut next = payloads.iter().cycle();
        b.iter(|| decoder.decode(black_box(next.next().unwrap())).unwrap())
    });

    let (mut noise_reduction, handle) = NoiseReduction::new();
    handle.set_enabled(true);
    c.bench_function("noise reduction 20 ms", |b| {
        let mut next = frames.iter().cycle();
        b.iter_batched_ref(
            || next.next().unwrap().clone(),
            |frame| noise_reduction.process(frame),
            criterion::BatchSize::SmallInput,
        )
    });

    c.bench_function(
        "send and receive 20 ms (noise reduction, encode, decode)",
        |b| {
            let mut next = frames.iter().cycle();
            b.iter(|| {
                let mut frame = next.next().unwrap().clone();
                noise_reduction.process(&mut frame);
                let payload = encoder.encode(&frame).unwrap();
                decoder.decode(black_box(&payload)).unwrap()
            })
        },
    );
}

criterion_group!(benches, audio_pipeline);
criterion_main!(benches);
