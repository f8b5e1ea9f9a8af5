//! `preview`: SMS and email rendered with sample data, `--set`, `--all`, `--out`, the JSON shapes,
//! and the `check` warnings on SMS encoding and length, against `tests/fixtures/preview`.

use serde_json::json;

use crate::{crvs, default_catalogue_copy, fixture, stdout_json};

/// `crvs-comms ARGS` run in the fixture folder, so paths print as they are written.
fn preview_in_fixture(args: &[&str]) -> assert_cmd::assert::Assert {
    crvs()
        .current_dir(fixture("preview"))
        .args(["--file", "notifications.toml"])
        .args(args)
        .assert()
}

fn stdout(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stderr.clone()).unwrap()
}

#[test]
fn sms_shows_the_text_its_cost_and_worst_case() {
    let assert = preview_in_fixture(&["preview", "birthDeclarationNotification"]).success();
    assert_eq!(
        stdout(&assert),
        "birthDeclarationNotification · SMS · en\n\
         \n\
         \x20 Dear Aoife O'Brien, the birth of Liam O'Brien is declared. Tracking ID: B7X2K9Q.\n\
         \n\
         encoding    GSM-7\n\
         units       80\n\
         parts       1 part\n\
         remaining   80 units free in the last part\n\
         worst case  2 parts with every variable at its max_length: over settings.max_sms_parts (1)\n"
    );
}

#[test]
fn sms_json_has_exactly_the_documented_keys() {
    let assert = preview_in_fixture(&["preview", "birthRejectionNotification", "--format", "json"])
        .success();
    assert_eq!(
        stdout_json(assert.get_output()),
        json!({
            "notification": "birthRejectionNotification",
            "channel": "sms",
            "language": "en",
            "text": "We couldn’t register B7X2K9Q – please visit Ibombo District Office.",
            "encoding": "UCS-2",
            "units": 67,
            "parts": 1,
            "remaining_in_part": 3,
            "non_gsm": [{ "char": "’", "index": 9 }, { "char": "–", "index": 29 }],
            "worst_case_parts": 1,
        })
    );
}

#[test]
fn characters_forcing_ucs2_are_listed_with_their_positions() {
    let assert = preview_in_fixture(&["preview", "birthRejectionNotification"]).success();
    let out = stdout(&assert);
    assert!(
        out.contains(
            "encoding    UCS-2 (70 units a part instead of 160), forced by 2 characters:\n\
             \x20           `’` U+2019 at character 10\n\
             \x20           `–` U+2013 at character 30\n\
             units       67\n"
        ),
        "{out}"
    );
}

#[test]
fn worst_case_is_null_when_no_variable_has_a_max_length() {
    let assert = preview_in_fixture(&[
        "preview",
        "birthRejectionNotification",
        "--lang",
        "fr",
        "--sample",
        "sample-without-limits.toml",
        "--format",
        "json",
    ])
    .success();
    let json = stdout_json(assert.get_output());
    assert_eq!(json["worst_case_parts"], serde_json::Value::Null);
    assert_eq!(
        json["text"],
        "Le dossier B7X2K9Q doit être corrigé : voyez Bureau d'Ibombo."
    );
}

#[test]
fn sms_is_not_escaped_but_the_email_is() {
    let sms = preview_in_fixture(&[
        "preview",
        "birthDeclarationNotification",
        "--format",
        "json",
    ])
    .success();
    let sms = stdout_json(sms.get_output());
    assert_eq!(
        sms["text"],
        "Dear Aoife O'Brien, the birth of Liam O'Brien is declared. Tracking ID: B7X2K9Q."
    );

    let email = preview_in_fixture(&[
        "preview",
        "birthDeclarationNotification",
        "--channel",
        "email",
        "--format",
        "json",
    ])
    .success();
    let email = stdout_json(email.get_output());
    let html = std::fs::read_to_string(fixture("preview").join("body.html"))
        .unwrap()
        .replace("{{informantName}}", "Aoife O&#x27;Brien")
        .replace("{{name}}", "Liam O&#x27;Brien")
        .replace("{{trackingId}}", "B7X2K9Q");
    assert_eq!(
        email,
        json!({
            "notification": "birthDeclarationNotification",
            "channel": "email",
            "language": "en",
            "subject": "Declaration for Liam O&#x27;Brien",
            "html": html,
        })
    );
}

