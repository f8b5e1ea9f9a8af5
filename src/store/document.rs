//! Changes to the catalogue's TOML document that leave everything else exactly as a person wrote
//! it: comments before and after a value, blank lines, key order, dotted keys and quoting style.
//! A replaced value keeps the old one's surroundings (toml_edit would otherwise drop the comment
//! after it), and new copy is quoted so that it reads back as exactly the same text.

use serde_json::Value as Json;
use toml_edit::{DocumentMut, InlineTable, Item, Table, TableLike, Value};

use super::Change;

/// A piece of copy a notification holds inline, per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyField {
    Sms,
    EmailSubject,
}

/// Why a document could not take a change.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("no notification `{0}` in the catalogue")]
    NoNotification(String),
    #[error("`{0}` is not a table in the catalogue, so it cannot hold this value")]
    NotATable(String),
    #[error("`{0}` is not a true/false value in the catalogue")]
    NotABool(String),
    #[error("the text cannot be written as a TOML string that reads back the same")]
    Unrepresentable,
}

impl CopyField {
    fn path(self) -> &'static [&'static str] {
        match self {
            CopyField::Sms => &["sms"],
            CopyField::EmailSubject => &["email", "subject"],
        }
    }

    /// The field's name in the catalogue and the history, `sms.fr` or `email.subject.fr`.
    pub fn name(self, language: &str) -> String {
        let mut name = self.path().join(".");
        name.push('.');
        name.push_str(language);
        name
    }
}

/// The `revision` the document holds, when it holds a whole number there.
pub fn revision(document: &DocumentMut) -> Option<i64> {
    document.get("revision").and_then(Item::as_integer)
}

/// `settings.history` as written, when set.
pub fn history_setting(document: &DocumentMut) -> Option<&str> {
    document
        .get("settings")?
        .as_table_like()?
        .get("history")?
        .as_str()
}

/// Sets `revision`, keeping how the line around it is written.
pub fn set_revision(document: &mut DocumentMut, revision: i64) {
    match document.get_mut("revision") {
        Some(item) => replace_value(item, Value::from(revision)),
        None => {
            document.insert("revision", Item::Value(Value::from(revision)));
        }
    }
}

/// Switches a notification on or off; `None` when it already was in that state.
pub fn set_enabled(
    document: &mut DocumentMut,
    key: &str,
    enabled: bool,
) -> Result<Option<Change>, DocumentError> {
    let (notification, _) = notification_mut(document, key)?;
    let field = format!("notifications.{key}.enabled");
    let item = notification
        .get_mut("enabled")
        .ok_or_else(|| DocumentError::NotABool(field.clone()))?;
    let old = item.as_bool().ok_or(DocumentError::NotABool(field))?;
    if old == enabled {
        return Ok(None);
    }
    replace_value(item, Value::from(enabled));
    Ok(Some(Change {
        key: Some(key.to_owned()),
        field: "enabled".to_owned(),
        old: Some(Json::Bool(old)),
        new: Some(Json::Bool(enabled)),
    }))
}

/// The copy a notification holds for a field and language, as the document has it.
pub fn copy(document: &DocumentMut, key: &str, field: CopyField, language: &str) -> Option<String> {
    let mut table = document
        .get("notifications")?
        .as_table_like()?
        .get(key)?
        .as_table_like()?;
    for part in field.path() {
        table = table.get(part)?.as_table_like()?;
    }
    table.get(language)?.as_str().map(str::to_owned)
}

/// Sets a notification's copy for a field and language, adding the key when it is new; `None`
/// when the copy already was exactly this text.
pub fn set_copy(
    document: &mut DocumentMut,
    key: &str,
    field: CopyField,
    language: &str,
    text: &str,
) -> Result<Option<Change>, DocumentError> {
    let (notification, inline) = notification_mut(document, key)?;
    let mut table = notification;
    let mut walked = format!("notifications.{key}");
    for part in field.path() {
        walked = format!("{walked}.{part}");
        table = child_table(table, part, inline, &walked)?;
    }
    let old = table
        .get(language)
        .and_then(Item::as_str)
        .map(str::to_owned);
    if old.as_deref() == Some(text) {
        return Ok(None);
    }
    let previous_raw = table.get(language).and_then(raw_string);
    let value = string_value(text, previous_raw.as_deref())?;
    match table.get_mut(language) {
        Some(item) => replace_value(item, value),
        None => {
            table.insert(language, Item::Value(value));
        }
    }
    Ok(Some(Change {
        key: Some(key.to_owned()),
        field: field.name(language),
        old: old.map(Json::String),
        new: Some(Json::String(text.to_owned())),
    }))
}

