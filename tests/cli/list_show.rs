//! `crvs-comms list` and `show`: the table, its filters, JSON, and one notification in full.

use super::{crvs, fixture, repo, stdout_json};

#[test]
fn list_shows_every_notification_of_the_default_catalogue() {
    let output = crvs().current_dir(repo()).arg("list").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("birthRegistrationNotification"), "{stdout}");
    assert!(stdout.contains("retieveUserNameNotification"), "{stdout}");
    assert!(stdout.ends_with("19 notifications\n"), "{stdout}");
}

#[test]
fn list_filters_and_json() {
    let file = fixture("minimal/notifications.toml");
    let output = crvs()
        .arg("--file")
        .arg(&file)
        .args([
            "list",
            "--audience",
            "informant",
            "--event",
            "death",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let rows = stdout_json(&output);
    let keys: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "deathInProgressNotification",
            "deathDeclarationNotification",
            "deathRegistrationNotification",
            "deathRejectionNotification"
        ]
    );
    assert_eq!(rows[0]["enabled"], true);
    assert_eq!(rows[0]["channels"], serde_json::json!(["sms"]));
    assert_eq!(
        rows[0]["languages_complete"],
        serde_json::json!(["en", "fr"])
    );

    let output = crvs()
        .arg("--file")
        .arg(&file)
        .args(["list", "--disabled", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&output), serde_json::json!([]));
    crvs()
        .arg("--file")
        .arg(&file)
        .args(["list", "--audience", "staff"])
        .assert()
        .code(2);
}

#[test]
fn show_gives_copy_variables_and_toggle() {
    let output = crvs()
        .current_dir(repo())
        .args(["show", "birthRejectionNotification", "--format", "json"])
        .output()
        .unwrap();
    let shown = stdout_json(&output);
    assert_eq!(shown["toggle_name"], "birthRejectionSMS");
    assert_eq!(shown["audience"], "informant");
    let sms_vars: Vec<&str> = shown["variables"]["sms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(sms_vars.contains(&"trackingId"));
    assert!(
        !sms_vars.contains(&"name"),
        "1.5 does not supply name to rejections"
    );
    assert_eq!(shown["sms"].as_array().unwrap().len(), 2);

    let output = crvs()
        .current_dir(repo())
        .args(["show", "authenticationCodeNotification"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("must show    authCode"), "{stdout}");
    assert!(stdout.contains("sms.fr"), "{stdout}");
}

#[test]
fn show_suggests_a_key_for_a_typo() {
    let output = crvs()
        .current_dir(repo())
        .args(["show", "birthRegistrationNotificaton"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("did you mean `birthRegistrationNotification`?"),
        "{stderr}"
    );
}

#[test]
fn commands_other_than_check_refuse_a_catalogue_that_does_not_load() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("notifications.toml"),
        "schema_version = 1\nrevision = \n",
    )
    .unwrap();
    let output = crvs().current_dir(dir.path()).arg("list").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("notifications.toml:2:"), "{stderr}");
    assert!(stderr.contains("does not load"), "{stderr}");
    crvs().current_dir(dir.path()).arg("check").assert().code(1);
}

#[test]
fn help_documents_the_exit_codes() {
    let output = crvs().arg("--help").output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("Exit codes:"), "{stdout}");
    assert!(
        stdout.contains("3  a gateway failed to deliver"),
        "{stdout}"
    );
}
