//! `crvs-comms diff`: the fixture pair `tests/fixtures/diff/{old,new}.toml` differs by one change
//! of each kind; every format must show each of them. `--git` runs in a repository the test makes.

use std::path::Path;
use std::process::Command as Process;

use predicates::prelude::*;

use crate::{crvs, fixture, stdout_json};

fn diff_fixtures(format: &str) -> std::process::Output {
    crvs()
        .current_dir(fixture("diff"))
        .args(["diff", "old.toml", "new.toml", "--format", format])
        .output()
        .unwrap()
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn human_output_shows_every_kind_of_change() {
    let output = diff_fixtures("human");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        r#"old.toml → new.toml

Settings
  settings.max_sms_parts: 2 → 3

Added
  + change-phone-number  "Phone number change"  (user, on, email)

Removed
  - allUserNotification  "Broadcast"  (user, on, email)

Changed
  ~ birthDeclarationNotification  "Sent for review"
      enabled: on → off
  ~ birthRegistrationNotification  "Registered"
      sms.en:
        - Birth of {{name}} registered as {{registrationNumber}}. Collect the certificate at {{crvsOffice}}. Ref {{trackingId}}.
        + {{name}} is registered: {{registrationNumber}}. Bring ID to {{crvsOffice}} for the certificate. Ref {{trackingId}}.
  ~ deathRegistrationNotification  "Registered | certificate ready"
      label: "Registered" → "Registered | certificate ready"
      description: "The death is on the register." → "The death is on the register; the certificate can be collected."
  ~ change-email-address  "Email change"
      email.subject.fr:
        - Confirmez votre adresse
        + Confirmez votre nouvelle adresse e-mail
      email.body: "templates/change-email-address.html" → "templates/change-email-address-v2.html"
  ~ certificateReadyReminder  "Certificate reminder"
      sms.en:
        - The certificate for {{trackingId}} is waiting at {{crvsOffice}}.
        + The certificate for {{trackingId}} can be collected until {{collectionDeadline}}.
      sms.fr:
        - L'acte {{trackingId}} vous attend au bureau {{crvsOffice}}.
        + L'acte {{trackingId}} est à retirer avant le {{collectionDeadline}}.
      variables: added collectionDeadline; removed crvsOffice

1 notification added, 1 removed, 5 changed (1 toggle, 4 texts, 4 other fields), 1 setting changed, revision 7 → 8
"#
    );
}

#[test]
fn json_output_has_each_kind_of_change() {
    let output = diff_fixtures("json");
    assert_eq!(output.status.code(), Some(0));
    let json = stdout_json(&output);
    assert_eq!(json["old"], "old.toml");
    assert_eq!(json["new"], "new.toml");
    assert_eq!(json["identical"], false);
    assert_eq!(
        json["summary"],
        serde_json::json!({"added": 1, "removed": 1, "changed": 5, "toggles": 1, "copy": 4, "fields": 4, "settings": 1})
    );
    assert_eq!(json["revision"], serde_json::json!({"old": 7, "new": 8}));
    assert_eq!(
        json["settings"],
        serde_json::json!([{"setting": "settings.max_sms_parts", "old": "2", "new": "3"}])
    );
    assert_eq!(json["added"][0]["key"], "change-phone-number");
    assert_eq!(json["added"][0]["channels"], serde_json::json!(["email"]));
    assert_eq!(json["removed"][0]["key"], "allUserNotification");

    let changes_of = |key: &str| {
        json["changed"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["key"] == key)
            .unwrap_or_else(|| panic!("{key} is not in changed"))["changes"]
            .clone()
    };
    assert_eq!(
        changes_of("birthDeclarationNotification"),
        serde_json::json!([{"kind": "toggle", "old": true, "new": false}])
    );
    let copy = &changes_of("birthRegistrationNotification")[0];
    assert_eq!(copy["kind"], "copy");
    assert_eq!(copy["channel"], "sms");
    assert_eq!(copy["language"], "en");
    assert_eq!(
        copy["new"],
        "{{name}} is registered: {{registrationNumber}}. Bring ID to {{crvsOffice}} for the certificate. Ref {{trackingId}}."
    );
    assert_eq!(
        changes_of("change-email-address"),
        serde_json::json!([
            {"kind": "copy", "channel": "email", "language": "fr",
             "old": "Confirmez votre adresse", "new": "Confirmez votre nouvelle adresse e-mail"},
            {"kind": "field", "field": "email.body",
             "old": "templates/change-email-address.html", "new": "templates/change-email-address-v2.html"},
        ])
    );
    assert_eq!(
        changes_of("deathRegistrationNotification")[0],
        serde_json::json!({"kind": "field", "field": "label", "old": "Registered", "new": "Registered | certificate ready"})
    );
    assert_eq!(
        changes_of("certificateReadyReminder")[2],
        serde_json::json!({"kind": "variables", "added": ["collectionDeadline"], "removed": ["crvsOffice"]})
    );
}

