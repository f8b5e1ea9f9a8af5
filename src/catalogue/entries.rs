//! Notification entries written into a catalogue's text with `toml_edit`: a new entry laid out as
//! people write them by hand (one `[notifications.KEY]` table, dotted `sms.en` and `email.body`
//! keys), and changes to one text of an existing entry that leave the rest of the file (comments,
//! order, spacing, and the comment after the changed value) as it was.

use toml_edit::{Array, DocumentMut, Item, Table, TableLike, Value};

use crate::model::{Audience, Event};

/// What a new entry holds.
#[derive(Debug, Clone, Default)]
pub struct NewEntry<'a> {
    pub label: Option<&'a str>,
    pub description: Option<&'a str>,
    pub audience: Option<Audience>,
    pub event: Option<Event>,
    pub enabled: bool,
    pub sms_key: Option<&'a str>,
    pub variables: Option<&'a [String]>,
    pub sms: Vec<(&'a str, &'a str)>,
    pub body: Option<&'a str>,
}

/// The `[notifications.KEY]` table of a new entry.
pub fn entry_table(entry: &NewEntry<'_>) -> Table {
    let mut table = Table::new();
    let mut put = |key: &str, value: Value| {
        table.insert(key, Item::Value(value));
    };
    if let Some(label) = entry.label {
        put("label", label.into());
    }
    if let Some(description) = entry.description.filter(|d| !d.is_empty()) {
        put("description", description.into());
    }
    if let Some(audience) = entry.audience {
        put("audience", audience.as_str().into());
    }
    if let Some(event) = entry.event {
        put("event", event.as_str().into());
    }
    put("enabled", entry.enabled.into());
    if let Some(sms_key) = entry.sms_key {
        put("sms_key", sms_key.into());
    }
    if let Some(variables) = entry.variables {
        put(
            "variables",
            Value::Array(variables.iter().map(String::as_str).collect::<Array>()),
        );
    }
    for (language, text) in &entry.sms {
        set_text(&mut table, &["sms", language], text);
    }
    if let Some(body) = entry.body {
        set_text(&mut table, &["email", "body"], body);
    }
    table
}

/// The `[notifications]` table of a document, created (implicit, so no empty header) if absent.
pub fn notifications_mut(doc: &mut DocumentMut) -> &mut Table {
    let root = doc.as_table_mut();
    if !root.contains_table("notifications") {
        let mut table = Table::new();
        table.set_implicit(true);
        root.insert("notifications", Item::Table(table));
    }
    root.get_mut("notifications")
        .and_then(Item::as_table_mut)
        .expect("`notifications` was just made a table")
}

/// The entry table of `key`, when the document has one.
pub fn entry_mut<'d>(doc: &'d mut DocumentMut, key: &str) -> Option<&'d mut Table> {
    doc.get_mut("notifications")?
        .as_table_mut()?
        .get_mut(key)?
        .as_table_mut()
}

/// Sets the text at a dotted path of an entry (`["sms", "fr"]`), creating dotted tables on the
/// way; an existing value keeps its comments and spacing.
pub fn set_text(table: &mut Table, path: &[&str], text: &str) {
    set_in(table, path, text);
}

fn set_in(table: &mut dyn TableLike, path: &[&str], text: &str) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let Some((first, rest)) = parents.split_first() else {
        match table.get_mut(last) {
            Some(item) => replace_string(item, text),
            None => {
                table.insert(last, toml_edit::value(text));
            }
        }
        return;
    };
    if table.get(first).and_then(Item::as_table_like).is_none() {
        let mut dotted = Table::new();
        dotted.set_dotted(true);
        table.insert(first, Item::Table(dotted));
    }
    if let Some(inner) = table.get_mut(first).and_then(Item::as_table_like_mut) {
        let mut path: Vec<&str> = rest.to_vec();
        path.push(last);
        set_in(inner, &path, text);
    }
}

