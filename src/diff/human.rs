//! The diff for a terminal: one section per kind of change, old text after `-` and new text after
//! `+` (red and green when colour is on), paths spelled as in the catalogue (`sms.en`,
//! `email.subject.fr`, `settings.languages`), and a summary line last.

use super::{CatalogueDiff, Change, NotificationDiff, Overview, SettingChange, Sides};
use crate::report::Style;

const NONE: &str = "(none)";

pub fn human(diff: &CatalogueDiff, sides: Sides<'_>, style: Style) -> String {
    let mut out = format!("{} → {}\n", sides.old, sides.new);
    if !diff.settings.is_empty() {
        out.push_str("\nSettings\n");
        for change in &diff.settings {
            out.push_str(&setting_line(change));
        }
    }
    if !diff.added.is_empty() {
        out.push_str("\nAdded\n");
        for overview in &diff.added {
            out.push_str(&overview_line(style.paint("32", "+"), overview));
        }
    }
    if !diff.removed.is_empty() {
        out.push_str("\nRemoved\n");
        for overview in &diff.removed {
            out.push_str(&overview_line(style.paint("31", "-"), overview));
        }
    }
    if !diff.changed.is_empty() {
        out.push_str("\nChanged\n");
        for notification in &diff.changed {
            out.push_str(&changed_block(notification, style));
        }
    }
    out.push('\n');
    out.push_str(&diff.summary_line());
    out.push('\n');
    out
}

fn setting_line(change: &SettingChange) -> String {
    format!(
        "  {}: {} → {}\n",
        change.setting,
        change.old.as_deref().unwrap_or(NONE),
        change.new.as_deref().unwrap_or(NONE)
    )
}

fn overview_line(sign: String, overview: &Overview) -> String {
    let mut facts = vec![overview.audience.to_string()];
    facts.extend(overview.event.map(|e| e.to_string()));
    facts.push(on_off(overview.enabled).to_owned());
    let channels: Vec<&str> = overview.channels.iter().map(|c| c.as_str()).collect();
    if !channels.is_empty() {
        facts.push(channels.join(" + "));
    }
    let label = overview
        .label
        .as_ref()
        .map(|l| format!("  \"{l}\""))
        .unwrap_or_default();
    format!("  {sign} {}{label}  ({})\n", overview.key, facts.join(", "))
}

fn changed_block(notification: &NotificationDiff, style: Style) -> String {
    let label = notification
        .label
        .as_ref()
        .map(|l| format!("  \"{l}\""))
        .unwrap_or_default();
    let mut out = format!("  ~ {}{label}\n", notification.key);
    for change in &notification.changes {
        out.push_str(&change_lines(change, style));
    }
    out
}

fn change_lines(change: &Change, style: Style) -> String {
    match change {
        Change::Toggle { old, new } => {
            format!("      enabled: {} → {}\n", on_off(*old), on_off(*new))
        }
        Change::Copy {
            channel,
            language,
            old,
            new,
        } => {
            let path = copy_path(*channel, language);
            format!(
                "      {path}:\n{}{}",
                text_lines(style, Sign::Old, old.as_deref()),
                text_lines(style, Sign::New, new.as_deref())
            )
        }
        Change::Field { field, old, new } => format!(
            "      {}: {} → {}\n",
            field.as_str(),
            quoted(old.as_deref()),
            quoted(new.as_deref())
        ),
        Change::Variables { added, removed } => {
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("added {}", added.join(", ")));
            }
            if !removed.is_empty() {
                parts.push(format!("removed {}", removed.join(", ")));
            }
            format!("      variables: {}\n", parts.join("; "))
        }
    }
}

/// Where the copy is written in the catalogue: `sms.en`, `email.subject.en`.
pub(crate) fn copy_path(channel: crate::model::Channel, language: &str) -> String {
    match channel {
        crate::model::Channel::Sms => format!("sms.{language}"),
        crate::model::Channel::Email => format!("email.subject.{language}"),
    }
}

/// Which side a text line shows: `-` in red, or `+` in green.
#[derive(Clone, Copy)]
enum Sign {
    Old,
    New,
}

/// A text after its sign, continuation lines indented to line up with the first; the whole text
/// takes its side's colour.
fn text_lines(style: Style, sign: Sign, text: Option<&str>) -> String {
    let (mark, color) = match sign {
        Sign::Old => ("-", "31"),
        Sign::New => ("+", "32"),
    };
    let text = text.unwrap_or(NONE);
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        let lead = if i == 0 { mark } else { " " };
        out.push_str(&format!(
            "        {}\n",
            style.paint(color, &format!("{lead} {line}"))
        ));
    }
    out
}

fn quoted(value: Option<&str>) -> String {
    value.map_or_else(|| NONE.to_owned(), |v| format!("\"{v}\""))
}

pub(crate) fn on_off(enabled: bool) -> &'static str {
    if enabled { "on" } else { "off" }
}
