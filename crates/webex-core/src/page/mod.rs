//! `Page<T>`: one page of a Webex list, its `Link: <...>; rel="next"`, and a lazy item stream.

mod link;

use std::collections::{HashSet, VecDeque};

use futures::Stream;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use url::Url;

pub use link::{Link, parse_links};

use crate::http::{HttpClient, Request, Response, Target};
use crate::{Error, ErrorKind, Result};

/// One page of items. The page size (`max`) is not a total cap: follow [`next`](Self::next)
/// or use [`into_stream`](Self::into_stream) for everything.
#[derive(Debug, Clone)]
pub struct Page<T> {
    items: Vec<T>,
    /// The URL this page came from.
    url: Option<Url>,
    next: Option<Url>,
    max_pages: Option<usize>,
    http: HttpClient,
}

#[derive(Deserialize)]
struct Items<T> {
    items: Vec<T>,
}

impl<T: DeserializeOwned + Send + 'static> Page<T> {
    /// Sends `req` and reads `{"items": [...]}` plus the `Link` headers.
    ///
    /// # Errors
    /// HTTP failures, and [`ErrorKind::InvalidResponse`](crate::ErrorKind) when the body has
    /// no `items` list of `T`.
    pub async fn fetch(http: &HttpClient, req: Request) -> Result<Self> {
        let res = http.send(req).await?;
        Self::from_response(http.clone(), &res)
    }

    /// Builds a page from a response already received.
    ///
    /// # Errors
    /// As [`fetch`](Self::fetch).
    pub fn from_response(http: HttpClient, res: &Response) -> Result<Self> {
        let Items { items } = res.json()?;
        let next = parse_links(res.headers().get_all(http::header::LINK))
            .into_iter()
            .find(|l| l.has_rel("next"))
            .and_then(|l| match res.url() {
                Some(base) => base.join(&l.url).ok(),
                None => Url::parse(&l.url).ok(),
            });
        Ok(Self {
            items,
            url: res.url(),
            next,
            max_pages: None,
            http,
        })
    }

    /// The items of this page.
    #[must_use]
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// Takes the items.
    #[must_use]
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// The next page's URL: the server's `Link: <...>; rel="next"` target, resolved against
    /// the URL of this page's response.
    #[must_use]
    pub fn next_url(&self) -> Option<&Url> {
        self.next.as_ref()
    }

    /// Caps the pages [`into_stream`](Self::into_stream) reads, this one included: after
    /// `pages` pages the stream ends, like `take`, whatever the server links to next.
    #[must_use]
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = Some(pages);
        self
    }

    /// Whether there is a next page.
    #[must_use]
    pub fn has_next(&self) -> bool {
        self.next.is_some()
    }

    /// Fetches the next page, if any.
    ///
    /// # Errors
    /// As [`fetch`](Self::fetch).
    pub async fn next(&self) -> Result<Option<Self>> {
        match &self.next {
            Some(url) => Self::fetch(&self.http, Request::get(Target::Url(url.clone())))
                .await
                .map(Some),
            None => Ok(None),
        }
    }

    /// Every item of this and the following pages, fetched lazily page by page. An error
    /// ends the stream after it is yielded. A `Link` to a page already read (a loop the
    /// server made) is such an error ([`ErrorKind::InvalidResponse`](crate::ErrorKind)),
    /// so a broken server cannot keep the stream going forever; see also
    /// [`max_pages`](Self::max_pages).
    pub fn into_stream(self) -> impl Stream<Item = Result<T>> + Send + 'static {
        struct State<T> {
            items: VecDeque<T>,
            next: Option<Url>,
            http: HttpClient,
            seen: HashSet<String>,
            pages_left: usize,
        }
        let state = State {
            items: self.items.into(),
            next: self.next,
            http: self.http,
            seen: self.url.into_iter().map(String::from).collect(),
            pages_left: self
                .max_pages
                .map_or(usize::MAX, |max| max.saturating_sub(1)),
        };
        futures::stream::unfold(Some(state), |state| async move {
            let mut state = state?;
            loop {
                if let Some(item) = state.items.pop_front() {
                    return Some((Ok(item), Some(state)));
                }
                let url = state.next.take()?;
                if state.pages_left == 0 {
                    return None;
                }
                state.pages_left -= 1;
                if !state.seen.insert(url.as_str().to_owned()) {
                    let looped = Error::new(
                        ErrorKind::InvalidResponse,
                        format!(
                            "the next page {url} was seen before: the server's Link headers loop"
                        ),
                    );
                    return Some((Err(looped), None));
                }
                match Page::<T>::fetch(&state.http, Request::get(Target::Url(url))).await {
                    Ok(page) => {
                        state.items = page.items.into();
                        state.next = page.next;
                    }
                    Err(e) => return Some((Err(e), None)),
                }
            }
        })
    }
}
