use std::ops::Deref;

use crate::WebexBuilder;

/// A client built with the default plugin set. It dereferences to
/// [`webex_core::Webex`], so every plugin API and `webex.plugin::<P>()` work on it directly.
#[derive(Debug, Clone)]
pub struct Webex(webex_core::Webex);

impl Webex {
    /// A builder pre-loaded with every plugin enabled by this crate's features.
    pub fn builder() -> WebexBuilder {
        WebexBuilder::new()
    }

    /// The core handle, for APIs that take `&webex_core::Webex`.
    #[must_use]
    pub fn as_core(&self) -> &webex_core::Webex {
        &self.0
    }
}

impl Deref for Webex {
    type Target = webex_core::Webex;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl From<webex_core::Webex> for Webex {
    fn from(inner: webex_core::Webex) -> Self {
        Self(inner)
    }
}

impl From<Webex> for webex_core::Webex {
    fn from(outer: Webex) -> Self {
        outer.0
    }
}
