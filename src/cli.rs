//! The command line: global options shared by every command and the list of subcommands. Each
//! subcommand's own arguments live beside its code in `commands/`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use crvs_comms::model::{Audience, Channel, Event, Profile};

use crate::commands::completions::CompletionsArgs;
use crate::commands::man::ManArgs;
use crate::commands::preview::PreviewArgs;
use crate::commands::{
    check::CheckArgs, diff::DiffArgs, edit::EditArgs, export::ExportArgs, history::HistoryArgs,
    import::ImportArgs, list::ListArgs, migrate::MigrateArgs, send_test::SendTestArgs,
    show::ShowArgs, toggle::ToggleArgs,
};

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  the catalogue has errors (or `check --strict` found warnings), or an operation was refused
  2  the tool could not do its job: bad arguments, a file missing or unreadable, or (for commands
     other than `check`) a catalogue that does not load
  3  a gateway failed to deliver a message";

/// Manage the SMS and email notifications of an OpenCRVS deployment as configuration as code.
#[derive(Debug, Parser)]
#[command(name = "crvs-comms", version, about, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The catalogue to work on
    #[arg(
        long,
        global = true,
        env = "CRVS_COMMS_FILE",
        default_value = "notifications.toml",
        value_name = "PATH"
    )]
    pub file: PathBuf,
    /// When to colour the output (auto: on a terminal, unless NO_COLOR is set)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Output format of the read commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the catalogue and its templates against what OpenCRVS supplies (for CI)
    #[command(after_help = EXIT_CODES)]
    Check(CheckArgs),
    /// Show what changed between two catalogues, or since a git revision: a semantic diff
    #[command(after_help = crate::commands::diff::EXIT_CODES)]
    Diff(DiffArgs),
    /// List every notification with its toggle, channels and languages
    List(ListArgs),
    /// Show everything about one notification: copy, variables, toggle
    Show(ShowArgs),
    /// Render a message with sample data: the SMS with its encoding and parts, or the email
    #[command(after_help = EXIT_CODES)]
    Preview(PreviewArgs),
    /// Switch notifications on or off
    Toggle(ToggleArgs),
    /// Change the copy of a notification in one language
    Edit(EditArgs),
    /// Show who changed what in the catalogue, newest first
    History(HistoryArgs),
    /// Read an OpenCRVS country configuration into the catalogue (creating it if needed)
    Import(ImportArgs),
    /// Write the catalogue out as an OpenCRVS country configuration
    Export(ExportArgs),
    /// Move the catalogue to a newer OpenCRVS release's contract
    Migrate(MigrateArgs),
    /// Send a real test SMS through a configured gateway (or --dry-run to see the request)
    #[command(after_help = EXIT_CODES)]
    SendTest(SendTestArgs),
    /// Write the shell completion script for bash, zsh, fish, powershell or elvish
    #[command(after_help = crate::commands::completions::INSTALL)]
    Completions(CompletionsArgs),
    /// Write the manual page (roff) to stdout: `crvs-comms man > crvs-comms.1`
    Man(ManArgs),
}

/// Options of every command that writes the catalogue.
#[derive(Debug, Args)]
pub struct WriteArgs {
    /// Print the diff of the catalogue that would result, and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Refuse (exit 1) unless the catalogue is still at this revision
    #[arg(long, value_name = "REVISION")]
    pub expect_revision: Option<i64>,
    /// How long to wait for another command that is writing the catalogue (e.g. 5s, 500ms)
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_duration)]
    pub lock_timeout: Duration,
    /// Who makes the change, for the history (default: the user you are logged in as)
    #[arg(long, env = "CRVS_COMMS_ACTOR", value_name = "NAME")]
    pub actor: Option<String>,
}

/// `5`, `5s`, `1.5s` or `500ms`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let (number, scale) = if let Some(ms) = text.strip_suffix("ms") {
        (ms, 0.001)
    } else {
        (text.strip_suffix('s').unwrap_or(text), 1.0)
    };
    number
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0 && *n * scale < 86_400.0)
        .map(|n| Duration::from_secs_f64(n * scale))
        .ok_or_else(|| "expected a duration like 5s or 500ms".to_owned())
}

// Value parsers shared by the commands' arguments: each says what it expected.

pub fn parse_audience(text: &str) -> Result<Audience, String> {
    match text {
        "informant" => Ok(Audience::Informant),
        "user" => Ok(Audience::User),
        _ => Err("expected `informant` or `user`".to_owned()),
    }
}

pub fn parse_event(text: &str) -> Result<Event, String> {
    match text {
        "birth" => Ok(Event::Birth),
        "death" => Ok(Event::Death),
        "marriage" => Ok(Event::Marriage),
        _ => Err("expected `birth`, `death` or `marriage`".to_owned()),
    }
}

pub fn parse_channel(text: &str) -> Result<Channel, String> {
    match text {
        "sms" => Ok(Channel::Sms),
        "email" => Ok(Channel::Email),
        _ => Err("expected `sms` or `email`".to_owned()),
    }
}

pub fn parse_profile(text: &str) -> Result<Profile, String> {
    Profile::parse(text).ok_or_else(|| "expected `1.5` or `1.9`".to_owned())
}

/// `--set NAME=VALUE`: a variable's value for one run.
pub fn parse_assignment(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!(
            "`{text}` is not NAME=VALUE; write it like --set trackingId=B7X2K9Q"
        )),
    }
}
