//! What OpenCRVS itself promises a notification: for each contract profile ("1.5", "1.9"), the keys
//! the core services request, the variables they supply to each, the variables a message cannot do
//! without, and where each email body lives in a country configuration. Every check on copy is
//! judged against this table, so it follows the OpenCRVS sources, typo'd key names included.

use std::collections::BTreeSet;

use crate::model::{Audience, Channel, Event, Profile};

/// Variables the country configuration adds to every message.
pub const BASE_VARIABLES: &[&str] = &["applicationName", "countryLogo"];
/// Variables the country configuration adds to every email.
pub const EMAIL_VARIABLES: &[&str] = &["loginURL"];

/// One notification OpenCRVS knows about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationSpec {
    /// The key OpenCRVS requests: the SMS copy id, or the email template name for email-only entries.
    pub key: String,
    pub audience: Audience,
    pub event: Option<Event>,
    /// When OpenCRVS sends it, in the words of its settings screen.
    pub trigger: &'static str,
    /// Variables supplied by OpenCRVS, besides [`BASE_VARIABLES`] (and [`EMAIL_VARIABLES`] for email).
    pub variables: &'static [&'static str],
    /// Variables the message exists to deliver: without them it is useless.
    pub required: &'static [&'static str],
    /// Whether an SMS is ever sent for it (the broadcast and the shared-code emails are email only).
    pub has_sms: bool,
    /// For an email-only entry, the SMS key OpenCRVS sends alongside it.
    pub sms_key: Option<&'static str>,
    /// The email body's path below `src/api/notification/email-templates/`.
    pub email_template: Option<String>,
    /// Whether this profile's core ever requests it (marriage templates exist but are never sent).
    pub requested: bool,
    /// The v1.3–1.5 toggle name (`birthRegistrationSMS`), for informant notifications.
    pub toggle_name: Option<String>,
    /// The v1.6+ `notificationForRecord` action that sends it (`registered`).
    pub record_action: Option<&'static str>,
    /// Staff cannot work without it, so it must not be switched off.
    pub essential: bool,
}

/// The whole contract of one OpenCRVS release.
#[derive(Debug, Clone)]
pub struct Contract {
    pub profile: Profile,
    specs: Vec<NotificationSpec>,
    known: BTreeSet<&'static str>,
}

impl Contract {
    pub fn for_profile(profile: Profile) -> Contract {
        let specs = match profile {
            Profile::V1_5 => specs_1_5(),
            Profile::V1_9 => specs_1_9(),
        };
        let mut known: BTreeSet<&'static str> = BASE_VARIABLES.iter().copied().collect();
        known.extend(EMAIL_VARIABLES.iter().copied());
        for spec in &specs {
            known.extend(spec.variables.iter().copied());
        }
        Contract {
            profile,
            specs,
            known,
        }
    }

    pub fn get(&self, key: &str) -> Option<&NotificationSpec> {
        self.specs.iter().find(|s| s.key == key)
    }

    pub fn specs(&self) -> &[NotificationSpec] {
        &self.specs
    }

    /// Every variable this profile supplies to at least one notification.
    pub fn known_variables(&self) -> &BTreeSet<&'static str> {
        &self.known
    }

    /// The variables a message of this spec receives on a channel.
    pub fn supplied(&self, spec: &NotificationSpec, channel: Channel) -> BTreeSet<&'static str> {
        let mut set: BTreeSet<&'static str> = BASE_VARIABLES.iter().copied().collect();
        if channel == Channel::Email {
            set.extend(EMAIL_VARIABLES.iter().copied());
        }
        set.extend(spec.variables.iter().copied());
        set
    }

    /// A variable name that another release used for what this profile calls differently.
    pub fn renamed(&self, variable: &str) -> Option<&'static str> {
        let pairs: &[(&str, &str)] = match self.profile {
            Profile::V1_5 => &[
                ("code", "authCode"),
                ("temporaryPassword", "password"),
                ("firstname", "firstNames"),
                ("newUsername", "username"),
            ],
            Profile::V1_9 => &[
                ("authCode", "code"),
                ("password", "temporaryPassword"),
                ("firstNames", "firstname"),
            ],
        };
        let common: &[(&str, &str)] = &[
            ("regOffice", "crvsOffice"),
            ("office", "crvsOffice"),
            ("registrationOffice", "crvsOffice"),
            ("trackingNumber", "trackingId"),
            ("trackingCode", "trackingId"),
            ("regNumber", "registrationNumber"),
            ("registrationNo", "registrationNumber"),
            ("childName", "name"),
            ("deceasedName", "name"),
        ];
        pairs
            .iter()
            .chain(common)
            .find(|(from, _)| *from == variable)
            .map(|(_, to)| *to)
    }
}

