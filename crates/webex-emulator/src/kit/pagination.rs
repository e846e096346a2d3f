//! List responses: `{"items": [...]}` and one `Link: <next>; rel="next"`
//! header.
//!
//! The next URL is absolute and under the service's catalog base, so clients
//! send their token with it (the JS SDK only authorizes catalog URLs, and
//! webexpythonsdk rejects relative ones). It repeats the original filters
//! and `max`, plus a cursor; the JS SDK follows it verbatim, webexpythonsdk
//! re-adds its own parameters, which [`crate::kit::query::Params`] tolerates.
//!
//! Cursors are keyset cursors: every list is sorted by a unique string key
//! and the cursor is the key of the last item sent, so a page never repeats
//! or skips an item when others are created or deleted between pages.

use axum::Json;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use url::form_urlencoded;

use crate::kit::query::Params;

/// The query parameter carrying a keyset cursor.
pub(crate) const CURSOR: &str = "cursor";

/// Takes one page out of `items` (sorted by ascending unique key): the
/// first `max` items whose key is greater than `cursor`. Returns them and,
/// when more follow, the cursor of the next page.
pub(crate) fn keyset<T>(
    items: Vec<(String, T)>,
    cursor: Option<&str>,
    max: usize,
) -> (Vec<T>, Option<String>) {
    let mut rest = items
        .into_iter()
        .filter(|(key, _)| cursor.is_none_or(|cursor| key.as_str() > cursor));
    let page: Vec<(String, T)> = rest.by_ref().take(max).collect();
    let more = rest.next().is_some();
    let next = if more {
        page.last().map(|(key, _)| key.clone())
    } else {
        None
    };
    (page.into_iter().map(|(_, item)| item).collect(), next)
}

/// A sort key for "newest first" by sequence number: keys sort ascending,
/// so the newest (largest) sequence gets the smallest key.
pub(crate) fn newest_first_key(seq: u64) -> String {
    format!("{:020}", u64::MAX - seq)
}

/// A sort key for "oldest first" by sequence number.
pub(crate) fn oldest_first_key(seq: u64) -> String {
    format!("{seq:020}")
}

/// How to build the next link of a list.
pub(crate) struct NextLink<'a> {
    /// The path under the service's base URL, e.g. `rooms` or
    /// `team/memberships`.
    pub(crate) path: &'a str,
    /// The request's parameters.
    pub(crate) params: &'a Params,
    /// The filters to repeat, in order.
    pub(crate) filters: &'a [&'a str],
    /// The page size in effect.
    pub(crate) max: usize,
    /// The cursor parameter's name and value.
    pub(crate) cursor: (&'a str, String),
}

impl NextLink<'_> {
    /// `Link` header value: `<absolute url>; rel="next"`.
    fn header(&self, base: &str) -> Option<HeaderValue> {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for name in self.filters {
            if let Some(value) = self.params.get(name) {
                query.append_pair(name, value);
            }
        }
        query.append_pair("max", &self.max.to_string());
        query.append_pair(self.cursor.0, &self.cursor.1);
        let url = format!("{base}/{}?{}", self.path, query.finish());
        HeaderValue::from_str(&format!("<{url}>; rel=\"next\"")).ok()
    }
}

/// A list response: `{"items": items, ...extra}`, with a `Link` header when
/// `next` is set.
pub(crate) fn respond(
    base: &str,
    items: Vec<Value>,
    extra: Map<String, Value>,
    next: Option<NextLink<'_>>,
) -> Response {
    let mut body = Map::new();
    body.insert("items".to_owned(), Value::Array(items));
    body.extend(extra);
    let mut response = Json(Value::Object(body)).into_response();
    if let Some(link) = next.and_then(|next| next.header(base)) {
        response.headers_mut().insert(header::LINK, link);
    }
    response
}

/// What a list request asked for: where its next link points and what it
/// repeats.
pub(crate) struct List<'a> {
    /// The path under the service's base URL, e.g. `rooms` or
    /// `team/memberships`.
    pub(crate) path: &'a str,
    /// The request's parameters, cursor included.
    pub(crate) params: &'a Params,
    /// The filters to repeat in the next link, in order.
    pub(crate) filters: &'a [&'a str],
    /// The page size in effect.
    pub(crate) max: usize,
}

/// A keyset-paged list response: sorts `items` by key, takes the page after
/// the request's cursor, renders only that page with `to_json` and responds
/// with `extra` and a next link when more follow.
pub(crate) fn list<T>(
    base: &str,
    list: List<'_>,
    mut items: Vec<(String, T)>,
    to_json: impl FnMut(T) -> Value,
    extra: Map<String, Value>,
) -> Response {
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let (page, next) = keyset(items, list.params.get(CURSOR), list.max);
    let page = page.into_iter().map(to_json).collect();
    let next = next.map(|cursor| NextLink {
        path: list.path,
        params: list.params,
        filters: list.filters,
        max: list.max,
        cursor: (CURSOR, cursor),
    });
    respond(base, page, extra, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyset_pages_without_gaps() {
        let items: Vec<(String, u32)> = (0..5).map(|i| (format!("{i:02}"), i)).collect();
        let (page, next) = keyset(items.clone(), None, 2);
        assert_eq!(page, vec![0, 1]);
        assert_eq!(next.as_deref(), Some("01"));
        let (page, next) = keyset(items.clone(), next.as_deref(), 2);
        assert_eq!(page, vec![2, 3]);
        let (page, next) = keyset(items.clone(), next.as_deref(), 2);
        assert_eq!(page, vec![4]);
        assert_eq!(next, None);
        // Exactly `max` left: no next link.
        let (page, next) = keyset(items, Some("02"), 2);
        assert_eq!(page, vec![3, 4]);
        assert_eq!(next, None);
    }

    #[test]
    fn sort_keys_order() {
        assert!(newest_first_key(10) < newest_first_key(9));
        assert!(oldest_first_key(9) < oldest_first_key(10));
    }
}
