//! Redaction of secrets before anything is logged or shown.
//!
//! Secret query (and fragment) parameters are recognised by name, without regard to case:
//! `?Access_Token=...` is as secret as `?access_token=...`. [`text`] works on any text that
//! may contain a URL (error messages, log lines), so it is the one rule behind [`url()`],
//! [`uri`] and the SDK's [`Error`](crate::Error) messages.

use std::borrow::Cow;

use url::Url;

/// Query parameters whose values are secrets, lower case.
pub const SECRET_PARAMS: &[&str] = &[
    "access_token",
    "refresh_token",
    "id_token",
    "token",
    "client_secret",
    "code",
    "code_verifier",
    "password",
    "jwt",
    "assertion",
    "client_assertion",
    "api_key",
    "apikey",
    "key",
    "secret",
    "signature",
    "sig",
];

/// What a secret value is replaced with.
pub const REDACTED: &str = "<redacted>";

/// Whether `name` names a secret query parameter (case-insensitive).
#[must_use]
pub fn is_secret_param(name: &str) -> bool {
    SECRET_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(name))
}

/// `url` with the values of secret query and fragment parameters replaced by `<redacted>`.
#[must_use]
pub fn url(url: &Url) -> String {
    text(url.as_str()).into_owned()
}

/// `uri` with the values of secret query parameters replaced by `<redacted>`.
#[must_use]
pub fn uri(uri: &http::Uri) -> String {
    let shown = uri.to_string();
    match text(&shown) {
        Cow::Borrowed(_) => shown,
        Cow::Owned(clean) => clean,
    }
}

/// Characters that start a parameter: after them comes a name.
fn starts_param(c: u8) -> bool {
    matches!(
        c,
        b'?' | b'&' | b'#' | b';' | b' ' | b'\t' | b'\n' | b'"' | b'\'' | b'(' | b'<' | b','
    )
}

/// Characters that end a parameter's value.
fn ends_value(c: u8) -> bool {
    matches!(
        c,
        b'&' | b'#' | b';' | b' ' | b'\t' | b'\r' | b'\n' | b'"' | b'\'' | b')' | b'>' | b','
    )
}

/// `text` with the value of every `name=value` whose name is a secret parameter replaced by
/// `<redacted>`. A name counts when it starts the text or follows `?`, `&`, `#`, `;`, a
/// space, a quote or a bracket, so `?code=..` is redacted and `?zipcode=..` is not. Linear in
/// the length of `text`; borrows it when there is nothing to hide.
#[must_use]
pub fn text(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    // Everything before `copied` is already in `out`.
    let mut copied = 0;
    let mut name_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if starts_param(c) {
            name_start = i + 1;
        } else if c == b'=' {
            let name = &text[name_start..i];
            let value_start = i + 1;
            let mut end = value_start;
            if text[value_start..].starts_with(REDACTED) {
                end += REDACTED.len();
            }
            while end < bytes.len() && !ends_value(bytes[end]) {
                end += 1;
            }
            if end > value_start && is_secret_param(name) && &text[value_start..end] != REDACTED {
                let buf = out.get_or_insert_with(|| String::with_capacity(text.len()));
                buf.push_str(&text[copied..value_start]);
                buf.push_str(REDACTED);
                copied = end;
            }
            // The value cannot start a name; skip it.
            name_start = end;
            i = end;
            continue;
        }
        i += 1;
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut buf) => {
            buf.push_str(&text[copied..]);
            Cow::Owned(buf)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hides_token_params() {
        let u = Url::parse("https://h/x?access_token=s3cret&max=2").unwrap();
        let shown = url(&u);
        assert!(!shown.contains("s3cret"));
        assert!(shown.contains("max=2"));
    }

    #[test]
    fn names_match_without_regard_to_case() {
        for name in [
            "ACCESS_TOKEN",
            "Refresh_Token",
            "Code",
            "CLIENT_SECRET",
            "Jwt",
            "id_TOKEN",
        ] {
            let shown = text(&format!("GET https://h/x?max=2&{name}=s3cret&b=1")).into_owned();
            assert_eq!(
                shown,
                format!("GET https://h/x?max=2&{name}=<redacted>&b=1"),
                "{name}"
            );
        }
    }

    #[test]
    fn fragments_and_messages_are_covered() {
        assert_eq!(
            text("redirect to http://h/cb#access_token=abc&expires_in=3 failed: refused"),
            "redirect to http://h/cb#access_token=<redacted>&expires_in=3 failed: refused"
        );
        assert_eq!(
            text("invalid header \"https://x/?password=p4ss\""),
            "invalid header \"https://x/?password=<redacted>\""
        );
        assert_eq!(text("token=abc"), "token=<redacted>");
        // Redacting twice changes nothing.
        assert!(matches!(
            text("<https://h/?code=<redacted>>"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn leaves_other_params_and_plain_text_alone() {
        for clean in [
            "https://h/x?zipcode=123&max=2",
            "no url here",
            "a=b=c",
            "https://h/x?code=",
            "",
        ] {
            assert!(matches!(text(clean), Cow::Borrowed(_)), "{clean}");
        }
        assert_eq!(text("?x=1&code=a=b&y=2"), "?x=1&code=<redacted>&y=2");
    }

    #[test]
    fn uri_is_redacted_too() {
        let u: http::Uri = "https://h/x?Token=abc".parse().unwrap();
        assert_eq!(uri(&u), "https://h/x?Token=<redacted>");
    }
}
