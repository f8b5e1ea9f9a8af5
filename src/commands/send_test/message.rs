//! Turning one notification of the catalogue into the SMS a test sends: its copy in the chosen
//! language rendered with sample values, judged by `check`, and addressed the way OpenCRVS core
//! would address it (template names, audience, variables) for the `opencrvs` gateway.

use std::collections::BTreeMap;

use crvs_comms::catalogue::{Catalogue, Notification};
use crvs_comms::contract::{BASE_VARIABLES, Contract};
use crvs_comms::findings::Finding;
use crvs_comms::gateway::OutgoingSms;
use crvs_comms::model::{Audience, Channel};
use crvs_comms::preview::{self, PreviewError};
use crvs_comms::render::RenderError;
use crvs_comms::sample::SampleData;
use crvs_comms::sms::{Encoding, SmsAnalysis};
use crvs_comms::source::SourceText;
use serde_json::{Map, Value};

/// What every message of one run shares.
pub struct Context<'a> {
    pub catalogue: &'a Catalogue,
    pub source: &'a SourceText,
    pub contract: Contract,
    pub sample: SampleData,
    pub language: &'a str,
    /// `--set name=value`, applied over the sample data.
    pub overrides: &'a BTreeMap<String, String>,
}

/// A message ready to go.
#[derive(Debug, Clone)]
pub struct TestMessage {
    pub key: String,
    pub language: String,
    pub enabled: bool,
    pub audience: Audience,
    /// The text as it is sent (NFC) with its encoding and parts.
    pub sms: SmsAnalysis,
    /// `templateName.email` for the OpenCRVS country configuration.
    pub email_name: Option<String>,
    /// The variables OpenCRVS core would pass, with the values used for the text.
    pub variables: Map<String, Value>,
}

/// Why a notification cannot be sent as a test.
#[derive(Debug)]
pub enum NotSendable {
    /// `check` finds errors in it.
    CheckErrors(Vec<Finding>),
    /// It has no SMS copy in the language, or the copy cannot be rendered.
    Unrenderable(PreviewError),
}

impl NotSendable {
    /// Whether the message exists but is not fit to send (exit 1), as opposed to there being no
    /// message to send at all (exit 2). A missing sample value counts as unfit, as in `preview`.
    pub fn is_refusal(&self) -> bool {
        match self {
            NotSendable::CheckErrors(_) => true,
            NotSendable::Unrenderable(why) => why.missing_values().is_some(),
        }
    }

    /// One line saying why, and what to do.
    pub fn reason(&self, key: &str, language: &str) -> String {
        match self {
            NotSendable::CheckErrors(findings) => format!(
                "`{key}` has {} in its {language} SMS; fix {} (`crvs-comms check` lists them) \
                 before sending it",
                plural(findings.len(), "check error"),
                if findings.len() == 1 { "it" } else { "them" }
            ),
            NotSendable::Unrenderable(PreviewError::NoSms {
                shared_key: Some(shared),
                ..
            }) => format!(
                "`{key}` has no SMS copy: OpenCRVS sends its SMS as `{shared}`; test that key instead"
            ),
            NotSendable::Unrenderable(PreviewError::NoCopyIn { languages, .. }) => format!(
                "`{key}` has no SMS copy in `{language}`; it has {}: choose one with --lang",
                languages.join(", ")
            ),
            NotSendable::Unrenderable(PreviewError::Render {
                source: RenderError::MissingValues(names),
                ..
            }) => format!(
                "`{key}` cannot be rendered: no sample value for {}; give one with --set NAME=VALUE \
                 or add it to the sample data",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            NotSendable::Unrenderable(other) => other.to_string(),
        }
    }
}

impl Context<'_> {
    /// The test message for the notification `key`, rendered as `preview` renders it, or why
    /// there cannot be one.
    pub fn compose(
        &self,
        key: &str,
        notification: &Notification,
    ) -> Result<TestMessage, NotSendable> {
        let errors = self.check_errors(key);
        if !errors.is_empty() {
            return Err(NotSendable::CheckErrors(errors));
        }
        let rendered = preview::render_sms(
            self.catalogue,
            &self.sample,
            key,
            self.language,
            self.overrides,
        )
        .map_err(NotSendable::Unrenderable)?;
        let template = notification
            .sms
            .get(self.language)
            .map_or("", |copy| copy.get_ref().as_str());
        let spec = crvs_comms::check::Context::new(&self.contract, key, notification).spec;
        Ok(TestMessage {
            key: key.to_owned(),
            language: self.language.to_owned(),
            enabled: notification.enabled,
            audience: notification.audience,
            variables: core_variables(
                spec.map(|s| s.variables),
                notification,
                template,
                &rendered.values,
            ),
            sms: rendered.analysis,
            email_name: spec.and_then(|spec| spec.core_email_name()),
        })
    }

    /// Errors that concern this SMS: its own, and those of the notification as a whole. An error
    /// in the email or in another language does not stop a test of this text.
    fn check_errors(&self, key: &str) -> Vec<Finding> {
        crvs_comms::check::check_one(self.catalogue, self.source, key)
            .into_iter()
            .filter(Finding::is_error)
            .filter(|f| f.channel.is_none_or(|c| c == Channel::Sms))
            .filter(|f| f.language.as_deref().is_none_or(|l| l == self.language))
            .collect()
    }
}

impl TestMessage {
    /// The message addressed to `to` (E.164).
    pub fn outgoing<'a>(&'a self, to: &'a str) -> OutgoingSms<'a> {
        OutgoingSms {
            to,
            text: &self.sms.text,
            unicode: self.sms.encoding == Encoding::Ucs2,
            notification: &self.key,
            email_key: self.email_name.as_deref(),
            recipient_type: self.audience.as_str(),
            locale: &self.language,
            variables: &self.variables,
        }
    }
}

/// The variables OpenCRVS core sends with this notification: those of the contract, or for a
/// notification the contract does not know, those it declares or its copy reads. The country
/// configuration adds `applicationName` and `countryLogo` itself, so they are left out.
fn core_variables(
    supplied: Option<&[&str]>,
    notification: &Notification,
    template: &str,
    values: &BTreeMap<String, String>,
) -> Map<String, Value> {
    let names: Vec<String> = match supplied {
        Some(names) => names.iter().map(|n| (*n).to_owned()).collect(),
        None if notification.variables.is_some() => notification
            .declared_variables()
            .map(str::to_owned)
            .collect(),
        None => crvs_comms::placeholders::extract(template)
            .map(|used| used.placeholders.into_iter().map(|p| p.name).collect())
            .unwrap_or_default(),
    };
    names
        .into_iter()
        .filter(|name| !BASE_VARIABLES.contains(&name.as_str()))
        .filter_map(|name| {
            let value = values.get(&name)?.clone();
            Some((name, Value::String(value)))
        })
        .collect()
}

pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
