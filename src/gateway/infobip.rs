//! Infobip's SMS API (`/sms/2/text/advanced`), the gateway of the Farajaland configuration.

use reqwest::Method;
use reqwest::header::HeaderMap;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::json;

use super::OutgoingSms;
use super::outcome::{
    Delivery, Outcome, code_and_text, http_failure, is_success, malformed, snippet,
};
use super::request::{Body, Header, PreparedRequest};

pub fn build(
    base: &str,
    sender: Option<&str>,
    api_key: &SecretString,
    msg: &OutgoingSms<'_>,
) -> PreparedRequest {
    let mut message = json!({
        // `to`, not `recipient`: Farajaland 1.5 sends `recipient`, which Infobip ignores.
        "destinations": [{ "to": msg.to }],
        "text": msg.text,
    });
    if let Some(sender) = sender {
        message["from"] = json!(sender);
    }
    PreparedRequest {
        method: Method::POST,
        url: format!("{base}/sms/2/text/advanced"),
        headers: vec![
            Header::secret("Authorization", format!("App {}", api_key.expose_secret())),
            Header::plain("Accept", "application/json"),
        ],
        body: Body::Json(json!({ "messages": [message] })),
    }
}

#[derive(Deserialize)]
struct SendReply {
    messages: Vec<SentMessage>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SentMessage {
    message_id: Option<String>,
    status: MessageStatus,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MessageStatus {
    group_name: String,
    name: Option<String>,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorReply {
    request_error: RequestError,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RequestError {
    service_exception: Option<Exception>,
    policy_exception: Option<Exception>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Exception {
    message_id: Option<String>,
    text: Option<String>,
}

pub fn interpret(status: u16, headers: &HeaderMap, body: &str) -> Outcome {
    if !is_success(status) {
        return http_failure(status, headers, failure_reason(body));
    }
    let Ok(reply) = serde_json::from_str::<SendReply>(body) else {
        return malformed("Infobip", "list of sent messages", body);
    };
    let Some(message) = reply.messages.into_iter().next() else {
        return malformed("Infobip", "list of sent messages", body);
    };
    // A 200 can still carry a message Infobip will not send (no credit, blocked destination).
    let group = message.status.group_name;
    if matches!(group.as_str(), "REJECTED" | "UNDELIVERABLE") {
        let detail = code_and_text(message.status.name, message.status.description)
            .unwrap_or_else(|| group.clone());
        return Outcome::Rejected {
            reason: format!("Infobip rejected the message: {detail}"),
        };
    }
    Outcome::Delivered(Delivery::new(message.message_id, group, None))
}

fn failure_reason(body: &str) -> String {
    let exception = serde_json::from_str::<ErrorReply>(body)
        .ok()
        .and_then(|reply| {
            let error = reply.request_error;
            error.service_exception.or(error.policy_exception)
        });
    match exception.and_then(|e| code_and_text(e.message_id, e.text)) {
        Some(detail) => format!("Infobip rejected the request: {detail}"),
        None => format!("Infobip answered with {}", snippet(body)),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::sms;
    use super::*;

    fn key() -> SecretString {
        SecretString::from("k3y-value")
    }

    #[test]
    fn builds_the_advanced_text_request() {
        let variables = serde_json::Map::new();
        let request = build(
            "https://xyz.api.infobip.com",
            Some("OpenCRVS"),
            &key(),
            &sms(&variables),
        );
        assert_eq!(request.method, Method::POST);
        assert_eq!(
            request.url,
            "https://xyz.api.infobip.com/sms/2/text/advanced"
        );
        assert_eq!(request.header("Authorization"), Some("App k3y-value"));
        assert!(request.headers[0].secret);
        assert_eq!(
            request.body,
            Body::Json(json!({"messages": [{
                "destinations": [{"to": "+260971234567"}],
                "from": "OpenCRVS",
                "text": "Your code is 123456",
            }]}))
        );
    }

    #[test]
    fn leaves_out_from_without_a_sender() {
        let variables = serde_json::Map::new();
        let request = build("https://x", None, &key(), &sms(&variables));
        let Body::Json(body) = request.body else {
            panic!("not JSON")
        };
        assert!(body["messages"][0].get("from").is_none());
    }

    #[test]
    fn a_pending_message_is_delivered() {
        let body = r#"{"bulkId":"b1","messages":[{"messageId":"m-42","to":"260971234567",
            "status":{"groupId":1,"groupName":"PENDING","id":26,"name":"PENDING_ACCEPTED",
            "description":"Message sent to next instance"}}]}"#;
        assert_eq!(
            interpret(200, &HeaderMap::new(), body),
            Outcome::Delivered(Delivery::new(Some("m-42".into()), "PENDING", None))
        );
    }

    #[test]
    fn a_rejected_status_on_200_is_a_rejection() {
        let body = r#"{"messages":[{"messageId":"m-1","status":{"groupName":"REJECTED",
            "name":"REJECTED_NOT_ENOUGH_CREDITS","description":"Not enough credits"}}]}"#;
        assert_eq!(
            interpret(200, &HeaderMap::new(), body),
            Outcome::Rejected {
                reason: "Infobip rejected the message: REJECTED_NOT_ENOUGH_CREDITS — Not enough \
                         credits"
                    .into()
            }
        );
    }

    #[test]
    fn unauthorized_names_the_exception() {
        let body = r#"{"requestError":{"serviceException":{"messageId":"UNAUTHORIZED",
            "text":"Invalid login details"}}}"#;
        assert_eq!(
            interpret(401, &HeaderMap::new(), body),
            Outcome::Rejected {
                reason: "Infobip rejected the request: UNAUTHORIZED — Invalid login details".into()
            }
        );
    }

    #[test]
    fn too_many_requests_is_retryable() {
        let body = r#"{"requestError":{"serviceException":{"messageId":"TOO_MANY_REQUESTS",
            "text":"Too many requests"}}}"#;
        let outcome = interpret(429, &HeaderMap::new(), body);
        assert!(matches!(outcome, Outcome::Retryable { .. }), "{outcome:?}");
    }

    #[test]
    fn malformed_json_on_200_is_reported() {
        let outcome = interpret(200, &HeaderMap::new(), "{\"messages\": [");
        assert!(matches!(outcome, Outcome::Malformed { .. }), "{outcome:?}");
    }

    #[test]
    fn an_html_error_page_is_quoted() {
        let outcome = interpret(403, &HeaderMap::new(), "<html>Forbidden</html>");
        assert_eq!(
            outcome,
            Outcome::Rejected {
                reason: "Infobip answered with \"<html>Forbidden</html>\"".into()
            }
        );
    }
}
