//! A finding is one problem `check` reports: a stable code, a severity, the notification, channel
//! and language it concerns, and where it is (file, line, column). Reporters only format findings;
//! every rule produces them in this one shape.

use serde::Serialize;

use crate::model::Channel;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// The stable codes of findings, as documented in README.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    TomlSyntax,
    Schema,
    TemplateSyntax,
    UnknownPlaceholder,
    UnsuppliedPlaceholder,
    MissingRequiredPlaceholder,
    MissingCopy,
    MissingTemplateFile,
    SecretInFile,
    UnknownNotification,
    PlaceholderMismatch,
    UnknownLanguage,
    SmsEncoding,
    SmsLength,
}

impl Code {
    pub const ALL: [Code; 14] = [
        Code::TomlSyntax,
        Code::Schema,
        Code::TemplateSyntax,
        Code::UnknownPlaceholder,
        Code::UnsuppliedPlaceholder,
        Code::MissingRequiredPlaceholder,
        Code::MissingCopy,
        Code::MissingTemplateFile,
        Code::SecretInFile,
        Code::UnknownNotification,
        Code::PlaceholderMismatch,
        Code::UnknownLanguage,
        Code::SmsEncoding,
        Code::SmsLength,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::TomlSyntax => "toml-syntax",
            Code::Schema => "schema",
            Code::TemplateSyntax => "template-syntax",
            Code::UnknownPlaceholder => "unknown-placeholder",
            Code::UnsuppliedPlaceholder => "unsupplied-placeholder",
            Code::MissingRequiredPlaceholder => "missing-required-placeholder",
            Code::MissingCopy => "missing-copy",
            Code::MissingTemplateFile => "missing-template-file",
            Code::SecretInFile => "secret-in-file",
            Code::UnknownNotification => "unknown-notification",
            Code::PlaceholderMismatch => "placeholder-mismatch",
            Code::UnknownLanguage => "unknown-language",
            Code::SmsEncoding => "sms-encoding",
            Code::SmsLength => "sms-length",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Code::UnknownNotification
            | Code::PlaceholderMismatch
            | Code::UnknownLanguage
            | Code::SmsEncoding
            | Code::SmsLength => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a finding points.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Location {
    pub fn file(file: impl Into<String>) -> Location {
        Location {
            file: file.into(),
            line: None,
            column: None,
        }
    }

    pub fn at(file: impl Into<String>, line: usize, column: usize) -> Location {
        Location {
            file: file.into(),
            line: Some(line),
            column: Some(column),
        }
    }
}

/// One problem found in a catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: Code,
    pub notification: Option<String>,
    pub channel: Option<Channel>,
    pub language: Option<String>,
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub suggestion: Option<String>,
}

impl Finding {
    pub fn new(code: Code, location: Location, message: impl Into<String>) -> Finding {
        Finding {
            severity: code.severity(),
            code,
            notification: None,
            channel: None,
            language: None,
            file: location.file,
            line: location.line,
            column: location.column,
            message: message.into(),
            suggestion: None,
        }
    }

    pub fn notification(mut self, key: &str) -> Finding {
        self.notification = Some(key.to_owned());
        self
    }

    pub fn channel(mut self, channel: Channel, language: Option<&str>) -> Finding {
        self.channel = Some(channel);
        self.language = language.map(str::to_owned);
        self
    }

    pub fn suggest(mut self, suggestion: Option<String>) -> Finding {
        self.suggestion = suggestion;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
}

impl Summary {
    pub fn of(findings: &[Finding]) -> Summary {
        let errors = findings.iter().filter(|f| f.is_error()).count();
        Summary {
            errors,
            warnings: findings.len() - errors,
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        write!(
            f,
            "{}, {}",
            plural(self.errors, "error"),
            plural(self.warnings, "warning")
        )
    }
}
