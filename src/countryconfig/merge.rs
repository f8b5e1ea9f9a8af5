//! An import plan applied to a catalogue: written out as a new catalogue, or merged into an
//! existing one. A merge refreshes what the country configuration holds (descriptions, SMS copy
//! in the CSV's languages, email bodies) and keeps what only the catalogue holds (toggles, labels,
//! settings, email subjects, other languages, notifications the configuration lacks). The email
//! bodies to write are returned, not written, so the caller writes them under its lock.

use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item};

use super::export::FileState;
use super::import::{Entry, Plan};
use super::{CATALOGUE_EMAIL_DIR, CountryConfig};
use crate::catalogue::entries::{self, NewEntry};
use crate::catalogue::{Catalogue, Notification, SCHEMA_VERSION};
use crate::model::{Channel, Profile};

/// A file an import writes beside the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileWrite {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub state: FileState,
    /// Whether the file is already the email body of the notification it is written for, so that
    /// overwriting it is the refresh asked for rather than a clash with another file.
    pub refreshes: bool,
}

impl FileWrite {
    /// Overwriting it would lose a file that belongs to something else.
    pub fn clashes(&self) -> bool {
        self.state == FileState::Changed && !self.refreshes
    }
}

/// What an import did to one notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryChange {
    Added,
    Changed(Vec<FieldChange>),
    Unchanged,
}

/// One value an import changed: `sms.fr`, `description`, `email.body` (the path), or
/// `email.body file` (the file's content, whose old and new text are not repeated here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl FieldChange {
    fn new(field: impl Into<String>, old: Option<&str>, new: Option<&str>) -> FieldChange {
        FieldChange {
            field: field.into(),
            old: old.map(str::to_owned),
            new: new.map(str::to_owned),
        }
    }
}

/// What an import did, for the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub profile: Profile,
    pub entries: Vec<(String, EntryChange)>,
    /// Notifications of the catalogue the country configuration does not have: left as they are.
    pub left_alone: Vec<String>,
    pub notes: Vec<String>,
    pub files: Vec<FileWrite>,
}

impl ImportReport {
    pub fn count(&self, wanted: fn(&EntryChange) -> bool) -> usize {
        self.entries.iter().filter(|(_, c)| wanted(c)).count()
    }

    pub fn changes_anything(&self) -> bool {
        self.entries
            .iter()
            .any(|(_, c)| *c != EntryChange::Unchanged)
    }
}

/// Channels for the settings of a new catalogue.
#[derive(Debug, Clone, Copy)]
pub struct Delivery {
    pub user: Channel,
    pub informant: Channel,
}

/// The text of a new catalogue holding every entry of the plan, and the email bodies to write.
pub fn new_catalogue(
    plan: &Plan,
    config: &CountryConfig,
    catalogue_dir: &Path,
    delivery: Delivery,
) -> (String, ImportReport) {
    let mut doc = DocumentMut::new();
    doc.insert("schema_version", toml_edit::value(SCHEMA_VERSION));
    doc.insert("revision", toml_edit::value(1));
    let mut settings = toml_edit::Table::new();
    settings.insert("opencrvs", toml_edit::value(plan.profile.as_str()));
    let languages: toml_edit::Array = plan.languages.iter().map(String::as_str).collect();
    settings.insert("languages", toml_edit::value(languages));
    settings.insert("user_delivery", toml_edit::value(delivery.user.as_str()));
    settings.insert(
        "informant_delivery",
        toml_edit::value(delivery.informant.as_str()),
    );
    doc.insert("settings", Item::Table(settings));
    let mut report = report(plan.profile);
    for entry in &plan.entries {
        add_entry(&mut doc, entry, config, catalogue_dir, &mut report);
    }
    report.notes.extend(subject_note(plan));
    let header = format!(
        "# crvs-comms notification catalogue, imported from an OpenCRVS {} country configuration.\n\
         # Run `crvs-comms check` after editing; `crvs-comms export countryconfig DIR` writes it back.\n",
        plan.profile
    );
    (format!("{header}{doc}"), report)
}

