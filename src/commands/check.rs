//! `crvs-comms check`: validates the catalogue and its templates and reports findings in the
//! chosen format. Exit 1 on errors (or on warnings with `--strict`); a file it cannot read is exit 2.

use clap::{Args, ValueEnum};
use crvs_comms::check;
use crvs_comms::findings::Summary;
use crvs_comms::report::junit::{self, Plan};
use crvs_comms::report::{self, ReportHeader};

use crate::cli::GlobalArgs;
use crate::exit::Exit;
use crate::output;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Fail (exit 1) on warnings too
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// One line per finding, then a summary
    Human,
    /// One JSON document
    Json,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// JUnit XML: a testsuite per notification, for the test report of any CI system
    Junit,
}

pub fn run(global: &GlobalArgs, args: &CheckArgs) -> anyhow::Result<Exit> {
    let loaded = super::read(global)?;
    let findings = check::check(&loaded);
    let text = match args.format {
        CheckFormat::Human => report::human(&findings, super::style(global.color)),
        CheckFormat::Json => report::json(
            &ReportHeader {
                file: &loaded.source.display,
                revision: loaded.catalogue.as_ref().map(|c| c.revision),
            },
            &findings,
        ),
        CheckFormat::Github => report::github(&findings),
        CheckFormat::Junit => junit::junit(&Plan::of(&loaded), &findings, args.strict),
    };
    output::print(&text)?;
    let summary = Summary::of(&findings);
    let failed = summary.errors > 0 || (args.strict && summary.warnings > 0);
    Ok(if failed {
        Exit::Problems
    } else {
        Exit::Success
    })
}
