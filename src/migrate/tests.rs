//! Migration of a small 1.5 catalogue with hand-written comments and body files.

use std::path::Path;

use toml_edit::DocumentMut;

use super::*;

const CATALOGUE: &str = r#"schema_version = 1
revision = 4

[settings]
opencrvs = "1.5" # the release in production
languages = ["en", "fr"]
user_delivery = "sms"
informant_delivery = "sms"

# Two-factor code.
[notifications.authenticationCodeNotification]
audience = "user"
enabled = true
sms.en = "{{authCode}} is your code, {{firstNames}}" # short on purpose
sms.fr = "{{authCode}} est votre code"
email.subject.en = "Code for {{firstNames}}"
email.body = "templates/code.html"

[notifications.resetUserPasswordNotification]
audience = "user"
enabled = true
sms.en = "Temporary password: {{password}}"
sms.fr = "Mot de passe provisoire : {{password}}"

[notifications.updateUserNameNotification]
audience = "user"
enabled = true
sms.en = "Your username is now {{username}}; your password has not changed"
sms.fr = "Nouvel identifiant : {{username}}"

[notifications.correctionApproved]
audience = "user"
enabled = true
sms.en = "{{firstNames}}, correction {{trackingId}} approved"
sms.fr = "{{firstNames}}, correction {{trackingId}} approuvée"

[notifications.password-reset]
audience = "user"
sms_key = "authenticationCodeNotification"
enabled = true
email.body = "templates/reset-code.html"
"#;

fn fixture() -> (tempfile::TempDir, Catalogue, DocumentMut) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/code.html"),
        "<p>Dear {{firstNames}},</p>\n<p>{{#if authCode}}{{authCode}}{{/if}}</p>\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("templates/reset-code.html"),
        "<b>{{authCode}}</b>",
    )
    .unwrap();
    let path = dir.path().join("notifications.toml");
    let loaded = crate::catalogue::parse(&path, "notifications.toml", CATALOGUE.to_owned());
    assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
    (dir, loaded.catalogue.unwrap(), CATALOGUE.parse().unwrap())
}

fn migrated() -> (tempfile::TempDir, Migration, String) {
    let (dir, catalogue, mut doc) = fixture();
    let migration = migrate(&mut doc, &catalogue, Profile::V1_9).unwrap();
    (dir, migration, doc.to_string())
}

#[test]
fn placeholders_are_renamed_where_1_9_renamed_them() {
    let (_dir, _, text) = migrated();
    assert!(text.contains("opencrvs = \"1.9\" # the release in production\n"));
    assert!(
        text.contains("sms.en = \"{{code}} is your code, {{firstname}}\" # short on purpose\n")
    );
    assert!(text.contains("email.subject.en = \"Code for {{firstname}}\"\n"));
    assert!(text.contains(
        "sms.en = \"Your username is now {{newUsername}}; your password has not changed\"\n"
    ));
    // 1.9 still gives the correction messages `firstNames`.
    assert!(text.contains("sms.en = \"{{firstNames}}, correction {{trackingId}} approved\"\n"));
}

#[test]
fn the_admin_reset_moves_to_its_new_key_and_the_code_email_takes_the_old_one() {
    let (_dir, migration, text) = migrated();
    assert!(text.contains("[notifications.resetUserPasswordByAdminNotification]\naudience = \"user\"\nenabled = true\nsms.en = \"Temporary password: {{temporaryPassword}}\"\n"), "{text}");
    assert!(text.contains("[notifications.resetUserPasswordNotification]\naudience = \"user\"\nenabled = true\nemail.body = \"templates/reset-code.html\"\n"), "{text}");
    assert!(!text.contains("password-reset]"));
    // Both keep their place in the file.
    let by_admin = text.find("resetUserPasswordByAdminNotification]").unwrap();
    let update = text
        .find("[notifications.updateUserNameNotification]")
        .unwrap();
    let reset = text
        .find("[notifications.resetUserPasswordNotification]")
        .unwrap();
    assert!(by_admin < update && update < reset);
    let moves: Vec<_> = migration
        .changes
        .iter()
        .filter(|c| c.field == "key")
        .map(|c| (c.old.clone().unwrap(), c.new.clone().unwrap()))
        .collect();
    assert_eq!(
        moves,
        [
            (
                "resetUserPasswordNotification".to_owned(),
                "resetUserPasswordByAdminNotification".to_owned()
            ),
            (
                "password-reset".to_owned(),
                "resetUserPasswordNotification".to_owned()
            )
        ]
    );
    let parsed = crate::catalogue::parse(Path::new("n.toml"), "n.toml", text);
    assert!(parsed.findings.is_empty(), "{:?}", parsed.findings);
}

