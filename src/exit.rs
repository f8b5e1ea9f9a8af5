//! Exit codes, chosen on purpose and documented in `--help` and README, and the reporting of an
//! error that ends a command.

use std::io::Write;
use std::process::ExitCode;

use crvs_comms::gateway::{EXIT_DELIVERY, GatewayError};

use crate::cli::ColorChoice;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// It did its job.
    Success = 0,
    /// The catalogue has errors, or the operation was refused.
    Problems = 1,
    /// It could not do its job.
    Failure = 2,
    /// A gateway failed to deliver.
    Undelivered = 3,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// An operation the tool declined to do, for a reason the user can act on (exit 1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// Stdout was closed by its reader (`| head`): not an error, just stop.
#[derive(Debug, thiserror::Error)]
#[error("output closed")]
pub struct OutputClosed;

/// The exit code an error ends the command with.
pub fn code_of(err: &anyhow::Error) -> Exit {
    if err.downcast_ref::<OutputClosed>().is_some() {
        Exit::Success
    } else if err.downcast_ref::<Refused>().is_some() {
        Exit::Problems
    } else if let Some(gateway) = err.downcast_ref::<GatewayError>() {
        match gateway.exit_code() {
            EXIT_DELIVERY => Exit::Undelivered,
            _ => Exit::Failure,
        }
    } else {
        Exit::Failure
    }
}

/// Prints an error to stderr with its causes, and returns the exit code it maps to.
pub fn report(err: &anyhow::Error, color: ColorChoice) -> ExitCode {
    let code = code_of(err);
    if code != Exit::Success {
        let label = if crate::output::stderr_color(color) {
            "\x1b[1;31merror\x1b[0m"
        } else {
            "error"
        };
        let _ = writeln!(std::io::stderr(), "{label}: {err:#}");
    }
    code.into()
}

#[cfg(test)]
mod tests {
    use anyhow::Context as _;

    use super::*;

    fn failing(err: GatewayError) -> anyhow::Error {
        Err::<(), _>(err).context("while sending").unwrap_err()
    }

    #[test]
    fn a_gateway_error_exits_with_its_own_code_through_context() {
        let undelivered = failing(GatewayError::Timeout {
            gateway: "g".into(),
            seconds: 1,
        });
        assert_eq!(code_of(&undelivered), Exit::Undelivered);
        let unset = failing(GatewayError::MissingCredential {
            variable: "KEY".into(),
        });
        assert_eq!(code_of(&unset), Exit::Failure);
    }
}
