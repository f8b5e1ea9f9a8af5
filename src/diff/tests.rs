//! Unit tests of the semantic diff: one per kind of change, then the renderers.

use std::path::Path;

use super::*;
use crate::catalogue;
use crate::report::Style;

const BASE: &str = r#"schema_version = 1
revision = 3

[settings]
opencrvs = "1.5"
languages = ["en", "fr"]
user_delivery = "sms"
informant_delivery = "sms"

[notifications.birthRegistrationNotification]
label = "Birth registered"
description = "Tells the informant the birth is on the register."
audience = "informant"
event = "birth"
enabled = true
sms.en = "{{name}} is registered as {{registrationNumber}}."
sms.fr = "{{name}} est enregistré sous le numéro {{registrationNumber}}."
email.subject.en = "Birth registered"
email.body = "templates/birth/registered.html"

[notifications.updateUserNameNotification]
label = "Username changed"
audience = "user"
enabled = true
sms.en = "{{firstNames}}, you now sign in as {{username}}."
"#;

fn parse(text: &str) -> Catalogue {
    let loaded = catalogue::parse(Path::new("n.toml"), "n.toml", text.to_owned());
    assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
    loaded.catalogue.expect("the test catalogue loads")
}

fn diff_with(edit: impl Fn(String) -> String) -> CatalogueDiff {
    diff(&parse(BASE), &parse(&edit(BASE.to_owned())))
}

fn only_change(diff: &CatalogueDiff) -> &Change {
    assert_eq!(diff.changed.len(), 1, "{diff:#?}");
    assert_eq!(diff.changed[0].changes.len(), 1, "{diff:#?}");
    &diff.changed[0].changes[0]
}

#[test]
fn the_same_catalogue_differently_written_has_no_differences() {
    let reordered = diff_with(|text| {
        let (head, users) = text.split_at(text.find("[notifications.update").unwrap());
        let (settings, birth) = head.split_at(head.find("[notifications.birth").unwrap());
        format!("# a comment\n{settings}{users}\n{birth}").replace("enabled = true", "enabled=true")
    });
    assert!(reordered.is_empty(), "{reordered:#?}");
    assert_eq!(reordered.summary_line(), "no differences");
}

#[test]
fn an_added_notification_is_listed_with_what_it_is() {
    let diff = diff_with(|text| {
        text + "\n[notifications.correctionApproved]\nlabel = \"Correction approved\"\naudience = \"user\"\nenabled = false\nemail.subject.en = \"Approved\"\n"
    });
    assert_eq!(
        diff.added,
        [Overview {
            key: "correctionApproved".into(),
            label: Some("Correction approved".into()),
            audience: Audience::User,
            event: None,
            enabled: false,
            channels: vec![Channel::Email],
        }]
    );
    assert!(diff.removed.is_empty() && diff.changed.is_empty());
    assert_eq!(diff.summary_line(), "1 notification added");
}

#[test]
fn a_removed_notification_is_listed() {
    let diff = diff_with(|text| text[..text.find("[notifications.update").unwrap()].to_owned());
    assert_eq!(diff.removed.len(), 1);
    assert_eq!(diff.removed[0].key, "updateUserNameNotification");
    assert_eq!(diff.removed[0].channels, [Channel::Sms]);
    assert_eq!(diff.summary_line(), "1 notification removed");
}

#[test]
fn a_switched_toggle_is_a_toggle_change() {
    let diff = diff_with(|text| text.replacen("enabled = true", "enabled = false", 1));
    assert_eq!(
        only_change(&diff),
        &Change::Toggle {
            old: true,
            new: false
        }
    );
    assert_eq!(diff.changed[0].key, "birthRegistrationNotification");
    assert_eq!(diff.summary_line(), "1 notification changed (1 toggle)");
}

