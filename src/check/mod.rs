//! `check`: validates a loaded catalogue and every template file it references against the OpenCRVS
//! contract of its profile. The rules live in submodules by concern (the placeholders of each
//! message, which copy must exist, template files, what an SMS costs); this module runs them in
//! file order, with the sample data of `settings.sample_data` for the SMS rules.

mod copy;
mod coverage;
mod sms;
mod suggest;

use crate::catalogue::{Catalogue, Loaded, Notification};
use crate::contract::{Contract, NotificationSpec};
use crate::findings::{Code, Finding, Location};
use crate::sample::{SampleData, SampleError};

pub use copy::{CopyKind, CopyText, copies_of};
pub use sms::{ForcingChar, forcing_chars};
pub use suggest::{closest, suggest_variable};

/// Every finding of a catalogue, in reading order: the catalogue's own lines first, then
/// file-wide findings, then those in template files.
pub fn check(loaded: &Loaded) -> Vec<Finding> {
    let mut findings = loaded.findings.clone();
    if let Some(catalogue) = &loaded.catalogue {
        findings.extend(check_catalogue(catalogue, &loaded.source));
    }
    let catalogue_file = loaded.source.display.as_str();
    findings.sort_by(|a, b| {
        let key = |f: &Finding| {
            (
                f.file != catalogue_file,
                f.file.clone(),
                f.line.is_none(),
                f.line,
                f.column,
            )
        };
        key(a).cmp(&key(b))
    });
    findings
}

/// The rules' findings for a catalogue that loaded, in file order.
pub fn check_catalogue(catalogue: &Catalogue, source: &crate::source::SourceText) -> Vec<Finding> {
    let contract = Contract::for_profile(catalogue.settings.opencrvs);
    let (sample, sample_finding) = sample_data(catalogue, source);
    let sample = sample.as_ref();
    let entries: Vec<_> = catalogue.notifications.iter().collect();
    let mut findings = crate::parallel::map_chunks(&entries, |part| {
        let mut findings = Vec::new();
        let mut templates = copy::TemplateFiles::default();
        for (key, notification) in part {
            let context = Context::new(&contract, key, notification);
            coverage::check_notification(catalogue, source, &context, &mut findings);
            copy::check_notification(
                catalogue,
                source,
                &context,
                sample,
                &mut templates,
                &mut findings,
            );
        }
        findings
    });
    coverage::check_missing_keys(catalogue, &contract, &source.display, &mut findings);
    findings.extend(sample_finding);
    findings
}

/// The sample data named by `settings.sample_data`, or the finding that says why it cannot be
/// used (the SMS rules then measure only what they can without it).
fn sample_data(
    catalogue: &Catalogue,
    source: &crate::source::SourceText,
) -> (Option<SampleData>, Option<Finding>) {
    let Some(setting) = &catalogue.settings.sample_data else {
        return (None, None);
    };
    let path = catalogue.resolve(setting.get_ref());
    match SampleData::load(&path) {
        Ok(sample) => (Some(sample), None),
        Err(SampleError::Io { source: err, .. }) => {
            let message = format!(
                "`settings.sample_data` names {}, which cannot be read ({err}); fix the path or remove the setting",
                path.display()
            );
            let location = source.location_of_span(&setting.span());
            (None, Some(Finding::new(Code::Schema, location, message)))
        }
        Err(SampleError::Invalid {
            path,
            line,
            column,
            message,
        }) => {
            let location = Location::at(path.display().to_string(), line, column);
            let message = format!("the sample data is not valid: {message}");
            (None, Some(Finding::new(Code::Schema, location, message)))
        }
    }
}

/// Findings of one notification only, as `edit` needs before it writes new copy.
pub fn check_one(
    catalogue: &Catalogue,
    source: &crate::source::SourceText,
    key: &str,
) -> Vec<Finding> {
    let Some(notification) = catalogue.notifications.get(key) else {
        return Vec::new();
    };
    let contract = Contract::for_profile(catalogue.settings.opencrvs);
    let context = Context::new(&contract, key, notification);
    let (sample, _) = sample_data(catalogue, source);
    let mut findings = Vec::new();
    coverage::check_notification(catalogue, source, &context, &mut findings);
    copy::check_notification(
        catalogue,
        source,
        &context,
        sample.as_ref(),
        &mut copy::TemplateFiles::default(),
        &mut findings,
    );
    findings
}

/// What the rules know about the notification they are looking at.
pub struct Context<'a> {
    pub contract: &'a Contract,
    pub key: &'a str,
    pub notification: &'a Notification,
    /// The contract entry the notification is judged by: its own, or that of the SMS key it shares.
    pub spec: Option<&'a NotificationSpec>,
}

impl<'a> Context<'a> {
    pub fn new(
        contract: &'a Contract,
        key: &'a str,
        notification: &'a Notification,
    ) -> Context<'a> {
        let spec = contract.get(key).or_else(|| {
            let shared = notification.sms_key.as_ref()?;
            contract.get(shared.get_ref())
        });
        Context {
            contract,
            key,
            notification,
            spec,
        }
    }

    /// A key OpenCRVS does not know and that says nothing of what it is given.
    pub fn is_unknown(&self) -> bool {
        self.spec.is_none() && self.notification.variables.is_none()
    }

    /// Whether OpenCRVS sends this notification as an SMS at all. A deployment's own notification
    /// is an SMS when it has SMS copy, or no email to be instead.
    pub fn has_sms(&self) -> bool {
        if self.notification.sms_key.is_some() {
            return false;
        }
        match self.spec {
            Some(spec) => spec.has_sms,
            None => !self.notification.sms.is_empty() || self.notification.email.is_none(),
        }
    }
}
