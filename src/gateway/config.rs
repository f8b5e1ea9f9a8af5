//! How a gateway is described in the catalogue (`[gateways.NAME]`), and the checks that catch
//! configuration mistakes before anything is sent.
//!
//! The catalogue holds only the *names* of environment variables; the values (API keys, tokens)
//! are read at send time, so a catalogue can be committed and reviewed without leaking secrets.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Total time allowed for one request when the catalogue does not say.
pub const DEFAULT_TIMEOUT_SECONDS: u64 = 10;

/// One `[gateways.NAME]` table of the catalogue.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GatewayConfig {
    /// Which API the gateway speaks.
    pub provider: Provider,
    /// Base URL; the provider's path is appended.
    pub url: String,
    /// Sender number or sender id (`from`).
    pub sender: Option<String>,
    /// Africa's Talking account username (not a secret).
    pub username: Option<String>,
    /// Names of environment variables, never values.
    pub api_key_env: Option<String>,
    pub api_secret_env: Option<String>,
    pub account_sid_env: Option<String>,
    pub auth_token_env: Option<String>,
    /// OpenCRVS country configuration: optional bearer token.
    pub token_env: Option<String>,
    /// Total timeout of one request, 10 seconds when absent.
    pub timeout_seconds: Option<u64>,
}

/// The SMS APIs crvs-comms can talk to.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Infobip,
    Twilio,
    AfricasTalking,
    Clickatell,
    Vonage,
    /// The `/notification` endpoint of an OpenCRVS country configuration.
    OpenCrvs,
}

impl Provider {
    /// The spelling used in the catalogue.
    pub fn key(self) -> &'static str {
        match self {
            Provider::Infobip => "infobip",
            Provider::Twilio => "twilio",
            Provider::AfricasTalking => "africastalking",
            Provider::Clickatell => "clickatell",
            Provider::Vonage => "vonage",
            Provider::OpenCrvs => "opencrvs",
        }
    }

    /// The name people know the service by, for messages.
    pub fn display_name(self) -> &'static str {
        match self {
            Provider::Infobip => "Infobip",
            Provider::Twilio => "Twilio",
            Provider::AfricasTalking => "Africa's Talking",
            Provider::Clickatell => "Clickatell",
            Provider::Vonage => "Vonage",
            Provider::OpenCrvs => "the OpenCRVS country configuration",
        }
    }

    fn fields(self) -> FieldUse {
        use Field::*;
        let (required, optional): (&[Field], &[Field]) = match self {
            Provider::Infobip => (&[ApiKeyEnv], &[Sender]),
            Provider::Twilio => (&[AccountSidEnv, AuthTokenEnv, Sender], &[]),
            Provider::AfricasTalking => (&[Username, ApiKeyEnv], &[Sender]),
            Provider::Clickatell => (&[ApiKeyEnv], &[Sender]),
            Provider::Vonage => (&[ApiKeyEnv, ApiSecretEnv, Sender], &[]),
            Provider::OpenCrvs => (&[], &[TokenEnv]),
        };
        FieldUse { required, optional }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The optional fields whose use depends on the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Sender,
    Username,
    ApiKeyEnv,
    ApiSecretEnv,
    AccountSidEnv,
    AuthTokenEnv,
    TokenEnv,
}

const ALL_FIELDS: [Field; 7] = [
    Field::Sender,
    Field::Username,
    Field::ApiKeyEnv,
    Field::ApiSecretEnv,
    Field::AccountSidEnv,
    Field::AuthTokenEnv,
    Field::TokenEnv,
];

struct FieldUse {
    required: &'static [Field],
    optional: &'static [Field],
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::Sender => "sender",
            Field::Username => "username",
            Field::ApiKeyEnv => "api_key_env",
            Field::ApiSecretEnv => "api_secret_env",
            Field::AccountSidEnv => "account_sid_env",
            Field::AuthTokenEnv => "auth_token_env",
            Field::TokenEnv => "token_env",
        }
    }

    /// What the field should hold, for the "needs …" message.
    fn hint(self) -> &'static str {
        match self {
            Field::Sender => "the number or sender id messages come from",
            Field::Username => "the account username",
            Field::ApiKeyEnv => "the name of the environment variable holding the API key",
            Field::ApiSecretEnv => "the name of the environment variable holding the API secret",
            Field::AccountSidEnv => "the name of the environment variable holding the account SID",
            Field::AuthTokenEnv => "the name of the environment variable holding the auth token",
            Field::TokenEnv => "the name of the environment variable holding the bearer token",
        }
    }

    fn names_a_variable(self) -> bool {
        !matches!(self, Field::Sender | Field::Username)
    }

    fn value(self, cfg: &GatewayConfig) -> Option<&str> {
        let value = match self {
            Field::Sender => &cfg.sender,
            Field::Username => &cfg.username,
            Field::ApiKeyEnv => &cfg.api_key_env,
            Field::ApiSecretEnv => &cfg.api_secret_env,
            Field::AccountSidEnv => &cfg.account_sid_env,
            Field::AuthTokenEnv => &cfg.auth_token_env,
            Field::TokenEnv => &cfg.token_env,
        };
        value.as_deref()
    }
}

