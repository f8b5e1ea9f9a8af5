//! The keys 1.9 sends under other names, and the keys it requests that a catalogue lacks. Moved
//! tables keep their place in the file and their comments; added ones have no copy yet.

use std::collections::BTreeSet;

use toml_edit::{DocumentMut, Item};

use super::{Change, Migration, NeedsCopy};
use crate::catalogue::Catalogue;
use crate::catalogue::entries::{self, NewEntry};
use crate::contract::{Contract, NotificationSpec};
use crate::model::Channel;

pub(super) const RESET: &str = "resetUserPasswordNotification";
const RESET_BY_ADMIN: &str = "resetUserPasswordByAdminNotification";
const RESET_CODE_EMAIL: &str = "password-reset";

/// Keys that 1.9 sends under another name: the admin reset moves to its new key, and the reset
/// code email (sent under `authenticationCodeNotification` in 1.5) becomes `resetUserPasswordNotification`.
pub(super) fn key_moves(catalogue: &Catalogue) -> Vec<(&'static str, &'static str)> {
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

pub(super) fn record_moves(moves: &[(&str, &str)], migration: &mut Migration) {
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
pub(super) fn apply_moves(doc: &mut DocumentMut, moves: &[(&str, &str)]) {
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

pub(super) fn add_missing_keys(
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
