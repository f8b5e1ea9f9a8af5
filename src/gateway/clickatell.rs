//! Clickatell's Platform API (`/messages`).
//!
//! 202 means every message was accepted and 207 that only some were; each message says for
//! itself whether it was accepted, so the one sent here is judged by its own entry.

use reqwest::Method;
use reqwest::header::HeaderMap;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::{Value, json};

use super::OutgoingSms;
use super::outcome::{
    Delivery, Outcome, as_text, code_and_text, http_failure, is_success, malformed, snippet,
};
use super::request::{Body, Header, PreparedRequest};

pub fn build(
    base: &str,
    sender: Option<&str>,
    api_key: &SecretString,
    msg: &OutgoingSms<'_>,
) -> PreparedRequest {
    let mut body = json!({ "content": msg.text, "to": [msg.to] });
    if let Some(sender) = sender {
        body["from"] = json!(sender);
    }
    PreparedRequest {
        method: Method::POST,
        url: format!("{base}/messages"),
        headers: vec![
            // The bare key, without a scheme, is what Clickatell expects.
            Header::secret("Authorization", api_key.expose_secret()),
            Header::plain("Accept", "application/json"),
        ],
        body: Body::Json(body),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reply {
    #[serde(default)]
    messages: Vec<Message>,
    error_code: Option<Value>,
    error_description: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Message {
    accepted: bool,
    api_message_id: Option<String>,
    error_code: Option<Value>,
    error_description: Option<String>,
}

pub fn interpret(status: u16, headers: &HeaderMap, body: &str) -> Outcome {
    let reply = serde_json::from_str::<Reply>(body);
    if !is_success(status) {
        let detail = reply.ok().and_then(|r| {
            code_and_text(r.error_code.as_ref().and_then(as_text), r.error_description)
        });
        let reason = match detail {
            Some(detail) => format!("Clickatell rejected the request: {detail}"),
            None => format!("Clickatell answered with {}", snippet(body)),
        };
        return http_failure(status, headers, reason);
    }
    let Some(message) = reply.ok().and_then(|r| r.messages.into_iter().next()) else {
        return malformed("Clickatell", "list of messages", body);
    };
    if message.accepted {
        return Outcome::Delivered(Delivery::new(message.api_message_id, "accepted", None));
    }
    let detail = code_and_text(
        message.error_code.as_ref().and_then(as_text),
        message.error_description,
    )
    .unwrap_or_else(|| "no reason given".to_owned());
    Outcome::Rejected {
        reason: format!("Clickatell did not accept the message: {detail}"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::sms;
    use super::*;

    #[test]
    fn builds_the_messages_request() {
        let variables = serde_json::Map::new();
        let request = build(
            "https://platform.clickatell.com",
            Some("CRVS"),
            &SecretString::from("ck-k3y"),
            &sms(&variables),
        );
        assert_eq!(request.url, "https://platform.clickatell.com/messages");
        assert_eq!(request.header("Authorization"), Some("ck-k3y"));
        assert!(request.headers[0].secret);
        assert_eq!(
            request.body,
            Body::Json(json!({
                "content": "Your code is 123456",
                "to": ["+260971234567"],
                "from": "CRVS",
            }))
        );
    }

    #[test]
    fn leaves_out_from_without_a_sender() {
        let variables = serde_json::Map::new();
        let request = build(
            "https://x",
            None,
            &SecretString::from("k"),
            &sms(&variables),
        );
        let Body::Json(body) = request.body else {
            panic!("not JSON")
        };
        assert!(body.get("from").is_none());
    }

    #[test]
    fn an_accepted_message_is_delivered() {
        let body = r#"{"messages":[{"apiMessageId":"c-77","accepted":true,"to":"260971234567",
            "errorCode":null,"error":null,"errorDescription":null}],
            "errorCode":null,"error":null,"errorDescription":null}"#;
        assert_eq!(
            interpret(202, &HeaderMap::new(), body),
            Outcome::Delivered(Delivery::new(Some("c-77".into()), "accepted", None))
        );
    }

    #[test]
    fn a_refused_message_in_a_207_is_rejected() {
        let body = r#"{"messages":[{"apiMessageId":null,"accepted":false,"to":"260971234567",
            "errorCode":105,"error":"Invalid destination address",
            "errorDescription":"Invalid destination address"}]}"#;
        assert_eq!(
            interpret(207, &HeaderMap::new(), body),
            Outcome::Rejected {
                reason: "Clickatell did not accept the message: 105 — Invalid destination \
                         address"
                    .into()
            }
        );
    }

    #[test]
    fn a_bad_key_is_rejected_with_its_description() {
        let body = r#"{"messages":[],"errorCode":1,"error":"Invalid or missing Integration API Key",
            "errorDescription":"Invalid or missing Integration API Key"}"#;
        assert_eq!(
            interpret(401, &HeaderMap::new(), body),
            Outcome::Rejected {
                reason: "Clickatell rejected the request: 1 — Invalid or missing Integration API \
                         Key"
                .into()
            }
        );
    }

    #[test]
    fn malformed_json_is_reported() {
        let outcome = interpret(202, &HeaderMap::new(), "<xml/>");
        assert!(matches!(outcome, Outcome::Malformed { .. }), "{outcome:?}");
    }
}
