//! The rules on the text of each message: it parses as Handlebars, every placeholder is one OpenCRVS
//! supplies to this notification, the variable the message exists to deliver is there, and every
//! language of a message uses the same placeholders. Email bodies are read from their files.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::PathBuf;

use super::Context;
use super::suggest::suggest_variable;
use crate::catalogue::Catalogue;
use crate::contract::{BASE_VARIABLES, EMAIL_VARIABLES};
use crate::findings::{Code, Finding, Location};
use crate::model::Channel;
use crate::placeholders::TemplateUse;
use crate::render::Compiled;
use crate::sample::SampleData;
use crate::source::SourceText;

/// Which part of a notification a text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyKind {
    Sms,
    Subject,
    Body,
}

impl CopyKind {
    pub fn channel(self) -> Channel {
        match self {
            CopyKind::Sms => Channel::Sms,
            CopyKind::Subject | CopyKind::Body => Channel::Email,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            CopyKind::Sms => "SMS",
            CopyKind::Subject => "email subject",
            CopyKind::Body => "email body",
        }
    }
}

/// Where a text is written: inline in the catalogue (a string value) or in a template file.
#[derive(Debug, Clone)]
pub enum Origin {
    Inline(Range<usize>),
    File(PathBuf),
}

/// One text of a notification, in one language.
#[derive(Debug, Clone)]
pub struct CopyText<'a> {
    pub kind: CopyKind,
    pub language: Option<&'a str>,
    pub text: &'a str,
    pub origin: Origin,
}

/// Inline texts of a notification: SMS per language, email subject per language.
pub fn copies_of<'a>(notification: &'a crate::catalogue::Notification) -> Vec<CopyText<'a>> {
    let sms = notification.sms.iter().map(|(lang, text)| CopyText {
        kind: CopyKind::Sms,
        language: Some(lang.as_str()),
        text: text.get_ref(),
        origin: Origin::Inline(text.span()),
    });
    let subjects = notification
        .email
        .iter()
        .flat_map(|email| email.subject.iter())
        .map(|(lang, text)| CopyText {
            kind: CopyKind::Subject,
            language: Some(lang.as_str()),
            text: text.get_ref(),
            origin: Origin::Inline(text.span()),
        });
    sms.chain(subjects).collect()
}

/// Template files read once per run, whichever notifications share them.
#[derive(Default)]
pub struct TemplateFiles {
    read: HashMap<PathBuf, Option<String>>,
}

impl TemplateFiles {
    fn get(&mut self, path: &PathBuf) -> Option<&str> {
        self.read
            .entry(path.clone())
            .or_insert_with(|| std::fs::read_to_string(path).ok())
            .as_deref()
    }
}

pub(super) fn check_notification(
    catalogue: &Catalogue,
    source: &SourceText,
    context: &Context<'_>,
    sample: Option<&SampleData>,
    templates: &mut TemplateFiles,
    findings: &mut Vec<Finding>,
) {
    let mut used: Vec<(CopyKind, Option<&str>, BTreeSet<String>, Location)> = Vec::new();
    for copy in copies_of(context.notification) {
        let locate = |line: usize, column: usize| match &copy.origin {
            Origin::Inline(span) => source.location_in_string(span, copy.text, line, column),
            Origin::File(path) => Location::at(path.display().to_string(), line, column),
        };
        if let Some(compiled) = check_text(context, &copy, &locate, findings) {
            if copy.kind == CopyKind::Sms {
                let sms = super::sms::SmsCopy {
                    copy: &copy,
                    compiled: &compiled,
                    locate: &locate,
                };
                super::sms::check_copy(catalogue, context, &sms, sample, findings);
            }
            used.push((copy.kind, copy.language, names(&compiled), locate(1, 1)));
        }
    }
    for (language, path) in body_files(catalogue, context) {
        let Some(text) = templates.get(&path) else {
            continue;
        };
        let copy = CopyText {
            kind: CopyKind::Body,
            language,
            text,
            origin: Origin::File(path.clone()),
        };
        let display = path.display().to_string();
        let locate = |line: usize, column: usize| Location::at(display.clone(), line, column);
        if let Some(compiled) = check_text(context, &copy, &locate, findings) {
            used.push((
                copy.kind,
                language,
                names(&compiled),
                Location::file(display.clone()),
            ));
        }
    }
    check_languages_agree(context, catalogue, &used, findings);
}

/// The body files of a notification that exist, with their language when the path has `{lang}`.
fn body_files<'c>(
    catalogue: &'c Catalogue,
    context: &Context<'_>,
) -> Vec<(Option<&'c str>, PathBuf)> {
    let Some(body) = context.notification.email_body() else {
        return Vec::new();
    };
    let per_language = body.get_ref().contains("{lang}");
    let languages: Vec<Option<&str>> = if per_language {
        catalogue.settings.languages().map(Some).collect()
    } else {
        vec![None]
    };
    languages
        .into_iter()
        .filter_map(|language| {
            let path =
                catalogue.email_body_path(context.notification, language.unwrap_or_default())?;
            path.is_file().then_some((language, path))
        })
        .collect()
}

fn names(compiled: &Compiled) -> BTreeSet<String> {
    compiled
        .uses()
        .placeholders
        .iter()
        .map(|p| p.name.clone())
        .collect()
}

