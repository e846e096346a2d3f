//! People's pictures. Webex hands out an `avatar` URL for bots and most
//! people, on a CDN that needs no token; clients show it, and some rely on
//! it being there (webex-bot's built-in `help` card puts the bot's avatar
//! in an `Image`). The emulator draws one for everyone, their initials on
//! a colour of their own, at `GET /avatars/{personUuid}`, unless fixtures
//! gave the person an avatar URL of their own.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use uuid::Uuid;

use crate::app::AppState;
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::world::people::Person;

/// Where the pictures are served, under the emulator's base URL.
const PATH: &str = "/avatars";

/// Background colours, picked by the person's uuid; white initials are
/// readable on each.
const COLOURS: &[&str] = &[
    "#0d6e6e", "#1d4f91", "#6b3fa0", "#a33b5c", "#b4561b", "#3f6d1e", "#5c5f66", "#7a4e2d",
];

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route(&format!("{PATH}/{{uuid}}"), get(picture))
}

/// The `avatar` Hydra shows for `person` of an emulator at `base`: the URL
/// fixtures gave, else the emulator's own picture.
pub(crate) fn url_of(person: &Person, base: &str) -> String {
    person
        .avatar
        .clone()
        .unwrap_or_else(|| format!("{base}{PATH}/{}", person.uuid))
}

/// `GET /avatars/{uuid}`: the person's picture, an SVG; no token needed,
/// as on Webex's avatar CDN. 404 for someone unknown.
async fn picture(State(state): State<AppState>, Path(uuid): Path<String>) -> Response {
    let person = Uuid::parse_str(&uuid)
        .ok()
        .and_then(|uuid| lock(&state.data).people.get(uuid).cloned());
    match person {
        Some(person) => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            svg(&person.display_name, person.uuid),
        )
            .into_response(),
        None => ApiError::not_found(format!("No avatar '{uuid}'.")).into_response(),
    }
}

/// A round picture with the initials of `name` on a colour chosen by
/// `uuid`.
fn svg(name: &str, uuid: Uuid) -> String {
    let colour = COLOURS[usize::from(uuid.as_bytes()[15]) % COLOURS.len()];
    let initials = escape(&initials(name));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"160\" height=\"160\" \
         viewBox=\"0 0 160 160\"><circle cx=\"80\" cy=\"80\" r=\"80\" fill=\"{colour}\"/>\
         <text x=\"80\" y=\"80\" dy=\".35em\" text-anchor=\"middle\" fill=\"#fff\" \
         font-family=\"sans-serif\" font-size=\"64\">{initials}</text></svg>"
    )
}

/// The first letter of the first and of the last word, upper-cased: `AL`
/// for `Ada Lovelace`, `E` for `Echo`.
fn initials(name: &str) -> String {
    let mut words = name.split_whitespace();
    let first = words.next().and_then(|word| word.chars().next());
    let last = words.last().and_then(|word| word.chars().next());
    first
        .into_iter()
        .chain(last)
        .flat_map(char::to_uppercase)
        .collect()
}

/// `text` safe inside an XML element.
fn escape(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_are_the_first_and_last_words_letters() {
        assert_eq!(initials("Ada Lovelace"), "AL");
        assert_eq!(initials("  Alice van  Example "), "AE");
        assert_eq!(initials("echo"), "E");
        assert_eq!(initials("émile zola"), "ÉZ");
        assert_eq!(initials(""), "");
    }

    #[test]
    fn the_picture_is_an_svg_with_escaped_initials() {
        let picture = svg("<b> &co", Uuid::nil());
        assert!(picture.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(picture.contains(">&lt;&amp;</text>"), "{picture}");
        assert!(picture.contains(COLOURS[0]));
    }
}
