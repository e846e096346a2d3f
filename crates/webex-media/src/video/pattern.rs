//! A generated test pattern: vertical colour bars that scroll one step per frame, with a
//! bright square whose position counts the frames, so consecutive pictures differ (the
//! encoder sends real inter frames) and a decoded picture shows which frame it was.

use super::{I420Frame, VideoSource};

/// The bars' colours as (Y, U, V): white, yellow, cyan, green, magenta, red, blue, black.
const BARS: [(u8, u8, u8); 8] = [
    (235, 128, 128),
    (210, 16, 146),
    (170, 166, 16),
    (145, 54, 34),
    (106, 202, 222),
    (81, 90, 240),
    (41, 240, 110),
    (16, 128, 128),
];

/// Moving colour bars and a frame counter, as I420.
#[derive(Clone, Debug)]
pub struct TestPattern {
    width: usize,
    height: usize,
    frame_rate: u32,
    frame: u64,
}

impl TestPattern {
    /// A pattern of `width` × `height` pixels (rounded down to even, at least 16 × 16) at
    /// `frame_rate` frames per second (at least 1).
    pub fn new(width: usize, height: usize, frame_rate: u32) -> Self {
        let even = |n: usize| (n.max(16)) & !1;
        TestPattern {
            width: even(width),
            height: even(height),
            frame_rate: frame_rate.max(1),
            frame: 0,
        }
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> usize {
        self.height
    }

    /// The picture of frame number `n`.
    pub fn picture(&self, n: u64) -> I420Frame {
        let (w, h) = (self.width, self.height);
        let bar_width = (w / BARS.len()).max(1);
        // The bars move 2 pixels per frame; the counter square walks along a row of 16 cells.
        let shift = usize::try_from(n % w as u64).unwrap_or(0) * 2;
        let cell = (w / 16).max(2) & !1;
        let counter_x = usize::try_from(n % 16).unwrap_or(0) * cell;
        let counter_y = h / 2;
        let bar_at = |x: usize| BARS[((x + shift) / bar_width) % BARS.len()];
        let in_counter = |x: usize, y: usize| {
            (counter_x..counter_x + cell).contains(&x) && (counter_y..counter_y + cell).contains(&y)
        };
        let mut data = Vec::with_capacity(w * h * 3 / 2);
        for y in 0..h {
            for x in 0..w {
                data.push(if in_counter(x, y) { 255 } else { bar_at(x).0 });
            }
        }
        for plane in [1, 2] {
            for y in 0..h / 2 {
                for x in 0..w / 2 {
                    let (_, u, v) = bar_at(x * 2);
                    let value = if in_counter(x * 2, y * 2) {
                        128
                    } else if plane == 1 {
                        u
                    } else {
                        v
                    };
                    data.push(value);
                }
            }
        }
        // The size always fits: it was computed from the dimensions just above.
        I420Frame {
            width: w,
            height: h,
            data,
        }
    }
}

impl VideoSource for TestPattern {
    fn frame_rate(&self) -> u32 {
        self.frame_rate
    }

    fn next_frame(&mut self) -> Option<I420Frame> {
        let picture = self.picture(self.frame);
        self.frame += 1;
        Some(picture)
    }
}
