//! WDM's per-user device limit: a registration past it fails with the message "User has
//! excessive device registrations" (403). The JS SDK then deletes the oldest third of the
//! user's devices of its `deviceType`, which can include the user's own desktop or browser
//! clients. This client deletes only devices it registered itself (same `name`, `deviceType`
//! and `model`, see [`DevicesConfig::is_ours`]), never the one it holds.

use http::StatusCode;
use serde_json::{Map, Value};
use url::Url;
use webex_core::http::{Request, Target};
use webex_core::{Error, Result, Webex};

use crate::config::DevicesConfig;

/// The message of WDM's answer to a registration past the per-user limit, as the JS SDK
/// matches it.
const EXCESSIVE_REGISTRATIONS: &str = "excessive device registrations";

/// Whether `err` is WDM refusing a registration because the user holds too many devices.
pub(crate) fn is_excessive_registrations(err: &Error) -> bool {
    err.status().is_some_and(|s| s.is_client_error())
        && err
            .message()
            .to_ascii_lowercase()
            .contains(EXCESSIVE_REGISTRATIONS)
}

/// Lists the user's devices (`GET {wdm}/devices`) and deletes those registered by a client
/// with `config`, except `keep`. Returns how many were deleted; a device already gone counts.
pub(crate) async fn delete_our_stale_devices(
    webex: &Webex,
    config: &DevicesConfig,
    keep: Option<&Url>,
) -> Result<usize> {
    let res = webex
        .http()
        .send(Request::get(Target::service(crate::WDM, "devices")))
        .await?;
    let listing: Map<String, Value> = res.json()?;
    let Some(devices) = listing.get("devices").and_then(Value::as_array) else {
        return Err(res.invalid("WDM device listing without a `devices` array"));
    };
    let ours: Vec<Url> = devices
        .iter()
        .filter_map(Value::as_object)
        .filter(|device| config.is_ours(device))
        .filter_map(|device| device.get("url")?.as_str()?.parse::<Url>().ok())
        .filter(|url| Some(url) != keep)
        .collect();
    webex_core::log_info!(
        webex.logger(),
        "{} of the user's {} devices are this client's; deleting them",
        ours.len(),
        devices.len()
    );
    let mut deleted = 0;
    for url in ours {
        match webex.http().send(Request::delete(Target::Url(url))).await {
            Ok(_) => deleted += 1,
            Err(err) if err.status() == Some(StatusCode::NOT_FOUND) => deleted += 1,
            Err(err) => return Err(err),
        }
    }
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use webex_core::ErrorKind;

    #[test]
    fn recognises_the_wdm_error_and_nothing_else() {
        let excessive = Error::from_status(
            StatusCode::FORBIDDEN,
            "User has excessive device registrations",
        );
        assert!(is_excessive_registrations(&excessive));
        let other = Error::from_status(StatusCode::FORBIDDEN, "Forbidden");
        assert!(!is_excessive_registrations(&other));
        let local = Error::new(ErrorKind::InvalidInput, "excessive device registrations");
        assert!(!is_excessive_registrations(&local));
    }
}
