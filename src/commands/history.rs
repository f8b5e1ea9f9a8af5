//! `crvs-comms history [KEY]`: who changed what in the catalogue and when, newest first, from the
//! audit history written by every command that changes it. Hand edits the tools noticed are shown
//! where they were noticed.

use clap::Args;
use crvs_comms::catalogue::DEFAULT_HISTORY_FILE;
use crvs_comms::store::history::{self, Entry};

use super::writes;
use crate::cli::{Format, GlobalArgs};
use crate::exit::Exit;
use crate::output;

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only the changes to this notification
    pub key: Option<String>,
    /// Only the changes made after this revision
    #[arg(long, value_name = "REVISION")]
    pub since: Option<i64>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Copy longer than this is cut in the table (the JSON has it whole, and the command as typed).
const SHOWN_CHARS: usize = 32;

pub fn run(global: &GlobalArgs, args: &HistoryArgs) -> anyhow::Result<Exit> {
    let loaded = super::read(global)?;
    let path = match &loaded.catalogue {
        Some(catalogue) => catalogue.history_path(),
        None => global.file.with_file_name(DEFAULT_HISTORY_FILE),
    };
    let history = history::read(&path)
        .map_err(|err| anyhow::anyhow!("cannot read the history {}: {err}", path.display()))?;
    for line in &history.unreadable_lines {
        output::note(&format!(
            "warning: {}:{line} is not a history entry (cut short or edited by hand); skipped",
            path.display()
        ));
    }
    if let (Some(key), Some(catalogue)) = (&args.key, &loaded.catalogue) {
        let in_history = history
            .entries
            .iter()
            .any(|e| e.changes.iter().any(|c| c.key.as_deref() == Some(key)));
        if !in_history {
            super::find(catalogue, key)?;
        }
    }
    let entries: Vec<Entry> = history
        .entries
        .into_iter()
        .rev()
        .filter(|e| args.since.is_none_or(|since| e.revision > since))
        .filter_map(|e| only_key(e, args.key.as_deref()))
        .collect();
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&entries)? + "\n",
        Format::Human if entries.is_empty() => {
            output::note(&format!("no changes recorded in {}", path.display()));
            String::new()
        }
        Format::Human => table(&entries),
    };
    output::print(&text)?;
    Ok(Exit::Success)
}

/// The entry with only the changes to `key`; `None` when it has none.
fn only_key(mut entry: Entry, key: Option<&str>) -> Option<Entry> {
    let Some(key) = key else {
        return Some(entry);
    };
    entry.changes.retain(|c| c.key.as_deref() == Some(key));
    (!entry.changes.is_empty()).then_some(entry)
}

fn table(entries: &[Entry]) -> String {
    let mut table = output::table(
        output::Stream::Stdout,
        ["revision", "when (UTC)", "actor", "changes"],
    );
    for entry in entries {
        let mut changes: Vec<String> = Vec::new();
        if let Some(hand_edit) = &entry.hand_edit {
            changes.push(format!("! noticed first: {}", hand_edit.describe()));
        }
        changes.extend(entry.changes.iter().map(|c| {
            let value = |v: Option<&serde_json::Value>| match v {
                Some(serde_json::Value::String(text)) => {
                    writes::show_value(&c.field, Some(&serde_json::Value::String(cut(text))))
                }
                other => writes::show_value(&c.field, other),
            };
            let key = c
                .key
                .as_deref()
                .map(|k| format!("{k} "))
                .unwrap_or_default();
            format!(
                "{key}{}: {} → {}",
                c.field,
                value(c.old.as_ref()),
                value(c.new.as_ref())
            )
        }));
        table.add_row([
            entry.revision.to_string(),
            entry.timestamp.replace('T', " "),
            entry.actor.clone(),
            changes.join("\n"),
        ]);
    }
    format!("{table}\n")
}

fn cut(text: &str) -> String {
    if text.chars().count() <= SHOWN_CHARS {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(SHOWN_CHARS - 1).collect();
    short.push('…');
    short
}