impl NotificationSpec {
    /// What OpenCRVS core puts in `templateName.email` when it asks the country configuration
    /// for this notification: informant notifications reuse their SMS key, staff notifications
    /// name their email file without its folder and extension (`onboarding-invite`).
    pub fn core_email_name(&self) -> Option<String> {
        match self.audience {
            Audience::Informant => Some(self.key.clone()),
            Audience::User => {
                let path = self.email_template.as_deref()?;
                let file = path.rsplit('/').next().unwrap_or(path);
                Some(file.strip_suffix(".html").unwrap_or(file).to_owned())
            }
        }
    }
}

/// Placeholders only OpenCRVS 1.9 (and later) supplies, and only 1.5 supplies: the renamed ones.
const ONLY_1_9: &[&str] = &["code", "temporaryPassword", "firstname", "newUsername"];
const ONLY_1_5: &[&str] = &["authCode", "password"];
/// A key only 1.9 requests.
const KEY_ONLY_1_9: &str = "resetUserPasswordByAdminNotification";

/// What the keys and placeholders of a country's copy say about the OpenCRVS release it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detected {
    /// The release, with the first thing that gave it away (`the placeholder {{code}}`).
    Profile(Profile, String),
    /// Signs of both releases: copy half migrated, or a custom message reusing an old name.
    Mixed { v1_5: String, v1_9: String },
    /// Nothing that tells the releases apart.
    Unknown,
}

/// Tells 1.5 from 1.9 by the keys present and the placeholders the copy uses.
pub fn detect_profile<'a>(
    keys: impl IntoIterator<Item = &'a str>,
    placeholders: impl IntoIterator<Item = &'a str>,
) -> Detected {
    let mut v1_5 = None;
    let mut v1_9 = keys
        .into_iter()
        .any(|key| key == KEY_ONLY_1_9)
        .then(|| format!("the key `{KEY_ONLY_1_9}`"));
    for name in placeholders {
        let evidence = || format!("the placeholder `{{{{{name}}}}}`");
        if ONLY_1_9.contains(&name) {
            v1_9.get_or_insert_with(evidence);
        } else if ONLY_1_5.contains(&name) {
            v1_5.get_or_insert_with(evidence);
        }
    }
    match (v1_5, v1_9) {
        (Some(v1_5), Some(v1_9)) => Detected::Mixed { v1_5, v1_9 },
        (Some(evidence), None) => Detected::Profile(Profile::V1_5, evidence),
        (None, Some(evidence)) => Detected::Profile(Profile::V1_9, evidence),
        (None, None) => Detected::Unknown,
    }
}

const DECLARED: &[&str] = &[
    "trackingId",
    "crvsOffice",
    "registrationLocation",
    "informantName",
];
const DECLARED_NAMED: &[&str] = &[
    "trackingId",
    "crvsOffice",
    "registrationLocation",
    "informantName",
    "name",
];
const REGISTERED: &[&str] = &[
    "trackingId",
    "crvsOffice",
    "registrationLocation",
    "informantName",
    "name",
    "registrationNumber",
];
const MARRIAGE: &[&str] = &[
    "trackingId",
    "crvsOffice",
    "registrationLocation",
    "informantName",
    "brideName",
    "groomName",
];
const MARRIAGE_REGISTERED: &[&str] = &[
    "trackingId",
    "crvsOffice",
    "registrationLocation",
    "informantName",
    "brideName",
    "groomName",
    "registrationNumber",
];
const CORRECTION: &[&str] = &["firstNames", "lastName", "event", "trackingId"];
const CORRECTION_REJECTED: &[&str] = &["firstNames", "lastName", "event", "trackingId", "reason"];

/// The four informant notifications of one event, in trigger order.
struct Stage {
    suffix: &'static str,
    trigger: &'static str,
    file: &'static str,
    toggle: &'static str,
    action: &'static str,
}

