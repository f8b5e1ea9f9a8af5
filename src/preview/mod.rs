//! Previews: one notification's message rendered with sample data exactly as it would be sent —
//! the SMS unescaped, with its encoding, parts and worst case; the email subject and body escaped
//! as handlebars.js escapes them. `preview` shows these, and `send-test` sends the same text, so
//! both call `render_sms`. A placeholder without a value is an error naming it, never blank text.

mod all;
mod plain;
mod worst;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::catalogue::{Catalogue, Notification};
use crate::model::Channel;
use crate::render::{Compiled, Escape, RenderError, Values};
use crate::sample::SampleData;
use crate::sms::{self, SmsAnalysis};

pub use all::{SmsRow, preview_all};
pub use plain::plain_text;
pub use worst::{stretch, worst_case_parts};

/// Why a message cannot be previewed.
#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    #[error("no notification `{key}` in the catalogue")]
    UnknownNotification { key: String },
    #[error("`{key}` has no SMS copy{}", shared_key.as_ref().map(|k| format!(": OpenCRVS sends its SMS as `{k}`")).unwrap_or_default())]
    NoSms {
        key: String,
        shared_key: Option<String>,
    },
    #[error("`{key}` has no email copy")]
    NoEmail { key: String },
    #[error("`{key}` has an email subject but no `email.body`")]
    NoEmailBody { key: String },
    #[error("`{key}` has no {} copy in `{language}`; it has copy in {}", channel_label(*channel), languages.join(", "))]
    NoCopyIn {
        key: String,
        channel: Channel,
        language: String,
        languages: Vec<String>,
    },
    #[error("cannot read the email body {path} of `{key}`: {source}")]
    BodyFile {
        key: String,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot render the {what} of `{key}` in `{language}`: {source}")]
    Render {
        key: String,
        language: String,
        what: &'static str,
        #[source]
        source: RenderError,
    },
}

fn channel_label(channel: Channel) -> &'static str {
    match channel {
        Channel::Sms => "SMS",
        Channel::Email => "email",
    }
}

impl PreviewError {
    /// The variables without a sample value, when that is why.
    pub fn missing_values(&self) -> Option<&[String]> {
        match self {
            PreviewError::Render {
                source: RenderError::MissingValues(names),
                ..
            } => Some(names),
            _ => None,
        }
    }
}

/// One SMS as it would be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedSms {
    pub notification: String,
    pub language: String,
    /// Every value the message had to draw from: the sample's, with the overrides over them.
    pub values: BTreeMap<String, String>,
    /// The sent (NFC) text, its encoding, units, parts and the characters forcing UCS-2.
    pub analysis: SmsAnalysis,
    /// Parts with every variable that has a `max_length` at that length; `None` when no variable
    /// of the message has one.
    pub worst_case_parts: Option<usize>,
}

/// One email as it would be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedEmail {
    pub notification: String,
    pub language: String,
    pub subject: String,
    pub html: String,
    /// The body template the HTML was rendered from.
    pub body_path: PathBuf,
}

/// Renders the SMS of `key` in `language` with the sample values, `overrides` over them.
pub fn render_sms(
    catalogue: &Catalogue,
    sample: &SampleData,
    key: &str,
    language: &str,
    overrides: &BTreeMap<String, String>,
) -> Result<RenderedSms, PreviewError> {
    let notification = notification(catalogue, key)?;
    let copy = sms_copy(key, notification, language)?;
    let failed = |source: RenderError| PreviewError::Render {
        key: key.to_owned(),
        language: language.to_owned(),
        what: "SMS",
        source,
    };
    let compiled = Compiled::parse(copy).map_err(|e| failed(e.into()))?;
    let values = sample.message_values(key, language, overrides);
    let (analysis, worst_case_parts) =
        analyse_sms(&compiled, &values, &sample.max_length).map_err(failed)?;
    Ok(RenderedSms {
        notification: key.to_owned(),
        language: language.to_owned(),
        values: values.to_map(),
        analysis,
        worst_case_parts,
    })
}

