//! `migrate --opencrvs 1.9`: the repository's default catalogue and the imported Farajaland 1.5
//! files (skipped where `../shared/anchors` is absent) moved to the 1.9 contract; the report, the
//! dry run, and what is refused.

use std::path::Path;

use serde_json::{Value, json};

use super::{anchors, copy_tree, crvs, default_catalogue_copy, stdout_json};

fn migrate(dir: &Path, extra: &[&str]) -> std::process::Output {
    crvs()
        .current_dir(dir)
        .args(["migrate", "--opencrvs", "1.9", "--format", "json"])
        .args(extra)
        .output()
        .unwrap()
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn fields(report: &Value) -> Vec<String> {
    report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c["key"].as_str().unwrap_or("-"),
                c["field"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn the_default_catalogue_moves_to_1_9_and_every_change_is_reported() {
    let dir = default_catalogue_copy();
    let output = migrate(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = stdout_json(&output);
    assert_eq!(
        (report["from"].clone(), report["to"].clone()),
        (json!("1.5"), json!("1.9"))
    );
    assert_eq!(report["revision"], 2);
    assert_eq!(
        fields(&report),
        [
            "- settings.opencrvs",
            "resetUserPasswordByAdminNotification key",
            "resetUserPasswordNotification key",
            "authenticationCodeNotification sms.en",
            "authenticationCodeNotification sms.fr",
            "authenticationCodeNotification email.body file",
            "userCredentialsNotification sms.en",
            "userCredentialsNotification sms.fr",
            "userCredentialsNotification email.body file",
            "resetUserPasswordByAdminNotification sms.en",
            "resetUserPasswordByAdminNotification sms.fr",
            "resetUserPasswordByAdminNotification email.body file",
            "retieveUserNameNotification sms.en",
            "retieveUserNameNotification sms.fr",
            "retieveUserNameNotification email.body file",
            "updateUserNameNotification sms.en",
            "updateUserNameNotification sms.fr",
            "updateUserNameNotification email.body file",
            "change-phone-number email.body file",
            "change-email-address email.body file",
            "resetUserPasswordNotification email.body file",
        ]
    );
    assert_eq!(
        report["changes"][3],
        json!({
            "key": "authenticationCodeNotification",
            "field": "sms.en",
            "old": "{{authCode}} is your {{applicationName}} verification code. Never share it with anyone.",
            "new": "{{code}} is your {{applicationName}} verification code. Never share it with anyone.",
            "detail": "{{authCode}} → {{code}} at 1:1"
        })
    );
    assert_eq!(
        report["needs_copy"],
        json!([
            {"key": "resetUserPasswordNotification", "part": "sms.en", "reason": "no SMS copy, and OpenCRVS 1.9 sends resetUserPasswordNotification by SMS: Password reset code"},
            {"key": "resetUserPasswordNotification", "part": "sms.fr", "reason": "no SMS copy, and OpenCRVS 1.9 sends resetUserPasswordNotification by SMS: Password reset code"}
        ])
    );

    let text = read(dir.path().join("notifications.toml"));
    assert!(text.contains("opencrvs = \"1.9\"\n"));
    assert!(text.contains("revision = 2\n"));
    assert!(text.contains("sms.en = \"{{firstname}}, your {{applicationName}} username is now {{newUsername}}. Your password stays the same.\"\n"));
    // The correction messages still receive `firstNames` in 1.9: untouched.
    assert!(text.contains("sms.en = \"{{firstNames}} {{lastName}}, your correction request"));
    // The comments of the file survive.
    assert!(text.contains("# \"retieve\" (sic) is misspelled on purpose"));
    let body = read(dir.path().join("templates/email/user/two-factor-code.html"));
    assert!(body.contains("<p>Hello {{firstname}},<br>"));
    assert!(body.contains("<span class=\"key\">{{code}}</span>"));

    // What is left to do is exactly what the report said.
    let output = crvs()
        .current_dir(dir.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let findings: Vec<(String, String, String)> = stdout_json(&output)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["notification"].as_str().unwrap().to_owned(),
                f["language"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        findings,
        [
            (
                "missing-copy".to_owned(),
                "resetUserPasswordNotification".to_owned(),
                "en".to_owned()
            ),
            (
                "missing-copy".to_owned(),
                "resetUserPasswordNotification".to_owned(),
                "fr".to_owned()
            ),
        ]
    );
}

#[test]
fn a_dry_run_shows_the_diffs_and_writes_nothing() {
    let dir = default_catalogue_copy();
    let before = read(dir.path().join("notifications.toml"));
    let body_before = read(
        dir.path()
            .join("templates/email/user/username-updated.html"),
    );
    let output = crvs()
        .current_dir(dir.path())
        .args(["migrate", "--opencrvs", "1.9", "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(
        stdout.contains("--- a/templates/email/user/username-updated.html\n"),
        "{stdout}"
    );
    assert!(stdout.contains("--- a/notifications.toml\n+++ b/notifications.toml\n"));
    assert!(stdout.contains("\n-opencrvs = \"1.5\"\n+opencrvs = \"1.9\"\n"));
    assert!(stdout.contains(
        "\n-[notifications.password-reset]\n+[notifications.resetUserPasswordNotification]\n"
    ));
    assert!(stdout.contains("  updateUserNameNotification sms.en: {{firstNames}} → {{firstname}} at 1:1, {{username}} → {{newUsername}} at 1:58\n"));
    assert!(stdout.ends_with("revision 1 would go to 2\n"), "{stdout}");
    assert!(stderr(&output).contains("dry run: nothing written"));
    assert_eq!(read(dir.path().join("notifications.toml")), before);
    assert_eq!(
        read(
            dir.path()
                .join("templates/email/user/username-updated.html")
        ),
        body_before
    );
}

#[test]
fn a_second_migration_changes_nothing_and_going_back_is_refused() {
    let dir = default_catalogue_copy();
    assert_eq!(migrate(dir.path(), &[]).status.code(), Some(0));
    let after = read(dir.path().join("notifications.toml"));
    let output = migrate(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stderr(&output).contains("already follows OpenCRVS 1.9: nothing to migrate"));
    assert_eq!(read(dir.path().join("notifications.toml")), after);
    let output = crvs()
        .current_dir(dir.path())
        .args(["migrate", "--opencrvs", "1.5"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("from OpenCRVS 1.9 back to 1.5 is not supported"));
    assert_eq!(read(dir.path().join("notifications.toml")), after);
}

#[test]
fn copy_that_does_not_parse_stops_the_migration_before_anything_is_written() {
    let dir = default_catalogue_copy();
    let path = dir.path().join("notifications.toml");
    let text = read(&path).replace(
        "sms.fr = \"{{authCode}} est votre code",
        "sms.fr = \"{{authCode} est votre code",
    );
    std::fs::write(&path, &text).unwrap();
    let output = migrate(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("the sms.fr of `authenticationCodeNotification` does not parse"),
        "{message}"
    );
    assert_eq!(read(&path), text);
    assert!(
        read(dir.path().join("templates/email/user/two-factor-code.html")).contains("{{authCode}}")
    );
}

#[test]
fn without_a_release_only_the_file_format_is_considered() {
    let dir = default_catalogue_copy();
    let output = crvs()
        .current_dir(dir.path())
        .arg("migrate")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stderr(&output).contains("schema_version 1, the current file format: nothing to migrate")
    );
}

/// The Farajaland 1.5 files, imported and migrated, become the 1.9.12 files wherever 1.9 only
/// renamed placeholders; what is left differs for reasons a migration cannot know.
#[test]
fn the_migrated_v1_5_anchors_match_v1_9_where_only_names_changed() {
    let Some(anchors) = anchors() else {
        eprintln!("skipped: ../shared/anchors is absent");
        return;
    };
    let v15 = anchors.join("opencrvs-farajaland-v1.5.0");
    let v19 = anchors.join("opencrvs-farajaland-v1.9.12");
    let dir = tempfile::tempdir().unwrap();
    let cc = dir.path().join("cc");
    std::fs::create_dir_all(cc.join("src/translations")).unwrap();
    std::fs::copy(
        v15.join("notification.csv"),
        cc.join("src/translations/notification.csv"),
    )
    .unwrap();
    copy_tree(
        &v15.join("email-templates"),
        &cc.join("src/api/notification/email-templates"),
    );
    let run = |args: &[&str]| {
        let output = crvs().current_dir(dir.path()).args(args).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
        output
    };
    run(&["import", "countryconfig", "cc"]);
    let report = stdout_json(&run(&["migrate", "--opencrvs", "1.9", "--format", "json"]));
    let needs: Vec<String> = report["needs_copy"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            format!(
                "{} {}",
                n["key"].as_str().unwrap(),
                n["part"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        needs,
        [
            "marriageRegistrationNotification email.body",
            "resetUserPasswordNotification sms.en",
            "resetUserPasswordNotification sms.fr",
            "correctionApproved sms.en",
            "correctionApproved sms.fr",
            "correctionRejected sms.en",
            "correctionRejected sms.fr",
        ]
    );
    run(&["export", "countryconfig", "out"]);
    let out = dir.path().join("out");
    // The CSV: every line the same but the new reset-code row (new copy needed) and one description.
    let exported = read(out.join("src/translations/notification.csv"));
    let expected = read(v19.join("notification.csv"));
    let differing: Vec<&str> = expected
        .lines()
        .filter(|line| !exported.lines().any(|l| l == *line))
        .map(|line| line.split(',').next().unwrap())
        .collect();
    assert_eq!(
        differing,
        [
            "resetUserPasswordByAdminNotification",
            "resetUserPasswordNotification"
        ]
    );
    assert_eq!(exported.lines().count(), expected.lines().count() - 1);
    // The templates: identical but for the three 1.9 rewrote beyond the names.
    let mut different = Vec::new();
    for folder in ["birth", "death", "marriage", "other"] {
        for entry in std::fs::read_dir(v19.join("email-templates").join(folder)).unwrap() {
            let entry = entry.unwrap();
            let name = format!("{folder}/{}", entry.file_name().to_string_lossy());
            let ours = std::fs::read(out.join("src/api/notification/email-templates").join(&name))
                .unwrap();
            if ours != std::fs::read(entry.path()).unwrap() {
                different.push(name);
            }
        }
    }
    different.sort();
    assert_eq!(
        different,
        [
            "birth/rejection.html",
            "death/rejection.html",
            "other/onboarding-invite.html"
        ]
    );
}

#[test]
fn the_migration_is_recorded_and_respects_the_expected_revision() {
    let dir = default_catalogue_copy();
    let body = dir.path().join("templates/email/user/two-factor-code.html");
    let body_before = read(&body);
    let output = migrate(dir.path(), &["--expect-revision", "5"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("is at revision 1, not 5"));
    assert_eq!(
        read(&body),
        body_before,
        "no body file is touched when refused"
    );

    let output = migrate(
        dir.path(),
        &["--expect-revision", "1", "--actor", "kalusha"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let history: Vec<Value> = read(dir.path().join("notifications.audit.jsonl"))
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(history.len(), 1);
    let entry = &history[0];
    assert_eq!(entry["revision"], 2);
    assert_eq!(entry["actor"], "kalusha");
    assert_eq!(
        entry["command"],
        "migrate --opencrvs 1.9 --format json --expect-revision 1 --actor kalusha"
    );
    assert_eq!(
        entry["changes"][0],
        json!({"key": null, "field": "settings.opencrvs", "old": "1.5", "new": "1.9"})
    );
    assert_eq!(
        entry["changes"][1],
        json!({"key": "resetUserPasswordByAdminNotification", "field": "key", "old": "resetUserPasswordNotification", "new": "resetUserPasswordByAdminNotification"})
    );
    assert_eq!(entry["changes"].as_array().unwrap().len(), 21);
}