const STAGES: [Stage; 4] = [
    Stage {
        suffix: "InProgressNotification",
        trigger: "Notification sent to office",
        file: "inProgress.html",
        toggle: "InProgressSMS",
        action: "sent-notification",
    },
    Stage {
        suffix: "DeclarationNotification",
        trigger: "Declaration sent for review",
        file: "inReview.html",
        toggle: "DeclarationSMS",
        action: "sent-notification-for-review",
    },
    Stage {
        suffix: "RegistrationNotification",
        trigger: "Declaration registered",
        file: "registration.html",
        toggle: "RegistrationSMS",
        action: "registered",
    },
    Stage {
        suffix: "RejectionNotification",
        trigger: "Declaration rejected",
        file: "rejection.html",
        toggle: "RejectionSMS",
        action: "sent-for-updates",
    },
];

fn informant_specs(rejection_has_name: bool) -> Vec<NotificationSpec> {
    let mut specs = Vec::new();
    for (event, prefix) in [
        (Event::Birth, "birth"),
        (Event::Death, "death"),
        (Event::Marriage, "marriage"),
    ] {
        for (index, stage) in STAGES.iter().enumerate() {
            let variables = match (event, index) {
                (Event::Marriage, 2) => MARRIAGE_REGISTERED,
                (Event::Marriage, _) => MARRIAGE,
                (_, 0) => DECLARED,
                (_, 1) => DECLARED_NAMED,
                (_, 2) => REGISTERED,
                _ if rejection_has_name => DECLARED_NAMED,
                _ => DECLARED,
            };
            let requested = event != Event::Marriage;
            specs.push(NotificationSpec {
                key: format!("{prefix}{}", stage.suffix),
                audience: Audience::Informant,
                event: Some(event),
                trigger: stage.trigger,
                variables,
                required: &["trackingId"],
                has_sms: requested,
                sms_key: None,
                email_template: Some(format!("{prefix}/{}", stage.file)),
                requested,
                toggle_name: requested.then(|| format!("{prefix}{}", stage.toggle)),
                record_action: requested.then_some(stage.action),
                essential: false,
            });
        }
    }
    specs
}

struct UserSpec {
    key: &'static str,
    trigger: &'static str,
    variables: &'static [&'static str],
    required: &'static [&'static str],
    has_sms: bool,
    sms_key: Option<&'static str>,
    email: &'static str,
    essential: bool,
}

impl UserSpec {
    fn into_spec(self) -> NotificationSpec {
        NotificationSpec {
            key: self.key.to_owned(),
            audience: Audience::User,
            event: None,
            trigger: self.trigger,
            variables: self.variables,
            required: self.required,
            has_sms: self.has_sms,
            sms_key: self.sms_key,
            email_template: Some(self.email.to_owned()),
            requested: true,
            toggle_name: None,
            record_action: None,
            essential: self.essential,
        }
    }
}

fn user(
    key: &'static str,
    trigger: &'static str,
    variables: &'static [&'static str],
    required: &'static [&'static str],
    email: &'static str,
) -> UserSpec {
    UserSpec {
        key,
        trigger,
        variables,
        required,
        has_sms: true,
        sms_key: None,
        email,
        essential: false,
    }
}

fn essential(spec: UserSpec) -> UserSpec {
    UserSpec {
        essential: true,
        ..spec
    }
}

fn email_only(spec: UserSpec, sms_key: Option<&'static str>) -> UserSpec {
    UserSpec {
        has_sms: false,
        sms_key,
        ..spec
    }
}

const CODE_KEY: &str = "authenticationCodeNotification";

fn specs_1_5() -> Vec<NotificationSpec> {
    const CODE: &[&str] = &["firstNames", "authCode"];
    const REQUIRED: &[&str] = &["authCode"];
    let users = [
        essential(user(
            CODE_KEY,
            "Two-factor authentication code",
            CODE,
            REQUIRED,
            "other/2-factor-authentication.html",
        )),
        essential(user(
            "userCredentialsNotification",
            "New user invited",
            &["firstNames", "username", "password"],
            &["username", "password"],
            "other/onboarding-invite.html",
        )),
        essential(user(
            "resetUserPasswordNotification",
            "Password reset by a system admin",
            &["firstNames", "password"],
            &["password"],
            "other/password-reset-by-system-admin.html",
        )),
        essential(user(
            "retieveUserNameNotification",
            "Username reminder",
            &["firstNames", "username"],
            &["username"],
            "other/username-reminder.html",
        )),
        user(
            "updateUserNameNotification",
            "Username updated",
            &["firstNames", "username"],
            &["username"],
            "other/username-updated.html",
        ),
        email_only(
            user(
                "password-reset",
                "Password reset code",
                CODE,
                REQUIRED,
                "other/password-reset.html",
            ),
            Some(CODE_KEY),
        ),
    ];
    assemble(false, users, CODE, REQUIRED)
}

