//! Twilio's Messages resource (`/2010-04-01/Accounts/{SID}/Messages.json`).
//!
//! The account SID is part of the URL and identifies the account; the auth token is the secret,
//! and it travels only inside the Basic authorization header.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::Method;
use reqwest::header::HeaderMap;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::Value;

use super::OutgoingSms;
use super::outcome::{
    Delivery, Outcome, as_count, as_text, code_and_text, http_failure, is_success, malformed,
    retry_after, snippet,
};
use super::request::{Body, FormField, Header, PreparedRequest};

/// Twilio's error code for "too many requests", sometimes sent with a status other than 429.
const THROTTLED: &str = "20429";

pub fn build(
    base: &str,
    sender: &str,
    account_sid: &str,
    auth_token: &SecretString,
    msg: &OutgoingSms<'_>,
) -> PreparedRequest {
    let sid = account_sid;
    let basic = STANDARD.encode(format!("{sid}:{}", auth_token.expose_secret()));
    PreparedRequest {
        method: Method::POST,
        url: format!("{base}/2010-04-01/Accounts/{sid}/Messages.json"),
        headers: vec![
            Header::secret("Authorization", format!("Basic {basic}")),
            Header::plain("Accept", "application/json"),
        ],
        body: Body::Form(vec![
            FormField::plain("To", msg.to),
            FormField::plain("From", sender),
            FormField::plain("Body", msg.text),
        ]),
    }
}

#[derive(Deserialize)]
struct Created {
    sid: Option<String>,
    status: String,
    // Twilio sends the count as a string ("1"); accept a number too.
    num_segments: Option<Value>,
}

#[derive(Deserialize)]
struct Failure {
    code: Option<Value>,
    message: Option<String>,
}

pub fn interpret(status: u16, headers: &HeaderMap, body: &str) -> Outcome {
    if is_success(status) {
        return match serde_json::from_str::<Created>(body) {
            Ok(created) => Outcome::Delivered(Delivery::new(
                created.sid,
                created.status,
                created.num_segments.as_ref().and_then(as_count),
            )),
            Err(_) => malformed("Twilio", "created message", body),
        };
    }
    let failure = serde_json::from_str::<Failure>(body).ok();
    let code = failure
        .as_ref()
        .and_then(|f| f.code.as_ref())
        .and_then(as_text);
    let detail = code_and_text(code.clone(), failure.and_then(|f| f.message));
    if code.as_deref() == Some(THROTTLED) {
        return Outcome::Retryable {
            reason: format!(
                "Twilio is throttling requests: {}",
                detail.unwrap_or_default()
            ),
            retry_after: retry_after(headers),
        };
    }
    let reason = match detail {
        Some(detail) => format!("Twilio rejected the request: {detail}"),
        None => format!("Twilio answered with {}", snippet(body)),
    };
    http_failure(status, headers, reason)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::sms;
    use super::*;

    #[test]
    fn builds_a_form_post_with_basic_auth() {
        let variables = serde_json::Map::new();
        let request = build(
            "https://api.twilio.com",
            "+15005550006",
            "AC123",
            &SecretString::from("t0ken"),
            &sms(&variables),
        );
        assert_eq!(
            request.url,
            "https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json"
        );
        // base64("AC123:t0ken")
        assert_eq!(
            request.header("Authorization"),
            Some("Basic QUMxMjM6dDBrZW4=")
        );
        assert!(request.headers[0].secret);
        assert_eq!(request.form_field("To"), Some("+260971234567"));
        assert_eq!(request.form_field("From"), Some("+15005550006"));
        assert_eq!(request.form_field("Body"), Some("Your code is 123456"));
    }

    #[test]
    fn a_created_message_is_delivered() {
        let body = r#"{"sid":"SM1","status":"queued","num_segments":"2","to":"+260971234567"}"#;
        assert_eq!(
            interpret(201, &HeaderMap::new(), body),
            Outcome::Delivered(Delivery::new(Some("SM1".into()), "queued", Some(2)))
        );
    }

    #[test]
    fn error_20429_is_throttling_whatever_the_status() {
        let body = r#"{"code":20429,"message":"Too Many Requests","status":400}"#;
        assert_eq!(
            interpret(400, &HeaderMap::new(), body),
            Outcome::Retryable {
                reason: "Twilio is throttling requests: 20429 — Too Many Requests".into(),
                retry_after: None,
            }
        );
    }

    #[test]
    fn http_429_is_retryable() {
        let body = r#"{"code":20001,"message":"Slow down","status":429}"#;
        let outcome = interpret(429, &HeaderMap::new(), body);
        assert!(matches!(outcome, Outcome::Retryable { .. }), "{outcome:?}");
    }

    #[test]
    fn an_invalid_number_is_rejected() {
        let body = r#"{"code":21211,"message":"The 'To' number +260 is not a valid phone number.",
            "more_info":"https://www.twilio.com/docs/errors/21211","status":400}"#;
        assert_eq!(
            interpret(400, &HeaderMap::new(), body),
            Outcome::Rejected {
                reason: "Twilio rejected the request: 21211 — The 'To' number +260 is not a \
                         valid phone number."
                    .into()
            }
        );
    }

    #[test]
    fn malformed_json_on_201_is_reported() {
        let outcome = interpret(201, &HeaderMap::new(), "not json");
        assert!(matches!(outcome, Outcome::Malformed { .. }), "{outcome:?}");
    }
}
