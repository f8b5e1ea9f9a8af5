//! Tests of building a gateway from the catalogue and the environment, and of keeping its
//! secrets out of everything it shows.

use super::fixtures::{ALL_PROVIDERS, SECRET_MARK, config, env, sms};
use super::*;

fn no_env(_: &str) -> Option<String> {
    None
}

#[test]
fn every_provider_builds_from_its_fixture() {
    for provider in ALL_PROVIDERS {
        let gateway = Gateway::from_config("g", &config(provider, "https://example.org/"), &env)
            .unwrap_or_else(|err| panic!("{provider}: {err}"));
        assert_eq!(gateway.provider(), provider);
        assert_eq!(gateway.timeout(), Duration::from_secs(10));
        // The trailing slash of the base URL is not doubled.
        let variables = serde_json::Map::new();
        let url = gateway.prepare(&sms(&variables)).url;
        assert!(
            url.starts_with("https://example.org/") && !url.contains(".org//"),
            "{url}"
        );
    }
}

#[test]
fn a_missing_variable_is_named() {
    let err =
        Gateway::from_config("prod", &config(Provider::Infobip, "https://x"), &no_env).unwrap_err();
    assert_eq!(
        err,
        GatewayError::MissingCredential {
            variable: "INFOBIP_API_KEY".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "environment variable INFOBIP_API_KEY is not set; export it before sending"
    );
    assert_eq!(err.exit_code(), 2);
}

#[test]
fn the_opencrvs_token_is_optional() {
    let mut cfg = config(Provider::OpenCrvs, "http://localhost:3040");
    cfg.token_env = None;
    let gateway = Gateway::from_config("local", &cfg, &no_env).unwrap();
    let variables = serde_json::Map::new();
    assert_eq!(
        gateway.prepare(&sms(&variables)).header("Authorization"),
        None
    );
}

#[test]
fn configuration_problems_stop_the_gateway() {
    let mut cfg = config(Provider::Vonage, "ftp://x");
    cfg.sender = None;
    let err = Gateway::from_config("vonage", &cfg, &env).unwrap_err();
    let GatewayError::InvalidConfig { gateway, problems } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(gateway, "vonage");
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(err.exit_code(), 2);
}

#[test]
fn an_empty_or_multiline_credential_is_refused_without_showing_it() {
    let cfg = config(Provider::Clickatell, "https://x");
    for value in ["  ", "SeCrEt-one\nSeCrEt-two"] {
        let lookup = |_: &str| Some(value.to_owned());
        let err = Gateway::from_config("c", &cfg, &lookup).unwrap_err();
        assert!(
            matches!(err, GatewayError::InvalidCredential { .. }),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .starts_with("environment variable CLICKATELL_API_KEY ")
        );
        assert!(!err.to_string().contains(SECRET_MARK), "{err}");
        assert_eq!(err.exit_code(), 2);
    }
}

#[test]
fn surrounding_whitespace_is_trimmed_from_credentials() {
    let cfg = config(Provider::Clickatell, "https://x");
    let lookup = |_: &str| Some(" key-from-a-file\n".to_owned());
    let gateway = Gateway::from_config("c", &cfg, &lookup).unwrap();
    let variables = serde_json::Map::new();
    let request = gateway.prepare(&sms(&variables));
    assert_eq!(request.header("Authorization"), Some("key-from-a-file"));
}

#[test]
fn a_twilio_sid_that_would_change_the_url_is_refused() {
    let cfg = config(Provider::Twilio, "https://x");
    let lookup = |variable: &str| match variable {
        "TWILIO_ACCOUNT_SID" => Some("AC1/../../other".to_owned()),
        other => env(other),
    };
    let err = Gateway::from_config("t", &cfg, &lookup).unwrap_err();
    assert!(
        matches!(err, GatewayError::InvalidCredential { .. }),
        "{err:?}"
    );
}

#[test]
fn secrets_never_show_in_debug_or_the_dry_run() {
    let variables = serde_json::Map::new();
    for provider in ALL_PROVIDERS {
        let gateway = Gateway::from_config("g", &config(provider, "https://x"), &env).unwrap();
        let request = gateway.prepare(&sms(&variables));
        for shown in [
            format!("{gateway:?}"),
            format!("{request:?}"),
            format!("{request:#?}"),
            request.redacted(),
        ] {
            assert!(!shown.contains(SECRET_MARK), "{provider}: {shown}");
        }
        // The secret is really in the request, only hidden: otherwise the test proves nothing.
        let sent = request
            .headers
            .iter()
            .map(|h| h.value.clone())
            .chain(match &request.body {
                Body::Form(fields) => fields.iter().map(|f| f.value.clone()).collect(),
                Body::Json(_) => Vec::new(),
            })
            .collect::<Vec<_>>()
            .join(" ");
        let in_clear = sent.contains(SECRET_MARK) || provider == Provider::Twilio;
        assert!(in_clear, "{provider}: {sent}");
        assert!(request.redacted().contains(REDACTED), "{provider}");
    }
}

#[test]
fn the_dry_run_of_twilio_hides_the_basic_credentials() {
    let gateway = Gateway::from_config(
        "t",
        &config(Provider::Twilio, "https://api.twilio.com"),
        &env,
    )
    .unwrap();
    let variables = serde_json::Map::new();
    let shown = gateway.prepare(&sms(&variables)).redacted();
    assert_eq!(
        shown,
        "POST https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef/Messages.json\n\
         Authorization: ***\n\
         Accept: application/json\n\
         Content-Type: application/x-www-form-urlencoded\n\
         \n\
         To=+260971234567\n\
         From=+15005550006\n\
         Body=Your code is 123456\n"
    );
}

#[test]
fn the_dry_run_of_vonage_hides_both_form_credentials() {
    let gateway = Gateway::from_config(
        "v",
        &config(Provider::Vonage, "https://rest.nexmo.com"),
        &env,
    )
    .unwrap();
    let variables = serde_json::Map::new();
    let shown = gateway.prepare(&sms(&variables)).redacted();
    assert!(shown.contains("api_key=***\napi_secret=***\n"), "{shown}");
}

#[test]
fn scrub_hides_echoed_secrets() {
    let gateway = Gateway::from_config("v", &config(Provider::Vonage, "https://x"), &env).unwrap();
    assert_eq!(
        gateway.scrub("bad key SeCrEt-vonage-key-0a1b and SeCrEt-vonage-secret-2c3d".into()),
        "bad key *** and ***"
    );
}
