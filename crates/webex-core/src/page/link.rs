//! RFC 8288 `Link` header parsing, tolerant of what servers really send: several links in one
//! header, several headers, quoted parameters (with commas and semicolons inside quotes), and
//! several space-separated relation types. Garbage is skipped, never a panic.

use http::HeaderValue;

/// One link of a `Link` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The target, as written between `<` and `>` (may be relative).
    pub url: String,
    /// Parameters in order, names lower-cased, quotes removed.
    pub params: Vec<(String, String)>,
}

impl Link {
    /// Whether `rel` lists `relation` (case-insensitive).
    #[must_use]
    pub fn has_rel(&self, relation: &str) -> bool {
        self.params
            .iter()
            .filter(|(k, _)| k == "rel")
            .flat_map(|(_, v)| v.split_ascii_whitespace())
            .any(|r| r.eq_ignore_ascii_case(relation))
    }
}

/// Every link in every given `Link` header value.
pub fn parse_links<'a>(values: impl IntoIterator<Item = &'a HeaderValue>) -> Vec<Link> {
    values
        .into_iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(parse_one)
        .collect()
}

fn parse_one(text: &str) -> Vec<Link> {
    let mut links = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
        if rest.is_empty() {
            return links;
        }
        let Some(after_lt) = rest.strip_prefix('<') else {
            rest = skip_link(rest);
            continue;
        };
        let Some(end) = after_lt.find('>') else {
            return links;
        };
        let url = after_lt[..end].trim().to_owned();
        rest = &after_lt[end + 1..];
        let mut params = Vec::new();
        loop {
            rest = rest.trim_start();
            let Some(after_semi) = rest.strip_prefix(';') else {
                break;
            };
            let (param, remaining) = parse_param(after_semi);
            rest = remaining;
            if let Some(param) = param {
                params.push(param);
            }
        }
        links.push(Link { url, params });
    }
}

/// `name[=value]`, the value a token or a quoted string.
fn parse_param(text: &str) -> (Option<(String, String)>, &str) {
    let text = text.trim_start();
    let name_end = text.find(['=', ';', ',']).unwrap_or(text.len());
    let name = text[..name_end].trim().to_ascii_lowercase();
    let rest = &text[name_end..];
    let Some(value_part) = rest.strip_prefix('=') else {
        return ((!name.is_empty()).then(|| (name, String::new())), rest);
    };
    let value_part = value_part.trim_start();
    let (value, rest) = if let Some(quoted) = value_part.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = quoted.char_indices();
        let mut end = quoted.len();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, escaped)) = chars.next() {
                        value.push(escaped);
                    }
                }
                '"' => {
                    end = i + 1;
                    break;
                }
                c => value.push(c),
            }
        }
        (value, &quoted[end.min(quoted.len())..])
    } else {
        let end = value_part.find([';', ',']).unwrap_or(value_part.len());
        (value_part[..end].trim().to_owned(), &value_part[end..])
    };
    ((!name.is_empty()).then_some((name, value)), rest)
}

/// Skips a malformed link up to the next top-level comma.
fn skip_link(text: &str) -> &str {
    let mut in_quotes = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => return &text[i + 1..],
            _ => {}
        }
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(values: &[&str]) -> Vec<Link> {
        let values: Vec<HeaderValue> = values
            .iter()
            .map(|v| HeaderValue::from_str(v).unwrap())
            .collect();
        parse_links(&values)
    }

    fn next_of(values: &[&str]) -> Option<String> {
        links(values)
            .into_iter()
            .find(|l| l.has_rel("next"))
            .map(|l| l.url)
    }

    #[test]
    fn single_next_link() {
        assert_eq!(
            next_of(&[r#"<https://h/v1/messages?roomId=r&max=50&beforeMessage=m>; rel="next""#])
                .as_deref(),
            Some("https://h/v1/messages?roomId=r&max=50&beforeMessage=m")
        );
    }

    #[test]
    fn several_links_in_one_header() {
        let parsed = links(&[r#"<https://h/a?x=1,2>; rel="prev", <https://h/b>; rel="next""#]);
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].url, "https://h/a?x=1,2");
        assert_eq!(
            next_of(&[r#"<https://h/a>; rel="prev", <https://h/b>; rel="next""#]).as_deref(),
            Some("https://h/b")
        );
    }

    #[test]
    fn several_headers_and_unquoted_and_multi_rel() {
        assert_eq!(
            next_of(&["<https://h/first>; rel=first", "<https://h/n>; rel=next"]).as_deref(),
            Some("https://h/n")
        );
        assert_eq!(
            next_of(&[r#"<https://h/n>; rel="last NEXT""#]).as_deref(),
            Some("https://h/n")
        );
    }

    #[test]
    fn quoted_params_with_separators() {
        let parsed =
            links(&[r#"<https://h/n>; title="a; b, c"; rel="next", <https://h/p>; rel=prev"#]);
        assert_eq!(parsed.len(), 2);
        assert_eq!(
            parsed[0].params[0],
            ("title".to_owned(), "a; b, c".to_owned())
        );
        assert!(parsed[0].has_rel("next"));
        assert!(parsed[1].has_rel("prev"));
    }

    #[test]
    fn garbage_is_skipped() {
        assert!(links(&["", "   ", "garbage", "<unterminated"]).is_empty());
        assert_eq!(
            next_of(&[r#"junk, <https://h/n>; rel="next""#]).as_deref(),
            Some("https://h/n")
        );
        assert_eq!(
            next_of(&[r#"<https://h/n>; rel="next"#]).as_deref(),
            Some("https://h/n")
        );
        assert_eq!(next_of(&["<https://h/n>; rel"]), None);
        assert_eq!(next_of(&["<https://h/n>"]), None);
    }
}
