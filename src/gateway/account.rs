//! The account a gateway sends with: the fields its provider requires and the credentials read
//! from the environment.
//!
//! Credentials are looked up through a function rather than `std::env` so tests can supply
//! them without touching the process environment. They are held as [`SecretString`], whose
//! `Debug` output is redacted.

use secrecy::{ExposeSecret, SecretString};

use super::config::{GatewayConfig, Provider};
use super::error::GatewayError;

/// Looks up an environment variable; `None` when it is not set.
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// What a provider needs to send: its required fields, and credentials as secrets.
#[derive(Debug, Clone)]
pub enum Account {
    Infobip {
        sender: Option<String>,
        api_key: SecretString,
    },
    Twilio {
        sender: String,
        /// An account identifier, shown in the request URL; the token is the secret.
        account_sid: String,
        auth_token: SecretString,
    },
    AfricasTalking {
        username: String,
        sender: Option<String>,
        api_key: SecretString,
    },
    Clickatell {
        sender: Option<String>,
        api_key: SecretString,
    },
    Vonage {
        sender: String,
        api_key: SecretString,
        api_secret: SecretString,
    },
    OpenCrvs {
        token: Option<SecretString>,
    },
}

impl Account {
    /// Reads the credentials `cfg` names. Expects a configuration without
    /// [`GatewayConfig::problems`]; a required field that is still missing is reported anyway.
    pub fn resolve(
        name: &str,
        cfg: &GatewayConfig,
        env: EnvLookup<'_>,
    ) -> Result<Account, GatewayError> {
        let read = Reader { gateway: name, env };
        Ok(match cfg.provider {
            Provider::Infobip => Account::Infobip {
                sender: cfg.sender.clone(),
                api_key: read.secret(&cfg.api_key_env, "api_key_env")?,
            },
            Provider::Twilio => Account::Twilio {
                sender: read.field(&cfg.sender, "sender")?.to_owned(),
                account_sid: read.account_sid(&cfg.account_sid_env)?,
                auth_token: read.secret(&cfg.auth_token_env, "auth_token_env")?,
            },
            Provider::AfricasTalking => Account::AfricasTalking {
                username: read.field(&cfg.username, "username")?.to_owned(),
                sender: cfg.sender.clone(),
                api_key: read.secret(&cfg.api_key_env, "api_key_env")?,
            },
            Provider::Clickatell => Account::Clickatell {
                sender: cfg.sender.clone(),
                api_key: read.secret(&cfg.api_key_env, "api_key_env")?,
            },
            Provider::Vonage => Account::Vonage {
                sender: read.field(&cfg.sender, "sender")?.to_owned(),
                api_key: read.secret(&cfg.api_key_env, "api_key_env")?,
                api_secret: read.secret(&cfg.api_secret_env, "api_secret_env")?,
            },
            Provider::OpenCrvs => Account::OpenCrvs {
                token: cfg
                    .token_env
                    .as_deref()
                    .map(|variable| read_secret(variable, env))
                    .transpose()?,
            },
        })
    }

    /// Every secret value, so text that came from outside can be scrubbed of them.
    pub fn secrets(&self) -> Vec<&str> {
        let secrets: Vec<&SecretString> = match self {
            Account::Infobip { api_key, .. }
            | Account::AfricasTalking { api_key, .. }
            | Account::Clickatell { api_key, .. } => vec![api_key],
            Account::Twilio { auth_token, .. } => vec![auth_token],
            Account::Vonage {
                api_key,
                api_secret,
                ..
            } => vec![api_key, api_secret],
            Account::OpenCrvs { token } => token.iter().collect(),
        };
        secrets.into_iter().map(|s| s.expose_secret()).collect()
    }
}

/// Reads the fields and variables of one gateway's configuration.
struct Reader<'a> {
    gateway: &'a str,
    env: EnvLookup<'a>,
}

impl Reader<'_> {
    fn field<'v>(&self, value: &'v Option<String>, field: &str) -> Result<&'v str, GatewayError> {
        value.as_deref().ok_or_else(|| GatewayError::InvalidConfig {
            gateway: self.gateway.to_owned(),
            problems: vec![format!("{field} is missing")],
        })
    }

    fn secret(&self, variable: &Option<String>, field: &str) -> Result<SecretString, GatewayError> {
        read_secret(self.field(variable, field)?, self.env)
    }

    fn account_sid(&self, variable: &Option<String>) -> Result<String, GatewayError> {
        let variable = self.field(variable, "account_sid_env")?;
        let sid = read_secret(variable, self.env)?;
        // The SID becomes part of the URL path, so it must not carry `/`, `?` or the like.
        if !sid
            .expose_secret()
            .chars()
            .all(|c| c.is_ascii_alphanumeric())
        {
            return Err(GatewayError::InvalidCredential {
                variable: variable.to_owned(),
                problem: "does not hold a Twilio account SID (letters and digits, like AC0123…)"
                    .to_owned(),
            });
        }
        Ok(sid.expose_secret().to_owned())
    }
}

fn read_secret(variable: &str, env: EnvLookup<'_>) -> Result<SecretString, GatewayError> {
    let value = env(variable).ok_or_else(|| GatewayError::MissingCredential {
        variable: variable.to_owned(),
    })?;
    let invalid = |problem: &str| GatewayError::InvalidCredential {
        variable: variable.to_owned(),
        problem: problem.to_owned(),
    };
    // Surrounding whitespace is never part of a key; it comes from copying or from files.
    let value = value.trim();
    if value.is_empty() {
        return Err(invalid("is set but empty; export the credential itself"));
    }
    if value.chars().any(char::is_control) {
        return Err(invalid(
            "contains a line break or another control character; export the credential on \
             one line",
        ));
    }
    Ok(SecretString::from(value))
}