#[test]
fn body_files_are_renamed_through_their_syntax_tree() {
    let (dir, migration, _) = migrated();
    let bodies: Vec<_> = migration
        .bodies
        .iter()
        .map(|b| {
            (
                b.path.strip_prefix(dir.path()).unwrap().to_path_buf(),
                b.text.as_str(),
            )
        })
        .collect();
    assert_eq!(
        bodies,
        [
            (
                Path::new("templates/code.html").to_path_buf(),
                "<p>Dear {{firstname}},</p>\n<p>{{#if code}}{{code}}{{/if}}</p>\n"
            ),
            (
                Path::new("templates/reset-code.html").to_path_buf(),
                "<b>{{code}}</b>"
            )
        ]
    );
    // Nothing is written by the migration itself.
    let on_disk = std::fs::read_to_string(dir.path().join("templates/code.html")).unwrap();
    assert!(on_disk.contains("{{authCode}}"));
}

#[test]
fn every_change_and_every_message_needing_copy_is_reported() {
    let (_dir, migration, _) = migrated();
    let fields: Vec<_> = migration
        .changes
        .iter()
        .filter(|c| c.field != "notification")
        .map(|c| format!("{} {}", c.key.as_deref().unwrap_or("-"), c.field))
        .collect();
    assert_eq!(
        fields,
        [
            "- settings.opencrvs",
            "resetUserPasswordByAdminNotification key",
            "resetUserPasswordNotification key",
            "authenticationCodeNotification sms.en",
            "authenticationCodeNotification sms.fr",
            "authenticationCodeNotification email.subject.en",
            "authenticationCodeNotification email.body file",
            "resetUserPasswordByAdminNotification sms.en",
            "resetUserPasswordByAdminNotification sms.fr",
            "updateUserNameNotification sms.en",
            "updateUserNameNotification sms.fr",
            "resetUserPasswordNotification email.body file",
        ]
    );
    let needs: Vec<_> = migration
        .needs_copy
        .iter()
        .filter(|n| !n.reason.starts_with("new in the catalogue"))
        .map(|n| format!("{} {}", n.key, n.part))
        .collect();
    assert_eq!(
        needs,
        [
            "resetUserPasswordNotification sms.en",
            "resetUserPasswordNotification sms.fr",
        ]
    );
    let change = &migration.changes[3];
    assert_eq!(
        change.old.as_deref(),
        Some("{{authCode}} is your code, {{firstNames}}")
    );
    assert_eq!(
        change.new.as_deref(),
        Some("{{code}} is your code, {{firstname}}")
    );
    assert_eq!(
        change.detail,
        "{{authCode}} → {{code}} at 1:1, {{firstNames}} → {{firstname}} at 1:28"
    );
}

#[test]
fn missing_keys_are_added_and_need_copy() {
    let (_dir, catalogue, mut doc) = fixture();
    let migration = migrate(&mut doc, &catalogue, Profile::V1_9).unwrap();
    let added: Vec<_> = migration
        .changes
        .iter()
        .filter(|c| c.field == "notification")
        .filter_map(|c| c.key.clone())
        .collect();
    assert!(
        added.contains(&"birthRegistrationNotification".to_owned()),
        "{added:?}"
    );
    assert!(added.contains(&"retieveUserNameNotification".to_owned()));
    assert!(!added.iter().any(|k| k.starts_with("marriage")));
}

#[test]
fn a_catalogue_already_on_the_profile_is_left_alone_and_going_back_is_refused() {
    let (_dir, catalogue, mut doc) = fixture();
    let same = migrate(&mut doc, &catalogue, Profile::V1_5).unwrap();
    assert!(same.is_empty());
    assert_eq!(doc.to_string(), CATALOGUE);
    let mut moved = catalogue.clone();
    moved.settings.opencrvs = Profile::V1_9;
    assert!(matches!(
        migrate(&mut doc, &moved, Profile::V1_5),
        Err(MigrateError::Backwards { .. })
    ));
}
