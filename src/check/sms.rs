//! The rules on what an SMS costs: `sms-encoding` warns where the copy itself holds a character
//! outside GSM-7 (every message is then sent as UCS-2, 70 characters a part instead of 160) and
//! says where each one is written; `sms-length` warns where the message, rendered with the sample
//! data or with every variable at its `max_length`, takes more parts than
//! `settings.max_sms_parts`. Without sample data the copy is measured with its placeholders empty,
//! the least any message can cost.

use std::collections::BTreeMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

use super::Context;
use super::copy::CopyText;
use crate::catalogue::Catalogue;
use crate::findings::{Code, Finding, Location};
use crate::preview::worst_case_parts;
use crate::render::{Compiled, Escape, Values};
use crate::sample::SampleData;
use crate::sms::{self, gsm7_units};

/// How many positions one finding lists before it says how many more there are.
const LISTED_POSITIONS: usize = 8;

/// One SMS text of a notification, parsed, with the way to its positions in the file.
pub(super) struct SmsCopy<'a> {
    pub copy: &'a CopyText<'a>,
    pub compiled: &'a Compiled,
    pub locate: &'a dyn Fn(usize, usize) -> Location,
}

pub(super) fn check_copy(
    catalogue: &Catalogue,
    context: &Context<'_>,
    sms: &SmsCopy<'_>,
    sample: Option<&SampleData>,
    findings: &mut Vec<Finding>,
) {
    let tag = |finding: Finding| {
        finding
            .notification(context.key)
            .channel(sms.copy.kind.channel(), sms.copy.language)
    };
    if let Some(finding) = encoding_finding(sms) {
        findings.push(tag(finding));
    }
    if let Some(finding) = length_finding(catalogue, context, sms, sample) {
        findings.push(tag(finding));
    }
}

/// A character of the copy that forces UCS-2, where it is written (1-based line and column in
/// the copy's text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForcingChar {
    pub ch: char,
    pub line: usize,
    pub column: usize,
}

/// The characters of `text` that are not in GSM-7 once normalised to NFC, as `sms::analyse`
/// judges them, each at the position of the character it comes from. A letter followed by a
/// combining accent is composed first, so `e` + U+0301 is `é` (GSM-7) and nothing is reported.
pub fn forcing_chars(text: &str) -> Vec<ForcingChar> {
    let mut found = Vec::new();
    if text.chars().all(|c| gsm7_units(c).is_some()) {
        return found;
    }
    let (mut line, mut column) = (1, 1);
    let mut chars = text.chars().peekable();
    while let Some(first) = chars.next() {
        let mut cluster = String::from(first);
        while let Some(&next) = chars.peek() {
            if canonical_combining_class(next) == 0 {
                break;
            }
            cluster.push(next);
            chars.next();
        }
        for ch in cluster.nfc() {
            if gsm7_units(ch).is_none() {
                found.push(ForcingChar { ch, line, column });
            }
        }
        for ch in cluster.chars() {
            if ch == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
    }
    found
}

fn encoding_finding(sms: &SmsCopy<'_>) -> Option<Finding> {
    let forcing = forcing_chars(sms.copy.text);
    let first = forcing.first()?;
    let located: Vec<String> = forcing
        .iter()
        .take(LISTED_POSITIONS)
        .map(|f| {
            let at = (sms.locate)(f.line, f.column);
            format!(
                "`{}` (U+{:04X}) at {}:{}:{}",
                f.ch,
                u32::from(f.ch),
                at.file,
                at.line.unwrap_or(f.line),
                at.column.unwrap_or(f.column)
            )
        })
        .collect();
    let mut listing = located.join(", ");
    if forcing.len() > LISTED_POSITIONS {
        listing.push_str(&format!(" and {} more", forcing.len() - LISTED_POSITIONS));
    }
    let mut message = format!(
        "this SMS is sent as UCS-2, 70 characters a part instead of 160, because of {listing}"
    );
    if let Some(advice) = replacements(&forcing) {
        message.push_str("; ");
        message.push_str(&advice);
    }
    Some(Finding::new(
        Code::SmsEncoding,
        (sms.locate)(first.line, first.column),
        message,
    ))
}

/// What to write instead of the characters that have a GSM-7 look-alike.
fn replacements(forcing: &[ForcingChar]) -> Option<String> {
    let mut pairs: Vec<(char, &str)> = forcing
        .iter()
        .filter_map(|f| Some((f.ch, gsm_lookalike(f.ch)?)))
        .collect();
    pairs.sort();
    pairs.dedup();
    if pairs.is_empty() {
        return None;
    }
    let listed: Vec<String> = pairs
        .iter()
        .map(|(ch, instead)| format!("{instead} for {ch}"))
        .collect();
    Some(format!("write {}", listed.join(", ")))
}

fn gsm_lookalike(ch: char) -> Option<&'static str> {
    Some(match ch {
        '‘' | '’' | '‚' | '′' | '`' => "'",
        '“' | '”' | '„' | '″' => "\"",
        '–' | '—' | '‐' | '‑' | '−' => "-",
        '…' => "...",
        '\u{00A0}' | '\u{202F}' | '\u{2009}' => "a space",
        _ => return None,
    })
}

