//! The HTML of the login and consent page and of the error page: plain
//! forms, no script, so any browser (or a WebDriver test) can use them.

use std::fmt::Write as _;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::world::oauth::authorize::{AuthorizeRequest, ResponseType};

/// Who a browser's sign-in session is for, shown instead of the login
/// form, with a way out.
pub(super) struct SignedIn {
    /// Their email address.
    pub(super) email: String,
    /// Their name.
    pub(super) display_name: String,
    /// The browser logout that comes back to this page ("Not you?").
    pub(super) sign_out: String,
}

/// The login and consent page for `request`, listing `people` (email,
/// name) to pick from, with `problem` shown above the form; for a browser
/// `signed_in` already, the consent alone.
pub(super) fn consent(
    action: &str,
    request: &AuthorizeRequest,
    people: &[(String, String)],
    problem: Option<&str>,
    signed_in: Option<&SignedIn>,
) -> Response {
    let mut html = String::new();
    head(&mut html, "Sign in to Webex");
    html.push_str("<h1>Sign in to Webex</h1>\n");
    if let Some(problem) = problem {
        let _ = writeln!(
            html,
            "<p class=\"error\" id=\"error\">{}</p>",
            escape(problem)
        );
    }
    let _ = writeln!(
        html,
        "<p>The integration <code id=\"client\">{}</code> asks for:</p>\n<ul id=\"scopes\">",
        escape(&request.client_id)
    );
    for scope in &request.scopes {
        let _ = writeln!(html, "<li>{}</li>", escape(scope));
    }
    html.push_str("</ul>\n");
    let _ = writeln!(
        html,
        "<form id=\"consent\" method=\"post\" action=\"{}\">",
        escape(action)
    );
    let scope = request
        .scopes
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    let response_type = match request.response_type {
        ResponseType::Code => "code",
        ResponseType::Token => "token",
    };
    hidden(&mut html, "response_type", response_type);
    hidden(&mut html, "client_id", &request.client_id);
    hidden(&mut html, "redirect_uri", &request.redirect_uri);
    hidden(&mut html, "scope", &scope);
    if let Some(state) = &request.state {
        hidden(&mut html, "state", state);
    }
    if let Some(challenge) = &request.challenge {
        hidden(&mut html, "code_challenge", challenge);
        hidden(&mut html, "code_challenge_method", "S256");
    }
    if let Some(signed_in) = signed_in {
        let _ = writeln!(
            html,
            "<p id=\"signed-in\">Signed in as {} ({}). <a id=\"sign-out\" href=\"{}\">Not you?</a></p>",
            escape(&signed_in.display_name),
            escape(&signed_in.email),
            escape(&signed_in.sign_out)
        );
    } else {
        login_fields(&mut html, people);
    }
    html.push_str(
        "<button type=\"submit\" id=\"accept\" name=\"consent\" value=\"accept\">Accept</button>\n\
         <button type=\"submit\" id=\"decline\" name=\"consent\" value=\"decline\" formnovalidate>Decline</button>\n\
         </form>\n</body>\n</html>\n",
    );
    let status = if problem.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    (status, Html(html)).into_response()
}

/// The page for a request that cannot be sent back to the client (unknown
/// client or redirect URI): 400.
pub(super) fn error(message: &str) -> Response {
    let mut html = String::new();
    head(&mut html, "Sign-in error");
    let _ = write!(
        html,
        "<h1>Sign-in error</h1>\n<p class=\"error\" id=\"error\">{}</p>\n</body>\n</html>\n",
        escape(message)
    );
    (StatusCode::BAD_REQUEST, Html(html)).into_response()
}

/// The email field, with the people who can sign in as suggestions.
fn login_fields(html: &mut String, people: &[(String, String)]) {
    html.push_str(
        "<label for=\"email\">Email address</label>\n\
         <input type=\"email\" id=\"email\" name=\"email\" list=\"people\" required autofocus>\n\
         <datalist id=\"people\">\n",
    );
    for (email, name) in people {
        let _ = writeln!(
            html,
            "<option value=\"{}\">{}</option>",
            escape(email),
            escape(name)
        );
    }
    html.push_str("</datalist>\n");
}

/// The page a browser logout without `goto` ends on.
pub(super) fn signed_out() -> Response {
    let mut html = String::new();
    head(&mut html, "Signed out");
    html.push_str(
        "<h1>Signed out</h1>\n<p id=\"signed-out\">You are signed out.</p>\n</body>\n</html>\n",
    );
    (StatusCode::OK, Html(html)).into_response()
}

fn head(html: &mut String, title: &str) {
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n</head>\n<body>\n"
    );
}

fn hidden(html: &mut String, name: &str, value: &str) {
    let _ = writeln!(
        html,
        "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
        escape(value)
    );
}

/// Escapes text for HTML content and double-quoted attributes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
    }
}
