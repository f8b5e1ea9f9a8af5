//! Renaming placeholders inside a Handlebars text at the places its parsed syntax tree says they
//! are read. A text search would also rename the word in prose ("your password") or inside a longer
//! name (`{{passwordHint}}`); the tree only names real reads, in plain tags, block conditions and
//! helper arguments alike.

use std::collections::BTreeMap;

use crate::placeholders::{self, Placeholder, SyntaxError, line_starts, offset_of};

/// One placeholder renamed, where it was read (1-based line and column of its tag or argument).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    pub from: String,
    pub to: String,
    pub line: usize,
    pub column: usize,
}

/// Renames every placeholder `target` gives a new name for; returns the new text and the renames.
pub fn rename<'n>(
    text: &str,
    target: impl Fn(&str) -> Option<&'n str>,
) -> Result<(String, Vec<Renamed>), SyntaxError> {
    let found = placeholders::extract(text)?;
    let lines = line_starts(text);
    let mut edits: BTreeMap<usize, (usize, &str)> = BTreeMap::new();
    let mut renamed = Vec::new();
    for placeholder in &found.placeholders {
        let Some(to) = target(&placeholder.name) else {
            continue;
        };
        let Some(offset) = name_offset(text, &lines, placeholder) else {
            continue;
        };
        if edits.insert(offset, (placeholder.name.len(), to)).is_none() {
            renamed.push(Renamed {
                from: placeholder.name.clone(),
                to: to.to_owned(),
                line: placeholder.line,
                column: placeholder.column,
            });
        }
    }
    let mut result = text.to_owned();
    for (offset, (length, to)) in edits.into_iter().rev() {
        result.replace_range(offset..offset + length, to);
    }
    Ok((result, renamed))
}

/// The byte offset of the placeholder's name: at its position for an argument, or the first
/// read of the name inside the tag that starts at its position.
fn name_offset(text: &str, lines: &[usize], placeholder: &Placeholder) -> Option<usize> {
    let start = offset_of(text, lines, placeholder.line, placeholder.column)?;
    let rest = &text[start..];
    let end = rest.find("}}").map_or(rest.len(), |e| e + 2);
    let tag = &rest[..end];
    let name = placeholder.name.as_str();
    let mut from = 0;
    while let Some(found) = tag[from..].find(name) {
        let at = from + found;
        if reads_name_at(tag, at, name.len()) {
            return Some(start + at);
        }
        from = at + name.len();
    }
    None
}

/// Whether `tag[at..at + length]` is a whole path segment that starts a variable's path.
fn reads_name_at(tag: &str, at: usize, length: usize) -> bool {
    let before = &tag[..at];
    let after = tag[at + length..].chars().next();
    let ends_name = after.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
    let context_prefix = ["../", "./", "this.", "this/", "@root."]
        .iter()
        .any(|p| before.ends_with(p));
    let starts_name = before
        .chars()
        .next_back()
        .is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '_' | '@' | '.' | '/' | '-')));
    ends_name && (starts_name || context_prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_1_9(name: &str) -> Option<&'static str> {
        match name {
            "authCode" => Some("code"),
            "password" => Some("temporaryPassword"),
            _ => None,
        }
    }

    #[test]
    fn renames_reads_and_leaves_prose_alone() {
        let (text, renamed) = rename(
            "Your password: {{password}}. Code {{ authCode }}, hint {{passwordHint}}",
            to_1_9,
        )
        .unwrap();
        assert_eq!(
            text,
            "Your password: {{temporaryPassword}}. Code {{ code }}, hint {{passwordHint}}"
        );
        assert_eq!(
            renamed,
            [
                Renamed {
                    from: "password".into(),
                    to: "temporaryPassword".into(),
                    line: 1,
                    column: 16
                },
                Renamed {
                    from: "authCode".into(),
                    to: "code".into(),
                    line: 1,
                    column: 35
                }
            ]
        );
    }

    #[test]
    fn renames_in_conditions_helpers_and_across_lines() {
        let source = "<p>\n{{#if authCode}}é {{{authCode}}}{{else}}{{lookup password}}{{/if}}\n{{@root.authCode}}</p>";
        let (text, renamed) = rename(source, to_1_9).unwrap();
        assert_eq!(
            text,
            "<p>\n{{#if code}}é {{{code}}}{{else}}{{lookup temporaryPassword}}{{/if}}\n{{@root.code}}</p>"
        );
        assert_eq!(renamed.len(), 4);
        assert_eq!((renamed[0].line, renamed[0].column), (2, 7));
    }

    #[test]
    fn a_text_that_does_not_parse_is_an_error() {
        assert!(rename("{{authCode}", to_1_9).is_err());
    }

    #[test]
    fn nothing_to_rename_returns_the_text_unchanged() {
        let (text, renamed) = rename("Hello {{firstNames}}", to_1_9).unwrap();
        assert_eq!(text, "Hello {{firstNames}}");
        assert!(renamed.is_empty());
    }
}
