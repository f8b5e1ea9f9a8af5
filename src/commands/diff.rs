//! `crvs-comms diff`: what changed between two catalogues, or between the catalogue at a git
//! revision and the working file, as a reviewer needs it (see `crvs_comms::diff`). Exit 0 whether
//! or not they differ, unless `--exit-code` asks for 1 on differences; 2 when a side cannot be read.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, ValueEnum};
use crvs_comms::catalogue::{self, Catalogue};
use crvs_comms::diff::{self, Sides};

use crate::cli::GlobalArgs;
use crate::exit::Exit;
use crate::output;

pub const EXIT_CODES: &str = "\
Exit codes:
  0  the catalogues were compared, whether or not they differ (with --exit-code: they are the same)
  1  with --exit-code: the catalogues differ
  2  bad arguments, a catalogue that cannot be read or does not load, or git could not give the
     old version";

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old catalogue
    #[arg(
        value_name = "OLD",
        required_unless_present = "git",
        conflicts_with = "git"
    )]
    pub old: Option<PathBuf>,
    /// The new catalogue [default: the catalogue named by --file]
    #[arg(value_name = "NEW", conflicts_with = "git")]
    pub new: Option<PathBuf>,
    /// Compare the catalogue (--file) as committed at this git revision with the working file
    #[arg(long, value_name = "REF")]
    pub git: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Exit 1 when the catalogues differ, like `git diff --exit-code`
    #[arg(long)]
    pub exit_code: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Sections per kind of change, old text after `-`, new after `+`
    Human,
    /// One JSON document
    Json,
    /// Markdown for a pull request or a CI job summary
    Markdown,
}

/// One side of the comparison: what it is called in the report, and its catalogue.
struct Side {
    name: String,
    catalogue: Catalogue,
}

pub fn run(global: &GlobalArgs, args: &DiffArgs) -> anyhow::Result<Exit> {
    let (old, new) = match (&args.git, &args.old) {
        (Some(revision), _) => {
            // The working file first: when it is missing, that is the error to report.
            let new = working(global)?;
            (at_revision(global, revision)?, new)
        }
        (None, Some(old)) => {
            let old = from_file(global, old)?;
            let new = match &args.new {
                Some(new) => from_file(global, new)?,
                None => working(global)?,
            };
            (old, new)
        }
        (None, None) => anyhow::bail!(
            "name the old catalogue: `crvs-comms diff OLD [NEW]` or `crvs-comms diff --git REF`"
        ),
    };
    let diff = diff::diff(&old.catalogue, &new.catalogue);
    let sides = Sides {
        old: &old.name,
        new: &new.name,
    };
    let text = match args.format {
        DiffFormat::Human => diff::human(&diff, sides, super::style(global.color)),
        DiffFormat::Json => diff::json(&diff, sides),
        DiffFormat::Markdown => diff::markdown(&diff, sides),
    };
    output::print(&text)?;
    Ok(if args.exit_code && !diff.is_empty() {
        Exit::Problems
    } else {
        Exit::Success
    })
}

fn from_file(global: &GlobalArgs, path: &Path) -> anyhow::Result<Side> {
    let loaded = catalogue::load(path).context("check the path of the catalogue to compare")?;
    let (loaded, catalogue) = super::usable(loaded, global.color)?;
    Ok(Side {
        name: loaded.source.display,
        catalogue,
    })
}

/// The catalogue named by `--file`, as it is on disk.
fn working(global: &GlobalArgs) -> anyhow::Result<Side> {
    let (loaded, catalogue) = super::load(global)?;
    Ok(Side {
        name: loaded.source.display,
        catalogue,
    })
}

/// The catalogue named by `--file` as committed at `revision`.
fn at_revision(global: &GlobalArgs, revision: &str) -> anyhow::Result<Side> {
    let committed = crvs_comms::git::file_at_revision(&global.file, revision)
        .with_context(|| format!("while reading {} at {revision}", global.file.display()))?;
    let name = format!("{revision}:{}", committed.path_in_repo);
    // Relative paths in the old catalogue resolve as in the working tree: it is the same file.
    let loaded = catalogue::parse(&global.file, &name, committed.text);
    let (_, catalogue) = super::usable(loaded, global.color)?;
    Ok(Side { name, catalogue })
}
