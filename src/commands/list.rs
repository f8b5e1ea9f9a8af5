//! `crvs-comms list`: every notification as a table (or JSON), with filters.

use clap::Args;
use crvs_comms::catalogue::{Catalogue, Notification};
use crvs_comms::model::{Audience, Channel, Event};
use serde::Serialize;

use crate::cli::{Format, GlobalArgs};
use crate::cli::{parse_audience, parse_event};
use crate::exit::Exit;
use crate::output;

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only notifications for this audience
    #[arg(long, value_parser = parse_audience)]
    pub audience: Option<Audience>,
    /// Only notifications about this event
    #[arg(long, value_parser = parse_event)]
    pub event: Option<Event>,
    /// Only notifications that are switched on
    #[arg(long, conflicts_with = "disabled")]
    pub enabled: bool,
    /// Only notifications that are switched off
    #[arg(long)]
    pub disabled: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Serialize)]
struct Row<'a> {
    key: &'a str,
    label: Option<&'a str>,
    audience: Audience,
    event: Option<Event>,
    enabled: bool,
    channels: Vec<Channel>,
    languages_complete: Vec<&'a str>,
    languages_missing: Vec<&'a str>,
}

pub fn run(global: &GlobalArgs, args: &ListArgs) -> anyhow::Result<Exit> {
    let (_, catalogue) = super::load(global)?;
    let rows: Vec<Row<'_>> = catalogue
        .notifications
        .iter()
        .filter(|(_, n)| selected(n, args))
        .map(|(key, n)| row(&catalogue, key, n))
        .collect();
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&rows)? + "\n",
        Format::Human => table(&catalogue, &rows),
    };
    output::print(&text)?;
    Ok(Exit::Success)
}

fn selected(notification: &Notification, args: &ListArgs) -> bool {
    args.audience.is_none_or(|a| notification.audience == a)
        && args.event.is_none_or(|e| notification.event == Some(e))
        && (!args.enabled || notification.enabled)
        && (!args.disabled || !notification.enabled)
}

/// Whether a notification has copy in `language` for every channel it has copy for.
pub fn complete_in(notification: &Notification, language: &str) -> bool {
    let filled =
        |text: Option<&toml::Spanned<String>>| text.is_some_and(|t| !t.get_ref().trim().is_empty());
    notification.channels().iter().all(|channel| match channel {
        Channel::Sms => filled(notification.sms.get(language)),
        Channel::Email => {
            notification
                .email
                .as_ref()
                .is_some_and(|e| e.subject.is_empty())
                || filled(notification.email_subject(language))
        }
    })
}

fn row<'a>(catalogue: &'a Catalogue, key: &'a str, notification: &'a Notification) -> Row<'a> {
    let (complete, missing) = catalogue
        .settings
        .languages()
        .partition(|language| complete_in(notification, language));
    Row {
        key,
        label: notification.label.as_deref(),
        audience: notification.audience,
        event: notification.event,
        enabled: notification.enabled,
        channels: notification.channels(),
        languages_complete: complete,
        languages_missing: missing,
    }
}

fn table(catalogue: &Catalogue, rows: &[Row<'_>]) -> String {
    let mut table = output::table(
        output::Stream::Stdout,
        [
            "key",
            "label",
            "audience",
            "event",
            "enabled",
            "channels",
            "languages",
        ],
    );
    let total = catalogue.settings.languages().count();
    for row in rows {
        let channels: Vec<&str> = row.channels.iter().map(|c| c.as_str()).collect();
        let languages = if row.languages_missing.is_empty() {
            format!("{}/{total}", row.languages_complete.len())
        } else {
            format!(
                "{}/{total} (missing {})",
                row.languages_complete.len(),
                row.languages_missing.join(", ")
            )
        };
        table.add_row([
            row.key.to_owned(),
            row.label.unwrap_or_default().to_owned(),
            row.audience.to_string(),
            row.event.map(|e| e.to_string()).unwrap_or_default(),
            if row.enabled { "on" } else { "off" }.to_owned(),
            channels.join(", "),
            languages,
        ]);
    }
    format!("{table}\n{} notifications\n", rows.len())
}