#[test]
fn changed_sms_copy_carries_both_texts_for_its_language() {
    let diff = diff_with(|text| text.replace("is registered as", "was registered under"));
    assert_eq!(
        only_change(&diff),
        &Change::Copy {
            channel: Channel::Sms,
            language: "en".into(),
            old: Some("{{name}} is registered as {{registrationNumber}}.".into()),
            new: Some("{{name}} was registered under {{registrationNumber}}.".into()),
        }
    );
}

#[test]
fn copy_added_in_a_language_has_no_old_text() {
    let diff = diff_with(|text| {
        text.replace(
            "email.subject.en = \"Birth registered\"",
            "email.subject.en = \"Birth registered\"\nemail.subject.fr = \"Naissance enregistrée\"",
        )
    });
    assert_eq!(
        only_change(&diff),
        &Change::Copy {
            channel: Channel::Email,
            language: "fr".into(),
            old: None,
            new: Some("Naissance enregistrée".into()),
        }
    );
}

#[test]
fn copy_removed_in_a_language_has_no_new_text() {
    let diff = diff_with(|text| {
        text.replace(
            "sms.fr = \"{{name}} est enregistré sous le numéro {{registrationNumber}}.\"\n",
            "",
        )
    });
    let Change::Copy {
        language, old, new, ..
    } = only_change(&diff)
    else {
        panic!("expected a copy change: {diff:#?}");
    };
    assert_eq!(language, "fr");
    assert!(old.is_some());
    assert_eq!(new, &None);
}

#[test]
fn copy_in_a_language_outside_the_settings_is_compared_too() {
    let diff = diff_with(|text| {
        text.replace(
            "sms.en = \"{{firstNames}}",
            "sms.pt = \"Olá\"\nsms.en = \"{{firstNames}}",
        )
    });
    let Change::Copy { language, .. } = only_change(&diff) else {
        panic!("expected a copy change: {diff:#?}");
    };
    assert_eq!(language, "pt");
}

#[test]
fn label_description_and_email_body_are_field_changes() {
    let diff = diff_with(|text| {
        text.replace(
            "label = \"Birth registered\"",
            "label = \"Registration done\"",
        )
        .replace("Tells the informant", "Lets the informant know")
        .replace(
            "templates/birth/registered.html",
            "templates/birth/done.html",
        )
    });
    let changes = &diff.changed[0].changes;
    assert_eq!(
        changes,
        &[
            Change::Field {
                field: Field::Label,
                old: Some("Birth registered".into()),
                new: Some("Registration done".into()),
            },
            Change::Field {
                field: Field::Description,
                old: Some("Tells the informant the birth is on the register.".into()),
                new: Some("Lets the informant know the birth is on the register.".into()),
            },
            Change::Field {
                field: Field::EmailBody,
                old: Some("templates/birth/registered.html".into()),
                new: Some("templates/birth/done.html".into()),
            },
        ]
    );
    assert_eq!(diff.changed[0].label.as_deref(), Some("Registration done"));
    assert_eq!(
        diff.summary_line(),
        "1 notification changed (3 other fields)"
    );
}

#[test]
fn a_field_that_appears_has_no_old_value() {
    let diff = diff_with(|text| {
        text.replace(
            "label = \"Username changed\"",
            "label = \"Username changed\"\nsms_key = \"authenticationCodeNotification\"",
        )
    });
    assert_eq!(
        only_change(&diff),
        &Change::Field {
            field: Field::SmsKey,
            old: None,
            new: Some("authenticationCodeNotification".into()),
        }
    );
}

#[test]
fn declared_variables_are_compared_as_sets() {
    let old = BASE.replace(
        "label = \"Username changed\"",
        "label = \"Username changed\"\nvariables = [\"office\", \"deadline\"]",
    );
    let new = BASE.replace(
        "label = \"Username changed\"",
        "label = \"Username changed\"\nvariables = [\"deadline\", \"helpline\"]",
    );
    let diff = diff(&parse(&old), &parse(&new));
    assert_eq!(
        only_change(&diff),
        &Change::Variables {
            added: vec!["helpline".into()],
            removed: vec!["office".into()],
        }
    );
}