#[test]
fn email_shows_the_subject_and_the_body_as_text_and_out_writes_the_html() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("declaration.html");
    let assert = preview_in_fixture(&[
        "preview",
        "birthDeclarationNotification",
        "--channel",
        "email",
        "--out",
        out.to_str().unwrap(),
    ])
    .success();
    assert_eq!(
        stdout(&assert),
        "birthDeclarationNotification · email · en\n\
         \n\
         subject     Declaration for Liam O'Brien\n\
         body        body.html\n\
         \n\
         \x20 Declaration received\n\
         \n\
         \x20 Dear Aoife O'Brien,\n\
         \x20 the declaration for Liam O'Brien is with the office.\n\
         \n\
         \x20 Track it <https://crvs.example.org/track/B7X2K9Q>\n"
    );
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(
        written.contains("<p>Dear Aoife O&#x27;Brien,<br>"),
        "{written}"
    );
    assert!(written.starts_with("<!DOCTYPE html>"));
    assert!(stderr(&assert).contains("wrote the rendered email body to"));
}

#[test]
fn a_notification_without_sms_copy_previews_its_email() {
    let assert = preview_in_fixture(&["preview", "allUserNotification", "--lang", "fr"]).success();
    assert_eq!(
        stdout(&assert),
        "allUserNotification · email · fr\n\
         \n\
         subject     Planned downtime on Friday\n\
         body        broadcast.html\n\
         \n\
         \x20 The system is down on Friday from 18:00 & back by 20:00.\n\
         \n\
         \x20 Sent by CRVS Test\n"
    );
}

#[test]
fn a_missing_sample_value_is_named_and_fails() {
    let assert = preview_in_fixture(&["preview", "birthRegistrationNotification"]).code(1);
    assert_eq!(stdout(&assert), "");
    assert_eq!(
        stderr(&assert),
        "error: cannot render the SMS of `birthRegistrationNotification` in `en`: no sample value \
         for `registrationNumber`; give a value with --set NAME=VALUE or add it to sample-data.toml\n"
    );
}

#[test]
fn set_gives_a_missing_value_and_overrides_the_sample() {
    let assert = preview_in_fixture(&[
        "preview",
        "birthRegistrationNotification",
        "--set",
        "registrationNumber=2026B0000042",
        "--set",
        "name=Zoë Banda",
        "--format",
        "json",
    ])
    .success();
    let json = stdout_json(assert.get_output());
    assert_eq!(
        json["text"],
        "Zoë Banda is registered as number 2026B0000042. ID: B7X2K9Q."
    );
    assert_eq!(json["encoding"], "UCS-2");
    assert_eq!(json["non_gsm"], json!([{ "char": "ë", "index": 2 }]));
}

#[test]
fn bad_arguments_exit_2() {
    preview_in_fixture(&["preview", "birthDeclarationNotification", "--lang", "de"])
        .code(2)
        .stderr(predicates::str::contains(
            "`de` is not a language of notifications.toml (it has en, fr)",
        ));
    preview_in_fixture(&["preview", "birthDeclarationNotification", "--out", "x.html"])
        .code(2)
        .stderr(predicates::str::contains("--out writes an email body"));
    preview_in_fixture(&["preview", "birthDeclaration"])
        .code(2)
        .stderr(predicates::str::contains(
            "did you mean `birthDeclarationNotification`?",
        ));
    preview_in_fixture(&["preview", "x", "--set", "novalue"])
        .code(2)
        .stderr(predicates::str::contains("is not NAME=VALUE"));
}

