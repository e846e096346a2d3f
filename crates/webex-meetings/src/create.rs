//! `create(destination, type)`: resolves the destination (inferring its type when not
//! given, looking up Hydra people and rooms), returns an existing meeting for it or adds a new
//! one to the collection, then looks its meeting info up.

use std::sync::Arc;

use serde::Deserialize;
use webex_core::http::{Request, Target};

use crate::destination::{DestinationType, Inferred, hydra_id, infer};
use crate::error::{MeetingError, Result};
use crate::ext::Meetings;
use crate::info::{InfoLookup, MeetingInfo};
use crate::locus::Locus;
use crate::meeting::Meeting;
use crate::meetings_events::{AddedKind, MeetingsEvent};
use crate::plugin::Shared;

/// What `people/<id>` and `people?email=` give that create needs.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Person {
    id: String,
    #[serde(default)]
    emails: Vec<String>,
    #[serde(default)]
    org_id: Option<String>,
}

#[derive(Debug, Deserialize)]
struct People {
    #[serde(default)]
    items: Vec<Person>,
}

/// A destination resolved to what is looked up.
struct Resolved {
    destination: String,
    kind: DestinationType,
    personal_room: Option<(String, String)>,
}

impl Meetings {
    /// The meeting for `destination`: a SIP URI, a meeting number, a Locus id or URL, a
    /// meeting link, a person (email or Hydra person id: a one-on-one call), a conversation
    /// (conversation URL or Hydra room id), or `""` with [`DestinationType::PersonalRoom`]
    /// for the user's own personal room (an email or person id for someone else's). The
    /// type is inferred when `None` (the JS SDK's order; a bare number is a meeting number).
    ///
    /// An existing meeting for the same destination is returned as it is. A meeting that
    /// needs a password or a captcha is returned too: see
    /// [`Meeting::password_status`] and [`Meeting::verify_password`].
    ///
    /// # Errors
    /// [`MeetingError::NotRegistered`]; [`MeetingError::InvalidDestination`];
    /// [`MeetingError::MeetingNotFound`] when meeting info knows no such meeting (a SIP URI
    /// meeting info does not know is kept as a call, as in the JS SDK);
    /// [`MeetingError::Policy`]; HTTP errors.
    pub async fn create(
        &self,
        destination: &str,
        kind: Option<DestinationType>,
    ) -> Result<Meeting> {
        let shared = self.shared()?.clone();
        let registration = self.registration()?;
        let resolved = self.resolve(destination, kind, &registration).await?;
        let existing = match resolved.kind {
            DestinationType::Conversation => shared
                .collection
                .find(Meeting::conversation_url, &resolved.destination),
            DestinationType::LocusId => shared
                .collection
                .find(Meeting::locus_url, &resolved.destination),
            _ => shared
                .collection
                .find(Meeting::sip_uri, &resolved.destination),
        };
        if let Some(meeting) = existing {
            return Ok(meeting);
        }
        let meeting = Meeting::new(
            &self.webex,
            &shared,
            registration.device_url.clone(),
            resolved.destination.clone(),
            resolved.kind,
        );
        match resolved.kind {
            DestinationType::SipUri | DestinationType::OneOnOne => {
                meeting.set_identifiers(Some(resolved.destination.clone()), None, None);
            }
            DestinationType::Conversation => {
                meeting.set_identifiers(None, None, Some(resolved.destination.clone()));
            }
            _ => {}
        }
        shared.collection.insert(meeting.clone());
        if let Err(err) = self.first_lookup(&meeting, &resolved).await {
            shared.collection.remove(meeting.id());
            meeting.close();
            return Err(err);
        }
        let kind = if resolved.kind == DestinationType::LocusId {
            added_kind_of(&meeting)
        } else {
            AddedKind::Created
        };
        watch_for_end(&shared, &meeting);
        shared.emit(MeetingsEvent::Added {
            meeting: meeting.clone(),
            kind,
        });
        Ok(meeting)
    }

    /// The user's personal meeting room: its meeting info (`isPmr: true`).
    ///
    /// # Errors
    /// [`MeetingError::NotRegistered`]; [`MeetingError::InvalidResponse`] when the answer is
    /// not a personal room; HTTP errors.
    pub async fn personal_room(&self) -> Result<MeetingInfo> {
        let registration = self.registration()?;
        let org_id = registration.org_id.clone().ok_or_else(|| {
            MeetingError::state("look up the personal room", "people/me gave no org id")
        })?;
        let body = crate::info::request_body(
            DestinationType::PersonalRoom,
            "",
            Some((&registration.user_id, &org_id)),
            &InfoLookup::default(),
        )
        .ok_or_else(|| MeetingError::state("look up the personal room", "no user id"))?;
        let info = crate::info::fetch(&self.webex, &body)
            .await
            .map_err(MeetingError::from)?;
        if info.is_pmr != Some(true) {
            return Err(MeetingError::InvalidResponse(
                "meeting info of the personal room is not a personal room (isPmr)".into(),
            ));
        }
        Ok(info)
    }

