//! The text of a file that findings point into: turns byte offsets into 1-based line and column
//! (in characters), and maps a position inside a TOML string value's decoded text back to where it
//! is written in the file, through escapes, quotes and multi-line strings.

use std::ops::Range;

use crate::findings::Location;
use crate::placeholders::{line_starts, offset_of, position_of};

/// A file's text with its line index.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub display: String,
    pub text: String,
    lines: Vec<usize>,
}

impl SourceText {
    pub fn new(display: impl Into<String>, text: impl Into<String>) -> SourceText {
        let text = text.into();
        SourceText {
            display: display.into(),
            lines: line_starts(&text),
            text,
        }
    }

    pub fn position(&self, offset: usize) -> (usize, usize) {
        position_of(&self.text, &self.lines, offset.min(self.text.len()))
    }

    pub fn location(&self, offset: usize) -> Location {
        let (line, column) = self.position(offset);
        Location::at(self.display.clone(), line, column)
    }

    pub fn location_of_span(&self, span: &Range<usize>) -> Location {
        self.location(span.start)
    }

    /// Where a (line, column) of a string value's decoded content is written in this file.
    /// `span` is the value's span, quotes included; `decoded` its decoded content.
    pub fn location_in_string(
        &self,
        span: &Range<usize>,
        decoded: &str,
        line: usize,
        column: usize,
    ) -> Location {
        let Some(raw) = self.text.get(span.clone()) else {
            return self.location(span.start);
        };
        let lines = line_starts(decoded);
        let Some(decoded_offset) = offset_of(decoded, &lines, line, column) else {
            return self.location(span.start);
        };
        let raw_offset = raw_offset_of(raw, decoded_offset).unwrap_or(0);
        self.location(span.start + raw_offset)
    }
}

/// The offset in a raw TOML string literal (quotes included) of a byte offset of its decoded value.
pub fn raw_offset_of(raw: &str, decoded_offset: usize) -> Option<usize> {
    let (delimiter, multiline) = if raw.starts_with("\"\"\"") {
        ("\"\"\"", true)
    } else if raw.starts_with("'''") {
        ("'''", true)
    } else if raw.starts_with('"') {
        ("\"", false)
    } else if raw.starts_with('\'') {
        ("'", false)
    } else {
        return None;
    };
    let basic = delimiter.starts_with('"');
    let mut pos = delimiter.len();
    // A newline right after the opening delimiter of a multi-line string is not part of the value.
    if multiline {
        if raw[pos..].starts_with("\r\n") {
            pos += 2;
        } else if raw[pos..].starts_with('\n') {
            pos += 1;
        }
    }
    let body_end = raw.len().saturating_sub(delimiter.len());
    let mut decoded = 0usize;
    while pos < body_end {
        if decoded >= decoded_offset {
            return Some(pos);
        }
        let rest = &raw[pos..];
        let ch = rest.chars().next()?;
        if basic && ch == '\\' {
            let (raw_len, produced) = escape(rest, multiline)?;
            pos += raw_len;
            decoded += produced;
        } else {
            pos += ch.len_utf8();
            decoded += ch.len_utf8();
        }
    }
    (decoded >= decoded_offset).then_some(pos)
}

/// The raw length of an escape sequence and the byte length of what it decodes to.
fn escape(rest: &str, multiline: bool) -> Option<(usize, usize)> {
    let mut chars = rest.chars();
    chars.next();
    let kind = chars.next()?;
    let hex = |digits: usize| -> Option<(usize, usize)> {
        let code = u32::from_str_radix(rest.get(2..2 + digits)?, 16).ok()?;
        Some((2 + digits, char::from_u32(code)?.len_utf8()))
    };
    match kind {
        'b' | 't' | 'n' | 'f' | 'r' | '"' | '\\' | 'e' => Some((2, 1)),
        'x' => hex(2),
        'u' => hex(4),
        'U' => hex(8),
        ' ' | '\t' | '\r' | '\n' if multiline => {
            // A line-ending backslash swallows the newline and the whitespace that follows.
            let skipped = rest[1..]
                .char_indices()
                .find(|(_, c)| !c.is_whitespace())
                .map_or(rest.len() - 1, |(i, _)| i);
            Some((1 + skipped, 0))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_strings_skip_the_quote_and_escapes() {
        let raw = r#""a\"b{{x}}""#;
        let decoded = "a\"b{{x}}";
        let at = decoded.find("{{").unwrap();
        assert_eq!(&raw[raw_offset_of(raw, at).unwrap()..][..2], "{{");
    }

    #[test]
    fn unicode_escapes_and_literals() {
        let raw = r#""caf\u00e9 {{x}}""#;
        let decoded = "café {{x}}";
        let at = decoded.find("{{").unwrap();
        assert_eq!(&raw[raw_offset_of(raw, at).unwrap()..][..2], "{{");
        let literal = "'C:\\path {{x}}'";
        assert_eq!(raw_offset_of(literal, 9), Some(10));
    }

    #[test]
    fn multiline_strings_drop_the_first_newline_and_line_continuations() {
        let raw = "\"\"\"\nab \\\n    cd{{x}}\"\"\"";
        let decoded = "ab cd{{x}}";
        let at = decoded.find("{{").unwrap();
        assert_eq!(&raw[raw_offset_of(raw, at).unwrap()..][..2], "{{");
    }

    #[test]
    fn location_in_string_reports_file_line_and_column() {
        let text = "x = 1\nsms.en = \"Hi {{name}}\"\n";
        let source = SourceText::new("n.toml", text);
        let start = text.find('"').unwrap();
        let span = start..text.rfind('"').unwrap() + 1;
        let loc = source.location_in_string(&span, "Hi {{name}}", 1, 4);
        assert_eq!((loc.line, loc.column), (Some(2), Some(14)));
    }
}
