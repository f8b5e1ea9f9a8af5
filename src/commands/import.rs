//! `crvs-comms import countryconfig DIR`: reads an OpenCRVS country configuration into the
//! catalogue. Without a catalogue at `--file` it creates one; with one, it refreshes the copy and
//! the email bodies and keeps toggles and settings. A configuration it cannot read (a malformed CSV
//! row, say) ends the command with exit 2 before anything is touched.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, Subcommand};
use crvs_comms::catalogue::Catalogue;
use crvs_comms::contract::Detected;
use crvs_comms::countryconfig::export::FileState;
use crvs_comms::countryconfig::merge::{self, Delivery, EntryChange, ImportReport};
use crvs_comms::countryconfig::sync::SyncRecord;
use crvs_comms::countryconfig::{self, CountryConfig, import};
use crvs_comms::model::{Channel, Profile};
use crvs_comms::store::{self, Change, Outcome, WriteOptions, atomic};
use serde::Serialize;

use super::writes;
use crate::cli::{Format, GlobalArgs, WriteArgs};
use crate::cli::{parse_channel, parse_profile};
use crate::exit::{Exit, Refused};
use crate::output;

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub source: ImportSource,
}

#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// Read the SMS CSV and the email bodies of a country-configuration repository
    Countryconfig(ImportCountryconfigArgs),
}

#[derive(Debug, Args)]
pub struct ImportCountryconfigArgs {
    /// The root of the country-configuration repository (the folder that holds `src/`)
    pub dir: PathBuf,
    /// The OpenCRVS release it is written for (default: told from its keys and placeholders)
    #[arg(long, value_parser = parse_profile, value_name = "1.5|1.9")]
    pub opencrvs: Option<Profile>,
    /// For a new catalogue: how staff messages are delivered (USER_NOTIFICATION_DELIVERY_METHOD)
    #[arg(long, value_parser = parse_channel, default_value = "sms", value_name = "sms|email")]
    pub user_delivery: Channel,
    /// For a new catalogue: how informant messages are delivered (INFORMANT_NOTIFICATION_DELIVERY_METHOD)
    #[arg(long, value_parser = parse_channel, default_value = "sms", value_name = "sms|email")]
    pub informant_delivery: Channel,
    /// Overwrite template files beside the catalogue that belong to no notification being refreshed
    #[arg(long)]
    pub force: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub write: WriteArgs,
}

pub fn run(global: &GlobalArgs, args: &ImportArgs) -> anyhow::Result<Exit> {
    let ImportSource::Countryconfig(args) = &args.source;
    let config = countryconfig::read(&args.dir)
        .map_err(|err| anyhow::anyhow!("{err}; nothing was imported"))?;
    if global.file.exists() {
        update(global, args, &config)
    } else {
        create(global, args, &config)
    }
}

fn create(
    global: &GlobalArgs,
    args: &ImportCountryconfigArgs,
    config: &CountryConfig,
) -> anyhow::Result<Exit> {
    let (profile, told) = profile_for_new(args, config)?;
    let plan = import::plan(config, profile);
    let delivery = Delivery {
        user: args.user_delivery,
        informant: args.informant_delivery,
    };
    let folder = global.file.parent().unwrap_or(Path::new(""));
    let (text, report) = merge::new_catalogue(&plan, config, folder, delivery);
    refuse_clashes(&report, args.force)?;
    let options = writes::options(&args.write);
    // The bodies go first, so that the catalogue never names a file that is not there yet; a
    // rehearsal first makes sure the catalogue itself would be accepted.
    if !options.dry_run {
        let rehearsal = WriteOptions {
            dry_run: true,
            ..options.clone()
        };
        store::create(&global.file, &text, &rehearsal, Vec::new())
            .map_err(|err| writes::failure(global, err))?;
        write_files(&report)?;
    }
    let outcome = store::create(&global.file, &text, &options, history(&report))
        .map_err(|err| writes::failure(global, err))?;
    remember(global, args, config, &outcome)?;
    finish(global, args, &report, &told, true, outcome)
}

fn update(
    global: &GlobalArgs,
    args: &ImportCountryconfigArgs,
    config: &CountryConfig,
) -> anyhow::Result<Exit> {
    let options = writes::options(&args.write);
    let mut tx = writes::begin(global, &options)?;
    let catalogue = tx
        .catalogue()
        .map_err(|err| writes::failure(global, err))?
        .clone();
    let told = profile_for_existing(args, config, &catalogue)?;
    let plan = import::plan(config, catalogue.settings.opencrvs);
    let report = merge::update(tx.document_mut(), &catalogue, &plan, config);
    refuse_clashes(&report, args.force)?;
    // Refused before any body is written if the result would not load.
    tx.preview().map_err(|err| writes::failure(global, err))?;
    if !options.dry_run {
        write_files(&report)?;
    }
    let outcome = tx
        .commit(history(&report))
        .map_err(|err| writes::failure(global, err))?;
    remember(global, args, config, &outcome)?;
    finish(global, args, &report, &told, false, outcome)
}