/// The notification's table, and whether it is written inline (`key = { … }`).
fn notification_mut<'d>(
    document: &'d mut DocumentMut,
    key: &str,
) -> Result<(&'d mut dyn TableLike, bool), DocumentError> {
    let missing = || DocumentError::NoNotification(key.to_owned());
    let item = document
        .get_mut("notifications")
        .and_then(Item::as_table_like_mut)
        .ok_or_else(missing)?
        .get_mut(key)
        .ok_or_else(missing)?;
    let inline = item.is_inline_table();
    let table = item
        .as_table_like_mut()
        .ok_or_else(|| DocumentError::NotATable(format!("notifications.{key}")))?;
    Ok((table, inline))
}

/// A sub-table, created as a dotted key (`sms.fr = …`) when absent, which is how the catalogue
/// writes copy; inside an inline table it is created inline.
fn child_table<'t>(
    parent: &'t mut dyn TableLike,
    name: &str,
    inline: bool,
    walked: &str,
) -> Result<&'t mut dyn TableLike, DocumentError> {
    if !parent.contains_key(name) {
        let item = if inline {
            let mut table = InlineTable::new();
            table.set_dotted(true);
            Item::Value(Value::InlineTable(table))
        } else {
            let mut table = Table::new();
            table.set_implicit(true);
            table.set_dotted(true);
            Item::Table(table)
        };
        parent.insert(name, item);
    }
    parent
        .get_mut(name)
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| DocumentError::NotATable(walked.to_owned()))
}

/// Puts `new` where `item` was, with the old value's surroundings: the space before it and the
/// comment after it.
fn replace_value(item: &mut Item, mut new: Value) {
    if let Some(old) = item.as_value() {
        *new.decor_mut() = old.decor().clone();
    }
    *item = Item::Value(new);
}

fn raw_string(item: &Item) -> Option<String> {
    match item.as_value()? {
        Value::String(formatted) => Some(formatted.as_repr()?.as_raw().as_str()?.to_owned()),
        _ => None,
    }
}

/// A TOML string for `text` that reads back as exactly `text`: multi-line copy as a multi-line
/// string so it stays readable in the file, a literal string where the old value was one and the
/// text allows it, otherwise a basic string with escapes.
pub fn string_value(text: &str, previous_raw: Option<&str>) -> Result<Value, DocumentError> {
    let was_literal =
        previous_raw.is_some_and(|raw| raw.starts_with('\'') && !raw.starts_with("'''"));
    let raw = if text.contains('\n') {
        multi_line_basic(text)
    } else if was_literal && fits_literal(text) {
        format!("'{text}'")
    } else {
        basic(text)
    };
    let reads_back = |value: &Value| value.as_str() == Some(text);
    match raw.parse::<Value>() {
        Ok(value) if reads_back(&value) => Ok(value),
        // Our own quoting failed to read back: fall back to toml_edit's, and check it too.
        _ => Some(Value::from(text))
            .filter(reads_back)
            .ok_or(DocumentError::Unrepresentable),
    }
}

fn fits_literal(text: &str) -> bool {
    !text
        .chars()
        .any(|c| c == '\'' || (c.is_control() && c != '\t'))
}

fn basic(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    out.push('"');
    out
}

fn multi_line_basic(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 6);
    out.push_str("\"\"\"");
    let mut chars = text.chars().enumerate().peekable();
    while let Some((index, c)) = chars.next() {
        let next = chars.peek().map(|(_, c)| *c);
        match c {
            // A newline right after the opening quotes is dropped by TOML readers: keep it escaped.
            '\n' if index > 0 => out.push('\n'),
            // Quotes need no escape here unless they could run into three, or into the closing ones.
            '"' if next.is_some_and(|n| n != '"') => out.push('"'),
            c => push_escaped(&mut out, c),
        }
    }
    out.push_str("\"\"\"");
    out
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTIFICATION: &str = r#"revision = 7 # bumped by crvs-comms

[notifications.a]
# staff need this
enabled = true   # keep on
sms.en = 'Hi {{firstNames}}'  # greeting
sms.fr = "Salut"
email.body = "x.html"

