use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The organisation id a token belongs to, read from the token itself as the JS SDK does
/// before it asks for the limited catalog: a JWT's `realm` claim, or else the last of exactly
/// three `_`-separated parts (`<opaque>_<cluster>_<orgUuid>`).
#[must_use]
pub fn org_id_from_token(token: &str) -> Option<String> {
    if let Some(realm) = jwt_realm(token) {
        return Some(realm);
    }
    let parts: Vec<&str> = token.split('_').collect();
    match parts.as_slice() {
        [_, _, org] if !org.is_empty() => Some((*org).to_owned()),
        _ => None,
    }
}

fn jwt_realm(token: &str) -> Option<String> {
    let mut parts = token.split('.');
    let (_header, payload, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("realm")?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_part_token_gives_its_last_part() {
        assert_eq!(
            org_id_from_token("ZmFrZQ_PF84_1eb65fdf-9643-417f-9974-ad72cae0e10f").as_deref(),
            Some("1eb65fdf-9643-417f-9974-ad72cae0e10f")
        );
    }

    #[test]
    fn other_shapes_give_none() {
        assert_eq!(org_id_from_token("plain"), None);
        assert_eq!(org_id_from_token("a_b_c_d"), None);
        assert_eq!(org_id_from_token("a_b_"), None);
    }

    #[test]
    fn jwt_realm_wins() {
        let payload = URL_SAFE_NO_PAD.encode(br#"{"realm":"org-1"}"#);
        assert_eq!(
            org_id_from_token(&format!("e30.{payload}.sig")).as_deref(),
            Some("org-1")
        );
    }
}
