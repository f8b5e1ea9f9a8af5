//! Formats `check` findings for people and machines: `human` lines in the compiler style,
//! `json` for tools, `github` workflow commands that annotate a pull request, and `junit` XML for
//! the test report of any CI system. Reporters build strings; the command decides where they go.

pub mod junit;

use serde::Serialize;

use crate::findings::{Finding, Severity, Summary};

/// What a report is about: the catalogue file and its revision (unknown when it did not load).
pub struct ReportHeader<'a> {
    pub file: &'a str,
    pub revision: Option<i64>,
}

/// ANSI styling, applied only when the caller decided colour is wanted.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub(crate) fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// `FILE:LINE:COL: error[CODE] KEY CHANNEL.LANG: message`, one line per finding, then a summary.
pub fn human(findings: &[Finding], style: Style) -> String {
    let mut out = String::new();
    for finding in findings {
        out.push_str(&human_line(finding, style));
        out.push('\n');
    }
    let summary = Summary::of(findings);
    let line = summary.to_string();
    let painted = match (summary.errors, summary.warnings) {
        (0, 0) => style.paint("32", &line),
        (0, _) => style.paint("33", &line),
        _ => style.paint("31", &line),
    };
    out.push_str(&painted);
    out.push('\n');
    out
}

pub fn human_line(finding: &Finding, style: Style) -> String {
    let mut line = finding.file.clone();
    if let Some(l) = finding.line {
        line.push_str(&format!(":{l}"));
        if let Some(c) = finding.column {
            line.push_str(&format!(":{c}"));
        }
    }
    let (word, color) = match finding.severity {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
    };
    line.push_str(&format!(
        ": {}",
        style.paint(color, &format!("{word}[{}]", finding.code))
    ));
    if let Some(key) = &finding.notification {
        line.push(' ');
        line.push_str(key);
    }
    if let Some(channel) = finding.channel {
        line.push(' ');
        line.push_str(channel.as_str());
        if let Some(language) = &finding.language {
            line.push('.');
            line.push_str(language);
        }
    }
    line.push_str(": ");
    line.push_str(&finding.message);
    if let Some(suggestion) = &finding.suggestion {
        line.push_str(&format!(" (did you mean `{suggestion}`?)"));
    }
    line
}

#[derive(Serialize)]
struct JsonReport<'a> {
    file: &'a str,
    revision: Option<i64>,
    summary: Summary,
    findings: &'a [Finding],
}

/// The documented JSON shape: file, revision, summary, findings.
pub fn json(header: &ReportHeader<'_>, findings: &[Finding]) -> String {
    let report = JsonReport {
        file: header.file,
        revision: header.revision,
        summary: Summary::of(findings),
        findings,
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

/// GitHub Actions workflow commands: each finding annotates its file and line.
pub fn github(findings: &[Finding]) -> String {
    let mut out = String::new();
    for finding in findings {
        let command = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut properties = vec![format!("file={}", escape_property(&finding.file))];
        if let Some(line) = finding.line {
            properties.push(format!("line={line}"));
        }
        if let Some(column) = finding.column {
            properties.push(format!("col={column}"));
        }
        properties.push(format!("title={}", escape_property(finding.code.as_str())));
        let mut message = String::new();
        if let Some(key) = &finding.notification {
            message.push_str(key);
            message.push_str(": ");
        }
        message.push_str(&finding.message);
        if let Some(suggestion) = &finding.suggestion {
            message.push_str(&format!(" (did you mean `{suggestion}`?)"));
        }
        out.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            escape_data(&message)
        ));
    }
    out.push_str(&Summary::of(findings).to_string());
    out.push('\n');
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{Code, Location};
    use crate::model::Channel;

    fn sample() -> Finding {
        Finding::new(
            Code::UnknownPlaceholder,
            Location::at("n.toml", 12, 30),
            "`{{trackingID}}` is unknown",
        )
        .notification("birthRegistrationNotification")
        .channel(Channel::Sms, Some("en"))
        .suggest(Some("trackingId".into()))
    }

    #[test]
    fn human_lines_follow_the_compiler_style() {
        let text = human(&[sample()], Style { color: false });
        assert_eq!(
            text,
            "n.toml:12:30: error[unknown-placeholder] birthRegistrationNotification sms.en: `{{trackingID}}` is unknown (did you mean `trackingId`?)\n1 error, 0 warnings\n"
        );
    }

    #[test]
    fn github_commands_escape_their_properties() {
        let mut finding = sample();
        finding.file = "a,b:c.toml".into();
        finding.message = "50% off\nnext".into();
        let text = github(&[finding]);
        assert!(text.starts_with("::error file=a%2Cb%3Ac.toml,line=12,col=30,title=unknown-placeholder::birthRegistrationNotification: 50%25 off%0Anext"));
    }

    #[test]
    fn json_has_the_documented_shape() {
        let text = json(
            &ReportHeader {
                file: "n.toml",
                revision: Some(4),
            },
            &[sample()],
        );
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["revision"], 4);
        assert_eq!(value["summary"]["errors"], 1);
        let finding = &value["findings"][0];
        assert_eq!(finding["code"], "unknown-placeholder");
        assert_eq!(finding["severity"], "error");
        assert_eq!(finding["channel"], "sms");
        assert_eq!(finding["suggestion"], "trackingId");
        let keys: Vec<_> = finding.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys.len(), 10);
    }
}
