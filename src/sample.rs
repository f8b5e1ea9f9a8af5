//! Sample data: realistic values for every variable, used to preview messages and to measure
//! their length. A value can be given for all messages, overridden for one language or for one
//! notification; `max_length` gives the longest real value of a variable (for worst-case length).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::render::Values;

/// The sample data file (`settings.sample_data`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleData {
    /// A value for each variable, used by every message.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    /// The longest real value of a variable, in characters.
    #[serde(default)]
    pub max_length: BTreeMap<String, usize>,
    /// Values that replace `values` in one language.
    #[serde(default)]
    pub languages: BTreeMap<String, BTreeMap<String, String>>,
    /// Values that replace the others for one notification (in every language).
    #[serde(default)]
    pub notifications: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    #[error("cannot read the sample data {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: the sample data is not valid: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

impl SampleData {
    pub fn load(path: &Path) -> Result<SampleData, SampleError> {
        let text = std::fs::read_to_string(path).map_err(|source| SampleError::Io {
            path: path.to_owned(),
            source,
        })?;
        SampleData::parse(&text).map_err(|(offset, message)| {
            let lines = crate::placeholders::line_starts(&text);
            let (line, column) =
                crate::placeholders::position_of(&text, &lines, offset.min(text.len()));
            SampleError::Invalid {
                path: path.to_owned(),
                line,
                column,
                message,
            }
        })
    }

    /// Parses sample data text; an error carries its byte offset and message.
    pub fn parse(text: &str) -> Result<SampleData, (usize, String)> {
        toml::from_str(text).map_err(|err: toml::de::Error| {
            (
                err.span().map_or(0, |s| s.start),
                err.message().trim().to_owned(),
            )
        })
    }

    /// The values one message is rendered with, looked up in place: `overrides` win over the
    /// notification's values, which win over the language's, which win over the common values.
    pub fn message_values<'a>(
        &'a self,
        notification: &str,
        language: &str,
        overrides: &'a BTreeMap<String, String>,
    ) -> MessageValues<'a> {
        MessageValues {
            layers: [
                Some(overrides),
                self.notifications.get(notification),
                self.languages.get(language),
                Some(&self.values),
            ],
        }
    }

    /// The values for one notification in one language: notification overrides win over language
    /// overrides, which win over the common values.
    pub fn values_for(&self, notification: &str, language: &str) -> BTreeMap<String, String> {
        let mut values = self.values.clone();
        for overrides in [
            self.languages.get(language),
            self.notifications.get(notification),
        ]
        .into_iter()
        .flatten()
        {
            values.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        values
    }
}

/// The sample values of one message, without copying them: rendering 20,000 messages looks up a
/// handful of names in each, so merging every map for every message would be the larger cost.
#[derive(Debug, Clone, Copy)]
pub struct MessageValues<'a> {
    /// Highest precedence first.
    layers: [Option<&'a BTreeMap<String, String>>; 4],
}

impl Values for MessageValues<'_> {
    fn value(&self, name: &str) -> Option<&str> {
        self.layers
            .iter()
            .flatten()
            .find_map(|layer| layer.get(name))
            .map(String::as_str)
    }

    fn to_map(&self) -> BTreeMap<String, String> {
        let mut merged = BTreeMap::new();
        for layer in self.layers.iter().rev().flatten() {
            merged.extend(layer.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        merged
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"
[values]
name = "Chipo Banda"
crvsOffice = "Ibombo District Office"
event = "birth"

[max_length]
name = 60

[languages.fr]
crvsOffice = "Bureau du district d'Ibombo"
event = "naissance"

[notifications.deathRegistrationNotification]
name = "Mwila Phiri"
"#;

    #[test]
    fn overrides_apply_by_notification_then_language() {
        let data = SampleData::parse(TEXT).unwrap();
        let fr = data.values_for("birthRegistrationNotification", "fr");
        assert_eq!(fr["crvsOffice"], "Bureau du district d'Ibombo");
        assert_eq!(fr["name"], "Chipo Banda");
        let death = data.values_for("deathRegistrationNotification", "fr");
        assert_eq!(death["name"], "Mwila Phiri");
        assert_eq!(death["event"], "naissance");
        assert_eq!(data.max_length["name"], 60);
    }

    #[test]
    fn message_values_layer_overrides_over_the_sample() {
        let data = SampleData::parse(TEXT).unwrap();
        let set = BTreeMap::from([("event".to_owned(), "death".to_owned())]);
        let values = data.message_values("deathRegistrationNotification", "fr", &set);
        assert_eq!(values.value("event"), Some("death"));
        assert_eq!(values.value("name"), Some("Mwila Phiri"));
        assert_eq!(
            values.value("crvsOffice"),
            Some("Bureau du district d'Ibombo")
        );
        assert_eq!(values.value("nothing"), None);
        let mut expected = data.values_for("deathRegistrationNotification", "fr");
        expected.insert("event".into(), "death".into());
        assert_eq!(values.to_map(), expected);
    }

    #[test]
    fn unknown_sections_are_errors_with_a_position() {
        let err = SampleData::parse("[valeus]\nname = \"x\"\n").unwrap_err();
        assert!(err.1.contains("valeus"), "{}", err.1);
    }
}
