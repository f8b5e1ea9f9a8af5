//! `import countryconfig` and `export countryconfig`, on a small 1.5 country configuration written
//! for the tests (`tests/fixtures/countryconfig-v1.5`) and on the real Farajaland files (those cases
//! skip where `../shared/anchors` is absent). This file holds what the two topic files share.

mod export;
mod import;

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{anchors, copy_tree, crvs, fixture};

pub const CSV: &str = "src/translations/notification.csv";
pub const EMAIL: &str = "src/api/notification/email-templates";

/// A temporary folder holding a copy of the test country configuration at `cc/`.
pub fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("countryconfig-v1.5"), &dir.path().join("cc"));
    dir
}

/// Lays out the anchors of one release as a country-configuration repository at `DIR/cc`.
pub fn anchor_workspace(release: &str) -> Option<(tempfile::TempDir, PathBuf)> {
    let source = anchors()?.join(format!("opencrvs-farajaland-{release}"));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("cc");
    std::fs::create_dir_all(root.join("src/translations")).unwrap();
    std::fs::copy(source.join("notification.csv"), root.join(CSV)).unwrap();
    copy_tree(&source.join("email-templates"), &root.join(EMAIL));
    Some((dir, source))
}

pub fn import(dir: &Path, extra: &[&str]) -> std::process::Output {
    crvs()
        .current_dir(dir)
        .args(["import", "countryconfig", "cc", "--format", "json"])
        .args(extra)
        .output()
        .unwrap()
}

pub fn export(dir: &Path, extra: &[&str]) -> std::process::Output {
    crvs()
        .current_dir(dir)
        .args(["export", "countryconfig", "cc", "--format", "json"])
        .args(extra)
        .output()
        .unwrap()
}

pub fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path).unwrap()
}

pub fn catalogue(dir: &Path) -> toml::Table {
    toml::from_str(&read(dir.join("notifications.toml"))).unwrap()
}

pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn states(report: &Value) -> Vec<(String, String)> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

pub fn history(dir: &Path) -> Vec<Value> {
    read(dir.join("notifications.audit.jsonl"))
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}
