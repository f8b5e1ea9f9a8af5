//! SMS encoding and segmentation (3GPP TS 23.038): decides whether a message goes out in GSM-7 or
//! UCS-2, how many units it costs and how many parts it is split into, because every part is billed
//! and one stray character (a curly apostrophe, an en dash) can more than double the count. The text
//! is analysed as it would be sent, after NFC normalisation. Pure: no I/O, no printing.

use std::fmt;

use serde::Serialize;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Which alphabet a message is sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Encoding {
    #[serde(rename = "GSM-7")]
    Gsm7,
    #[serde(rename = "UCS-2")]
    Ucs2,
}

impl Encoding {
    /// Units a message may hold and still be sent as one part.
    pub const fn single_part_units(self) -> usize {
        match self {
            Encoding::Gsm7 => 160,
            Encoding::Ucs2 => 70,
        }
    }

    /// Units each part of a split message holds: fewer than a single part, because every part
    /// carries a concatenation header.
    pub const fn multi_part_units(self) -> usize {
        match self {
            Encoding::Gsm7 => 153,
            Encoding::Ucs2 => 67,
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Gsm7 => "GSM-7",
            Encoding::Ucs2 => "UCS-2",
        })
    }
}

/// A character that forces UCS-2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NonGsmChar {
    #[serde(rename = "char")]
    pub ch: char,
    /// Position in chars (not bytes) of the NFC-normalised text, so it points at what is sent.
    pub index: usize,
}

/// How a message would be sent and billed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SmsAnalysis {
    /// The NFC-normalised text that would be sent.
    pub text: String,
    pub encoding: Encoding,
    /// GSM-7 septets (extension characters count 2) or UCS-2 code units (non-BMP characters count 2).
    pub units: usize,
    /// 0 for empty text.
    pub parts: usize,
    /// Units still free in the last part before another part is needed.
    pub remaining_in_part: usize,
    /// Every character that forces UCS-2, in order.
    pub non_gsm: Vec<NonGsmChar>,
}

/// Analyses `text` as an SMS gateway would send it.
pub fn analyse(text: &str) -> SmsAnalysis {
    let text = normalise(text);

    let mut gsm7 = 0;
    let mut ucs2 = 0;
    let mut non_gsm = Vec::new();
    for (index, ch) in text.chars().enumerate() {
        ucs2 += ch.len_utf16();
        match gsm7_units(ch) {
            Some(units) => gsm7 += units,
            None => non_gsm.push(NonGsmChar { ch, index }),
        }
    }

    let (encoding, units) = if non_gsm.is_empty() {
        (Encoding::Gsm7, gsm7)
    } else {
        (Encoding::Ucs2, ucs2)
    };
    // Every char is known to be representable here, so filter_map drops nothing for GSM-7.
    let (parts, remaining_in_part) = match encoding {
        Encoding::Gsm7 => segment(encoding, units, text.chars().filter_map(gsm7_units)),
        Encoding::Ucs2 => segment(encoding, units, text.chars().map(char::len_utf16)),
    };

    SmsAnalysis {
        text,
        encoding,
        units,
        parts,
        remaining_in_part,
        non_gsm,
    }
}

