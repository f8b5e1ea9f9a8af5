//! The audit history: one JSON line per command that changed the catalogue, appended beside it
//! (`notifications.audit.jsonl` unless `settings.history` says otherwise) while the writer still
//! holds the lock. Each line carries a SHA-256 of the catalogue as written, so the next writer can
//! tell when the file was changed by other means since (a hand edit, a `git checkout`) and say so.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Change;

/// One command's change to the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The revision the command wrote.
    pub revision: i64,
    /// When, in UTC (RFC 3339).
    pub timestamp: String,
    pub actor: String,
    pub command: String,
    pub changes: Vec<Change>,
    /// SHA-256 of the catalogue file as the command wrote it.
    pub sha256: String,
    /// Set when the file the command started from was not the one the history last recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hand_edit: Option<HandEdit>,
}

/// A change to the catalogue that the history did not record, noticed by the next writer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandEdit {
    /// The revision and file hash of the last history entry.
    pub recorded_revision: i64,
    pub recorded_sha256: String,
    /// The revision and file hash the command found.
    pub found_revision: i64,
    pub found_sha256: String,
}

impl HandEdit {
    /// Compares the last recorded entry with the file as found; `None` when they agree.
    pub fn between(last: &Entry, found_revision: i64, found_text: &[u8]) -> Option<HandEdit> {
        let found_sha256 = sha256_hex(found_text);
        (found_sha256 != last.sha256).then(|| HandEdit {
            recorded_revision: last.revision,
            recorded_sha256: last.sha256.clone(),
            found_revision,
            found_sha256,
        })
    }

    pub fn describe(&self) -> String {
        if self.recorded_revision == self.found_revision {
            format!(
                "the catalogue was edited by hand after revision {}: its content changed but its revision did not",
                self.recorded_revision
            )
        } else {
            format!(
                "the catalogue went from revision {} to {} without a history entry (a hand edit, a checkout, or an interrupted write)",
                self.recorded_revision, self.found_revision
            )
        }
    }
}

/// The history as read: its entries in the order they were written, and the line numbers of
/// lines that are not entries (a line cut short by a crash, or damaged by hand).
#[derive(Debug, Default)]
pub struct History {
    pub entries: Vec<Entry>,
    pub unreadable_lines: Vec<usize>,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Reads the whole history; a file that does not exist yet is an empty history.
pub fn read(path: &Path) -> std::io::Result<History> {
    let text = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(History::default()),
        Err(err) => return Err(err),
    };
    Ok(parse(&text))
}

pub fn parse(text: &str) -> History {
    let mut history = History::default();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str(line) {
            Ok(entry) => history.entries.push(entry),
            Err(_) => history.unreadable_lines.push(index + 1),
        }
    }
    history
}

/// The last readable entry, reading only the end of the file when it is large.
pub fn last_entry(path: &Path) -> std::io::Result<Option<Entry>> {
    const TAIL: u64 = 64 * 1024;
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(err),
    };
    let length = file.metadata()?.len();
    let start = length.saturating_sub(TAIL);
    file.seek(SeekFrom::Start(start))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    let text = String::from_utf8_lossy(&bytes);
    let found = text
        .lines()
        .rev()
        .find_map(|line| serde_json::from_str::<Entry>(line).ok());
    match found {
        None if start > 0 => Ok(read(path)?.entries.pop()),
        found => Ok(found),
    }
}

/// The history file, opened for appending before the catalogue is written, so that a history
/// that cannot be written stops the command before it changes anything.
#[derive(Debug)]
pub struct Appender {
    file: File,
}

impl Appender {
    pub fn open(path: &Path) -> std::io::Result<Appender> {
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)?;
        Ok(Appender { file })
    }

    /// Appends one entry as one line and flushes it to disk. A last line cut short by a crash
    /// is left as it is (it is evidence) and the entry starts on a line of its own.
    pub fn append(mut self, entry: &Entry) -> std::io::Result<()> {
        let mut line = serde_json::to_string(entry).map_err(std::io::Error::other)?;
        line.push('\n');
        if !self.ends_with_newline()? {
            line.insert(0, '\n');
        }
        self.file.write_all(line.as_bytes())?;
        self.file.sync_data()
    }

    fn ends_with_newline(&mut self) -> std::io::Result<bool> {
        let length = self.file.metadata()?.len();
        if length == 0 {
            return Ok(true);
        }
        self.file.seek(SeekFrom::Start(length - 1))?;
        let mut last = [0u8];
        self.file.read_exact(&mut last)?;
        Ok(last[0] == b'\n')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(revision: i64, text: &str) -> Entry {
        Entry {
            revision,
            timestamp: "2026-01-02T03:04:05Z".to_owned(),
            actor: "amina".to_owned(),
            command: "toggle x --off".to_owned(),
            changes: vec![Change {
                key: Some("x".to_owned()),
                field: "enabled".to_owned(),
                old: Some(serde_json::Value::Bool(true)),
                new: Some(serde_json::Value::Bool(false)),
            }],
            sha256: sha256_hex(text.as_bytes()),
            hand_edit: None,
        }
    }

    #[test]
    fn sha256_of_a_known_text() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn entries_are_one_json_line_each() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.jsonl");
        Appender::open(&path)
            .unwrap()
            .append(&entry(2, "a"))
            .unwrap();
        Appender::open(&path)
            .unwrap()
            .append(&entry(3, "b"))
            .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert_eq!(
            text.lines().next().unwrap(),
            r#"{"revision":2,"timestamp":"2026-01-02T03:04:05Z","actor":"amina","command":"toggle x --off","changes":[{"key":"x","field":"enabled","old":true,"new":false}],"sha256":"ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"}"#
        );
        assert_eq!(last_entry(&path).unwrap().unwrap().revision, 3);
    }

    #[test]
    fn a_line_cut_short_is_kept_apart_from_the_next_entry() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.jsonl");
        std::fs::write(&path, "{\"revision\":2,\"times").unwrap();
        Appender::open(&path)
            .unwrap()
            .append(&entry(3, "b"))
            .unwrap();
        let history = read(&path).unwrap();
        assert_eq!(history.unreadable_lines, [1]);
        assert_eq!(history.entries.len(), 1);
        assert_eq!(last_entry(&path).unwrap().unwrap().revision, 3);
    }

    #[test]
    fn a_missing_history_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("none.jsonl");
        assert!(read(&path).unwrap().entries.is_empty());
        assert!(last_entry(&path).unwrap().is_none());
    }

    #[test]
    fn hand_edits_are_told_apart_from_agreement() {
        let last = entry(4, "same");
        assert_eq!(HandEdit::between(&last, 4, b"same"), None);
        let edit = HandEdit::between(&last, 4, b"changed").unwrap();
        assert!(edit.describe().contains("edited by hand after revision 4"));
        let moved = HandEdit::between(&last, 6, b"changed").unwrap();
        assert!(moved.describe().contains("from revision 4 to 6"));
    }
}
