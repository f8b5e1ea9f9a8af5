//! The rules on what must exist: copy in every configured language for each channel OpenCRVS will
//! use, the template files `email.body` names, every key the profile requests; and the warnings on
//! keys OpenCRVS never requests and languages the settings do not list.

use super::Context;
use super::suggest::closest;
use crate::catalogue::Catalogue;
use crate::contract::Contract;
use crate::findings::{Code, Finding, Location};
use crate::model::{Audience, Channel};
use crate::source::SourceText;

pub(super) fn check_notification(
    catalogue: &Catalogue,
    source: &SourceText,
    context: &Context<'_>,
    findings: &mut Vec<Finding>,
) {
    check_known(source, context, findings);
    check_languages(catalogue, source, context, findings);
    check_template_files(catalogue, source, context, findings);
    if sends(catalogue, context, Channel::Sms) {
        check_sms_copy(catalogue, source, context, findings);
    }
    if sends(catalogue, context, Channel::Email) {
        check_email_copy(catalogue, source, context, findings);
    }
}

/// Whether OpenCRVS will send this notification on `channel` with these settings.
fn sends(catalogue: &Catalogue, context: &Context<'_>, channel: Channel) -> bool {
    let notification = context.notification;
    // Staff notifications cannot be switched off in OpenCRVS, so their copy is always needed.
    let active = notification.enabled || notification.audience == Audience::User;
    let requested = context.spec.is_none_or(|s| s.requested);
    let delivered = catalogue.settings.delivery(notification.audience) == channel;
    let exists = match channel {
        Channel::Sms => context.has_sms(),
        Channel::Email => {
            notification.email.is_some() || context.spec.is_some_and(|s| s.email_template.is_some())
        }
    };
    active && requested && delivered && exists
}

fn check_known(source: &SourceText, context: &Context<'_>, findings: &mut Vec<Finding>) {
    let location = source.location_of_span(&context.notification.span);
    if context.is_unknown() {
        let keys = context.contract.specs().iter().map(|s| s.key.as_str());
        let suggestion = closest(context.key, keys);
        let profile = context.contract.profile;
        let mut message = format!("OpenCRVS {profile} never requests `{}`", context.key);
        message.push_str(match &suggestion {
            Some(_) => {
                "; if it is a misspelling, rename it, otherwise declare the `variables` it is given"
            }
            None => "; a deployment's own notification must declare the `variables` it is given",
        });
        findings.push(
            Finding::new(Code::UnknownNotification, location, message)
                .notification(context.key)
                .suggest(suggestion),
        );
    } else if let Some(spec) = context.spec.filter(|s| !s.requested) {
        findings.push(
            Finding::new(
                Code::UnknownNotification,
                location,
                format!(
                    "OpenCRVS {} never sends `{}` (its templates exist, but no service requests it)",
                    context.contract.profile, spec.key
                ),
            )
            .notification(context.key),
        );
    }
    if let Some(shared) = &context.notification.sms_key
        && context.contract.get(shared.get_ref()).is_none()
    {
        let keys = context.contract.specs().iter().map(|s| s.key.as_str());
        findings.push(
            Finding::new(
                Code::Schema,
                source.location_of_span(&shared.span()),
                format!(
                    "`sms_key` names `{}`, which OpenCRVS {} does not request",
                    shared.get_ref(),
                    context.contract.profile
                ),
            )
            .notification(context.key)
            .suggest(closest(shared.get_ref(), keys)),
        );
    }
}

fn check_languages(
    catalogue: &Catalogue,
    source: &SourceText,
    context: &Context<'_>,
    findings: &mut Vec<Finding>,
) {
    let listed: Vec<&str> = catalogue.settings.languages().collect();
    let notification = context.notification;
    let subjects = notification.email.iter().flat_map(|e| e.subject.iter());
    let texts = notification
        .sms
        .iter()
        .map(|(l, t)| (Channel::Sms, l, t))
        .chain(subjects.map(|(l, t)| (Channel::Email, l, t)));
    for (channel, language, text) in texts {
        if !listed.contains(&language.as_str()) {
            findings.push(
                Finding::new(
                    Code::UnknownLanguage,
                    source.location_of_span(&text.span()),
                    format!(
                        "copy in `{language}`, which `settings.languages` does not list ({}); OpenCRVS will never send it",
                        listed.join(", ")
                    ),
                )
                .notification(context.key)
                .channel(channel, Some(language)),
            );
        }
    }
}

