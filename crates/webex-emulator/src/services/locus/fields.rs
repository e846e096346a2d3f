//! Reading Locus request bodies: objects with optional fields, where a
//! field of the wrong type is a 400 naming it rather than a silent default.

use serde_json::{Map, Value};

use crate::kit::error::ApiError;
use crate::world::meetings::errors::bad_request;

/// The body as a JSON object; an empty body is an empty object.
pub(crate) fn object(raw: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice(raw) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(bad_request("The request body must be a JSON object.")),
        Err(error) => Err(bad_request(&format!("Invalid request body: {error}."))),
    }
}

/// The value at `path`, if every step exists.
pub(crate) fn at<'a>(body: &'a Map<String, Value>, path: &[&str]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let mut value = body.get(*first)?;
    for key in rest {
        value = value.get(key)?;
    }
    Some(value).filter(|value| !value.is_null())
}

/// A boolean at `path`, if present.
pub(crate) fn boolean(body: &Map<String, Value>, path: &[&str]) -> Result<Option<bool>, ApiError> {
    match at(body, path) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(bad_request(&format!(
            "{} must be a boolean.",
            path.join(".")
        ))),
    }
}

/// A string at `path`, if present.
pub(crate) fn string<'a>(
    body: &'a Map<String, Value>,
    path: &[&str],
) -> Result<Option<&'a str>, ApiError> {
    match at(body, path) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(bad_request(&format!(
            "{} must be a string.",
            path.join(".")
        ))),
    }
}

/// The highest sequence number of the body's `sequence`, the client's
/// current one, if it is readable.
pub(crate) fn since(body: &Map<String, Value>) -> Option<u64> {
    let sequence = body.get("sequence")?;
    let entries = sequence.get("entries").and_then(Value::as_array);
    let top = entries.and_then(|entries| entries.iter().filter_map(Value::as_u64).max());
    let range_end = sequence
        .get("rangeEnd")
        .and_then(Value::as_u64)
        .filter(|n| *n > 0);
    top.into_iter().chain(range_end).max()
}

/// The last path segment of a URL (a participant id in a participant URL).
pub(crate) fn last_segment(url: &str) -> Option<&str> {
    url.trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!(),
        }
    }

    #[test]
    fn reads_fields_and_rejects_wrong_types() {
        let body = map(json!({"lock": {"locked": true}, "x": {"y": 3}, "s": "t"}));
        assert_eq!(boolean(&body, &["lock", "locked"]).unwrap(), Some(true));
        assert_eq!(boolean(&body, &["nope"]).unwrap(), None);
        assert!(boolean(&body, &["x", "y"]).is_err());
        assert!(string(&body, &["x"]).is_err());
        assert_eq!(string(&body, &["s"]).unwrap(), Some("t"));
        assert!(object(b"[1]").is_err());
        assert!(object(b"{").is_err());
        assert!(object(b"  ").unwrap().is_empty());
    }

    #[test]
    fn since_takes_the_top_entry_and_ignores_garbage() {
        let body =
            map(json!({"sequence": {"entries": [5, 9, "x"], "rangeStart": 0, "rangeEnd": 0}}));
        assert_eq!(since(&body), Some(9));
        let body = map(json!({"sequence": {"entries": [-1], "rangeEnd": 1e300}}));
        assert_eq!(since(&body), None);
        assert_eq!(since(&map(json!({}))), None);
        assert_eq!(last_segment("http://h/loci/a/participant/b/"), Some("b"));
    }
}
