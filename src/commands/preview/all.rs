//! `preview --all`: every notification × language as a table of what its SMS costs (or a JSON
//! array of the same rows). Rows over `settings.max_sms_parts` are marked; rows without a sample
//! value name it, and make the command end with exit 1 once everything is shown.

use std::collections::{BTreeMap, BTreeSet};

use crvs_comms::catalogue::Catalogue;
use crvs_comms::preview::{self, SmsRow};
use crvs_comms::sample::SampleData;

use super::PreviewArgs;
use crate::cli::Format;
use crate::exit::Exit;
use crate::output;

pub fn run(
    catalogue: &Catalogue,
    sample: &SampleData,
    language: Option<&str>,
    overrides: &BTreeMap<String, String>,
    args: &PreviewArgs,
) -> anyhow::Result<Exit> {
    let languages: Vec<&str> = match language {
        Some(language) => vec![language],
        None => catalogue.settings.languages().collect(),
    };
    let rows = preview::preview_all(catalogue, sample, &languages, overrides);
    let limit = catalogue.settings.max_sms_parts() as usize;
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&rows)? + "\n",
        Format::Human => table(&rows, limit),
    };
    output::print(&text)?;
    let missing: BTreeSet<&str> = rows
        .iter()
        .flat_map(|row| row.missing.iter().map(String::as_str))
        .collect();
    if missing.is_empty() {
        return Ok(Exit::Success);
    }
    let unrendered = rows.iter().filter(|row| !row.missing.is_empty()).count();
    output::note(&format!(
        "error: {unrendered} message{} could not be rendered: no sample value for {}; {}",
        if unrendered == 1 { "" } else { "s" },
        missing
            .iter()
            .map(|name| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", "),
        super::sample_hint(catalogue, args)
    ));
    Ok(Exit::Problems)
}

fn table(rows: &[SmsRow], limit: usize) -> String {
    let mut table = output::table(
        output::Stream::Stdout,
        [
            "notification",
            "lang",
            "enabled",
            "encoding",
            "units",
            "parts",
            "worst case",
            "note",
        ],
    );
    let over = |parts: Option<usize>| match parts {
        Some(parts) if parts > limit => format!("{parts} !"),
        Some(parts) => parts.to_string(),
        None => "-".to_owned(),
    };
    for row in rows {
        table.add_row([
            row.notification.clone(),
            row.language.clone(),
            if row.enabled { "on" } else { "off" }.to_owned(),
            row.encoding.map_or("-".to_owned(), |e| e.to_string()),
            row.units.map_or("-".to_owned(), |u| u.to_string()),
            over(row.parts),
            over(row.worst_case_parts),
            note(row, limit),
        ]);
    }
    let over_limit = rows.iter().filter(|r| r.over_limit).count();
    let unrendered = rows.iter().filter(|r| !r.missing.is_empty()).count();
    let mut summary = format!(
        "{} message{}; {over_limit} over the limit of {limit} part{} (marked !)",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        if limit == 1 { "" } else { "s" },
    );
    if unrendered > 0 {
        summary.push_str(&format!("; {unrendered} missing a sample value"));
    }
    format!("{table}\n{summary}\n")
}

fn note(row: &SmsRow, limit: usize) -> String {
    if let Some(problem) = &row.problem {
        return problem.clone();
    }
    if row.over_limit {
        return format!("over max_sms_parts ({limit})");
    }
    String::new()
}
