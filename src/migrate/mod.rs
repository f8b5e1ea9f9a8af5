//! Moving a catalogue to a newer OpenCRVS contract. From 1.5 to 1.9 the core renamed variables
//! (`authCode` → `code`, `password` → `temporaryPassword`, `firstNames` → `firstname`, and the
//! username-updated message reads `newUsername`), sends the admin password reset under a new key
//! (`resetUserPasswordByAdminNotification`) and reuses `resetUserPasswordNotification` for the
//! reset *code*. A placeholder is renamed only where 1.9 supplies the new name to that message and
//! no longer the old one, so copy that 1.9 still serves as it is (the correction messages keep
//! `firstNames`) is left alone. Everything is done on the document and returned as a list of
//! changes; the caller writes the catalogue and the body files under its lock.

pub mod rename;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::path::PathBuf;

use toml_edit::{DocumentMut, Item};

use crate::catalogue::entries::{self, NewEntry};
use crate::catalogue::{Catalogue, Notification};
use crate::contract::{Contract, NotificationSpec};
use crate::model::{Audience, Channel, Profile};
use crate::placeholders;

/// Variables 1.9 renamed, old name first.
pub const RENAMED_IN_1_9: &[(&str, &str)] = &[
    ("authCode", "code"),
    ("password", "temporaryPassword"),
    ("firstNames", "firstname"),
    ("username", "newUsername"),
];

const RESET: &str = "resetUserPasswordNotification";
const RESET_BY_ADMIN: &str = "resetUserPasswordByAdminNotification";
const RESET_CODE_EMAIL: &str = "password-reset";

/// One change to the catalogue, in the shape the history records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The notification, or `None` for a setting.
    pub key: Option<String>,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// What happened, in words (`{{authCode}} → {{code}}`).
    pub detail: String,
}

/// A message that needs copy written for the new contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedsCopy {
    pub key: String,
    /// `sms.en`, `email.subject.fr`, `email.body`, or `sms`/`email` when nothing exists.
    pub part: String,
    pub reason: String,
}

/// An email body file with its placeholders renamed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyRewrite {
    pub path: PathBuf,
    pub text: String,
}

/// Everything a migration does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    pub from: Profile,
    pub to: Profile,
    pub changes: Vec<Change>,
    pub needs_copy: Vec<NeedsCopy>,
    pub bodies: Vec<BodyRewrite>,
}

impl Migration {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.bodies.is_empty()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("moving a catalogue from OpenCRVS {from} back to {to} is not supported")]
    Backwards { from: Profile, to: Profile },
    #[error(
        "the {part} of `{key}` does not parse as a Handlebars template ({message}), so its placeholders cannot be renamed safely; fix it first (`crvs-comms check` shows where)"
    )]
    Template {
        key: String,
        part: String,
        message: String,
    },
    #[error("cannot read the email body of `{key}` at {}: {cause}", path.display())]
    Body {
        key: String,
        path: PathBuf,
        cause: std::io::Error,
    },
}

/// Migrates the document of `catalogue` to `to`.
pub fn migrate(
    doc: &mut DocumentMut,
    catalogue: &Catalogue,
    to: Profile,
) -> Result<Migration, MigrateError> {
    let from = catalogue.settings.opencrvs;
    match (from, to) {
        (a, b) if a == b => Ok(Migration {
            from,
            to,
            changes: Vec::new(),
            needs_copy: Vec::new(),
            bodies: Vec::new(),
        }),
        (Profile::V1_5, Profile::V1_9) => to_1_9(doc, catalogue),
        _ => Err(MigrateError::Backwards { from, to }),
    }
}

/// The copy of one notification after migration, for judging what still needs writing.
struct Migrated<'c> {
    key: String,
    notification: &'c Notification,
    sms: Vec<(String, String)>,
    subjects: Vec<(String, String)>,
    bodies: Vec<String>,
    shares_sms: bool,
}

