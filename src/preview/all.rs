//! `preview --all`: the SMS of every notification in every language, rendered with the sample
//! data and measured, with its worst case and whether it exceeds `settings.max_sms_parts`. Each
//! copy is parsed once and the catalogue is split across cores, since a national catalogue of
//! many languages is rendered whole on every run.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{PreviewError, analyse_sms};
use crate::catalogue::{Catalogue, Notification};
use crate::model::Channel;
use crate::render::{Compiled, RenderError};
use crate::sample::SampleData;
use crate::sms::Encoding;

/// One notification's SMS in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SmsRow {
    pub notification: String,
    pub language: String,
    pub enabled: bool,
    /// The text as sent (NFC); `None` when it could not be rendered.
    pub text: Option<String>,
    pub encoding: Option<Encoding>,
    pub units: Option<usize>,
    pub parts: Option<usize>,
    pub remaining_in_part: Option<usize>,
    pub worst_case_parts: Option<usize>,
    /// Whether the sample or the worst-case rendering takes more parts than allowed.
    pub over_limit: bool,
    /// Variables the copy reads that have no sample value.
    pub missing: Vec<String>,
    /// Why the SMS is not measured: no copy, no sample value, a template that does not parse.
    pub problem: Option<String>,
}

/// Rows for every notification × `languages`, in catalogue order.
pub fn preview_all(
    catalogue: &Catalogue,
    sample: &SampleData,
    languages: &[&str],
    overrides: &BTreeMap<String, String>,
) -> Vec<SmsRow> {
    let entries: Vec<(&String, &Notification)> = catalogue.notifications.iter().collect();
    let limit = catalogue.settings.max_sms_parts() as usize;
    let rows_of = |(key, notification): &(&String, &Notification)| {
        languages
            .iter()
            .map(|language| row(sample, key, notification, language, overrides, limit))
            .collect::<Vec<_>>()
    };
    crate::parallel::map_chunks(&entries, |part| part.iter().flat_map(&rows_of).collect())
}

fn row(
    sample: &SampleData,
    key: &str,
    notification: &Notification,
    language: &str,
    overrides: &BTreeMap<String, String>,
    limit: usize,
) -> SmsRow {
    let mut row = SmsRow {
        notification: key.to_owned(),
        language: language.to_owned(),
        enabled: notification.enabled,
        text: None,
        encoding: None,
        units: None,
        parts: None,
        remaining_in_part: None,
        worst_case_parts: None,
        over_limit: false,
        missing: Vec::new(),
        problem: None,
    };
    let copy = match super::sms_copy(key, notification, language) {
        Ok(copy) => copy,
        Err(err) => {
            row.problem = Some(no_copy(&err, language));
            return row;
        }
    };
    let measured = Compiled::parse(copy)
        .map_err(RenderError::from)
        .and_then(|compiled| {
            let values = sample.message_values(key, language, overrides);
            analyse_sms(&compiled, &values, &sample.max_length)
        });
    match measured {
        Ok((analysis, worst)) => {
            row.over_limit = analysis.parts > limit || worst.is_some_and(|w| w > limit);
            row.encoding = Some(analysis.encoding);
            row.units = Some(analysis.units);
            row.parts = Some(analysis.parts);
            row.remaining_in_part = Some(analysis.remaining_in_part);
            row.worst_case_parts = worst;
            row.text = Some(analysis.text);
        }
        Err(RenderError::MissingValues(names)) => {
            row.problem = Some(RenderError::MissingValues(names.clone()).to_string());
            row.missing = names;
        }
        Err(other) => row.problem = Some(other.to_string()),
    }
    row
}

fn no_copy(err: &PreviewError, language: &str) -> String {
    match err {
        PreviewError::NoSms {
            shared_key: Some(shared),
            ..
        } => format!("no SMS copy (sent as `{shared}`)"),
        PreviewError::NoCopyIn {
            channel: Channel::Sms,
            ..
        } => format!("no SMS copy in `{language}`"),
        _ => "no SMS copy".to_owned(),
    }
}