#[test]
fn settings_changes_name_the_setting() {
    let diff = diff_with(|text| {
        text.replace(
            "languages = [\"en\", \"fr\"]",
            "languages = [\"en\", \"fr\", \"pt\"]",
        )
        .replace(
            "user_delivery = \"sms\"",
            "user_delivery = \"email\"\nmax_sms_parts = 3",
        )
    });
    assert_eq!(
        diff.settings,
        [
            SettingChange {
                setting: "settings.languages".into(),
                old: Some("en, fr".into()),
                new: Some("en, fr, pt".into()),
            },
            SettingChange {
                setting: "settings.user_delivery".into(),
                old: Some("sms".into()),
                new: Some("email".into()),
            },
            SettingChange {
                setting: "settings.max_sms_parts".into(),
                old: None,
                new: Some("3".into()),
            },
        ]
    );
    assert!(diff.changed.is_empty());
    assert_eq!(diff.summary_line(), "3 settings changed");
}

#[test]
fn gateways_are_compared_field_by_field() {
    let gateway = "\n[gateways.infobip]\nprovider = \"infobip\"\nurl = \"https://sms.example.org\"\napi_key_env = \"INFOBIP_KEY\"\n";
    let old = BASE.to_owned() + gateway;
    let new = BASE.to_owned() + &gateway.replace("sms.example.org", "sms2.example.org");
    let diff = diff(&parse(&old), &parse(&new));
    assert_eq!(
        diff.settings,
        [SettingChange {
            setting: "gateways.infobip.url".into(),
            old: Some("https://sms.example.org".into()),
            new: Some("https://sms2.example.org".into()),
        }]
    );
}

#[test]
fn the_revision_moving_is_a_difference() {
    let diff = diff_with(|text| text.replace("revision = 3", "revision = 4"));
    assert_eq!(diff.revision, Some(Moved { old: 3, new: 4 }));
    assert!(!diff.is_empty());
    assert_eq!(diff.summary_line(), "revision 3 → 4");
}

#[test]
fn the_summary_counts_each_kind() {
    let diff = diff_with(|text| {
        text.replace("revision = 3", "revision = 5")
            .replacen("enabled = true", "enabled = false", 2)
            .replace("is registered as", "was registered under")
            .replace(
                "label = \"Username changed\"",
                "label = \"Username updated\"",
            )
    });
    assert_eq!(
        diff.summary(),
        DiffSummary {
            added: 0,
            removed: 0,
            changed: 2,
            toggles: 2,
            copy: 1,
            fields: 1,
            settings: 0,
        }
    );
    assert_eq!(
        diff.summary_line(),
        "2 notifications changed (2 toggles, 1 text, 1 other field), revision 3 → 5"
    );
}

#[test]
fn json_tags_each_change_with_its_kind() {
    let diff = diff_with(|text| {
        text.replacen("enabled = true", "enabled = false", 1)
            .replace(
                "templates/birth/registered.html",
                "templates/birth/done.html",
            )
    });
    let value = serde_json::to_value(&diff).unwrap();
    let changes = &value["changed"][0]["changes"];
    assert_eq!(
        changes[0],
        serde_json::json!({"kind": "toggle", "old": true, "new": false})
    );
    assert_eq!(
        changes[1],
        serde_json::json!({"kind": "field", "field": "email.body", "old": "templates/birth/registered.html", "new": "templates/birth/done.html"})
    );
    assert_eq!(value["revision"], serde_json::Value::Null);
}

const SIDES: Sides<'static> = Sides {
    old: "old.toml",
    new: "new.toml",
};

#[test]
fn human_output_shows_old_and_new_text() {
    let diff = diff_with(|text| {
        text.replace("revision = 3", "revision = 4")
            .replacen("enabled = true", "enabled = false", 1)
            .replace("is registered as", "was registered under")
    });
    assert_eq!(
        human(&diff, SIDES, Style { color: false }),
        "old.toml → new.toml

Changed
  ~ birthRegistrationNotification  \"Birth registered\"
      enabled: on → off
      sms.en:
        - {{name}} is registered as {{registrationNumber}}.
        + {{name}} was registered under {{registrationNumber}}.

1 notification changed (1 toggle, 1 text), revision 3 → 4
"
    );
}

