//! Read status through the conversation service (`docs/protocol/conversation.md`,
//! *Read status*). These
//! calls bypass Hydra: the conversation base URL comes from the room id's cluster through
//! the catalog, and the answers (conversations, activities) are turned into Hydra-shaped
//! objects with Hydra ids built in the same cluster.

mod memberships;
mod rooms;
mod wire;

pub use memberships::{ListMembershipsWithReadStatus, MembershipReadStatus, UpdateLastSeen};
pub use rooms::{GetRoomWithReadStatus, ListRoomsWithReadStatus, RoomReadStatus};

use url::Url;
use uuid::Uuid;
use webex_core::http::Request;
use webex_core::{Error, ErrorKind, Result};

use crate::client::Hydra;
use crate::id::RoomId;

/// The catalog name of the conversation service (for lists, which span clusters).
const CONVERSATION: &str = "conversation";

/// Host ids whose Hydra cluster is `us` (`getHydraClusterString`).
const US_CLUSTER_PREFIXES: [&str; 2] = ["urn:TEAM:us-east-2_a", "urn:TEAM:us-east-1_int13"];

/// The query every conversation read starts with: people as uuids rather than e-mails,
/// fresh person data, and no activities (only the conversation's own fields are needed).
fn read_query(req: Request) -> Request {
    req.query("uuidEntryFormat", "true")
        .query("personRefresh", "true")
        .query("activitiesLimit", "0")
}

/// A room id's conversation: its cluster, its uuid, and the conversation URL in that
/// cluster (`<base>/conversations/<uuid>`).
struct ConversationRef {
    cluster: String,
    uuid: Uuid,
    url: Url,
}

impl ConversationRef {
    fn resolve(hydra: &Hydra, room_id: &RoomId) -> Result<Self> {
        crate::client::require("the room id", room_id.as_str())?;
        let cluster = room_id.cluster()?;
        let uuid = room_id.uuid()?;
        let base = hydra
            .webex()
            .services()
            .catalog()
            .url_for_cluster(&cluster)?;
        let url = join(&base, &format!("conversations/{uuid}"))?;
        Ok(Self { cluster, uuid, url })
    }
}

/// `base` + `/` + `path`, whatever trailing slash `base` has.
fn join(base: &Url, path: &str) -> Result<Url> {
    let text = format!("{}/{path}", base.as_str().trim_end_matches('/'));
    Url::parse(&text).map_err(|e| {
        Error::new(
            ErrorKind::InvalidInput,
            format!("invalid URL `{text}`: {e}"),
        )
        .with_source(e)
    })
}

/// The Hydra cluster string of the host serving `url`: `us` for the original US clusters,
/// else the first three fields of the host id (`urn:TEAM:eu-central-1_k`).
///
/// # Errors
/// [`ErrorKind::InvalidResponse`] when no catalog service knows the host: guessing a cluster
/// would give ids that point at the wrong resource.
pub(crate) fn hydra_cluster(hydra: &Hydra, url: &Url) -> Result<String> {
    let id = hydra
        .webex()
        .services()
        .catalog()
        .cluster_id(url)
        .ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidResponse,
                format!("no catalog host serves `{url}`, so its Hydra cluster is unknown"),
            )
        })?;
    if US_CLUSTER_PREFIXES.iter().any(|p| id.starts_with(p)) {
        return Ok(crate::id::US_CLUSTER.to_owned());
    }
    Ok(id.split(':').take(3).collect::<Vec<_>>().join(":"))
}

/// The caller's user uuid (the conversation service identifies the reader by it).
async fn my_uuid(hydra: &Hydra) -> Result<Uuid> {
    let me = crate::people::cached_me(hydra).await?;
    me.id.uuid().map_err(|e| {
        Error::new(
            ErrorKind::InvalidResponse,
            format!("people/me returned an id without a uuid: {e}"),
        )
    })
}