#[test]
fn all_is_a_table_with_markers_and_fails_on_missing_values() {
    let assert = preview_in_fixture(&["preview", "--all"]).code(1);
    let out = stdout(&assert);
    let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("│ ")).collect();
    let expected = [
        [
            "birthDeclarationNotification",
            "en",
            "on",
            "GSM-7",
            "80",
            "1",
            "2 !",
            "over max_sms_parts (1)",
        ],
        [
            "birthDeclarationNotification",
            "fr",
            "on",
            "GSM-7",
            "83",
            "1",
            "2 !",
            "over max_sms_parts (1)",
        ],
        [
            "birthRegistrationNotification",
            "en",
            "off",
            "-",
            "-",
            "-",
            "-",
            "no sample value for `registrationNumber`",
        ],
        [
            "birthRegistrationNotification",
            "fr",
            "off",
            "-",
            "-",
            "-",
            "-",
            "no sample value for `registrationNumber`",
        ],
        [
            "birthRejectionNotification",
            "en",
            "on",
            "UCS-2",
            "67",
            "1",
            "1",
            "",
        ],
        [
            "birthRejectionNotification",
            "fr",
            "on",
            "UCS-2",
            "61",
            "1",
            "1",
            "",
        ],
        [
            "allUserNotification",
            "en",
            "on",
            "-",
            "-",
            "-",
            "-",
            "no SMS copy",
        ],
        [
            "allUserNotification",
            "fr",
            "on",
            "-",
            "-",
            "-",
            "-",
            "no SMS copy",
        ],
    ];
    // The header row first, then one row per notification × language.
    assert_eq!(rows.len(), expected.len() + 1, "{out}");
    for (row, cells) in rows[1..].iter().zip(expected) {
        let found: Vec<&str> = row.trim_matches('│').split('┆').map(str::trim).collect();
        assert_eq!(found, cells, "{out}");
    }
    assert!(
        out.ends_with(
            "8 messages; 2 over the limit of 1 part (marked !); 2 missing a sample value\n"
        ),
        "{out}"
    );
    assert_eq!(
        stderr(&assert),
        "error: 2 messages could not be rendered: no sample value for `registrationNumber`; give a \
         value with --set NAME=VALUE or add it to sample-data.toml\n"
    );
}

#[test]
fn all_json_rows_have_exactly_the_documented_keys() {
    let assert = preview_in_fixture(&[
        "preview",
        "--all",
        "--lang",
        "fr",
        "--set",
        "registrationNumber=2026B0000042",
        "--format",
        "json",
    ])
    .success();
    let rows = stdout_json(assert.get_output());
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows[0],
        json!({
            "notification": "birthDeclarationNotification",
            "language": "fr",
            "enabled": true,
            "text": "Bonjour Aoife O'Brien, la naissance de Liam O'Brien est déclarée. Numéro : B7X2K9Q.",
            "encoding": "GSM-7",
            "units": 83,
            "parts": 1,
            "remaining_in_part": 77,
            "worst_case_parts": 2,
            "over_limit": true,
            "missing": [],
            "problem": null,
        })
    );
    assert_eq!(
        rows[1]["text"],
        "Liam O'Brien est enregistré sous le numéro 2026B0000042. ID : B7X2K9Q."
    );
    assert_eq!(
        rows[3],
        json!({
            "notification": "allUserNotification",
            "language": "fr",
            "enabled": true,
            "text": null,
            "encoding": null,
            "units": null,
            "parts": null,
            "remaining_in_part": null,
            "worst_case_parts": null,
            "over_limit": false,
            "missing": [],
            "problem": "no SMS copy",
        })
    );
}

#[test]
fn all_json_names_missing_values_in_each_row() {
    let assert =
        preview_in_fixture(&["preview", "--all", "--lang", "en", "--format", "json"]).code(1);
    let rows = stdout_json(assert.get_output());
    assert_eq!(rows[1]["notification"], "birthRegistrationNotification");
    assert_eq!(rows[1]["missing"], json!(["registrationNumber"]));
    assert_eq!(rows[1]["parts"], serde_json::Value::Null);
}

/// The line and column of the first `needle` after `after` in the fixture catalogue.
fn position_in_catalogue(after: &str, needle: char) -> (usize, usize) {
    let text = std::fs::read_to_string(fixture("preview").join("notifications.toml")).unwrap();
    let (index, line) = text
        .lines()
        .enumerate()
        .find(|(_, line)| line.starts_with(after))
        .unwrap();
    let column = line.chars().position(|c| c == needle).unwrap() + 1;
    (index + 1, column)
}

fn sms_findings() -> Vec<serde_json::Value> {
    let assert = preview_in_fixture(&["check", "--format", "json"]).code(1);
    let report = stdout_json(assert.get_output());
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"].as_str().unwrap().starts_with("sms-"))
        .cloned()
        .collect()
}

