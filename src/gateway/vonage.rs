//! Vonage's SMS API (`/sms/json`).
//!
//! Vonage answers 200 even when it refuses a message: the verdict is the `status` of each part
//! in the body, where "0" is success and "1" is throttling. Both credentials travel in the form,
//! so both are marked secret.

use reqwest::Method;
use reqwest::header::HeaderMap;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::Value;

use super::OutgoingSms;
use super::outcome::{
    Delivery, Outcome, as_count, http_failure, is_success, malformed, retry_after, snippet,
};
use super::request::{Body, FormField, Header, PreparedRequest};

const ACCEPTED: &str = "0";
const THROTTLED: &str = "1";

pub fn build(
    base: &str,
    sender: &str,
    api_key: &SecretString,
    api_secret: &SecretString,
    msg: &OutgoingSms<'_>,
) -> PreparedRequest {
    let mut fields = vec![
        FormField::secret("api_key", api_key.expose_secret()),
        FormField::secret("api_secret", api_secret.expose_secret()),
        FormField::plain("from", sender),
        // Vonage writes international numbers without the leading "+".
        FormField::plain("to", msg.to.trim_start_matches('+')),
        FormField::plain("text", msg.text),
    ];
    if msg.unicode {
        fields.push(FormField::plain("type", "unicode"));
    }
    PreparedRequest {
        method: Method::POST,
        url: format!("{base}/sms/json"),
        headers: vec![Header::plain("Accept", "application/json")],
        body: Body::Form(fields),
    }
}

#[derive(Deserialize)]
struct Reply {
    #[serde(rename = "message-count")]
    message_count: Option<Value>,
    messages: Vec<Part>,
}

#[derive(Deserialize)]
struct Part {
    status: String,
    #[serde(rename = "message-id")]
    message_id: Option<String>,
    #[serde(rename = "error-text")]
    error_text: Option<String>,
}

pub fn interpret(status: u16, headers: &HeaderMap, body: &str) -> Outcome {
    if !is_success(status) {
        let reason = format!("Vonage answered with {}", snippet(body));
        return http_failure(status, headers, reason);
    }
    let Ok(reply) = serde_json::from_str::<Reply>(body) else {
        return malformed("Vonage", "list of message parts", body);
    };
    let parts = reply.message_count.as_ref().and_then(as_count);
    let some_sent = reply.messages.iter().any(|p| p.status == ACCEPTED);
    let Some(failed) = reply.messages.iter().find(|p| p.status != ACCEPTED) else {
        let Some(first) = reply.messages.into_iter().next() else {
            return malformed("Vonage", "list of message parts", body);
        };
        return Outcome::Delivered(Delivery::new(first.message_id, "accepted", parts));
    };
    let detail = failed.error_text.clone().unwrap_or_default();
    // Retrying after some parts went out would send those parts twice.
    if failed.status == THROTTLED && !some_sent {
        return Outcome::Retryable {
            reason: format!("Vonage is throttling requests (status 1: {detail})"),
            retry_after: retry_after(headers),
        };
    }
    let partly = if some_sent {
        " (some parts were sent)"
    } else {
        ""
    };
    Outcome::Rejected {
        reason: format!(
            "Vonage rejected the message: status {} — {detail}{partly}",
            failed.status
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::sms;
    use super::*;

    fn build_sample(unicode: bool) -> PreparedRequest {
        let variables = serde_json::Map::new();
        let msg = OutgoingSms {
            unicode,
            ..sms(&variables)
        };
        build(
            "https://rest.nexmo.com",
            "CRVS",
            &SecretString::from("vk3y"),
            &SecretString::from("vs3cret"),
            &msg,
        )
    }

    #[test]
    fn builds_a_form_with_secret_credentials() {
        let request = build_sample(false);
        assert_eq!(request.url, "https://rest.nexmo.com/sms/json");
        assert_eq!(request.form_field("api_key"), Some("vk3y"));
        assert_eq!(request.form_field("api_secret"), Some("vs3cret"));
        assert_eq!(request.form_field("from"), Some("CRVS"));
        assert_eq!(request.form_field("to"), Some("260971234567"));
        assert_eq!(request.form_field("text"), Some("Your code is 123456"));
        assert_eq!(request.form_field("type"), None);
        let Body::Form(fields) = &request.body else {
            panic!("not a form")
        };
        assert!(fields[0].secret && fields[1].secret);
        assert!(!fields[2].secret);
    }

    #[test]
    fn a_ucs2_text_is_sent_as_unicode() {
        assert_eq!(build_sample(true).form_field("type"), Some("unicode"));
    }

    #[test]
    fn status_0_is_delivered_with_its_part_count() {
        let body = r#"{"message-count":"2","messages":[
            {"to":"260971234567","message-id":"v-1","status":"0"},
            {"to":"260971234567","message-id":"v-2","status":"0"}]}"#;
        assert_eq!(
            interpret(200, &HeaderMap::new(), body),
            Outcome::Delivered(Delivery::new(Some("v-1".into()), "accepted", Some(2)))
        );
    }

    #[test]
    fn status_1_on_a_200_is_retryable() {
        let body = r#"{"message-count":"1","messages":[{"status":"1","error-text":"Throttled"}]}"#;
        assert_eq!(
            interpret(200, &HeaderMap::new(), body),
            Outcome::Retryable {
                reason: "Vonage is throttling requests (status 1: Throttled)".into(),
                retry_after: None,
            }
        );
    }

    #[test]
    fn throttling_after_a_sent_part_is_not_retried() {
        let body = r#"{"message-count":"2","messages":[
            {"message-id":"v-1","status":"0"},{"status":"1","error-text":"Throttled"}]}"#;
        let outcome = interpret(200, &HeaderMap::new(), body);
        assert!(matches!(outcome, Outcome::Rejected { .. }), "{outcome:?}");
    }

    #[test]
    fn bad_credentials_are_rejected() {
        let body =
            r#"{"message-count":"1","messages":[{"status":"4","error-text":"Bad Credentials"}]}"#;
        assert_eq!(
            interpret(200, &HeaderMap::new(), body),
            Outcome::Rejected {
                reason: "Vonage rejected the message: status 4 — Bad Credentials".into()
            }
        );
    }

    #[test]
    fn malformed_json_is_reported() {
        let outcome = interpret(200, &HeaderMap::new(), "{\"messages\":[{}]}");
        assert!(matches!(outcome, Outcome::Malformed { .. }), "{outcome:?}");
    }
}
