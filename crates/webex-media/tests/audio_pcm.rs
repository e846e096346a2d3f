//! The PCM channel: frames from the application in order, silence when it is late (never
//! waiting), backpressure when it runs ahead, an end when it is done.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use webex_media::audio::{AudioError, AudioFrame, AudioSource, FRAME_DURATION, pcm_channel};

fn frame(value: i16) -> AudioFrame {
    AudioFrame {
        samples: vec![value; 960],
    }
}

#[tokio::test(start_paused = true)]
async fn a_late_sender_gives_silence_and_the_pacer_never_waits() {
    let (sender, mut source) = pcm_channel(4);
    let app = tokio::spawn(async move {
        // The app makes a frame every 40 ms, starting at 10 ms: late for a 20 ms pacer (and
        // never at the same instant as a tick, so the order is certain).
        tokio::time::sleep(Duration::from_millis(10)).await;
        for value in 1..=3 {
            sender.send(frame(value)).await.unwrap();
            tokio::time::sleep(Duration::from_millis(40)).await;
        }
        sender
    });
    let mut heard = Vec::new();
    let mut pacer = tokio::time::interval(FRAME_DURATION);
    for _ in 0..10 {
        pacer.tick().await;
        heard.push(source.next_frame().unwrap().samples[0]);
    }
    // Ticks at 0, 20, 40, ... ms; frames sent at 10, 50 and 90 ms; silence otherwise.
    assert_eq!(heard, [0, 1, 0, 2, 0, 3, 0, 0, 0, 0]);
    let sender = app.await.unwrap();
    assert_eq!(sender.late_frames(), 7);

    drop(sender);
    assert_eq!(source.next_frame(), None, "ended once the sender is gone");
}

#[tokio::test(start_paused = true)]
async fn a_sender_ahead_waits_for_room_and_nothing_is_lost() {
    let (sender, mut source) = pcm_channel(2);
    let sent = Arc::new(AtomicUsize::new(0));
    let app = tokio::spawn({
        let sent = Arc::clone(&sent);
        async move {
            for value in 1..=6 {
                sender.send(frame(value)).await.unwrap();
                sent.fetch_add(1, Ordering::SeqCst);
            }
        }
    });
    // However long the app runs, two frames fit and the third waits.
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert_eq!(sent.load(Ordering::SeqCst), 2);
    assert!(!app.is_finished());

    let mut heard = Vec::new();
    let mut pacer = tokio::time::interval(FRAME_DURATION);
    while heard.len() < 6 {
        pacer.tick().await;
        heard.push(source.next_frame().unwrap().samples[0]);
    }
    assert_eq!(heard, [1, 2, 3, 4, 5, 6]);
    app.await.unwrap();
    assert_eq!(source.next_frame(), None);
}

#[tokio::test]
async fn a_frame_of_the_wrong_length_or_a_dropped_source_is_an_error() {
    let (sender, source) = pcm_channel(2);
    let error = sender
        .send(AudioFrame {
            samples: vec![0; 100],
        })
        .await
        .unwrap_err();
    assert!(
        matches!(error, AudioError::FrameLength { len: 100 }),
        "{error}"
    );
    drop(source);
    let error = sender.send(frame(1)).await.unwrap_err();
    assert!(matches!(error, AudioError::PcmClosed), "{error}");
}
