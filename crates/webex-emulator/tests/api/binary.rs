//! The `webex-emulator` binary.

use crate::client::Http;
use crate::process::{base_url, emulator};

#[tokio::test]
async fn binary_prints_its_base_url_first() {
    let (_child, base) = base_url(emulator(&[])).await;
    assert!(base.starts_with("http://127.0.0.1:"), "{base:?}");
    assert!(!base.ends_with("/"));

    let health = Http::for_base(base).get("/_emulator/health").await;
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
}
