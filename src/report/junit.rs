//! `check` findings as JUnit XML, the report format every CI system can display (GitLab, Jenkins,
//! Azure Pipelines, CircleCI, Buildkite…). One `<testsuite>` per notification, plus a `catalogue`
//! suite for what concerns the file as a whole (syntax, schema, keys OpenCRVS requests that are
//! missing). Inside a suite, each *area* is a channel and language (`sms.en`, `email.fr`) or the
//! notification's `definition`:
//! - an area with no finding is one passing testcase named after it, so a clean run still lists
//!   what was checked;
//! - each error is its own failing testcase (`sms.en: unknown-placeholder`) with one `<failure>`
//!   whose type is the finding's code and whose message starts with `file:line:col`;
//! - each warning is its own passing testcase whose `<system-out>` holds the warning, so it is
//!   visible without failing the build; with `--strict` it fails like an error.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use crate::catalogue::Loaded;
use crate::findings::{Code, Finding, Severity};
use crate::report::{Style, human_line};

/// The name of the suite that holds file-wide findings.
pub const CATALOGUE_SUITE: &str = "catalogue";

/// What was checked: the catalogue file and, per notification, the areas to report on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub file: String,
    /// Areas of the file-wide suite; empty when the catalogue did not load (nothing else was checked).
    pub catalogue_areas: Vec<String>,
    pub notifications: IndexMap<String, Vec<String>>,
}

impl Plan {
    /// The areas of a loaded catalogue: for each notification its definition, then each channel it
    /// has copy for in each configured language.
    pub fn of(loaded: &Loaded) -> Plan {
        let file = loaded.source.display.clone();
        let Some(catalogue) = &loaded.catalogue else {
            return Plan {
                file,
                catalogue_areas: Vec::new(),
                notifications: IndexMap::new(),
            };
        };
        let notifications = catalogue
            .notifications
            .iter()
            .map(|(key, notification)| {
                let mut areas = vec!["definition".to_owned()];
                for channel in notification.channels() {
                    areas.extend(
                        catalogue
                            .settings
                            .languages()
                            .map(|language| format!("{channel}.{language}")),
                    );
                }
                (key.clone(), areas)
            })
            .collect();
        Plan {
            file,
            catalogue_areas: ["syntax", "schema", "requested keys"]
                .map(str::to_owned)
                .to_vec(),
            notifications,
        }
    }
}

/// One `<testcase>`.
#[derive(Debug)]
struct Case<'a> {
    name: String,
    file: &'a str,
    line: Option<usize>,
    outcome: Outcome<'a>,
}

#[derive(Debug)]
enum Outcome<'a> {
    Passed,
    Failed(&'a Finding),
    Noted(&'a Finding),
}

/// The JUnit XML document for a check. With `strict`, warnings fail too (as `check --strict` does).
pub fn junit(plan: &Plan, findings: &[Finding], strict: bool) -> String {
    let suites = suites(plan, findings, strict);
    let tests: usize = suites.values().map(Vec::len).sum();
    let failures: usize = suites.values().map(|cases| failed(cases)).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"crvs-comms check\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n"
    ));
    for (name, cases) in &suites {
        out.push_str(&suite_xml(name, cases));
    }
    out.push_str("</testsuites>\n");
    out
}

/// The testcases of every suite, the catalogue suite first, then notifications in file order.
fn suites<'a>(
    plan: &'a Plan,
    findings: &'a [Finding],
    strict: bool,
) -> IndexMap<String, Vec<Case<'a>>> {
    // Per suite, per area (in planned order, then in order of appearance): the findings.
    let mut grouped: IndexMap<String, IndexMap<String, Vec<&Finding>>> = IndexMap::new();
    let planned = std::iter::once((CATALOGUE_SUITE.to_owned(), &plan.catalogue_areas))
        .chain(plan.notifications.iter().map(|(k, a)| (k.clone(), a)));
    for (suite, areas) in planned {
        let entry = grouped.entry(suite).or_default();
        for area in areas {
            entry.entry(area.clone()).or_default();
        }
    }
    for finding in findings {
        let (suite, area) = place(plan, finding);
        grouped
            .entry(suite)
            .or_default()
            .entry(area)
            .or_default()
            .push(finding);
    }
    grouped
        .into_iter()
        .filter(|(_, areas)| !areas.is_empty())
        .map(|(suite, areas)| {
            let file_wide = suite == CATALOGUE_SUITE;
            let cases = areas
                .into_iter()
                .flat_map(|(area, found)| cases_of(plan, area, found, file_wide, strict))
                .collect();
            (suite, cases)
        })
        .collect()
}

