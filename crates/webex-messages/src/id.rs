//! Typed Hydra ids: unpadded base64 of `ciscospark://<cluster>/<TYPE>/<inner>`.
//!
//! An [`Id<K>`] keeps the exact string the server sent (clients compare ids as strings, so
//! re-encoding must never change them) and is typed by resource, so a [`PersonId`] cannot be
//! passed where a [`RoomId`] is expected. The cluster is part of the id and is kept: `us` for
//! the original US cluster, `urn:TEAM:<region>_<x>` elsewhere.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;
use webex_core::hydra_id::SCHEME;
pub use webex_core::hydra_id::{DecodedId, decode};
use webex_core::{Error, ErrorKind, Result};

/// The cluster of every person and organisation id the JS SDK builds, whatever the user's
/// real cluster: servers and clients compare these ids as strings.
pub const US_CLUSTER: &str = "us";

/// A resource kind with its Hydra `TYPE` segment. Implemented by the marker types below.
pub trait IdKind: sealed::Sealed + Send + Sync + 'static {
    /// The `TYPE` segment, e.g. `ROOM`.
    const TYPE: &'static str;
}

mod sealed {
    pub trait Sealed {}
}

macro_rules! id_kinds {
    ($($(#[$doc:meta])* $marker:ident, $alias:ident, $type:literal;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub struct $marker;
        impl sealed::Sealed for $marker {}
        impl IdKind for $marker {
            const TYPE: &'static str = $type;
        }
        #[doc = concat!("The Hydra id of a `", $type, "`.")]
        pub type $alias = Id<$marker>;
    )*};
}

id_kinds! {
    /// Marker for rooms (spaces); inner id: the conversation uuid.
    RoomKind, RoomId, "ROOM";
    /// Marker for messages; inner id: the activity uuid.
    MessageKind, MessageId, "MESSAGE";
    /// Marker for room memberships; inner id: `<personUuid>:<conversationUuid>`.
    MembershipKind, MembershipId, "MEMBERSHIP";
    /// Marker for people and bots; inner id: the user uuid, cluster always `us`.
    PersonKind, PersonId, "PEOPLE";
    /// Marker for organisations; inner id: the org uuid, cluster always `us`.
    OrganizationKind, OrganizationId, "ORGANIZATION";
    /// Marker for teams; inner id: the team uuid.
    TeamKind, TeamId, "TEAM";
    /// Marker for team memberships; inner id: `<personUuid>:<teamUuid>`.
    TeamMembershipKind, TeamMembershipId, "TEAM_MEMBERSHIP";
    /// Marker for webhooks.
    WebhookKind, WebhookId, "WEBHOOK";
    /// Marker for attachment actions (card submissions); inner id: the activity uuid.
    AttachmentActionKind, AttachmentActionId, "ATTACHMENT_ACTION";
    /// Marker for message files; inner id: `<activityUuid>/<fileIndex>`.
    ContentKind, ContentId, "CONTENT";
}

/// A Hydra id of resource kind `K`, e.g. [`RoomId`].
pub struct Id<K> {
    value: String,
    kind: PhantomData<fn() -> K>,
}

impl<K: IdKind> Id<K> {
    /// Wraps an id string as received (not checked: servers may send ids this SDK cannot
    /// decode, and they must still round-trip).
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            kind: PhantomData,
        }
    }

    /// Encodes `ciscospark://<cluster>/<TYPE>/<inner>` the way Hydra does (unpadded base64).
    pub fn encode(cluster: &str, inner: &str) -> Self {
        // Ids are built for every event `listen()` delivers: the plain text is put together
        // on the stack (it is short: a cluster, a type and a uuid), and the only allocation
        // is the exact-size id.
        const STACK: usize = 128;
        let parts = [SCHEME, cluster, "/", K::TYPE, "/", inner];
        let len: usize = parts.iter().map(|part| part.len()).sum();
        if len > STACK {
            return Self::new(STANDARD_NO_PAD.encode(parts.concat()));
        }
        let mut plain = [0u8; STACK];
        let mut at = 0;
        for part in parts {
            plain[at..at + part.len()].copy_from_slice(part.as_bytes());
            at += part.len();
        }
        Self::new(STANDARD_NO_PAD.encode(&plain[..len]))
    }

    /// The Hydra id of the resource with `uuid` in `cluster`.
    pub fn from_uuid(cluster: &str, uuid: Uuid) -> Self {
        Self::encode(cluster, &uuid.to_string())
    }

    /// The id as a string.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// Takes the string.
    #[must_use]
    pub fn into_string(self) -> String {
        self.value
    }

    /// Decodes the id and checks that its `TYPE` is `K`'s.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`] for a string that is not a Hydra id of this kind.
    pub fn decode(&self) -> Result<DecodedId> {
        let decoded = decode(&self.value)?;
        if decoded.kind != K::TYPE {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "`{}` is a {} id, not a {} id",
                    self.value,
                    decoded.kind,
                    K::TYPE
                ),
            ));
        }
        Ok(decoded)
    }

    /// The cluster the resource lives in (`us`, `urn:TEAM:eu-central-1_k`).
    ///
    /// # Errors
    /// As [`decode`](Self::decode).
    pub fn cluster(&self) -> Result<String> {
        self.decode().map(|d| d.cluster)
    }

    /// The uuid inside the id (for kinds whose inner id is a uuid).
    ///
    /// # Errors
    /// As [`decode`](Self::decode), and [`ErrorKind::InvalidInput`] for a composite inner id.
    pub fn uuid(&self) -> Result<Uuid> {
        let decoded = self.decode()?;
        Uuid::parse_str(&decoded.inner).map_err(|e| {
            Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "the inner id `{}` of `{}` is not a uuid",
                    decoded.inner, self.value
                ),
            )
            .with_source(e)
        })
    }
}

impl<K> Clone for Id<K> {
    fn clone(&self) -> Self {
        Self {
            value: self.value.clone(),
            kind: PhantomData,
        }
    }
}

impl<K> PartialEq for Id<K> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<K> Eq for Id<K> {}

impl<K> Hash for Id<K> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<K> PartialOrd for Id<K> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<K> Ord for Id<K> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl<K: IdKind> fmt::Debug for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({:?})", K::TYPE, self.value)
    }
}

impl<K> fmt::Display for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl<K> AsRef<str> for Id<K> {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

impl<K: IdKind> From<String> for Id<K> {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl<K: IdKind> From<&str> for Id<K> {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl<K: IdKind> From<&Id<K>> for Id<K> {
    fn from(value: &Id<K>) -> Self {
        value.clone()
    }
}

impl<K> Serialize for Id<K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

impl<'de, K: IdKind> Deserialize<'de> for Id<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}