/// Notes the files as read, so that `export` knows the repository still holds them.
fn remember(
    global: &GlobalArgs,
    args: &ImportCountryconfigArgs,
    config: &CountryConfig,
    outcome: &Outcome,
) -> anyhow::Result<()> {
    if matches!(outcome, Outcome::DryRun { .. }) {
        return Ok(());
    }
    let mut record = SyncRecord::load(&global.file)?;
    record.remember_config(&args.dir, config);
    Ok(record.save(&global.file)?)
}

/// The import's changes as the history records them.
fn history(report: &ImportReport) -> Vec<Change> {
    let text = |value: &Option<String>| value.clone().map(serde_json::Value::String);
    let mut changes = Vec::new();
    for (key, change) in &report.entries {
        match change {
            EntryChange::Added => changes.push(Change {
                key: Some(key.clone()),
                field: "notification".to_owned(),
                old: None,
                new: Some(serde_json::Value::String("added".to_owned())),
            }),
            EntryChange::Changed(fields) => changes.extend(fields.iter().map(|f| Change {
                key: Some(key.clone()),
                field: f.field.clone(),
                old: text(&f.old),
                new: text(&f.new),
            })),
            EntryChange::Unchanged => {}
        }
    }
    changes
}

/// The release of a configuration imported into a new catalogue, and how it was told.
fn profile_for_new(
    args: &ImportCountryconfigArgs,
    config: &CountryConfig,
) -> anyhow::Result<(Profile, String)> {
    if let Some(profile) = args.opencrvs {
        return Ok((profile, "as given by --opencrvs".to_owned()));
    }
    match import::detect(config) {
        Detected::Profile(profile, evidence) => Ok((profile, format!("told by {evidence}"))),
        Detected::Mixed { v1_5, v1_9 } => anyhow::bail!(
            "{} has signs of OpenCRVS 1.5 ({v1_5}) and of 1.9 ({v1_9}); say which it follows with --opencrvs 1.5 or --opencrvs 1.9",
            args.dir.display()
        ),
        Detected::Unknown => anyhow::bail!(
            "nothing in {} tells OpenCRVS 1.5 from 1.9; say which it follows with --opencrvs 1.5 or --opencrvs 1.9",
            args.dir.display()
        ),
    }
}

/// Refuses a configuration of another release than the catalogue's: its keys would be misread.
fn profile_for_existing(
    args: &ImportCountryconfigArgs,
    config: &CountryConfig,
    catalogue: &Catalogue,
) -> anyhow::Result<String> {
    let ours = catalogue.settings.opencrvs;
    let (theirs, evidence) = match (args.opencrvs, import::detect(config)) {
        (Some(given), _) => (given, "--opencrvs".to_owned()),
        (None, Detected::Profile(detected, evidence)) => (detected, evidence),
        (None, _) => return Ok(format!("the catalogue's own ({ours})")),
    };
    if theirs == ours {
        return Ok(format!("the catalogue's own, confirmed by {evidence}"));
    }
    let hint = if theirs == Profile::V1_9 {
        format!("run `crvs-comms migrate --opencrvs {theirs}` first, then import again")
    } else {
        "import it into a new catalogue (--file NEW.toml)".to_owned()
    };
    Err(Refused(format!(
        "{} follows OpenCRVS {theirs} ({evidence}), but {} follows {ours}; {hint}, or pass --opencrvs {ours} to read it as {ours}",
        args.dir.display(),
        catalogue.path.display()
    ))
    .into())
}

fn refuse_clashes(report: &ImportReport, force: bool) -> anyhow::Result<()> {
    let clashes: Vec<String> = report
        .files
        .iter()
        .filter(|f| f.clashes())
        .map(|f| f.path.display().to_string())
        .collect();
    if clashes.is_empty() || force {
        return Ok(());
    }
    Err(Refused(format!(
        "the import would overwrite {} file(s) beside the catalogue that hold other content: {}; nothing was changed; move them away or pass --force",
        clashes.len(),
        clashes.join(", ")
    ))
    .into())
}

