//! The exclusive lock every writer holds around read–modify–write: an OS file lock on a file
//! beside the catalogue (`notifications.toml.lock`). The lock file itself is never deleted, since
//! deleting it while another process waits on it would let two writers in at once. The OS drops
//! the lock when the process ends, however it ends.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::StoreError;

/// Held while a command changes the catalogue; released when dropped.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// The lock file of a catalogue: its name with `.lock` added, in the same folder.
pub fn lock_path(catalogue: &Path) -> PathBuf {
    let mut name = catalogue.file_name().unwrap_or_default().to_owned();
    name.push(".lock");
    catalogue.with_file_name(name)
}

/// Takes the catalogue's lock, waiting up to `timeout` for another writer to finish.
pub fn acquire(catalogue: &Path, timeout: Duration) -> Result<Lock, StoreError> {
    let path = lock_path(catalogue);
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|source| StoreError::io("create the lock file", &path, source))?;
    let start = Instant::now();
    let mut pause = Duration::from_millis(1);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Lock { _file: file }),
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(source)) => {
                return Err(StoreError::io("lock", &path, source));
            }
        }
        let waited = start.elapsed();
        if waited >= timeout {
            return Err(StoreError::Locked {
                path: catalogue.to_owned(),
                lock: path,
                waited,
            });
        }
        std::thread::sleep(pause.min(timeout - waited));
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_then_gives_up() {
        let dir = tempfile::tempdir().unwrap();
        let catalogue = dir.path().join("n.toml");
        let held = acquire(&catalogue, Duration::ZERO).unwrap();
        let err = acquire(&catalogue, Duration::from_millis(30)).unwrap_err();
        match err {
            StoreError::Locked { waited, lock, .. } => {
                assert!(waited >= Duration::from_millis(30));
                assert_eq!(lock, dir.path().join("n.toml.lock"));
            }
            other => panic!("expected Locked, got {other}"),
        }
        drop(held);
        assert!(acquire(&catalogue, Duration::ZERO).is_ok());
    }
}
