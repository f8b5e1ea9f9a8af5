//! The evidence that writes are safe: concurrent writers serialise, a writer killed at any instant
//! leaves the old catalogue or the new one and no debris, and a write that cannot happen (read-only
//! file or folder, a folder in the file's place, the disk refusing the bytes) fails clearly with
//! exit 2 and loses nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::{crvs, default_catalogue_copy};

const BINARY: &str = env!("CARGO_BIN_EXE_crvs-comms");

fn catalogue(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("notifications.toml")
}

/// The real binary, for tests that spawn it many times or kill it.
fn binary(file: &Path) -> Command {
    let mut command = Command::new(BINARY);
    command
        .env("NO_COLOR", "1")
        .env("CRVS_COMMS_ACTOR", "load-test")
        .env_remove("CRVS_COMMS_FILE")
        .arg("--file")
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

fn revision_of(text: &str) -> i64 {
    let loaded = crvs_comms::catalogue::parse(Path::new("n.toml"), "n.toml", text.to_owned());
    assert!(!loaded.has_errors(), "{:?}", loaded.findings);
    loaded.catalogue.unwrap().revision
}

fn enabled(text: &str, key: &str) -> bool {
    let loaded = crvs_comms::catalogue::parse(Path::new("n.toml"), "n.toml", text.to_owned());
    loaded.catalogue.unwrap().notifications[key].enabled
}

/// The catalogue text with `key` switched to `on` and the revision one higher, computed by plain
/// text replacement (independently of the code under test).
fn toggled(text: &str, key: &str, on: bool) -> String {
    let section = text.find(&format!("[notifications.{key}]")).unwrap();
    let (from, to) = if on {
        ("enabled = false", "enabled = true")
    } else {
        ("enabled = true", "enabled = false")
    };
    let at = section + text[section..].find(from).unwrap();
    let mut out = text.to_owned();
    out.replace_range(at..at + from.len(), to);
    let revision = revision_of(text);
    out.replacen(
        &format!("\nrevision = {revision}\n"),
        &format!("\nrevision = {}\n", revision + 1),
        1,
    )
}

fn temporary_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".crvs-tmp-"))
        .collect()
}

#[test]
fn two_processes_toggling_at_once_lose_no_change() {
    let dir = default_catalogue_copy();
    let file = catalogue(&dir);
    let (a, b) = (
        "birthRegistrationNotification",
        "deathRegistrationNotification",
    );
    // B starts off, so the two end in different states.
    let status = binary(&file).args(["toggle", b, "--off"]).status().unwrap();
    assert!(status.success());
    let start = revision_of(&std::fs::read_to_string(&file).unwrap());

    let toggle_100_times = |key: &'static str, first_on: bool| {
        let file = file.clone();
        std::thread::spawn(move || {
            for i in 0..100 {
                let on = (i % 2 == 0) == first_on;
                let output = binary(&file)
                    .args(["toggle", key, if on { "--on" } else { "--off" }])
                    .args(["--lock-timeout", "60s"])
                    .output()
                    .unwrap();
                assert!(
                    output.status.success(),
                    "{key} #{i}: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
            }
        })
    };
    let first = toggle_100_times(a, false);
    let second = toggle_100_times(b, true);
    first.join().unwrap();
    second.join().unwrap();

    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(revision_of(&text), start + 200);
    // A went off, on, …: its 100th toggle switched it on; B's switched it off.
    assert!(enabled(&text, a));
    assert!(!enabled(&text, b));
    let history = std::fs::read_to_string(dir.path().join("notifications.audit.jsonl")).unwrap();
    let entries: Vec<serde_json::Value> = history
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(entries.len(), 201);
    let revisions: Vec<i64> = entries[1..]
        .iter()
        .map(|e| e["revision"].as_i64().unwrap())
        .collect();
    let expected: Vec<i64> = (start + 1..=start + 200).collect();
    assert_eq!(revisions, expected, "one entry per revision, in order");
    for key in [a, b] {
        let count = entries[1..]
            .iter()
            .filter(|e| e["changes"][0]["key"] == key)
            .count();
        assert_eq!(count, 100, "{key}");
    }
    assert!(entries.iter().all(|e| e.get("hand_edit").is_none()));
    assert!(temporary_files(dir.path()).is_empty());
}

