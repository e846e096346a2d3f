use super::{ServiceCatalog, ServiceGroup, parse_hostmap};
use crate::Result;
use crate::credentials::org_id_from_token;
use crate::http::{HttpClient, Request, Target};
use crate::logging::Logger;

/// Which catalog to ask U2C for.
#[derive(Debug, Clone)]
pub(crate) enum CatalogRequest {
    /// `limited/catalog`, no token, keyed by the first of orgId / mode.
    Limited { key: &'static str, value: String },
    /// `catalog`, with the token.
    Full,
}

/// Fetches one catalog and stores it in its group. `force` adds `timestamp=<ms>` so caches
/// along the way cannot answer.
pub(crate) async fn fetch(
    http: &HttpClient,
    catalog: &ServiceCatalog,
    logger: &Logger,
    request: CatalogRequest,
    force: bool,
) -> Result<()> {
    let (path, group) = match &request {
        CatalogRequest::Limited { .. } => ("limited/catalog", ServiceGroup::Preauth),
        CatalogRequest::Full => ("catalog", ServiceGroup::Postauth),
    };
    let mut req = Request::get(Target::service("u2c", path)).query("format", "hostmap");
    if let CatalogRequest::Limited { key, value } = &request {
        req = req.query(*key, value).without_auth();
    }
    if force {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        req = req.query("timestamp", ms);
    }
    let res = http.send(req).await?;
    let hostmap = parse_hostmap(res.body()).map_err(|why| {
        res.invalid(format!(
            "malformed service catalog from {}: {why}",
            res.uri()
                .map_or_else(|| "U2C".to_owned(), ToString::to_string)
        ))
    })?;
    for warning in &hostmap.warnings {
        crate::log_warn!(logger, "{warning}");
    }
    catalog.set_group(group, hostmap.services);
    Ok(())
}

/// The JS SDK's start-up sequence: the limited catalog without the token (keyed by the org id
/// read from the token, or by proximity without one), then the full catalog with the token.
/// A token that does not carry an org id skips straight to the full catalog.
pub(crate) async fn initialize(
    http: &HttpClient,
    catalog: &ServiceCatalog,
    logger: &Logger,
    token: Option<&str>,
    force: bool,
) -> Result<()> {
    let limited = match token {
        Some(token) => org_id_from_token(token).map(|org| CatalogRequest::Limited {
            key: "orgId",
            value: org,
        }),
        None => Some(CatalogRequest::Limited {
            key: "mode",
            value: "DEFAULT_BY_PROXIMITY".to_owned(),
        }),
    };
    if let Some(limited) = limited {
        fetch(http, catalog, logger, limited, force).await?;
    }
    if token.is_some() {
        fetch(http, catalog, logger, CatalogRequest::Full, force).await?;
    }
    Ok(())
}
