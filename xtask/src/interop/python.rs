//! The Python suite: `webexpythonsdk` and `webex-bot` in a venv outside the
//! clone.
//!
//! The venv (`<cache>/venv`, made with `python3 -m venv`) is reused across
//! runs. `interop/python/requirements.txt` pins the clients and everything
//! they pull in; it is installed when the venv's copy of that file
//! (`<venv>/webex-rs-requirements.txt`, written after a successful install)
//! differs, so a warm run installs nothing.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::run_command;

/// The copy of requirements.txt that says what the venv holds.
const STAMP: &str = "webex-rs-requirements.txt";

/// Make or reuse the venv, install the pinned clients if needed, and return
/// the command that runs `interop/python/run.py`.
pub(super) fn prepare(root: &Path, cache: &Path) -> Result<Command, String> {
    let python = install(root, cache)?;
    let mut command = Command::new(&python);
    command
        .arg(root.join("interop/python/run.py"))
        .current_dir(root)
        // Our own files only; keep the clone free of __pycache__.
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONUNBUFFERED", "1");
    Ok(command)
}

/// Make or reuse the venv and install the pinned client if needed; the venv's
/// `python`.
pub(crate) fn install(root: &Path, cache: &Path) -> Result<PathBuf, String> {
    let suite = root.join("interop/python");
    let requirements_path = suite.join("requirements.txt");
    let requirements = fs::read_to_string(&requirements_path)
        .map_err(|error| format!("cannot read {}: {error}", requirements_path.display()))?;
    let venv = cache.join("venv");
    let python = venv.join("bin/python");

    if !runs(&python) {
        if venv.exists() {
            eprintln!("interop: {} is broken; making it again", venv.display());
            fs::remove_dir_all(&venv)
                .map_err(|error| format!("cannot remove {}: {error}", venv.display()))?;
        }
        let mut command = Command::new("python3");
        command.args(["-m", "venv"]).arg(&venv);
        run_command(command)?;
    }

    let stamp = venv.join(STAMP);
    if fs::read_to_string(&stamp).ok().as_deref() == Some(requirements.as_str()) {
        eprintln!("interop: {} is up to date", venv.display());
    } else {
        let mut command = Command::new(&python);
        command
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(&requirements_path);
        run_command(command)?;
        fs::write(&stamp, &requirements)
            .map_err(|error| format!("cannot write {}: {error}", stamp.display()))?;
    }

    Ok(python)
}

/// Whether `python` exists and starts (a venv breaks when its base Python
/// moves or is upgraded).
fn runs(python: &Path) -> bool {
    python.is_file()
        && Command::new(python)
            .args(["-c", "import sys"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
}
