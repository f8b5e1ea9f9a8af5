//! `crvs-comms export countryconfig DIR`: writes the catalogue out as the files of an OpenCRVS
//! country-configuration repository. A file that still holds what crvs-comms last read or wrote
//! there is brought up to date; one changed since (by hand, by a merge) is only overwritten with
//! `--force` (exit 1 otherwise, nothing written). `--dry-run` lists what would be written.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, Subcommand};
use crvs_comms::countryconfig::export::{self, ExportFile, FileState};
use crvs_comms::countryconfig::sync::SyncRecord;
use crvs_comms::store::atomic;
use serde::Serialize;

use crate::cli::{Format, GlobalArgs};
use crate::exit::{Exit, Refused};
use crate::output;

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    pub target: ExportTarget,
}

#[derive(Debug, Subcommand)]
pub enum ExportTarget {
    /// Write the SMS CSV, the email bodies and the informant toggles into a country-configuration repository
    Countryconfig(ExportCountryconfigArgs),
}

#[derive(Debug, Args)]
pub struct ExportCountryconfigArgs {
    /// The root of the country-configuration repository (the folder that holds `src/`)
    pub dir: PathBuf,
    /// Overwrite files that were changed since crvs-comms last read or wrote them
    #[arg(long)]
    pub force: bool,
    /// List the files that would be written, and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Serialize)]
struct Listed<'a> {
    path: &'a str,
    state: &'static str,
    written: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    dir: String,
    dry_run: bool,
    files: Vec<Listed<'a>>,
}

pub fn run(global: &GlobalArgs, args: &ExportArgs) -> anyhow::Result<Exit> {
    let ExportTarget::Countryconfig(args) = &args.target;
    let (_, catalogue) = super::load(global)?;
    let files = export::files(&catalogue)?;
    let mut record = SyncRecord::load(&global.file)?;
    let states = export::compare(&args.dir, &files, &record)?;
    let changed: Vec<&str> = files
        .iter()
        .zip(&states)
        .filter(|(_, s)| **s == FileState::Changed)
        .map(|(f, _)| f.path.as_str())
        .collect();
    let refused = !changed.is_empty() && !args.force;
    let writes = !args.dry_run && !refused;
    if writes {
        for (file, state) in files.iter().zip(&states) {
            if *state != FileState::Unchanged {
                write_file(&args.dir, file)?;
            }
            record.remember(&args.dir, &file.path, &file.bytes);
        }
        record.save(&global.file)?;
    }
    let report = Report {
        dir: args.dir.display().to_string(),
        dry_run: args.dry_run,
        files: files
            .iter()
            .zip(&states)
            .map(|(f, s)| Listed {
                path: &f.path,
                state: s.as_str(),
                written: writes && *s != FileState::Unchanged,
            })
            .collect(),
    };
    output::print(&match args.format {
        Format::Human => human(&report, args),
        Format::Json => serde_json::to_string_pretty(&report)? + "\n",
    })?;
    if refused {
        return Err(Refused(format!(
            "{} file(s) in {} changed since crvs-comms last read or wrote them ({}); nothing was written; import them first to keep those changes, or pass --force to overwrite them",
            changed.len(),
            args.dir.display(),
            changed.join(", ")
        ))
        .into());
    }
    if args.dry_run {
        output::note("dry run: nothing written");
    }
    Ok(Exit::Success)
}

fn human(report: &Report<'_>, args: &ExportCountryconfigArgs) -> String {
    let mut text = String::new();
    for file in report.files.iter().filter(|f| f.state != "unchanged") {
        let state = match (file.state, file.written) {
            ("new", true) => "created",
            ("stale", true) => "updated",
            ("changed", true) => "overwritten",
            ("new", false) if args.dry_run => "would create",
            ("stale", false) if args.dry_run => "would update",
            ("changed", false) if args.dry_run && args.force => "would overwrite",
            ("changed", false) => "changed",
            (_, _) => "not written",
        };
        text.push_str(&format!("{state:<16} {}\n", file.path));
    }
    let count = |state: &str| report.files.iter().filter(|f| f.state == state).count();
    text.push_str(&format!(
        "{} files for {}: {} new, {} behind the catalogue, {} changed by hand, {} unchanged\n",
        report.files.len(),
        report.dir,
        count("new"),
        count("stale"),
        count("changed"),
        count("unchanged")
    ));
    text
}

fn write_file(root: &Path, file: &ExportFile) -> anyhow::Result<()> {
    let path = root.join(&file.path);
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create the folder {}", folder.display()))?;
    }
    let keep = std::fs::metadata(&path).ok();
    Ok(atomic::write(&path, &file.bytes, keep.as_ref())?)
}
