//! `import countryconfig`: what a new catalogue holds, each kind of malformed CSV row, the release
//! told or refused, updates of an existing catalogue through the store, dry runs and refusals.

use serde_json::json;

use super::*;
use crate::{copy_tree, crvs, default_catalogue_copy, fixture, stdout_json};

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
