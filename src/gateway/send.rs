//! The send loop: one request, then retries only where a retry cannot send the message twice.
//!
//! Retried: connections that never opened, HTTP 429 and 5xx, and the providers' own throttling
//! signals. Not retried: other 4xx (the same request would fail the same way), replies that could
//! not be read, and timeouts or broken connections after the request went out, since the gateway
//! may already have taken the message.

use std::time::Duration;

use super::error::GatewayError;
use super::outcome::{Delivery, Outcome, is_success};
use super::retry::RetryPolicy;
use super::transport::{self, Failure, Reply};
use super::{Gateway, OutgoingSms};

/// One thing that happened during a send, for a caller that shows it as it goes (`--verbose`).
/// Carries no secret: statuses, waits, and failure details already scrubbed of credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendEvent {
    /// Attempt `attempt` of `of` is about to go out.
    Attempting { attempt: u32, of: u32 },
    /// The gateway answered with this HTTP status.
    Replied { attempt: u32, status: u16 },
    /// No answer came: the connection failed or the time ran out.
    NoReply { attempt: u32, detail: String },
    /// The next attempt waits this long first (a `Retry-After` included).
    Waiting { delay: Duration },
}

/// What one attempt leads to.
enum Step {
    Done(Result<Delivery, GatewayError>),
    Retry(Setback),
}

/// Why an attempt is worth repeating.
struct Setback {
    reason: String,
    retry_after: Option<Duration>,
    /// No connection was made; reported as a connection error if the retries run out.
    unreachable: bool,
}

impl Gateway {
    /// Sends `msg`, retrying under `policy`, and says what became of it.
    pub async fn send(
        &self,
        client: &reqwest::Client,
        msg: &OutgoingSms<'_>,
        policy: &RetryPolicy,
    ) -> Result<Delivery, GatewayError> {
        self.send_observed(client, msg, policy, &mut |_| {}).await
    }

    /// [`Gateway::send`], telling `observe` about every attempt, reply and wait.
    pub async fn send_observed(
        &self,
        client: &reqwest::Client,
        msg: &OutgoingSms<'_>,
        policy: &RetryPolicy,
        observe: &mut dyn FnMut(SendEvent),
    ) -> Result<Delivery, GatewayError> {
        let request = self.prepare(msg);
        let of = policy.attempts();
        let mut attempt = 1;
        loop {
            observe(SendEvent::Attempting { attempt, of });
            let step = match transport::execute(client, &request, self.timeout).await {
                Ok(reply) => {
                    observe(SendEvent::Replied {
                        attempt,
                        status: reply.status,
                    });
                    self.judge_reply(reply, attempt)
                }
                Err(failure) => {
                    observe(SendEvent::NoReply {
                        attempt,
                        detail: self.scrub(failure.describe()),
                    });
                    self.judge_failure(failure, attempt)
                }
            };
            let setback = match step {
                Step::Done(result) => return result,
                Step::Retry(setback) => setback,
            };
            if attempt >= of {
                return Err(self.exhausted(setback, attempt));
            }
            let delay = policy.delay(attempt, setback.retry_after);
            observe(SendEvent::Waiting { delay });
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    fn judge_reply(&self, reply: Reply, attempt: u32) -> Step {
        let status = reply.status;
        // A refusal inside a 2xx body (Vonage, Africa's Talking) is not an HTTP error.
        let http_status = (!is_success(status)).then_some(status);
        match self.interpret(status, &reply.headers, &reply.body) {
            Outcome::Delivered(delivery) => Step::Done(Ok(Delivery {
                attempts: attempt,
                ..delivery
            })),
            Outcome::Rejected { reason } => Step::Done(Err(GatewayError::Rejected {
                gateway: self.name.clone(),
                status: http_status,
                reason: self.scrub(reason),
            })),
            Outcome::Malformed { detail } => Step::Done(Err(GatewayError::MalformedResponse {
                gateway: self.name.clone(),
                status,
                detail: self.scrub(detail),
            })),
            Outcome::Retryable {
                reason,
                retry_after,
            } => {
                let suffix = http_status
                    .map(|s| format!(" (HTTP {s})"))
                    .unwrap_or_default();
                Step::Retry(Setback {
                    reason: self.scrub(reason) + &suffix,
                    retry_after,
                    unreachable: false,
                })
            }
        }
    }

    fn judge_failure(&self, failure: Failure, attempt: u32) -> Step {
        let connection = |detail: String| GatewayError::Connection {
            gateway: self.name.clone(),
            attempts: attempt,
            detail: self.scrub(detail),
        };
        match failure {
            Failure::Unreachable(detail) => Step::Retry(Setback {
                reason: self.scrub(detail),
                retry_after: None,
                unreachable: true,
            }),
            Failure::TimedOut => Step::Done(Err(GatewayError::Timeout {
                gateway: self.name.clone(),
                seconds: self.timeout.as_secs(),
            })),
            Failure::Interrupted(detail) => Step::Done(Err(connection(format!(
                "{detail}; the request had been sent, so the gateway may have taken the \
                 message: check its delivery log before sending again"
            )))),
            Failure::Unsendable(detail) => Step::Done(Err(connection(detail))),
        }
    }

    fn exhausted(&self, setback: Setback, attempts: u32) -> GatewayError {
        if setback.unreachable {
            GatewayError::Connection {
                gateway: self.name.clone(),
                attempts,
                detail: setback.reason,
            }
        } else {
            GatewayError::GaveUp {
                gateway: self.name.clone(),
                attempts,
                last: setback.reason,
            }
        }
    }
}