fn to_1_9(doc: &mut DocumentMut, catalogue: &Catalogue) -> Result<Migration, MigrateError> {
    let contract = Contract::for_profile(Profile::V1_9);
    let moves = key_moves(catalogue);
    let target = |key: &str| -> String {
        moves
            .iter()
            .find(|(from, _)| *from == key)
            .map_or_else(|| key.to_owned(), |(_, to)| (*to).to_owned())
    };
    let mut migration = Migration {
        from: Profile::V1_5,
        to: Profile::V1_9,
        changes: Vec::new(),
        needs_copy: Vec::new(),
        bodies: Vec::new(),
    };
    record_moves(&moves, &mut migration);
    let mut done_files = BTreeSet::new();
    let mut migrated = Vec::new();
    for (key, notification) in &catalogue.notifications {
        let new_key = target(key);
        // The reset code email gets an SMS of its own in 1.9 instead of sharing the 2FA one.
        let becomes_reset = new_key == RESET && key != RESET;
        let shares_sms = notification.sms_key.is_some() && !becomes_reset;
        let spec = spec_for(&contract, &new_key, notification, shares_sms);
        let mut result = Migrated {
            key: new_key,
            notification,
            sms: Vec::new(),
            subjects: Vec::new(),
            bodies: Vec::new(),
            shares_sms,
        };
        rename_texts(
            doc,
            key,
            notification,
            spec,
            &contract,
            &mut result,
            &mut migration,
        )?;
        rename_bodies(
            catalogue,
            key,
            notification,
            spec,
            &contract,
            &mut done_files,
            &mut result,
            &mut migration,
        )?;
        migrated.push(result);
    }
    apply_moves(doc, &moves);
    if let Some(settings) = doc.get_mut("settings").and_then(Item::as_table_mut) {
        entries::set_text(settings, &["opencrvs"], Profile::V1_9.as_str());
    }
    migration.changes.insert(
        0,
        Change {
            key: None,
            field: "settings.opencrvs".to_owned(),
            old: Some(Profile::V1_5.as_str().to_owned()),
            new: Some(Profile::V1_9.as_str().to_owned()),
            detail: "the catalogue now follows the OpenCRVS 1.9 contract".to_owned(),
        },
    );
    let present: BTreeSet<String> = migrated.iter().map(|m| m.key.clone()).collect();
    add_missing_keys(doc, catalogue, &contract, &present, &mut migration);
    for result in &migrated {
        judge(catalogue, &contract, result, &mut migration.needs_copy);
    }
    Ok(migration)
}

/// Keys that 1.9 sends under another name: the admin reset moves to its new key, and the reset
/// code email (sent under `authenticationCodeNotification` in 1.5) becomes `resetUserPasswordNotification`.
fn key_moves(catalogue: &Catalogue) -> Vec<(&'static str, &'static str)> {
    let has = |key: &str| catalogue.notifications.contains_key(key);
    let mut moves = Vec::new();
    if has(RESET) && !has(RESET_BY_ADMIN) {
        moves.push((RESET, RESET_BY_ADMIN));
    }
    if has(RESET_CODE_EMAIL) && (!has(RESET) || !moves.is_empty()) {
        moves.push((RESET_CODE_EMAIL, RESET));
    }
    moves
}

fn spec_for<'c>(
    contract: &'c Contract,
    key: &str,
    notification: &Notification,
    shares_sms: bool,
) -> Option<&'c NotificationSpec> {
    contract.get(key).or_else(|| {
        let shared = notification.sms_key.as_ref().filter(|_| shares_sms)?;
        contract.get(shared.get_ref())
    })
}

/// The new name of `variable` in a message of `spec` on `channel`, when 1.9 renamed it there.
fn new_name(
    contract: &Contract,
    spec: &NotificationSpec,
    channel: Channel,
    variable: &str,
) -> Option<&'static str> {
    let supplied = contract.supplied(spec, channel);
    RENAMED_IN_1_9
        .iter()
        .find(|(old, new)| *old == variable && supplied.contains(new) && !supplied.contains(old))
        .map(|(_, new)| *new)
}