fn specs_1_9() -> Vec<NotificationSpec> {
    const CODE: &[&str] = &["firstname", "code"];
    const REQUIRED: &[&str] = &["code"];
    let users = [
        essential(user(
            CODE_KEY,
            "Two-factor authentication code",
            CODE,
            REQUIRED,
            "other/2-factor-authentication.html",
        )),
        essential(user(
            "userCredentialsNotification",
            "New user invited",
            &[
                "firstname",
                "username",
                "temporaryPassword",
                "completeSetupUrl",
            ],
            &["username", "temporaryPassword"],
            "other/onboarding-invite.html",
        )),
        essential(user(
            "resetUserPasswordNotification",
            "Password reset code",
            CODE,
            REQUIRED,
            "other/password-reset.html",
        )),
        essential(user(
            "resetUserPasswordByAdminNotification",
            "Password reset by a system admin",
            &["firstname", "temporaryPassword"],
            &["temporaryPassword"],
            "other/password-reset-by-system-admin.html",
        )),
        essential(user(
            "retieveUserNameNotification",
            "Username reminder",
            &["firstname", "username"],
            &["username"],
            "other/username-reminder.html",
        )),
        user(
            "updateUserNameNotification",
            "Username updated",
            &["firstname", "oldUsername", "newUsername"],
            &["newUsername"],
            "other/username-updated.html",
        ),
    ];
    assemble(true, users, CODE, REQUIRED)
}

