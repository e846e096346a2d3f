//! People and bots: `webex.people()`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use webex_core::http::Request;
use webex_core::{Page, Result};

use crate::Timestamp;
use crate::client::{Hydra, get_request, hydra, request_future, require, require_opt};
use crate::id::{OrganizationId, PersonId};
use crate::wire_enum::wire_enum;

wire_enum! {
    /// What kind of account a person is.
    pub enum PersonType {
        /// A human (`person`).
        Person => "person",
        /// A bot (`bot`).
        Bot => "bot",
        /// A guest created by a guest-issuer app (`appuser`).
        AppUser => "appuser",
    }
}

/// A person, as Hydra returns it (from a get, `people/me` or a list). Fields Webex adds later
/// land in `extra`; `Option` fields may be absent on the wire
/// (`docs/protocol/hydra-models.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Person {
    /// The person id.
    pub id: PersonId,
    /// E-mail addresses.
    pub emails: Vec<String>,
    /// Phone numbers (`{"type", "value"}` objects).
    #[serde(default)]
    pub phone_numbers: Vec<Value>,
    /// Full name.
    pub display_name: String,
    /// Nickname; absent when none was set.
    pub nick_name: Option<String>,
    /// First name; absent when none was set.
    pub first_name: Option<String>,
    /// Last name; absent when none was set.
    pub last_name: Option<String>,
    /// Avatar URL; absent when none was uploaded.
    pub avatar: Option<String>,
    /// The person's organisation.
    pub org_id: OrganizationId,
    /// Role ids.
    #[serde(default)]
    pub roles: Vec<String>,
    /// License ids.
    #[serde(default)]
    pub licenses: Vec<String>,
    /// When the account was created.
    pub created: Timestamp,
    /// When the account last changed; not in every answer.
    pub last_modified: Option<Timestamp>,
    /// When the person was last active; like `status`, only for people the caller
    /// may see the presence of.
    pub last_activity: Option<Timestamp>,
    /// Presence (`active`, `inactive`, `DoNotDisturb`, ...); the API reference sends it only
    /// for people in the caller's (or a managed) organisation.
    pub status: Option<String>,
    /// Person, bot or app user.
    #[serde(rename = "type")]
    pub person_type: PersonType,
    /// Fields this version of the SDK does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The caller, from `people/me`: fetched once per client when [`MessagesPlugin`] was added
/// (listen envelopes and read-status calls need it), per call otherwise.
///
/// [`MessagesPlugin`]: crate::MessagesPlugin
pub(crate) async fn cached_me(hydra: &Hydra) -> Result<Person> {
    let fetch = || GetPerson::new(hydra.clone(), PersonId::new("me")).send();
    match hydra.webex().plugin::<crate::MessagesPlugin>() {
        Some(plugin) => plugin.me.get_or_try_init(fetch).await.cloned(),
        None => fetch().await,
    }
}

/// The people API; from [`MessagesExt::people`](crate::MessagesExt::people).
#[derive(Debug, Clone)]
pub struct People {
    hydra: Hydra,
}

impl People {
    pub(crate) fn new(hydra: Hydra) -> Self {
        Self { hydra }
    }

    /// One person.
    pub fn get(&self, id: impl Into<PersonId>) -> GetPerson {
        GetPerson::new(self.hydra.clone(), id.into())
    }

    /// The caller (`people/me`).
    pub fn me(&self) -> GetPerson {
        GetPerson::new(self.hydra.clone(), PersonId::new("me"))
    }

    /// People by e-mail, name or ids, a page at a time.
    pub fn list(&self) -> ListPeople {
        ListPeople {
            hydra: self.hydra.clone(),
            email: None,
            display_name: None,
            ids: Vec::new(),
            max: None,
            show_all_types: None,
        }
    }
}

get_request!(
    /// `GET people/{id}` (or `people/me`): one person.
    GetPerson, PersonId, Person, "people"
);

/// `GET people`: people matching a filter (Hydra needs one), a page at a time.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct ListPeople {
    hydra: Hydra,
    email: Option<String>,
    display_name: Option<String>,
    ids: Vec<PersonId>,
    max: Option<u32>,
    show_all_types: Option<bool>,
}

impl ListPeople {
    /// Only the person with this e-mail address.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Only people whose name starts with this.
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Only these people (sent as `id=a,b`).
    pub fn ids<I>(mut self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<PersonId>,
    {
        self.ids.extend(ids.into_iter().map(Into::into));
        self
    }

    /// The page size (not a cap: follow the pages for more).
    pub fn max(mut self, max: u32) -> Self {
        self.max = Some(max);
        self
    }

    /// Also return accounts that are not people or bots (rooms devices, integrations).
    pub fn show_all_types(mut self, all: bool) -> Self {
        self.show_all_types = Some(all);
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// `InvalidInput` for empty filters; HTTP errors.
    pub async fn send(self) -> Result<Page<Person>> {
        require_opt("the e-mail address", self.email.as_deref())?;
        require_opt("the display name", self.display_name.as_deref())?;
        for id in &self.ids {
            require("a person id", id.as_str())?;
        }
        let ids = (!self.ids.is_empty()).then(|| {
            let ids: Vec<&str> = self.ids.iter().map(PersonId::as_str).collect();
            ids.join(",")
        });
        let req = Request::get(hydra("people", None))
            .query_opt("email", self.email)
            .query_opt("displayName", self.display_name)
            .query_opt("id", ids)
            .query_opt("max", self.max)
            .query_opt("showAllTypes", self.show_all_types);
        self.hydra.page(req).await
    }
}

request_future!(ListPeople => Page<Person>);
