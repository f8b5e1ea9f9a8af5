//! What crvs-comms last read from or wrote to each country-configuration repository: a SHA-256 per
//! file, kept beside the catalogue in `NAME.sync.json`. It is how `export` tells a file that only
//! lags behind the catalogue (the repository still holds what crvs-comms last saw, so updating it
//! loses nothing) from a file someone changed since (overwritten only with `--force`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{CSV_PATH, CountryConfig, EMAIL_TEMPLATES_DIR};
use crate::store::atomic;
use crate::store::history::sha256_hex;

/// The record, per repository (its absolute path), per file (relative to the repository).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRecord {
    #[serde(default)]
    pub repositories: BTreeMap<String, BTreeMap<String, String>>,
}

/// Why the record could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("cannot read {}: {cause}", path.display())]
    Read {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{} is damaged ({cause}); delete it, and export with --force once to start a new record", path.display())]
    Damaged {
        path: PathBuf,
        cause: serde_json::Error,
    },
    #[error("cannot write {}: {cause}", path.display())]
    Write {
        path: PathBuf,
        cause: crate::store::StoreError,
    },
}

impl SyncRecord {
    /// Where the record of the catalogue at `catalogue` is kept.
    pub fn path_for(catalogue: &Path) -> PathBuf {
        let mut name = catalogue.file_name().unwrap_or_default().to_os_string();
        name.push(".sync.json");
        catalogue.with_file_name(name)
    }

    /// Reads the record of a catalogue; none yet is an empty record.
    pub fn load(catalogue: &Path) -> Result<SyncRecord, SyncError> {
        let path = SyncRecord::path_for(catalogue);
        match std::fs::read(&path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes).map_err(|cause| SyncError::Damaged { path, cause })
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(SyncRecord::default()),
            Err(cause) => Err(SyncError::Read { path, cause }),
        }
    }

    /// Whether `bytes` are what the repository's `file` held when crvs-comms last saw it.
    pub fn is_last_seen(&self, root: &Path, file: &str, bytes: &[u8]) -> bool {
        self.repositories
            .get(&repository_key(root))
            .and_then(|files| files.get(file))
            .is_some_and(|hash| *hash == sha256_hex(bytes))
    }

    /// Notes that the repository's `file` holds `bytes` now.
    pub fn remember(&mut self, root: &Path, file: &str, bytes: &[u8]) {
        self.repositories
            .entry(repository_key(root))
            .or_default()
            .insert(file.to_owned(), sha256_hex(bytes));
    }

    /// Notes every file of a country configuration as it was read.
    pub fn remember_config(&mut self, root: &Path, config: &CountryConfig) {
        self.remember(root, CSV_PATH, &config.csv_bytes);
        for template in &config.templates {
            let file = format!("{EMAIL_TEMPLATES_DIR}/{}", template.path);
            self.remember(root, &file, &template.bytes);
        }
    }

    /// Writes the record beside the catalogue, atomically.
    pub fn save(&self, catalogue: &Path) -> Result<(), SyncError> {
        let path = SyncRecord::path_for(catalogue);
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        atomic::write(&path, text.as_bytes(), None)
            .map_err(|cause| SyncError::Write { path, cause })
    }
}

/// A repository is known by its absolute path, links resolved where it exists.
fn repository_key(root: &Path) -> String {
    std::fs::canonicalize(root)
        .or_else(|_| std::path::absolute(root))
        .unwrap_or_else(|_| root.to_owned())
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_known_by_repository_and_content() {
        let dir = tempfile::tempdir().unwrap();
        let catalogue = dir.path().join("notifications.toml");
        let repo = dir.path().join("cc");
        std::fs::create_dir(&repo).unwrap();
        let mut record = SyncRecord::load(&catalogue).unwrap();
        assert_eq!(record, SyncRecord::default());
        record.remember(&repo, "a.csv", b"one");
        record.save(&catalogue).unwrap();
        assert!(dir.path().join("notifications.toml.sync.json").is_file());
        let record = SyncRecord::load(&catalogue).unwrap();
        assert!(record.is_last_seen(&repo, "a.csv", b"one"));
        assert!(record.is_last_seen(&dir.path().join("./cc"), "a.csv", b"one"));
        assert!(!record.is_last_seen(&repo, "a.csv", b"two"));
        assert!(!record.is_last_seen(&repo, "b.csv", b"one"));
        assert!(!record.is_last_seen(dir.path(), "a.csv", b"one"));
    }

    #[test]
    fn a_damaged_record_says_how_to_start_again() {
        let dir = tempfile::tempdir().unwrap();
        let catalogue = dir.path().join("n.toml");
        std::fs::write(dir.path().join("n.toml.sync.json"), "{").unwrap();
        let err = SyncRecord::load(&catalogue).unwrap_err();
        assert!(
            err.to_string().contains("export with --force once"),
            "{err}"
        );
    }
}
