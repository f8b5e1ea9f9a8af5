//! `crvs-comms check`: one case per finding code on a small, clean catalogue with one problem
//! added, asserting the code, severity and exact position; plus the output formats, exit codes and
//! the repository's own catalogue.

use std::path::Path;

use serde_json::Value;

use super::{crvs, fixture, repo, stdout_json};

fn minimal() -> String {
    std::fs::read_to_string(fixture("minimal/notifications.toml")).unwrap()
}

/// Runs `check --format json` on `text` written as `notifications.toml` in a fresh folder,
/// beside the given extra files. Returns the report and the exit code.
fn check_text(text: &str, files: &[(&str, &str)]) -> (Value, i32) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notifications.toml"), text).unwrap();
    for (name, content) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    let output = crvs()
        .current_dir(dir.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    (stdout_json(&output), output.status.code().unwrap())
}

/// The 1-based line and column (in characters) where `needle` first appears in `text`.
fn position(text: &str, needle: &str) -> (u64, u64) {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` is not in the text"));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line as u64, column as u64)
}

/// The only finding with `code`; fails if there is none or more than one.
fn only<'r>(report: &'r Value, code: &str) -> &'r Value {
    let found: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one `{code}` finding in {report:#}"
    );
    found[0]
}

fn at(finding: &Value) -> (u64, u64) {
    (
        finding["line"].as_u64().unwrap(),
        finding["column"].as_u64().unwrap(),
    )
}

fn replaced(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "`{from}` is not in the fixture");
    text.replacen(from, to, 1)
}

#[test]
fn the_minimal_fixture_and_the_repository_catalogue_check_clean() {
    let (report, code) = check_text(&minimal(), &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        report["summary"],
        serde_json::json!({"errors": 0, "warnings": 0})
    );
    assert_eq!(report["revision"], 4);

    let output = crvs().current_dir(repo()).arg("check").output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains("error["), "{stdout}");
    assert!(stdout.ends_with("0 errors, 0 warnings\n"), "{stdout}");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn toml_syntax() {
    let text = replaced(&minimal(), "revision = 4", "revision = = 4");
    let (report, code) = check_text(&text, &[]);
    assert_eq!(code, 1);
    let finding = only(&report, "toml-syntax");
    assert_eq!(finding["severity"], "error");
    assert_eq!(at(finding), (3, 12));
    assert_eq!(report["revision"], Value::Null);
}

#[test]
fn schema_unknown_field_wrong_value_and_newer_version() {
    let text = replaced(
        &minimal(),
        "label = \"Code\"\n",
        "label = \"Code\"\ncolour = \"red\"\n",
    );
    let (report, code) = check_text(&text, &[]);
    assert_eq!(code, 1);
    let finding = only(&report, "schema");
    assert_eq!(at(finding), position(&text, "colour"));
    assert!(finding["message"].as_str().unwrap().contains("colour"));
    assert_eq!(finding["notification"], "authenticationCodeNotification");

    let text = replaced(
        &minimal(),
        "audience = \"user\"\nenabled = true\nsms.en = \"Code",
        "audience = \"staff\"\nenabled = true\nsms.en = \"Code",
    );
    let (report, _) = check_text(&text, &[]);
    assert_eq!(at(only(&report, "schema")), position(&text, "\"staff\""));

    let text = replaced(&minimal(), "schema_version = 1", "schema_version = 2");
    let (report, code) = check_text(&text, &[]);
    assert_eq!(code, 1);
    let finding = only(&report, "schema");
    assert_eq!(at(finding), (2, 18));
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("newer crvs-comms")
    );
}

#[test]
fn template_syntax() {
    let text = replaced(
        &minimal(),
        "\"Code: {{authCode}}\"",
        "\"Code: {{authCode}\"",
    );
    let (report, code) = check_text(&text, &[]);
    assert_eq!(code, 1);
    let finding = only(&report, "template-syntax");
    assert_eq!(finding["notification"], "authenticationCodeNotification");
    assert_eq!(
        (finding["channel"].as_str(), finding["language"].as_str()),
        (Some("sms"), Some("en"))
    );
    let (line, _) = position(&text, "\"Code: {{authCode}\"");
    assert_eq!(finding["line"], line);
}

#[test]
fn unknown_placeholders_from_opencrvs_own_examples_get_suggestions() {
    let text = replaced(
        &minimal(),
        "sms.en = \"Started: tracking {{trackingId}}, visit {{crvsOffice}}.\"",
        "sms.en = \"Your tracking ID is {{trackingID}}. Please visit {{regOffice}}.\"",
    );
    let (report, code) = check_text(&text, &[]);
    assert_eq!(code, 1);
    let unknown: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "unknown-placeholder")
        .collect();
    assert_eq!(unknown.len(), 2, "{report:#}");
    assert_eq!(at(unknown[0]), position(&text, "{{trackingID}}"));
    assert_eq!(unknown[0]["suggestion"], "trackingId");
    assert_eq!(at(unknown[1]), position(&text, "{{regOffice}}"));
    assert_eq!(unknown[1]["suggestion"], "crvsOffice");
    assert_eq!(unknown[0]["severity"], "error");
    assert_eq!(unknown[0]["notification"], "birthInProgressNotification");
}

#[test]
fn the_documented_examples_read_well_in_human_output() {
    let dir = tempfile::tempdir().unwrap();
    let text = replaced(
        &minimal(),
        "sms.en = \"Started: tracking {{trackingId}}, visit {{crvsOffice}}.\"",
        "sms.en = \"Your tracking ID is {{trackingID}}. Please visit {{regOffice}}.\"",
    );
    std::fs::write(dir.path().join("notifications.toml"), &text).unwrap();
    let output = crvs()
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let (line, column) = position(&text, "{{trackingID}}");
    assert!(stdout.contains(&format!(
        "notifications.toml:{line}:{column}: error[unknown-placeholder] birthInProgressNotification sms.en: `{{{{trackingID}}}}` is not a variable OpenCRVS 1.5 supplies, so it is sent as blank text (did you mean `trackingId`?)"
    )), "{stdout}");
    assert!(stdout.contains("(did you mean `crvsOffice`?)"), "{stdout}");
    // The copy also lost the tracking ID it exists to deliver, and no longer matches `fr`.
    assert!(
        stdout.contains("error[missing-required-placeholder]"),
        "{stdout}"
    );
    assert!(stdout.ends_with("3 errors, 1 warning\n"), "{stdout}");
}

#[test]
fn unsupplied_placeholder_in_a_v1_5_rejection() {
    let text = replaced(
        &minimal(),
        "sms.en = \"Tracking {{trackingId}} needs changes; contact {{crvsOffice}}.\"",
        "sms.en = \"{{name}}: tracking {{trackingId}} needs changes; contact {{crvsOffice}}.\"",
    );
    let (report, code) = check_text(&text, &[]);
    assert_eq!(code, 1);
    let finding = only(&report, "unsupplied-placeholder");
    assert_eq!(
        at(finding),
        position(&text, "{{name}}: tracking {{trackingId}} needs")
    );
    assert_eq!(finding["notification"], "birthRejectionNotification");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("does not supply it")
    );
}

#[test]
fn missing_required_placeholder() {
    let text = replaced(
        &minimal(),
        "sms.en = \"Code: {{authCode}}\"",
        "sms.en = \"Your code is on its way\"",
    );
    let (report, code) = check_text(&text, &[]);
    assert_eq!(code, 1);
    let finding = only(&report, "missing-required-placeholder");
    assert_eq!(at(finding), position(&text, "Your code is on its way"));
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("{{authCode}}")
    );
}

#[test]
fn missing_copy_for_a_language_and_for_a_whole_key() {
    let text = replaced(&minimal(), "sms.fr = \"Identifiant : {{username}}\"\n", "");
    let (report, code) = check_text(&text, &[]);
    assert_eq!(code, 1);
    let finding = only(&report, "missing-copy");
    assert_eq!(finding["notification"], "retieveUserNameNotification");
    assert_eq!(finding["language"], "fr");
    assert_eq!(at(finding), position(&text, "retieveUserNameNotification]"));

    let text = replaced(
        &minimal(),
        "[notifications.correctionApproved]\nlabel = \"Correction approved\"\naudience = \"user\"\nenabled = true\nsms.en = \"Correction of {{trackingId}} approved.\"\nsms.fr = \"Correction de {{trackingId}} approuvée.\"\n",
        "",
    );
    let (report, _) = check_text(&text, &[]);
    let finding = only(&report, "missing-copy");
    assert_eq!(finding["notification"], "correctionApproved");
    assert_eq!(finding["line"], Value::Null);
    assert_eq!(finding["file"], "notifications.toml");
}

#[test]
fn disabled_informant_notifications_need_no_copy_but_staff_ones_do() {
    let text = replaced(
        &minimal(),
        "event = \"birth\"\nenabled = true\nsms.en = \"Started: tracking {{trackingId}}, visit {{crvsOffice}}.\"\n",
        "event = \"birth\"\nenabled = false\nsms.en = \"Started: tracking {{trackingId}}, visit {{crvsOffice}}.\"\n",
    );
    let text = replaced(
        &text,
        "sms.fr = \"Commencé : suivi {{trackingId}}, passez à {{crvsOffice}}.\"\n",
        "",
    );
    let (report, code) = check_text(&text, &[]);
    assert_eq!(code, 0, "{report:#}");
}

#[test]
fn missing_template_file_and_findings_inside_template_files() {
    let text = replaced(
        &minimal(),
        "sms.fr = \"Code : {{authCode}}\"\n",
        "sms.fr = \"Code : {{authCode}}\"\nemail.body = \"templates/nope.html\"\n",
    );
    let (report, code) = check_text(&text, &[]);
    assert_eq!(code, 1);
    let finding = only(&report, "missing-template-file");
    assert_eq!(at(finding), position(&text, "\"templates/nope.html\""));

    let body = "<html>\n<body>\n  <p>Hello {{firstNames}}, your code is {{authcode}}.</p>\n</body>\n</html>\n";
    let (report, _) = check_text(&text, &[("templates/nope.html", body)]);
    let finding = only(&report, "unknown-placeholder");
    assert_eq!(
        finding["file"],
        Path::new("templates")
            .join("nope.html")
            .display()
            .to_string()
    );
    assert_eq!(at(finding), position(body, "{{authcode}}"));
    assert_eq!(finding["suggestion"], "authCode");
    assert_eq!(finding["channel"], "email");
    let required = only(&report, "missing-required-placeholder");
    assert_eq!(required["file"], finding["file"]);
}

#[test]
fn secret_in_file_is_reported_without_the_secret() {
    let secret = "live-9f8e7d6c5b4a3210";
    let text = format!(
        "{}\n[gateways.infobip]\nprovider = \"infobip\"\nurl = \"https://api.example.org\"\napi_key = \"{secret}\"\n",
        minimal()
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notifications.toml"), &text).unwrap();
    for format in ["json", "human", "github"] {
        let output = crvs()
            .current_dir(dir.path())
            .args(["check", "--format", format])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        assert!(!String::from_utf8_lossy(&output.stdout).contains(secret));
        assert!(!String::from_utf8_lossy(&output.stderr).contains(secret));
    }
    let (report, _) = check_text(&text, &[]);
    let finding = only(&report, "secret-in-file");
    assert_eq!(at(finding), position(&text, "api_key"));
}

#[test]
fn unknown_notification_is_a_warning_with_the_real_key_suggested() {
    let text = format!(
        "{}\n[notifications.retrieveUserNameNotification]\naudience = \"user\"\nenabled = true\nsms.en = \"Username: {{{{username}}}}\"\nsms.fr = \"Identifiant : {{{{username}}}}\"\n",
        minimal()
    );
    let (report, code) = check_text(&text, &[]);
    assert_eq!(code, 0, "{report:#}");
    let finding = only(&report, "unknown-notification");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["suggestion"], "retieveUserNameNotification");
    assert_eq!(
        at(finding),
        position(&text, "retrieveUserNameNotification]")
    );

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notifications.toml"), &text).unwrap();
    crvs()
        .current_dir(dir.path())
        .args(["check", "--strict"])
        .assert()
        .code(1);
}

#[test]
fn a_custom_notification_with_declared_variables_is_accepted() {
    let text = format!(
        "{}\n[notifications.myCountryReminder]\naudience = \"informant\"\nevent = \"birth\"\nenabled = false\nvariables = [\"trackingId\", \"name\"]\nsms.en = \"Reminder for {{{{name}}}}: {{{{trackingId}}}}\"\nsms.fr = \"Rappel pour {{{{name}}}} : {{{{trackingId}}}}\"\n",
        minimal()
    );
    let (report, code) = check_text(&text, &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["findings"], serde_json::json!([]));
}

#[test]
fn placeholder_mismatch_between_languages() {
    let text = replaced(
        &minimal(),
        "sms.fr = \"Correction de {{trackingId}} refusée : {{reason}}\"",
        "sms.fr = \"Correction de {{trackingId}} refusée.\"",
    );
    let (report, code) = check_text(&text, &[]);
    assert_eq!(code, 0);
    let finding = only(&report, "placeholder-mismatch");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["language"], "fr");
    assert_eq!(
        at(finding),
        position(&text, "Correction de {{trackingId}} refusée.")
    );
    assert!(finding["message"].as_str().unwrap().contains("`reason`"));
}

#[test]
fn unknown_language() {
    let text = replaced(
        &minimal(),
        "sms.fr = \"Code : {{authCode}}\"\n",
        "sms.fr = \"Code : {{authCode}}\"\nsms.pt = \"Código: {{authCode}}\"\n",
    );
    let (report, code) = check_text(&text, &[]);
    assert_eq!(code, 0);
    let finding = only(&report, "unknown-language");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(at(finding), position(&text, "\"Código"));
}

#[test]
fn github_format_annotates_files() {
    let text = replaced(&minimal(), "{{authCode}}\"", "{{authcode}}\"");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notifications.toml"), &text).unwrap();
    let output = crvs()
        .current_dir(dir.path())
        .args(["check", "--format", "github"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let (line, column) = position(&text, "{{authcode}}");
    assert!(
        stdout.contains(&format!("::error file=notifications.toml,line={line},col={column},title=unknown-placeholder::authenticationCodeNotification: ")),
        "{stdout}"
    );
}

#[test]
fn a_missing_file_is_exit_2_and_names_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let output = crvs()
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("notifications.toml"), "{stderr}");
    assert!(stderr.contains("--file"), "{stderr}");
}

#[test]
fn the_file_option_and_its_environment_variable() {
    let path = fixture("minimal/notifications.toml");
    crvs().args(["check", "--file"]).arg(&path).assert().code(0);
    crvs()
        .env("CRVS_COMMS_FILE", &path)
        .arg("check")
        .assert()
        .code(0);
}

#[test]
fn a_broken_file_never_panics() {
    let text = minimal();
    let cuts: Vec<usize> = (1..text.len())
        .step_by(97)
        .filter(|i| text.is_char_boundary(*i))
        .collect();
    for cut in cuts {
        let (report, code) = check_text(&text[..cut], &[]);
        assert!(code == 0 || code == 1, "cut at {cut}: exit {code}");
        assert!(report["summary"]["errors"].is_u64());
    }
    let (report, code) = check_text("\u{0}\u{1}garbage[[[", &[]);
    assert_eq!(code, 1);
    assert_eq!(report["findings"][0]["code"], "toml-syntax");
}

#[test]
fn a_secret_pasted_into_an_env_field_or_a_url_is_reported_once() {
    let text = format!(
        "{}\n[gateways.infobip]\nprovider = \"infobip\"\nurl = \"https://sms:hunter2@api.example.org\"\napi_key_env = \"9f8e7d6c-5b4a-live\"\n",
        minimal()
    );
    let (report, code) = check_text(&text, &[]);
    assert_eq!(code, 1);
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["secret-in-file", "secret-in-file"], "{report:#}");
    assert_eq!(at(&report["findings"][0]), position(&text, "\"https://sms"));
    assert_eq!(at(&report["findings"][1]), position(&text, "\"9f8e7d6c"));
    let serialised = report.to_string();
    assert!(!serialised.contains("hunter2") && !serialised.contains("9f8e7d6c-5b4a-live"));
}

#[test]
fn a_custom_email_only_notification_needs_no_sms_copy() {
    let text = format!(
        "{}\n[notifications.certificateReady]\naudience = \"informant\"\nevent = \"birth\"\nenabled = true\nvariables = [\"trackingId\"]\nemail.subject.en = \"Certificate {{{{trackingId}}}}\"\nemail.subject.fr = \"Acte {{{{trackingId}}}}\"\nemail.body = \"templates/ready.html\"\n",
        minimal()
    );
    let body = "<p>Your certificate for {{trackingId}} is ready.</p>\n";
    let (report, code) = check_text(&text, &[("templates/ready.html", body)]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["findings"], serde_json::json!([]));

    let without_email = text.replace("email.body = \"templates/ready.html\"\n", "").replace("email.subject.en = \"Certificate {{trackingId}}\"\nemail.subject.fr = \"Acte {{trackingId}}\"\n", "");
    let (report, _) = check_text(&without_email, &[]);
    let missing: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "missing-copy")
        .collect();
    assert_eq!(missing.len(), 2, "{report:#}");
}
