//! What every command that changes the catalogue shares: the store options from `--dry-run`,
//! `--expect-revision`, `--lock-timeout` and `--actor`; the report of what was written; and the
//! exit code of each way a write can fail (a refusal is 1, anything else 2).

use crvs_comms::store::history::HandEdit;
use crvs_comms::store::{Change, Outcome, StoreError, Transaction, WriteOptions};

use crate::cli::{GlobalArgs, WriteArgs};
use crate::exit::{Exit, Refused};
use crate::output;

pub fn options(args: &WriteArgs) -> WriteOptions {
    WriteOptions {
        dry_run: args.dry_run,
        expect_revision: args.expect_revision,
        lock_timeout: args.lock_timeout,
        actor: actor(args.actor.as_deref()),
        command: command_line(),
    }
}

/// `--actor` (or `CRVS_COMMS_ACTOR`), else the operating-system user, else "unknown".
fn actor(given: Option<&str>) -> String {
    let os_user = || {
        ["USER", "USERNAME", "LOGNAME"]
            .iter()
            .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    };
    given
        .filter(|a| !a.trim().is_empty())
        .map(str::to_owned)
        .or_else(os_user)
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The command as typed, quoted where needed, for the history.
fn command_line() -> String {
    std::env::args()
        .skip(1)
        .map(|arg| {
            let plain = !arg.is_empty()
                && arg
                    .chars()
                    .all(|c| c.is_alphanumeric() || "-_./=:,@+".contains(c));
            if plain {
                arg
            } else {
                format!("'{}'", arg.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Opens a transaction on the catalogue named by `--file`.
pub fn begin(global: &GlobalArgs, options: &WriteOptions) -> anyhow::Result<Transaction> {
    Transaction::begin(&global.file, options).map_err(|err| failure(global, err))
}

/// The error a command ends with when the store refuses or fails; findings are shown first.
pub fn failure(global: &GlobalArgs, err: StoreError) -> anyhow::Error {
    let style = super::stderr_style(global.color);
    for finding in err.findings() {
        output::note(&crvs_comms::report::human_line(finding, style));
    }
    match err {
        StoreError::RevisionMoved { .. } => Refused(format!(
            "{err}; look at it again (`crvs-comms history`) and retry with its current revision"
        ))
        .into(),
        StoreError::Locked { .. } => {
            anyhow::anyhow!("{err}; try again, or wait longer with --lock-timeout")
        }
        StoreError::DoesNotLoad { .. } => {
            anyhow::anyhow!("{err}; fix the errors above (`crvs-comms check` lists every problem)")
        }
        StoreError::Io { .. } if !global.file.exists() => anyhow::Error::new(err).context(format!(
            "pass the catalogue with --file PATH or CRVS_COMMS_FILE (looked for {})",
            global.file.display()
        )),
        other => other.into(),
    }
}

/// Reports how a write ended: each change on stdout (through `describe`), then the revision; for
/// a dry run the diff. Nothing written is not an error.
pub fn report(
    global: &GlobalArgs,
    outcome: Outcome,
    describe: impl Fn(&Change) -> String,
) -> anyhow::Result<Exit> {
    match outcome {
        Outcome::Unchanged { revision } => output::note(&format!(
            "nothing to change; {} stays at revision {revision}",
            global.file.display()
        )),
        Outcome::DryRun { revision, diff, .. } => {
            output::print(&diff)?;
            output::note(&format!(
                "dry run: nothing written ({} would go to revision {revision})",
                global.file.display()
            ));
        }
        Outcome::Written {
            revision,
            changes,
            hand_edit,
        } => {
            note_hand_edit(hand_edit.as_ref());
            let mut text: String = changes.iter().map(|c| describe(c) + "\n").collect();
            text.push_str(&format!("revision: {} → {revision}\n", revision - 1));
            output::print(&text)?;
        }
    }
    Ok(Exit::Success)
}

/// A history value as people read it: `on`/`off` for a toggle, quoted text for copy.
pub fn show_value(field: &str, value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => "(none)".to_owned(),
        Some(serde_json::Value::Bool(on)) if field == "enabled" => {
            if *on { "on" } else { "off" }.to_owned()
        }
        Some(serde_json::Value::String(text)) => format!("{text:?}"),
        Some(other) => other.to_string(),
    }
}

/// Tells the user that the write found (and recorded) an edit made outside crvs-comms.
pub fn note_hand_edit(hand_edit: Option<&HandEdit>) {
    if let Some(hand_edit) = hand_edit {
        output::note(&format!(
            "note: {}; recorded in the history",
            hand_edit.describe()
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_actor_falls_back_past_blank_values() {
        assert_eq!(actor(Some("amina")), "amina");
        assert_ne!(actor(Some("  ")), "  ");
    }

    #[test]
    fn values_read_as_people_write_them() {
        let on = serde_json::Value::Bool(true);
        assert_eq!(show_value("enabled", Some(&on)), "on");
        let text = serde_json::Value::String("Hi \"you\"".to_owned());
        assert_eq!(show_value("sms.en", Some(&text)), r#""Hi \"you\"""#);
        assert_eq!(show_value("sms.en", None), "(none)");
    }
}
