//! `src/translations/notification.csv`, the SMS copy of a country configuration: a header
//! `id,description,<language>...` and one row per message. Reading is strict (a quote out of
//! place, a short row, an empty or repeated id is an error that names the row), because a lenient
//! reader would import a mangled message without a word. Writing quotes a field only when it
//! must (a comma, a quote or a line break in it), as the OpenCRVS files are written, so that a
//! file read and written back is byte for byte the same.

use std::collections::HashMap;
use std::fmt;

use crate::catalogue::is_language_code;

/// The whole file: its languages in column order and its rows in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsTable {
    pub languages: Vec<String>,
    pub rows: Vec<SmsRow>,
}

/// One message: its id, its description and its copy in each language of the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsRow {
    pub id: String,
    pub description: String,
    /// One cell per language of [`SmsTable::languages`], in the same order; may be empty.
    pub copy: Vec<String>,
}

/// Why the file cannot be used, and at which row (the header is row 1) and line it was noticed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("row {row} (line {line}): {problem}")]
pub struct CsvError {
    pub row: usize,
    pub line: usize,
    pub problem: CsvProblem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvProblem {
    Empty,
    Header(String),
    UnclosedQuote,
    QuoteInsideField,
    TextAfterClosingQuote,
    ColumnCount { expected: usize, found: usize },
    EmptyId,
    DuplicateId { id: String, first_row: usize },
}

impl fmt::Display for CsvProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvProblem::Empty => f.write_str("the file is empty; it needs the header `id,description,en` and one row per message"),
            CsvProblem::Header(problem) => f.write_str(problem),
            CsvProblem::UnclosedQuote => f.write_str("a quoted field opened on this row is never closed; add the closing `\"`"),
            CsvProblem::QuoteInsideField => f.write_str("a `\"` inside a field that does not start with one; quote the whole field and double the quote (`\"say \"\"hi\"\"\"`)"),
            CsvProblem::TextAfterClosingQuote => f.write_str("text follows the closing `\"` of a quoted field; a quote inside quotes must be doubled (`\"\"`)"),
            CsvProblem::ColumnCount { expected, found } => write!(f, "{found} columns where the header has {expected}; a comma inside copy needs the field in quotes"),
            CsvProblem::EmptyId => f.write_str("the id is empty; every row needs the notification key in its first column"),
            CsvProblem::DuplicateId { id, first_row } => write!(f, "the id `{id}` is already used on row {first_row}; OpenCRVS would only ever send one of them"),
        }
    }
}

impl SmsTable {
    pub fn row(&self, id: &str) -> Option<&SmsRow> {
        self.rows.iter().find(|r| r.id == id)
    }
}

impl SmsRow {
    /// The row's non-empty copy, paired with its language.
    pub fn texts<'a>(
        &'a self,
        languages: &'a [String],
    ) -> impl Iterator<Item = (&'a str, &'a str)> {
        languages
            .iter()
            .zip(&self.copy)
            .filter(|(_, text)| !text.is_empty())
            .map(|(language, text)| (language.as_str(), text.as_str()))
    }
}

/// A record as read, with where it starts.
struct Record {
    fields: Vec<String>,
    line: usize,
}

/// Parses the text of `notification.csv`.
pub fn parse(text: &str) -> Result<SmsTable, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let records = records(text)?;
    let mut records = records.into_iter().enumerate().map(|(i, r)| (i + 1, r));
    let Some((_, header)) = records.next() else {
        return Err(CsvError {
            row: 1,
            line: 1,
            problem: CsvProblem::Empty,
        });
    };
    let languages = header_languages(&header)?;
    let expected = languages.len() + 2;
    let mut first_rows: HashMap<String, usize> = HashMap::new();
    let mut rows = Vec::new();
    for (row, record) in records {
        let error = |problem| CsvError {
            row,
            line: record.line,
            problem,
        };
        if record.fields.len() != expected {
            return Err(error(CsvProblem::ColumnCount {
                expected,
                found: record.fields.len(),
            }));
        }
        let mut fields = record.fields.into_iter();
        let id = fields.next().unwrap_or_default();
        let description = fields.next().unwrap_or_default();
        if id.trim().is_empty() {
            return Err(error(CsvProblem::EmptyId));
        }
        if let Some(&first_row) = first_rows.get(&id) {
            return Err(error(CsvProblem::DuplicateId { id, first_row }));
        }
        first_rows.insert(id.clone(), row);
        rows.push(SmsRow {
            id,
            description,
            copy: fields.collect(),
        });
    }
    Ok(SmsTable { languages, rows })
}

