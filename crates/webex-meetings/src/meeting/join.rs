//! `join()`: `POST {locusUrl}/participant` (or `loci/call` for a meeting without a Locus
//! yet) with the JS SDK 3.12.0's body, then the full DTO of the answer to the runtime, and the
//! lobby keep-alive when Locus puts us in the lobby.

use http::Method;
use serde_json::{Map, Value, json};

use super::Meeting;
use super::locus_http::parse_url;
use crate::error::{MeetingError, Result};
use crate::info::{PasswordStatus, PermissionToken};
use crate::locus::Locus;
use crate::reachability::ReachabilityResults;
use crate::view::{FsmState, FsmTransition};

/// Locus error codes that ask for the join again with a host pin or the moderator flag.
const INTENT_TO_JOIN_CODES: [u64; 5] = [2_423_005, 2_423_006, 2_423_016, 2_423_017, 2_423_018];

/// Options of [`Meeting::join`]. Its `Debug` leaves the pin out.
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct JoinOptions {
    /// A host pin (host key) or a guest pin.
    pub pin: Option<String>,
    /// Join as the moderator (host), with `pin` as the host key.
    pub moderator: Option<bool>,
    /// The display name to show, for guests.
    pub alias: Option<String>,
}

impl std::fmt::Debug for JoinOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JoinOptions")
            .field("pin", &self.pin.as_ref().map(|_| "<redacted>"))
            .field("moderator", &self.moderator)
            .field("alias", &self.alias)
            .finish()
    }
}

impl JoinOptions {
    /// Join as the host, with the host key.
    #[must_use]
    pub fn host(host_key: impl Into<String>) -> Self {
        Self {
            pin: Some(host_key.into()),
            moderator: Some(true),
            alias: None,
        }
    }
}

/// Where a join left us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JoinOutcome {
    /// In the meeting.
    Joined,
    /// In the lobby, waiting for a host to admit us (the keep-alive runs until then).
    InLobby,
}

/// What the join body is made of.
pub(crate) struct JoinBody<'a> {
    pub(crate) device_url: &'a str,
    pub(crate) correlation_id: &'a str,
    pub(crate) join_cookie: Value,
    pub(crate) permission_token: Option<&'a str>,
    pub(crate) invitee: Option<&'a str>,
    pub(crate) reachability: &'a ReachabilityResults,
    pub(crate) options: &'a JoinOptions,
}

/// The JS SDK 3.12.0's join body (as recorded from the browser client), plus
/// `localMedias[0].localSdp` with the reachability results when there are any (the JS SDK
/// attaches them to the join only with media; this client joins without media first, so the
/// join is where Locus learns them; `/media` requests carry them again).
pub(crate) fn join_body(input: &JoinBody<'_>) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert(
        "device".into(),
        json!({"url": input.device_url, "deviceType": "WEB"}),
    );
    body.insert("usingResource".into(), Value::Null);
    body.insert("moveMediaToResource".into(), json!(false));
    body.insert("correlationId".into(), json!(input.correlation_id));
    body.insert("respOnlySdp".into(), json!(true));
    body.insert("allowMultiDevice".into(), json!(true));
    body.insert("ensureConversation".into(), json!(false));
    body.insert("supportsNativeLobby".into(), json!(1));
    body.insert(
        "clientMediaPreferences".into(),
        json!({"ipver": 4, "joinCookie": input.join_cookie, "preferTranscoding": true}),
    );
    if let Some(alias) = &input.options.alias {
        body.insert("alias".into(), json!(alias));
    }
    if let Some(moderator) = input.options.moderator {
        body.insert("moderator".into(), json!(moderator));
    }
    if let Some(pin) = &input.options.pin {
        body.insert("pin".into(), json!(pin));
    }
    if let Some(token) = input.permission_token {
        body.insert("permissionToken".into(), json!(token));
    }
    if let Some(address) = input.invitee {
        body.insert("invitee".into(), json!({"address": address}));
    }
    if !input.reachability.clusters.is_empty() {
        let local_sdp = json!({"reachability": input.reachability.to_backend_json()}).to_string();
        body.insert("localMedias".into(), json!([{"localSdp": local_sdp}]));
    }
    body
}

