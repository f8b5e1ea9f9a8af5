//! From a country configuration to catalogue entries: which notification each CSV row and each
//! email body is, in the words of the OpenCRVS contract. Nothing is dropped: rows the contract does
//! not know become custom notifications that declare the placeholders they use, email bodies that
//! no key claims become email-only notifications, and marriage (never sent before 1.10) is kept
//! switched off. The entries keep the CSV's row order, then follow the contract's order.

use std::collections::BTreeSet;

use super::{CountryConfig, SmsRow, TemplateFile};
use crate::contract::{BASE_VARIABLES, Contract, Detected, EMAIL_VARIABLES, NotificationSpec};
use crate::model::{Audience, Event, Profile};
use crate::placeholders;

/// One notification as the country configuration has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub label: Option<String>,
    pub audience: Audience,
    pub event: Option<Event>,
    pub enabled: bool,
    pub sms_key: Option<String>,
    /// Declared for keys the contract does not know: the placeholders the copy uses.
    pub variables: Option<Vec<String>>,
    /// The CSV row, for notifications that have one.
    pub csv: Option<CsvCopy>,
    /// The email body's path below the email-templates folder.
    pub template: Option<String>,
}

/// A CSV row's description and its copy per language, empty cells included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvCopy {
    pub description: String,
    pub copy: Vec<(String, String)>,
}

impl CsvCopy {
    fn of(row: &SmsRow, languages: &[String]) -> CsvCopy {
        CsvCopy {
            description: row.description.clone(),
            copy: languages.iter().cloned().zip(row.copy.clone()).collect(),
        }
    }

    /// The copy as the catalogue holds it: one entry per non-empty cell. A row with no copy at
    /// all keeps an empty default-language text, so that export writes the row back.
    pub fn sms(&self) -> Vec<(&str, &str)> {
        let filled: Vec<(&str, &str)> = self
            .copy
            .iter()
            .filter(|(_, text)| !text.is_empty())
            .map(|(language, text)| (language.as_str(), text.as_str()))
            .collect();
        match (filled.is_empty(), self.copy.first()) {
            (true, Some((language, _))) => vec![(language.as_str(), "")],
            _ => filled,
        }
    }
}

/// The country configuration as catalogue entries, with the languages of its CSV header.
#[derive(Debug, Clone)]
pub struct Plan {
    pub profile: Profile,
    pub languages: Vec<String>,
    pub entries: Vec<Entry>,
}

