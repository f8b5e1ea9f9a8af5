//! `crvs-comms show KEY`: everything about one notification — its toggle, what OpenCRVS supplies to
//! it, and its copy in every language.

use std::collections::BTreeSet;

use clap::Args;
use crvs_comms::catalogue::{Catalogue, Notification};
use crvs_comms::check::Context;
use crvs_comms::contract::{BASE_VARIABLES, Contract, EMAIL_VARIABLES};
use crvs_comms::model::{Audience, Channel, Event};
use serde::Serialize;

use crate::cli::{Format, GlobalArgs};
use crate::exit::Exit;
use crate::output;

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The notification's key, e.g. birthRegistrationNotification
    pub key: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Serialize)]
struct Shown<'a> {
    key: &'a str,
    label: Option<&'a str>,
    description: Option<&'a str>,
    audience: Audience,
    event: Option<Event>,
    enabled: bool,
    sms_key: Option<&'a str>,
    known_to_opencrvs: bool,
    trigger: Option<&'a str>,
    toggle_name: Option<&'a str>,
    variables: Variables<'a>,
    required: Vec<&'a str>,
    sms: Vec<(&'a str, &'a str)>,
    email_subject: Vec<(&'a str, &'a str)>,
    email_body: Option<String>,
}

#[derive(Serialize)]
struct Variables<'a> {
    sms: BTreeSet<&'a str>,
    email: BTreeSet<&'a str>,
}

pub fn run(global: &GlobalArgs, args: &ShowArgs) -> anyhow::Result<Exit> {
    let (_, catalogue) = super::load(global)?;
    let notification = super::find(&catalogue, &args.key)?;
    let contract = Contract::for_profile(catalogue.settings.opencrvs);
    let shown = describe(&catalogue, &contract, &args.key, notification);
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&shown)? + "\n",
        Format::Human => human(&shown),
    };
    output::print(&text)?;
    Ok(Exit::Success)
}

fn describe<'a>(
    catalogue: &Catalogue,
    contract: &'a Contract,
    key: &'a str,
    n: &'a Notification,
) -> Shown<'a> {
    let context = Context::new(contract, key, n);
    let supplied = |channel| -> BTreeSet<&'a str> {
        let mut set: BTreeSet<&str> = match context.spec {
            Some(spec) => contract.supplied(spec, channel),
            None => BASE_VARIABLES.iter().copied().collect(),
        };
        if context.spec.is_none() && channel == Channel::Email {
            set.extend(EMAIL_VARIABLES.iter().copied());
        }
        set.extend(n.declared_variables());
        set
    };
    let subjects = n.email.iter().flat_map(|e| e.subject.iter());
    Shown {
        key,
        label: n.label.as_deref(),
        description: n.description.as_deref(),
        audience: n.audience,
        event: n.event,
        enabled: n.enabled,
        sms_key: n.sms_key.as_ref().map(|k| k.get_ref().as_str()),
        known_to_opencrvs: context.spec.is_some(),
        trigger: context.spec.map(|s| s.trigger),
        toggle_name: context.spec.and_then(|s| s.toggle_name.as_deref()),
        variables: Variables {
            sms: supplied(Channel::Sms),
            email: supplied(Channel::Email),
        },
        required: context
            .spec
            .map(|s| s.required.to_vec())
            .unwrap_or_default(),
        sms: n
            .sms
            .iter()
            .map(|(l, t)| (l.as_str(), t.get_ref().as_str()))
            .collect(),
        email_subject: subjects
            .map(|(l, t)| (l.as_str(), t.get_ref().as_str()))
            .collect(),
        email_body: n
            .email_body()
            .map(|b| catalogue.resolve(b.get_ref()).display().to_string()),
    }
}

fn human(s: &Shown<'_>) -> String {
    let mut out = String::new();
    let mut field = |name: &str, value: &str| out.push_str(&format!("{name:<13}{value}\n"));
    field("key", s.key);
    if let Some(label) = s.label {
        field("label", label);
    }
    if let Some(description) = s.description {
        field("description", description);
    }
    let audience = match s.event {
        Some(event) => format!("{} ({event})", s.audience),
        None => s.audience.to_string(),
    };
    field("audience", &audience);
    field("enabled", if s.enabled { "on" } else { "off" });
    if let Some(shared) = s.sms_key {
        field(
            "sms key",
            &format!("{shared} (OpenCRVS sends this email with that SMS key)"),
        );
    }
    match s.trigger {
        Some(trigger) => field("sent when", trigger),
        None => field("sent when", "not an OpenCRVS notification (custom)"),
    }
    if let Some(toggle) = s.toggle_name {
        field("toggle", toggle);
    }
    let list = |set: &BTreeSet<&str>| set.iter().copied().collect::<Vec<_>>().join(", ");
    field("variables", &format!("sms: {}", list(&s.variables.sms)));
    field("", &format!("email: {}", list(&s.variables.email)));
    if !s.required.is_empty() {
        field("must show", &s.required.join(", "));
    }
    for (language, text) in &s.sms {
        field(&format!("sms.{language}"), text);
    }
    for (language, text) in &s.email_subject {
        field(&format!("subject.{language}"), text);
    }
    if let Some(body) = &s.email_body {
        field("email body", body);
    }
    out
}
