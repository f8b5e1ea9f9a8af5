//! Reading `notifications.toml`: TOML syntax first, then the schema version, then each part on its
//! own, so one mistyped notification does not hide the problems of the others. Every problem
//! becomes a finding with the file, line and column it is at; nothing here panics on input.

use std::ops::Range;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, Deserializer, ValueDeserializer};

use super::{Catalogue, Notification, SCHEMA_VERSION, Settings, secrets};
use crate::findings::{Code, Finding, Location};
use crate::gateway::GatewayConfig;
use crate::model::Audience;
use crate::source::SourceText;

/// The outcome of reading a catalogue: its text, the catalogue when it could be built, and the
/// problems met on the way (a catalogue may load and still carry findings).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub source: SourceText,
    pub catalogue: Option<Catalogue>,
    pub findings: Vec<Finding>,
}

/// Why a catalogue could not be read at all (as opposed to read and found wrong).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read the catalogue {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }
}

/// Reads and parses the catalogue at `path`.
pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_owned(),
        source,
    })?;
    let display = path.display().to_string();
    match String::from_utf8(bytes) {
        Ok(text) => Ok(parse(path, &display, text)),
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
            let source = SourceText::new(display, text);
            let finding = Finding::new(
                Code::TomlSyntax,
                source.location(valid),
                "the file is not valid UTF-8 text; save it as UTF-8",
            );
            Ok(Loaded {
                source,
                catalogue: None,
                findings: vec![finding],
            })
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    #[allow(dead_code)]
    schema_version: i64,
    revision: Spanned<i64>,
    settings: Settings,
}

/// Parses catalogue text; `path` is used to resolve relative paths, `display` in findings.
pub fn parse(path: &Path, display: &str, text: String) -> Loaded {
    let source = SourceText::new(display, text);
    let mut findings = Vec::new();
    let catalogue = build(path, &source, &mut findings);
    Loaded {
        source,
        catalogue,
        findings,
    }
}

fn build(path: &Path, source: &SourceText, findings: &mut Vec<Finding>) -> Option<Catalogue> {
    // Only the first syntax error is reported: after it, a parser's recovery guesses, and the
    // errors it finds next are mostly echoes of the first.
    let root = match DeTable::parse(&source.text) {
        Ok(root) => root,
        Err(err) => {
            findings.push(syntax_finding(source, &err));
            return None;
        }
    };
    let root_span = root.span();
    let mut root = root.into_inner();
    let schema_version = schema_version(&root, source, findings)?;

    secrets::scan(&mut root, source, findings);

    let notifications = take_table(&mut root, "notifications", source, findings)
        .map(|table| notifications(table, source, findings))
        .unwrap_or_default();
    let gateways = take_table(&mut root, "gateways", source, findings)
        .map(|table| gateways(table, source, findings))
        .unwrap_or_default();

    let header = match Header::deserialize(Deserializer::from(Spanned::new(root_span, root))) {
        Ok(header) => header,
        Err(err) => {
            findings.push(schema_finding(source, &err, 0));
            return None;
        }
    };
    check_settings(&header, source, findings);

    Some(Catalogue {
        path: path.to_owned(),
        schema_version,
        revision: *header.revision.get_ref(),
        settings: header.settings,
        notifications,
        gateways,
    })
}

fn syntax_finding(source: &SourceText, err: &toml::de::Error) -> Finding {
    let offset = err.span().map_or(0, |s| s.start);
    let message = err.message().trim().to_owned();
    // TOML calls a repeated key a syntax error; for the person editing it is a schema mistake.
    let code = if message.contains("duplicate key") {
        Code::Schema
    } else {
        Code::TomlSyntax
    };
    Finding::new(code, source.location(offset), message)
}

fn schema_finding(source: &SourceText, err: &toml::de::Error, fallback: usize) -> Finding {
    let offset = err.span().map_or(fallback, |s| s.start);
    Finding::new(
        Code::Schema,
        source.location(offset),
        err.message().trim().to_owned(),
    )
}