impl GatewayConfig {
    /// Configuration mistakes for this provider, each a sentence saying what to change.
    /// Empty when the gateway is usable.
    pub fn problems(&self) -> Vec<String> {
        self.collect_problems(true)
    }

    /// The mistakes besides a credential written into the file (a pasted secret in an `_env`
    /// field, a password in the URL), which `check` reports on their own as `secret-in-file`.
    pub fn problems_besides_leaked_secrets(&self) -> Vec<String> {
        self.collect_problems(false)
    }

    fn collect_problems(&self, with_leaked_secrets: bool) -> Vec<String> {
        let mut problems = Vec::new();
        if let Some(problem) = url_problem(&self.url, with_leaked_secrets) {
            problems.push(problem);
        }
        let uses = self.provider.fields();
        for field in ALL_FIELDS {
            let used = uses.required.contains(&field) || uses.optional.contains(&field);
            match field.value(self) {
                None if uses.required.contains(&field) => problems.push(format!(
                    "provider {} needs {}: {}",
                    self.provider,
                    field.name(),
                    field.hint()
                )),
                None => {}
                Some(_) if !used => problems.push(format!(
                    "provider {} does not use {}; remove it",
                    self.provider,
                    field.name()
                )),
                Some(value) => problems.extend(value_problem(field, value, with_leaked_secrets)),
            }
        }
        if self.timeout_seconds == Some(0) {
            problems.push("timeout_seconds must be at least 1".to_owned());
        }
        problems
    }

    /// The total timeout of one request.
    pub fn timeout_seconds(&self) -> u64 {
        self.timeout_seconds.unwrap_or(DEFAULT_TIMEOUT_SECONDS)
    }
}

fn value_problem(field: Field, value: &str, with_leaked_secrets: bool) -> Option<String> {
    if value.trim().is_empty() {
        return Some(format!(
            "{} is empty; give it a value or remove it",
            field.name()
        ));
    }
    // The value is deliberately not repeated: if it is not a variable name it is likely a
    // secret pasted in the wrong place, and echoing it would spread it further.
    (with_leaked_secrets && field.names_a_variable() && !is_variable_name(value)).then(|| {
        format!(
            "{} does not look like the name of an environment variable (letters, digits and _, \
             not starting with a digit); if a secret was pasted there, remove it from the \
             catalogue and rotate it",
            field.name()
        )
    })
}