fn replace_string(item: &mut Item, text: &str) {
    match item.as_value_mut() {
        Some(value) => {
            let decor = value.decor().clone();
            *value = Value::from(text);
            *value.decor_mut() = decor;
        }
        None => *item = toml_edit::value(text),
    }
}

/// Removes the value at a dotted path; a dotted table left empty goes too. Returns whether
/// anything was there.
pub fn remove_text(table: &mut Table, path: &[&str]) -> bool {
    remove_in(table, path)
}

fn remove_in(table: &mut dyn TableLike, path: &[&str]) -> bool {
    match path {
        [] => false,
        [last] => table.remove(last).is_some(),
        [first, rest @ ..] => {
            let Some(inner) = table.get_mut(first).and_then(Item::as_table_like_mut) else {
                return false;
            };
            let removed = remove_in(inner, rest);
            if inner.is_empty() {
                table.remove(first);
            }
            removed
        }
    }
}

/// The text at a dotted path of an entry.
pub fn text_at<'t>(table: &'t Table, path: &[&str]) -> Option<&'t str> {
    let mut current: &dyn TableLike = table;
    let (last, parents) = path.split_last()?;
    for key in parents {
        current = current.get(key)?.as_table_like()?;
    }
    current.get(last)?.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_entry_reads_like_a_hand_written_one() {
        let variables = vec!["appointmentDate".to_owned()];
        let entry = NewEntry {
            label: Some("Reminder"),
            description: Some(""),
            audience: Some(Audience::Informant),
            event: Some(Event::Birth),
            enabled: false,
            variables: Some(&variables),
            sms: vec![("en", "Line one\nline \"two\""), ("fr", "Un")],
            body: Some("templates/email/birth/x.html"),
            ..NewEntry::default()
        };
        let mut doc = DocumentMut::new();
        notifications_mut(&mut doc).insert("birthReminder", Item::Table(entry_table(&entry)));
        let text = doc.to_string();
        assert!(text.starts_with("[notifications.birthReminder]\nlabel = \"Reminder\"\naudience = \"informant\"\nevent = \"birth\"\nenabled = false\nvariables = [\"appointmentDate\"]\nsms.en = "), "{text}");
        assert!(
            text.contains("\nsms.fr = \"Un\"\nemail.body = \"templates/email/birth/x.html\"\n"),
            "{text}"
        );
        let parsed: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(
            parsed["notifications"]["birthReminder"]["sms"]["en"].as_str(),
            Some("Line one\nline \"two\"")
        );
    }

    #[test]
    fn changing_a_text_keeps_the_comment_after_it() {
        let mut doc: DocumentMut =
            "[notifications.a]\nsms.en = \"old\" # keep me\nsms.fr = \"vieux\"\n"
                .parse()
                .unwrap();
        let table = entry_mut(&mut doc, "a").unwrap();
        set_text(table, &["sms", "en"], "new");
        set_text(table, &["email", "subject", "en"], "Subject");
        assert!(remove_text(table, &["sms", "fr"]));
        assert_eq!(text_at(table, &["sms", "en"]), Some("new"));
        assert_eq!(
            doc.to_string(),
            "[notifications.a]\nsms.en = \"new\" # keep me\nemail.subject.en = \"Subject\"\n"
        );
    }

    #[test]
    fn inline_tables_are_edited_in_place() {
        let mut doc: DocumentMut = "[notifications.a]\nsms = { en = \"old\" }\n"
            .parse()
            .unwrap();
        let table = entry_mut(&mut doc, "a").unwrap();
        set_text(table, &["sms", "en"], "new");
        assert_eq!(
            doc.to_string(),
            "[notifications.a]\nsms = { en = \"new\" }\n"
        );
        let table = entry_mut(&mut doc, "a").unwrap();
        assert!(remove_text(table, &["sms", "en"]));
        assert_eq!(doc.to_string(), "[notifications.a]\n");
    }
}
