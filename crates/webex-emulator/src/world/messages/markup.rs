//! Mentions in markdown, and the `text` and `html` derived from markdown.
//!
//! Webex mention syntax: `<@personId:ID|name>`, `<@personEmail:EMAIL|name>`
//! (the `|name` part optional) and `<@all>`. The emulator does no real
//! markdown rendering: `html` is the escaped markdown with `**bold**` and
//! mentions converted, in one paragraph; `text` drops the markers.

use uuid::Uuid;

/// A mention as written.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Mention<'a> {
    /// `<@personId:ID>`.
    PersonId(&'a str),
    /// `<@personEmail:EMAIL>`.
    PersonEmail(&'a str),
    /// `<@all>`.
    All,
}

/// The result of reading a markdown message.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Rendered {
    pub(crate) text: String,
    pub(crate) html: String,
    pub(crate) people: Vec<Uuid>,
    pub(crate) groups: Vec<String>,
}

/// A piece of markdown.
enum Piece<'a> {
    Plain(&'a str),
    Mention(Mention<'a>, Option<&'a str>, &'a str),
}

/// Splits markdown into plain text and mentions.
fn pieces(markdown: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = markdown;
    while let Some(start) = rest.find("<@") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('>') else { break };
        let inner = &after[..end];
        let (target, name) = match inner.split_once('|') {
            Some((target, name)) => (target, Some(name)),
            None => (inner, None),
        };
        let mention = if let Some(id) = target.strip_prefix("personId:") {
            Some(Mention::PersonId(id.trim()))
        } else if let Some(email) = target.strip_prefix("personEmail:") {
            Some(Mention::PersonEmail(email.trim()))
        } else if target == "all" {
            Some(Mention::All)
        } else {
            None
        };
        let raw = &rest[start..start + 2 + end + 1];
        if start > 0 {
            out.push(Piece::Plain(&rest[..start]));
        }
        match mention {
            Some(mention) => out.push(Piece::Mention(mention, name, raw)),
            None => out.push(Piece::Plain(raw)),
        }
        rest = &rest[start + 2 + end + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Plain(rest));
    }
    out
}

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Converts `**x**` to `<strong>x</strong>` in escaped text.
fn bold(escaped: &str) -> String {
    let mut out = String::new();
    let mut open = false;
    let mut parts = escaped.split("**").peekable();
    while let Some(part) = parts.next() {
        out.push_str(part);
        if parts.peek().is_some() {
            out.push_str(if open { "</strong>" } else { "<strong>" });
            open = !open;
        }
    }
    if open {
        out.push_str("</strong>");
    }
    out
}

/// Reads markdown. `resolve` maps a person mention to the person's uuid,
/// Hydra id and display name; unknown people stay plain text.
pub(crate) fn render(
    markdown: &str,
    resolve: impl Fn(&Mention<'_>) -> Option<(Uuid, String, String)>,
) -> Rendered {
    let mut rendered = Rendered::default();
    let mut html = String::new();
    for piece in pieces(markdown) {
        match piece {
            Piece::Plain(plain) => {
                rendered
                    .text
                    .push_str(&plain.replace("**", "").replace("__", ""));
                html.push_str(&bold(&escape(plain)));
            }
            Piece::Mention(Mention::All, name, _) => {
                let name = name.unwrap_or("All");
                rendered.text.push_str(name);
                html.push_str(&format!(
                    "<spark-mention data-object-type=\"groupMention\" data-group-type=\"all\">{}</spark-mention>",
                    escape(name)
                ));
                if !rendered.groups.iter().any(|g| g == "all") {
                    rendered.groups.push("all".to_owned());
                }
            }
            Piece::Mention(mention, name, raw) => match resolve(&mention) {
                Some((uuid, hydra_id, display_name)) => {
                    let name = name.map_or(display_name, str::to_owned);
                    rendered.text.push_str(&name);
                    html.push_str(&format!(
                        "<spark-mention data-object-type=\"person\" data-object-id=\"{hydra_id}\">{}</spark-mention>",
                        escape(&name)
                    ));
                    if !rendered.people.contains(&uuid) {
                        rendered.people.push(uuid);
                    }
                }
                None => {
                    rendered.text.push_str(raw);
                    html.push_str(&escape(raw));
                }
            },
        }
    }
    rendered.html = format!("<p>{html}</p>");
    rendered
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(mention: &Mention<'_>) -> Option<(Uuid, String, String)> {
        match mention {
            Mention::PersonId("BOB") | Mention::PersonEmail("bob@x") => {
                Some((Uuid::nil(), "BOBID".into(), "Bob B".into()))
            }
            _ => None,
        }
    }

    #[test]
    fn mentions_text_and_html() {
        let r = render(
            "Hi <@personId:BOB|Bobby>, **look** <@all> & <@personId:NOPE>",
            resolve,
        );
        assert_eq!(r.text, "Hi Bobby, look All & <@personId:NOPE>");
        assert_eq!(r.people, vec![Uuid::nil()]);
        assert_eq!(r.groups, vec!["all".to_owned()]);
        assert!(r.html.starts_with("<p>Hi <spark-mention data-object-type=\"person\" data-object-id=\"BOBID\">Bobby</spark-mention>"));
        assert!(r.html.contains("<strong>look</strong>"));
        assert!(r.html.contains("&amp; &lt;@personId:NOPE&gt;"));
    }

    #[test]
    fn email_mentions_without_names_use_the_display_name() {
        let r = render("<@personEmail:bob@x> and <@personEmail:bob@x|B>", resolve);
        assert_eq!(r.text, "Bob B and B");
        assert_eq!(r.people.len(), 1);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for input in [
            "<@",
            "<@>",
            "<@personId:",
            "**",
            "<@personId:é|ü>",
            "a<@x>b",
        ] {
            let _ = render(input, resolve);
        }
        assert_eq!(render("a<@x>b", resolve).text, "a<@x>b");
    }
}
