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
use crvs_comms::countryconfig::merge::{self, Delivery, EntryChange, FileWrite, ImportReport};
use crvs_comms::countryconfig::{self, CountryConfig, import};
use crvs_comms::model::{Channel, Profile};
use serde::Serialize;

use super::catalogue_write::{self, Saved};
use crate::cli::{Format, GlobalArgs};
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
    /// Print the diff of the catalogue that would result and the files that would be written; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

pub fn parse_profile(text: &str) -> Result<Profile, String> {
    Profile::parse(text).ok_or_else(|| "expected `1.5` or `1.9`".to_owned())
}

fn parse_channel(text: &str) -> Result<Channel, String> {
    match text {
        "sms" => Ok(Channel::Sms),
        "email" => Ok(Channel::Email),
        _ => Err("expected `sms` or `email`".to_owned()),
    }
}

pub fn run(global: &GlobalArgs, args: &ImportArgs) -> anyhow::Result<Exit> {
    let ImportSource::Countryconfig(args) = &args.source;
    let config = countryconfig::read(&args.dir)
        .context("the country configuration cannot be imported; nothing was changed")?;
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
    write_files(&report, args.dry_run)?;
    let saved = catalogue_write::create(&global.file, &text, args.dry_run)?;
    finish(global, args, &report, told, true, saved)
}

fn update(
    global: &GlobalArgs,
    args: &ImportCountryconfigArgs,
    config: &CountryConfig,
) -> anyhow::Result<Exit> {
    let (loaded, catalogue) = super::load(global)?;
    let told = profile_for_existing(args, config, &catalogue)?;
    let plan = import::plan(config, catalogue.settings.opencrvs);
    let original = loaded.source.text.clone();
    let mut doc: toml_edit::DocumentMut = original
        .parse()
        .with_context(|| format!("cannot edit {}", global.file.display()))?;
    let report = merge::update(&mut doc, &catalogue, &plan, config);
    refuse_clashes(&report, args.force)?;
    write_files(&report, args.dry_run)?;
    let saved = catalogue_write::update(
        &global.file,
        &original,
        doc,
        catalogue.revision,
        args.dry_run,
    )?;
    finish(global, args, &report, told, false, saved)
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

fn write_files(report: &ImportReport, dry_run: bool) -> anyhow::Result<()> {
    if dry_run {
        return Ok(());
    }
    for file in report
        .files
        .iter()
        .filter(|f| f.state != FileState::Unchanged)
    {
        write_file(file)?;
    }
    Ok(())
}

fn write_file(file: &FileWrite) -> anyhow::Result<()> {
    if let Some(folder) = file.path.parent() {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create the folder {}", folder.display()))?;
    }
    std::fs::write(&file.path, &file.bytes)
        .with_context(|| format!("cannot write {}", file.path.display()))
}

#[derive(Serialize)]
struct ChangedJson<'a> {
    key: &'a str,
    fields: &'a [String],
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
    told: String,
    created: bool,
    saved: Saved,
) -> anyhow::Result<Exit> {
    let (revision, diff) = match &saved {
        Saved::Unchanged { revision } | Saved::Written { revision } => (*revision, None),
        Saved::DryRun { revision, diff } => (*revision, Some(diff.as_str())),
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
        dry_run: args.dry_run,
        opencrvs: report.profile,
        profile_from: &told,
        revision,
        added: keys(|c| *c == EntryChange::Added),
        changed: report
            .entries
            .iter()
            .filter_map(|(key, change)| match change {
                EntryChange::Changed(fields) => Some(ChangedJson { key, fields }),
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
        Format::Human => human(&json, diff, &saved),
    };
    output::print(&text)?;
    for note in &report.notes {
        output::note(&format!("note: {note}"));
    }
    if args.dry_run {
        output::note("dry run: nothing written");
    }
    Ok(Exit::Success)
}

fn human(report: &ReportJson<'_>, diff: Option<&str>, saved: &Saved) -> String {
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
    text.push_str(&match saved {
        Saved::Unchanged { revision } => format!("the catalogue stays at revision {revision}\n"),
        Saved::DryRun { revision, .. } => format!("it would be at revision {revision}\n"),
        Saved::Written { revision } if report.created => format!("revision {revision}\n"),
        Saved::Written { revision } => format!("revision {} → {revision}\n", revision - 1),
    });
    text
}
