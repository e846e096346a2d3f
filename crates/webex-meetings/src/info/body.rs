//! The meeting info request body per destination type (the JS SDK 3.12.0's, with
//! `disableWebRedirect`).

use serde_json::{Map, Value, json};

use crate::destination::DestinationType;

/// How a meeting is looked up, plus what the user gives to get in. Its `Debug` leaves the
/// password and the token out.
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct InfoLookup {
    /// The meeting's password, or the host key.
    pub password: Option<String>,
    /// The captcha's id and the code the user read from it.
    pub captcha: Option<(String, String)>,
    /// The meeting's Locus id, when known.
    pub locus_id: Option<String>,
    /// The expiring permission token, when refreshing it.
    pub permission_token: Option<String>,
}

impl std::fmt::Debug for InfoLookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InfoLookup")
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("captcha_id", &self.captcha.as_ref().map(|(id, _)| id))
            .field("locus_id", &self.locus_id)
            .field(
                "permission_token",
                &self.permission_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// The body for `destination` of type `kind`: the two default keys, the type's field, then
/// the optional ones. `None` when the type needs no meeting info (one-on-one calls) or the
/// destination gives nothing to look up.
pub(crate) fn request_body(
    kind: DestinationType,
    destination: &str,
    personal_room: Option<(&str, &str)>,
    lookup: &InfoLookup,
) -> Option<Value> {
    let mut body = Map::new();
    body.insert("supportHostKey".into(), json!(true));
    body.insert("supportCountryList".into(), json!(true));
    match kind {
        DestinationType::SipUri => {
            body.insert("sipUrl".into(), json!(destination));
        }
        DestinationType::MeetingNumber => {
            body.insert("meetingKey".into(), json!(destination));
        }
        DestinationType::MeetingLink => {
            body.insert("meetingUrl".into(), json!(destination));
        }
        DestinationType::Conversation => {
            body.insert("conversationUrl".into(), json!(destination));
        }
        DestinationType::PersonalRoom => {
            let (user_id, org_id) = personal_room?;
            body.insert("userId".into(), json!(user_id));
            body.insert("orgId".into(), json!(org_id));
        }
        // A Locus destination is looked up by its locus id; a one-on-one call has no meeting
        // info.
        DestinationType::LocusId if lookup.locus_id.is_some() => {}
        DestinationType::LocusId | DestinationType::OneOnOne => return None,
    }
    body.insert("disableWebRedirect".into(), json!(true));
    if let Some(password) = &lookup.password {
        body.insert("password".into(), json!(password));
    }
    if let Some((id, code)) = &lookup.captcha {
        body.insert("captchaID".into(), json!(id));
        body.insert("captchaVerifyCode".into(), json!(code));
    }
    if let Some(locus_id) = &lookup.locus_id {
        body.insert("locusId".into(), json!(locus_id));
    }
    if let Some(token) = &lookup.permission_token {
        body.insert("permissionToken".into(), json!(token));
    }
    Some(Value::Object(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_match_the_js_sdk_per_type() {
        let none = InfoLookup::default();
        let number = request_body(DestinationType::MeetingNumber, "123456789", None, &none);
        assert_eq!(
            number,
            Some(json!({"supportHostKey": true, "supportCountryList": true,
                        "meetingKey": "123456789", "disableWebRedirect": true}))
        );
        let sip = request_body(DestinationType::SipUri, "a@b.c", None, &none).unwrap();
        assert_eq!(sip["sipUrl"], "a@b.c");
        let link = request_body(DestinationType::MeetingLink, "https://x", None, &none).unwrap();
        assert_eq!(link["meetingUrl"], "https://x");
        let pmr = request_body(DestinationType::PersonalRoom, "", Some(("u", "o")), &none).unwrap();
        assert_eq!(
            (pmr["userId"].as_str(), pmr["orgId"].as_str()),
            (Some("u"), Some("o"))
        );
        assert_eq!(
            request_body(DestinationType::OneOnOne, "a@b", None, &none),
            None
        );
    }

    #[test]
    fn password_and_captcha_are_added() {
        let lookup = InfoLookup {
            password: Some("pw".into()),
            captcha: Some(("cid".into(), "code".into())),
            ..InfoLookup::default()
        };
        let body = request_body(DestinationType::MeetingNumber, "1", None, &lookup).unwrap();
        assert_eq!(body["password"], "pw");
        assert_eq!(body["captchaID"], "cid");
        assert_eq!(body["captchaVerifyCode"], "code");
        let debug = format!("{lookup:?}");
        assert!(
            !debug.contains("pw\"") && debug.contains("<redacted>"),
            "{debug}"
        );
    }
}
