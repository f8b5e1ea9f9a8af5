//! Writing to the terminal: data goes to stdout, diagnostics to stderr; colour only when asked or
//! when stdout is a terminal and NO_COLOR is unset; a reader that closes the pipe ends the command
//! quietly instead of with a panic.

use std::io::{IsTerminal, Write};

use crate::cli::ColorChoice;
use crate::exit::OutputClosed;

fn wants_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

pub fn stdout_color(choice: ColorChoice) -> bool {
    wants_color(choice, std::io::stdout().is_terminal())
}

pub fn stderr_color(choice: ColorChoice) -> bool {
    wants_color(choice, std::io::stderr().is_terminal())
}

/// Writes data to stdout.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Err(OutputClosed.into()),
        other => Ok(other?),
    }
}

/// Writes a diagnostic line to stderr.
pub fn note(text: &str) {
    let _ = writeln!(std::io::stderr(), "{text}");
}
