//! A semantic diff of two catalogues: what a reviewer needs to know about a change to the
//! notifications, not which lines of TOML moved. Notifications added or removed, toggles switched,
//! copy changed per channel and language (with the old and the new text), labels, descriptions,
//! variables and email body paths changed, settings and gateways changed, the revision moved.
//! Comments, ordering and formatting are not differences. The renderers in the submodules build
//! text (human, markdown) from the one `CatalogueDiff`; JSON is its serde form.

mod human;
mod markdown;

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexSet;
use serde::Serialize;

use crate::catalogue::{Catalogue, Notification, Settings};
use crate::gateway::GatewayConfig;
use crate::model::{Audience, Channel, Event};

pub use human::human;
pub use markdown::markdown;

/// What the two sides are called in a report: a path, or `REF:path` for a git revision.
#[derive(Debug, Clone, Copy)]
pub struct Sides<'a> {
    pub old: &'a str,
    pub new: &'a str,
}

/// Everything that differs between an old and a new catalogue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CatalogueDiff {
    pub schema_version: Option<Moved<i64>>,
    pub revision: Option<Moved<i64>>,
    pub settings: Vec<SettingChange>,
    pub added: Vec<Overview>,
    pub removed: Vec<Overview>,
    pub changed: Vec<NotificationDiff>,
}

/// A value that is different on each side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Moved<T> {
    pub old: T,
    pub new: T,
}

/// One setting (or one field of a gateway) whose value differs; `None` where it is not set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SettingChange {
    pub setting: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// What a notification that appears on one side only is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overview {
    pub key: String,
    pub label: Option<String>,
    pub audience: Audience,
    pub event: Option<Event>,
    pub enabled: bool,
    pub channels: Vec<Channel>,
}

/// A notification present on both sides, and what changed in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotificationDiff {
    pub key: String,
    /// The label on the new side (or the old one when the new side has none).
    pub label: Option<String>,
    pub changes: Vec<Change>,
}

/// One change inside a notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Change {
    /// `enabled` switched.
    Toggle { old: bool, new: bool },
    /// The SMS text, or the email subject, in one language; `None` where there is no copy.
    Copy {
        channel: Channel,
        language: String,
        old: Option<String>,
        new: Option<String>,
    },
    /// A descriptive or structural field of the notification.
    Field {
        field: Field,
        old: Option<String>,
        new: Option<String>,
    },
    /// The notification's own declared `variables`.
    Variables {
        added: Vec<String>,
        removed: Vec<String>,
    },
}

/// The fields of a notification compared one to one, spelled as in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Field {
    #[serde(rename = "label")]
    Label,
    #[serde(rename = "description")]
    Description,
    #[serde(rename = "audience")]
    Audience,
    #[serde(rename = "event")]
    Event,
    #[serde(rename = "sms_key")]
    SmsKey,
    #[serde(rename = "email.body")]
    EmailBody,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Label => "label",
            Field::Description => "description",
            Field::Audience => "audience",
            Field::Event => "event",
            Field::SmsKey => "sms_key",
            Field::EmailBody => "email.body",
        }
    }
}

/// Counts for the one-line summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DiffSummary {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub toggles: usize,
    pub copy: usize,
    /// Other changes inside notifications: fields and declared variables.
    pub fields: usize,
    pub settings: usize,
}

impl CatalogueDiff {
    /// True when the two catalogues say the same thing (the revision included).
    pub fn is_empty(&self) -> bool {
        *self == CatalogueDiff::default()
    }

    pub fn summary(&self) -> DiffSummary {
        let count = |wanted: fn(&Change) -> bool| {
            self.changed
                .iter()
                .flat_map(|n| &n.changes)
                .filter(|c| wanted(c))
                .count()
        };
        DiffSummary {
            added: self.added.len(),
            removed: self.removed.len(),
            changed: self.changed.len(),
            toggles: count(|c| matches!(c, Change::Toggle { .. })),
            copy: count(|c| matches!(c, Change::Copy { .. })),
            fields: count(|c| matches!(c, Change::Field { .. } | Change::Variables { .. })),
            settings: self.settings.len(),
        }
    }

