//! When to try a request again, and how long to wait first.
//!
//! Waits grow exponentially with some jitter, so many senders throttled at the same moment do
//! not all come back at the same moment. A gateway's own `Retry-After` wins over the computed
//! wait, but no wait is ever longer than `max_delay`: a command-line user is waiting.

use std::time::{Duration, SystemTime};

/// How far a computed wait may stray from `base * 2^n`, as a fraction of it.
const JITTER_FRACTION: f64 = 0.2;

/// How many times to try and how long to wait in between; see the module comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait before the first retry; it doubles for every further one.
    pub base_delay: Duration,
    /// No wait is longer than this, whatever the gateway asks for.
    pub max_delay: Duration,
    /// Attempts in total, the first one included.
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(10),
            max_attempts: 3,
        }
    }
}

impl RetryPolicy {
    /// Attempts in total; a policy of zero still makes the one attempt that was asked for.
    pub fn attempts(&self) -> u32 {
        self.max_attempts.max(1)
    }

    /// The wait before retry number `retry` (1 for the first retry).
    ///
    /// `jitter` is a sample in `[-1, 1]`, taken outside so this stays a pure function;
    /// see [`RetryPolicy::delay`] for the one that draws it.
    pub fn delay_with(&self, retry: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
        if let Some(asked) = retry_after {
            return asked.min(self.max_delay);
        }
        let doublings = retry.saturating_sub(1).min(30);
        let exponential = self.base_delay.saturating_mul(1 << doublings);
        let factor = 1.0 + JITTER_FRACTION * jitter.clamp(-1.0, 1.0);
        exponential.mul_f64(factor).min(self.max_delay)
    }

    /// The wait before retry number `retry`, with fresh jitter.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let jitter = fastrand::f64() * 2.0 - 1.0;
        self.delay_with(retry, retry_after, jitter)
    }
}

/// Reads a `Retry-After` value: a number of seconds or an HTTP date (RFC 9110). A date in the
/// past means "now".
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(millis: u64) -> Duration {
        Duration::from_millis(millis)
    }

    #[test]
    fn the_default_policy() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.base_delay, ms(500));
        assert_eq!(policy.max_delay, Duration::from_secs(10));
        assert_eq!(policy.max_attempts, 3);
    }

    #[test]
    fn waits_double_without_jitter() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay_with(1, None, 0.0), ms(500));
        assert_eq!(policy.delay_with(2, None, 0.0), ms(1000));
        assert_eq!(policy.delay_with(3, None, 0.0), ms(2000));
    }

    #[test]
    fn jitter_stays_within_a_fifth() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay_with(2, None, 1.0), ms(1200));
        assert_eq!(policy.delay_with(2, None, -1.0), ms(800));
        assert_eq!(policy.delay_with(2, None, 9.0), ms(1200));
        for _ in 0..100 {
            let wait = policy.delay(2, None);
            assert!(wait >= ms(800) && wait <= ms(1200), "{wait:?}");
        }
    }

    #[test]
    fn waits_are_capped() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay_with(10, None, 0.0), Duration::from_secs(10));
        assert_eq!(
            policy.delay_with(u32::MAX, None, 1.0),
            Duration::from_secs(10)
        );
    }

    #[test]
    fn retry_after_wins_but_is_bounded() {
        let policy = RetryPolicy::default();
        let secs = Duration::from_secs;
        assert_eq!(policy.delay_with(1, Some(secs(3)), 1.0), secs(3));
        assert_eq!(policy.delay_with(1, Some(secs(3600)), 0.0), secs(10));
    }

    #[test]
    fn at_least_one_attempt() {
        let policy = RetryPolicy {
            max_attempts: 0,
            ..RetryPolicy::default()
        };
        assert_eq!(policy.attempts(), 1);
    }

    #[test]
    fn reads_retry_after_seconds_and_dates() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:40 GMT", now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }
}