/// Renders the email of `key` in `language`: subject and body, HTML-escaped.
pub fn render_email(
    catalogue: &Catalogue,
    sample: &SampleData,
    key: &str,
    language: &str,
    overrides: &BTreeMap<String, String>,
) -> Result<RenderedEmail, PreviewError> {
    let notification = notification(catalogue, key)?;
    let no_email = || PreviewError::NoEmail {
        key: key.to_owned(),
    };
    let email = notification.email.as_ref().ok_or_else(no_email)?;
    let subject = email.subject.get(language).ok_or_else(|| {
        if email.subject.is_empty() {
            no_email()
        } else {
            PreviewError::NoCopyIn {
                key: key.to_owned(),
                channel: Channel::Email,
                language: language.to_owned(),
                languages: email.subject.keys().cloned().collect(),
            }
        }
    })?;
    let body_path = catalogue
        .email_body_path(notification, language)
        .ok_or_else(|| PreviewError::NoEmailBody {
            key: key.to_owned(),
        })?;
    let body = std::fs::read_to_string(&body_path).map_err(|source| PreviewError::BodyFile {
        key: key.to_owned(),
        path: body_path.clone(),
        source,
    })?;
    let failed = |what, source: RenderError| PreviewError::Render {
        key: key.to_owned(),
        language: language.to_owned(),
        what,
        source,
    };
    let subject =
        Compiled::parse(subject.get_ref()).map_err(|e| failed("email subject", e.into()))?;
    let body_template = Compiled::parse(&body).map_err(|e| failed("email body", e.into()))?;
    let values = sample.message_values(key, language, overrides);
    // Both parts' missing values in one error, so one run names everything to add.
    let mut missing = subject.missing(&values);
    missing.extend(body_template.missing(&values));
    missing.sort();
    missing.dedup();
    if !missing.is_empty() {
        return Err(failed("email", RenderError::MissingValues(missing)));
    }
    Ok(RenderedEmail {
        notification: key.to_owned(),
        language: language.to_owned(),
        subject: subject
            .render(&values, Escape::Html)
            .map_err(|e| failed("email subject", e))?,
        html: body_template
            .render(&values, Escape::Html)
            .map_err(|e| failed("email body", e))?,
        body_path,
    })
}

/// The channel a preview shows by default: the one the settings deliver this audience on, or,
/// when the notification has no copy for it, the one it has copy for.
pub fn default_channel(catalogue: &Catalogue, notification: &Notification) -> Option<Channel> {
    let delivered = catalogue.settings.delivery(notification.audience);
    let channels = notification.channels();
    if channels.contains(&delivered) {
        Some(delivered)
    } else {
        channels.first().copied()
    }
}

fn notification<'c>(catalogue: &'c Catalogue, key: &str) -> Result<&'c Notification, PreviewError> {
    catalogue
        .notifications
        .get(key)
        .ok_or_else(|| PreviewError::UnknownNotification {
            key: key.to_owned(),
        })
}

fn sms_copy<'n>(
    key: &str,
    notification: &'n Notification,
    language: &str,
) -> Result<&'n str, PreviewError> {
    if notification.sms.is_empty() {
        return Err(PreviewError::NoSms {
            key: key.to_owned(),
            shared_key: notification.sms_key.as_ref().map(|k| k.get_ref().clone()),
        });
    }
    match notification.sms.get(language) {
        Some(copy) => Ok(copy.get_ref()),
        None => Err(PreviewError::NoCopyIn {
            key: key.to_owned(),
            channel: Channel::Sms,
            language: language.to_owned(),
            languages: notification.sms.keys().cloned().collect(),
        }),
    }
}

