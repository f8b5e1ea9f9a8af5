//! `toggle`, `edit` and `history` as a user sees them: what they print, what they write to the
//! catalogue (byte for byte) and to the history, and what they refuse.

use std::path::{Path, PathBuf};

use crate::{crvs, default_catalogue_copy, fixture, stdout_json};

const REGISTRATION: &str = "birthRegistrationNotification";

fn catalogue(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("notifications.toml")
}

fn history_lines(dir: &Path, name: &str) -> Vec<serde_json::Value> {
    match std::fs::read_to_string(dir.join(name)) {
        Ok(text) => text
            .lines()
            .map(|line| serde_json::from_str(line).expect("each history line is JSON"))
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn history(dir: &tempfile::TempDir) -> Vec<serde_json::Value> {
    history_lines(dir.path(), "notifications.audit.jsonl")
}

fn run(dir: &tempfile::TempDir, args: &[&str]) -> std::process::Output {
    crvs()
        .arg("--file")
        .arg(catalogue(dir))
        .args(args)
        .env("CRVS_COMMS_ACTOR", "amina")
        .output()
        .unwrap()
}

/// For tables: wide enough that no cell wraps.
fn run_wide(dir: &tempfile::TempDir, args: &[&str]) -> std::process::Output {
    crvs()
        .arg("--file")
        .arg(catalogue(dir))
        .args(args)
        .env("COLUMNS", "400")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn toggle_switches_off_bumps_the_revision_and_records_it() {
    let dir = default_catalogue_copy();
    let before = std::fs::read_to_string(catalogue(&dir)).unwrap();
    let output = run(&dir, &["toggle", REGISTRATION, "--off"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "birthRegistrationNotification: on → off\nrevision: 1 → 2\n"
    );
    let after = std::fs::read_to_string(catalogue(&dir)).unwrap();
    let section = before
        .find("[notifications.birthRegistrationNotification]")
        .unwrap();
    let enabled = section + before[section..].find("enabled = true").unwrap();
    let mut expected = before.clone();
    expected.replace_range(enabled..enabled + "enabled = true".len(), "enabled = false");
    let expected = expected.replacen("revision = 1\n", "revision = 2\n", 1);
    assert_eq!(after, expected);

    let entries = history(&dir);
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!(entry["revision"], 2);
    assert_eq!(entry["actor"], "amina");
    let typed = format!(
        "--file {} toggle birthRegistrationNotification --off",
        catalogue(&dir).display()
    );
    assert_eq!(entry["command"], typed);
    assert_eq!(
        entry["changes"],
        serde_json::json!([{"key": REGISTRATION, "field": "enabled", "old": true, "new": false}])
    );
    let timestamp = entry["timestamp"].as_str().unwrap();
    assert!(timestamp.parse::<jiff::Timestamp>().is_ok(), "{timestamp}");
    assert!(timestamp.ends_with('Z'));
    assert_eq!(
        entry["sha256"],
        crvs_comms::store::history::sha256_hex(after.as_bytes())
    );
    assert!(entry.get("hand_edit").is_none());
}

#[test]
fn toggling_to_the_current_state_writes_nothing() {
    let dir = default_catalogue_copy();
    let before = std::fs::read(catalogue(&dir)).unwrap();
    let output = run(&dir, &["toggle", REGISTRATION, "--on"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(text(&output.stdout), "");
    assert_eq!(
        text(&output.stderr),
        "birthRegistrationNotification: already on\nnothing to change; ".to_owned()
            + &catalogue(&dir).display().to_string()
            + " stays at revision 1\n"
    );
    assert_eq!(std::fs::read(catalogue(&dir)).unwrap(), before);
    assert!(history(&dir).is_empty());
}

#[test]
fn an_unknown_key_suggests_the_closest_and_changes_nothing() {
    let dir = default_catalogue_copy();
    let before = std::fs::read(catalogue(&dir)).unwrap();
    let output = run(&dir, &["toggle", "birthRegistrationNotificaton", "--off"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("did you mean `birthRegistrationNotification`?"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(std::fs::read(catalogue(&dir)).unwrap(), before);
    assert!(history(&dir).is_empty());
}

#[test]
fn staff_essentials_are_only_switched_off_with_force() {
    let dir = default_catalogue_copy();
    let before = std::fs::read(catalogue(&dir)).unwrap();
    for key in [
        "authenticationCodeNotification",
        "userCredentialsNotification",
        "resetUserPasswordNotification",
        "retieveUserNameNotification",
    ] {
        let output = run(&dir, &["toggle", key, "--off"]);
        assert_eq!(output.status.code(), Some(1), "{key}");
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains(&format!("staff cannot work without {key}")),
            "{stderr}"
        );
        assert!(stderr.contains("--force"), "{stderr}");
    }
    assert_eq!(std::fs::read(catalogue(&dir)).unwrap(), before);

    let output = run(
        &dir,
        &[
            "toggle",
            "authenticationCodeNotification",
            "--off",
            "--force",
        ],
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        text(&output.stdout),
        "authenticationCodeNotification: on → off\nrevision: 1 → 2\n"
    );
}

#[test]
fn switching_everything_off_is_refused_because_of_the_essentials() {
    let dir = default_catalogue_copy();
    let output = run(&dir, &["toggle", "--all", "--off"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains(
        "authenticationCodeNotification (it carries authCode), userCredentialsNotification (it carries username and password)"
    ));
}

#[test]
fn selections_switch_every_matching_notification_in_one_revision() {
    let dir = default_catalogue_copy();
    let output = run(&dir, &["toggle", "--event", "death", "--off"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        text(&output.stdout),
        "deathInProgressNotification: on → off\n\
         deathDeclarationNotification: on → off\n\
         deathRegistrationNotification: on → off\n\
         deathRejectionNotification: on → off\n\
         revision: 1 → 2\n"
    );
    let output = run(&dir, &["toggle", "--audience", "informant", "--on"]);
    assert_eq!(
        text(&output.stdout).lines().count(),
        5,
        "{}",
        text(&output.stdout)
    );
    let output = run(&dir, &["toggle", "--all", "--on"]);
    assert_eq!(text(&output.stdout), "");
    assert_eq!(history(&dir).len(), 2);
}

#[test]
fn without_keys_off_a_terminal_the_error_names_the_flags() {
    let dir = default_catalogue_copy();
    let output = run(&dir, &["toggle"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("--event, --audience or --all"), "{stderr}");
    assert!(stderr.contains("--on or --off"), "{stderr}");

    let output = run(&dir, &["toggle", REGISTRATION]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("add --on or --off"));
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let dir = default_catalogue_copy();
    let before = std::fs::read(catalogue(&dir)).unwrap();
    let output = run(&dir, &["toggle", REGISTRATION, "--off", "--dry-run"]);
    assert_eq!(output.status.code(), Some(0));
    let name = catalogue(&dir).display().to_string();
    let expected = format!(
        "--- a/{name}\n+++ b/{name}\n\
@@ -7,7 +7,7 @@
 # encoding and length. Switch messages on or off with `crvs-comms toggle`
 # rather than editing `enabled` by hand, so the change is recorded in the history.
 schema_version = 1
-revision = 1
+revision = 2
 \n [settings]
 opencrvs = \"1.5\"
@@ -56,7 +56,7 @@
 description = \"Sent to the informant once the birth is registered, with the registration number and where to collect the certificate.\"
 audience = \"informant\"
 event = \"birth\"
-enabled = true
+enabled = false
 sms.en = \"Congratulations! We have registered the birth of {{{{name}}}} under number {{{{registrationNumber}}}}. The certificate will be ready at {{{{crvsOffice}}}} in 5 days; bring your ID to collect it. Tracking ID: {{{{trackingId}}}}.\"
 sms.fr = \"Félicitations ! Nous avons enregistré la naissance de {{{{name}}}} sous le numéro {{{{registrationNumber}}}}. Acte à retirer dans 5 jours, sur pièce d'identité, au bureau suivant : {{{{crvsOffice}}}}. Suivi : {{{{trackingId}}}}.\"
 email.subject.en = \"Birth registered\"
"
    );
    assert_eq!(text(&output.stdout), expected);
    assert!(text(&output.stderr).contains("dry run: nothing written"));
    assert_eq!(std::fs::read(catalogue(&dir)).unwrap(), before);
    assert!(history(&dir).is_empty());
    assert!(!dir.path().join("notifications.toml.lock").exists());
}

#[test]
fn expect_revision_refuses_when_the_file_moved_on() {
    let dir = default_catalogue_copy();
    let before = std::fs::read(catalogue(&dir)).unwrap();
    let output = run(
        &dir,
        &["toggle", REGISTRATION, "--off", "--expect-revision", "0"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("is at revision 1, not 0: it changed since you read it"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(std::fs::read(catalogue(&dir)).unwrap(), before);
    let output = run(
        &dir,
        &["toggle", REGISTRATION, "--off", "--expect-revision", "1"],
    );
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn a_held_lock_ends_in_a_clear_error_after_the_timeout() {
    let dir = default_catalogue_copy();
    let before = std::fs::read(catalogue(&dir)).unwrap();
    let lock = std::fs::File::create(dir.path().join("notifications.toml.lock")).unwrap();
    lock.lock().unwrap();
    let start = std::time::Instant::now();
    let output = run(
        &dir,
        &["toggle", REGISTRATION, "--off", "--lock-timeout", "300ms"],
    );
    let waited = start.elapsed();
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("another command is changing"), "{stderr}");
    assert!(
        stderr.contains("wait longer with --lock-timeout"),
        "{stderr}"
    );
    assert!(
        waited >= std::time::Duration::from_millis(300),
        "{waited:?}"
    );
    assert_eq!(std::fs::read(catalogue(&dir)).unwrap(), before);
    drop(lock);
    let output = run(
        &dir,
        &["toggle", REGISTRATION, "--off", "--lock-timeout", "300ms"],
    );
    assert_eq!(output.status.code(), Some(0));
}

/// The SMS copy of a notification as `show --format json` reads it back.
fn shown_sms(dir: &tempfile::TempDir, key: &str, language: &str) -> String {
    let output = run(dir, &["show", key, "--format", "json"]);
    let shown = stdout_json(&output);
    let pairs = shown["sms"].as_array().unwrap();
    let pair = pairs.iter().find(|p| p[0] == language).unwrap();
    pair[1].as_str().unwrap().to_owned()
}

#[test]
fn awkward_copy_round_trips_exactly() {
    let dir = default_catalogue_copy();
    let texts = [
        "Bonjour {{firstNames}},\nvotre code est {{authCode}}.\n\n— {{applicationName}}",
        "Code \"{{authCode}}\" for {{firstNames}}: it's yours; C:\\path\\n stays \\ as typed",
        "{{authCode}} — code de vérification {{applicationName}} ✅ 🔐 ñ ü 中文",
        "\n{{authCode}} starts with a newline and ends with a quote\"",
        "{{#if firstNames}}{{firstNames}}{{else}}Bonjour{{/if}} : {{authCode}}",
    ];
    for (n, copy) in texts.iter().enumerate() {
        let output = run(
            &dir,
            &[
                "edit",
                "authenticationCodeNotification",
                "--lang",
                "fr",
                "--sms",
                "--text",
                copy,
            ],
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "{copy}: {}",
            text(&output.stderr)
        );
        assert_eq!(
            shown_sms(&dir, "authenticationCodeNotification", "fr"),
            *copy
        );
        let file = std::fs::read_to_string(catalogue(&dir)).unwrap();
        let parsed: toml::Table = toml::from_str(&file).unwrap();
        let sms = &parsed["notifications"]["authenticationCodeNotification"]["sms"];
        assert_eq!(sms["fr"].as_str(), Some(*copy));
        assert_eq!(parsed["revision"].as_integer(), Some(2 + n as i64));
        let recorded = &history(&dir)[n]["changes"][0];
        assert_eq!(recorded["new"], *copy);
        assert_eq!(recorded["field"], "sms.fr");
    }
}

#[test]
fn edit_prints_the_change_and_records_old_and_new_copy() {
    let dir = default_catalogue_copy();
    let output = run(
        &dir,
        &[
            "edit",
            "retieveUserNameNotification",
            "--sms",
            "--text",
            "{{firstNames}}, your username is {{username}}",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "retieveUserNameNotification sms.en: \"{{firstNames}}, as requested, here is your {{applicationName}} username: {{username}}\" → \"{{firstNames}}, your username is {{username}}\"\nrevision: 1 → 2\n"
    );
    let change = &history(&dir)[0]["changes"][0];
    assert_eq!(
        change["old"],
        "{{firstNames}}, as requested, here is your {{applicationName}} username: {{username}}"
    );
}

#[test]
fn copy_with_errors_is_refused_unless_forced() {
    let dir = default_catalogue_copy();
    let before = std::fs::read(catalogue(&dir)).unwrap();
    let args = [
        "edit",
        REGISTRATION,
        "--lang",
        "en",
        "--sms",
        "--text",
        "Registered at {{regOffice}}",
    ];
    let output = run(&dir, &args);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(
            "error[unknown-placeholder] birthRegistrationNotification sms.en: `{{regOffice}}`"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("error[missing-required-placeholder]"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(std::fs::read(catalogue(&dir)).unwrap(), before);
    assert!(history(&dir).is_empty());

    let output = run(&dir, &[&args[..], &["--force"]].concat());
    assert_eq!(output.status.code(), Some(0));
    assert!(text(&output.stderr).contains("written anyway (--force)"));
    assert_eq!(
        shown_sms(&dir, REGISTRATION, "en"),
        "Registered at {{regOffice}}"
    );
}

#[test]
fn warnings_are_shown_and_do_not_block() {
    let dir = default_catalogue_copy();
    let copy = "Naissance de {{name}} enregistrée. Suivi : {{trackingId}}.";
    let output = run(
        &dir,
        &[
            "edit",
            REGISTRATION,
            "--lang",
            "fr",
            "--sms",
            "--text",
            copy,
        ],
    );
    assert_eq!(output.status.code(), Some(0));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("warning[placeholder-mismatch] birthRegistrationNotification sms.fr"),
        "{stderr}"
    );
    assert_eq!(shown_sms(&dir, REGISTRATION, "fr"), copy);
}

#[test]
fn edit_needs_a_known_language_and_some_text() {
    let dir = default_catalogue_copy();
    let before = std::fs::read(catalogue(&dir)).unwrap();
    let output = run(
        &dir,
        &["edit", REGISTRATION, "--lang", "pt", "--sms", "--text", "x"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("`pt` is not one of the catalogue's languages (en, fr)"));
    let output = run(&dir, &["edit", REGISTRATION, "--sms"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("--text"));
    let output = run(&dir, &["edit", REGISTRATION, "--sms", "--editor"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("--editor needs a terminal"));
    let output = run(
        &dir,
        &[
            "edit",
            "birthRegistratonNotification",
            "--sms",
            "--text",
            "x",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("did you mean `birthRegistrationNotification`?"));
    assert_eq!(std::fs::read(catalogue(&dir)).unwrap(), before);
}

/// Every kind of hand formatting survives toggles and edits; only the changed values and the
/// revision differ, byte for byte.
#[test]
fn a_hand_commented_catalogue_keeps_every_byte_it_did_not_ask_to_change() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("store-commented/notifications.toml"),
        catalogue(&dir),
    )
    .unwrap();
    let steps: [&[&str]; 7] = [
        &[
            "toggle",
            "birthRegistrationNotification",
            "birthDeclarationNotification",
            "--off",
        ],
        &["toggle", "birthRejectionNotification", "--on"],
        &[
            "edit",
            "birthInProgressNotification",
            "--lang",
            "en",
            "--sms",
            "--text",
            "Birth reported under {{trackingId}}. Please visit {{crvsOffice}}.",
        ],
        &[
            "edit",
            "birthInProgressNotification",
            "--lang",
            "fr",
            "--sms",
            "--text",
            "Naissance signalée : suivi {{trackingId}}.\nPrésentez-vous au \"bureau\" {{crvsOffice}} 🙂",
        ],
        &[
            "edit",
            "birthDeclarationNotification",
            "--lang",
            "fr",
            "--sms",
            "--text",
            "Déclaration de {{name}} reçue — suivi {{trackingId}}.",
        ],
        &[
            "edit",
            "birthRegistrationNotification",
            "--sms",
            "--text",
            "Registered: {{name}} \\ {{registrationNumber}} (ID {{trackingId}}) ✅",
        ],
        &[
            "edit",
            "birthRegistrationNotification",
            "--lang",
            "fr",
            "--email-subject",
            "--text",
            "Naissance enregistrée",
        ],
    ];
    for step in steps {
        let output = run(&dir, step);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{step:?}: {}",
            text(&output.stderr)
        );
    }
    let expected = std::fs::read_to_string(fixture("store-commented/expected.toml")).unwrap();
    assert_eq!(std::fs::read_to_string(catalogue(&dir)).unwrap(), expected);
    // `settings.history` names the history file.
    let entries = history_lines(dir.path(), "audit.jsonl");
    let revisions: Vec<i64> = entries
        .iter()
        .map(|e| e["revision"].as_i64().unwrap())
        .collect();
    assert_eq!(revisions, [42, 43, 44, 45, 46, 47, 48]);
}

#[test]
fn a_hand_edit_between_two_tool_edits_is_recorded() {
    let dir = default_catalogue_copy();
    run(&dir, &["toggle", REGISTRATION, "--off"]);
    let written = std::fs::read_to_string(catalogue(&dir)).unwrap();
    let edited = written.replace(
        "label = \"Declaration rejected\"",
        "label = \"Declaration sent back\"",
    );
    assert_ne!(edited, written);
    std::fs::write(catalogue(&dir), &edited).unwrap();

    let output = run(&dir, &["toggle", REGISTRATION, "--on"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        text(&output.stderr).contains(
            "note: the catalogue was edited by hand after revision 2: its content changed but its revision did not; recorded in the history"
        ),
        "{}",
        text(&output.stderr)
    );
    let entries = history(&dir);
    assert_eq!(entries.len(), 2);
    assert!(entries[0].get("hand_edit").is_none());
    assert_eq!(
        entries[1]["hand_edit"],
        serde_json::json!({
            "recorded_revision": 2,
            "recorded_sha256": crvs_comms::store::history::sha256_hex(written.as_bytes()),
            "found_revision": 2,
            "found_sha256": crvs_comms::store::history::sha256_hex(edited.as_bytes()),
        })
    );
    // The next tool edit starts from what the tool wrote: nothing more to report.
    run(&dir, &["toggle", REGISTRATION, "--off"]);
    assert!(history(&dir)[2].get("hand_edit").is_none());

    let output = run_wide(&dir, &["history"]);
    assert!(
        text(&output.stdout)
            .contains("! noticed first: the catalogue was edited by hand after revision 2"),
        "{}",
        text(&output.stdout)
    );
}

#[test]
fn history_is_newest_first_and_filters_by_key_and_revision() {
    let dir = default_catalogue_copy();
    run(&dir, &["toggle", REGISTRATION, "--off"]);
    run(&dir, &["toggle", "deathRegistrationNotification", "--off"]);
    run(
        &dir,
        &[
            "toggle",
            REGISTRATION,
            "deathRejectionNotification",
            "--off",
        ],
    );
    run(&dir, &["toggle", REGISTRATION, "--on"]);

    let output = run(&dir, &["history", "--format", "json"]);
    let revisions: Vec<i64> = stdout_json(&output)
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["revision"].as_i64().unwrap())
        .collect();
    assert_eq!(revisions, [5, 4, 3, 2]);

    let output = run(
        &dir,
        &["history", REGISTRATION, "--since", "2", "--format", "json"],
    );
    let entries = stdout_json(&output);
    let entries = entries.as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["revision"], 5);

    let output = run(
        &dir,
        &["history", "deathRejectionNotification", "--format", "json"],
    );
    let entries = stdout_json(&output);
    assert_eq!(
        entries[0]["changes"],
        serde_json::json!([{"key": "deathRejectionNotification", "field": "enabled", "old": true, "new": false}])
    );

    let output = run_wide(&dir, &["history", "--since", "3"]);
    assert_eq!(output.status.code(), Some(0));
    let table = text(&output.stdout);
    assert!(
        table.contains("birthRegistrationNotification enabled: off → on"),
        "{table}"
    );
    assert!(table.contains("amina"));
    assert!(!table.contains("deathRegistrationNotification"), "{table}");
    let lines: Vec<&str> = table.lines().collect();
    let row_of = |rev: &str| {
        lines
            .iter()
            .position(|l| l.starts_with(&format!("│ {rev} ")))
            .unwrap()
    };
    assert!(row_of("5") < row_of("4"));

    let output = run(&dir, &["history", "birthRegistratonNotification"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("did you mean `birthRegistrationNotification`?"));
}

#[test]
fn an_empty_history_says_so() {
    let dir = default_catalogue_copy();
    let output = run(&dir, &["history"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(text(&output.stdout), "");
    assert!(text(&output.stderr).starts_with("no changes recorded in "));
    let output = run(&dir, &["history", "--format", "json"]);
    assert_eq!(text(&output.stdout), "[]\n");
}
