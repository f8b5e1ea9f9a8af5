//! The one safe way to change a catalogue on disk. Every command that writes `notifications.toml`
//! (`toggle`, `edit`, and later `import` and `migrate`) goes through here, so all of them get the
//! same guarantees:
//!
//! - **Serialised**: an exclusive lock on `NAME.lock` beside the catalogue is held from the read
//!   to the end of the write, waiting at most [`WriteOptions::lock_timeout`] for another writer.
//! - **Checked against what the caller saw**: [`WriteOptions::expect_revision`] refuses the
//!   change when the file has moved on ([`StoreError::RevisionMoved`]).
//! - **Format-preserving**: changes are made on the [`toml_edit`] document (see [`document`]), so
//!   comments, blank lines, key order, dotted keys and quoting survive; only the changed values
//!   and `revision` differ.
//! - **Never broken**: the new text must load with [`crate::catalogue::parse`] before it is
//!   written ([`StoreError::WouldNotLoad`]).
//! - **Atomic**: a temporary file in the same folder, flushed, then renamed over the catalogue
//!   (see [`atomic`]); a process killed at any instant leaves the old file or the new one.
//! - **Counted and recorded**: `revision` goes up by exactly one per change-making command, and
//!   one line is appended to the history ([`history`]) under the same lock. A change made by
//!   other means since the last entry is recorded in the next one ([`history::HandEdit`]).
//!
//! Use: open a [`Transaction`], look at [`Transaction::catalogue`] (read under the lock), change
//! [`Transaction::document_mut`] and describe what changed as [`Change`]s, optionally
//! [`Transaction::preview`] the result (to run `check` on it), then [`Transaction::commit`]. A
//! command that writes a whole new file uses [`create`]. Dropping a transaction without
//! committing writes nothing and releases the lock.
//!
//! ```no_run
//! # use crvs_comms::store::{self, Transaction, WriteOptions};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let options = WriteOptions::new("amina", "toggle birthRegistrationNotification --off");
//! let mut tx = Transaction::begin("notifications.toml".as_ref(), &options)?;
//! let change = store::document::set_enabled(tx.document_mut(), "birthRegistrationNotification", false)?;
//! let outcome = tx.commit(change.into_iter().collect())?;
//! # Ok(()) }
//! ```

pub mod atomic;
pub mod document;
pub mod history;
pub mod lock;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use toml_edit::DocumentMut;

use crate::catalogue::{self, Catalogue, DEFAULT_HISTORY_FILE, Loaded};
use crate::findings::Finding;
use history::{Appender, Entry, HandEdit};

/// How long a writer waits for another one to finish, unless told otherwise.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(5);

/// What the caller asks of a write.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    /// Show what would change and write nothing (no lock, no history).
    pub dry_run: bool,
    /// Refuse unless the catalogue is still at this revision.
    pub expect_revision: Option<i64>,
    /// How long to wait for the lock before giving up.
    pub lock_timeout: Duration,
    /// Who makes the change, for the history.
    pub actor: String,
    /// The command as typed, for the history.
    pub command: String,
}

impl WriteOptions {
    pub fn new(actor: impl Into<String>, command: impl Into<String>) -> WriteOptions {
        WriteOptions {
            dry_run: false,
            expect_revision: None,
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            actor: actor.into(),
            command: command.into(),
        }
    }
}

/// One value a command changed, as the history records it. `key` is the notification (none for
/// file-wide changes); `old` is absent for a value that is new, `new` for one that was removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub key: Option<String>,
    pub field: String,
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
}

/// How a write ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Nothing differed from the file: nothing written, no new revision, no history entry.
    Unchanged { revision: i64 },
    /// A dry run: the unified diff of the catalogue that would result.
    DryRun {
        revision: i64,
        diff: String,
        changes: Vec<Change>,
    },
    /// Written at `revision`, and recorded.
    Written {
        revision: i64,
        changes: Vec<Change>,
        hand_edit: Option<HandEdit>,
    },
}

