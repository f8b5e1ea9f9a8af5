//! The worst case of an SMS: its parts when every variable that has a `max_length` in the sample
//! data holds a value that long. The longer value is the sample value repeated and cut at
//! `max_length` characters, so it keeps the sample's alphabet and cost per character: a name
//! written with `ê` stays UCS-2 at full length, one with `€` keeps paying 2 units a euro. A sample
//! value already longer than `max_length` is kept as it is (the sample is a real case too), and a
//! variable with a `max_length` but no sample value is filled with `x`.

use std::collections::BTreeMap;

use crate::render::{Compiled, Escape, RenderError, Values};
use crate::sms;

/// Parts of the message with its variables at their maximum length, or `None` when none of the
/// variables it reads has a `max_length`. Variables without a value render blank here, so the
/// figure stays a lower bound of the worst case when the sample is incomplete.
pub fn worst_case_parts(
    compiled: &Compiled,
    values: &dyn Values,
    max_length: &BTreeMap<String, usize>,
) -> Result<Option<usize>, RenderError> {
    let mut stretched: BTreeMap<&str, String> = BTreeMap::new();
    for placeholder in &compiled.uses().placeholders {
        let name = placeholder.name.as_str();
        if let Some(&length) = max_length.get(name) {
            stretched
                .entry(name)
                .or_insert_with(|| stretch(values.value(name), length));
        }
    }
    if stretched.is_empty() {
        return Ok(None);
    }
    let longest = Stretched {
        base: values,
        stretched: &stretched,
    };
    let text = compiled.render_with_blanks(&longest, Escape::None)?;
    Ok(Some(sms::analyse(&text).parts))
}

/// A value `length` characters long made of `sample` repeated (see the module's note).
pub fn stretch(sample: Option<&str>, length: usize) -> String {
    let seed = sample.filter(|s| !s.is_empty()).unwrap_or("x");
    if seed.chars().count() >= length {
        return seed.to_owned();
    }
    seed.chars().cycle().take(length).collect()
}

/// Sample values with some replaced by their longest form.
struct Stretched<'a> {
    base: &'a dyn Values,
    stretched: &'a BTreeMap<&'a str, String>,
}

impl Values for Stretched<'_> {
    fn value(&self, name: &str) -> Option<&str> {
        match self.stretched.get(name) {
            Some(long) => Some(long),
            None => self.base.value(name),
        }
    }

    fn to_map(&self) -> BTreeMap<String, String> {
        let mut map = self.base.to_map();
        map.extend(
            self.stretched
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone())),
        );
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn limits(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn stretch_repeats_the_sample_up_to_the_length() {
        assert_eq!(stretch(Some("Ana"), 8), "AnaAnaAn");
        assert_eq!(stretch(Some("Chipo Banda"), 5), "Chipo Banda");
        assert_eq!(stretch(None, 3), "xxx");
        assert_eq!(stretch(Some(""), 2), "xx");
        assert_eq!(stretch(Some("Jérôme"), 9).chars().count(), 9);
    }

    #[test]
    fn worst_case_counts_parts_at_maximum_length() {
        // 100 fixed characters plus a 60-character name: 160, one part; 61 would need two.
        let compiled = Compiled::parse(&format!("{}{{{{name}}}}", "a".repeat(100))).unwrap();
        let v = values(&[("name", "Mwila")]);
        assert_eq!(
            worst_case_parts(&compiled, &v, &limits(&[("name", 60)])),
            Ok(Some(1))
        );
        assert_eq!(
            worst_case_parts(&compiled, &v, &limits(&[("name", 61)])),
            Ok(Some(2))
        );
    }

    #[test]
    fn worst_case_keeps_the_sample_alphabet() {
        // A name with ô keeps the message in UCS-2 at full length: 10 + 60 = 70 units is one
        // part, but 10 + 61 needs two.
        let compiled = Compiled::parse("Bonjour à {{name}}").unwrap();
        let v = values(&[("name", "Jérôme")]);
        assert_eq!(
            worst_case_parts(&compiled, &v, &limits(&[("name", 61)])),
            Ok(Some(2))
        );
        assert_eq!(
            worst_case_parts(&compiled, &v, &limits(&[("name", 60)])),
            Ok(Some(1))
        );
    }

    #[test]
    fn no_worst_case_without_a_max_length_for_the_message_variables() {
        let compiled = Compiled::parse("Code {{authCode}}").unwrap();
        let v = values(&[("authCode", "123456")]);
        assert_eq!(
            worst_case_parts(&compiled, &v, &limits(&[("name", 60)])),
            Ok(None)
        );
    }
}