    /// `1 added, 2 changed (1 toggle, 3 texts), 1 setting changed, revision 3 → 4`, or
    /// `no differences`.
    pub fn summary_line(&self) -> String {
        let s = self.summary();
        let mut parts = Vec::new();
        // The noun goes with the first count only: "1 notification added, 2 removed".
        let mut counted = |n: usize, what: &str| {
            let count = if parts.is_empty() {
                plural(n, "notification")
            } else {
                n.to_string()
            };
            parts.push(format!("{count} {what}"));
        };
        if s.added > 0 {
            counted(s.added, "added");
        }
        if s.removed > 0 {
            counted(s.removed, "removed");
        }
        if s.changed > 0 {
            counted(s.changed, &format!("changed ({})", s.details()));
        }
        if s.settings > 0 {
            parts.push(format!("{} changed", plural(s.settings, "setting")));
        }
        if let Some(version) = &self.schema_version {
            parts.push(format!("schema_version {} → {}", version.old, version.new));
        }
        if let Some(revision) = &self.revision {
            parts.push(format!("revision {} → {}", revision.old, revision.new));
        }
        if parts.is_empty() {
            "no differences".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

impl DiffSummary {
    /// What the changes inside notifications are: `1 toggle, 3 texts, 2 other fields`.
    fn details(&self) -> String {
        let details: Vec<String> = [
            (self.toggles, "toggle"),
            (self.copy, "text"),
            (self.fields, "other field"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, word)| plural(n, word))
        .collect();
        details.join(", ")
    }
}

#[derive(Serialize)]
struct JsonDiff<'a> {
    old: &'a str,
    new: &'a str,
    identical: bool,
    summary: DiffSummary,
    #[serde(flatten)]
    diff: &'a CatalogueDiff,
}

/// The documented JSON shape: the two sides, `identical`, the counts, then the changes.
pub fn json(diff: &CatalogueDiff, sides: Sides<'_>) -> String {
    let document = JsonDiff {
        old: sides.old,
        new: sides.new,
        identical: diff.is_empty(),
        summary: diff.summary(),
        diff,
    };
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Compares two catalogues. Notifications keep the order of the side they come from: changed and
/// added ones in the new file's order, removed ones in the old file's.
pub fn diff(old: &Catalogue, new: &Catalogue) -> CatalogueDiff {
    let moved = |a: i64, b: i64| (a != b).then_some(Moved { old: a, new: b });
    let mut settings = settings_changes(&old.settings, &new.settings);
    settings.extend(gateway_changes(old, new));
    CatalogueDiff {
        schema_version: moved(old.schema_version, new.schema_version),
        revision: moved(old.revision, new.revision),
        settings,
        added: only_in(new, old),
        removed: only_in(old, new),
        changed: new
            .notifications
            .iter()
            .filter_map(|(key, after)| {
                let before = old.notifications.get(key)?;
                let changes = notification_changes(old, before, new, after);
                (!changes.is_empty()).then(|| NotificationDiff {
                    key: key.clone(),
                    label: after.label.clone().or_else(|| before.label.clone()),
                    changes,
                })
            })
            .collect(),
    }
}

fn only_in(side: &Catalogue, other: &Catalogue) -> Vec<Overview> {
    side.notifications
        .iter()
        .filter(|(key, _)| !other.notifications.contains_key(*key))
        .map(|(key, n)| Overview {
            key: key.clone(),
            label: n.label.clone(),
            audience: n.audience,
            event: n.event,
            enabled: n.enabled,
            channels: n.channels(),
        })
        .collect()
}

fn notification_changes(
    old_catalogue: &Catalogue,
    old: &Notification,
    new_catalogue: &Catalogue,
    new: &Notification,
) -> Vec<Change> {
    let mut changes = Vec::new();
    if old.enabled != new.enabled {
        changes.push(Change::Toggle {
            old: old.enabled,
            new: new.enabled,
        });
    }
    let languages = languages_of(old_catalogue, old, new_catalogue, new);
    let sms = |n: &Notification, language: &str| n.sms.get(language).map(|t| t.get_ref().clone());
    let subject =
        |n: &Notification, language: &str| n.email_subject(language).map(|t| t.get_ref().clone());
    changes.extend(copy_changes(Channel::Sms, &languages, old, new, sms));
    changes.extend(copy_changes(Channel::Email, &languages, old, new, subject));
    changes.extend(field_changes(old, new));
    changes.extend(variable_change(old, new));
    changes
}

/// Every language either side has copy in, the configured languages first (new order, then old).
fn languages_of(
    old_catalogue: &Catalogue,
    old: &Notification,
    new_catalogue: &Catalogue,
    new: &Notification,
) -> IndexSet<String> {
    let subjects = |n: &Notification| -> Vec<String> {
        n.email
            .iter()
            .flat_map(|e| e.subject.keys().cloned())
            .collect()
    };
    let mut languages: IndexSet<String> = IndexSet::new();
    languages.extend(new_catalogue.settings.languages().map(str::to_owned));
    languages.extend(old_catalogue.settings.languages().map(str::to_owned));
    languages.extend(new.sms.keys().cloned());
    languages.extend(old.sms.keys().cloned());
    languages.extend(subjects(new));
    languages.extend(subjects(old));
    languages
}

fn copy_changes(
    channel: Channel,
    languages: &IndexSet<String>,
    old: &Notification,
    new: &Notification,
    text: impl Fn(&Notification, &str) -> Option<String>,
) -> Vec<Change> {
    languages
        .iter()
        .filter_map(|language| {
            let (before, after) = (text(old, language), text(new, language));
            (before != after).then(|| Change::Copy {
                channel,
                language: language.clone(),
                old: before,
                new: after,
            })
        })
        .collect()
}

/// Reads one field of a notification or of the settings as text, `None` when it is not set.
type Reader<T> = fn(&T) -> Option<String>;

fn field_changes(old: &Notification, new: &Notification) -> Vec<Change> {
    let fields: [(Field, Reader<Notification>); 6] = [
        (Field::Label, |n| n.label.clone()),
        (Field::Description, |n| n.description.clone()),
        (Field::Audience, |n| Some(n.audience.to_string())),
        (Field::Event, |n| n.event.map(|e| e.to_string())),
        (Field::SmsKey, |n| {
            n.sms_key.as_ref().map(|k| k.get_ref().clone())
        }),
        (Field::EmailBody, |n| {
            n.email_body().map(|b| b.get_ref().clone())
        }),
    ];
    fields
        .into_iter()
        .filter_map(|(field, read)| {
            let (before, after) = (read(old), read(new));
            (before != after).then_some(Change::Field {
                field,
                old: before,
                new: after,
            })
        })
        .collect()
}

fn variable_change(old: &Notification, new: &Notification) -> Option<Change> {
    let before: BTreeSet<&str> = old.declared_variables().collect();
    let after: BTreeSet<&str> = new.declared_variables().collect();
    let owned = |set: std::collections::btree_set::Difference<'_, &str>| {
        set.map(|v| (*v).to_owned()).collect::<Vec<_>>()
    };
    let added = owned(after.difference(&before));
    let removed = owned(before.difference(&after));
    (!added.is_empty() || !removed.is_empty()).then_some(Change::Variables { added, removed })
}

fn settings_changes(old: &Settings, new: &Settings) -> Vec<SettingChange> {
    let fields: [(&str, Reader<Settings>); 9] = [
        ("opencrvs", |s| Some(s.opencrvs.to_string())),
        ("languages", |s| {
            Some(s.languages().collect::<Vec<_>>().join(", "))
        }),
        ("user_delivery", |s| Some(s.user_delivery.to_string())),
        ("informant_delivery", |s| {
            Some(s.informant_delivery.to_string())
        }),
        ("sample_data", |s| {
            s.sample_data.as_ref().map(|v| v.get_ref().clone())
        }),
        ("max_sms_parts", |s| {
            s.max_sms_parts.as_ref().map(|v| v.get_ref().to_string())
        }),
        ("history", |s| {
            s.history.as_ref().map(|v| v.get_ref().clone())
        }),
        ("default_gateway", |s| {
            s.default_gateway.as_ref().map(|v| v.get_ref().clone())
        }),
        ("default_region", |s| {
            s.default_region.as_ref().map(|v| v.get_ref().clone())
        }),
    ];
    fields
        .into_iter()
        .filter_map(|(name, read)| {
            let (before, after) = (read(old), read(new));
            (before != after).then(|| SettingChange {
                setting: format!("settings.{name}"),
                old: before,
                new: after,
            })
        })
        .collect()
}

/// Gateway tables compared field by field (`gateways.NAME.FIELD`). They hold only the names of
/// environment variables, never secrets, so every value may be shown.
fn gateway_changes(old: &Catalogue, new: &Catalogue) -> Vec<SettingChange> {
    let mut names: IndexSet<&str> = new.gateways.keys().map(String::as_str).collect();
    names.extend(old.gateways.keys().map(String::as_str));
    let fields_of = |catalogue: &Catalogue, name: &str| {
        catalogue
            .gateways
            .get(name)
            .map(|g| gateway_fields(g.get_ref()))
            .unwrap_or_default()
    };
    let mut changes = Vec::new();
    for name in names {
        let (before, after) = (fields_of(old, name), fields_of(new, name));
        let mut keys: IndexSet<&String> = after.keys().collect();
        keys.extend(before.keys());
        for field in keys {
            let (was, is) = (before.get(field).cloned(), after.get(field).cloned());
            if was != is {
                changes.push(SettingChange {
                    setting: format!("gateways.{name}.{field}"),
                    old: was,
                    new: is,
                });
            }
        }
    }
    changes
}

/// The fields a gateway sets, as text, by field name.
fn gateway_fields(config: &GatewayConfig) -> BTreeMap<String, String> {
    let Ok(serde_json::Value::Object(map)) = serde_json::to_value(config) else {
        return BTreeMap::new();
    };
    map.into_iter()
        .filter_map(|(field, value)| match value {
            serde_json::Value::Null => None,
            serde_json::Value::String(text) => Some((field, text)),
            other => Some((field, other.to_string())),
        })
        .collect()
}

#[cfg(test)]
mod tests;
