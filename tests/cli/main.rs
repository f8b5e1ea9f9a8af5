//! The command-line tests: one binary that runs the real `crvs-comms` against fixture folders.
//! Topic files hold the cases; this file holds what they share.

#![allow(dead_code)]

mod check;
mod completions;
mod countryconfig;
mod diff;
mod junit;
mod list_show;
mod migrate;
mod store;
mod store_safety;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

mod preview;

/// The binary, with the environment pinned so output does not depend on the machine.
pub fn crvs() -> Command {
    let mut cmd = Command::cargo_bin("crvs-comms").expect("the crvs-comms binary is built");
    cmd.env("NO_COLOR", "1")
        .env("COLUMNS", "120")
        .env_remove("CRVS_COMMS_FILE")
        .env_remove("CRVS_COMMS_ACTOR");
    cmd
}

/// The repository's root (where the default catalogue is).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// A temporary copy of the repository's default catalogue and its templates.
pub fn default_catalogue_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::copy(
        repo().join("notifications.toml"),
        dir.path().join("notifications.toml"),
    )
    .unwrap();
    copy_tree(&repo().join("templates"), &dir.path().join("templates"));
    dir
}

pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The OpenCRVS country-configuration anchors beside the repository, when present.
pub fn anchors() -> Option<PathBuf> {
    let dir = repo().join("../shared/anchors");
    dir.is_dir().then_some(dir)
}

/// Parses a command's stdout as JSON.
pub fn stdout_json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "stdout is not JSON ({err}):\n{}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}
mod send_test;
