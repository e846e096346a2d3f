//! The sign-in session cookie of idbroker's pages (the authorize page and
//! the browser logout): reading it, setting it after a sign-in, clearing
//! it at logout. The sessions themselves are in `world::oauth::session`.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

use crate::world::oauth::session::SESSION_LIFETIME;

/// The cookie's name (the emulator's choice).
const COOKIE: &str = "idb_session";

/// Where the browser sends it: idbroker's OAuth pages.
const COOKIE_PATH: &str = "/idb/oauth2/v1";

/// The session id the browser sent, if any.
pub(super) fn id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())
}

/// Adds the cookie naming session `id` to `response`.
pub(super) fn set(response: &mut Response, id: &str) {
    let cookie = format!(
        "{COOKIE}={id}; Path={COOKIE_PATH}; Max-Age={}; HttpOnly; SameSite=Lax",
        SESSION_LIFETIME.as_secs()
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// Tells the browser to forget the cookie.
pub(super) fn clear(response: &mut Response) {
    let cookie = format!("{COOKIE}=; Path={COOKIE_PATH}; Max-Age=0; HttpOnly; SameSite=Lax");
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_session_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; idb_session=abc"),
        );
        assert_eq!(id(&headers).as_deref(), Some("abc"));
        headers.clear();
        headers.append(header::COOKIE, HeaderValue::from_static("idb_session="));
        assert_eq!(id(&headers), None);
    }
}