fn schema_version(
    root: &DeTable<'_>,
    source: &SourceText,
    findings: &mut Vec<Finding>,
) -> Option<i64> {
    let Some(value) = root.get("schema_version") else {
        findings.push(Finding::new(
            Code::Schema,
            Location::at(source.display.clone(), 1, 1),
            format!("`schema_version` is missing; add `schema_version = {SCHEMA_VERSION}` at the top of the file"),
        ));
        return None;
    };
    let span = value.span();
    let version = match i64::deserialize(ValueDeserializer::from(value.clone())) {
        Ok(version) => version,
        Err(_) => {
            findings.push(Finding::new(
                Code::Schema,
                source.location(span.start),
                format!("`schema_version` must be a whole number; this version of crvs-comms reads {SCHEMA_VERSION}"),
            ));
            return None;
        }
    };
    let problem = if version > SCHEMA_VERSION {
        format!(
            "this file uses schema_version {version}, written by a newer crvs-comms; this version reads schema_version {SCHEMA_VERSION}: upgrade crvs-comms to edit it"
        )
    } else if version < SCHEMA_VERSION {
        format!("schema_version {version} does not exist; the first format is {SCHEMA_VERSION}")
    } else {
        return Some(version);
    };
    findings.push(Finding::new(
        Code::Schema,
        source.location(span.start),
        problem,
    ));
    None
}

fn take_table<'i>(
    root: &mut DeTable<'i>,
    name: &str,
    source: &SourceText,
    findings: &mut Vec<Finding>,
) -> Option<DeTable<'i>> {
    let value = root.remove(name)?;
    let span = value.span();
    match value.into_inner() {
        DeValue::Table(table) => Some(table),
        _ => {
            findings.push(Finding::new(
                Code::Schema,
                source.location(span.start),
                format!("`{name}` must be a table of tables, like [{name}.KEY]"),
            ));
            None
        }
    }
}

fn notifications(
    table: DeTable<'_>,
    source: &SourceText,
    findings: &mut Vec<Finding>,
) -> IndexMap<String, Notification> {
    let mut parsed = IndexMap::new();
    for (key, value) in table {
        let key_span = key.span();
        let key = key.into_inner().into_owned();
        match Notification::deserialize(ValueDeserializer::from(value)) {
            Ok(mut notification) => {
                notification.span = key_span.clone();
                check_event(&key, &notification, key_span, source, findings);
                parsed.insert(key, notification);
            }
            Err(err) => {
                findings.push(schema_finding(source, &err, key_span.start).notification(&key));
            }
        }
    }
    parsed
}

fn check_event(
    key: &str,
    notification: &Notification,
    span: Range<usize>,
    source: &SourceText,
    findings: &mut Vec<Finding>,
) {
    let problem = match (notification.audience, notification.event) {
        (Audience::Informant, None) => {
            "an informant notification needs `event = \"birth\"`, \"death\" or \"marriage\""
        }
        (Audience::User, Some(_)) => {
            "a user (staff) notification is not tied to an event; remove `event`"
        }
        _ => return,
    };
    findings
        .push(Finding::new(Code::Schema, source.location(span.start), problem).notification(key));
}

fn gateways(
    table: DeTable<'_>,
    source: &SourceText,
    findings: &mut Vec<Finding>,
) -> IndexMap<String, Spanned<GatewayConfig>> {
    let mut parsed = IndexMap::new();
    for (name, value) in table {
        let span = value.span();
        let name = name.into_inner().into_owned();
        match GatewayConfig::deserialize(ValueDeserializer::from(value)) {
            Ok(config) => {
                for problem in config.problems_besides_leaked_secrets() {
                    findings.push(Finding::new(
                        Code::Schema,
                        source.location(span.start),
                        format!("gateway `{name}`: {problem}"),
                    ));
                }
                parsed.insert(name, Spanned::new(span, config));
            }
            Err(err) => findings.push(schema_finding(source, &err, span.start)),
        }
    }
    parsed
}