[notifications.b]
enabled = false
"#;

    fn document() -> DocumentMut {
        NOTIFICATION.parse().unwrap()
    }

    #[test]
    fn a_toggle_keeps_the_comment_after_the_value() {
        let mut doc = document();
        let change = set_enabled(&mut doc, "a", false).unwrap().unwrap();
        assert_eq!(change.old, Some(Json::Bool(true)));
        assert_eq!(
            doc.to_string(),
            NOTIFICATION.replace("enabled = true   # keep on", "enabled = false   # keep on")
        );
    }

    #[test]
    fn a_toggle_to_the_same_state_changes_nothing() {
        let mut doc = document();
        assert!(set_enabled(&mut doc, "b", false).unwrap().is_none());
        assert_eq!(doc.to_string(), NOTIFICATION);
    }

    #[test]
    fn the_revision_keeps_its_comment() {
        let mut doc = document();
        set_revision(&mut doc, 8);
        assert_eq!(
            doc.to_string(),
            NOTIFICATION.replace("revision = 7 #", "revision = 8 #")
        );
        assert_eq!(revision(&doc), Some(8));
    }

    #[test]
    fn a_literal_string_stays_literal_when_it_can() {
        let mut doc = document();
        set_copy(&mut doc, "a", CopyField::Sms, "en", "Bye {{firstNames}}").unwrap();
        assert_eq!(
            doc.to_string(),
            NOTIFICATION.replace("'Hi {{firstNames}}'", "'Bye {{firstNames}}'")
        );
        set_copy(&mut doc, "a", CopyField::Sms, "en", "It's {{firstNames}}").unwrap();
        assert!(
            doc.to_string()
                .contains("sms.en = \"It's {{firstNames}}\"  # greeting\n")
        );
    }

    #[test]
    fn new_copy_joins_its_dotted_siblings() {
        let mut doc = document();
        let change = set_copy(&mut doc, "a", CopyField::Sms, "pt", "Olá")
            .unwrap()
            .unwrap();
        assert_eq!(change.field, "sms.pt");
        assert_eq!(change.old, None);
        assert_eq!(
            doc.to_string(),
            NOTIFICATION.replace(
                "sms.fr = \"Salut\"\n",
                "sms.fr = \"Salut\"\nsms.pt = \"Olá\"\n"
            )
        );
    }

    #[test]
    fn a_new_subject_table_is_written_as_dotted_keys() {
        let mut doc = document();
        set_copy(&mut doc, "b", CopyField::EmailSubject, "en", "Hello").unwrap();
        assert!(
            doc.to_string()
                .ends_with("[notifications.b]\nenabled = false\nemail.subject.en = \"Hello\"\n"),
            "{doc}"
        );
    }

    #[test]
    fn awkward_copy_reads_back_exactly() {
        let texts = [
            "Line one\nline two\n",
            "\nstarts with a newline",
            "ends with a quote\"",
            "three \"\"\" quotes\nand more",
            "\"\"\"\n\"\"",
            "ends\nwith a quote\"",
            "\"\n\"",
            "back\\slash \\n not a newline",
            "tab\there, cr\r\n, bell\u{7}",
            "{{#if name}}{{name}}{{else}}vous{{/if}}",
            "Félicitations ! 中文 🎉 ÿ",
            "'single' and ''' triple",
            "",
        ];
        for text in texts {
            for previous in [None, Some("'x'"), Some("\"x\""), Some("\"\"\"x\"\"\"")] {
                let value = string_value(text, previous).unwrap();
                let doc: DocumentMut = format!("k = {value}\n").parse().unwrap();
                assert_eq!(doc["k"].as_str(), Some(text), "{value}");
                let parsed: toml::Table = toml::from_str(&doc.to_string()).unwrap();
                assert_eq!(parsed["k"].as_str(), Some(text), "{value}");
            }
        }
    }

    #[test]
    fn multi_line_copy_is_written_over_several_lines() {
        let value = string_value("Say \"hi\"\nto \"\"\"all\"", None).unwrap();
        assert_eq!(
            value.to_string(),
            r#""""Say "hi"
to \"\""all\"""""#
        );
    }

    #[test]
    fn copy_of_a_missing_notification_is_an_error() {
        let mut doc = document();
        let err = set_copy(&mut doc, "zz", CopyField::Sms, "en", "x").unwrap_err();
        assert_eq!(err.to_string(), "no notification `zz` in the catalogue");
    }

    #[test]
    fn inline_notifications_get_inline_copy() {
        let text = "[notifications]\nc = { enabled = true, sms.en = \"a\" }\n";
        let mut doc: DocumentMut = text.parse().unwrap();
        set_copy(&mut doc, "c", CopyField::Sms, "fr", "b").unwrap();
        set_enabled(&mut doc, "c", false).unwrap();
        let parsed: toml::Table = toml::from_str(&doc.to_string()).unwrap();
        assert_eq!(
            parsed["notifications"]["c"]["sms"]["fr"].as_str(),
            Some("b")
        );
        assert_eq!(copy(&doc, "c", CopyField::Sms, "en").as_deref(), Some("a"));
        assert_eq!(
            parsed["notifications"]["c"]["enabled"].as_bool(),
            Some(false)
        );
    }
}
