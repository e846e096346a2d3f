//! Checks an answer against the offer it answers before it is applied: every offered m-line
//! answered, in order, of the same kind, with the same mid, and all of them in the answer's
//! `BUNDLE` group when the offer bundled them.

use super::{SdpError, mid, parse};

/// What the checked answer says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerSummary {
    /// The media server's name: the first token of the answer's `o=` line (`homer`,
    /// `linus`); for metrics.
    pub media_server: String,
    /// The answered mids, in order.
    pub mids: Vec<Option<String>>,
}

/// Checks `answer` against `offer`.
///
/// # Errors
///
/// [`SdpError`] naming the first problem, e.g. [`SdpError::AnswerLacksMline`].
pub fn check_answer(offer: &str, answer: &str) -> Result<AnswerSummary, SdpError> {
    let offer = parse(offer)?;
    let answer = parse(answer)?;
    let offered = &offer.media_descriptions;
    let answered = &answer.media_descriptions;
    if answered.len() > offered.len() {
        return Err(SdpError::AnswerHasExtraMlines {
            offered: offered.len(),
            answered: answered.len(),
        });
    }
    for (index, offered_media) in offered.iter().enumerate() {
        let Some(answered_media) = answered.get(index) else {
            return Err(SdpError::AnswerLacksMline { index });
        };
        if offered_media.media_name.media != answered_media.media_name.media {
            return Err(SdpError::MediaKindMismatch {
                index,
                offered: offered_media.media_name.media.clone(),
                answered: answered_media.media_name.media.clone(),
            });
        }
        if mid(offered_media) != mid(answered_media) {
            return Err(SdpError::MidMismatch {
                index,
                offered: mid(offered_media).map(str::to_owned),
                answered: mid(answered_media).map(str::to_owned),
            });
        }
    }
    if let Some(bundled) = bundle_group(&offer) {
        let answer_group = bundle_group(&answer).unwrap_or_default();
        if let Some(missing) = bundled.iter().find(|m| !answer_group.contains(m)) {
            return Err(SdpError::NotBundled {
                mid: (*missing).to_owned(),
            });
        }
    }
    Ok(AnswerSummary {
        media_server: answer.origin.username.clone(),
        mids: answered.iter().map(|m| mid(m).map(str::to_owned)).collect(),
    })
}

/// The mids of the `a=group:BUNDLE` line, if any.
fn bundle_group(session: &::sdp::SessionDescription) -> Option<Vec<&str>> {
    session
        .attributes
        .iter()
        .filter(|a| a.key == "group")
        .filter_map(|a| a.value.as_deref())
        .find_map(|v| v.strip_prefix("BUNDLE"))
        .map(|mids| mids.split_whitespace().collect())
}
