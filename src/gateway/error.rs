//! Everything that can stop an SMS from reaching a gateway, in words an operator can act on.
//!
//! Messages name the gateway (its catalogue name) and never carry a secret: reasons that come
//! from a gateway's reply are scrubbed of credential values before they get here, and transport
//! errors are described from their kind, never by formatting a `reqwest::Error` (which may print
//! the request URL).

/// Exit status for a configuration or credential problem: fix the setup, then try again.
pub const EXIT_CONFIGURATION: u8 = 2;
/// Exit status for a delivery failure: the gateway did not take the message.
pub const EXIT_DELIVERY: u8 = 3;

/// Why a gateway could not be set up or did not take a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    #[error("environment variable {variable} is not set; export it before sending")]
    MissingCredential { variable: String },

    #[error("environment variable {variable} {problem}")]
    InvalidCredential { variable: String, problem: String },

    #[error("gateway {gateway} is not configured correctly: {}", problems.join("; "))]
    InvalidConfig {
        gateway: String,
        problems: Vec<String>,
    },

    #[error("gateway {gateway}: {reason}{}", http_status(*status))]
    Rejected {
        gateway: String,
        status: Option<u16>,
        reason: String,
    },

    #[error(
        "gateway {gateway}: gave up after {attempts} attempts; the last one failed with: {last}"
    )]
    GaveUp {
        gateway: String,
        attempts: u32,
        last: String,
    },

    #[error(
        "gateway {gateway} did not answer within {seconds} s; it may still have accepted the \
         message, so check its delivery log before sending again"
    )]
    Timeout { gateway: String, seconds: u64 },

    #[error("gateway {gateway} could not be reached ({}): {detail}", attempt_count(*attempts))]
    Connection {
        gateway: String,
        attempts: u32,
        detail: String,
    },

    #[error(
        "gateway {gateway} answered HTTP {status} with a reply crvs-comms cannot read: {detail}"
    )]
    MalformedResponse {
        gateway: String,
        status: u16,
        detail: String,
    },

    #[error("the HTTP client could not be set up: {detail}")]
    HttpClient { detail: String },
}

impl GatewayError {
    /// The process exit status a command should end with: 2 when the setup must be fixed,
    /// 3 when the gateway did not take the message.
    pub fn exit_code(&self) -> u8 {
        match self {
            GatewayError::MissingCredential { .. }
            | GatewayError::InvalidCredential { .. }
            | GatewayError::InvalidConfig { .. } => EXIT_CONFIGURATION,
            GatewayError::Rejected { .. }
            | GatewayError::GaveUp { .. }
            | GatewayError::Timeout { .. }
            | GatewayError::Connection { .. }
            | GatewayError::MalformedResponse { .. }
            | GatewayError::HttpClient { .. } => EXIT_DELIVERY,
        }
    }
}

impl GatewayError {
    /// The same error with `from` replaced by `to` in the text that came from outside (a
    /// gateway's reason, a transport detail). Gateways may quote the recipient's number back;
    /// a caller uses this to mask it before the error is shown.
    pub fn replace_text(self, from: &str, to: &str) -> GatewayError {
        if from.is_empty() {
            return self;
        }
        let swap = |text: String| text.replace(from, to);
        match self {
            GatewayError::Rejected {
                gateway,
                status,
                reason,
            } => GatewayError::Rejected {
                gateway,
                status,
                reason: swap(reason),
            },
            GatewayError::GaveUp {
                gateway,
                attempts,
                last,
            } => GatewayError::GaveUp {
                gateway,
                attempts,
                last: swap(last),
            },
            GatewayError::Connection {
                gateway,
                attempts,
                detail,
            } => GatewayError::Connection {
                gateway,
                attempts,
                detail: swap(detail),
            },
            GatewayError::MalformedResponse {
                gateway,
                status,
                detail,
            } => GatewayError::MalformedResponse {
                gateway,
                status,
                detail: swap(detail),
            },
            other => other,
        }
    }
}

fn http_status(status: Option<u16>) -> String {
    status.map(|s| format!(" (HTTP {s})")).unwrap_or_default()
}

fn attempt_count(attempts: u32) -> String {
    match attempts {
        1 => "1 attempt".to_owned(),
        n => format!("{n} attempts"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_which_variable_to_export() {
        let err = GatewayError::MissingCredential {
            variable: "INFOBIP_API_KEY".into(),
        };
        assert_eq!(
            err.to_string(),
            "environment variable INFOBIP_API_KEY is not set; export it before sending"
        );
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn a_rejection_names_the_gateway_and_the_http_status() {
        let err = GatewayError::Rejected {
            gateway: "infobip-prod".into(),
            status: Some(401),
            reason: "Infobip rejected the request: UNAUTHORIZED — Invalid login details".into(),
        };
        assert_eq!(
            err.to_string(),
            "gateway infobip-prod: Infobip rejected the request: UNAUTHORIZED — Invalid login \
             details (HTTP 401)"
        );
        assert_eq!(err.exit_code(), 3);
    }

    #[test]
    fn replaces_text_only_where_a_gateway_spoke() {
        let err = GatewayError::Rejected {
            gateway: "g260".into(),
            status: Some(400),
            reason: "invalid destination 260971234567".into(),
        };
        assert_eq!(
            err.replace_text("260971234567", "260*******67"),
            GatewayError::Rejected {
                gateway: "g260".into(),
                status: Some(400),
                reason: "invalid destination 260*******67".into(),
            }
        );
    }

    #[test]
    fn delivery_failures_exit_with_3() {
        let timeout = GatewayError::Timeout {
            gateway: "g".into(),
            seconds: 10,
        };
        let connection = GatewayError::Connection {
            gateway: "g".into(),
            attempts: 3,
            detail: "connection refused".into(),
        };
        assert_eq!(timeout.exit_code(), 3);
        assert_eq!(connection.exit_code(), 3);
        assert_eq!(
            connection.to_string(),
            "gateway g could not be reached (3 attempts): connection refused"
        );
    }
}
