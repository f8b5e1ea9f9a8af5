//! The informant toggles in the form each OpenCRVS release takes them. Up to 1.5 a national system
//! admin sets them in the UI, stored as `{name, enabled}` pairs (`birthRegistrationSMS`); export
//! writes that list as JSON for the admin or a script to apply. From 1.6 they are code, the
//! `notificationForRecord` object of `application-config.ts`; export writes it as a TypeScript
//! module to import or paste there. A notification the catalogue lacks counts as off, as in OpenCRVS.

use serde::Serialize;

use crate::catalogue::Catalogue;
use crate::contract::Contract;
use crate::model::{Event, Profile};

/// Where the 1.5 toggle list is written, relative to the repository root.
pub const TOGGLES_JSON_PATH: &str = "src/api/notification/informant-notification-toggles.json";
/// Where the 1.6+ `notificationForRecord` module is written, relative to the repository root.
pub const RECORD_TOGGLES_PATH: &str = "src/api/notification/notification-for-record.ts";

/// The toggle file of the catalogue's release: its path and its text.
pub fn render(catalogue: &Catalogue) -> (&'static str, String) {
    match catalogue.settings.opencrvs {
        Profile::V1_5 => (TOGGLES_JSON_PATH, toggle_list(catalogue)),
        Profile::V1_9 => (RECORD_TOGGLES_PATH, notification_for_record(catalogue)),
    }
}

fn is_enabled(catalogue: &Catalogue, key: &str) -> bool {
    catalogue.notifications.get(key).is_some_and(|n| n.enabled)
}

#[derive(Serialize)]
struct Toggle<'a> {
    name: &'a str,
    enabled: bool,
}

/// The 1.3–1.5 list: one `{name, enabled}` per informant notification the admin can switch.
pub fn toggle_list(catalogue: &Catalogue) -> String {
    let contract = Contract::for_profile(Profile::V1_5);
    let toggles: Vec<Toggle<'_>> = contract
        .specs()
        .iter()
        .filter_map(|spec| {
            Some(Toggle {
                name: spec.toggle_name.as_deref()?,
                enabled: is_enabled(catalogue, &spec.key),
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&toggles).unwrap_or_default();
    text.push('\n');
    text
}

/// The 1.6+ `notificationForRecord` object, per event, per record action.
pub fn notification_for_record(catalogue: &Catalogue) -> String {
    let contract = Contract::for_profile(catalogue.settings.opencrvs);
    let mut text = String::from(
        "// The informant notifications OpenCRVS sends for each record action, from the crvs-comms\n\
         // catalogue. Use it as `notificationForRecord` in src/api/application/application-config.ts.\n\
         export const notificationForRecord = {\n",
    );
    let events: Vec<String> = [Event::Birth, Event::Death, Event::Marriage]
        .into_iter()
        .filter_map(|event| event_block(&contract, catalogue, event))
        .collect();
    text.push_str(&events.join(",\n"));
    text.push_str("\n}\n");
    text
}

fn event_block(contract: &Contract, catalogue: &Catalogue, event: Event) -> Option<String> {
    let mut actions = Vec::new();
    for spec in contract.specs().iter().filter(|s| s.event == Some(event)) {
        let Some(action) = spec.record_action else {
            continue;
        };
        let enabled = is_enabled(catalogue, &spec.key);
        actions.push(format!("    {}: {enabled}", ts_key(action)));
        // OpenCRVS sends the "sent for review" message when a declaration is sent for approval too.
        if action == "sent-notification-for-review" {
            actions.push(format!("    {}: {enabled}", ts_key("sent-for-approval")));
        }
    }
    if actions.is_empty() {
        return None;
    }
    let name = event.as_str().to_uppercase();
    Some(format!("  {name}: {{\n{}\n  }}", actions.join(",\n")))
}

/// An object key as prettier writes it: bare when it is an identifier, quoted otherwise.
fn ts_key(action: &str) -> String {
    if action
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        action.to_owned()
    } else {
        format!("'{action}'")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn catalogue(profile: &str, disabled: &[&str]) -> Catalogue {
        let mut text = format!(
            "schema_version = 1\nrevision = 1\n[settings]\nopencrvs = \"{profile}\"\nlanguages = [\"en\"]\nuser_delivery = \"sms\"\ninformant_delivery = \"sms\"\n"
        );
        for event in ["birth", "death"] {
            for stage in ["InProgress", "Declaration", "Registration", "Rejection"] {
                let key = format!("{event}{stage}Notification");
                let enabled = !disabled.contains(&key.as_str());
                text.push_str(&format!(
                    "[notifications.{key}]\naudience = \"informant\"\nevent = \"{event}\"\nenabled = {enabled}\n"
                ));
            }
        }
        crate::catalogue::parse(Path::new("n.toml"), "n.toml", text)
            .catalogue
            .unwrap()
    }

    #[test]
    fn the_1_5_list_names_every_toggle() {
        let text = toggle_list(&catalogue("1.5", &["deathRejectionNotification"]));
        let list: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        assert_eq!(list.len(), 8);
        assert_eq!(
            list[0],
            serde_json::json!({"name": "birthInProgressSMS", "enabled": true})
        );
        assert_eq!(
            list[7],
            serde_json::json!({"name": "deathRejectionSMS", "enabled": false})
        );
        assert!(text.ends_with("}\n]\n"));
    }

    #[test]
    fn the_1_9_object_has_every_record_action() {
        let text = notification_for_record(&catalogue("1.9", &["birthDeclarationNotification"]));
        let birth = "  BIRTH: {\n    'sent-notification': true,\n    'sent-notification-for-review': false,\n    'sent-for-approval': false,\n    registered: true,\n    'sent-for-updates': true\n  }";
        assert!(text.contains(birth), "{text}");
        assert!(text.contains("  DEATH: {\n    'sent-notification': true,"));
        assert!(!text.contains("MARRIAGE"));
        assert!(text.ends_with("  }\n}\n"));
    }
}
