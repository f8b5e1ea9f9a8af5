//! `export countryconfig`: files written back (and what is refused), the toggles, and the round
//! trip of the Farajaland v1.5.0 and v1.9.12 files, plus `check` on the imported 1.5 files.

use serde_json::json;

use super::*;
use crate::{crvs, default_catalogue_copy, fixture, stdout_json};

#[test]
fn export_writes_the_configuration_back_and_creates_missing_folders() {
    let dir = workspace();
    assert_eq!(import(dir.path(), &[]).status.code(), Some(0));
    let fresh = dir.path().join("fresh");
    let output = crvs()
        .current_dir(dir.path())
        .args(["export", "countryconfig", "fresh"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        std::fs::read(fresh.join(CSV)).unwrap(),
        std::fs::read(dir.path().join("cc").join(CSV)).unwrap()
    );
    for template in [
        "death/rejection.html",
        "other/office-closure.html",
        "marriage/inProgress.html",
    ] {
        assert_eq!(
            std::fs::read(fresh.join(EMAIL).join(template)).unwrap(),
            std::fs::read(dir.path().join("cc").join(EMAIL).join(template)).unwrap()
        );
    }
    let toggles: Value = serde_json::from_str(&read(
        fresh.join("src/api/notification/informant-notification-toggles.json"),
    ))
    .unwrap();
    assert_eq!(
        toggles[0],
        json!({"name": "birthInProgressSMS", "enabled": true})
    );
    assert_eq!(toggles.as_array().unwrap().len(), 8);
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(
        stdout.starts_with("created          src/translations/notification.csv\n"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(
            "9 files for fresh: 9 new, 0 behind the catalogue, 0 changed by hand, 0 unchanged\n"
        ),
        "{stdout}"
    );
}

#[test]
fn export_updates_files_it_last_saw_and_refuses_files_changed_since() {
    let dir = workspace();
    assert_eq!(import(dir.path(), &[]).status.code(), Some(0));
    let csv_path = dir.path().join("cc").join(CSV);
    let csv_before = read(&csv_path);
    // The catalogue moves on: the CSV in the repository is only behind, and is updated.
    let output = crvs()
        .current_dir(dir.path())
        .args([
            "edit",
            "birthRejectionNotification",
            "--sms",
            "--lang",
            "en",
        ])
        .args([
            "--text",
            "Declaration {{trackingId}} needs changes: call {{crvsOffice}}.",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = export(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let listed = states(&stdout_json(&output));
    assert!(
        listed.contains(&(CSV.to_owned(), "stale".to_owned())),
        "{listed:?}"
    );
    let csv = read(&csv_path);
    assert_eq!(
        csv,
        csv_before.replace(
            "The birth declaration {{trackingId}} needs changes. Contact {{crvsOffice}}.",
            "Declaration {{trackingId}} needs changes: call {{crvsOffice}}."
        )
    );

    // Someone changes files in the repository by hand: export refuses to overwrite them.
    std::fs::write(&csv_path, "changed by hand\n").unwrap();
    let body = dir
        .path()
        .join("cc")
        .join(EMAIL)
        .join("birth/registration.html");
    std::fs::write(&body, "also by hand").unwrap();
    let output = export(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("2 file(s) in cc changed since crvs-comms last read or wrote them (src/translations/notification.csv, src/api/notification/email-templates/birth/registration.html); nothing was written"), "{message}");
    assert_eq!(read(&csv_path), "changed by hand\n");

    // A dry run lists the plan and writes nothing, even with --force.
    let output = export(dir.path(), &["--dry-run", "--force"]);
    assert_eq!(output.status.code(), Some(0));
    let report = stdout_json(&output);
    let listed = states(&report);
    assert!(listed.contains(&(CSV.to_owned(), "changed".to_owned())));
    assert!(listed.contains(&(
        "src/api/notification/informant-notification-toggles.json".to_owned(),
        "unchanged".to_owned()
    )));
    assert!(
        report["files"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["written"] == false)
    );
    assert_eq!(read(&csv_path), "changed by hand\n");

    let output = export(dir.path(), &["--force"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(read(&csv_path), csv);
    assert_eq!(
        read(&body),
        read(
            fixture("countryconfig-v1.5")
                .join(EMAIL)
                .join("birth/registration.html")
        )
    );
}

#[test]
fn export_into_a_repository_it_never_read_refuses_to_overwrite_what_differs() {
    let dir = default_catalogue_copy();
    let cc = dir.path().join("cc");
    copy_tree(&fixture("countryconfig-v1.5"), &cc);
    let before = read(cc.join(CSV));
    let output = export(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1));
    let listed = states(&stdout_json(&output));
    assert!(listed.contains(&(CSV.to_owned(), "changed".to_owned())));
    assert!(listed.contains(&(format!("{EMAIL}/birth/inProgress.html"), "new".to_owned())));
    assert_eq!(read(cc.join(CSV)), before);
    assert!(!cc.join(EMAIL).join("birth/inProgress.html").exists());
}

#[test]
fn exported_toggles_follow_the_catalogue() {
    let dir = default_catalogue_copy();
    let path = dir.path().join("notifications.toml");
    let text = read(&path).replacen(
        "event = \"death\"\nenabled = true",
        "event = \"death\"\nenabled = false",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let output = export(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0));
    let toggles: Value = serde_json::from_str(&read(
        dir.path()
            .join("cc/src/api/notification/informant-notification-toggles.json"),
    ))
    .unwrap();
    assert_eq!(
        toggles[4],
        json!({"name": "deathInProgressSMS", "enabled": false})
    );
    assert_eq!(
        toggles[5],
        json!({"name": "deathDeclarationSMS", "enabled": true})
    );
}

/// Imports the anchors of `release`, exports them back over the same files, and checks that
/// nothing but the new toggle file differs.
fn round_trip(release: &str, toggle_file: &str) {
    let Some((dir, source)) = anchor_workspace(release) else {
        eprintln!("skipped: ../shared/anchors is absent");
        return;
    };
    let output = import(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = export(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let listed = states(&stdout_json(&output));
    let changed: Vec<_> = listed.iter().filter(|(_, s)| s != "unchanged").collect();
    assert_eq!(changed, [&(toggle_file.to_owned(), "new".to_owned())]);
    assert_eq!(listed.len(), 25);
    // And into an empty folder: the same bytes as the originals.
    let output = crvs()
        .current_dir(dir.path())
        .args(["export", "countryconfig", "fresh"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let fresh = dir.path().join("fresh");
    assert_eq!(
        std::fs::read(fresh.join(CSV)).unwrap(),
        std::fs::read(source.join("notification.csv")).unwrap()
    );
    let mut compared = 0;
    for folder in ["birth", "death", "marriage", "other"] {
        for entry in std::fs::read_dir(source.join("email-templates").join(folder)).unwrap() {
            let entry = entry.unwrap();
            let exported = fresh.join(EMAIL).join(folder).join(entry.file_name());
            assert_eq!(
                std::fs::read(&exported).unwrap(),
                std::fs::read(entry.path()).unwrap(),
                "{}",
                exported.display()
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 23);
}

#[test]
fn the_v1_5_0_anchors_round_trip_byte_for_byte() {
    round_trip(
        "v1.5.0",
        "src/api/notification/informant-notification-toggles.json",
    );
}

#[test]
fn the_v1_9_12_anchors_round_trip_byte_for_byte() {
    round_trip("v1.9.12", "src/api/notification/notification-for-record.ts");
}

#[test]
fn check_on_the_imported_v1_5_anchors_finds_what_is_really_wrong() {
    let Some((dir, _)) = anchor_workspace("v1.5.0") else {
        eprintln!("skipped: ../shared/anchors is absent");
        return;
    };
    assert_eq!(import(dir.path(), &[]).status.code(), Some(0));
    let output = crvs()
        .current_dir(dir.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = stdout_json(&output);
    let found: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] != "unknown-notification")
        .map(|f| {
            let part = format!(
                "{} {}",
                f["channel"].as_str().unwrap_or("-"),
                f["language"].as_str().unwrap_or("-")
            );
            (
                f["code"].as_str().unwrap().to_owned(),
                f["notification"].as_str().unwrap_or("-").to_owned(),
                part,
            )
        })
        .collect();
    let expected: Vec<(String, String, String)> = [
        (
            "unsupplied-placeholder",
            "birthRejectionNotification",
            "sms en",
        ),
        (
            "unsupplied-placeholder",
            "birthRejectionNotification",
            "sms fr",
        ),
        (
            "unsupplied-placeholder",
            "deathRejectionNotification",
            "sms en",
        ),
        (
            "unsupplied-placeholder",
            "deathRejectionNotification",
            "sms fr",
        ),
        ("missing-copy", "correctionApproved", "sms en"),
        ("missing-copy", "correctionApproved", "sms fr"),
        ("missing-copy", "correctionRejected", "sms en"),
        ("missing-copy", "correctionRejected", "sms fr"),
        (
            "unsupplied-placeholder",
            "birthRejectionNotification",
            "email -",
        ),
        (
            "unsupplied-placeholder",
            "deathRejectionNotification",
            "email -",
        ),
        (
            "unknown-placeholder",
            "marriageRegistrationNotification",
            "email -",
        ),
    ]
    .iter()
    .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
    .collect();
    assert_eq!(found, expected);
    let rejection = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["notification"] == "birthRejectionNotification")
        .unwrap();
    assert!(
        rejection["message"]
            .as_str()
            .unwrap()
            .contains("`{{name}}`")
    );
}