impl Meeting {
    /// Joins the meeting (or, when it has a lobby and we are not a host, its lobby: the
    /// answer says which, and the keep-alive runs while we wait). Concurrent joins run one
    /// after the other; joining again after leaving uses a new correlation id.
    ///
    /// # Errors
    /// [`MeetingError::NotRegistered`]; [`MeetingError::CaptchaRequired`] /
    /// [`MeetingError::PasswordRequired`] while meeting info still needs them (nothing is
    /// sent); [`MeetingError::IntentToJoin`] when Locus wants a host pin or the moderator
    /// flag; [`MeetingError::MeetingNotFound`]; HTTP errors.
    pub async fn join(&self, options: JoinOptions) -> Result<JoinOutcome> {
        let _serial = self.inner.join_lock.lock().await;
        let webex = self.webex()?;
        let shared = self.shared().ok_or(MeetingError::NotRegistered)?;
        if shared.registration().is_none() {
            return Err(MeetingError::NotRegistered);
        }
        let refusal = self.info_refusal();
        if let Some(captcha) = self.required_captcha() {
            return Err(MeetingError::CaptchaRequired {
                captcha: Box::new(captcha),
                message: refusal.map_or_else(
                    || "solve the captcha with verify_password before joining".into(),
                    |(_, message)| message,
                ),
            });
        }
        if self.password_status() == PasswordStatus::Required {
            let (code, message) = refusal.unwrap_or_else(|| {
                (
                    None,
                    "verify the password with verify_password before joining".into(),
                )
            });
            return Err(MeetingError::PasswordRequired { code, message });
        }
        self.refresh_permission_token_if_expiring().await?;
        if self.view().is_some_and(|v| v.fsm == FsmState::Ended) {
            self.fsm(FsmTransition::Reset);
        }
        if self.view().is_none_or(|v| v.fsm != FsmState::Ringing) {
            self.fsm(FsmTransition::Ring);
        }
        let (correlation_id, info, locus_url) = {
            let mut data = self.data();
            if std::mem::replace(&mut data.joined_once, true) {
                data.correlation_id = uuid::Uuid::new_v4().to_string();
                #[cfg(feature = "media")]
                {
                    data.media_confluence = false;
                }
            }
            (
                data.correlation_id.clone(),
                data.info.clone(),
                data.locus_url.clone(),
            )
        };
        let info = info.unwrap_or_default();
        let locus_url = info.locus_url.clone().or(locus_url);
        let (url, invitee) = match &locus_url {
            Some(locus_url) => (
                format!("{locus_url}/participant?alternateRedirect=true"),
                None,
            ),
            None => {
                let base = match &info.locus_cluster_url {
                    Some(cluster) => format!("https://{cluster}/locus/api/v1"),
                    None => webex.services().url("locus")?.to_string(),
                };
                let invitee = info
                    .meeting_join_url
                    .clone()
                    .or_else(|| info.sip_url.clone())
                    .or_else(|| info.meeting_number.as_ref().map(|n| format!("wbxmn:{n}")))
                    .unwrap_or_else(|| self.destination().to_owned());
                let base = base.trim_end_matches('/').to_owned();
                (
                    format!("{base}/loci/call?alternateRedirect=true"),
                    Some(invitee),
                )
            }
        };
        let body = join_body(&JoinBody {
            device_url: self.device_url(),
            correlation_id: &correlation_id,
            join_cookie: shared.reachability.join_cookie(),
            permission_token: info.permission_token.as_ref().map(PermissionToken::secret),
            invitee: invitee.as_deref(),
            reachability: &shared.reachability.results(),
            options: &options,
        });
        let answer = self
            .locus_send(Method::POST, parse_url(&url)?, Some(&Value::Object(body)))
            .await
            .inspect_err(|_| self.fsm(FsmTransition::Fail))
            .map_err(|failure| match failure.error_code {
                Some(code) if INTENT_TO_JOIN_CODES.contains(&code) => MeetingError::IntentToJoin {
                    code,
                    message: failure.error.message().to_owned(),
                },
                _ => failure.into(),
            })?;
        let (locus, media_id) =
            parse_join_answer(answer).inspect_err(|_| self.fsm(FsmTransition::Fail))?;
        self.data().media_id = media_id;
        self.apply_full(locus);
        let view = self.require_view("join")?;
        self.fsm(FsmTransition::Join);
        if let Some(keep_alive) = view.keep_alive.clone() {
            self.start_keep_alive(keep_alive.url, keep_alive.secs);
            return Ok(JoinOutcome::InLobby);
        }
        self.connect_datachannel();
        Ok(JoinOutcome::Joined)
    }
}

