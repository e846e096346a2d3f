//! Credentials: the secret [`AccessToken`], the [`ProvideToken`] trait that plugins such as
//! `webex-auth` implement, and the single-flight [`TokenCache`] the auth layer uses.

mod cache;
mod org_id;
mod provider;
mod token;

pub use cache::TokenCache;
pub use org_id::org_id_from_token;
pub use provider::{ProvideToken, StaticToken};
pub use token::AccessToken;
