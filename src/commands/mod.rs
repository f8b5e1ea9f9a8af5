//! One file per subcommand; `run` dispatches to them. Shared here: loading the catalogue the way
//! every command but `check` needs it (it must load cleanly, else exit 2).

pub mod check;
pub mod completions;
pub mod diff;
pub mod edit;
pub mod export;
pub mod history;
pub mod import;
pub mod list;
pub mod man;
pub mod migrate;
pub mod preview;
pub mod send_test;
pub mod show;
pub mod toggle;
mod writes;

use crvs_comms::catalogue::{self, Catalogue, Loaded};
use crvs_comms::report::{self, Style};

use crate::cli::{Cli, ColorChoice, Command, GlobalArgs};
use crate::exit::Exit;
use crate::output;

pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    let global = &cli.global;
    match &cli.command {
        Command::Check(args) => check::run(global, args),
        Command::Diff(args) => diff::run(global, args),
        Command::List(args) => list::run(global, args),
        Command::Show(args) => show::run(global, args),
        Command::Preview(args) => preview::run(global, args),
        Command::Toggle(args) => toggle::run(global, args),
        Command::Edit(args) => edit::run(global, args),
        Command::History(args) => history::run(global, args),
        Command::Import(args) => import::run(global, args),
        Command::Export(args) => export::run(global, args),
        Command::Migrate(args) => migrate::run(global, args),
        Command::SendTest(args) => send_test::run(global, args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    }
}

/// Reads the catalogue named by `--file`; a missing or unreadable file is an error (exit 2).
pub fn read(global: &GlobalArgs) -> anyhow::Result<Loaded> {
    catalogue::load(&global.file).map_err(|err| {
        let catalogue::LoadError::Io { source, .. } = &err;
        anyhow::anyhow!(
            "cannot read the catalogue {}: {source}; name it with --file PATH or CRVS_COMMS_FILE",
            global.file.display()
        )
    })
}

/// Loads a catalogue that must be usable: load errors are shown and end the command (exit 2).
pub fn load(global: &GlobalArgs) -> anyhow::Result<(Loaded, Catalogue)> {
    usable(read(global)?, global.color)
}

/// The catalogue of a file that was read, when it loaded without errors; otherwise the errors are
/// shown on stderr and the command ends (exit 2).
pub fn usable(loaded: Loaded, color: ColorChoice) -> anyhow::Result<(Loaded, Catalogue)> {
    let errors: Vec<_> = loaded.findings.iter().filter(|f| f.is_error()).collect();
    match (&loaded.catalogue, errors.is_empty()) {
        (Some(catalogue), true) => {
            let catalogue = catalogue.clone();
            Ok((loaded, catalogue))
        }
        _ => {
            let style = Style {
                color: output::stderr_color(color),
            };
            for finding in errors {
                output::note(&report::human_line(finding, style));
            }
            anyhow::bail!(
                "the catalogue {} does not load; fix the errors above (`crvs-comms check` lists every problem)",
                loaded.source.display
            )
        }
    }
}

pub fn style(choice: ColorChoice) -> Style {
    Style {
        color: output::stdout_color(choice),
    }
}

/// The style of findings shown on stderr.
pub fn stderr_style(choice: ColorChoice) -> Style {
    Style {
        color: output::stderr_color(choice),
    }
}

/// The notification named `key`, or an error that suggests the closest key (exit 2).
pub fn find<'c>(
    catalogue: &'c Catalogue,
    key: &str,
) -> anyhow::Result<&'c catalogue::Notification> {
    if let Some(notification) = catalogue.notifications.get(key) {
        return Ok(notification);
    }
    let keys = catalogue.notifications.keys().map(String::as_str);
    let hint = match crvs_comms::check::closest(key, keys) {
        Some(near) => format!("; did you mean `{near}`?"),
        None => "; `crvs-comms list` shows them all".to_owned(),
    };
    anyhow::bail!(
        "no notification `{key}` in {}{hint}",
        catalogue.path.display()
    )
}