/// Merges the plan into the document of `catalogue`; returns what changed and the files to write.
pub fn update(
    doc: &mut DocumentMut,
    catalogue: &Catalogue,
    plan: &Plan,
    config: &CountryConfig,
) -> ImportReport {
    let mut report = report(plan.profile);
    let dir = catalogue.base_dir().to_owned();
    for entry in &plan.entries {
        match catalogue.notifications.get(&entry.key) {
            Some(existing) => {
                let change = refresh_entry(doc, catalogue, existing, entry, config, &mut report);
                report.entries.push((entry.key.clone(), change));
            }
            None => add_entry(doc, entry, config, &dir, &mut report),
        }
    }
    report.left_alone = catalogue
        .notifications
        .keys()
        .filter(|key| plan.entry(key).is_none())
        .cloned()
        .collect();
    let listed: Vec<&str> = catalogue.settings.languages().collect();
    for language in plan
        .languages
        .iter()
        .filter(|l| !listed.contains(&l.as_str()))
    {
        report.notes.push(format!(
            "the CSV has copy in `{language}`, which `settings.languages` does not list; add it there if OpenCRVS should use it"
        ));
    }
    report
}

fn report(profile: Profile) -> ImportReport {
    ImportReport {
        profile,
        entries: Vec::new(),
        left_alone: Vec::new(),
        notes: Vec::new(),
        files: Vec::new(),
    }
}

fn subject_note(plan: &Plan) -> Option<String> {
    plan.entries.iter().any(|e| e.template.is_some()).then(|| {
        "email subjects live in the country configuration's code (email-templates/index.ts), not in its files; add `email.subject.<language>` to the notifications sent by email".to_owned()
    })
}

fn catalogue_body(template: &str) -> String {
    format!("{CATALOGUE_EMAIL_DIR}/{template}")
}

fn add_entry(
    doc: &mut DocumentMut,
    entry: &Entry,
    config: &CountryConfig,
    catalogue_dir: &Path,
    report: &mut ImportReport,
) {
    let body = entry.template.as_deref().map(catalogue_body);
    let sms = entry.csv.as_ref().map(|c| c.sms()).unwrap_or_default();
    let new = NewEntry {
        label: entry.label.as_deref(),
        description: entry.csv.as_ref().map(|c| c.description.as_str()),
        audience: Some(entry.audience),
        event: entry.event,
        enabled: entry.enabled,
        sms_key: entry.sms_key.as_deref(),
        variables: entry.variables.as_deref(),
        sms,
        body: body.as_deref(),
    };
    entries::notifications_mut(doc).insert(&entry.key, Item::Table(entries::entry_table(&new)));
    if let (Some(template), Some(body)) = (&entry.template, &body) {
        plan_file(report, catalogue_dir.join(body), config, template, false);
    }
    report.entries.push((entry.key.clone(), EntryChange::Added));
}

fn plan_file(
    report: &mut ImportReport,
    path: PathBuf,
    config: &CountryConfig,
    template: &str,
    refreshes: bool,
) -> Option<FileState> {
    let file = config.template(template)?;
    let state = match std::fs::read(&path) {
        Ok(existing) if existing == file.bytes => FileState::Unchanged,
        Ok(_) => FileState::Changed,
        Err(_) => FileState::New,
    };
    report.files.push(FileWrite {
        path,
        bytes: file.bytes.clone(),
        state,
        refreshes,
    });
    Some(state)
}

