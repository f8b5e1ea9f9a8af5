//! Replacing a file so that, whenever the process dies, the file is either entirely the old one or
//! entirely the new one: the new text goes to a temporary file in the same folder, is flushed to
//! disk, then renamed over the old file, and the folder entry is flushed too. Temporary files are
//! named `.NAME.crvs-tmp-PID-N`, so one left by a killed process is recognised and removed by the
//! next writer (which holds the lock, so no temporary file it sees can still be in use).

use std::fs::{self, File, OpenOptions, Permissions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::StoreError;

/// Writes `bytes` to `path` atomically; with `keep_from` (the old file's metadata), the new file
/// gets the old one's permissions, and its owner where the process may set it.
pub fn write(
    path: &Path,
    bytes: &[u8],
    keep_from: Option<&fs::Metadata>,
) -> Result<(), StoreError> {
    let folder = folder_of(path);
    remove_leftovers(path);
    let temp = TempFile::create(path)?;
    if let Some(metadata) = keep_from {
        keep_permissions(&temp, metadata)?;
    }
    temp.write_all(bytes)?;
    test_pause();
    temp.file
        .sync_all()
        .map_err(|source| StoreError::io("flush to disk", &temp.path, source))?;
    test_pause();
    temp.rename_over(path)?;
    test_pause();
    // Without this the rename itself may not survive a power cut.
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// The folder a path is in (`.` for a bare file name).
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

fn temp_prefix(path: &Path) -> String {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    format!(".{name}.crvs-tmp-")
}

/// Removes temporary files that killed writers left beside `path`. Only called under the lock.
pub fn remove_leftovers(path: &Path) {
    let prefix = temp_prefix(path);
    let Ok(entries) = fs::read_dir(folder_of(path)) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The temporary files currently beside `path` (for tests and diagnostics).
pub fn leftovers(path: &Path) -> Vec<PathBuf> {
    let prefix = temp_prefix(path);
    let Ok(entries) = fs::read_dir(folder_of(path)) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect()
}

/// A temporary file that removes itself unless it was renamed into place.
struct TempFile {
    path: PathBuf,
    file: File,
    renamed: bool,
}

impl TempFile {
    fn create(target: &Path) -> Result<TempFile, StoreError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = format!("{}{}-{n}", temp_prefix(target), std::process::id());
        let path = folder_of(target).join(name);
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|source| StoreError::io("create a temporary file", &path, source))?;
        Ok(TempFile {
            path,
            file,
            renamed: false,
        })
    }

    fn write_all(&self, bytes: &[u8]) -> Result<(), StoreError> {
        (&self.file)
            .write_all(bytes)
            .and_then(|()| (&self.file).flush())
            .map_err(|source| StoreError::io("write", &self.path, source))
    }

    fn rename_over(mut self, target: &Path) -> Result<(), StoreError> {
        fs::rename(&self.path, target).map_err(|source| {
            StoreError::io("move the new catalogue into place at", target, source)
        })?;
        self.renamed = true;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.renamed {
            let _ = fs::remove_file(&self.path);
        }
    }
}

fn keep_permissions(temp: &TempFile, metadata: &fs::Metadata) -> Result<(), StoreError> {
    let permissions: Permissions = metadata.permissions();
    temp.file
        .set_permissions(permissions)
        .map_err(|source| StoreError::io("set the permissions of", &temp.path, source))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Only a privileged user can give the file away; anyone else keeps the file as theirs.
        let _ = std::os::unix::fs::fchown(&temp.file, Some(metadata.uid()), Some(metadata.gid()));
    }
    Ok(())
}

/// Test-only: `CRVS_COMMS_TEST_PAUSE_MS` makes every step of a write wait that long, so the tests
/// that kill a writer can land inside each step. Nothing outside the test suite sets it.
pub fn test_pause() {
    static PAUSE: std::sync::OnceLock<Option<Duration>> = std::sync::OnceLock::new();
    let pause = PAUSE.get_or_init(|| {
        std::env::var("CRVS_COMMS_TEST_PAUSE_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map(Duration::from_millis)
    });
    if let Some(pause) = pause {
        std::thread::sleep(*pause);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.toml");
        fs::write(&path, "old").unwrap();
        let metadata = fs::metadata(&path).unwrap();
        write(&path, b"new", Some(&metadata)).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert!(leftovers(&path).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.toml");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, Permissions::from_mode(0o640)).unwrap();
        let metadata = fs::metadata(&path).unwrap();
        write(&path, b"new", Some(&metadata)).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }

    #[test]
    fn leftovers_of_a_killed_writer_are_removed_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.toml");
        fs::write(&path, "old").unwrap();
        let stale = dir.path().join(".n.toml.crvs-tmp-99999-0");
        fs::write(&stale, "half").unwrap();
        let unrelated = dir.path().join(".other.crvs-tmp-1-0");
        fs::write(&unrelated, "keep").unwrap();
        write(&path, b"new", None).unwrap();
        assert!(!stale.exists());
        assert!(unrelated.exists());
    }

    #[test]
    fn a_failed_rename_removes_the_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.toml");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("inside"), "x").unwrap();
        let err = write(&path, b"new", None).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot move the new catalogue into place at"),
            "{err}"
        );
        assert!(leftovers(&path).is_empty());
        assert!(path.join("inside").exists());
    }
}
