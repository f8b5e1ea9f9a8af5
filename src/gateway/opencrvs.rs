//! The `/notification` endpoint of an OpenCRVS country configuration: the path a real deployment
//! takes, so a test through it exercises the country's own templates and gateway settings.
//!
//! The body is the one OpenCRVS core services send. The country configuration renders the copy
//! itself, so the rendered text of the message is not part of the request.

use reqwest::Method;
use reqwest::header::HeaderMap;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::json;

use super::OutgoingSms;
use super::outcome::{Delivery, Outcome, http_failure, is_success, snippet};
use super::request::{Body, Header, PreparedRequest};

pub fn build(base: &str, token: Option<&SecretString>, msg: &OutgoingSms<'_>) -> PreparedRequest {
    let mut template_name = json!({ "sms": msg.notification });
    if let Some(email) = msg.email_key {
        template_name["email"] = json!(email);
    }
    let body = json!({
        "templateName": template_name,
        "recipient": { "sms": msg.to },
        "type": msg.recipient_type,
        "locale": msg.locale,
        "variables": msg.variables,
    });
    let mut headers = vec![Header::plain("Accept", "application/json")];
    if let Some(token) = token {
        headers.push(Header::secret(
            "Authorization",
            format!("Bearer {}", token.expose_secret()),
        ));
    }
    PreparedRequest {
        method: Method::POST,
        url: format!("{base}/notification"),
        headers,
        body: Body::Json(body),
    }
}

/// The error body of hapi, the framework of the country configuration.
#[derive(Deserialize)]
struct Failure {
    error: Option<String>,
    message: Option<String>,
}

pub fn interpret(status: u16, headers: &HeaderMap, body: &str) -> Outcome {
    if is_success(status) {
        // The country configuration returns no id; any 2xx means it took the notification.
        return Outcome::Delivered(Delivery::new(None, "accepted", None));
    }
    let said = serde_json::from_str::<Failure>(body)
        .ok()
        .and_then(|f| f.message.or(f.error))
        .unwrap_or_else(|| snippet(body));
    let reason = format!("the country configuration did not take the notification: {said}");
    http_failure(status, headers, reason)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::sms;
    use super::*;

    #[test]
    fn builds_the_core_notification_body() {
        let mut variables = serde_json::Map::new();
        variables.insert("authCode".into(), json!("123456"));
        let msg = OutgoingSms {
            email_key: Some("other/2-factor-authentication"),
            ..sms(&variables)
        };
        let token = SecretString::from("b3arer");
        let request = build("http://localhost:3040", Some(&token), &msg);
        assert_eq!(request.url, "http://localhost:3040/notification");
        assert_eq!(request.header("Authorization"), Some("Bearer b3arer"));
        assert!(request.headers[1].secret);
        assert_eq!(
            request.body,
            Body::Json(json!({
                "templateName": {
                    "sms": "authenticationCodeNotification",
                    "email": "other/2-factor-authentication",
                },
                "recipient": { "sms": "+260971234567" },
                "type": "user",
                "locale": "en",
                "variables": { "authCode": "123456" },
            }))
        );
    }

    #[test]
    fn leaves_out_email_and_authorization_when_absent() {
        let variables = serde_json::Map::new();
        let request = build("http://x", None, &sms(&variables));
        assert_eq!(request.header("Authorization"), None);
        let Body::Json(body) = request.body else {
            panic!("not JSON")
        };
        assert_eq!(
            body["templateName"],
            json!({"sms": "authenticationCodeNotification"})
        );
    }

    #[test]
    fn any_2xx_is_accepted() {
        for status in [200, 201, 204] {
            assert_eq!(
                interpret(status, &HeaderMap::new(), ""),
                Outcome::Delivered(Delivery::new(None, "accepted", None))
            );
        }
    }

    #[test]
    fn a_hapi_error_quotes_its_message() {
        let body = r#"{"statusCode":500,"error":"Internal Server Error",
            "message":"An internal server error occurred"}"#;
        let outcome = interpret(500, &HeaderMap::new(), body);
        assert_eq!(
            outcome,
            Outcome::Retryable {
                reason: "the country configuration did not take the notification: An internal \
                         server error occurred"
                    .into(),
                retry_after: None,
            }
        );
        let rejected = interpret(400, &HeaderMap::new(), "Bad Request");
        assert!(matches!(rejected, Outcome::Rejected { .. }), "{rejected:?}");
    }
}