/// Whether `name` can be exported from a POSIX shell.
pub fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn url_problem(url: &str, with_leaked_secrets: bool) -> Option<String> {
    // The URL itself is not quoted back: it might embed credentials.
    let parsed = match reqwest::Url::parse(url) {
        Ok(parsed) => parsed,
        Err(err) => return Some(format!("url is not a valid address ({err})")),
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return Some("url must start with https:// (or http:// for a local test server)".into());
    }
    if with_leaked_secrets && (!parsed.username().is_empty() || parsed.password().is_some()) {
        return Some(
            "url must not contain a user name or password; keep credentials in environment \
             variables"
                .into(),
        );
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Some("url must be a base address without ?query or #fragment".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infobip() -> GatewayConfig {
        GatewayConfig {
            provider: Provider::Infobip,
            url: "https://xyz.api.infobip.com".into(),
            sender: Some("OpenCRVS".into()),
            username: None,
            api_key_env: Some("INFOBIP_API_KEY".into()),
            api_secret_env: None,
            account_sid_env: None,
            auth_token_env: None,
            token_env: None,
            timeout_seconds: None,
        }
    }

    #[test]
    fn a_complete_infobip_table_has_no_problems() {
        assert_eq!(infobip().problems(), Vec::<String>::new());
    }

    #[test]
    fn deserialises_from_a_catalogue_table() {
        let cfg: GatewayConfig = toml::from_str(
            r#"
            provider = "africastalking"
            url = "https://api.africastalking.com"
            username = "sandbox"
            api_key_env = "AT_API_KEY"
            timeout_seconds = 5
            "#,
        )
        .unwrap();
        assert_eq!(cfg.provider, Provider::AfricasTalking);
        assert_eq!(cfg.timeout_seconds(), 5);
        assert!(cfg.problems().is_empty(), "{:?}", cfg.problems());
    }

    #[test]
    fn rejects_unknown_fields_and_providers() {
        let unknown_field = toml::from_str::<GatewayConfig>(
            "provider = \"infobip\"\nurl = \"https://x\"\napi_key = \"k\"",
        );
        assert!(unknown_field.is_err());
        let unknown_provider =
            toml::from_str::<GatewayConfig>("provider = \"sns\"\nurl = \"https://x\"");
        assert!(unknown_provider.is_err());
    }

    #[test]
    fn provider_keys_round_trip() {
        for key in [
            "infobip",
            "twilio",
            "africastalking",
            "clickatell",
            "vonage",
            "opencrvs",
        ] {
            let provider: Provider = serde_json::from_value(key.into()).unwrap();
            assert_eq!(provider.key(), key);
        }
    }

    #[test]
    fn names_a_missing_required_field() {
        let cfg = GatewayConfig {
            provider: Provider::Twilio,
            api_key_env: None,
            sender: None,
            ..infobip()
        };
        let problems = cfg.problems();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("needs sender"), "{problems:?}");
        assert!(
            problems[1].contains("needs account_sid_env"),
            "{problems:?}"
        );
        assert!(problems[2].contains("needs auth_token_env"), "{problems:?}");
    }

    #[test]
    fn names_a_field_the_provider_does_not_use() {
        let cfg = GatewayConfig {
            username: Some("me".into()),
            token_env: Some("TOKEN".into()),
            ..infobip()
        };
        assert_eq!(
            cfg.problems(),
            vec![
                "provider infobip does not use username; remove it",
                "provider infobip does not use token_env; remove it",
            ]
        );
    }

    #[test]
    fn refuses_a_url_that_is_not_http() {
        for url in ["ftp://example.org", "example.org/sms", ""] {
            let cfg = GatewayConfig {
                url: url.into(),
                ..infobip()
            };
            assert_eq!(cfg.problems().len(), 1, "{url}: {:?}", cfg.problems());
        }
    }

    #[test]
    fn refuses_credentials_in_the_url_without_repeating_them() {
        let cfg = GatewayConfig {
            url: "https://user:hunter2@example.org".into(),
            ..infobip()
        };
        let problems = cfg.problems();
        assert_eq!(problems.len(), 1);
        assert!(!problems[0].contains("hunter2"));
    }

    #[test]
    fn suspects_a_pasted_secret_without_repeating_it() {
        let cfg = GatewayConfig {
            api_key_env: Some("4f1c2e-9a8b.secret==".into()),
            ..infobip()
        };
        let problems = cfg.problems();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("api_key_env"), "{problems:?}");
        assert!(problems[0].contains("rotate"), "{problems:?}");
        assert!(!problems[0].contains("4f1c2e"), "{problems:?}");
    }

    #[test]
    fn refuses_a_zero_timeout() {
        let cfg = GatewayConfig {
            timeout_seconds: Some(0),
            ..infobip()
        };
        assert_eq!(cfg.problems(), vec!["timeout_seconds must be at least 1"]);
    }

    #[test]
    fn opencrvs_needs_no_credentials() {
        let cfg = GatewayConfig {
            provider: Provider::OpenCrvs,
            url: "http://localhost:3040".into(),
            sender: None,
            api_key_env: None,
            ..infobip()
        };
        assert!(cfg.problems().is_empty(), "{:?}", cfg.problems());
    }

    #[test]
    fn recognises_variable_names() {
        assert!(is_variable_name("INFOBIP_API_KEY"));
        assert!(is_variable_name("_x1"));
        assert!(!is_variable_name("1KEY"));
        assert!(!is_variable_name("KEY-1"));
        assert!(!is_variable_name(""));
    }
}