fn check_settings(header: &Header, source: &SourceText, findings: &mut Vec<Finding>) {
    let languages = header.settings.languages.get_ref();
    if languages.is_empty() {
        let span = header.settings.languages.span();
        findings.push(Finding::new(
            Code::Schema,
            source.location(span.start),
            "`settings.languages` is empty; list at least one language, the default first, like [\"en\"]",
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for language in languages {
        let code = language.get_ref();
        let location = source.location(language.span().start);
        if !is_language_code(code) {
            findings.push(Finding::new(
                Code::Schema,
                location,
                format!(
                    "`{code}` is not a language code; use a code like \"en\", \"fr\" or \"pt-BR\""
                ),
            ));
        } else if !seen.insert(code.as_str()) {
            findings.push(Finding::new(
                Code::Schema,
                location,
                format!("language `{code}` is listed twice in `settings.languages`"),
            ));
        }
    }
    if *header.revision.get_ref() < 0 {
        findings.push(Finding::new(
            Code::Schema,
            source.location(header.revision.span().start),
            "`revision` cannot be negative",
        ));
    }
    if let Some(parts) = &header.settings.max_sms_parts
        && *parts.get_ref() == 0
    {
        findings.push(Finding::new(
            Code::Schema,
            source.location(parts.span().start),
            "`settings.max_sms_parts` must be at least 1",
        ));
    }
}

/// A language code as OpenCRVS names its CSV columns: two or three letters, optionally a region.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split(['-', '_']);
    let primary = parts.next().unwrap_or_default();
    let primary_ok =
        (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_lowercase());
    let rest_ok =
        parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    primary_ok && rest_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Loaded {
        parse(Path::new("n.toml"), "n.toml", text.to_owned())
    }

    const MINIMAL: &str = r#"schema_version = 1
revision = 3

[settings]
opencrvs = "1.5"
languages = ["en", "fr"]
user_delivery = "sms"
informant_delivery = "email"

[notifications.birthRegistrationNotification]
audience = "informant"
event = "birth"
enabled = true
sms.en = "Hi {{name}}"
"#;

    #[test]
    fn a_minimal_catalogue_loads() {
        let loaded = parse_text(MINIMAL);
        assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
        let catalogue = loaded.catalogue.unwrap();
        assert_eq!(catalogue.revision, 3);
        let n = &catalogue.notifications["birthRegistrationNotification"];
        assert_eq!(n.sms["en"].get_ref(), "Hi {{name}}");
        assert_eq!(catalogue.settings.default_language(), Some("en"));
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let loaded = parse_text("schema_version = 1\nrevision = = 2\n");
        assert_eq!(loaded.findings[0].code, Code::TomlSyntax);
        assert_eq!(loaded.findings[0].line, Some(2));
        assert!(loaded.catalogue.is_none());
    }

    #[test]
    fn a_newer_schema_is_refused_clearly() {
        let loaded = parse_text("schema_version = 2\nrevision = 1\nfuture_field = 1\n");
        assert_eq!(loaded.findings.len(), 1);
        assert_eq!(loaded.findings[0].code, Code::Schema);
        assert!(loaded.findings[0].message.contains("newer crvs-comms"));
    }

    #[test]
    fn each_bad_notification_is_reported_and_the_rest_load() {
        let text = MINIMAL.to_owned()
            + "\n[notifications.a]\naudience = \"informent\"\nenabled = true\n\n[notifications.b]\naudience = \"user\"\nenabled = true\ncolour = \"red\"\n";
        let loaded = parse_text(&text);
        let codes: Vec<_> = loaded.findings.iter().map(|f| (f.code, f.line)).collect();
        assert_eq!(codes, [(Code::Schema, Some(17)), (Code::Schema, Some(23))]);
        assert!(loaded.findings[1].message.contains("colour"));
        assert_eq!(loaded.catalogue.unwrap().notifications.len(), 1);
    }

    #[test]
    fn duplicate_keys_are_schema_findings() {
        let loaded = parse_text("schema_version = 1\nschema_version = 1\n");
        assert_eq!(loaded.findings[0].code, Code::Schema);
    }

    #[test]
    fn language_codes() {
        assert!(is_language_code("en"));
        assert!(is_language_code("pt-BR"));
        assert!(!is_language_code("English"));
        assert!(!is_language_code("e"));
    }
}