fn write_files(report: &ImportReport) -> anyhow::Result<()> {
    for file in report
        .files
        .iter()
        .filter(|f| f.state != FileState::Unchanged)
    {
        if let Some(folder) = file.path.parent() {
            std::fs::create_dir_all(folder)
                .with_context(|| format!("cannot create the folder {}", folder.display()))?;
        }
        let keep = std::fs::metadata(&file.path).ok();
        atomic::write(&file.path, &file.bytes, keep.as_ref())?;
    }
    Ok(())
}

#[derive(Serialize)]
struct ChangedJson<'a> {
    key: &'a str,
    fields: Vec<&'a str>,
}

#[derive(Serialize)]
struct FileJson {
    path: String,
    state: &'static str,
}

#[derive(Serialize)]
struct ReportJson<'a> {
    catalogue: String,
    created: bool,
    dry_run: bool,
    opencrvs: Profile,
    profile_from: &'a str,
    revision: i64,
    added: Vec<&'a str>,
    changed: Vec<ChangedJson<'a>>,
    unchanged: Vec<&'a str>,
    left_alone: &'a [String],
    files: Vec<FileJson>,
    notes: &'a [String],
}

fn finish(
    global: &GlobalArgs,
    args: &ImportCountryconfigArgs,
    report: &ImportReport,
    told: &str,
    created: bool,
    outcome: Outcome,
) -> anyhow::Result<Exit> {
    let (revision, diff, written) = match &outcome {
        Outcome::Unchanged { revision } => (*revision, None, false),
        Outcome::DryRun { revision, diff, .. } => (*revision, Some(diff.as_str()), false),
        Outcome::Written {
            revision,
            hand_edit,
            ..
        } => {
            writes::note_hand_edit(hand_edit.as_ref());
            (*revision, None, true)
        }
    };
    let keys = |wanted: fn(&EntryChange) -> bool| -> Vec<&str> {
        report
            .entries
            .iter()
            .filter(|(_, c)| wanted(c))
            .map(|(k, _)| k.as_str())
            .collect()
    };
    let json = ReportJson {
        catalogue: global.file.display().to_string(),
        created,
        dry_run: args.write.dry_run,
        opencrvs: report.profile,
        profile_from: told,
        revision,
        added: keys(|c| *c == EntryChange::Added),
        changed: report
            .entries
            .iter()
            .filter_map(|(key, change)| match change {
                EntryChange::Changed(fields) => Some(ChangedJson {
                    key,
                    fields: fields.iter().map(|f| f.field.as_str()).collect(),
                }),
                _ => None,
            })
            .collect(),
        unchanged: keys(|c| *c == EntryChange::Unchanged),
        left_alone: &report.left_alone,
        files: report
            .files
            .iter()
            .map(|f| FileJson {
                path: f.path.display().to_string(),
                state: f.state.as_str(),
            })
            .collect(),
        notes: &report.notes,
    };
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&json)? + "\n",
        Format::Human => human(&json, diff, written),
    };
    output::print(&text)?;
    for note in &report.notes {
        output::note(&format!("note: {note}"));
    }
    if args.write.dry_run {
        output::note("dry run: nothing written");
    }
    Ok(Exit::Success)
}

fn human(report: &ReportJson<'_>, diff: Option<&str>, written: bool) -> String {
    let mut text = diff.map(str::to_owned).unwrap_or_default();
    let verb = if report.created { "created" } else { "updated" };
    text.push_str(&format!(
        "OpenCRVS {} configuration ({}) → {} ({verb})\n",
        report.opencrvs, report.profile_from, report.catalogue
    ));
    for key in &report.added {
        text.push_str(&format!("  added       {key}\n"));
    }
    for changed in &report.changed {
        text.push_str(&format!(
            "  changed     {}: {}\n",
            changed.key,
            changed.fields.join(", ")
        ));
    }
    for key in report.left_alone {
        text.push_str(&format!(
            "  left alone  {key} (not in the country configuration)\n"
        ));
    }
    text.push_str(&format!(
        "{} added, {} changed, {} unchanged, {} left alone; ",
        report.added.len(),
        report.changed.len(),
        report.unchanged.len(),
        report.left_alone.len()
    ));
    let revision = report.revision;
    text.push_str(&match (report.dry_run, written, report.created) {
        (true, _, _) => format!("it would be at revision {revision}\n"),
        (_, false, _) => format!("the catalogue stays at revision {revision}\n"),
        (_, true, true) => format!("revision {revision}\n"),
        (_, true, false) => format!("revision {} → {revision}\n", revision - 1),
    });
    text
}