/// Units a char costs in GSM-7: `Some(1)` basic table, `Some(2)` extension table (escape + char),
/// `None` not representable.
pub fn gsm7_units(c: char) -> Option<usize> {
    match c {
        '@'
        | '£'
        | '$'
        | '¥'
        | 'è'
        | 'é'
        | 'ù'
        | 'ì'
        | 'ò'
        | 'Ç'
        | '\n'
        | 'Ø'
        | 'ø'
        | '\r'
        | 'Å'
        | 'å'
        | 'Δ'
        | '_'
        | 'Φ'
        | 'Γ'
        | 'Λ'
        | 'Ω'
        | 'Π'
        | 'Ψ'
        | 'Σ'
        | 'Θ'
        | 'Ξ'
        | 'Æ'
        | 'æ'
        | 'ß'
        | 'É'
        | ' '
        | '!'
        | '"'
        | '#'
        | '¤'
        | '%'
        | '&'
        | '\''
        | '('
        | ')'
        | '*'
        | '+'
        | ','
        | '-'
        | '.'
        | '/'
        | '0'..='9'
        | ':'
        | ';'
        | '<'
        | '='
        | '>'
        | '?'
        | '¡'
        | 'A'..='Z'
        | 'Ä'
        | 'Ö'
        | 'Ñ'
        | 'Ü'
        | '§'
        | '¿'
        | 'a'..='z'
        | 'ä'
        | 'ö'
        | 'ñ'
        | 'ü'
        | 'à' => Some(1),
        '\u{000C}' | '^' | '{' | '}' | '\\' | '[' | '~' | ']' | '|' | '€' => Some(2),
        _ => None,
    }
}

fn normalise(text: &str) -> String {
    // Most copy is already NFC; the quick check lets it through with one copy instead of being
    // decomposed and recomposed char by char.
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        text.to_owned()
    } else {
        text.nfc().collect()
    }
}

