//! Africa's Talking bulk SMS API (`/version1/messaging`).
//!
//! The HTTP status says whether the request was understood; whether the message goes out is
//! said per recipient, by a numeric `statusCode` that this module turns into plain words.

use reqwest::Method;
use reqwest::header::HeaderMap;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::OutgoingSms;
use super::outcome::{Delivery, Outcome, http_failure, is_success, malformed, snippet};
use super::request::{Body, FormField, Header, PreparedRequest};

pub fn build(
    base: &str,
    username: &str,
    sender: Option<&str>,
    api_key: &SecretString,
    msg: &OutgoingSms<'_>,
) -> PreparedRequest {
    let mut fields = vec![
        FormField::plain("username", username),
        FormField::plain("to", msg.to),
        FormField::plain("message", msg.text),
    ];
    if let Some(sender) = sender {
        fields.push(FormField::plain("from", sender));
    }
    PreparedRequest {
        method: Method::POST,
        url: format!("{base}/version1/messaging"),
        headers: vec![
            Header::secret("apiKey", api_key.expose_secret()),
            // Without it the API answers in XML.
            Header::plain("Accept", "application/json"),
        ],
        body: Body::Form(fields),
    }
}

#[derive(Deserialize)]
struct Reply {
    #[serde(rename = "SMSMessageData")]
    data: MessageData,
}