fn describe(renamed: &[rename::Renamed]) -> String {
    renamed
        .iter()
        .map(|r| {
            format!(
                "{{{{{}}}}} → {{{{{}}}}} at {}:{}",
                r.from, r.to, r.line, r.column
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn rename_texts(
    doc: &mut DocumentMut,
    key: &str,
    notification: &Notification,
    spec: Option<&NotificationSpec>,
    contract: &Contract,
    result: &mut Migrated<'_>,
    migration: &mut Migration,
) -> Result<(), MigrateError> {
    let sms = notification
        .sms
        .iter()
        .map(|(l, t)| (Channel::Sms, vec!["sms", l.as_str()], l, t.get_ref()));
    let subjects = notification
        .email
        .iter()
        .flat_map(|e| e.subject.iter())
        .map(|(l, t)| {
            (
                Channel::Email,
                vec!["email", "subject", l.as_str()],
                l,
                t.get_ref(),
            )
        });
    for (channel, path, language, text) in sms.chain(subjects).collect::<Vec<_>>() {
        let field = path.join(".");
        let (new_text, renamed) =
            match spec {
                Some(spec) => rename::rename(text, |v| new_name(contract, spec, channel, v))
                    .map_err(|err| MigrateError::Template {
                        key: key.to_owned(),
                        part: field.clone(),
                        message: err.message,
                    })?,
                None => (text.clone(), Vec::new()),
            };
        if !renamed.is_empty() {
            if let Some(table) = entries::entry_mut(doc, key) {
                entries::set_text(table, &path, &new_text);
            }
            migration.changes.push(Change {
                key: Some(result.key.clone()),
                field: field.clone(),
                old: Some(text.clone()),
                new: Some(new_text.clone()),
                detail: describe(&renamed),
            });
        }
        let list = if channel == Channel::Sms {
            &mut result.sms
        } else {
            &mut result.subjects
        };
        list.push((language.clone(), new_text));
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn rename_bodies(
    catalogue: &Catalogue,
    key: &str,
    notification: &Notification,
    spec: Option<&NotificationSpec>,
    contract: &Contract,
    done_files: &mut BTreeSet<PathBuf>,
    result: &mut Migrated<'_>,
    migration: &mut Migration,
) -> Result<(), MigrateError> {
    let Some(body) = notification.email_body() else {
        return Ok(());
    };
    let languages: Vec<&str> = if body.get_ref().contains("{lang}") {
        catalogue.settings.languages().collect()
    } else {
        vec![""]
    };
    for language in languages {
        let Some(path) = catalogue.email_body_path(notification, language) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).map_err(|cause| MigrateError::Body {
            key: key.to_owned(),
            path: path.clone(),
            cause,
        })?;
        // A body file shared by two notifications is renamed once, for the first of them.
        let Some(spec) = spec.filter(|_| done_files.insert(path.clone())) else {
            result.bodies.push(text);
            continue;
        };
        let (new_text, renamed) =
            rename::rename(&text, |v| new_name(contract, spec, Channel::Email, v)).map_err(
                |err| MigrateError::Template {
                    key: key.to_owned(),
                    part: format!("email body {}", path.display()),
                    message: err.message,
                },
            )?;
        if !renamed.is_empty() {
            migration.changes.push(Change {
                key: Some(result.key.clone()),
                field: "email.body file".to_owned(),
                old: None,
                new: None,
                detail: format!("{}: {}", path.display(), describe(&renamed)),
            });
            migration.bodies.push(BodyRewrite {
                path: path.clone(),
                text: new_text.clone(),
            });
        }
        result.bodies.push(new_text);
    }
    Ok(())
}

fn record_moves(moves: &[(&str, &str)], migration: &mut Migration) {
    for (from, to) in moves {
        let reason = if *to == RESET {
            "OpenCRVS 1.9 sends the password reset code under this key, with an SMS of its own"
        } else {
            "OpenCRVS 1.9 sends the password reset by an administrator under this key"
        };
        migration.changes.push(Change {
            key: Some((*to).to_owned()),
            field: "key".to_owned(),
            old: Some((*from).to_owned()),
            new: Some((*to).to_owned()),
            detail: format!("was `{from}`: {reason}"),
        });
    }
}

/// Moves tables to their 1.9 keys; a moved table keeps its place in the file and its comments.
fn apply_moves(doc: &mut DocumentMut, moves: &[(&str, &str)]) {
    let notifications = entries::notifications_mut(doc);
    let taken: Vec<Option<Item>> = moves
        .iter()
        .map(|(from, _)| notifications.remove(from))
        .collect();
    for ((_, to), item) in moves.iter().zip(taken) {
        let Some(mut item) = item else {
            continue;
        };
        if *to == RESET
            && let Some(table) = item.as_table_mut()
        {
            // It no longer shares the two-factor SMS.
            table.remove("sms_key");
        }
        notifications.insert(to, item);
    }
}

/// Whether a key the catalogue lacks would fail on the channel its audience is delivered by.
fn needed(catalogue: &Catalogue, spec: &NotificationSpec) -> bool {
    spec.requested
        && match catalogue.settings.delivery(spec.audience) {
            Channel::Sms => spec.has_sms,
            Channel::Email => spec.email_template.is_some(),
        }
}

fn add_missing_keys(
    doc: &mut DocumentMut,
    catalogue: &Catalogue,
    contract: &Contract,
    present: &BTreeSet<String>,
    migration: &mut Migration,
) {
    for spec in contract.specs() {
        if present.contains(&spec.key) || !needed(catalogue, spec) {
            continue;
        }
        let entry = NewEntry {
            label: Some(spec.trigger),
            audience: Some(spec.audience),
            event: spec.event,
            enabled: true,
            sms_key: spec.sms_key,
            ..NewEntry::default()
        };
        entries::notifications_mut(doc)
            .insert(&spec.key, Item::Table(entries::entry_table(&entry)));
        migration.changes.push(Change {
            key: Some(spec.key.clone()),
            field: "notification".to_owned(),
            old: None,
            new: Some("added".to_owned()),
            detail: format!("OpenCRVS 1.9 requests `{}` ({})", spec.key, spec.trigger),
        });
        let channel = catalogue.settings.delivery(spec.audience);
        migration.needs_copy.push(NeedsCopy {
            key: spec.key.clone(),
            part: channel.as_str().to_owned(),
            reason: format!("new in the catalogue; it is sent by {channel} and has no copy yet"),
        });
    }
}

/// Records what a migrated notification still needs under 1.9: copy that reads variables 1.9
/// does not give it, copy without the variable it exists to deliver, or no copy on its channel.
fn judge(
    catalogue: &Catalogue,
    contract: &Contract,
    result: &Migrated<'_>,
    needs: &mut Vec<NeedsCopy>,
) {
    let spec = spec_for(
        contract,
        &result.key,
        result.notification,
        result.shares_sms,
    );
    let Some(spec) = spec else {
        return;
    };
    let declared: BTreeSet<&str> = result.notification.declared_variables().collect();
    let mut need = |part: String, reason: String| {
        needs.push(NeedsCopy {
            key: result.key.clone(),
            part,
            reason,
        });
    };
    let sms = result
        .sms
        .iter()
        .map(|(l, t)| (Channel::Sms, format!("sms.{l}"), t, true));
    let subjects = result
        .subjects
        .iter()
        .map(|(l, t)| (Channel::Email, format!("email.subject.{l}"), t, false));
    let bodies = result
        .bodies
        .iter()
        .map(|t| (Channel::Email, "email.body".to_owned(), t, true));
    for (channel, part, text, must_deliver) in sms.chain(subjects).chain(bodies) {
        let Ok(found) = placeholders::extract(text) else {
            continue;
        };
        let supplied = contract.supplied(spec, channel);
        let unsupplied: BTreeSet<&str> = found
            .names()
            .into_iter()
            .filter(|n| !supplied.contains(n) && !declared.contains(n))
            .collect();
        for name in unsupplied {
            need(
                part.clone(),
                format!(
                    "reads `{{{{{name}}}}}`, which OpenCRVS 1.9 does not supply to this message"
                ),
            );
        }
        if must_deliver {
            for required in spec.required.iter().filter(|r| !found.uses(r)) {
                need(
                    part.clone(),
                    format!(
                        "never shows `{{{{{required}}}}}`, which this message exists to deliver in 1.9"
                    ),
                );
            }
        }
    }
    let active = result.notification.enabled || spec.audience == Audience::User;
    let channel = catalogue.settings.delivery(spec.audience);
    if active && spec.requested && spec.has_sms && !result.shares_sms && channel == Channel::Sms {
        for language in catalogue.settings.languages() {
            if !result
                .sms
                .iter()
                .any(|(l, t)| l == language && !t.trim().is_empty())
            {
                need(
                    format!("sms.{language}"),
                    format!(
                        "no SMS copy, and OpenCRVS 1.9 sends {} by SMS: {}",
                        result.key, spec.trigger
                    ),
                );
            }
        }
    }
}