/// Returns `(parts, remaining_in_part)` for a message of `units` whose chars cost `costs`.
///
/// Split messages are packed char by char rather than divided, because an escape pair or a
/// surrogate pair may not straddle two parts: when it does not fit, the unit left is wasted.
fn segment(encoding: Encoding, units: usize, costs: impl Iterator<Item = usize>) -> (usize, usize) {
    let single = encoding.single_part_units();
    if units == 0 {
        return (0, single);
    }
    if units <= single {
        return (1, single - units);
    }

    let capacity = encoding.multi_part_units();
    let mut parts = 1;
    let mut used = 0;
    for cost in costs {
        if used + cost > capacity {
            parts += 1;
            used = 0;
        }
        used += cost;
    }
    (parts, capacity - used)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The GSM-7 basic table in code-point order, without the escape at 0x1B.
    const BASIC_TABLE: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
                               ¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    const EXTENSION_TABLE: &str = "\u{000C}^{}\\[~]|€";

    fn analyse_repeated(s: &str, n: usize) -> SmsAnalysis {
        analyse(&s.repeat(n))
    }

    #[test]
    fn basic_table_costs_one_unit_each() {
        assert_eq!(BASIC_TABLE.chars().count(), 127);
        for c in BASIC_TABLE.chars() {
            assert_eq!(gsm7_units(c), Some(1), "{c:?}");
        }
    }

    #[test]
    fn extension_table_costs_two_units_each() {
        assert_eq!(EXTENSION_TABLE.chars().count(), 10);
        for c in EXTENSION_TABLE.chars() {
            assert_eq!(gsm7_units(c), Some(2), "{c:?}");
        }
    }

    #[test]
    fn nothing_outside_the_two_tables_is_gsm7() {
        let mut basic = 0;
        let mut extension = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            match gsm7_units(c) {
                Some(1) => basic += 1,
                Some(2) => extension += 1,
                Some(other) => panic!("{c:?} costs {other}"),
                None => {}
            }
        }
        assert_eq!((basic, extension), (127, 10));
    }

    #[test]
    fn dollar_and_currency_sign_are_basic_but_backtick_is_not_gsm7() {
        assert_eq!(gsm7_units('$'), Some(1));
        assert_eq!(gsm7_units('¤'), Some(1));
        assert_eq!(gsm7_units('`'), None);
    }

    #[test]
    fn empty_text_has_no_parts() {
        let a = analyse("");
        assert_eq!(a.encoding, Encoding::Gsm7);
        assert_eq!((a.units, a.parts, a.remaining_in_part), (0, 0, 160));
        assert!(a.non_gsm.is_empty());
    }

    #[test]
    fn gsm7_single_part_limit_is_160() {
        let a = analyse_repeated("a", 160);
        assert_eq!(a.encoding, Encoding::Gsm7);
        assert_eq!((a.units, a.parts, a.remaining_in_part), (160, 1, 0));

        let a = analyse_repeated("a", 161);
        assert_eq!((a.units, a.parts, a.remaining_in_part), (161, 2, 145));
    }

    #[test]
    fn gsm7_split_parts_hold_153() {
        let a = analyse_repeated("a", 306);
        assert_eq!((a.units, a.parts, a.remaining_in_part), (306, 2, 0));

        let a = analyse_repeated("a", 307);
        assert_eq!((a.units, a.parts, a.remaining_in_part), (307, 3, 152));
    }

    #[test]
    fn ucs2_single_part_limit_is_70() {
        let a = analyse_repeated("中", 70);
        assert_eq!(a.encoding, Encoding::Ucs2);
        assert_eq!((a.units, a.parts, a.remaining_in_part), (70, 1, 0));

        let a = analyse_repeated("中", 71);
        assert_eq!((a.units, a.parts, a.remaining_in_part), (71, 2, 63));
    }

    #[test]
    fn ucs2_split_parts_hold_67() {
        let a = analyse_repeated("中", 134);
        assert_eq!((a.units, a.parts, a.remaining_in_part), (134, 2, 0));

        let a = analyse_repeated("中", 135);
        assert_eq!((a.units, a.parts, a.remaining_in_part), (135, 3, 66));
    }

    #[test]
    fn escape_pairs_are_not_split_across_parts() {
        // 306 units would fit two parts by division, but each part holds only 76 pairs.
        let a = analyse_repeated("]", 153);
        assert_eq!(a.encoding, Encoding::Gsm7);
        assert_eq!((a.units, a.parts, a.remaining_in_part), (306, 3, 151));
    }

    #[test]
    fn escape_pair_at_a_part_boundary_starts_the_next_part() {
        let text = format!("{}€{}", "a".repeat(152), "a".repeat(7));
        let a = analyse(&text);
        assert_eq!((a.units, a.parts, a.remaining_in_part), (161, 2, 144));
    }

    #[test]
    fn euro_sign_costs_two_units() {
        let a = analyse("€");
        assert_eq!(a.encoding, Encoding::Gsm7);
        assert_eq!((a.units, a.parts, a.remaining_in_part), (2, 1, 158));

        let a = analyse(&format!("{}€", "a".repeat(158)));
        assert_eq!((a.units, a.parts, a.remaining_in_part), (160, 1, 0));

        let a = analyse(&format!("{}€", "a".repeat(159)));
        assert_eq!((a.units, a.parts), (161, 2));
    }

    #[test]
    fn cr_lf_costs_two_units() {
        let a = analyse("\r\n");
        assert_eq!(a.encoding, Encoding::Gsm7);
        assert_eq!((a.units, a.parts, a.remaining_in_part), (2, 1, 158));
    }

    #[test]
    fn precomposed_e_acute_stays_gsm7() {
        let a = analyse_repeated("é", 70);
        assert_eq!(a.encoding, Encoding::Gsm7);
        assert_eq!((a.units, a.parts, a.remaining_in_part), (70, 1, 90));
    }

    #[test]
    fn decomposed_e_acute_is_normalised_and_stays_gsm7() {
        let a = analyse("Rene\u{0301}");
        assert_eq!(a.text, "René");
        assert_eq!(a.encoding, Encoding::Gsm7);
        assert_eq!((a.units, a.parts, a.remaining_in_part), (4, 1, 156));
        assert!(a.non_gsm.is_empty());
    }

    #[test]
    fn normalisation_maps_lookalikes_onto_the_table() {
        // ANGSTROM SIGN and OHM SIGN are canonically the letters in the table.
        let a = analyse("\u{212B}\u{2126}");
        assert_eq!(a.text, "ÅΩ");
        assert_eq!(a.encoding, Encoding::Gsm7);
    }

    #[test]
    fn curly_apostrophe_forces_ucs2_and_is_reported() {
        let a = analyse("It’s ready");
        assert_eq!(a.encoding, Encoding::Ucs2);
        assert_eq!((a.units, a.parts, a.remaining_in_part), (10, 1, 60));
        assert_eq!(
            a.non_gsm,
            vec![NonGsmChar {
                ch: '’', index: 2
            }]
        );
    }

    #[test]
    fn each_of_these_forces_ucs2() {
        for c in ['ê', 'ç', '–', '\u{00A0}', '`', '…', '“', 'œ'] {
            let text = format!("ab{c}");
            let a = analyse(&text);
            assert_eq!(a.encoding, Encoding::Ucs2, "{c:?}");
            assert_eq!(a.non_gsm, vec![NonGsmChar { ch: c, index: 2 }], "{c:?}");
        }
    }

    #[test]
    fn capital_c_cedilla_is_gsm7_but_small_is_not() {
        assert_eq!(analyse("Ç").encoding, Encoding::Gsm7);
        assert_eq!(analyse("ç").encoding, Encoding::Ucs2);
        // Decomposed, it is still ç after NFC.
        assert_eq!(
            analyse("c\u{0327}").non_gsm,
            vec![NonGsmChar { ch: 'ç', index: 0 }]
        );
    }

    #[test]
    fn ucs2_counts_every_char_as_a_code_unit_including_gsm7_ones() {
        // Once in UCS-2, extension chars no longer cost an escape.
        let a = analyse("€[ç");
        assert_eq!(a.encoding, Encoding::Ucs2);
        assert_eq!((a.units, a.parts, a.remaining_in_part), (3, 1, 67));
    }

    #[test]
    fn emoji_costs_two_ucs2_units() {
        let a = analyse("😀");
        assert_eq!(a.encoding, Encoding::Ucs2);
        assert_eq!((a.units, a.parts, a.remaining_in_part), (2, 1, 68));
        assert_eq!(
            a.non_gsm,
            vec![NonGsmChar {
                ch: '😀', index: 0
            }]
        );
    }

    #[test]
    fn surrogate_pair_is_not_split_across_parts() {
        // 134 units would fit two parts by division; the emoji cannot take the 67th unit of the
        // first part, so it opens the second and pushes the last char into a third.
        let text = format!("{}😀{}", "中".repeat(66), "中".repeat(66));
        let a = analyse(&text);
        assert_eq!((a.units, a.parts, a.remaining_in_part), (134, 3, 66));
    }

    #[test]
    fn non_gsm_indexes_count_chars_not_bytes() {
        let a = analyse("é€ñ’ok😀!");
        let found: Vec<(char, usize)> = a.non_gsm.iter().map(|n| (n.ch, n.index)).collect();
        assert_eq!(found, vec![('’', 3), ('😀', 6)]);
    }

    #[test]
    fn non_gsm_indexes_refer_to_the_normalised_text() {
        // The combining accent merges into one char, so the dash sits at index 5, not 6.
        let a = analyse("Rene\u{0301} – ok");
        assert_eq!(
            a.non_gsm,
            vec![NonGsmChar {
                ch: '–', index: 5
            }]
        );
    }

    #[test]
    fn encoding_displays_its_standard_name() {
        assert_eq!(Encoding::Gsm7.to_string(), "GSM-7");
        assert_eq!(Encoding::Ucs2.to_string(), "UCS-2");
    }

    #[test]
    fn analysis_serialises_with_standard_names() {
        let json = serde_json::to_value(analyse("It’s")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "text": "It’s",
                "encoding": "UCS-2",
                "units": 4,
                "parts": 1,
                "remaining_in_part": 66,
                "non_gsm": [{ "char": "’", "index": 2 }],
            })
        );
    }
}