/// A profile's full list: informant notifications, its own staff notifications, then those every
/// profile shares (corrections, the broadcast, and the code emails sent with the two-factor key).
fn assemble(
    rejection_has_name: bool,
    own: impl IntoIterator<Item = UserSpec>,
    code_variables: &'static [&'static str],
    code_required: &'static [&'static str],
) -> Vec<NotificationSpec> {
    let shared = [
        user(
            "correctionApproved",
            "Record correction approved",
            CORRECTION,
            &["trackingId"],
            "other/correction-approved.html",
        ),
        user(
            "correctionRejected",
            "Record correction rejected",
            CORRECTION_REJECTED,
            &["trackingId"],
            "other/correction-rejected.html",
        ),
        email_only(
            user(
                "allUserNotification",
                "Email broadcast to all users",
                &["subject", "body"],
                &["body"],
                "other/all-user-notification.html",
            ),
            None,
        ),
        email_only(
            user(
                "change-phone-number",
                "Phone number change code",
                code_variables,
                code_required,
                "other/change-phone-number.html",
            ),
            Some(CODE_KEY),
        ),
        email_only(
            user(
                "change-email-address",
                "Email address change code",
                code_variables,
                code_required,
                "other/change-email-address.html",
            ),
            Some(CODE_KEY),
        ),
    ];
    let mut specs = informant_specs(rejection_has_name);
    specs.extend(own.into_iter().chain(shared).map(UserSpec::into_spec));
    specs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_5_rejection_does_not_supply_name_but_v1_9_does() {
        let v15 = Contract::for_profile(Profile::V1_5);
        let v19 = Contract::for_profile(Profile::V1_9);
        let key = "birthRejectionNotification";
        assert!(!v15.get(key).unwrap().variables.contains(&"name"));
        assert!(v19.get(key).unwrap().variables.contains(&"name"));
        assert!(v15.known_variables().contains("name"));
    }

    #[test]
    fn the_misspelt_reminder_key_is_the_one_requested() {
        let contract = Contract::for_profile(Profile::V1_5);
        assert!(contract.get("retieveUserNameNotification").is_some());
        assert!(contract.get("retrieveUserNameNotification").is_none());
    }

    #[test]
    fn every_v1_5_key_of_the_facts_is_present() {
        let contract = Contract::for_profile(Profile::V1_5);
        for event in ["birth", "death"] {
            for stage in ["InProgress", "Declaration", "Registration", "Rejection"] {
                let key = format!("{event}{stage}Notification");
                let spec = contract.get(&key).unwrap();
                assert!(spec.requested && spec.has_sms, "{key}");
            }
        }
        for key in [
            "authenticationCodeNotification",
            "userCredentialsNotification",
            "resetUserPasswordNotification",
            "retieveUserNameNotification",
            "updateUserNameNotification",
            "correctionApproved",
            "correctionRejected",
        ] {
            assert!(contract.get(key).unwrap().has_sms, "{key}");
        }
        assert!(!contract.get("allUserNotification").unwrap().has_sms);
        assert!(
            !contract
                .get("marriageRegistrationNotification")
                .unwrap()
                .requested
        );
        assert_eq!(
            contract
                .get("birthRegistrationNotification")
                .unwrap()
                .toggle_name
                .as_deref(),
            Some("birthRegistrationSMS")
        );
    }

    #[test]
    fn required_secrets_follow_the_profile() {
        let v15 = Contract::for_profile(Profile::V1_5);
        let v19 = Contract::for_profile(Profile::V1_9);
        let key = "authenticationCodeNotification";
        assert_eq!(v15.get(key).unwrap().required, ["authCode"]);
        assert_eq!(v19.get(key).unwrap().required, ["code"]);
        assert_eq!(
            v15.get("userCredentialsNotification").unwrap().required,
            ["username", "password"]
        );
        assert!(v19.get("resetUserPasswordByAdminNotification").is_some());
        assert!(v15.get("resetUserPasswordByAdminNotification").is_none());
    }

    #[test]
    fn email_only_entries_name_the_sms_key_they_share() {
        let contract = Contract::for_profile(Profile::V1_5);
        let shared: Vec<_> = contract
            .specs()
            .iter()
            .filter(|s| s.sms_key == Some("authenticationCodeNotification"))
            .map(|s| s.key.as_str())
            .collect();
        assert_eq!(
            shared,
            [
                "password-reset",
                "change-phone-number",
                "change-email-address",
            ]
        );
    }

    #[test]
    fn the_profile_is_told_by_keys_and_renamed_placeholders() {
        let v15 = detect_profile(
            ["authenticationCodeNotification"],
            ["firstNames", "authCode"],
        );
        assert_eq!(
            v15,
            Detected::Profile(Profile::V1_5, "the placeholder `{{authCode}}`".into())
        );
        let v19 = detect_profile(["resetUserPasswordByAdminNotification"], ["authCode"]);
        assert!(matches!(v19, Detected::Mixed { .. }));
        assert_eq!(
            detect_profile(["resetUserPasswordByAdminNotification"], ["firstNames"]),
            Detected::Profile(
                Profile::V1_9,
                "the key `resetUserPasswordByAdminNotification`".into()
            )
        );
        assert_eq!(
            detect_profile(["birthRegistrationNotification"], ["trackingId"]),
            Detected::Unknown
        );
    }

    #[test]
    fn renames_point_across_profiles() {
        let v15 = Contract::for_profile(Profile::V1_5);
        let v19 = Contract::for_profile(Profile::V1_9);
        assert_eq!(v15.renamed("code"), Some("authCode"));
        assert_eq!(v19.renamed("authCode"), Some("code"));
        assert_eq!(v15.renamed("regOffice"), Some("crvsOffice"));
        assert_eq!(v15.renamed("trackingId"), None);
    }

    #[test]
    fn core_email_names_follow_the_audience() {
        let contract = Contract::for_profile(Profile::V1_5);
        let name = |key: &str| contract.get(key).unwrap().core_email_name();
        assert_eq!(
            name("birthRegistrationNotification").as_deref(),
            Some("birthRegistrationNotification")
        );
        assert_eq!(
            name("userCredentialsNotification").as_deref(),
            Some("onboarding-invite")
        );
        assert_eq!(
            name("authenticationCodeNotification").as_deref(),
            Some("2-factor-authentication")
        );
        assert_eq!(
            name("retieveUserNameNotification").as_deref(),
            Some("username-reminder")
        );
    }
}