fn header_languages(header: &Record) -> Result<Vec<String>, CsvError> {
    let error = |problem: String| CsvError {
        row: 1,
        line: header.line,
        problem: CsvProblem::Header(problem),
    };
    let fields = &header.fields;
    if fields.len() < 3 || fields[0] != "id" || fields[1] != "description" {
        return Err(error(format!(
            "the header is `{}`; it must be `id,description` followed by one column per language, like `id,description,en,fr`",
            fields.join(",")
        )));
    }
    let languages = fields[2..].to_vec();
    for (index, language) in languages.iter().enumerate() {
        if !is_language_code(language) {
            return Err(error(format!(
                "column {} is named `{language}`, which is not a language code; name it like `en`, `fr` or `pt-BR`",
                index + 3
            )));
        }
        if languages[..index].contains(language) {
            return Err(error(format!("the language `{language}` has two columns")));
        }
    }
    Ok(languages)
}

/// Splits the text into records of fields (RFC 4180, LF or CRLF line ends); blank lines are skipped.
fn records(text: &str) -> Result<Vec<Record>, CsvError> {
    let mut reader = Reader {
        chars: text.chars().peekable(),
        line: 1,
    };
    let mut records = Vec::new();
    while reader.chars.peek().is_some() {
        let line = reader.line;
        if reader.take_line_end() {
            continue;
        }
        let fields = reader.record().map_err(|problem| CsvError {
            row: records.len() + 1,
            line,
            problem,
        })?;
        records.push(Record { fields, line });
    }
    Ok(records)
}

struct Reader<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
}

impl Reader<'_> {
    /// Consumes a line end if one is next.
    fn take_line_end(&mut self) -> bool {
        match self.chars.peek() {
            Some('\n') => {
                self.chars.next();
                self.line += 1;
                true
            }
            Some('\r') => {
                self.chars.next();
                if self.chars.peek() == Some(&'\n') {
                    self.chars.next();
                }
                self.line += 1;
                true
            }
            _ => false,
        }
    }

    /// Reads the fields of one record, up to and including its line end.
    fn record(&mut self) -> Result<Vec<String>, CsvProblem> {
        let mut fields = Vec::new();
        loop {
            let field = if self.chars.peek() == Some(&'"') {
                self.chars.next();
                self.quoted()?
            } else {
                self.unquoted()?
            };
            fields.push(field);
            match self.chars.peek() {
                Some(',') => {
                    self.chars.next();
                }
                None => return Ok(fields),
                Some(_) => {
                    self.take_line_end();
                    return Ok(fields);
                }
            }
        }
    }

    fn unquoted(&mut self) -> Result<String, CsvProblem> {
        let mut field = String::new();
        while let Some(&c) = self.chars.peek() {
            match c {
                ',' | '\n' | '\r' => break,
                '"' => return Err(CsvProblem::QuoteInsideField),
                _ => {
                    field.push(c);
                    self.chars.next();
                }
            }
        }
        Ok(field)
    }

    fn quoted(&mut self) -> Result<String, CsvProblem> {
        let mut field = String::new();
        loop {
            match self.chars.next() {
                None => return Err(CsvProblem::UnclosedQuote),
                Some('"') => match self.chars.peek() {
                    Some('"') => {
                        self.chars.next();
                        field.push('"');
                    }
                    None | Some(',' | '\n' | '\r') => return Ok(field),
                    Some(_) => return Err(CsvProblem::TextAfterClosingQuote),
                },
                Some(c) => {
                    if c == '\n' {
                        self.line += 1;
                    }
                    field.push(c);
                }
            }
        }
    }
}

