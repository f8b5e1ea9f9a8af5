//! Shared test data: a message, a configuration per provider, and an environment holding
//! recognisable secrets, so a test can search any output for them.

use super::{GatewayConfig, OutgoingSms, Provider};

/// Every secret in [`env`] contains this, so one search finds a leak of any of them.
pub const SECRET_MARK: &str = "SeCrEt";

pub fn sms(variables: &serde_json::Map<String, serde_json::Value>) -> OutgoingSms<'_> {
    OutgoingSms {
        to: "+260971234567",
        text: "Your code is 123456",
        unicode: false,
        notification: "authenticationCodeNotification",
        email_key: None,
        recipient_type: "user",
        locale: "en",
        variables,
    }
}

/// The environment of a machine where every credential the fixtures name is exported.
pub fn env(variable: &str) -> Option<String> {
    let value = match variable {
        "INFOBIP_API_KEY" => "SeCrEt-infobip-7f3a",
        "TWILIO_ACCOUNT_SID" => "AC0123456789abcdef",
        "TWILIO_AUTH_TOKEN" => "SeCrEt-twilio-91b2",
        "AT_API_KEY" => "SeCrEt-africastalking-4c8d",
        "CLICKATELL_API_KEY" => "SeCrEt-clickatell-e5f6",
        "VONAGE_API_KEY" => "SeCrEt-vonage-key-0a1b",
        "VONAGE_API_SECRET" => "SeCrEt-vonage-secret-2c3d",
        "OPENCRVS_TOKEN" => "SeCrEt-opencrvs-jwt-5e6f",
        _ => return None,
    };
    Some(value.to_owned())
}

/// A complete configuration for `provider`, pointing at `url`.
pub fn config(provider: Provider, url: &str) -> GatewayConfig {
    let named = |variable: &str| Some(variable.to_owned());
    let blank = GatewayConfig {
        provider,
        url: url.to_owned(),
        sender: None,
        username: None,
        api_key_env: None,
        api_secret_env: None,
        account_sid_env: None,
        auth_token_env: None,
        token_env: None,
        timeout_seconds: None,
    };
    match provider {
        Provider::Infobip => GatewayConfig {
            sender: named("OpenCRVS"),
            api_key_env: named("INFOBIP_API_KEY"),
            ..blank
        },
        Provider::Twilio => GatewayConfig {
            sender: named("+15005550006"),
            account_sid_env: named("TWILIO_ACCOUNT_SID"),
            auth_token_env: named("TWILIO_AUTH_TOKEN"),
            ..blank
        },
        Provider::AfricasTalking => GatewayConfig {
            username: named("sandbox"),
            api_key_env: named("AT_API_KEY"),
            ..blank
        },
        Provider::Clickatell => GatewayConfig {
            api_key_env: named("CLICKATELL_API_KEY"),
            ..blank
        },
        Provider::Vonage => GatewayConfig {
            sender: named("CRVS"),
            api_key_env: named("VONAGE_API_KEY"),
            api_secret_env: named("VONAGE_API_SECRET"),
            ..blank
        },
        Provider::OpenCrvs => GatewayConfig {
            token_env: named("OPENCRVS_TOKEN"),
            ..blank
        },
    }
}

pub const ALL_PROVIDERS: [Provider; 6] = [
    Provider::Infobip,
    Provider::Twilio,
    Provider::AfricasTalking,
    Provider::Clickatell,
    Provider::Vonage,
    Provider::OpenCrvs,
];
