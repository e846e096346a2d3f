//! What a Webex cloud service declares about itself, once: its catalog
//! name and the path its routes live under. The catalog's service links
//! are generated from these.

/// Whether and how a service appears in the catalog's `serviceLinks`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Listing {
    /// Not in the catalog (clients find it another way, e.g. Mercury
    /// through WDM's `webSocketUrl`).
    Unlisted,
    /// `{base url}{base path}`.
    Base,
    /// `{base url}{base path}/`, as Hydra's link is written.
    BaseWithSlash,
}

/// One Webex cloud service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ServiceSpec {
    /// The service's name, its `serviceLinks` key (e.g. `hydra`, `wdm`).
    pub(crate) name: &'static str,
    /// The path every route of the service starts with, without a
    /// trailing slash (e.g. `/wdm/api/v1`; empty for the root).
    pub(crate) base_path: &'static str,
    /// How the catalog lists it.
    pub(crate) listing: Listing,
}

impl ServiceSpec {
    /// A route of the service: `rest` (starting with `/`) under its base
    /// path.
    pub(crate) fn path(&self, rest: &str) -> String {
        format!("{}{rest}", self.base_path)
    }

    /// The service's base URL at `base_url`, e.g.
    /// `http://127.0.0.1:8642/wdm/api/v1`.
    pub(crate) fn url(&self, base_url: &str) -> String {
        format!("{base_url}{}", self.base_path)
    }

    /// The catalog's link for it, if it is listed.
    pub(crate) fn link(&self, base_url: &str) -> Option<String> {
        match self.listing {
            Listing::Unlisted => None,
            Listing::Base => Some(self.url(base_url)),
            Listing::BaseWithSlash => Some(format!("{}/", self.url(base_url))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_follow_the_listing() {
        let spec = |base_path, listing| ServiceSpec {
            name: "x",
            base_path,
            listing,
        };
        let base = "http://h:1";
        assert_eq!(
            spec("/v1", Listing::BaseWithSlash).link(base).as_deref(),
            Some("http://h:1/v1/")
        );
        assert_eq!(
            spec("", Listing::BaseWithSlash).link(base).as_deref(),
            Some("http://h:1/")
        );
        assert_eq!(
            spec("/wdm/api/v1", Listing::Base).link(base).as_deref(),
            Some("http://h:1/wdm/api/v1")
        );
        assert_eq!(spec("/m", Listing::Unlisted).link(base), None);
        assert_eq!(spec("/m", Listing::Unlisted).path("/a/{id}"), "/m/a/{id}");
    }
}
