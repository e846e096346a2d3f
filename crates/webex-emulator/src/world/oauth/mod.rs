//! OAuth as Webex's identity broker keeps it: registered clients
//! (integrations), authorization codes, grants with their refresh tokens,
//! guest issuers. The flows are [`Data`] operations, so a grant, its access
//! tokens (in [`crate::world::tokens`]) and the people they act for change
//! together under the one data lock. No wire shapes here: the idbroker
//! service renders what these return.

pub(crate) mod authorize;
pub(crate) mod client;
pub(crate) mod code;
pub(crate) mod error;
pub(crate) mod grant;
pub(crate) mod guest;
pub(crate) mod log;
pub(crate) mod session;
mod token_endpoint;

use self::client::ClientStore;
use self::code::CodeStore;
use self::grant::GrantStore;
use self::guest::GuestStore;
use self::log::TokenRequestLog;
use self::session::SessionStore;

pub(crate) use self::token_endpoint::TokenSet;

/// Everything OAuth keeps.
#[derive(Default)]
pub(crate) struct OAuthStore {
    /// Registered clients.
    pub(crate) clients: ClientStore,
    /// Authorization codes.
    pub(crate) codes: CodeStore,
    /// Grants and refresh tokens.
    pub(crate) grants: GrantStore,
    /// Guest issuers and their guests.
    pub(crate) guests: GuestStore,
    /// The token endpoint's recent requests.
    pub(crate) requests: TokenRequestLog,
    /// Browsers signed in on the authorize page.
    pub(crate) sessions: SessionStore,
}