    /// The destination and its type, after lookups.
    async fn resolve(
        &self,
        destination: &str,
        kind: Option<DestinationType>,
        registration: &crate::plugin::Registration,
    ) -> Result<Resolved> {
        let destination = destination.trim();
        let plain = |kind| Resolved {
            destination: destination.to_owned(),
            kind,
            personal_room: None,
        };
        let conversation_base = self.webex.services().url("conversation").ok();
        match kind {
            Some(DestinationType::PersonalRoom) => {
                let (user_id, org_id) = if destination.is_empty() {
                    let org = registration.org_id.clone().ok_or_else(|| {
                        MeetingError::InvalidDestination("people/me gave no org id".into())
                    })?;
                    (registration.user_id.clone(), org)
                } else {
                    let person = self.person(destination).await?;
                    let org = person.org_id.as_deref().map(uuid_of).unwrap_or_default();
                    (uuid_of(&person.id), org)
                };
                Ok(Resolved {
                    destination: destination.to_owned(),
                    kind: DestinationType::PersonalRoom,
                    personal_room: Some((user_id, org_id)),
                })
            }
            _ if destination.is_empty() => Err(MeetingError::InvalidDestination(
                "the destination is empty".into(),
            )),
            Some(DestinationType::OneOnOne) => Ok(plain(DestinationType::OneOnOne)
                .with_destination(if destination.contains('@') {
                    destination.to_owned()
                } else {
                    self.email_of(destination).await?
                })),
            Some(DestinationType::Conversation) => {
                let url = match hydra_id(destination) {
                    Some((kind, uuid)) if kind == "ROOM" => self.conversation_url(&uuid)?,
                    _ => destination.to_owned(),
                };
                Ok(plain(DestinationType::Conversation).with_destination(url))
            }
            Some(DestinationType::LocusId) => {
                Ok(plain(DestinationType::LocusId)
                    .with_destination(self.locus_url_of(destination)?))
            }
            Some(kind) => Ok(plain(kind)),
            None => match infer(destination, conversation_base.as_ref()) {
                Some(Inferred::Type(DestinationType::LocusId)) => {
                    Ok(plain(DestinationType::LocusId))
                }
                Some(Inferred::Type(kind)) => Ok(plain(kind)),
                Some(Inferred::HydraPerson) => {
                    let email = self.email_of(destination).await?;
                    Ok(plain(DestinationType::SipUri).with_destination(email))
                }
                Some(Inferred::HydraRoom(uuid)) => Ok(plain(DestinationType::Conversation)
                    .with_destination(self.conversation_url(&uuid)?)),
                None => Err(MeetingError::InvalidDestination(format!(
                    "{destination:?} is no SIP URI, meeting number, meeting link, Locus URL, \
                     conversation URL or Hydra person/room id; pass the type explicitly"
                ))),
            },
        }
    }

    /// Looks up meeting info, or for a Locus destination reads the locus first.
    async fn first_lookup(&self, meeting: &Meeting, resolved: &Resolved) -> Result<()> {
        if resolved.kind == DestinationType::LocusId {
            let req = Request::get(Target::Url(crate::meeting::parse_url(
                &resolved.destination,
            )?));
            match self.webex.http().json::<serde_json::Value>(req).await {
                Ok(value) => {
                    let locus = Locus::from_value(value)
                        .map_err(|e| MeetingError::InvalidResponse(e.to_string()))?;
                    meeting.apply_full(locus);
                }
                // Locus shows a meeting only to its participants: join it by its URL.
                Err(err) if err.kind() == webex_core::ErrorKind::Forbidden => {
                    meeting.remember_locus_url(&resolved.destination);
                }
                Err(err) if err.kind() == webex_core::ErrorKind::NotFound => {
                    return Err(MeetingError::MeetingNotFound {
                        message: err.message().to_owned(),
                    });
                }
                Err(err) => return Err(err.into()),
            }
            // What meeting info knows of it (its number, password, permission token).
            let lookup = InfoLookup {
                locus_id: resolved.destination.rsplit('/').next().map(str::to_owned),
                ..InfoLookup::default()
            };
            return match meeting.fetch_info(&lookup, None).await {
                Ok(_)
                | Err(
                    MeetingError::PasswordRequired { .. }
                    | MeetingError::CaptchaRequired { .. }
                    | MeetingError::MeetingNotFound { .. },
                ) => Ok(()),
                Err(err) => Err(err),
            };
        }
        let personal_room = resolved
            .personal_room
            .as_ref()
            .map(|(u, o)| (u.as_str(), o.as_str()));
        match meeting
            .fetch_info(&InfoLookup::default(), personal_room)
            .await
        {
            Ok(_)
            | Err(MeetingError::PasswordRequired { .. } | MeetingError::CaptchaRequired { .. }) => {
                Ok(())
            }
            // Not a meeting meeting info knows: a SIP address may still be called.
            Err(MeetingError::MeetingNotFound { .. })
                if resolved.kind == DestinationType::SipUri =>
            {
                Ok(())
            }
            Err(err) => Err(err),
        }
    }

