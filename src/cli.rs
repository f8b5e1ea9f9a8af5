//! The command line: global options shared by every command and the list of subcommands. Each
//! subcommand's own arguments live beside its code in `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::commands::{check::CheckArgs, list::ListArgs, send_test::SendTestArgs, show::ShowArgs};

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
    /// List every notification with its toggle, channels and languages
    List(ListArgs),
    /// Show everything about one notification: copy, variables, toggle
    Show(ShowArgs),
    /// Send a real test SMS through a configured gateway (or --dry-run to see the request)
    #[command(after_help = EXIT_CODES)]
    SendTest(SendTestArgs),
}
