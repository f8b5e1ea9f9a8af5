//! `import countryconfig` and `export countryconfig`: a small 1.5 country configuration written for
//! the tests (`tests/fixtures/countryconfig-v1.5`), each kind of malformed CSV row, updates of an
//! existing catalogue, refusals, dry runs, and the round trip of the real Farajaland files (skipped
//! where `../shared/anchors` is absent).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{anchors, copy_tree, crvs, default_catalogue_copy, fixture, stdout_json};

const CSV: &str = "src/translations/notification.csv";
const EMAIL: &str = "src/api/notification/email-templates";

/// A temporary folder holding a copy of the test country configuration at `cc/`.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("countryconfig-v1.5"), &dir.path().join("cc"));
    dir
}

/// Lays out the anchors of one release as a country-configuration repository at `DIR/cc`.
fn anchor_workspace(release: &str) -> Option<(tempfile::TempDir, PathBuf)> {
    let source = anchors()?.join(format!("opencrvs-farajaland-{release}"));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("cc");
    std::fs::create_dir_all(root.join("src/translations")).unwrap();
    std::fs::copy(source.join("notification.csv"), root.join(CSV)).unwrap();
    copy_tree(&source.join("email-templates"), &root.join(EMAIL));
    Some((dir, source))
}

fn import(dir: &Path, extra: &[&str]) -> std::process::Output {
    crvs()
        .current_dir(dir)
        .args(["import", "countryconfig", "cc", "--format", "json"])
        .args(extra)
        .output()
        .unwrap()
}

