//! Moving a catalogue to a newer OpenCRVS contract. From 1.5 to 1.9 the core renamed variables
//! (`authCode` → `code`, `password` → `temporaryPassword`, `firstNames` → `firstname`, and the
//! username-updated message reads `newUsername`), sends the admin password reset under a new key
//! (`resetUserPasswordByAdminNotification`) and reuses `resetUserPasswordNotification` for the
//! reset *code*. A placeholder is renamed only where 1.9 supplies the new name to that message and
//! no longer the old one, so copy that 1.9 still serves as it is (the correction messages keep
//! `firstNames`) is left alone. Everything is done on the document and returned as a list of
//! changes; the caller writes the catalogue and the body files under its lock.

mod copy;
mod keys;
pub mod rename;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::path::PathBuf;

use toml_edit::{DocumentMut, Item};

use crate::catalogue::entries;
use crate::catalogue::{Catalogue, Notification};
use crate::contract::{Contract, NotificationSpec};
use crate::model::Profile;
use copy::Migrated;
use keys::RESET;

/// Variables 1.9 renamed, old name first.
pub const RENAMED_IN_1_9: &[(&str, &str)] = &[
    ("authCode", "code"),
    ("password", "temporaryPassword"),
    ("firstNames", "firstname"),
    ("username", "newUsername"),
];

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

fn to_1_9(doc: &mut DocumentMut, catalogue: &Catalogue) -> Result<Migration, MigrateError> {
    let contract = Contract::for_profile(Profile::V1_9);
    let moves = keys::key_moves(catalogue);
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
    keys::record_moves(&moves, &mut migration);
    let mut done_files = BTreeSet::new();
    let mut migrated = Vec::new();
    for (key, notification) in &catalogue.notifications {
        let new_key = target(key);
        // The reset code email gets an SMS of its own in 1.9 instead of sharing the 2FA one.
        let becomes_reset = new_key == RESET && key != RESET;
        let shares_sms = notification.sms_key.is_some() && !becomes_reset;
        let mut result = Migrated {
            spec: spec_for(&contract, &new_key, notification, shares_sms),
            key: new_key,
            old_key: key,
            notification,
            shares_sms,
            sms: Vec::new(),
            subjects: Vec::new(),
            bodies: Vec::new(),
        };
        copy::rename_texts(doc, &contract, &mut result, &mut migration)?;
        copy::rename_bodies(
            catalogue,
            &contract,
            &mut done_files,
            &mut result,
            &mut migration,
        )?;
        migrated.push(result);
    }
    keys::apply_moves(doc, &moves);
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
    keys::add_missing_keys(doc, catalogue, &contract, &present, &mut migration);
    for result in &migrated {
        copy::judge(catalogue, &contract, result, &mut migration.needs_copy);
    }
    Ok(migration)
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