/// The suite and area a finding is reported under.
fn place(plan: &Plan, finding: &Finding) -> (String, String) {
    match &finding.notification {
        Some(key) if plan.notifications.contains_key(key) => {
            let area = match (finding.channel, &finding.language) {
                (Some(channel), Some(language)) => format!("{channel}.{language}"),
                (Some(channel), None) => channel.to_string(),
                (None, _) => "definition".to_owned(),
            };
            (key.clone(), area)
        }
        _ => {
            let area = match finding.code {
                Code::TomlSyntax => "syntax",
                Code::Schema | Code::SecretInFile => "schema",
                _ => "requested keys",
            };
            (CATALOGUE_SUITE.to_owned(), area.to_owned())
        }
    }
}

fn cases_of<'a>(
    plan: &'a Plan,
    area: String,
    found: Vec<&'a Finding>,
    file_wide: bool,
    strict: bool,
) -> Vec<Case<'a>> {
    if found.is_empty() {
        return vec![Case {
            name: area,
            file: &plan.file,
            line: None,
            outcome: Outcome::Passed,
        }];
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    found
        .into_iter()
        .map(|finding| {
            let mut name = format!("{area}: {}", finding.code);
            if file_wide && let Some(key) = &finding.notification {
                name.push_str(&format!(" {key}"));
            }
            // CI systems track a test's history by its name, so repeats get a stable number.
            let count = seen.entry(name.clone()).or_default();
            *count += 1;
            if *count > 1 {
                name.push_str(&format!(" ({count})"));
            }
            let fails = finding.severity == Severity::Error || strict;
            Case {
                name,
                file: &finding.file,
                line: finding.line,
                outcome: if fails {
                    Outcome::Failed(finding)
                } else {
                    Outcome::Noted(finding)
                },
            }
        })
        .collect()
}

fn failed(cases: &[Case<'_>]) -> usize {
    cases
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Failed(_)))
        .count()
}

fn suite_xml(name: &str, cases: &[Case<'_>]) -> String {
    let mut out = format!(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n",
        attribute(name),
        cases.len(),
        failed(cases)
    );
    for case in cases {
        out.push_str(&case_xml(name, case));
    }
    out.push_str("  </testsuite>\n");
    out
}

fn case_xml(suite: &str, case: &Case<'_>) -> String {
    let mut open = format!(
        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\"",
        attribute(&case.name),
        attribute(suite),
        attribute(case.file)
    );
    if let Some(line) = case.line {
        open.push_str(&format!(" line=\"{line}\""));
    }
    let plain = Style { color: false };
    match case.outcome {
        Outcome::Passed => format!("{open}/>\n"),
        Outcome::Failed(finding) => format!(
            "{open}>\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
            attribute(finding.code.as_str()),
            attribute(&failure_message(finding)),
            text(&human_line(finding, plain))
        ),
        Outcome::Noted(finding) => format!(
            "{open}>\n      <system-out>{}</system-out>\n    </testcase>\n",
            text(&human_line(finding, plain))
        ),
    }
}

/// `file:line:col: message (did you mean …?)`: where first, as CI systems show the message alone.
fn failure_message(finding: &Finding) -> String {
    let mut message = finding.file.clone();
    if let Some(line) = finding.line {
        message.push_str(&format!(":{line}"));
        if let Some(column) = finding.column {
            message.push_str(&format!(":{column}"));
        }
    }
    message.push_str(": ");
    message.push_str(&finding.message);
    if let Some(suggestion) = &finding.suggestion {
        message.push_str(&format!(" (did you mean `{suggestion}`?)"));
    }
    message
}

/// Text content: markup characters escaped, characters XML 1.0 cannot carry replaced.
fn text(value: &str) -> String {
    escape(value, false)
}

/// An attribute value in double quotes: as text, plus quotes, and line breaks and tabs kept as
/// character references (a parser would turn them into spaces).
fn attribute(value: &str) -> String {
    escape(value, true)
}

fn escape(value: &str, in_attribute: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for ch in value.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if in_attribute => out.push_str("&quot;"),
            '\'' if in_attribute => out.push_str("&apos;"),
            '\n' if in_attribute => out.push_str("&#10;"),
            // A parser turns a raw carriage return into a newline, anywhere.
            '\r' => out.push_str("&#13;"),
            '\t' if in_attribute => out.push_str("&#9;"),
            '\n' | '\t' => out.push(ch),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Whether XML 1.0 allows the character at all (even escaped, it does not allow most controls).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests;
