//! Every admin operation, and the answer to a request under `/_emulator/`
//! that is none of them: the list of those there are.
//!
//! Each control module that routes admin operations lists them in its own
//! `OPERATIONS` (`"METHOD /_emulator/path"`, `{name}` for a path
//! parameter), next to its routes; [`ALL`] gathers those lists. A test
//! checks that every listed operation is routed and every routed one
//! listed.

use axum::http::{Method, StatusCode};
use serde_json::{Map, Value};

use crate::kit::error::ApiError;

/// The `OPERATIONS` of every module that routes admin operations.
pub(crate) const ALL: &[&[&str]] = &[
    super::routes::OPERATIONS,
    super::state::OPERATIONS,
    super::devices::OPERATIONS,
    super::kms::OPERATIONS,
    super::client_logs::OPERATIONS,
    super::meetings::OPERATIONS,
    super::oauth::OPERATIONS,
    super::paired_devices::OPERATIONS,
    super::console::OPERATIONS,
    super::people::OPERATIONS,
    super::recent_requests::OPERATIONS,
];

/// Every admin operation, in the order of [`ALL`].
pub(crate) fn list() -> Vec<&'static str> {
    ALL.iter()
        .flat_map(|module| module.iter().copied())
        .collect()
}

/// The answer to `method path` under `/_emulator/` that no operation
/// serves: `status` (404 for an unknown path, 405 for a known path with
/// another method) with `{"message": "Unknown admin operation: METHOD
/// /path", "operations": [...]}`.
pub(crate) fn unknown(method: &Method, path: &str, status: StatusCode) -> ApiError {
    let operations = list().into_iter().map(Value::from).collect();
    let mut fields = Map::new();
    fields.insert("operations".to_owned(), Value::Array(operations));
    ApiError::new(status, format!("Unknown admin operation: {method} {path}")).with_fields(fields)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn operations_are_well_formed_and_listed_once() {
        let all = list();
        let unique: HashSet<&str> = all.iter().copied().collect();
        assert_eq!(unique.len(), all.len(), "an operation is listed twice");
        for operation in all {
            let (method, path) = operation.split_once(' ').expect("METHOD /path");
            assert!(
                matches!(method, "GET" | "POST" | "PUT" | "PATCH" | "DELETE"),
                "{operation}"
            );
            assert!(
                path.starts_with("/_emulator/") || path == "/_emulator",
                "{operation}"
            );
        }
    }
}
