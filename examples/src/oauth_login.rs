//! The `oauth-login` example's logic: an integration's sign-in through the OAuth code grant
//! (PKCE, a loopback redirect listener), then `people/me` with the token, kept in a file
//! store so the next run needs no sign-in. The example binary and its test both run this.

use std::future::Future;

use url::Url;
use webex::auth::{AuthError, FileTokenStore, OAuthClient, OAuthProvider, RedirectListener};
use webex::messages::{MessagesExt, MessagesPlugin};
use webex::prelude::*;

/// A boxed error, for the example's plumbing.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Where the identity broker's redirect comes back to.
#[derive(Debug)]
pub enum Redirect {
    /// A listener bound already (its URI is the one the integration registered).
    Bound(RedirectListener),
    /// A loopback URI (`http://127.0.0.1:<port>/<path>`) to listen on when a sign-in is needed.
    At(Url),
}

impl Redirect {
    /// The redirect URI to register and to send in the code exchange.
    #[must_use]
    pub fn uri(&self) -> String {
        match self {
            Redirect::Bound(listener) => listener.redirect_uri().to_string(),
            Redirect::At(url) => url.to_string(),
        }
    }

    /// A listener for this redirect.
    async fn listen(self) -> Result<RedirectListener, BoxError> {
        match self {
            Redirect::Bound(listener) => Ok(listener),
            Redirect::At(url) => {
                let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost"));
                let port = url.port().filter(|_| url.scheme() == "http" && loopback);
                let Some(port) = port else {
                    return Err(format!(
                        "the redirect URI {url} is not http://127.0.0.1:<port>/<path>: this \
                         example receives the broker's redirect on a loopback port"
                    )
                    .into());
                };
                Ok(RedirectListener::bind(port, url.path()).await?)
            }
        }
    }
}

/// What one run needs: the integration, where the redirect comes back, the scopes, the
/// token file, and how to make the client.
pub struct Login<B> {
    /// The integration at its identity broker.
    pub client: OAuthClient,
    /// Where the broker redirects after the sign-in.
    pub redirect: Redirect,
    /// The scopes to ask for.
    pub scopes: Vec<String>,
    /// Where the tokens are kept between runs.
    pub store: FileTokenStore,
    /// A client builder with everything but the token (discovery, configuration).
    pub builder: B,
}

/// What a run ended with.
#[derive(Debug)]
pub struct SignedIn {
    /// `people/me`'s display name.
    pub display_name: String,
    /// `people/me`'s first email address.
    pub email: String,
    /// Whether this run signed in through the browser (else the stored token served).
    pub new_sign_in: bool,
}

impl<B: Fn() -> Result<WebexBuilder>> Login<B> {
    /// Uses the stored token, or signs in when there is none (or the stored grant is dead):
    /// `open` gets the authorize URL to show the user, then the redirect is awaited, the
    /// code exchanged and the tokens saved. Then `people/me`.
    ///
    /// # Errors
    /// The sign-in's, the store's or the client's error.
    pub async fn run<F, Fut>(self, open: F) -> Result<SignedIn, BoxError>
    where
        F: FnOnce(Url) -> Fut,
        Fut: Future<Output = ()>,
    {
        if let Some(parent) = self.store.path().parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        let Login {
            client,
            redirect,
            scopes,
            store,
            builder,
        } = self;
        let provider = OAuthProvider::with_store(client.clone(), store);
        if provider.tokens().await?.is_some() {
            match me(&builder, &provider).await {
                Ok(me) => return Ok(me),
                // The stored grant ended (revoked, expired, or from another broker).
                Err(error) if AuthError::is_reauthorization_required(&error) => {
                    tracing::warn!(
                        "the stored sign-in is no longer valid ({error}); signing in again"
                    );
                }
                Err(error) => return Err(error.into()),
            }
        }
        let listener = redirect.listen().await?;
        sign_in(&client, &provider, listener, &scopes, open).await?;
        let me = me(&builder, &provider).await?;
        Ok(SignedIn {
            new_sign_in: true,
            ..me
        })
    }
}

/// `people/me` with the provider's token, on a new client made by `builder`.
async fn me(
    builder: &impl Fn() -> Result<WebexBuilder>,
    provider: &OAuthProvider,
) -> Result<SignedIn> {
    let webex = builder()?
        .plugin(MessagesPlugin::default())
        .token_provider(provider.clone())
        .build()
        .await?;
    let me = webex.people().me().await;
    webex.shutdown().await?;
    let me = me?;
    Ok(SignedIn {
        email: me.emails.first().cloned().unwrap_or_default(),
        display_name: me.display_name,
        new_sign_in: false,
    })
}

/// The code grant: `open` the authorize URL, wait for the redirect with this sign-in's
/// `state`, exchange the code (with the PKCE verifier) and keep the tokens.
async fn sign_in<F, Fut>(
    client: &OAuthClient,
    provider: &OAuthProvider,
    listener: RedirectListener,
    scopes: &[String],
    open: F,
) -> Result<(), BoxError>
where
    F: FnOnce(Url) -> Fut,
    Fut: Future<Output = ()>,
{
    let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
    let request = client.authorize(&scopes);
    open(request.url().clone()).await;
    let redirect = listener.wait(&request).await?;
    let tokens = request.finish(client, &redirect).await?;
    provider.set_tokens(tokens).await?;
    Ok(())
}