fn check_template_files(
    catalogue: &Catalogue,
    source: &SourceText,
    context: &Context<'_>,
    findings: &mut Vec<Finding>,
) {
    let Some(body) = context.notification.email_body() else {
        return;
    };
    let per_language = body.get_ref().contains("{lang}");
    let languages: Vec<&str> = if per_language {
        catalogue.settings.languages().collect()
    } else {
        vec![""]
    };
    for language in languages {
        let Some(path) = catalogue.email_body_path(context.notification, language) else {
            continue;
        };
        let problem = match std::fs::metadata(&path) {
            Ok(meta) if meta.is_file() => continue,
            Ok(_) => "is not a file",
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => "does not exist",
            Err(_) => "cannot be read",
        };
        findings.push(
            Finding::new(
                Code::MissingTemplateFile,
                source.location_of_span(&body.span()),
                format!(
                    "the email body {} {problem}; create it or correct `email.body` (relative to the catalogue's folder)",
                    path.display()
                ),
            )
            .notification(context.key)
            .channel(Channel::Email, per_language.then_some(language)),
        );
    }
}

fn check_sms_copy(
    catalogue: &Catalogue,
    source: &SourceText,
    context: &Context<'_>,
    findings: &mut Vec<Finding>,
) {
    let copy = |language: &str| context.notification.sms.get(language);
    check_each_language(catalogue, source, context, Channel::Sms, copy, findings);
}

fn check_email_copy(
    catalogue: &Catalogue,
    source: &SourceText,
    context: &Context<'_>,
    findings: &mut Vec<Finding>,
) {
    let subject = |language: &str| context.notification.email_subject(language);
    check_each_language(
        catalogue,
        source,
        context,
        Channel::Email,
        subject,
        findings,
    );
    if context.notification.email_body().is_none() {
        findings.push(
            Finding::new(
                Code::MissingCopy,
                source.location_of_span(&context.notification.span),
                format!("no email body, but {} is delivered by email; add `email.body = \"templates/…\"`", audience_words(context)),
            )
            .notification(context.key)
            .channel(Channel::Email, None),
        );
    }
}

/// A `missing-copy` finding for each configured language in which `text_in` finds no text: the
/// SMS copy, or for email the subject (the body is one file, checked on its own).
fn check_each_language<'n>(
    catalogue: &Catalogue,
    source: &SourceText,
    context: &Context<'_>,
    channel: Channel,
    text_in: impl Fn(&str) -> Option<&'n toml::Spanned<String>>,
    findings: &mut Vec<Finding>,
) {
    let (what, field, by) = match channel {
        Channel::Sms => ("SMS copy", "sms", "SMS"),
        Channel::Email => ("email subject", "email.subject", "email"),
    };
    for language in catalogue.settings.languages() {
        let present = text_in(language).is_some_and(|t| !t.get_ref().trim().is_empty());
        if !present {
            findings.push(missing(
                source,
                context,
                channel,
                language,
                format!(
                    "no {what} in `{language}`, but {} is delivered by {by}; add `{field}.{language}`",
                    audience_words(context)
                ),
            ));
        }
    }
}

fn missing(
    source: &SourceText,
    context: &Context<'_>,
    channel: Channel,
    language: &str,
    message: String,
) -> Finding {
    Finding::new(
        Code::MissingCopy,
        source.location_of_span(&context.notification.span),
        message,
    )
    .notification(context.key)
    .channel(channel, Some(language))
}

fn audience_words(context: &Context<'_>) -> &'static str {
    match context.notification.audience {
        Audience::User => "staff notification",
        Audience::Informant => "this informant notification",
    }
}

/// Keys the profile requests on a channel in use that the catalogue lacks: OpenCRVS throws on them.
pub(super) fn check_missing_keys(
    catalogue: &Catalogue,
    contract: &Contract,
    file: &str,
    findings: &mut Vec<Finding>,
) {
    for spec in contract.specs().iter().filter(|s| s.requested) {
        if catalogue.notifications.contains_key(&spec.key) {
            continue;
        }
        let channel = catalogue.settings.delivery(spec.audience);
        let needed = match channel {
            Channel::Sms => spec.has_sms,
            Channel::Email => spec.email_template.is_some(),
        };
        if !needed {
            continue;
        }
        findings.push(
            Finding::new(
                Code::MissingCopy,
                Location::file(file),
                format!(
                    "OpenCRVS {} requests `{}` ({}) by {channel}, but the catalogue has no such notification, so sending it fails; add [notifications.{}]",
                    contract.profile, spec.key, spec.trigger, spec.key
                ),
            )
            .notification(&spec.key)
            .channel(channel, None),
        );
    }
}
