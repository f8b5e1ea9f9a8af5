//! `crvs-comms completions SHELL`: the shell completion script, generated from the command-line
//! definition so it always knows every subcommand and option of this version.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::cli::Cli;
use crate::exit::Exit;
use crate::output;

pub const INSTALL: &str = "\
Install (then open a new shell):
  bash        crvs-comms completions bash > ~/.local/share/bash-completion/completions/crvs-comms
  zsh         crvs-comms completions zsh > ~/.zfunc/_crvs-comms   (with ~/.zfunc in $fpath)
  fish        crvs-comms completions fish > ~/.config/fish/completions/crvs-comms.fish
  powershell  crvs-comms completions powershell >> $PROFILE";

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write the completion script for
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: &CompletionsArgs) -> anyhow::Result<Exit> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "crvs-comms", &mut script);
    output::print(&String::from_utf8_lossy(&script))?;
    Ok(Exit::Success)
}