#[test]
fn check_warns_on_copy_that_forces_ucs2_with_every_position() {
    let findings = sms_findings();
    let encoding: Vec<_> = findings
        .iter()
        .filter(|f| f["code"] == "sms-encoding")
        .collect();
    assert_eq!(encoding.len(), 2, "{findings:#?}");
    let (line, apostrophe) = position_in_catalogue("sms.en = \"We couldn", '’');
    let (_, dash) = position_in_catalogue("sms.en = \"We couldn", '–');
    assert_eq!((line, apostrophe, dash), (35, 20, 47));
    assert_eq!(encoding[0]["severity"], "warning");
    assert_eq!(encoding[0]["notification"], "birthRejectionNotification");
    assert_eq!(encoding[0]["language"], "en");
    assert_eq!(
        (encoding[0]["line"].clone(), encoding[0]["column"].clone()),
        (json!(line), json!(apostrophe))
    );
    assert_eq!(
        encoding[0]["message"],
        format!(
            "this SMS is sent as UCS-2, 70 characters a part instead of 160, because of `’` (U+2019) \
             at notifications.toml:{line}:{apostrophe}, `–` (U+2013) at notifications.toml:{line}:{dash}; \
             write - for –, ' for ’"
        )
    );
    let (line, column) = position_in_catalogue("sms.fr = \"Le dossier", 'ê');
    assert_eq!(
        encoding[1]["message"],
        format!(
            "this SMS is sent as UCS-2, 70 characters a part instead of 160, because of `ê` (U+00EA) \
             at notifications.toml:{line}:{column}"
        )
    );
}

#[test]
fn check_warns_on_sms_over_the_parts_limit_at_their_worst_case() {
    let findings = sms_findings();
    let length: Vec<_> = findings
        .iter()
        .filter(|f| f["code"] == "sms-length")
        .map(|f| {
            (
                f["language"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let message = "this SMS takes 2 parts with every variable at its max_length (1 with the sample \
                   values), more than settings.max_sms_parts (1); every part is billed: shorten the copy";
    // Each points at the first character of the copy, after `sms.xx = "`.
    assert_eq!(
        length,
        [
            ("en".to_owned(), 18, 11, message.to_owned()),
            ("fr".to_owned(), 19, 11, message.to_owned()),
        ]
    );
}

#[test]
fn check_measures_copy_alone_when_the_sample_data_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("preview").join("notifications.toml"))
        .unwrap()
        .replace(
            "sample_data = \"sample-data.toml\"",
            "sample_data = \"gone.toml\"",
        )
        .replace(
            "sms.en = \"{{name}} is registered",
            &format!("sms.en = \"{} {{{{name}}}} is registered", "x".repeat(160)),
        );
    std::fs::write(dir.path().join("notifications.toml"), text).unwrap();
    let assert = crvs()
        .current_dir(dir.path())
        .args(["check", "--format", "json"])
        .assert()
        .code(1);
    let report = stdout_json(assert.get_output());
    let findings = report["findings"].as_array().unwrap();
    let schema = findings
        .iter()
        .find(|f| f["code"] == "schema")
        .expect("a finding on the sample data");
    assert_eq!(
        (schema["line"].clone(), schema["column"].clone()),
        (json!(11), json!(15))
    );
    assert!(
        schema["message"]
            .as_str()
            .unwrap()
            .starts_with("`settings.sample_data` names gone.toml, which cannot be read"),
        "{schema}"
    );
    let length: Vec<_> = findings
        .iter()
        .filter(|f| f["code"] == "sms-length")
        .collect();
    assert_eq!(length.len(), 1, "{findings:#?}");
    assert_eq!(length[0]["notification"], "birthRegistrationNotification");
    assert_eq!(
        length[0]["message"],
        "even with every placeholder empty this SMS takes 2 parts, more than \
         settings.max_sms_parts (1); every part is billed: shorten the copy"
    );
}

#[test]
fn check_reports_invalid_sample_data_where_it_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    crate::copy_tree(&fixture("preview"), dir.path());
    std::fs::write(
        dir.path().join("sample-data.toml"),
        "[values]\nname = \"Liam\"\n\n[max_lenght]\nname = 60\n",
    )
    .unwrap();
    let assert = crvs()
        .current_dir(dir.path())
        .args(["check", "--format", "json"])
        .assert()
        .code(1);
    let report = stdout_json(assert.get_output());
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == "sample-data.toml")
        .cloned()
        .expect("a finding in the sample data");
    assert_eq!(finding["code"], "schema");
    assert_eq!(finding["line"], 4);
    assert!(
        finding["message"].as_str().unwrap().contains("max_lenght"),
        "{finding}"
    );
}

#[test]
fn the_default_catalogue_fits_its_limits_in_gsm7() {
    let dir = default_catalogue_copy();
    crvs()
        .current_dir(dir.path())
        .arg("check")
        .assert()
        .success()
        .stdout("0 errors, 0 warnings\n");
    crvs()
        .current_dir(dir.path())
        .args(["preview", "--all"])
        .assert()
        .success()
        .stdout(predicates::str::ends_with(
            "38 messages; 0 over the limit of 2 parts (marked !)\n",
        ));
}
