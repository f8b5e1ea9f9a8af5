//! Putting test messages on the wire: one HTTP client and one single-threaded async runtime for
//! the whole run, the retry policy, and the `--verbose` trace of attempts, replies and waits.

use std::time::Duration;

use anyhow::Context as _;
use crvs_comms::gateway::{
    Delivery, Gateway, GatewayError, OutgoingSms, RetryPolicy, SendEvent, http_client,
};

/// Test-only: the first retry wait in milliseconds, so the test suite does not sit through the
/// production backoff. Not documented for users; a gateway's `Retry-After` still applies.
const RETRY_BASE_ENV: &str = "CRVS_COMMS_RETRY_BASE_MS";

/// No connection is waited for longer than this, even when a gateway allows a long reply.
const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Sends messages through one gateway.
pub struct Courier<'g> {
    gateway: &'g Gateway,
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
    policy: RetryPolicy,
}

impl<'g> Courier<'g> {
    pub fn new(gateway: &'g Gateway) -> anyhow::Result<Courier<'g>> {
        // Messages go one after another, so one thread is all the runtime needs.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("while starting the network runtime")?;
        let timeout = gateway.timeout();
        let client = http_client(
            env!("CARGO_PKG_VERSION"),
            timeout.min(MAX_CONNECT_TIMEOUT),
            timeout,
        )?;
        Ok(Courier {
            gateway,
            runtime,
            client,
            policy: retry_policy(),
        })
    }

    /// Sends `msg`, calling `trace` with a line for every attempt, reply and wait.
    pub fn send(
        &self,
        msg: &OutgoingSms<'_>,
        trace: &mut dyn FnMut(String),
    ) -> Result<Delivery, GatewayError> {
        let request = self.gateway.prepare(msg);
        let target = format!("{} {}", request.method, request.url);
        let mut observe = |event: SendEvent| trace(describe(&event, &target));
        self.runtime.block_on(self.gateway.send_observed(
            &self.client,
            msg,
            &self.policy,
            &mut observe,
        ))
    }
}

fn retry_policy() -> RetryPolicy {
    let default = RetryPolicy::default();
    let base = std::env::var(RETRY_BASE_ENV)
        .ok()
        .and_then(|ms| ms.trim().parse().ok())
        .map_or(default.base_delay, Duration::from_millis);
    RetryPolicy {
        base_delay: base,
        ..default
    }
}

/// One line of the `--verbose` trace. `target` is the method and URL `--dry-run` shows; neither
/// holds a secret.
fn describe(event: &SendEvent, target: &str) -> String {
    match event {
        SendEvent::Attempting { attempt, of } => {
            format!("> {target} (attempt {attempt} of {of})")
        }
        SendEvent::Replied { status, .. } => {
            let reason = reqwest::StatusCode::from_u16(*status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("");
            format!("< HTTP {status} {reason}").trim_end().to_owned()
        }
        SendEvent::NoReply { detail, .. } => format!("< no reply: {detail}"),
        SendEvent::Waiting { delay } => {
            format!(
                "  waiting {:.1} s before the next attempt",
                delay.as_secs_f64()
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trace_lines_read_like_an_http_exchange() {
        let url = "POST https://api.example.org/sms/json";
        assert_eq!(
            describe(&SendEvent::Attempting { attempt: 2, of: 3 }, url),
            "> POST https://api.example.org/sms/json (attempt 2 of 3)"
        );
        assert_eq!(
            describe(
                &SendEvent::Replied {
                    attempt: 1,
                    status: 429
                },
                url
            ),
            "< HTTP 429 Too Many Requests"
        );
        assert_eq!(
            describe(
                &SendEvent::Waiting {
                    delay: Duration::from_millis(1500)
                },
                url
            ),
            "  waiting 1.5 s before the next attempt"
        );
    }
}