/// Renders a parsed SMS strictly and measures it, with its worst case.
fn analyse_sms(
    compiled: &Compiled,
    values: &dyn Values,
    max_length: &BTreeMap<String, usize>,
) -> Result<(SmsAnalysis, Option<usize>), RenderError> {
    let text = compiled.render(values, Escape::None)?;
    let analysis = sms::analyse(&text);
    let worst = worst_case_parts(compiled, values, max_length)?;
    Ok((analysis, worst))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue;

    const CATALOGUE: &str = r#"schema_version = 1
revision = 1

[settings]
opencrvs = "1.5"
languages = ["en", "fr"]
user_delivery = "sms"
informant_delivery = "sms"

[notifications.birthDeclarationNotification]
audience = "informant"
event = "birth"
enabled = true
sms.en = "Dear {{informantName}}, {{name}} is declared. ID {{trackingId}}"
email.subject.en = "Declared: {{name}}"
email.body = "body.html"
"#;

    const SAMPLE: &str = r#"
[values]
informantName = "Aoife O'Brien"
name = "Liam O'Brien"
trackingId = "B7X2K9Q"

[max_length]
name = 120
"#;

    fn setup() -> (tempfile::TempDir, Catalogue, SampleData) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("body.html"),
            "<p>{{informantName}} &amp; {{name}}</p>",
        )
        .unwrap();
        let path = dir.path().join("notifications.toml");
        let loaded = catalogue::parse(&path, "notifications.toml", CATALOGUE.to_owned());
        assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
        let sample = SampleData::parse(SAMPLE).unwrap();
        (dir, loaded.catalogue.unwrap(), sample)
    }

    #[test]
    fn sms_is_rendered_unescaped_with_its_worst_case() {
        let (_dir, catalogue, sample) = setup();
        let sms = render_sms(
            &catalogue,
            &sample,
            "birthDeclarationNotification",
            "en",
            &BTreeMap::new(),
        )
        .unwrap();
        assert_eq!(
            sms.analysis.text,
            "Dear Aoife O'Brien, Liam O'Brien is declared. ID B7X2K9Q"
        );
        assert_eq!((sms.analysis.units, sms.analysis.parts), (56, 1));
        // 44 fixed characters + a 120-character name: 164, two parts.
        assert_eq!(sms.worst_case_parts, Some(2));
        assert_eq!(sms.values["trackingId"], "B7X2K9Q");
    }

    #[test]
    fn email_is_rendered_escaped() {
        let (_dir, catalogue, sample) = setup();
        let email = render_email(
            &catalogue,
            &sample,
            "birthDeclarationNotification",
            "en",
            &BTreeMap::new(),
        )
        .unwrap();
        assert_eq!(email.subject, "Declared: Liam O&#x27;Brien");
        assert_eq!(
            email.html,
            "<p>Aoife O&#x27;Brien &amp; Liam O&#x27;Brien</p>"
        );
    }

    #[test]
    fn overrides_win_and_missing_values_are_named() {
        let (_dir, catalogue, mut sample) = setup();
        let set = BTreeMap::from([("trackingId".to_owned(), "Z9".to_owned())]);
        let sms = render_sms(
            &catalogue,
            &sample,
            "birthDeclarationNotification",
            "en",
            &set,
        )
        .unwrap();
        assert!(
            sms.analysis.text.ends_with("ID Z9"),
            "{}",
            sms.analysis.text
        );

        sample.values.remove("name");
        sample.values.remove("informantName");
        let err = render_sms(
            &catalogue,
            &sample,
            "birthDeclarationNotification",
            "en",
            &set,
        )
        .unwrap_err();
        assert_eq!(
            err.missing_values(),
            Some(&["informantName".to_owned(), "name".to_owned()][..])
        );
        assert_eq!(
            err.to_string(),
            "cannot render the SMS of `birthDeclarationNotification` in `en`: no sample value for `informantName`, `name`"
        );
    }

    #[test]
    fn copy_that_is_not_there_is_explained() {
        let (_dir, catalogue, sample) = setup();
        let none = BTreeMap::new();
        let err = render_sms(
            &catalogue,
            &sample,
            "birthDeclarationNotification",
            "fr",
            &none,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "`birthDeclarationNotification` has no SMS copy in `fr`; it has copy in en"
        );
        let err = render_email(&catalogue, &sample, "nope", "en", &none).unwrap_err();
        assert_eq!(err.to_string(), "no notification `nope` in the catalogue");
    }
}
