//! `crvs-comms migrate --opencrvs 1.9`: moves the catalogue to a newer OpenCRVS contract, renaming
//! placeholders in the copy and in the email body files it references, moving keys OpenCRVS
//! renamed and adding the keys it now requests. Prints every change and every message that needs
//! new copy; `--dry-run` prints the diff and writes nothing.

use anyhow::Context as _;
use clap::Args;
use crvs_comms::catalogue::SCHEMA_VERSION;
use crvs_comms::migrate::{self, Migration};
use crvs_comms::model::Profile;
use crvs_comms::store::{Change, Outcome, atomic};
use serde::Serialize;

use super::writes;
use crate::cli::{Format, GlobalArgs, WriteArgs, parse_profile};
use crate::exit::{Exit, Refused};
use crate::output;

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The OpenCRVS release to move to (without it, only the file format is brought up to date)
    #[arg(long, value_parser = parse_profile, value_name = "1.9")]
    pub opencrvs: Option<Profile>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub write: WriteArgs,
}

pub fn run(global: &GlobalArgs, args: &MigrateArgs) -> anyhow::Result<Exit> {
    let Some(to) = args.opencrvs else {
        super::load(global)?;
        output::note(&format!(
            "{} is at schema_version {SCHEMA_VERSION}, the current file format: nothing to migrate",
            global.file.display()
        ));
        return Ok(Exit::Success);
    };
    let options = writes::options(&args.write);
    let mut tx = writes::begin(global, &options)?;
    let catalogue = tx
        .catalogue()
        .map_err(|err| writes::failure(global, err))?
        .clone();
    let migration = migrate::migrate(tx.document_mut(), &catalogue, to)
        .map_err(|err| Refused(format!("{err}; nothing was changed")))?;
    if migration.is_empty() {
        output::note(&format!(
            "{} already follows OpenCRVS {to}: nothing to migrate",
            global.file.display()
        ));
        return Ok(Exit::Success);
    }
    // Refused before any body file is touched if the migrated catalogue would not load.
    tx.preview().map_err(|err| writes::failure(global, err))?;
    if options.dry_run {
        if args.format == Format::Human {
            output::print(&body_diffs(&migration)?)?;
        }
    } else {
        for body in &migration.bodies {
            let keep = std::fs::metadata(&body.path).ok();
            atomic::write(&body.path, body.text.as_bytes(), keep.as_ref())?;
        }
    }
    let outcome = tx
        .commit(history(&migration))
        .map_err(|err| writes::failure(global, err))?;
    report(&migration, &outcome, args)
}

/// The migration's changes as the history records them.
fn history(migration: &Migration) -> Vec<Change> {
    let text = |value: &Option<String>| value.clone().map(serde_json::Value::String);
    migration
        .changes
        .iter()
        .map(|c| Change {
            key: c.key.clone(),
            field: c.field.clone(),
            old: text(&c.old),
            new: text(&c.new).or_else(|| {
                // A body file's change is its renames; the file itself is not copied into the history.
                (c.field == "email.body file").then(|| serde_json::Value::String(c.detail.clone()))
            }),
        })
        .collect()
}

/// The unified diff of each body file the migration would rewrite.
fn body_diffs(migration: &Migration) -> anyhow::Result<String> {
    let mut text = String::new();
    for body in &migration.bodies {
        let old = std::fs::read_to_string(&body.path)
            .with_context(|| format!("cannot read {}", body.path.display()))?;
        let name = body.path.display().to_string();
        let diff = similar::TextDiff::from_lines(&old, &body.text);
        text.push_str(
            &diff
                .unified_diff()
                .header(&format!("a/{name}"), &format!("b/{name}"))
                .to_string(),
        );
    }
    Ok(text)
}

#[derive(Serialize)]
struct ChangeJson<'a> {
    key: Option<&'a str>,
    field: &'a str,
    old: Option<&'a str>,
    new: Option<&'a str>,
    detail: &'a str,
}

#[derive(Serialize)]
struct NeedsJson<'a> {
    key: &'a str,
    part: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct ReportJson<'a> {
    from: Profile,
    to: Profile,
    dry_run: bool,
    revision: i64,
    changes: Vec<ChangeJson<'a>>,
    needs_copy: Vec<NeedsJson<'a>>,
    files: Vec<String>,
}

fn report(migration: &Migration, outcome: &Outcome, args: &MigrateArgs) -> anyhow::Result<Exit> {
    let (revision, diff) = match outcome {
        Outcome::Unchanged { revision } => (*revision, None),
        Outcome::DryRun { revision, diff, .. } => (*revision, Some(diff.as_str())),
        Outcome::Written {
            revision,
            hand_edit,
            ..
        } => {
            writes::note_hand_edit(hand_edit.as_ref());
            (*revision, None)
        }
    };
    let json = ReportJson {
        from: migration.from,
        to: migration.to,
        dry_run: args.write.dry_run,
        revision,
        changes: migration
            .changes
            .iter()
            .map(|c| ChangeJson {
                key: c.key.as_deref(),
                field: &c.field,
                old: c.old.as_deref(),
                new: c.new.as_deref(),
                detail: &c.detail,
            })
            .collect(),
        needs_copy: migration
            .needs_copy
            .iter()
            .map(|n| NeedsJson {
                key: &n.key,
                part: &n.part,
                reason: &n.reason,
            })
            .collect(),
        files: migration
            .bodies
            .iter()
            .map(|b| b.path.display().to_string())
            .collect(),
    };
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&json)? + "\n",
        Format::Human => human(&json, diff),
    };
    output::print(&text)?;
    if args.write.dry_run {
        output::note("dry run: nothing written");
    }
    Ok(Exit::Success)
}

fn human(report: &ReportJson<'_>, diff: Option<&str>) -> String {
    let mut text = diff.map(str::to_owned).unwrap_or_default();
    text.push_str(&format!(
        "OpenCRVS {} → {}: {} change(s)\n",
        report.from,
        report.to,
        report.changes.len()
    ));
    for change in &report.changes {
        let what = match change.key {
            Some(key) => format!("{key} {}", change.field),
            None => change.field.to_owned(),
        };
        text.push_str(&format!("  {what}: {}\n", change.detail));
    }
    if !report.needs_copy.is_empty() {
        text.push_str(&format!(
            "{} message(s) need new copy (`crvs-comms check` shows them too):\n",
            report.needs_copy.len()
        ));
        for need in &report.needs_copy {
            text.push_str(&format!("  {} {}: {}\n", need.key, need.part, need.reason));
        }
    }
    let verb = if report.dry_run { "would go" } else { "went" };
    text.push_str(&format!(
        "revision {} {verb} to {}\n",
        report.revision - 1,
        report.revision
    ));
    text
}