#[cfg(unix)]
#[test]
fn a_writer_killed_at_any_moment_leaves_the_old_file_or_the_new_one() {
    let dir = default_catalogue_copy();
    let file = catalogue(&dir);
    let key = "birthRegistrationNotification";
    // Spread the kills over the time a whole run takes on this machine (measured, so a slow or
    // busy machine still gets kills before the lock, mid-write and after the rename).
    let started = std::time::Instant::now();
    let status = binary(&file)
        .args(["toggle", key, "--off"])
        .env("CRVS_COMMS_TEST_PAUSE_MS", "2")
        .status()
        .unwrap();
    assert!(status.success());
    let whole_run = started.elapsed().mul_f64(1.2);
    let (mut kept_old, mut got_new, mut killed_mid_write) = (0, 0, 0);
    let mut previous_leftovers = Vec::new();
    for i in 0..200u64 {
        let old = std::fs::read_to_string(&file).unwrap();
        let on = !enabled(&old, key);
        let new = toggled(&old, key, on);
        let mut child = binary(&file)
            .args(["toggle", key, if on { "--on" } else { "--off" }])
            // Test-only: widens each step of the write, so the kills land inside them.
            .env("CRVS_COMMS_TEST_PAUSE_MS", "2")
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Up to one and a half runs: a third of the kills come after a run as long as the measured
        // one, so a machine that slows down during the loop still sees complete writes.
        std::thread::sleep(whole_run.mul_f64(((i * 7919) % 1000) as f64 * 1.5 / 1000.0));
        let _ = child.kill();
        child.wait().unwrap();

        let after = std::fs::read_to_string(&file).unwrap();
        if after == old {
            kept_old += 1;
        } else {
            assert_eq!(
                after, new,
                "kill #{i} left a catalogue that is neither old nor new"
            );
            got_new += 1;
        }
        revision_of(&after);
        let leftovers = temporary_files(dir.path());
        assert!(
            leftovers.len() <= 1,
            "temporary files accumulate: {leftovers:?}"
        );
        if !leftovers.is_empty() && leftovers != previous_leftovers {
            killed_mid_write += 1;
        }
        previous_leftovers = leftovers;
    }
    // The kills must have landed on both sides of the rename, and inside the write itself.
    let spread = format!("old {kept_old}, new {got_new}, mid-write {killed_mid_write}");
    assert!(
        kept_old > 0 && got_new > 0 && killed_mid_write > 0,
        "{spread}"
    );
    eprintln!("kills: {spread}");

    // The next complete write clears what a killed one left.
    let output = binary(&file)
        .args(["toggle", key, "--on"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let output = binary(&file)
        .args(["toggle", key, "--off"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(temporary_files(dir.path()), Vec::<String>::new());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!enabled(&text, key));
}

/// Runs a toggle that must fail with exit 2, and checks the catalogue and history are untouched.
fn assert_refused_with_nothing_lost(dir: &tempfile::TempDir, file: &Path, message: &str) {
    let before = std::fs::read(dir.path().join("notifications.toml")).ok();
    let output = crvs()
        .arg("--file")
        .arg(file)
        .args(["toggle", "birthRegistrationNotification", "--off"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(message),
        "expected `{message}` in: {stderr}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("notifications.toml")).ok(),
        before
    );
    assert!(!dir.path().join("notifications.audit.jsonl").exists());
    assert!(temporary_files(dir.path()).is_empty());
}

#[cfg(unix)]
#[test]
fn a_read_only_catalogue_is_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = default_catalogue_copy();
    let file = catalogue(&dir);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    // Checked on the permission bits, so it holds for root too (whom the system would let write).
    assert_refused_with_nothing_lost(&dir, &file, "is read-only; make it writable (chmod u+w)");
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_is_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = default_catalogue_copy();
    let file = catalogue(&dir);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    // Checked on the permission bits, so it holds for root too; for others the system agrees.
    assert_refused_with_nothing_lost(
        &dir,
        &file,
        "is read-only; changes are written to a new file beside",
    );
    assert!(!dir.path().join("notifications.toml.lock").exists());
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn a_folder_in_place_of_the_catalogue_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let file = catalogue(&dir);
    std::fs::create_dir(&file).unwrap();
    assert_refused_with_nothing_lost(&dir, &file, "is a folder, not a catalogue file");
}

#[test]
fn a_missing_catalogue_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let file = catalogue(&dir);
    assert_refused_with_nothing_lost(&dir, &file, "pass the catalogue with --file PATH");
    assert!(!dir.path().join("notifications.toml.lock").exists());
}

/// A full disk, simulated portably: a file-size limit (`ulimit -f`) below the catalogue's size
/// makes the kernel refuse the write partway through (EFBIG), on the same path as ENOSPC.
#[cfg(unix)]
#[test]
fn a_write_the_disk_refuses_partway_loses_nothing() {
    let dir = default_catalogue_copy();
    let file = catalogue(&dir);
    let before = std::fs::read(&file).unwrap();
    assert!(before.len() > 10 * 1024);
    let script = "trap '' XFSZ; ulimit -f 8 && exec \"$0\" --file \"$1\" toggle birthRegistrationNotification --off";
    let output = Command::new("sh")
        .args(["-c", script, BINARY])
        .arg(&file)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert!(stderr.contains("File too large"), "{stderr}");
    assert_eq!(std::fs::read(&file).unwrap(), before);
    assert!(temporary_files(dir.path()).is_empty());
    let history = std::fs::read(dir.path().join("notifications.audit.jsonl")).unwrap_or_default();
    assert!(
        history.is_empty(),
        "no entry for a change that did not happen"
    );
}

#[cfg(unix)]
#[test]
fn permissions_and_symbolic_links_survive_a_write() {
    use std::os::unix::fs::PermissionsExt;
    let dir = default_catalogue_copy();
    let file = catalogue(&dir);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("current.toml");
    std::os::unix::fs::symlink("notifications.toml", &link).unwrap();
    let output = binary(&link)
        .args(["toggle", "birthRegistrationNotification", "--off"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
    assert!(!enabled(
        &std::fs::read_to_string(&file).unwrap(),
        "birthRegistrationNotification"
    ));
}
