//! The catalogue, `notifications.toml`: every notification, its toggle and its copy per language,
//! plus the settings that say which OpenCRVS contract and delivery channels apply. This module holds
//! the typed form of the file; `load` turns text into it, reporting problems as findings.

mod load;
mod secrets;

use std::ops::Range;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

use crate::gateway::GatewayConfig;
use crate::model::{Audience, Channel, Event, Profile};

pub use load::{LoadError, Loaded, load, parse};

/// The only file format this version reads and writes.
pub const SCHEMA_VERSION: i64 = 1;
/// `settings.max_sms_parts` when the file does not say.
pub const DEFAULT_MAX_SMS_PARTS: u32 = 2;
/// Where the change history goes when `settings.history` does not say.
pub const DEFAULT_HISTORY_FILE: &str = "notifications.audit.jsonl";

/// A catalogue that loaded, with the positions of its values in the file.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub path: PathBuf,
    pub schema_version: i64,
    pub revision: i64,
    pub settings: Settings,
    pub notifications: IndexMap<String, Notification>,
    pub gateways: IndexMap<String, Spanned<GatewayConfig>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub opencrvs: Profile,
    pub languages: Spanned<Vec<Spanned<String>>>,
    pub user_delivery: Channel,
    pub informant_delivery: Channel,
    #[serde(default)]
    pub sample_data: Option<Spanned<String>>,
    #[serde(default)]
    pub max_sms_parts: Option<Spanned<u32>>,
    #[serde(default)]
    pub history: Option<Spanned<String>>,
    #[serde(default)]
    pub default_gateway: Option<Spanned<String>>,
    #[serde(default)]
    pub default_region: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notification {
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub audience: Audience,
    #[serde(default)]
    pub event: Option<Event>,
    pub enabled: bool,
    #[serde(default)]
    pub variables: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub sms_key: Option<Spanned<String>>,
    #[serde(default)]
    pub sms: IndexMap<String, Spanned<String>>,
    #[serde(default)]
    pub email: Option<Email>,
    /// Where the notification's table header (or first key) is written.
    #[serde(skip)]
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Email {
    #[serde(default)]
    pub subject: IndexMap<String, Spanned<String>>,
    #[serde(default)]
    pub body: Option<Spanned<String>>,
}

impl Settings {
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.languages
            .get_ref()
            .iter()
            .map(|l| l.get_ref().as_str())
    }

    pub fn default_language(&self) -> Option<&str> {
        self.languages().next()
    }

    pub fn max_sms_parts(&self) -> u32 {
        self.max_sms_parts
            .as_ref()
            .map_or(DEFAULT_MAX_SMS_PARTS, |p| *p.get_ref())
    }

    /// The channel OpenCRVS delivers this audience's messages on.
    pub fn delivery(&self, audience: Audience) -> Channel {
        match audience {
            Audience::User => self.user_delivery,
            Audience::Informant => self.informant_delivery,
        }
    }
}

impl Notification {
    pub fn email_subject(&self, language: &str) -> Option<&Spanned<String>> {
        self.email.as_ref()?.subject.get(language)
    }

    pub fn email_body(&self) -> Option<&Spanned<String>> {
        self.email.as_ref()?.body.as_ref()
    }

    /// The channels this notification has any copy for.
    pub fn channels(&self) -> Vec<Channel> {
        let mut channels = Vec::new();
        if !self.sms.is_empty() {
            channels.push(Channel::Sms);
        }
        if self
            .email
            .as_ref()
            .is_some_and(|e| !e.subject.is_empty() || e.body.is_some())
        {
            channels.push(Channel::Email);
        }
        channels
    }

    pub fn declared_variables(&self) -> impl Iterator<Item = &str> {
        self.variables
            .iter()
            .flatten()
            .map(|v| v.get_ref().as_str())
    }
}

impl Catalogue {
    /// The folder relative paths in the catalogue are resolved against.
    pub fn base_dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new(""))
    }

    /// A path written in the catalogue, resolved against the catalogue's folder.
    pub fn resolve(&self, relative: &str) -> PathBuf {
        self.base_dir().join(relative)
    }

    /// The email body file for a language (`{lang}` in the path is replaced by it).
    pub fn email_body_path(&self, notification: &Notification, language: &str) -> Option<PathBuf> {
        let body = notification.email_body()?;
        Some(self.resolve(&body.get_ref().replace("{lang}", language)))
    }

    pub fn history_path(&self) -> PathBuf {
        let relative = self
            .settings
            .history
            .as_ref()
            .map_or(DEFAULT_HISTORY_FILE, |h| h.get_ref().as_str());
        self.resolve(relative)
    }

    pub fn sample_data_path(&self) -> Option<PathBuf> {
        let relative = self.settings.sample_data.as_ref()?;
        Some(self.resolve(relative.get_ref()))
    }
}