#[derive(Deserialize)]
struct MessageData {
    #[serde(rename = "Message", default)]
    message: String,
    #[serde(rename = "Recipients", default)]
    recipients: Vec<Recipient>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Recipient {
    status_code: u16,
    status: Option<String>,
    message_id: Option<String>,
}

/// What a per-recipient status code means, and whether trying again could help.
enum Verdict {
    Sent,
    Retry(&'static str),
    Refused(&'static str),
}

fn verdict(code: u16) -> Verdict {
    match code {
        100..=102 => Verdict::Sent,
        401 => Verdict::Refused("the account is on risk hold; contact Africa's Talking support"),
        402 => Verdict::Refused("the sender id is not valid for this account; check sender"),
        403 => Verdict::Refused("the phone number is not valid"),
        404 => Verdict::Refused("the number type is not supported"),
        405 => Verdict::Refused("insufficient balance; top up the account"),
        406 => Verdict::Refused("the recipient has blacklisted this sender"),
        407 => Verdict::Refused("the message could not be routed to the recipient's network"),
        409 => Verdict::Refused("the recipient's do-not-disturb setting refused the message"),
        // Nothing went out, so another try cannot send a duplicate.
        500 => Verdict::Retry("Africa's Talking had an internal error"),
        501 => Verdict::Retry("Africa's Talking's gateway had an error"),
        502 => Verdict::Refused("the operator's gateway rejected the message"),
        _ => Verdict::Refused("an unknown status code"),
    }
}

pub fn interpret(status: u16, headers: &HeaderMap, body: &str) -> Outcome {
    if !is_success(status) {
        // Errors at this level come as plain text ("The supplied authentication is invalid").
        let reason = format!("Africa's Talking refused the request: {}", snippet(body));
        return http_failure(status, headers, reason);
    }
    let Ok(reply) = serde_json::from_str::<Reply>(body) else {
        return malformed("Africa's Talking", "SMSMessageData", body);
    };
    let Some(recipient) = reply.data.recipients.into_iter().next() else {
        // No recipient at all: the summary says why (e.g. "InvalidSenderId").
        return Outcome::Rejected {
            reason: format!(
                "Africa's Talking sent to no one: {}",
                snippet(&reply.data.message)
            ),
        };
    };
    let code = recipient.status_code;
    let name = recipient.status.unwrap_or_default();
    match verdict(code) {
        Verdict::Sent => Outcome::Delivered(Delivery::new(recipient.message_id, name, None)),
        Verdict::Retry(words) => Outcome::Retryable {
            reason: format!("{words} ({code} {name})"),
            retry_after: None,
        },
        Verdict::Refused(words) => Outcome::Rejected {
            reason: format!("Africa's Talking rejected the message: {words} ({code} {name})"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::sms;
    use super::*;

    fn reply(code: u16, status: &str) -> String {
        format!(
            r#"{{"SMSMessageData":{{"Message":"Sent to 1/1 Total Cost: ZMW 0.50",
            "Recipients":[{{"statusCode":{code},"number":"+260971234567","status":"{status}",
            "cost":"ZMW 0.50","messageId":"ATXid_1"}}]}}}}"#
        )
    }

    #[test]
    fn builds_a_form_post_with_the_api_key_header() {
        let variables = serde_json::Map::new();
        let request = build(
            "https://api.africastalking.com",
            "sandbox",
            Some("CRVS"),
            &SecretString::from("at-k3y"),
            &sms(&variables),
        );
        assert_eq!(
            request.url,
            "https://api.africastalking.com/version1/messaging"
        );
        assert_eq!(request.header("apiKey"), Some("at-k3y"));
        assert!(request.headers[0].secret);
        assert_eq!(request.header("Accept"), Some("application/json"));
        assert_eq!(request.form_field("username"), Some("sandbox"));
        assert_eq!(request.form_field("to"), Some("+260971234567"));
        assert_eq!(request.form_field("message"), Some("Your code is 123456"));
        assert_eq!(request.form_field("from"), Some("CRVS"));
    }

    #[test]
    fn leaves_out_from_without_a_sender() {
        let variables = serde_json::Map::new();
        let request = build(
            "https://x",
            "u",
            None,
            &SecretString::from("k"),
            &sms(&variables),
        );
        assert_eq!(request.form_field("from"), None);
    }

    #[test]
    fn status_101_is_delivered() {
        assert_eq!(
            interpret(201, &HeaderMap::new(), &reply(101, "Success")),
            Outcome::Delivered(Delivery::new(Some("ATXid_1".into()), "Success", None))
        );
    }

    #[test]
    fn status_405_says_insufficient_balance() {
        assert_eq!(
            interpret(201, &HeaderMap::new(), &reply(405, "InsufficientBalance")),
            Outcome::Rejected {
                reason: "Africa's Talking rejected the message: insufficient balance; top up the \
                         account (405 InsufficientBalance)"
                    .into()
            }
        );
    }

    #[test]
    fn status_403_is_a_bad_number() {
        let outcome = interpret(201, &HeaderMap::new(), &reply(403, "InvalidPhoneNumber"));
        let Outcome::Rejected { reason } = outcome else {
            panic!("{outcome:?}")
        };
        assert!(reason.contains("the phone number is not valid"), "{reason}");
    }

    #[test]
    fn an_internal_error_is_retryable() {
        let outcome = interpret(201, &HeaderMap::new(), &reply(500, "InternalServerError"));
        assert!(matches!(outcome, Outcome::Retryable { .. }), "{outcome:?}");
    }

    #[test]
    fn no_recipient_quotes_the_summary() {
        let body = r#"{"SMSMessageData":{"Message":"InvalidSenderId","Recipients":[]}}"#;
        assert_eq!(
            interpret(201, &HeaderMap::new(), body),
            Outcome::Rejected {
                reason: "Africa's Talking sent to no one: \"InvalidSenderId\"".into()
            }
        );
    }

    #[test]
    fn a_plain_text_401_is_rejected() {
        let outcome = interpret(
            401,
            &HeaderMap::new(),
            "The supplied authentication is invalid",
        );
        assert_eq!(
            outcome,
            Outcome::Rejected {
                reason: "Africa's Talking refused the request: \"The supplied authentication is \
                         invalid\""
                    .into()
            }
        );
    }

    #[test]
    fn malformed_json_is_reported() {
        let outcome = interpret(201, &HeaderMap::new(), "{\"SMSMessageData\":");
        assert!(matches!(outcome, Outcome::Malformed { .. }), "{outcome:?}");
    }
}
