//! Phone numbers: turning what people type into the E.164 form gateways expect, and masking a
//! number before it is shown, because a recipient's number is personal data.
//!
//! Parsing and validation rely on the `phonenumber` crate (libphonenumber's metadata), so a number
//! is accepted only when its length and prefixes fit the numbering plan of its country.

use std::str::FromStr;

use phonenumber::ParseError;
use phonenumber::country::Id as Region;

/// Why a phone number could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("the phone number is empty: write it with its country code, like +260971234567")]
    Empty,

    #[error(
        "default region {region:?} is not a known two-letter country code; \
         use an ISO 3166-1 code such as ZM, KE or BD in settings.default_region"
    )]
    UnknownRegion { region: String },

    #[error(
        "{input:?} has no country code: write it with its country code, like +260971234567, \
         or set settings.default_region"
    )]
    NoCountryCode { input: String },

    #[error("{input:?} is not a phone number ({why}); check the digits")]
    Unparseable { input: String, why: String },

    #[error("{input:?} has an extension; an SMS can only go to the number itself, so remove it")]
    HasExtension { input: String },

    #[error(
        "{input:?} is not a valid number in the numbering plan of country code +{country_code}; \
         check the digits and the country code"
    )]
    Invalid { input: String, country_code: u16 },
}

/// Parses `input` and returns it in E.164 form (`+260971234567`).
///
/// `default_region` (like `"ZM"`) is used for numbers written without `+` and a country code.
pub fn normalise(input: &str, default_region: Option<&str>) -> Result<String, PhoneError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(PhoneError::Empty);
    }
    let region = default_region.map(parse_region).transpose()?;
    let number = phonenumber::parse(region, trimmed).map_err(|err| match err {
        // Without a region the parser can only fail this way on a national number.
        ParseError::InvalidCountryCode if region.is_none() => PhoneError::NoCountryCode {
            input: trimmed.to_owned(),
        },
        other => PhoneError::Unparseable {
            input: trimmed.to_owned(),
            why: other.to_string(),
        },
    })?;
    if number.extension().is_some() {
        return Err(PhoneError::HasExtension {
            input: trimmed.to_owned(),
        });
    }
    if !phonenumber::is_valid(&number) {
        return Err(PhoneError::Invalid {
            input: trimmed.to_owned(),
            country_code: number.code().value(),
        });
    }
    Ok(number.format().mode(phonenumber::Mode::E164).to_string())
}

fn parse_region(region: &str) -> Result<Region, PhoneError> {
    let code = region.trim().to_ascii_uppercase();
    Region::from_str(&code).map_err(|_| PhoneError::UnknownRegion {
        region: region.to_owned(),
    })
}

/// Hides all but the first three and the last two digits: `+260971234567` → `+260*******67`.
///
/// A number too short to keep five digits visible is masked completely, since showing five of
/// its digits would show nearly all of it.
pub fn mask(e164: &str) -> String {
    const VISIBLE_HEAD: usize = 3;
    const VISIBLE_TAIL: usize = 2;
    let digits = e164.chars().filter(char::is_ascii_digit).count();
    let shows_some = digits > VISIBLE_HEAD + VISIBLE_TAIL;
    let mut seen = 0;
    e164.chars()
        .map(|c| {
            if !c.is_ascii_digit() {
                return c;
            }
            let index = seen;
            seen += 1;
            let visible = shows_some && (index < VISIBLE_HEAD || index >= digits - VISIBLE_TAIL);
            if visible { c } else { '*' }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_an_international_number() {
        assert_eq!(normalise("+260971234567", None).unwrap(), "+260971234567");
    }

    #[test]
    fn strips_spaces_dashes_and_brackets() {
        assert_eq!(
            normalise(" +260 (97) 123-4567 ", None).unwrap(),
            "+260971234567"
        );
    }

    #[test]
    fn uses_the_default_region_for_national_numbers() {
        assert_eq!(
            normalise("0971234567", Some("ZM")).unwrap(),
            "+260971234567"
        );
        assert_eq!(
            normalise("0971234567", Some("zm")).unwrap(),
            "+260971234567"
        );
    }

    #[test]
    fn an_explicit_country_code_wins_over_the_default_region() {
        assert_eq!(
            normalise("+254712345678", Some("ZM")).unwrap(),
            "+254712345678"
        );
    }

    #[test]
    fn accepts_the_international_00_prefix_with_a_region() {
        assert_eq!(
            normalise("00260971234567", Some("ZM")).unwrap(),
            "+260971234567"
        );
    }

    #[test]
    fn a_national_number_without_region_asks_for_the_country_code() {
        let err = normalise("0971234567", None).unwrap_err();
        assert!(matches!(err, PhoneError::NoCountryCode { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains("+260"), "{message}");
        assert!(message.contains("settings.default_region"), "{message}");
    }

    #[test]
    fn rejects_an_unknown_region() {
        let err = normalise("0971234567", Some("XX")).unwrap_err();
        assert_eq!(
            err,
            PhoneError::UnknownRegion {
                region: "XX".into()
            }
        );
    }

    #[test]
    fn rejects_a_number_that_is_too_short() {
        let err = normalise("+2609712", None).unwrap_err();
        assert!(matches!(err, PhoneError::Invalid { .. }), "{err:?}");
        assert!(err.to_string().contains("+260"), "{err}");
    }

    #[test]
    fn rejects_text() {
        let err = normalise("call me", None).unwrap_err();
        assert!(matches!(err, PhoneError::Unparseable { .. }), "{err:?}");
    }

    #[test]
    fn rejects_an_extension() {
        let err = normalise("+260 97 123 4567 ext. 12", None).unwrap_err();
        assert!(matches!(err, PhoneError::HasExtension { .. }), "{err:?}");
    }

    #[test]
    fn rejects_empty_input() {
        assert_eq!(normalise("   ", Some("ZM")).unwrap_err(), PhoneError::Empty);
    }

    #[test]
    fn masks_all_but_the_first_three_and_last_two_digits() {
        assert_eq!(mask("+260971234567"), "+260*******67");
        assert_eq!(mask("+14155550101"), "+141******01");
    }

    #[test]
    fn masks_a_very_short_number_completely() {
        assert_eq!(mask("+12345"), "+*****");
        assert_eq!(mask(""), "");
    }
}