    /// `GET people/<id>` (a Hydra id) or `people?email=`.
    async fn person(&self, who: &str) -> Result<Person> {
        if who.contains('@') {
            let req = Request::get(Target::service("hydra", "people")).query("email", who);
            let people: People = self.webex.http().json(req).await?;
            return people
                .items
                .into_iter()
                .next()
                .ok_or_else(|| MeetingError::MeetingNotFound {
                    message: format!("no person with email {who}"),
                });
        }
        let req = Request::get(Target::service(
            "hydra",
            format!(
                "people/{}",
                percent_encoding::utf8_percent_encode(who, percent_encoding::NON_ALPHANUMERIC)
            ),
        ));
        Ok(self.webex.http().json(req).await?)
    }

    async fn email_of(&self, person_id: &str) -> Result<String> {
        let person = self.person(person_id).await?;
        person.emails.into_iter().next().ok_or_else(|| {
            MeetingError::InvalidDestination(format!("person {person_id} has no email to call"))
        })
    }

    /// The conversation URL of a room uuid (catalog `conversation`).
    fn conversation_url(&self, room_uuid: &str) -> Result<String> {
        let base = self.webex.services().url("conversation")?;
        Ok(format!(
            "{}/conversations/{room_uuid}",
            base.as_str().trim_end_matches('/')
        ))
    }

    /// A Locus URL, or the URL of a Locus id (catalog `locus`).
    fn locus_url_of(&self, destination: &str) -> Result<String> {
        if destination.contains("://") {
            return Ok(destination.to_owned());
        }
        let base = self.webex.services().url("locus")?;
        Ok(format!(
            "{}/loci/{destination}",
            base.as_str().trim_end_matches('/')
        ))
    }
}

impl Resolved {
    fn with_destination(mut self, destination: String) -> Self {
        self.destination = destination;
        self
    }
}

/// A Hydra id's uuid, or the value itself.
fn uuid_of(id: &str) -> String {
    hydra_id(id).map_or_else(|| id.to_owned(), |(_, uuid)| uuid)
}

/// `Join` for a meeting (`fullState.type` MEETING), `Incoming` for a call.
pub(crate) fn added_kind_of(meeting: &Meeting) -> AddedKind {
    if meeting
        .view()
        .is_some_and(|v| v.meeting_type.as_deref() == Some("MEETING"))
    {
        AddedKind::Join
    } else {
        AddedKind::Incoming
    }
}

/// Follows the meeting's events for the plugin: connects the data channel when we are
/// admitted from the lobby, leaves a 1:1 call the other side declined or left, and removes
/// the meeting from the collection (and says so) when Locus ends it for us.
pub(crate) fn watch_for_end(shared: &Arc<Shared>, meeting: &Meeting) {
    use futures::StreamExt;
    let mut events = meeting.events();
    let weak_shared = Arc::downgrade(shared);
    let id = meeting.id().to_owned();
    tokio::spawn(async move {
        while let Some(item) = events.next().await {
            let reason = match item {
                Ok(crate::events::MeetingEvent::Ended { reason }) => {
                    // A call whose other side left is left first while we are still in it
                    // (the JS SDK's `shouldLeave`).
                    if reason == crate::view::EndReason::PartnerLeft {
                        leave_if_joined(&weak_shared, &id).await;
                    }
                    reason
                }
                // The JS SDK leaves a call the other side declined.
                Ok(crate::events::MeetingEvent::RingingStopped {
                    remote_declined: true,
                    ..
                }) => {
                    leave_if_joined(&weak_shared, &id).await;
                    continue;
                }
                Ok(crate::events::MeetingEvent::Admitted) => {
                    let Some(shared) = weak_shared.upgrade() else {
                        return;
                    };
                    if let Some(meeting) = shared.collection.find(|m| Some(m.id().to_owned()), &id)
                    {
                        meeting.connect_datachannel();
                    }
                    continue;
                }
                _ => continue,
            };
            let Some(shared) = weak_shared.upgrade() else {
                return;
            };
            if let Some(meeting) = shared.collection.remove(&id) {
                meeting.close();
                shared.emit(MeetingsEvent::Removed {
                    meeting_id: id,
                    reason: crate::meetings_events::RemovedReason::from(reason),
                });
            }
            return;
        }
    });
}

/// Leaves meeting `id` if we are still in it and it is not over (a failure is logged: Locus
/// ends the call anyway).
async fn leave_if_joined(shared: &std::sync::Weak<Shared>, id: &str) {
    let Some(meeting) = shared
        .upgrade()
        .and_then(|shared| shared.collection.find(|m| Some(m.id().to_owned()), id))
    else {
        return;
    };
    let joined = meeting.view().is_some_and(|v| {
        crate::meeting::self_joined(&v)
            && v.meeting_state != Some(crate::view::MeetingState::Inactive)
    });
    if joined
        && let Err(err) = meeting.leave().await
        && let Ok(webex) = meeting.webex()
    {
        webex_core::log_warn!(webex.logger(), "meetings: leaving the ended call: {err}");
    }
}
