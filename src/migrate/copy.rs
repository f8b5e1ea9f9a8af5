//! The copy of each notification under the new contract: its placeholders renamed where the
//! contract renamed them for that message (SMS copy, subjects, email body files), and what it
//! still lacks afterwards.

use std::collections::BTreeSet;
use std::path::PathBuf;

use toml_edit::DocumentMut;

use super::{BodyRewrite, Change, MigrateError, Migration, NeedsCopy, RENAMED_IN_1_9, rename};
use crate::catalogue::entries;
use crate::catalogue::{Catalogue, Notification};
use crate::contract::{Contract, NotificationSpec};
use crate::model::{Audience, Channel};
use crate::placeholders;

/// One notification on its way to the new contract, and its copy once renamed.
pub(super) struct Migrated<'c> {
    /// The key it has in the new contract.
    pub key: String,
    /// The key it had.
    pub old_key: &'c str,
    pub notification: &'c Notification,
    /// The contract entry it is judged by under the new release.
    pub spec: Option<&'c NotificationSpec>,
    /// Whether it is still an email sent with another key's SMS.
    pub shares_sms: bool,
    pub sms: Vec<(String, String)>,
    pub subjects: Vec<(String, String)>,
    pub bodies: Vec<String>,
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

/// Renames the placeholders of the SMS copy and subjects, in the document.
pub(super) fn rename_texts(
    doc: &mut DocumentMut,
    contract: &Contract,
    result: &mut Migrated<'_>,
    migration: &mut Migration,
) -> Result<(), MigrateError> {
    let (key, notification, spec) = (result.old_key, result.notification, result.spec);
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

/// Renames the placeholders of the email body files; the new text is returned, not written.
/// `done_files` holds the files already renamed, for bodies shared by two notifications.
pub(super) fn rename_bodies(
    catalogue: &Catalogue,
    contract: &Contract,
    done_files: &mut BTreeSet<PathBuf>,
    result: &mut Migrated<'_>,
    migration: &mut Migration,
) -> Result<(), MigrateError> {
    let (key, notification, spec) = (result.old_key, result.notification, result.spec);
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

/// Records what a migrated notification still needs under 1.9: copy that reads variables 1.9
/// does not give it, copy without the variable it exists to deliver, or no copy on its channel.
pub(super) fn judge(
    catalogue: &Catalogue,
    contract: &Contract,
    result: &Migrated<'_>,
    needs: &mut Vec<NeedsCopy>,
) {
    let Some(spec) = result.spec else {
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
