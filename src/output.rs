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

/// Where a table is printed, so it wraps to that terminal's width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// A table in the house style. On a terminal it wraps to the terminal's width (but a width under
/// 40, as some terminals report 0, would print a letter a line, so then it does not wrap); off a
/// terminal rows stay whole, for files and `grep`.
pub fn table<const N: usize>(stream: Stream, header: [&str; N]) -> comfy_table::Table {
    use comfy_table::{ContentArrangement, presets::UTF8_FULL_CONDENSED};
    let mut table = comfy_table::Table::new();
    if stream == Stream::Stderr {
        table.use_stderr();
    }
    let arrangement = match table.width() {
        Some(width) if width < 40 => ContentArrangement::Disabled,
        _ => ContentArrangement::Dynamic,
    };
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(arrangement)
        .set_header(header);
    table
}
