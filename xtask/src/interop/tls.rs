//! The TLS suite: the Python and Node clients against a second emulator,
//! started with `--tls`, that they trust only through the environment
//! variables a user would set to its `ca:` file: webexpythonsdk
//! (`REQUESTS_CA_BUNDLE`) and webex-bot (`SSL_CERT_FILE` for its websocket,
//! only its URL constants patched) over https and wss
//! (`interop/python/run_tls.py`), and the official JS SDK
//! (`NODE_EXTRA_CA_CERTS`) with a Mercury event over wss
//! (`interop/node/run_tls.js`). It uses the installs of the python and node
//! suites.

use std::path::Path;
use std::process::Command;

use super::{Run, node, python};

/// The variables each client reads its extra trusted CA from.
const TRUST_VARIABLES: &[&str] = &["REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS"];

/// Install the clients if needed; the two runs, each against the TLS
/// emulator.
pub(super) fn prepare(root: &Path, cache: &Path) -> Result<Vec<Run>, String> {
    let python = python::install(root, cache)?;
    let mut python_run = Command::new(python);
    python_run
        .arg(root.join("interop/python/run_tls.py"))
        .current_dir(root)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONUNBUFFERED", "1");
    let modules = node::install(root, cache)?;
    let mut node_run = Command::new("node");
    node_run
        .arg(root.join("interop/node/run_tls.js"))
        .current_dir(root)
        .env("NODE_PATH", modules);
    Ok(vec![
        Run::on_tls("tls-python", python_run),
        Run::on_tls("tls-node", node_run),
    ])
}

/// Makes the clients `command` runs trust the CA certificate `ca`.
pub(super) fn trust(command: &mut Command, ca: &Path) {
    for name in TRUST_VARIABLES {
        command.env(name, ca);
    }
}
