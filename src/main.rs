//! The `crvs-comms` binary: parses the command line, runs the command, maps the outcome to an exit code.

mod cli;
mod commands;
mod exit;
mod output;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let color = cli.global.color;
    match commands::run(cli) {
        Ok(code) => code.into(),
        Err(err) => exit::report(&err, color),
    }
}