#[test]
fn markdown_output_has_a_section_per_kind_of_change() {
    let output = diff_fixtures("markdown");
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let expected = [
        "## Notification changes\n\n`old.toml` → `new.toml`: **1 notification added, 1 removed, 5 changed (1 toggle, 4 texts, 4 other fields), 1 setting changed, revision 7 → 8**\n",
        "### Added\n\n| Notification | Label | Audience | Event | Enabled | Channels |\n|---|---|---|---|---|---|\n| `change-phone-number` | Phone number change | user |  | on | email |\n",
        "### Removed\n\n| Notification | Label | Audience | Event | Enabled | Channels |\n|---|---|---|---|---|---|\n| `allUserNotification` | Broadcast | user |  | on | email |\n",
        "### Toggles\n\n| Notification | Before | After |\n|---|---|---|\n| `birthDeclarationNotification` | on | **off** |\n",
        "#### `change-email-address` `email.subject.fr`\n\nBefore:\n\n```text\nConfirmez votre adresse\n```\n\nAfter:\n\n```text\nConfirmez votre nouvelle adresse e-mail\n```\n",
        "| `deathRegistrationNotification` | `label` | Registered | Registered \\| certificate ready |\n",
        "| `change-email-address` | `email.body` | `templates/change-email-address.html` | `templates/change-email-address-v2.html` |\n",
        "| `certificateReadyReminder` | `variables` | removed `crvsOffice` | added `collectionDeadline` |\n",
        "### Settings\n\n| Setting | Before | After |\n|---|---|---|\n| `settings.max_sms_parts` | `2` | `3` |\n",
    ];
    for part in expected {
        assert!(text.contains(part), "missing:\n{part}\nin:\n{text}");
    }
    assert_eq!(text.matches("\n#### ").count(), 4, "{text}");
}

#[test]
fn identical_catalogues_have_no_differences_and_exit_0_even_with_exit_code() {
    crvs()
        .current_dir(fixture("diff"))
        .args(["diff", "old.toml", "old.toml", "--exit-code"])
        .assert()
        .code(0)
        .stdout("old.toml → old.toml\n\nno differences\n");
}

#[test]
fn exit_code_makes_differences_exit_1() {
    crvs()
        .current_dir(fixture("diff"))
        .args([
            "diff",
            "old.toml",
            "new.toml",
            "--exit-code",
            "--format",
            "json",
        ])
        .assert()
        .code(1);
}

#[test]
fn new_defaults_to_the_catalogue_named_by_file() {
    let output = crvs()
        .current_dir(fixture("diff"))
        .args(["--file", "new.toml", "diff", "old.toml", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let json = stdout_json(&output);
    assert_eq!(json["new"], "new.toml");
    assert_eq!(json["summary"]["changed"], 5);
}

#[test]
fn a_side_that_does_not_load_is_exit_2_with_its_errors() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "schema_version = 1\nrevision = = 2\n").unwrap();
    crvs()
        .arg("diff")
        .arg(fixture("diff/old.toml"))
        .arg(&broken)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("error[toml-syntax]"))
        .stderr(predicate::str::contains("does not load"));
}