fn length_finding(
    catalogue: &Catalogue,
    context: &Context<'_>,
    sms: &SmsCopy<'_>,
    sample: Option<&SampleData>,
) -> Option<Finding> {
    let limit = catalogue.settings.max_sms_parts() as usize;
    let language = sms.copy.language.unwrap_or_default();
    let none = BTreeMap::new();
    let (sample_parts, worst) = match sample {
        Some(sample) => {
            let values = sample.message_values(context.key, language, &none);
            let parts = parts_of(sms.compiled, &values)?;
            let worst = worst_case_parts(sms.compiled, &values, &sample.max_length).ok()?;
            (parts, worst)
        }
        None => (parts_of(sms.compiled, &none)?, None),
    };
    if sample_parts <= limit && worst.is_none_or(|w| w <= limit) {
        return None;
    }
    let measured = match (sample, worst) {
        (None, _) => {
            format!("even with every placeholder empty this SMS takes {sample_parts} parts")
        }
        (Some(_), Some(worst)) if sample_parts > limit => format!(
            "this SMS takes {sample_parts} parts with the sample values and {worst} with every variable at its max_length"
        ),
        (Some(_), Some(worst)) => format!(
            "this SMS takes {worst} parts with every variable at its max_length ({sample_parts} with the sample values)"
        ),
        (Some(_), None) => format!("this SMS takes {sample_parts} parts with the sample values"),
    };
    let message = format!(
        "{measured}, more than settings.max_sms_parts ({limit}); every part is billed: shorten the copy"
    );
    Some(Finding::new(Code::SmsLength, (sms.locate)(1, 1), message))
}

/// Parts of the message rendered with `values`, missing ones blank.
fn parts_of(compiled: &Compiled, values: &dyn Values) -> Option<usize> {
    let text = compiled.render_with_blanks(values, Escape::None).ok()?;
    Some(sms::analyse(&text).parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(found: &[ForcingChar]) -> Vec<(char, usize, usize)> {
        found.iter().map(|f| (f.ch, f.line, f.column)).collect()
    }

    #[test]
    fn gsm7_copy_forces_nothing() {
        assert!(forcing_chars("Félicitations ! {{name}} à 5 €").is_empty());
        // Decomposed, the accent composes into a GSM-7 letter.
        assert!(forcing_chars("Rene\u{0301}").is_empty());
    }

    #[test]
    fn forcing_chars_are_found_with_their_line_and_column() {
        let found = forcing_chars("It’s ready\nfor {{name}} – now");
        assert_eq!(at(&found), [('’', 1, 3), ('–', 2, 14)]);
    }

    #[test]
    fn a_cluster_that_composes_outside_gsm7_is_reported_at_its_base_letter() {
        // ê is not in GSM-7 whether written precomposed or as e + U+0302.
        let found = forcing_chars("Fe\u{0302}te ê");
        // Columns count characters as written, the combining accent included.
        assert_eq!(at(&found), [('ê', 1, 2), ('ê', 1, 7)]);
    }

    #[test]
    fn look_alikes_are_suggested() {
        let found = forcing_chars("It’s – “ok” 中");
        assert_eq!(
            replacements(&found).as_deref(),
            Some("write - for –, ' for ’, \" for “, \" for ”")
        );
    }
}