fn refresh_entry(
    doc: &mut DocumentMut,
    catalogue: &Catalogue,
    existing: &Notification,
    entry: &Entry,
    config: &CountryConfig,
    report: &mut ImportReport,
) -> EntryChange {
    let Some(table) = entries::entry_mut(doc, &entry.key) else {
        return EntryChange::Unchanged;
    };
    let mut changed = Vec::new();
    if let Some(csv) = &entry.csv {
        let old = existing.description.as_deref();
        let new = Some(csv.description.as_str()).filter(|d| !d.is_empty());
        if old != new {
            match new {
                Some(description) => entries::set_text(table, &["description"], description),
                None => {
                    entries::remove_text(table, &["description"]);
                }
            }
            changed.push(FieldChange::new("description", old, new));
        }
        let sms = csv.sms();
        for (language, _) in &csv.copy {
            let wanted = sms.iter().find(|(l, _)| l == language).map(|(_, t)| *t);
            let current = existing.sms.get(language).map(|t| t.get_ref().as_str());
            if wanted == current {
                continue;
            }
            match wanted {
                Some(text) => entries::set_text(table, &["sms", language], text),
                None => {
                    entries::remove_text(table, &["sms", language]);
                }
            }
            changed.push(FieldChange::new(format!("sms.{language}"), current, wanted));
        }
    }
    if let Some(template) = &entry.template {
        let body = existing.email_body().map(|b| b.get_ref().as_str());
        match body.filter(|b| !b.contains("{lang}")) {
            // The notification's own body file is refreshed where it is.
            Some(path) => {
                let state = plan_file(report, catalogue.resolve(path), config, template, true);
                if state.is_some_and(|s| s != FileState::Unchanged) {
                    changed.push(FieldChange::new("email.body file", None, Some(path)));
                }
            }
            None => {
                let new_body = catalogue_body(template);
                entries::set_text(table, &["email", "body"], &new_body);
                changed.push(FieldChange::new("email.body", body, Some(&new_body)));
                plan_file(
                    report,
                    catalogue.resolve(&new_body),
                    config,
                    template,
                    false,
                );
            }
        }
    }
    if changed.is_empty() {
        EntryChange::Unchanged
    } else {
        EntryChange::Changed(changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::countryconfig::{TemplateFile, import, sms_csv};

    const CATALOGUE: &str = r#"schema_version = 1
revision = 2

[settings]
opencrvs = "1.5"
languages = ["en", "fr"]
user_delivery = "sms"
informant_delivery = "sms"

[notifications.retieveUserNameNotification]
label = "Reminder" # ours
description = "Old words"
audience = "user"
enabled = false
sms.en = "Hi {{firstNames}}: {{username}}" # keep this comment
sms.fr = "Salut {{username}}"
sms.pt = "Olá {{username}}"
email.subject.en = "Your username"
"#;

    fn setup(csv: &str) -> (tempfile::TempDir, Catalogue, DocumentMut, CountryConfig) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notifications.toml");
        let loaded = crate::catalogue::parse(&path, "n.toml", CATALOGUE.to_owned());
        let config = CountryConfig {
            sms: sms_csv::parse(csv).unwrap(),
            csv_bytes: csv.as_bytes().to_vec(),
            templates: vec![TemplateFile {
                path: "other/username-reminder.html".to_owned(),
                bytes: b"<p>{{username}}</p>".to_vec(),
            }],
        };
        (
            dir,
            loaded.catalogue.unwrap(),
            CATALOGUE.parse().unwrap(),
            config,
        )
    }

    #[test]
    fn an_update_changes_only_what_the_configuration_holds() {
        let csv =
            "id,description,en,fr\nretieveUserNameNotification,,Hi {{firstNames}}: {{username}},\n";
        let (_dir, catalogue, mut doc, config) = setup(csv);
        let plan = import::plan(&config, Profile::V1_5);
        let report = update(&mut doc, &catalogue, &plan, &config);
        let EntryChange::Changed(fields) = &report.entries[0].1 else {
            panic!("a change: {report:?}")
        };
        let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["description", "sms.fr", "email.body"]);
        assert_eq!(fields[1].old.as_deref(), Some("Salut {{username}}"));
        assert_eq!(fields[1].new, None);
        let text = doc.to_string();
        assert!(text.contains("label = \"Reminder\" # ours\n"));
        assert!(text.contains("enabled = false\n"));
        assert!(
            text.contains("sms.en = \"Hi {{firstNames}}: {{username}}\" # keep this comment\n")
        );
        assert!(!text.contains("sms.fr"));
        assert!(!text.contains("description"));
        assert!(
            text.contains("sms.pt = \"Olá {{username}}\"\n"),
            "a language the CSV lacks stays"
        );
        assert!(text.contains("email.subject.en = \"Your username\"\nemail.body = \"templates/email/other/username-reminder.html\"\n"), "{text}");
        assert_eq!(report.files.len(), 1);
        assert_eq!(report.files[0].state, FileState::New);
        assert!(!report.files[0].clashes());
    }

    #[test]
    fn a_new_language_in_the_csv_is_pointed_out() {
        let csv = "id,description,en,de\nretieveUserNameNotification,Old words,Hi {{firstNames}}: {{username}},Hallo {{username}}\n";
        let (_dir, catalogue, mut doc, config) = setup(csv);
        let plan = import::plan(&config, Profile::V1_5);
        let report = update(&mut doc, &catalogue, &plan, &config);
        assert_eq!(report.notes.len(), 1);
        assert!(report.notes[0].contains("`de`"), "{:?}", report.notes);
        assert!(
            doc.to_string()
                .contains("sms.de = \"Hallo {{username}}\"\n")
        );
    }
}
