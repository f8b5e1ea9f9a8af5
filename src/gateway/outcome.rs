//! What a gateway's reply means: delivered, worth another try, or refused.
//!
//! Each provider turns its own reply shape into an [`Outcome`]; the send loop then decides
//! whether to wait and retry. The helpers here hold the rules shared by every provider.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

use super::retry::parse_retry_after;

/// A message the gateway took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The gateway's id for the message, to look it up in its delivery log.
    pub message_id: Option<String>,
    /// The gateway's word for the state of the message (`PENDING`, `queued`, `Success`…).
    pub status: String,
    /// How many SMS parts the gateway billed, when it says.
    pub parts: Option<u32>,
    /// How many requests it took, retries included.
    pub attempts: u32,
}

impl Delivery {
    /// A delivery seen on the first attempt; the send loop corrects `attempts`.
    pub fn new(message_id: Option<String>, status: impl Into<String>, parts: Option<u32>) -> Self {
        Delivery {
            message_id,
            status: status.into(),
            parts,
            attempts: 1,
        }
    }
}

/// The meaning of one reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered(Delivery),
    /// Nothing was sent and trying again later may work (throttling, a server error).
    Retryable {
        reason: String,
        retry_after: Option<Duration>,
    },
    /// The gateway refused the message; sending it again would fail the same way.
    Rejected {
        reason: String,
    },
    /// The reply does not have the promised shape, so whether the message went is unknown.
    Malformed {
        detail: String,
    },
}

/// HTTP statuses after which the same request may succeed: throttling and server errors.
pub fn is_transient(status: u16) -> bool {
    status == 429 || (500..=599).contains(&status)
}

pub fn is_success(status: u16) -> bool {
    (200..=299).contains(&status)
}

/// The outcome of a failed HTTP status: retryable when transient, rejected otherwise.
pub fn http_failure(status: u16, headers: &HeaderMap, reason: String) -> Outcome {
    if is_transient(status) {
        Outcome::Retryable {
            reason,
            retry_after: retry_after(headers),
        }
    } else {
        Outcome::Rejected { reason }
    }
}

/// The `Retry-After` header as a wait, when present and readable.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, SystemTime::now())
}

/// The start of a reply body on one line, for messages about replies that could not be read.
pub fn snippet(body: &str) -> String {
    const LIMIT: usize = 200;
    let words: Vec<&str> = body.split_whitespace().collect();
    let line = words.join(" ");
    if line.is_empty() {
        return "an empty body".to_owned();
    }
    match line.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{:?}…", &line[..cut]),
        None => format!("{line:?}"),
    }
}

/// A 2xx reply that could not be read: the message may have gone, so it is not retried.
pub fn malformed(provider: &str, expected: &str, body: &str) -> Outcome {
    Outcome::Malformed {
        detail: format!("expected {provider}'s {expected}, got {}", snippet(body)),
    }
}

/// Joins an error code and its description the way every provider's reason reads:
/// `CODE — description`, or whichever of the two is present.
pub fn code_and_text(code: Option<String>, text: Option<String>) -> Option<String> {
    match (code, text) {
        (Some(code), Some(text)) => Some(format!("{code} — {text}")),
        (Some(one), None) | (None, Some(one)) => Some(one),
        (None, None) => None,
    }
}

/// A JSON value that is a number or a string of digits, as some gateways send counts.
pub fn as_count(value: &serde_json::Value) -> Option<u32> {
    match value {
        serde_json::Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A JSON scalar as text: codes arrive as numbers from some gateways and strings from others.
pub fn as_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_and_server_errors_are_transient() {
        assert!(is_transient(429));
        assert!(is_transient(500));
        assert!(is_transient(503));
        assert!(!is_transient(400));
        assert!(!is_transient(401));
        assert!(!is_transient(404));
    }

    #[test]
    fn a_transient_failure_carries_retry_after() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(
            http_failure(503, &headers, "down".into()),
            Outcome::Retryable {
                reason: "down".into(),
                retry_after: Some(Duration::from_secs(7))
            }
        );
        assert_eq!(
            http_failure(403, &headers, "no".into()),
            Outcome::Rejected {
                reason: "no".into()
            }
        );
    }

    #[test]
    fn a_snippet_is_one_short_line() {
        assert_eq!(
            snippet("<html>\n  <b>Bad gateway</b>\n</html>"),
            "\"<html> <b>Bad gateway</b> </html>\""
        );
        assert_eq!(snippet("  "), "an empty body");
        let long = "é".repeat(500);
        assert_eq!(snippet(&long).chars().count(), 200 + 3);
    }

    #[test]
    fn reads_counts_and_codes_in_either_form() {
        assert_eq!(as_count(&serde_json::json!("2")), Some(2));
        assert_eq!(as_count(&serde_json::json!(3)), Some(3));
        assert_eq!(as_count(&serde_json::json!(null)), None);
        assert_eq!(as_text(&serde_json::json!(105)), Some("105".into()));
        assert_eq!(as_text(&serde_json::json!("ERR")), Some("ERR".into()));
        assert_eq!(as_text(&serde_json::json!("")), None);
    }
}