impl Plan {
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

/// Tells which OpenCRVS release a country configuration is written for.
pub fn detect(config: &CountryConfig) -> Detected {
    let keys = config.sms.rows.iter().map(|r| r.id.as_str());
    let mut names: Vec<String> = Vec::new();
    for row in &config.sms.rows {
        for text in &row.copy {
            names.extend(used_placeholders(text));
        }
    }
    for template in &config.templates {
        names.extend(used_placeholders(&template.text()));
    }
    crate::contract::detect_profile(keys, names.iter().map(String::as_str))
}

/// Maps every row and every email body of `config` to a catalogue entry under `profile`.
pub fn plan(config: &CountryConfig, profile: Profile) -> Plan {
    let contract = Contract::for_profile(profile);
    let languages = config.sms.languages.clone();
    let mut entries: Vec<Entry> = config
        .sms
        .rows
        .iter()
        .map(|row| row_entry(row, &languages, &contract, config))
        .collect();
    for spec in contract.specs() {
        let has_template = spec
            .email_template
            .as_deref()
            .is_some_and(|path| config.template(path).is_some());
        if has_template && !entries.iter().any(|e| e.key == spec.key) {
            entries.push(known_entry(spec, None, config));
        }
    }
    let claimed: BTreeSet<String> = entries.iter().filter_map(|e| e.template.clone()).collect();
    for template in &config.templates {
        if !claimed.contains(&template.path) {
            let key = custom_template_key(template, &entries);
            entries.push(custom_template_entry(key, template));
        }
    }
    Plan {
        profile,
        languages,
        entries,
    }
}

fn row_entry(
    row: &SmsRow,
    languages: &[String],
    contract: &Contract,
    config: &CountryConfig,
) -> Entry {
    let csv = CsvCopy::of(row, languages);
    match contract.get(&row.id) {
        Some(spec) => known_entry(spec, Some(csv), config),
        None => {
            let (audience, event) = guess_audience(&row.id);
            let used: BTreeSet<String> =
                row.copy.iter().flat_map(|t| used_placeholders(t)).collect();
            Entry {
                key: row.id.clone(),
                label: None,
                audience,
                event,
                enabled: true,
                sms_key: None,
                variables: Some(declarable(used)),
                csv: Some(csv),
                template: None,
            }
        }
    }
}

fn known_entry(spec: &NotificationSpec, csv: Option<CsvCopy>, config: &CountryConfig) -> Entry {
    let template = spec
        .email_template
        .clone()
        .filter(|path| config.template(path).is_some());
    Entry {
        key: spec.key.clone(),
        label: Some(spec.trigger.to_owned()),
        audience: spec.audience,
        event: spec.event,
        enabled: spec.requested,
        sms_key: spec.sms_key.map(str::to_owned),
        variables: None,
        csv,
        template,
    }
}

fn custom_template_entry(key: String, template: &TemplateFile) -> Entry {
    let (audience, event) = guess_audience(&template.path);
    Entry {
        key,
        label: None,
        audience,
        event,
        enabled: true,
        sms_key: None,
        variables: Some(declarable(used_placeholders(&template.text()).collect())),
        csv: None,
        template: Some(template.path.clone()),
    }
}

/// An email body no key claims is named after its file, or its whole path if that name is taken.
fn custom_template_key(template: &TemplateFile, entries: &[Entry]) -> String {
    let without_extension = template.path.trim_end_matches(".html");
    let stem = without_extension
        .rsplit('/')
        .next()
        .unwrap_or(without_extension);
    if entries.iter().any(|e| e.key == stem) {
        without_extension.replace('/', "-")
    } else {
        stem.to_owned()
    }
}

/// Custom messages are for staff unless their id or folder names a life event.
fn guess_audience(name: &str) -> (Audience, Option<Event>) {
    let event = [Event::Birth, Event::Death, Event::Marriage]
        .into_iter()
        .find(|event| name.starts_with(event.as_str()));
    match event {
        Some(event) => (Audience::Informant, Some(event)),
        None => (Audience::User, None),
    }
}

/// The placeholders a custom message must declare: those it uses that every message receives
/// anyway are left out.
fn declarable(used: BTreeSet<String>) -> Vec<String> {
    used.into_iter()
        .filter(|name| {
            !BASE_VARIABLES.contains(&name.as_str()) && !EMAIL_VARIABLES.contains(&name.as_str())
        })
        .collect()
}

/// The names a text reads; a text that does not parse reads nothing here (`check` reports it).
fn used_placeholders(text: &str) -> impl Iterator<Item = String> {
    placeholders::extract(text)
        .map(|found| found.placeholders.into_iter().map(|p| p.name))
        .into_iter()
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::countryconfig::sms_csv;

    fn config(csv: &str, templates: &[(&str, &str)]) -> CountryConfig {
        CountryConfig {
            sms: sms_csv::parse(csv).unwrap(),
            csv_bytes: csv.as_bytes().to_vec(),
            templates: templates
                .iter()
                .map(|(path, text)| TemplateFile {
                    path: (*path).to_owned(),
                    bytes: text.as_bytes().to_vec(),
                })
                .collect(),
        }
    }

    const CSV: &str = "id,description,en,fr\nbirthRegistrationNotification,Registered,Done {{trackingId}},Fait {{trackingId}}\nlocalReminder,Our own,See you {{appointmentDate}} at {{crvsOffice}} {{applicationName}},\n";

    #[test]
    fn rows_keep_their_order_and_known_keys_take_the_contract() {
        let templates = [
            ("birth/registration.html", "<p>{{name}}</p>"),
            ("other/change-phone-number.html", "{{authCode}}"),
            ("marriage/inProgress.html", "{{brideName}}"),
        ];
        let plan = plan(&config(CSV, &templates), Profile::V1_5);
        let keys: Vec<_> = plan.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "birthRegistrationNotification",
                "localReminder",
                "marriageInProgressNotification",
                "change-phone-number"
            ]
        );
        let registered = &plan.entries[0];
        assert_eq!(
            registered.template.as_deref(),
            Some("birth/registration.html")
        );
        assert_eq!(
            (registered.audience, registered.event),
            (Audience::Informant, Some(Event::Birth))
        );
        assert!(registered.enabled);
        assert!(!plan.entries[2].enabled, "marriage is never sent in 1.5");
        assert_eq!(
            plan.entries[3].sms_key.as_deref(),
            Some("authenticationCodeNotification")
        );
    }

    #[test]
    fn unknown_rows_declare_what_they_use_and_keep_empty_cells() {
        let plan = plan(&config(CSV, &[]), Profile::V1_5);
        let custom = plan.entry("localReminder").unwrap();
        assert_eq!(
            custom.variables.as_deref(),
            Some(&["appointmentDate".to_owned(), "crvsOffice".to_owned()][..])
        );
        assert_eq!(custom.audience, Audience::User);
        let csv = custom.csv.as_ref().unwrap();
        assert_eq!(csv.copy[1], ("fr".to_owned(), String::new()));
        assert_eq!(
            csv.sms(),
            [(
                "en",
                "See you {{appointmentDate}} at {{crvsOffice}} {{applicationName}}"
            )]
        );
    }

    #[test]
    fn a_row_without_copy_keeps_an_empty_default_text() {
        let csv = CsvCopy {
            description: String::new(),
            copy: vec![("en".into(), String::new()), ("fr".into(), String::new())],
        };
        assert_eq!(csv.sms(), [("en", "")]);
    }

    #[test]
    fn unclaimed_templates_become_email_only_entries() {
        let templates = [
            ("other/quarterly-report.html", "{{firstNames}} {{loginURL}}"),
            ("death/memorial.html", "{{name}}"),
        ];
        let plan = plan(&config(CSV, &templates), Profile::V1_5);
        let memorial = plan.entry("memorial").unwrap();
        assert_eq!(
            (memorial.audience, memorial.event),
            (Audience::Informant, Some(Event::Death))
        );
        let report = plan.entry("quarterly-report").unwrap();
        assert_eq!(
            report.variables.as_deref(),
            Some(&["firstNames".to_owned()][..])
        );
        assert_eq!(
            report.template.as_deref(),
            Some("other/quarterly-report.html")
        );
    }

    #[test]
    fn the_release_is_detected_from_copy_and_templates() {
        let v19 = config(CSV, &[("other/2-factor-authentication.html", "{{code}}")]);
        assert!(matches!(detect(&v19), Detected::Profile(Profile::V1_9, _)));
        assert_eq!(detect(&config(CSV, &[])), Detected::Unknown);
    }
}
