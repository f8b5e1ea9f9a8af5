//! Did-you-mean suggestions: for a placeholder OpenCRVS never supplies, the variable that was most
//! likely meant; for an unknown notification key, the key most likely meant. Known renames between
//! OpenCRVS releases come first, then a difference of case only, then string similarity.

use std::collections::BTreeSet;

use crate::contract::Contract;

/// How alike two names must be (Jaro-Winkler) before one is offered for the other.
const SIMILAR_ENOUGH: f64 = 0.82;

/// The variable most likely meant by `written`, preferring those the message is supplied.
pub fn suggest_variable(
    written: &str,
    supplied: &BTreeSet<&str>,
    contract: &Contract,
) -> Option<String> {
    let known = contract.known_variables();
    if let Some(target) = contract.renamed(written)
        && (supplied.contains(target) || known.contains(target))
    {
        return Some(target.to_owned());
    }
    let tiers = [
        supplied.iter().copied().collect::<Vec<_>>(),
        known.iter().copied().collect(),
    ];
    for tier in &tiers {
        if let Some(same) = tier.iter().find(|v| v.eq_ignore_ascii_case(written)) {
            return Some((*same).to_owned());
        }
    }
    tiers
        .iter()
        .find_map(|tier| closest(written, tier.iter().copied()))
}

/// The candidate most similar to `written`, when similar enough.
pub fn closest<'c>(written: &str, candidates: impl Iterator<Item = &'c str>) -> Option<String> {
    let lowered = written.to_lowercase();
    candidates
        .map(|c| (strsim::jaro_winkler(&lowered, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= SIMILAR_ENOUGH)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Profile;

    fn suggest(written: &str, supplied: &[&str]) -> Option<String> {
        let contract = Contract::for_profile(Profile::V1_5);
        suggest_variable(written, &supplied.iter().copied().collect(), &contract)
    }

    #[test]
    fn case_slips_are_corrected() {
        assert_eq!(
            suggest("trackingID", &["trackingId"]).as_deref(),
            Some("trackingId")
        );
    }

    #[test]
    fn known_aliases_point_at_the_real_variable() {
        assert_eq!(
            suggest("regOffice", &["crvsOffice"]).as_deref(),
            Some("crvsOffice")
        );
        assert_eq!(suggest("code", &["authCode"]).as_deref(), Some("authCode"));
    }

    #[test]
    fn typos_find_the_nearest_supplied_name() {
        assert_eq!(
            suggest("informantNmae", &["informantName"]).as_deref(),
            Some("informantName")
        );
        assert_eq!(suggest("birdeName", &[]).as_deref(), Some("brideName"));
    }

    #[test]
    fn nothing_is_offered_for_unrelated_names() {
        assert_eq!(suggest("weather", &["trackingId"]), None);
    }

    #[test]
    fn misspelt_keys_find_the_real_one() {
        let contract = Contract::for_profile(Profile::V1_5);
        let keys = contract.specs().iter().map(|s| s.key.as_str());
        assert_eq!(
            closest("retrieveUserNameNotification", keys).as_deref(),
            Some("retieveUserNameNotification")
        );
    }
}
