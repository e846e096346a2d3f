//! Redaction of secrets before anything is logged.

use url::Url;

/// Query parameters whose values are secrets.
const SECRET_PARAMS: &[&str] = &[
    "access_token",
    "refresh_token",
    "token",
    "client_secret",
    "code",
    "password",
];

/// `url` with the values of secret query parameters replaced by `<redacted>`.
#[must_use]
pub fn url(url: &Url) -> String {
    if !url
        .query_pairs()
        .any(|(k, _)| SECRET_PARAMS.contains(&k.as_ref()))
    {
        return url.to_string();
    }
    let mut clean = url.clone();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = if SECRET_PARAMS.contains(&k.as_ref()) {
                "<redacted>".to_owned()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    clean.query_pairs_mut().clear().extend_pairs(pairs);
    clean.to_string()
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
}