fn export(dir: &Path, extra: &[&str]) -> std::process::Output {
    crvs()
        .current_dir(dir)
        .args(["export", "countryconfig", "cc", "--format", "json"])
        .args(extra)
        .output()
        .unwrap()
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn catalogue(dir: &Path) -> toml::Table {
    toml::from_str(&read(dir.join("notifications.toml"))).unwrap()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn import_creates_a_catalogue_that_holds_everything() {
    let dir = workspace();
    let output = import(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = stdout_json(&output);
    assert_eq!(report["created"], true);
    assert_eq!(report["opencrvs"], "1.5");
    assert_eq!(
        report["profile_from"],
        "told by the placeholder `{{authCode}}`"
    );
    assert_eq!(
        report["added"],
        json!([
            "authenticationCodeNotification",
            "birthInProgressNotification",
            "birthDeclarationNotification",
            "birthRegistrationNotification",
            "birthRejectionNotification",
            "deathInProgressNotification",
            "deathDeclarationNotification",
            "deathRegistrationNotification",
            "deathRejectionNotification",
            "userCredentialsNotification",
            "resetUserPasswordNotification",
            "retieveUserNameNotification",
            "updateUserNameNotification",
            "clinicReminder",
            "marriageInProgressNotification",
            "password-reset",
            "office-closure"
        ])
    );
    let toml = catalogue(dir.path());
    assert_eq!(
        toml["settings"]["languages"],
        toml::Value::from(vec!["en", "fr"])
    );
    let n = &toml["notifications"];
    let credentials = &n["userCredentialsNotification"];
    assert_eq!(
        credentials["description"].as_str(),
        Some("New account: username and \"temporary\" password")
    );
    assert_eq!(
        credentials["sms"]["en"].as_str(),
        Some("Welcome {{firstNames}}. Username {{username}}, temporary password {{password}}.")
    );
    // A row OpenCRVS does not know declares what it uses; its empty French cell stays empty.
    let custom = &n["clinicReminder"];
    assert_eq!(
        custom["variables"],
        toml::Value::from(vec!["appointmentDate", "trackingId"])
    );
    assert_eq!(
        custom["sms"]["en"].as_str(),
        Some(
            "Please bring the child to the clinic on {{appointmentDate}}.\nTracking ID {{trackingId}}."
        )
    );
    assert!(custom["sms"].get("fr").is_none());
    // Marriage is never sent in 1.5: kept, switched off.
    assert_eq!(
        n["marriageInProgressNotification"]["enabled"].as_bool(),
        Some(false)
    );
    let reset_code = &n["password-reset"];
    assert_eq!(
        reset_code["sms_key"].as_str(),
        Some("authenticationCodeNotification")
    );
    assert_eq!(
        reset_code["email"]["body"].as_str(),
        Some("templates/email/other/password-reset.html")
    );
    assert_eq!(
        n["office-closure"]["variables"],
        toml::Value::from(vec!["closingDate", "crvsOffice", "firstNames"])
    );
    // Email bodies are copied byte for byte (CR LF and a missing final line end included).
    for template in [
        "death/rejection.html",
        "other/office-closure.html",
        "birth/registration.html",
    ] {
        assert_eq!(
            std::fs::read(dir.path().join("templates/email").join(template)).unwrap(),
            std::fs::read(dir.path().join("cc").join(EMAIL).join(template)).unwrap(),
            "{template}"
        );
    }
    assert!(stderr(&output).contains("email subjects live in the country configuration's code"));
}

#[test]
fn each_kind_of_malformed_row_is_refused_with_its_row_number() {
    let cases = [
        (
            "id,description,en,fr\na,b,\"never closed,d\ne,f,g,h\n",
            "row 2 (line 2): a quoted field opened on this row is never closed",
        ),
        (
            "id,description,en,fr\na,b,c,d\ne,f,say \"hi\",h\n",
            "row 3 (line 3): a `\"` inside a field that does not start with one",
        ),
        (
            "id,description,en,fr\na,b,\"c\" d,e\n",
            "row 2 (line 2): text follows the closing `\"` of a quoted field",
        ),
        (
            "id,description,en,fr\na,b,\"two\nlines\",d\ne,f,Hello, {{name}},g\n",
            "row 3 (line 4): 5 columns where the header has 4",
        ),
        (
            "id,description,en,fr\na,b,c,d\n,f,g,h\n",
            "row 3 (line 3): the id is empty",
        ),
        (
            "id,description,en,fr\na,b,c,d\ne,f,g,h\na,x,y,z\n",
            "row 4 (line 4): the id `a` is already used on row 2",
        ),
        (
            "id,text,en\na,b,c\n",
            "row 1 (line 1): the header is `id,text,en`",
        ),
    ];
    for (csv, expected) in cases {
        // Into a new catalogue: none is created.
        let dir = workspace();
        std::fs::write(dir.path().join("cc").join(CSV), csv).unwrap();
        let output = import(dir.path(), &[]);
        assert_eq!(output.status.code(), Some(2), "{csv}");
        let message = stderr(&output);
        assert!(message.contains(expected), "{csv}\n{message}");
        assert!(message.contains("notification.csv"), "{message}");
        assert!(output.stdout.is_empty());
        assert!(!dir.path().join("notifications.toml").exists());
        assert!(!dir.path().join("templates").exists());
        // Into an existing catalogue: it is not touched.
        let existing = default_catalogue_copy();
        copy_tree(&dir.path().join("cc"), &existing.path().join("cc"));
        let before = std::fs::read(existing.path().join("notifications.toml")).unwrap();
        let output = import(existing.path(), &[]);
        assert_eq!(output.status.code(), Some(2), "{csv}");
        assert_eq!(
            std::fs::read(existing.path().join("notifications.toml")).unwrap(),
            before
        );
    }
}

#[test]
fn a_folder_that_is_not_a_country_configuration_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("cc")).unwrap();
    let output = import(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cc has no src/translations/notification.csv"));
}

#[test]
fn the_release_must_be_told_when_the_copy_does_not_tell_it() {
    let dir = workspace();
    let csv = "id,description,en\nbirthRegistrationNotification,Registered,Done {{trackingId}}\n";
    std::fs::write(dir.path().join("cc").join(CSV), csv).unwrap();
    std::fs::remove_dir_all(dir.path().join("cc").join(EMAIL)).unwrap();
    let output = import(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--opencrvs 1.5 or --opencrvs 1.9"));
    let output = import(dir.path(), &["--opencrvs", "1.9"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        catalogue(dir.path())["settings"]["opencrvs"].as_str(),
        Some("1.9")
    );
}

#[test]
fn a_dry_run_shows_the_new_catalogue_and_writes_nothing() {
    let dir = workspace();
    let output = crvs()
        .current_dir(dir.path())
        .args(["import", "countryconfig", "cc", "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(
        stdout.starts_with("--- a/notifications.toml\n+++ b/notifications.toml\n"),
        "{stdout}"
    );
    assert!(stdout.contains("\n+[notifications.clinicReminder]\n"));
    assert!(
        stdout.contains(
            "17 added, 0 changed, 0 unchanged, 0 left alone; it would be at revision 1\n"
        )
    );
    assert!(stderr(&output).contains("dry run: nothing written"));
    assert!(!dir.path().join("notifications.toml").exists());
    assert!(!dir.path().join("templates").exists());
}

#[test]
fn importing_again_refreshes_copy_and_bodies_and_keeps_toggles() {
    let dir = workspace();
    assert_eq!(import(dir.path(), &[]).status.code(), Some(0));
    // The catalogue's own choices: a toggle, a label, a subject.
    let path = dir.path().join("notifications.toml");
    let text = read(&path)
        .replace(
            "[notifications.birthDeclarationNotification]\nlabel = \"Declaration sent for review\"",
            "[notifications.birthDeclarationNotification]\nlabel = \"Under review\" # ours",
        )
        .replacen("enabled = true", "enabled = false", 2);
    std::fs::write(&path, &text).unwrap();
    // The country changes one French text and one email body, and adds a row.
    let cc = dir.path().join("cc");
    let csv = read(cc.join(CSV)).replace(
        "Terminez la déclaration au bureau",
        "Finalisez la déclaration au bureau",
    ) + "deathCertificateReady,Certificate ready,The certificate {{registrationNumber}} is ready.,L'acte {{registrationNumber}} est prêt.\n";
    std::fs::write(cc.join(CSV), csv).unwrap();
    std::fs::write(
        cc.join(EMAIL).join("birth/registration.html"),
        "<p>{{name}}</p>\n",
    )
    .unwrap();

    let output = import(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = stdout_json(&output);
    assert_eq!(report["created"], false);
    assert_eq!(report["revision"], 2);
    assert_eq!(report["added"], json!(["deathCertificateReady"]));
    assert_eq!(
        report["changed"],
        json!([
            {"key": "birthInProgressNotification", "fields": ["sms.fr"]},
            {"key": "birthRegistrationNotification", "fields": ["email.body file"]},
            {"key": "deathInProgressNotification", "fields": ["sms.fr"]}
        ])
    );
    assert_eq!(report["unchanged"].as_array().unwrap().len(), 14);
    assert_eq!(report["left_alone"], json!([]));
    let after = read(&path);
    assert!(after.contains("label = \"Under review\" # ours\n"));
    assert_eq!(
        after.matches("enabled = false").count(),
        3,
        "two of ours and marriage"
    );
    assert!(after.contains("revision = 2\n"));
    assert_eq!(
        read(dir.path().join("templates/email/birth/registration.html")),
        "<p>{{name}}</p>\n"
    );
    // The same configuration once more: nothing changes, not even the revision.
    let output = import(dir.path(), &[]);
    let report = stdout_json(&output);
    assert_eq!(report["revision"], 2);
    assert_eq!(report["changed"], json!([]));
    assert_eq!(read(&path), after);
}

#[test]
fn importing_into_the_default_catalogue_refreshes_its_own_files_and_leaves_the_rest() {
    let dir = default_catalogue_copy();
    copy_tree(&fixture("countryconfig-v1.5"), &dir.path().join("cc"));
    let output = import(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = stdout_json(&output);
    let changed: Vec<&str> = report["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert!(changed.contains(&"authenticationCodeNotification"));
    assert_eq!(
        report["left_alone"],
        json!([
            "correctionApproved",
            "correctionRejected",
            "allUserNotification",
            "change-phone-number",
            "change-email-address"
        ])
    );
    // The body file the catalogue already had for it is refreshed where it is.
    assert_eq!(
        read(dir.path().join("templates/email/user/two-factor-code.html")),
        read(
            dir.path()
                .join("cc")
                .join(EMAIL)
                .join("other/2-factor-authentication.html")
        )
    );
    let toml = catalogue(dir.path());
    assert_eq!(
        toml["notifications"]["authenticationCodeNotification"]["email"]["body"].as_str(),
        Some("templates/email/user/two-factor-code.html")
    );
    // Subjects are the catalogue's own and stay.
    assert!(
        toml["notifications"]["authenticationCodeNotification"]["email"]["subject"]
            .get("fr")
            .is_some()
    );
}

#[test]
fn a_configuration_of_another_release_is_refused() {
    let dir = default_catalogue_copy();
    copy_tree(&fixture("countryconfig-v1.5"), &dir.path().join("cc"));
    let csv_path = dir.path().join("cc").join(CSV);
    let csv = read(&csv_path)
        .replace("{{authCode}}", "{{code}}")
        .replace("{{password}}", "{{temporaryPassword}}");
    std::fs::write(&csv_path, csv).unwrap();
    for template in [
        "other/2-factor-authentication.html",
        "other/password-reset.html",
        "other/password-reset-by-system-admin.html",
    ] {
        std::fs::remove_file(dir.path().join("cc").join(EMAIL).join(template)).unwrap();
    }
    let before = read(dir.path().join("notifications.toml"));
    let output = import(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("follows OpenCRVS 1.9 (the placeholder `{{code}}`)"),
        "{message}"
    );
    assert!(
        message.contains("crvs-comms migrate --opencrvs 1.9"),
        "{message}"
    );
    assert_eq!(read(dir.path().join("notifications.toml")), before);
}

#[test]
fn import_refuses_to_overwrite_a_file_that_belongs_to_nothing_it_refreshes() {
    let dir = workspace();
    let stray = dir.path().join("templates/email/birth/registration.html");
    std::fs::create_dir_all(stray.parent().unwrap()).unwrap();
    std::fs::write(&stray, "mine").unwrap();
    let output = import(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("pass --force"));
    assert_eq!(read(&stray), "mine");
    assert!(!dir.path().join("notifications.toml").exists());
    assert_eq!(import(dir.path(), &["--force"]).status.code(), Some(0));
    assert_ne!(read(&stray), "mine");
}

fn states(report: &Value) -> Vec<(String, String)> {
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

fn history(dir: &Path) -> Vec<Value> {
    read(dir.join("notifications.audit.jsonl"))
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn imports_are_recorded_in_the_history() {
    let dir = workspace();
    let output = import(dir.path(), &["--actor", "amina"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let entries = history(dir.path());
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["revision"], 1);
    assert_eq!(entries[0]["actor"], "amina");
    assert_eq!(entries[0]["changes"].as_array().unwrap().len(), 17);
    assert_eq!(
        entries[0]["changes"][0],
        json!({"key": "authenticationCodeNotification", "field": "notification", "old": null, "new": "added"})
    );

    let csv = dir.path().join("cc").join(CSV);
    std::fs::write(
        &csv,
        read(&csv).replace(
            "{{authCode}} est votre code",
            "Code {{authCode}} : votre code",
        ),
    )
    .unwrap();
    let output = import(dir.path(), &["--actor", "amina"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let entries = history(dir.path());
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1]["revision"], 2);
    assert_eq!(
        entries[1]["changes"],
        json!([{
            "key": "authenticationCodeNotification",
            "field": "sms.fr",
            "old": "{{authCode}} est votre code de connexion {{applicationName}}.",
            "new": "Code {{authCode}} : votre code de connexion {{applicationName}}."
        }])
    );
}

#[test]
fn an_import_into_a_catalogue_that_moved_on_is_refused() {
    let dir = workspace();
    assert_eq!(import(dir.path(), &[]).status.code(), Some(0));
    let csv = dir.path().join("cc").join(CSV);
    std::fs::write(&csv, read(&csv).replace("Terminez", "Finalisez")).unwrap();
    let before = read(dir.path().join("notifications.toml"));
    let output = import(dir.path(), &["--expect-revision", "7"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("is at revision 1, not 7"),
        "{}",
        stderr(&output)
    );
    assert_eq!(read(dir.path().join("notifications.toml")), before);
    assert_eq!(history(dir.path()).len(), 1);
}