#[test]
fn a_missing_side_is_exit_2() {
    crvs()
        .current_dir(fixture("diff"))
        .args(["diff", "old.toml", "absent.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("absent.toml"));
}

// --- diff --git ------------------------------------------------------------------------------

fn has_git() -> bool {
    Process::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn git(dir: &Path, args: &[&str]) {
    let status = Process::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?} failed");
}

/// A repository whose first commit holds `config/notifications.toml` = old.toml, and whose
/// working tree has it changed to new.toml.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir(&config).unwrap();
    let catalogue = config.join("notifications.toml");
    std::fs::copy(fixture("diff/old.toml"), &catalogue).unwrap();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "Catalogue"]);
    std::fs::copy(fixture("diff/new.toml"), &catalogue).unwrap();
    dir
}

#[test]
fn git_compares_the_committed_catalogue_with_the_working_file() {
    if !has_git() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let repo = repository();
    let output = crvs()
        .current_dir(repo.path())
        .args([
            "--file",
            "config/notifications.toml",
            "diff",
            "--git",
            "HEAD",
        ])
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let json = stdout_json(&output);
    assert_eq!(json["old"], "HEAD:config/notifications.toml");
    assert_eq!(json["new"], "config/notifications.toml");
    assert_eq!(json["summary"]["changed"], 5);
    assert_eq!(json["revision"], serde_json::json!({"old": 7, "new": 8}));
}

#[test]
fn git_finds_the_path_from_a_subfolder_of_the_repository() {
    if !has_git() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let repo = repository();
    crvs()
        .current_dir(repo.path().join("config"))
        .args(["diff", "--git", "HEAD", "--format", "markdown"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "## Notification changes\n\n`HEAD:config/notifications.toml` → `notifications.toml`: **1 notification added, 1 removed, 5 changed",
        ));
}

#[test]
fn git_with_no_change_since_the_revision_is_no_differences() {
    if !has_git() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let repo = repository();
    git(repo.path(), &["commit", "-q", "-a", "-m", "Edit"]);
    crvs()
        .current_dir(repo.path().join("config"))
        .args(["diff", "--git", "HEAD", "--exit-code"])
        .assert()
        .code(0)
        .stdout(predicate::str::ends_with("\nno differences\n"));
    crvs()
        .current_dir(repo.path().join("config"))
        .args(["diff", "--git", "HEAD~1", "--exit-code"])
        .assert()
        .code(1);
}

#[test]
fn git_outside_a_repository_is_a_clear_error() {
    if !has_git() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("diff/new.toml"),
        dir.path().join("notifications.toml"),
    )
    .unwrap();
    crvs()
        .current_dir(dir.path())
        // Stops git from finding a repository above the temporary folder.
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .args(["diff", "--git", "HEAD"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("is not inside a git repository"));
}

#[test]
fn git_with_an_unknown_revision_is_a_clear_error() {
    if !has_git() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let repo = repository();
    crvs()
        .current_dir(repo.path().join("config"))
        .args(["diff", "--git", "origin/no-such-branch"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`origin/no-such-branch` is not a commit of this repository",
        ));
}

#[test]
fn git_with_a_file_the_revision_does_not_have_is_a_clear_error() {
    if !has_git() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let repo = repository();
    std::fs::copy(
        fixture("diff/new.toml"),
        repo.path().join("config/staging.toml"),
    )
    .unwrap();
    crvs()
        .current_dir(repo.path())
        .args(["--file", "config/staging.toml", "diff", "--git", "HEAD"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "config/staging.toml (from the root of the repository) does not exist at HEAD",
        ));
}

#[test]
fn the_fixtures_are_clean_opencrvs_1_5_catalogues() {
    for file in ["old.toml", "new.toml"] {
        crvs()
            .current_dir(fixture("diff"))
            .args(["--file", file, "check"])
            .assert()
            .code(0)
            .stdout("0 errors, 0 warnings\n");
    }
}