/// The join answer: a full DTO with `url` and `self.id`, and a `mediaConnections` array whose
/// last `mediaId` becomes the meeting's.
fn parse_join_answer(mut answer: Value) -> Result<(Locus, Option<String>)> {
    let invalid = |why: String| MeetingError::InvalidResponse(format!("join answer: {why}"));
    let media_connections = answer
        .get("mediaConnections")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("no mediaConnections array".into()))?;
    let media_id = media_connections
        .iter()
        .filter_map(|c| c.get("mediaId").and_then(Value::as_str))
        .next_back()
        .map(str::to_owned);
    let locus = answer
        .get_mut("locus")
        .map(Value::take)
        .ok_or_else(|| invalid("no locus".into()))?;
    let locus = Locus::from_value(locus).map_err(|e| invalid(e.to_string()))?;
    if locus.self_.is_none() {
        return Err(invalid("the locus has no self".into()));
    }
    Ok((locus, media_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_the_browser_clients() {
        let options = JoinOptions::default();
        let body = join_body(&JoinBody {
            device_url: "https://wdm/devices/1",
            correlation_id: "c-1",
            join_cookie: json!({"anycastEntryPoint": "x"}),
            permission_token: Some("jwt"),
            invitee: Some("https://x/join/1"),
            reachability: &ReachabilityResults::default(),
            options: &options,
        });
        assert_eq!(
            Value::Object(body),
            json!({
                "device": {"url": "https://wdm/devices/1", "deviceType": "WEB"},
                "usingResource": null, "moveMediaToResource": false, "correlationId": "c-1",
                "respOnlySdp": true, "allowMultiDevice": true, "ensureConversation": false,
                "supportsNativeLobby": 1,
                "clientMediaPreferences": {"ipver": 4, "joinCookie": {"anycastEntryPoint": "x"},
                                           "preferTranscoding": true},
                "permissionToken": "jwt", "invitee": {"address": "https://x/join/1"}
            })
        );
    }

    #[test]
    fn host_pin_moderator_and_reachability_are_added() {
        use crate::reachability::{ClusterReachability, ProtocolResult};
        let mut reach = ReachabilityResults::default();
        reach.clusters.insert(
            "c".into(),
            ClusterReachability {
                udp: ProtocolResult::Unreachable,
                tcp: ProtocolResult::Untested,
                xtls: ProtocolResult::Untested,
                is_video_mesh: false,
            },
        );
        let options = JoinOptions::host("123456");
        let body = join_body(&JoinBody {
            device_url: "d",
            correlation_id: "c",
            join_cookie: json!({}),
            permission_token: None,
            invitee: None,
            reachability: &reach,
            options: &options,
        });
        assert_eq!(body["pin"], "123456");
        assert!(!format!("{options:?}").contains("123456"));
        assert_eq!(body["moderator"], true);
        let sdp: Value =
            serde_json::from_str(body["localMedias"][0]["localSdp"].as_str().unwrap()).unwrap();
        assert_eq!(sdp["reachability"]["c"]["udp"]["reachable"], "false");
        assert!(body.get("invitee").is_none() && body.get("permissionToken").is_none());
    }

    #[test]
    fn a_join_answer_without_media_connections_or_self_is_refused() {
        let locus =
            json!({"url": "u", "sequence": {"entries": [1], "rangeStart": 0, "rangeEnd": 0}});
        assert!(parse_join_answer(json!({"locus": locus})).is_err());
        assert!(parse_join_answer(json!({"locus": locus, "mediaConnections": []})).is_err());
        let mut with_self = locus.clone();
        with_self["self"] = json!({"id": "p", "devices": []});
        let (_, media) = parse_join_answer(
            json!({"locus": with_self, "mediaConnections": [{"mediaId": "m1"}, {"mediaId": "m2"}]}),
        )
        .unwrap();
        assert_eq!(media.as_deref(), Some("m2"));
    }
}
