//! Just enough HTTP/1.1 and JSON, on std alone, to set a bench up on the
//! emulator: make a person (admin API), a room and its members (with their
//! token), and drive the admin operations the events bench needs (a burst of
//! messages, a dropped socket). The emulator answers compact JSON whose ids
//! and tokens need no escaping.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A person made with `POST /_emulator/people`.
#[derive(Debug)]
pub(super) struct Person {
    /// Their Hydra person id.
    pub(super) id: String,
    /// Their access token.
    pub(super) token: String,
}

/// `POST /_emulator/people` for a new person of that name and email.
pub(super) fn create_person(base: &str, name: &str, email: &str) -> Result<Person, String> {
    let body = format!(
        r#"{{"displayName":{},"email":{},"type":"person"}}"#,
        quote(name),
        quote(email)
    );
    let (status, reply) = call(base, "POST", "/_emulator/people", None, &body)?;
    if status != 201 {
        return Err(format!("POST /_emulator/people: {status} {reply}"));
    }
    let field = |key: &str| {
        string_field(&reply, key)
            .ok_or_else(|| format!("POST /_emulator/people: no {key} in {reply}"))
    };
    Ok(Person {
        id: field("id")?,
        token: field("accessToken")?,
    })
}

/// `POST /v1/memberships` as `person`, adding `member` to `room`.
pub(super) fn add_member(
    base: &str,
    person: &Person,
    room: &str,
    member: &Person,
) -> Result<(), String> {
    let body = format!(
        r#"{{"roomId":{},"personId":{}}}"#,
        quote(room),
        quote(&member.id)
    );
    let (status, reply) = call(base, "POST", "/v1/memberships", Some(&person.token), &body)?;
    if status != 200 {
        return Err(format!("POST /v1/memberships: {status} {reply}"));
    }
    Ok(())
}

/// `POST /_emulator/mercury/burst`: `count` messages posted by `author`
/// into `room`, pushed to its members' sockets at their pace (in the
/// background: this returns once the emulator accepted the burst).
pub(super) fn mercury_burst(
    base: &str,
    author: &Person,
    room: &str,
    count: usize,
) -> Result<(), String> {
    let body = format!(
        r#"{{"personId":{},"roomId":{},"count":{count},"text":"bench event"}}"#,
        quote(&author.id),
        quote(room)
    );
    let (status, reply) = call(base, "POST", "/_emulator/mercury/burst", None, &body)?;
    if status != 202 {
        return Err(format!("POST /_emulator/mercury/burst: {status} {reply}"));
    }
    Ok(())
}

/// `POST /_emulator/faults {"mercury": "drop", "personId"}`: drops the TCP
/// connection of every open socket of `person`; how many it dropped, or
/// `None` when this emulator has no Mercury faults (it refuses the body).
pub(super) fn mercury_drop(base: &str, person: &Person) -> Result<Option<usize>, String> {
    let body = format!(r#"{{"mercury":"drop","personId":{}}}"#, quote(&person.id));
    let (status, reply) = call(base, "POST", "/_emulator/faults", None, &body)?;
    match status {
        201 => number_field(&reply, "sockets")
            .map(|n| Some(n as usize))
            .ok_or_else(|| format!("POST /_emulator/faults: no sockets in {reply}")),
        400 => Ok(None),
        _ => Err(format!("POST /_emulator/faults: {status} {reply}")),
    }
}

/// `POST /v1/rooms` as `person`; the new room's id.
pub(super) fn create_room(base: &str, person: &Person, title: &str) -> Result<String, String> {
    let body = format!(r#"{{"title":{}}}"#, quote(title));
    let (status, reply) = call(base, "POST", "/v1/rooms", Some(&person.token), &body)?;
    if status != 200 {
        return Err(format!("POST /v1/rooms: {status} {reply}"));
    }
    string_field(&reply, "id").ok_or_else(|| format!("POST /v1/rooms: no id in {reply}"))
}

/// One request on its own connection; the status and the body.
fn call(
    base: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> Result<(u16, String), String> {
    let what = |error: std::io::Error| format!("{method} {base}{path}: {error}");
    let host = base
        .strip_prefix("http://")
        .ok_or_else(|| format!("not an http:// URL: {base}"))?;
    let mut stream = TcpStream::connect(host).map_err(what)?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(what)?;
    let auth = token.map_or_else(String::new, |t| format!("Authorization: Bearer {t}\r\n"));
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{auth}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).map_err(what)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(what)?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("{method} {path}: no HTTP response: {text}"))?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("{method} {path}: bad status line in {head}"))?;
    let chunked = head
        .lines()
        .any(|line| line.to_ascii_lowercase().replace(' ', "") == "transfer-encoding:chunked");
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Ok((status, body))
}

/// The payload of a `Transfer-Encoding: chunked` body.
fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.split(';').next().unwrap_or("").trim(), 16);
        match size {
            Ok(size) if size > 0 && rest.len() >= size => {
                out.push_str(&rest[..size]);
                body = rest[size..].trim_start_matches("\r\n");
            }
            _ => break,
        }
    }
    out
}

/// `text` as a JSON string literal.
fn quote(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The value of the first `"key": "value"` in a JSON text (no escapes inside).
pub(super) fn string_field(json: &str, key: &str) -> Option<String> {
    let rest = after_key(json, key)?.strip_prefix('"')?;
    rest.find('"').map(|end| rest[..end].to_owned())
}

/// The value of the first `"key": number` in a JSON text.
pub(super) fn number_field(json: &str, key: &str) -> Option<f64> {
    let rest = after_key(json, key)?;
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// What follows `"key":` (and any spaces) in a JSON text.
fn after_key<'a>(json: &'a str, key: &str) -> Option<&'a str> {
    let needle = format!("\"{key}\"");
    let at = json.find(&needle)? + needle.len();
    json[at..]
        .trim_start()
        .strip_prefix(':')
        .map(str::trim_start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_of_compact_and_spaced_json() {
        let line = r#"{"client": "webexpythonsdk", "requests": 511, "cpu_ms": 1.5e3, "x":"y"}"#;
        assert_eq!(
            string_field(line, "client").as_deref(),
            Some("webexpythonsdk")
        );
        assert_eq!(number_field(line, "requests"), Some(511.0));
        assert_eq!(number_field(line, "cpu_ms"), Some(1500.0));
        assert_eq!(string_field(line, "x").as_deref(), Some("y"));
        assert_eq!(number_field(line, "missing"), None);
    }

    #[test]
    fn dechunks_and_quotes() {
        assert_eq!(dechunk("4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n"), "{\"a\":1}");
        assert_eq!(quote("a\"b\\c\n"), r#""a\"b\\c\u000a""#);
    }
}
