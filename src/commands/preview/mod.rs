//! `crvs-comms preview`: one notification rendered with sample data as the phone or inbox shows
//! it, with the SMS encoding, parts and worst case; or `--all` messages as a table of what each SMS
//! costs. A placeholder without a sample value is named and the command fails (exit 1).

mod all;
mod one;

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use crvs_comms::catalogue::Catalogue;
use crvs_comms::model::Channel;
use crvs_comms::sample::SampleData;

use crate::cli::{Format, GlobalArgs};
use crate::cli::{parse_assignment, parse_channel};
use crate::exit::Exit;

#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// The notification to preview, e.g. birthRegistrationNotification
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub key: Option<String>,
    /// Every notification in every language (or in --lang) as a table of SMS costs
    #[arg(long)]
    pub all: bool,
    /// The language of the copy (default: the first of settings.languages)
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// The channel to show (default: the one the settings deliver this audience on)
    #[arg(long, value_parser = parse_channel, conflicts_with = "all")]
    pub channel: Option<Channel>,
    /// Sample data to render with (default: settings.sample_data)
    #[arg(long, value_name = "FILE")]
    pub sample: Option<PathBuf>,
    /// Use this value for a variable instead of the sample data (repeatable)
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_assignment)]
    pub set: Vec<(String, String)>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the rendered email body to this HTML file
    #[arg(long, value_name = "FILE.html", conflicts_with = "all")]
    pub out: Option<PathBuf>,
}

pub fn run(global: &GlobalArgs, args: &PreviewArgs) -> anyhow::Result<Exit> {
    let (_, catalogue) = super::load(global)?;
    let sample = sample_data(&catalogue, args)?;
    let overrides: BTreeMap<String, String> = args.set.iter().cloned().collect();
    let language = language(&catalogue, args.lang.as_deref())?;
    match &args.key {
        Some(key) => one::run(&catalogue, &sample, key, language, &overrides, args),
        None => all::run(&catalogue, &sample, args.lang.as_deref(), &overrides, args),
    }
}

/// The sample data named by `--sample`, else by the settings, else none (every value missing).
fn sample_data(catalogue: &Catalogue, args: &PreviewArgs) -> anyhow::Result<SampleData> {
    let path = match &args.sample {
        Some(path) => path.clone(),
        None => match catalogue.sample_data_path() {
            Some(path) => path,
            None => return Ok(SampleData::default()),
        },
    };
    SampleData::load(&path).with_context(|| {
        format!(
            "fix the sample data or pass another with --sample FILE (looked for {})",
            path.display()
        )
    })
}

/// The language asked for, checked against the catalogue's, or the default one.
fn language<'c>(catalogue: &'c Catalogue, asked: Option<&str>) -> anyhow::Result<&'c str> {
    let listed: Vec<&str> = catalogue.settings.languages().collect();
    match asked {
        Some(language) => listed
            .iter()
            .copied()
            .find(|l| *l == language)
            .with_context(|| {
                format!(
                    "`{language}` is not a language of {} (it has {}); choose one with --lang",
                    catalogue.path.display(),
                    listed.join(", ")
                )
            }),
        None => catalogue
            .settings
            .default_language()
            .context("the catalogue lists no language in settings.languages"),
    }
}

/// Where sample values come from, for the hint of a missing one.
fn sample_hint(catalogue: &Catalogue, args: &PreviewArgs) -> String {
    let file = args
        .sample
        .clone()
        .or_else(|| catalogue.sample_data_path())
        .map(|p| format!("add it to {}", p.display()))
        .unwrap_or_else(|| "name a sample data file in settings.sample_data".to_owned());
    format!("give a value with --set NAME=VALUE or {file}")
}
