//! The person part of a membership create, shared by room and team memberships.

use serde::Serialize;
use webex_core::Result;

use crate::client::{invalid, require_opt};
use crate::id::PersonId;

/// Who to add, by id or by e-mail, and whether as a moderator. Flattened into a create body
/// next to the room or team id.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NewMember {
    #[serde(skip_serializing_if = "Option::is_none")]
    person_id: Option<PersonId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    person_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_moderator: Option<bool>,
}

impl NewMember {
    pub(crate) fn person_id(&mut self, person_id: PersonId) {
        self.person_id = Some(person_id);
    }

    pub(crate) fn person_email(&mut self, email: String) {
        self.person_email = Some(email);
    }

    pub(crate) fn is_moderator(&mut self, moderator: bool) {
        self.is_moderator = Some(moderator);
    }

    /// Checks for exactly one non-blank person id or e-mail; `kind` ("membership",
    /// "team membership") names the request in the error.
    pub(crate) fn check(&self, kind: &str) -> Result<()> {
        if self.person_id.is_some() == self.person_email.is_some() {
            return Err(invalid(format!(
                "a {kind} needs exactly one of person_id and person_email"
            )));
        }
        require_opt(
            "the person id",
            self.person_id.as_ref().map(|id| id.as_str()),
        )?;
        require_opt("the e-mail address", self.person_email.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::RoomId;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body {
        room_id: RoomId,
        #[serde(flatten)]
        member: NewMember,
    }

    #[test]
    fn flattens_next_to_the_parent_id_and_skips_unset_fields() {
        let mut member = NewMember::default();
        member.person_email("ada@example.com".into());
        let body = Body {
            room_id: "room".into(),
            member,
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"roomId":"room","personEmail":"ada@example.com"}"#
        );
    }

    #[test]
    fn needs_exactly_one_non_blank_person() {
        let none = NewMember::default();
        let err = none.check("team membership").unwrap_err();
        assert!(
            err.to_string()
                .contains("a team membership needs exactly one of person_id and person_email")
        );
        let mut both = NewMember::default();
        both.person_id("p".into());
        both.person_email("e".into());
        assert!(both.check("membership").is_err());
        let mut blank = NewMember::default();
        blank.person_email(" ".into());
        assert!(blank.check("membership").is_err());
        let mut ok = NewMember::default();
        ok.person_id("p".into());
        ok.is_moderator(true);
        assert!(ok.check("membership").is_ok());
    }
}
