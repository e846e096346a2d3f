//! Admitting members from the lobby (`PUT {main locusUrl}/controls {admit}` [Δ]), with the
//! breakout rule of the JS SDK's docs: the URL is always the main session's locus; a host in
//! a breakout session names its session's locus as `authorizingLocusUrl`.

use http::Method;
use serde_json::{Map, json};

use super::Meeting;
use super::locus_http::parse_url;
use crate::error::{MeetingError, Result};

/// The session URLs of an admit from a breakout session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AdmitOptions {
    /// The main session's locus URL (the request goes there).
    pub main_locus_url: Option<String>,
    /// The breakout session's locus URL the host is in.
    pub authorizing_locus_url: Option<String>,
}

impl AdmitOptions {
    /// A host in a breakout session admitting into the main session.
    #[must_use]
    pub fn from_breakout(
        main_locus_url: impl Into<String>,
        breakout_locus_url: impl Into<String>,
    ) -> Self {
        Self {
            main_locus_url: Some(main_locus_url.into()),
            authorizing_locus_url: Some(breakout_locus_url.into()),
        }
    }
}

/// The URL and body of an admit: without session URLs, the meeting's locus (we are in the
/// main session) and no `authorizingLocusUrl`.
pub(crate) fn admit_request(
    locus_url: &str,
    member_ids: &[&str],
    options: &AdmitOptions,
) -> (String, Map<String, serde_json::Value>) {
    let main = options.main_locus_url.as_deref().unwrap_or(locus_url);
    let mut body = Map::new();
    body.insert("admit".into(), json!({"participantIds": member_ids}));
    if let Some(authorizing) = &options.authorizing_locus_url {
        body.insert("authorizingLocusUrl".into(), json!(authorizing));
    }
    (format!("{main}/controls"), body)
}

impl Meeting {
    /// Admits these members from the lobby.
    ///
    /// # Errors
    /// [`MeetingError::InvalidState`] for an empty list (nothing is sent); HTTP errors (403
    /// for someone who may not admit).
    pub async fn admit(&self, member_ids: &[&str], options: AdmitOptions) -> Result<()> {
        if member_ids.is_empty() {
            return Err(MeetingError::state("admit", "no member ids given"));
        }
        let view = self.require_view("admit")?;
        let (url, body) = admit_request(&view.locus_url, member_ids, &options);
        self.locus_delta(Method::PUT, parse_url(&url)?, body)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_session_locus_is_the_target_and_the_breakout_authorizes() {
        let (url, body) = admit_request("https://l/loci/main", &["p1"], &AdmitOptions::default());
        assert_eq!(url, "https://l/loci/main/controls");
        assert_eq!(
            serde_json::Value::Object(body),
            json!({"admit": {"participantIds": ["p1"]}})
        );
        let options = AdmitOptions::from_breakout("https://l/loci/main", "https://l/loci/bo");
        let (url, body) = admit_request("https://l/loci/bo", &["p1", "p2"], &options);
        assert_eq!(url, "https://l/loci/main/controls");
        assert_eq!(body["authorizingLocusUrl"], "https://l/loci/bo");
    }
}