/// Writes the table as OpenCRVS keeps it: LF line ends, a final line end, quotes only where needed.
pub fn write(table: &SmsTable) -> String {
    let mut out = String::new();
    let header = ["id", "description"]
        .into_iter()
        .chain(table.languages.iter().map(String::as_str));
    write_record(&mut out, header);
    for row in &table.rows {
        let fields = [row.id.as_str(), row.description.as_str()]
            .into_iter()
            .chain(row.copy.iter().map(String::as_str));
        write_record(&mut out, fields);
    }
    out
}

fn write_record<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (index, field) in fields.enumerate() {
        if index > 0 {
            out.push(',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> (usize, usize, CsvProblem) {
        let err = parse(text).unwrap_err();
        (err.row, err.line, err.problem)
    }

    #[test]
    fn reads_languages_rows_and_quoted_fields() {
        let text = "id,description,en,fr\nk1,First,\"Hello, {{name}}\",\"Dit \"\"oui\"\"\"\nk2,,Two\nlines,\n";
        let err = parse(text).unwrap_err();
        assert_eq!(err.row, 3);
        let text = "id,description,en,fr\nk1,First,\"Hello, {{name}}\",\"Dit \"\"oui\"\"\"\nk2,,\"Two\nlines\",\n";
        let table = parse(text).unwrap();
        assert_eq!(table.languages, ["en", "fr"]);
        assert_eq!(table.rows[0].copy, ["Hello, {{name}}", "Dit \"oui\""]);
        assert_eq!(table.rows[1].copy, ["Two\nlines", ""]);
        assert_eq!(write(&table), text);
    }

    #[test]
    fn crlf_and_a_missing_final_line_end_are_read() {
        let table = parse("id,description,en\r\na,b,c").unwrap();
        assert_eq!(table.rows[0].copy, ["c"]);
        assert_eq!(write(&table), "id,description,en\na,b,c\n");
    }

    #[test]
    fn an_unclosed_quote_names_the_row_where_it_opens() {
        let text = "id,description,en\na,b,c\nd,e,\"never closed\nf,g,h\n";
        assert_eq!(problem(text), (3, 3, CsvProblem::UnclosedQuote));
    }

    #[test]
    fn stray_quotes_are_errors() {
        assert_eq!(
            problem("id,description,en\na,b,say \"hi\"\n"),
            (2, 2, CsvProblem::QuoteInsideField)
        );
        assert_eq!(
            problem("id,description,en\na,b,\"say\" hi\n"),
            (2, 2, CsvProblem::TextAfterClosingQuote)
        );
    }

    #[test]
    fn rows_count_after_multi_line_fields() {
        let text = "id,description,en\na,b,\"one\ntwo\"\nc,d\n";
        assert_eq!(
            problem(text),
            (
                3,
                4,
                CsvProblem::ColumnCount {
                    expected: 3,
                    found: 2
                }
            )
        );
    }

    #[test]
    fn empty_and_duplicate_ids_are_errors() {
        assert_eq!(
            problem("id,description,en\n,b,c\n"),
            (2, 2, CsvProblem::EmptyId)
        );
        assert_eq!(
            problem("id,description,en\na,b,c\nx,y,z\na,b,c\n"),
            (
                4,
                4,
                CsvProblem::DuplicateId {
                    id: "a".into(),
                    first_row: 2
                }
            )
        );
    }

    #[test]
    fn the_header_must_name_languages() {
        assert!(matches!(problem("key,text\n").2, CsvProblem::Header(_)));
        let (_, _, CsvProblem::Header(message)) = problem("id,description,English\n") else {
            panic!("a header problem")
        };
        assert!(message.contains("`English`"), "{message}");
        assert_eq!(problem("").2, CsvProblem::Empty);
    }

    #[test]
    fn quotes_only_where_needed() {
        let table = SmsTable {
            languages: vec!["en".into()],
            rows: vec![SmsRow {
                id: "k".into(),
                description: "plain".into(),
                copy: vec!["a, \"b\"".into()],
            }],
        };
        assert_eq!(
            write(&table),
            "id,description,en\nk,plain,\"a, \"\"b\"\"\"\n"
        );
    }
}
