//! Cutting text from outside (error bodies, log records) to a bounded size.

/// What marks a cut.
const ELLIPSIS: char = '…';

/// `text` cut to at most `max` bytes (at a character boundary) plus `…` when it was longer.
pub(crate) fn cut(mut text: String, max: usize) -> String {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.push(ELLIPSIS);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_a_char_boundary_and_marks_it() {
        assert_eq!(cut("short".into(), 10), "short");
        assert_eq!(cut("abcdef".into(), 3), "abc…");
        // 'é' is two bytes: never cut in the middle.
        assert_eq!(cut("aéé".into(), 2), "a…");
        assert_eq!(cut("x".into(), 0), "…");
    }
}