/// Checks one text; returns it parsed when it parses, for the rules that render it.
fn check_text(
    context: &Context<'_>,
    copy: &CopyText<'_>,
    locate: &dyn Fn(usize, usize) -> Location,
    findings: &mut Vec<Finding>,
) -> Option<Compiled> {
    let tag = |finding: Finding| {
        finding
            .notification(context.key)
            .channel(copy.kind.channel(), copy.language)
    };
    let compiled = match Compiled::parse(copy.text) {
        Ok(compiled) => compiled,
        Err(err) => {
            let location = locate(err.line.unwrap_or(1), err.column.unwrap_or(1));
            findings.push(tag(Finding::new(
                Code::TemplateSyntax,
                location,
                format!(
                    "the {} does not parse as a Handlebars template: {}",
                    copy.kind.describe(),
                    err.message
                ),
            )));
            return None;
        }
    };
    let template = compiled.uses();
    for problem in &template.unsupported {
        findings.push(tag(Finding::new(
            Code::TemplateSyntax,
            locate(problem.line, problem.column),
            problem.message.clone(),
        )));
    }
    check_placeholders(context, copy, template, locate, findings, &tag);
    if copy.kind != CopyKind::Subject {
        check_required(context, copy, template, locate(1, 1), findings, &tag);
    }
    Some(compiled)
}

fn supplied_to<'a>(context: &'a Context<'_>, channel: Channel) -> BTreeSet<&'a str> {
    let mut supplied: BTreeSet<&str> = match context.spec {
        Some(spec) => context.contract.supplied(spec, channel),
        None => {
            let mut base: BTreeSet<&str> = BASE_VARIABLES.iter().copied().collect();
            if channel == Channel::Email {
                base.extend(EMAIL_VARIABLES.iter().copied());
            }
            base
        }
    };
    supplied.extend(context.notification.declared_variables());
    supplied
}

fn check_placeholders(
    context: &Context<'_>,
    copy: &CopyText<'_>,
    template: &TemplateUse,
    locate: &dyn Fn(usize, usize) -> Location,
    findings: &mut Vec<Finding>,
    tag: &dyn Fn(Finding) -> Finding,
) {
    let supplied = supplied_to(context, copy.kind.channel());
    let known = context.contract.known_variables();
    let profile = context.contract.profile;
    for placeholder in &template.placeholders {
        let name = placeholder.name.as_str();
        if supplied.contains(name) {
            continue;
        }
        let location = locate(placeholder.line, placeholder.column);
        let finding = if known.contains(name) {
            if context.is_unknown() {
                continue;
            }
            Finding::new(
                Code::UnsuppliedPlaceholder,
                location,
                format!(
                    "`{{{{{name}}}}}` is an OpenCRVS variable, but OpenCRVS {profile} does not supply it to {} messages, so it is sent as blank text",
                    context.key
                ),
            )
            .suggest(context.contract.renamed(name).filter(|t| supplied.contains(t)).map(str::to_owned))
        } else {
            Finding::new(
                Code::UnknownPlaceholder,
                location,
                format!("`{{{{{name}}}}}` is not a variable OpenCRVS {profile} supplies, so it is sent as blank text"),
            )
            .suggest(suggest_variable(name, &supplied, context.contract))
        };
        findings.push(tag(finding));
    }
}

fn check_required(
    context: &Context<'_>,
    copy: &CopyText<'_>,
    template: &TemplateUse,
    location: Location,
    findings: &mut Vec<Finding>,
    tag: &dyn Fn(Finding) -> Finding,
) {
    let Some(spec) = context.spec else {
        return;
    };
    for required in spec.required {
        if !template.uses(required) {
            findings.push(tag(Finding::new(
                Code::MissingRequiredPlaceholder,
                location.clone(),
                format!(
                    "the {} never shows `{{{{{required}}}}}`, which this message exists to deliver; add it",
                    copy.kind.describe()
                ),
            )));
        }
    }
}

/// Warns where one language of a message uses other placeholders than the default language.
fn check_languages_agree(
    context: &Context<'_>,
    catalogue: &Catalogue,
    used: &[(CopyKind, Option<&str>, BTreeSet<String>, Location)],
    findings: &mut Vec<Finding>,
) {
    let default = catalogue.settings.default_language();
    for kind in [CopyKind::Sms, CopyKind::Subject, CopyKind::Body] {
        let of_kind: Vec<_> = used
            .iter()
            .filter(|u| u.0 == kind && u.1.is_some())
            .collect();
        let Some(reference) = of_kind
            .iter()
            .find(|u| u.1 == default)
            .or_else(|| of_kind.first())
        else {
            continue;
        };
        for other in of_kind.iter().filter(|u| u.1 != reference.1) {
            if other.2 == reference.2 {
                continue;
            }
            let listing = |names: Vec<&String>| {
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let missing = listing(reference.2.difference(&other.2).collect());
            let extra = listing(other.2.difference(&reference.2).collect());
            let reference_language = reference.1.unwrap_or_default();
            let mut parts = Vec::new();
            if !missing.is_empty() {
                parts.push(format!("lacks {missing}"));
            }
            if !extra.is_empty() {
                parts.push(format!("adds {extra}"));
            }
            findings.push(
                Finding::new(
                    Code::PlaceholderMismatch,
                    other.3.clone(),
                    format!(
                        "the {} in `{}` {} compared with `{reference_language}`",
                        kind.describe(),
                        other.1.unwrap_or_default(),
                        parts.join(" and ")
                    ),
                )
                .notification(context.key)
                .channel(kind.channel(), other.1),
            );
        }
    }
}