#[test]
fn human_output_colours_old_text_red_and_new_text_green() {
    let diff = diff_with(|text| text.replace("you now sign in as", "your username is"));
    let text = human(&diff, SIDES, Style { color: true });
    assert!(text.contains(
        "      sms.en:\n        \x1b[31m- {{firstNames}}, you now sign in as {{username}}.\x1b[0m\n        \x1b[32m+ {{firstNames}}, your username is {{username}}.\x1b[0m\n"
    ), "{text:?}");
}

#[test]
fn human_output_indents_the_lines_of_a_multi_line_text() {
    let diff = diff_with(|text| {
        text.replace(
            "you now sign in as {{username}}.",
            "you now sign in as\\n{{username}}.",
        )
    });
    let text = human(&diff, SIDES, Style { color: false });
    assert!(
        text.contains("        + {{firstNames}}, you now sign in as\n          {{username}}.\n"),
        "{text}"
    );
}

#[test]
fn human_output_lists_added_removed_and_settings() {
    let old = BASE.to_owned();
    let new = BASE[..BASE.find("[notifications.update").unwrap()].replace("\"fr\"]", "\"pt\"]")
        + "[notifications.allUserNotification]\naudience = \"user\"\nenabled = true\nemail.subject.en = \"{{subject}}\"\n";
    let text = human(
        &diff(&parse(&old), &parse(&new)),
        SIDES,
        Style { color: false },
    );
    assert_eq!(
        text,
        "old.toml → new.toml

Settings
  settings.languages: en, fr → en, pt

Added
  + allUserNotification  (user, on, email)

Removed
  - updateUserNameNotification  \"Username changed\"  (user, on, sms)

1 notification added, 1 removed, 1 setting changed
"
    );
}

#[test]
fn markdown_has_a_heading_a_summary_and_a_section_per_kind() {
    let diff = diff_with(|text| {
        text.replacen("enabled = true", "enabled = false", 1)
            .replace("is registered as", "was registered under")
            .replace(
                "label = \"Username changed\"",
                "label = \"Username | changed\"",
            )
    });
    assert_eq!(
        markdown(&diff, SIDES),
        "## Notification changes

`old.toml` → `new.toml`: **2 notifications changed (1 toggle, 1 text, 1 other field)**

### Toggles

| Notification | Before | After |
|---|---|---|
| `birthRegistrationNotification` | on | **off** |

### Copy

#### `birthRegistrationNotification` `sms.en`

Before:

```text
{{name}} is registered as {{registrationNumber}}.
```

After:

```text
{{name}} was registered under {{registrationNumber}}.
```

### Other changes

| Notification | Field | Before | After |
|---|---|---|---|
| `updateUserNameNotification` | `label` | Username changed | Username \\| changed |
"
    );
}

#[test]
fn markdown_escapes_what_would_break_a_table_or_a_block() {
    use super::markdown::{block, code, text};
    assert_eq!(
        text("a|b *c* <b>x</b>\nnext"),
        "a\\|b \\*c\\* &lt;b&gt;x&lt;/b&gt;<br>next"
    );
    assert_eq!(code("a|b"), "`a\\|b`");
    assert_eq!(code("use `x` here"), "``use `x` here``");
    assert_eq!(code("`edge"), "`` `edge ``");
    assert_eq!(code("two\nlines"), "`two lines`");
    assert_eq!(block(Some("a ``` b")), "````text\na ``` b\n````\n");
    assert_eq!(block(None), "_none_\n");
}

#[test]
fn markdown_says_when_there_is_nothing_to_review() {
    let diff = diff_with(|text| text);
    assert_eq!(
        markdown(&diff, SIDES),
        "## Notification changes\n\n`old.toml` → `new.toml`: **no differences**\n"
    );
}
