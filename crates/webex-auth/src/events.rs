/// What a provider reports besides its tokens (see
/// [`OAuthProvider::events`](crate::OAuthProvider::events)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthEvent {
    /// A refresh produced a new access token (it is in the store and the client's cache).
    Refreshed,
    /// The refresh token no longer works: the user must sign in again. Sent once; the
    /// provider makes no further refresh calls.
    ReauthorizationRequired,
}
