//! Locus and meeting errors: a Webex error body plus Locus's numeric
//! `errorCode`, which clients branch on (the JS SDK turns the codes of
//! [`LOCKED`] and friends into an "intent to join" error that asks for a
//! host pin or the moderator flag).

use serde_json::{Map, Value};

use crate::kit::error::ApiError;

/// The meeting is locked and the client cannot wait in a lobby (one of
/// the JS SDK's intent-to-join codes).
pub(crate) const LOCKED: u64 = 2_423_005;
/// The meeting has a lobby and the client cannot wait in it (also an
/// intent-to-join code).
pub(crate) const LOBBY_UNSUPPORTED: u64 = 2_423_017;
/// Only a host or cohost may do this (invented).
pub(crate) const NOT_MODERATOR: u64 = 2_403_001;
/// A participant may only do this for themselves (invented).
pub(crate) const NOT_YOURSELF: u64 = 2_403_002;
/// Unmuting is not allowed now (invented).
pub(crate) const UNMUTE_DISALLOWED: u64 = 2_403_003;
/// Sharing is limited to hosts (invented).
pub(crate) const SHARE_NOT_ALLOWED: u64 = 2_403_004;
/// The device belongs to someone else (invented).
pub(crate) const NOT_YOUR_DEVICE: u64 = 2_403_005;
/// Only the caller and the callee take part in a call (invented).
pub(crate) const NOT_A_PARTY: u64 = 2_403_006;
/// No such locus or participant (invented).
pub(crate) const NOT_FOUND: u64 = 2_404_001;
/// The meeting has ended (invented).
pub(crate) const INACTIVE: u64 = 2_409_001;
/// The participant is not in the meeting (invented).
pub(crate) const NOT_JOINED: u64 = 2_409_002;
/// A malformed request (invented).
pub(crate) const BAD_REQUEST: u64 = 2_400_001;

/// `error` with Locus's `errorCode`.
pub(crate) fn coded(error: ApiError, code: u64) -> ApiError {
    let mut fields = Map::new();
    fields.insert("errorCode".to_owned(), Value::from(code));
    error.with_fields(fields)
}

/// 404: no such locus.
pub(crate) fn locus_not_found() -> ApiError {
    coded(ApiError::not_found("Locus not found."), NOT_FOUND)
}

/// 404: no such participant in the locus.
pub(crate) fn participant_not_found() -> ApiError {
    coded(ApiError::not_found("Participant not found."), NOT_FOUND)
}

/// 404: no meeting matches the destination.
pub(crate) fn meeting_not_found() -> ApiError {
    coded(ApiError::not_found("Meeting not found."), NOT_FOUND)
}

/// 403: only hosts and cohosts may do this.
pub(crate) fn not_moderator() -> ApiError {
    forbidden(NOT_MODERATOR, "Only a host or cohost may do this.")
}

/// 403: someone who is neither the caller nor the callee of a call.
pub(crate) fn not_a_party() -> ApiError {
    forbidden(
        NOT_A_PARTY,
        "Only the caller and the callee take part in a call.",
    )
}

/// 409: the meeting has ended.
pub(crate) fn inactive() -> ApiError {
    coded(ApiError::conflict("The meeting has ended."), INACTIVE)
}

/// 400 with Locus's code.
pub(crate) fn bad_request(message: &str) -> ApiError {
    coded(ApiError::bad_request(message), BAD_REQUEST)
}

/// 403 with `code`.
pub(crate) fn forbidden(code: u64, message: &str) -> ApiError {
    coded(ApiError::forbidden(message), code)
}
