//! The diff as GitHub-flavoured Markdown, ready to paste into a pull request or to append to a
//! job summary: a heading, a summary line, then a table or a list per kind of change, with the old
//! and new copy in fenced blocks. Everything that comes from the catalogue is escaped so that a
//! `|`, a backtick or a `<` in a label or a message cannot break the table or the page.

use super::human::{copy_path, on_off};
use super::{CatalogueDiff, Change, Field, NotificationDiff, Overview, Sides};

const NONE: &str = "_none_";

pub fn markdown(diff: &CatalogueDiff, sides: Sides<'_>) -> String {
    let mut out = String::from("## Notification changes\n\n");
    let summary = diff.summary_line();
    out.push_str(&format!(
        "{} → {}: **{}**\n",
        inline_code(sides.old),
        inline_code(sides.new),
        summary
    ));
    if !diff.added.is_empty() {
        out.push_str(&overview_table("Added", &diff.added));
    }
    if !diff.removed.is_empty() {
        out.push_str(&overview_table("Removed", &diff.removed));
    }
    out.push_str(&toggles(&diff.changed));
    out.push_str(&copy(&diff.changed));
    out.push_str(&other_changes(&diff.changed));
    if !diff.settings.is_empty() {
        out.push_str("\n### Settings\n\n| Setting | Before | After |\n|---|---|---|\n");
        for change in &diff.settings {
            out.push_str(&row(&[
                code(&change.setting),
                optional_code(change.old.as_deref()),
                optional_code(change.new.as_deref()),
            ]));
        }
    }
    out
}

fn overview_table(title: &str, overviews: &[Overview]) -> String {
    let mut out = format!(
        "\n### {title}\n\n| Notification | Label | Audience | Event | Enabled | Channels |\n|---|---|---|---|---|---|\n"
    );
    for overview in overviews {
        let channels: Vec<&str> = overview.channels.iter().map(|c| c.as_str()).collect();
        out.push_str(&row(&[
            code(&overview.key),
            overview.label.as_deref().map_or(NONE.to_owned(), text),
            overview.audience.to_string(),
            overview
                .event
                .map_or(String::new(), |e| e.as_str().to_owned()),
            on_off(overview.enabled).to_owned(),
            channels.join(", "),
        ]));
    }
    out
}

fn toggles(changed: &[NotificationDiff]) -> String {
    let rows: String = each_change(changed)
        .filter_map(|(n, change)| match change {
            Change::Toggle { old, new } => Some(row(&[
                code(&n.key),
                on_off(*old).to_owned(),
                format!("**{}**", on_off(*new)),
            ])),
            _ => None,
        })
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    format!("\n### Toggles\n\n| Notification | Before | After |\n|---|---|---|\n{rows}")
}

fn copy(changed: &[NotificationDiff]) -> String {
    let blocks: String = each_change(changed)
        .filter_map(|(n, change)| match change {
            Change::Copy {
                channel,
                language,
                old,
                new,
            } => Some(format!(
                "\n#### {} {}\n\nBefore:\n\n{}\nAfter:\n\n{}",
                inline_code(&n.key),
                inline_code(&copy_path(*channel, language)),
                block(old.as_deref()),
                block(new.as_deref())
            )),
            _ => None,
        })
        .collect();
    if blocks.is_empty() {
        return String::new();
    }
    format!("\n### Copy\n{blocks}")
}

fn other_changes(changed: &[NotificationDiff]) -> String {
    let rows: String = each_change(changed)
        .filter_map(|(n, change)| match change {
            Change::Field { field, old, new } => Some(row(&[
                code(&n.key),
                code(field.as_str()),
                field_value(*field, old.as_deref()),
                field_value(*field, new.as_deref()),
            ])),
            Change::Variables { added, removed } => Some(row(&[
                code(&n.key),
                code("variables"),
                code_list("removed", removed),
                code_list("added", added),
            ])),
            _ => None,
        })
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    format!(
        "\n### Other changes\n\n| Notification | Field | Before | After |\n|---|---|---|---|\n{rows}"
    )
}

fn each_change(changed: &[NotificationDiff]) -> impl Iterator<Item = (&NotificationDiff, &Change)> {
    changed
        .iter()
        .flat_map(|n| n.changes.iter().map(move |c| (n, c)))
}

/// Prose fields read as text; paths and keys as code.
fn field_value(field: Field, value: Option<&str>) -> String {
    match (field, value) {
        (_, None) => NONE.to_owned(),
        (Field::Label | Field::Description, Some(value)) => text(value),
        (_, Some(value)) => code(value),
    }
}

fn code_list(verb: &str, names: &[String]) -> String {
    if names.is_empty() {
        return String::new();
    }
    let names: Vec<String> = names.iter().map(|n| code(n)).collect();
    format!("{verb} {}", names.join(", "))
}

fn row(cells: &[String]) -> String {
    format!("| {} |\n", cells.join(" | "))
}

fn optional_code(value: Option<&str>) -> String {
    value.map_or(NONE.to_owned(), code)
}

/// Text for a table cell or a heading: Markdown punctuation escaped, raw HTML neutralised,
/// line breaks kept as `<br>` (a newline would end the table row).
pub(crate) fn text(value: &str) -> String {
    if value.is_empty() {
        return NONE.to_owned();
    }
    let mut out = String::with_capacity(value.len());
    for ch in value.chars() {
        match ch {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(ch);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => {}
            '\n' => out.push_str("<br>"),
            _ => out.push(ch),
        }
    }
    out
}

/// A code span for a table cell: as `inline_code`, with `|` escaped (GitHub removes the backslash
/// inside code spans in tables, so the pipe shows and the row holds).
pub(crate) fn code(value: &str) -> String {
    if value.is_empty() {
        return NONE.to_owned();
    }
    span(&value.replace(['\r', '\n'], " ").replace('|', "\\|"))
}

/// A code span outside tables: newlines become spaces, so a heading or a line stays one line.
pub(crate) fn inline_code(value: &str) -> String {
    if value.is_empty() {
        return NONE.to_owned();
    }
    span(&value.replace(['\r', '\n'], " "))
}

/// A code span that survives any content: the fence is one backtick longer than the longest run
/// inside.
fn span(content: &str) -> String {
    let fence = "`".repeat(longest_backtick_run(content) + 1);
    // A space on each side keeps a leading or trailing backtick from joining the fence.
    let pad = if content.starts_with('`') || content.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{content}{pad}{fence}")
}

/// A fenced block for a whole message, or `_none_` when there is no copy on that side.
pub(crate) fn block(value: Option<&str>) -> String {
    let Some(value) = value else {
        return format!("{NONE}\n");
    };
    let fence = "`".repeat((longest_backtick_run(value) + 1).max(3));
    let newline = if value.ends_with('\n') { "" } else { "\n" };
    format!("{fence}text\n{value}{newline}{fence}\n")
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}
