//! Sending one SMS through a real gateway API (Infobip, Twilio, Africa's Talking, Clickatell,
//! Vonage, or an OpenCRVS country configuration's `/notification` endpoint).
//!
//! Each provider is a pair of pure functions: `build` turns the account and the message into a
//! [`PreparedRequest`], and `interpret` turns a status, headers and body into an [`Outcome`].
//! [`Gateway::send`] puts the two around the network with a [`RetryPolicy`], so everything but
//! the I/O is tested without a server. Nothing here prints; results and errors go to the caller.

mod account;
mod africastalking;
mod clickatell;
mod config;
mod error;
mod infobip;
mod opencrvs;
mod outcome;
mod request;
mod retry;
mod send;
mod transport;
mod twilio;
mod vonage;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod from_config_tests;
#[cfg(test)]
mod send_tests;

use std::time::Duration;

use reqwest::header::HeaderMap;

pub use config::{DEFAULT_TIMEOUT_SECONDS, GatewayConfig, Provider, is_variable_name};
pub use error::{EXIT_CONFIGURATION, EXIT_DELIVERY, GatewayError};
pub use outcome::{Delivery, Outcome};
pub use request::{Body, FormField, Header, PreparedRequest, REDACTED};
pub use retry::RetryPolicy;
pub use send::SendEvent;
pub use transport::http_client;

use account::Account;

/// One SMS, rendered and addressed, with the context the OpenCRVS provider passes on.
#[derive(Debug, Clone, Copy)]
pub struct OutgoingSms<'a> {
    /// The recipient in E.164 form (see [`crate::phone::normalise`]).
    pub to: &'a str,
    /// The final text of the message.
    pub text: &'a str,
    /// Whether the text needs UCS-2; Vonage must then be told `type=unicode`.
    pub unicode: bool,
    /// The OpenCRVS SMS key, e.g. `birthRegistrationNotification`.
    pub notification: &'a str,
    /// The OpenCRVS email template name, for `templateName.email`.
    pub email_key: Option<&'a str>,
    /// `user` or `informant`.
    pub recipient_type: &'a str,
    pub locale: &'a str,
    pub variables: &'a serde_json::Map<String, serde_json::Value>,
}

/// A gateway ready to send: its configuration checked and its credentials read.
#[derive(Debug, Clone)]
pub struct Gateway {
    name: String,
    provider: Provider,
    base_url: String,
    timeout: Duration,
    account: Account,
}

impl Gateway {
    /// Checks `cfg` and reads its credentials through `env`.
    ///
    /// Fails with [`GatewayError::InvalidConfig`] when [`GatewayConfig::problems`] finds any,
    /// and with [`GatewayError::MissingCredential`] when a named variable is not set.
    pub fn from_config(
        name: &str,
        cfg: &GatewayConfig,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Gateway, GatewayError> {
        let problems = cfg.problems();
        if !problems.is_empty() {
            return Err(GatewayError::InvalidConfig {
                gateway: name.to_owned(),
                problems,
            });
        }
        Ok(Gateway {
            name: name.to_owned(),
            provider: cfg.provider,
            // The provider paths start with "/", so a trailing one would double it.
            base_url: cfg.url.trim_end_matches('/').to_owned(),
            timeout: Duration::from_secs(cfg.timeout_seconds()),
            account: Account::resolve(name, cfg, env)?,
        })
    }

    /// The gateway's name in the catalogue.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn provider(&self) -> Provider {
        self.provider
    }

    /// The total time one request may take.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The request that would send `msg`, for sending or for `--dry-run` (see
    /// [`PreparedRequest::redacted`]).
    pub fn prepare(&self, msg: &OutgoingSms<'_>) -> PreparedRequest {
        let base = self.base_url.as_str();
        match &self.account {
            Account::Infobip { sender, api_key } => {
                infobip::build(base, sender.as_deref(), api_key, msg)
            }
            Account::Twilio {
                sender,
                account_sid,
                auth_token,
            } => twilio::build(base, sender, account_sid, auth_token, msg),
            Account::AfricasTalking {
                username,
                sender,
                api_key,
            } => africastalking::build(base, username, sender.as_deref(), api_key, msg),
            Account::Clickatell { sender, api_key } => {
                clickatell::build(base, sender.as_deref(), api_key, msg)
            }
            Account::Vonage {
                sender,
                api_key,
                api_secret,
            } => vonage::build(base, sender, api_key, api_secret, msg),
            Account::OpenCrvs { token } => opencrvs::build(base, token.as_ref(), msg),
        }
    }

    /// What a reply from this gateway means.
    pub fn interpret(&self, status: u16, headers: &HeaderMap, body: &str) -> Outcome {
        let interpret = match self.provider {
            Provider::Infobip => infobip::interpret,
            Provider::Twilio => twilio::interpret,
            Provider::AfricasTalking => africastalking::interpret,
            Provider::Clickatell => clickatell::interpret,
            Provider::Vonage => vonage::interpret,
            Provider::OpenCrvs => opencrvs::interpret,
        };
        interpret(status, headers, body)
    }

    /// Replaces every credential value in `text` with `***`: gateways sometimes echo what
    /// they were sent, and their words end up in error messages.
    fn scrub(&self, text: String) -> String {
        self.account
            .secrets()
            .into_iter()
            .filter(|secret| !secret.is_empty())
            .fold(text, |text, secret| text.replace(secret, REDACTED))
    }
}