/// Why a write did not happen. In every case but [`StoreError::HistoryNotWritten`], the catalogue
/// on disk is exactly as it was.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0} is a folder, not a catalogue file")]
    NotAFile(PathBuf),
    #[error("{0} is read-only; make it writable (chmod u+w) to change it")]
    ReadOnlyFile(PathBuf),
    #[error(
        "the folder {0} is read-only; changes are written to a new file beside the catalogue and renamed over it, so the folder must be writable"
    )]
    ReadOnlyFolder(PathBuf),
    #[error(
        "another command is changing {path}: its lock ({lock}) was still held after {:.1}s",
        waited.as_secs_f64()
    )]
    Locked {
        path: PathBuf,
        lock: PathBuf,
        waited: Duration,
    },
    #[error("{path} is at revision {found}, not {expected}: it changed since you read it")]
    RevisionMoved {
        path: PathBuf,
        expected: i64,
        found: i64,
    },
    #[error("{path} does not load")]
    DoesNotLoad {
        path: PathBuf,
        findings: Vec<Finding>,
    },
    #[error("the change would leave {path} unable to load, so nothing was written")]
    WouldNotLoad {
        path: PathBuf,
        findings: Vec<Finding>,
    },
    #[error("{0} already exists; it is never overwritten by a new catalogue")]
    AlreadyExists(PathBuf),
    #[error("{path}: {source}")]
    Document {
        path: PathBuf,
        #[source]
        source: document::DocumentError,
    },
    #[error(
        "{path} was written at revision {revision}, but its history entry could not be added to {history}: {source}"
    )]
    HistoryNotWritten {
        path: PathBuf,
        revision: i64,
        history: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl StoreError {
    fn io(action: &'static str, path: &Path, source: std::io::Error) -> StoreError {
        StoreError::Io {
            action,
            path: path.to_owned(),
            source,
        }
    }

    /// The findings that explain the error, for the errors that have them.
    pub fn findings(&self) -> &[Finding] {
        match self {
            StoreError::DoesNotLoad { findings, .. }
            | StoreError::WouldNotLoad { findings, .. } => findings,
            _ => &[],
        }
    }
}

/// A change to one catalogue in progress, holding its lock (unless a dry run).
#[derive(Debug)]
pub struct Transaction {
    /// The path as the user gave it: what messages show and relative paths resolve against.
    path: PathBuf,
    /// The file actually replaced (symbolic links followed, so a link is not replaced by a file).
    target: PathBuf,
    options: WriteOptions,
    _lock: Option<lock::Lock>,
    metadata: fs::Metadata,
    original: String,
    loaded: Loaded,
    document: DocumentMut,
    revision: i64,
    hand_edit: Option<HandEdit>,
}

/// The catalogue a transaction would write.
#[derive(Debug)]
pub struct Preview {
    pub revision: i64,
    pub text: String,
    pub loaded: Loaded,
}

impl Transaction {
    /// Locks the catalogue (waiting at most the lock timeout), reads it, and checks it is still at
    /// the expected revision.
    pub fn begin(path: &Path, options: &WriteOptions) -> Result<Transaction, StoreError> {
        let target = catalogue_file(path)?;
        let lock = if options.dry_run {
            None
        } else {
            check_writable(path, &target)?;
            Some(lock::acquire(&target, options.lock_timeout)?)
        };
        // Read under the lock: this is the file the write will replace.
        let metadata = fs::metadata(&target)
            .map_err(|source| StoreError::io("open the catalogue", path, source))?;
        let bytes = fs::read(&target)
            .map_err(|source| StoreError::io("read the catalogue", path, source))?;
        let (original, loaded) = parse_bytes(path, &bytes)?;
        let document = original
            .parse::<DocumentMut>()
            .map_err(|_| StoreError::DoesNotLoad {
                path: path.to_owned(),
                findings: loaded.findings.clone(),
            })?;
        let revision = document::revision(&document).unwrap_or(0);
        if let Some(expected) = options.expect_revision
            && expected != revision
        {
            return Err(StoreError::RevisionMoved {
                path: path.to_owned(),
                expected,
                found: revision,
            });
        }
        let hand_edit = notice_hand_edit(&history_path(path, &document), revision, &bytes)?;
        Ok(Transaction {
            path: path.to_owned(),
            target,
            options: options.clone(),
            _lock: lock,
            metadata,
            original,
            loaded,
            document,
            revision,
            hand_edit,
        })
    }

    /// The revision the catalogue is at.
    pub fn revision(&self) -> i64 {
        self.revision
    }

    /// The catalogue's text as read.
    pub fn original(&self) -> &str {
        &self.original
    }

    /// The catalogue as read, with its load findings (it may not have loaded).
    pub fn loaded(&self) -> &Loaded {
        &self.loaded
    }

    /// The catalogue as read; an error when it does not load cleanly.
    pub fn catalogue(&self) -> Result<&Catalogue, StoreError> {
        match &self.loaded.catalogue {
            Some(catalogue) if !self.loaded.has_errors() => Ok(catalogue),
            _ => Err(StoreError::DoesNotLoad {
                path: self.path.clone(),
                findings: self
                    .loaded
                    .findings
                    .iter()
                    .filter(|f| f.is_error())
                    .cloned()
                    .collect(),
            }),
        }
    }

    /// A change the history did not record, noticed on reading.
    pub fn hand_edit(&self) -> Option<&HandEdit> {
        self.hand_edit.as_ref()
    }

    pub fn document(&self) -> &DocumentMut {
        &self.document
    }

    pub fn document_mut(&mut self) -> &mut DocumentMut {
        &mut self.document
    }

    /// Replaces the whole document (for a command that rewrites the file, like a migration).
    pub fn replace_document(&mut self, document: DocumentMut) {
        self.document = document;
    }

    /// The catalogue that committing would write, loaded; `None` when nothing changed.
    pub fn preview(&self) -> Result<Option<Preview>, StoreError> {
        if self.document.to_string() == self.original {
            return Ok(None);
        }
        let mut document = self.document.clone();
        let revision = self.revision + 1;
        document::set_revision(&mut document, revision);
        let text = document.to_string();
        let loaded = catalogue::parse(&self.path, &self.path.display().to_string(), text.clone());
        if loaded.catalogue.is_none() || loaded.has_errors() {
            return Err(StoreError::WouldNotLoad {
                path: self.path.clone(),
                findings: loaded
                    .findings
                    .into_iter()
                    .filter(Finding::is_error)
                    .collect(),
            });
        }
        Ok(Some(Preview {
            revision,
            text,
            loaded,
        }))
    }

    /// Writes the changed document with `revision` one higher and records `changes` in the
    /// history; writes nothing when the document is unchanged or for a dry run.
    pub fn commit(self, changes: Vec<Change>) -> Result<Outcome, StoreError> {
        let Some(preview) = self.preview()? else {
            return Ok(Outcome::Unchanged {
                revision: self.revision,
            });
        };
        if self.options.dry_run {
            return Ok(Outcome::DryRun {
                revision: preview.revision,
                diff: unified_diff(&self.path, &self.original, &preview.text),
                changes,
            });
        }
        let history_path = history_path(&self.path, &self.document);
        let appender = Appender::open(&history_path)
            .map_err(|source| StoreError::io("open the history", &history_path, source))?;
        atomic::write(&self.target, preview.text.as_bytes(), Some(&self.metadata))?;
        atomic::test_pause();
        let entry = self.entry(preview.revision, &preview.text, changes);
        appender
            .append(&entry)
            .map_err(|source| StoreError::HistoryNotWritten {
                path: self.path.clone(),
                revision: preview.revision,
                history: history_path,
                source,
            })?;
        Ok(Outcome::Written {
            revision: entry.revision,
            changes: entry.changes,
            hand_edit: entry.hand_edit,
        })
    }

    fn entry(&self, revision: i64, text: &str, changes: Vec<Change>) -> Entry {
        Entry {
            revision,
            timestamp: now(),
            actor: self.options.actor.clone(),
            command: self.options.command.clone(),
            changes,
            sha256: history::sha256_hex(text.as_bytes()),
            hand_edit: self.hand_edit.clone(),
        }
    }
}

/// Writes a brand-new catalogue (an import): refused when `path` exists; the text must load.
/// Same lock, atomic write and history as a [`Transaction`]; its revision is the text's own.
pub fn create(
    path: &Path,
    text: &str,
    options: &WriteOptions,
    changes: Vec<Change>,
) -> Result<Outcome, StoreError> {
    let folder = atomic::folder_of(path);
    let loaded = catalogue::parse(path, &path.display().to_string(), text.to_owned());
    let revision = match &loaded.catalogue {
        Some(catalogue) if !loaded.has_errors() => catalogue.revision,
        _ => {
            return Err(StoreError::WouldNotLoad {
                path: path.to_owned(),
                findings: loaded
                    .findings
                    .into_iter()
                    .filter(Finding::is_error)
                    .collect(),
            });
        }
    };
    if path.symlink_metadata().is_ok() {
        return Err(StoreError::AlreadyExists(path.to_owned()));
    }
    if options.dry_run {
        return Ok(Outcome::DryRun {
            revision,
            diff: unified_diff(path, "", text),
            changes,
        });
    }
    let folder_metadata =
        fs::metadata(folder).map_err(|source| StoreError::io("open the folder", folder, source))?;
    if folder_metadata.permissions().readonly() {
        return Err(StoreError::ReadOnlyFolder(folder.to_owned()));
    }
    let _lock = lock::acquire(path, options.lock_timeout)?;
    if path.symlink_metadata().is_ok() {
        return Err(StoreError::AlreadyExists(path.to_owned()));
    }
    let document: DocumentMut = text.parse().map_err(|_| StoreError::WouldNotLoad {
        path: path.to_owned(),
        findings: Vec::new(),
    })?;
    let history_path = history_path(path, &document);
    let appender = Appender::open(&history_path)
        .map_err(|source| StoreError::io("open the history", &history_path, source))?;
    atomic::write(path, text.as_bytes(), None)?;
    let entry = Entry {
        revision,
        timestamp: now(),
        actor: options.actor.clone(),
        command: options.command.clone(),
        changes,
        sha256: history::sha256_hex(text.as_bytes()),
        hand_edit: None,
    };
    appender
        .append(&entry)
        .map_err(|source| StoreError::HistoryNotWritten {
            path: path.to_owned(),
            revision,
            history: history_path,
            source,
        })?;
    Ok(Outcome::Written {
        revision,
        changes: entry.changes,
        hand_edit: None,
    })
}

/// The history file of a catalogue: `settings.history`, else the default, beside the catalogue.
pub fn history_path(catalogue: &Path, document: &DocumentMut) -> PathBuf {
    let relative = document::history_setting(document).unwrap_or(DEFAULT_HISTORY_FILE);
    catalogue.parent().unwrap_or(Path::new("")).join(relative)
}

/// The unified diff between two versions of a catalogue, as `--dry-run` shows it.
pub fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    let name = path.display().to_string();
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// The file a catalogue path names, symbolic links followed; it must exist and not be a folder.
fn catalogue_file(path: &Path) -> Result<PathBuf, StoreError> {
    let target = fs::canonicalize(path)
        .map_err(|source| StoreError::io("open the catalogue", path, source))?;
    if target.is_dir() {
        return Err(StoreError::NotAFile(path.to_owned()));
    }
    Ok(target)
}

/// A permission mode with no write bit is a request to leave the file alone, even for root (who
/// the operating system would let through); anyone else is also stopped by the system itself.
fn check_writable(path: &Path, target: &Path) -> Result<(), StoreError> {
    let metadata = fs::metadata(target)
        .map_err(|source| StoreError::io("open the catalogue", path, source))?;
    if metadata.permissions().readonly() {
        return Err(StoreError::ReadOnlyFile(path.to_owned()));
    }
    let folder = atomic::folder_of(target);
    let folder_metadata =
        fs::metadata(folder).map_err(|source| StoreError::io("open the folder", folder, source))?;
    if folder_metadata.permissions().readonly() {
        return Err(StoreError::ReadOnlyFolder(folder.to_owned()));
    }
    fs::OpenOptions::new()
        .write(true)
        .open(target)
        .map(drop)
        .map_err(|source| StoreError::io("open for writing", path, source))
}

/// Compares the file as read with what the history last recorded.
fn notice_hand_edit(
    history_path: &Path,
    revision: i64,
    bytes: &[u8],
) -> Result<Option<HandEdit>, StoreError> {
    let last = history::last_entry(history_path)
        .map_err(|source| StoreError::io("read the history", history_path, source))?;
    Ok(last.and_then(|last| HandEdit::between(&last, revision, bytes)))
}

fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<(String, Loaded), StoreError> {
    let display = path.display().to_string();
    match String::from_utf8(bytes.to_vec()) {
        Ok(text) => {
            let loaded = catalogue::parse(path, &display, text.clone());
            Ok((text, loaded))
        }
        Err(_) => {
            // `load` turns invalid UTF-8 into a finding with its position.
            let loaded = catalogue::load(path).map_err(|err| {
                StoreError::io("read the catalogue", path, std::io::Error::other(err))
            })?;
            Err(StoreError::DoesNotLoad {
                path: path.to_owned(),
                findings: loaded.findings,
            })
        }
    }
}

fn now() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

#[cfg(test)]
mod tests;
