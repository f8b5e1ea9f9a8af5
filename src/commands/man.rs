//! `crvs-comms man [COMMAND]`: the manual page in roff, generated from the command-line definition,
//! with the exit codes as an EXIT STATUS section. `crvs-comms man > crvs-comms.1` installs it.

use anyhow::Context as _;
use clap::{Args, CommandFactory};
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

use crate::cli::Cli;
use crate::exit::Exit;
use crate::output;

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A subcommand whose own page to write, e.g. `check` (default: the page of crvs-comms)
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

pub fn run(args: &ManArgs) -> anyhow::Result<Exit> {
    let mut root = Cli::command();
    root.build();
    let command = match &args.command {
        None => root,
        Some(name) => find(&root, name)?,
    };
    output::print(&page(command)?)?;
    Ok(Exit::Success)
}

fn find(root: &clap::Command, name: &str) -> anyhow::Result<clap::Command> {
    if let Some(command) = root.find_subcommand(name) {
        return Ok(command.clone());
    }
    let names: Vec<&str> = root
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name())
        .collect();
    anyhow::bail!(
        "crvs-comms has no command `{name}`; the manual has a page for each of: {}",
        names.join(", ")
    )
}

/// The sections clap_mangen writes, with EXIT STATUS in place of its unstructured EXTRA section.
fn page(command: clap::Command) -> anyhow::Result<String> {
    let exit_codes = command
        .get_after_help()
        .map(|help| exit_codes(&help.to_string()))
        .unwrap_or_default();
    let has_options = command.get_arguments().any(|a| !a.is_hide_set());
    let has_subcommands = command.get_subcommands().any(|c| !c.is_hide_set());
    let has_version = command.get_version().is_some();
    let man = Man::new(command).source(format!("crvs-comms {}", env!("CARGO_PKG_VERSION")));
    let mut out = Vec::new();
    let write = |out: &mut Vec<u8>| -> std::io::Result<()> {
        man.render_title(out)?;
        man.render_name_section(out)?;
        man.render_synopsis_section(out)?;
        man.render_description_section(out)?;
        if has_options {
            man.render_options_section(out)?;
        }
        if has_subcommands {
            man.render_subcommands_section(out)?;
        }
        if !exit_codes.is_empty() {
            exit_status(&exit_codes).to_writer(out)?;
        }
        if has_version {
            man.render_version_section(out)?;
        }
        Ok(())
    };
    write(&mut out).context("while writing the manual page")?;
    Ok(once_preamble(&String::from_utf8_lossy(&out)))
}

/// Each section rendered on its own repeats roff's quote-defining preamble; one is enough.
fn once_preamble(page: &str) -> String {
    const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    match page.split_once(PREAMBLE) {
        Some((before, after)) => format!("{before}{PREAMBLE}{}", after.replace(PREAMBLE, "")),
        None => page.to_owned(),
    }
}

/// The `Exit codes:` list of a help text as (code, meaning) pairs: an entry starts with an
/// indented number, and more indented lines continue it.
fn exit_codes(help: &str) -> Vec<(String, String)> {
    let mut entries: Vec<(String, String)> = Vec::new();
    for line in help
        .lines()
        .skip_while(|l| !l.starts_with("Exit codes"))
        .skip(1)
    {
        let trimmed = line.trim();
        let mut words = trimmed.splitn(2, char::is_whitespace);
        match (words.next(), words.next()) {
            (Some(code), Some(meaning)) if code.chars().all(|c| c.is_ascii_digit()) => {
                entries.push((code.to_owned(), meaning.trim().to_owned()));
            }
            _ if !trimmed.is_empty() => {
                if let Some((_, meaning)) = entries.last_mut() {
                    meaning.push(' ');
                    meaning.push_str(trimmed);
                }
            }
            _ => {}
        }
    }
    entries
}

fn exit_status(entries: &[(String, String)]) -> Roff {
    let mut roff = Roff::default();
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in entries {
        roff.control("TP", []);
        roff.text([bold(code.as_str())]);
        roff.text([roman(meaning.as_str())]);
    }
    roff
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_read_from_the_help_text_with_their_continuations() {
        let help = "Something first\nExit codes:\n  0  fine\n  2  could not read: a file\n     or a folder\n";
        assert_eq!(
            exit_codes(help),
            [
                ("0".to_owned(), "fine".to_owned()),
                (
                    "2".to_owned(),
                    "could not read: a file or a folder".to_owned()
                )
            ]
        );
    }
}
