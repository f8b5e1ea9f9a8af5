//! Putting a [`PreparedRequest`] on the wire and sorting network failures by what they imply.
//!
//! The question that matters for a failure is whether the gateway may have received the
//! message: a connection that never opened is safe to retry, a request that timed out or broke
//! after it was sent is not. Failures are described from the underlying I/O error only, never
//! by formatting a `reqwest::Error`, whose text can include the request URL.

use std::error::Error as _;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};

use super::error::GatewayError;
use super::request::{Body, PreparedRequest};

/// Builds the client every gateway request goes through: it identifies crvs-comms in
/// `User-Agent` and gives up on slow connections and slow replies.
///
/// `total_timeout` applies to requests that do not set their own; [`super::Gateway::send`]
/// sets the gateway's `timeout_seconds` on each request.
pub fn http_client(
    version: &str,
    connect_timeout: Duration,
    total_timeout: Duration,
) -> Result<reqwest::Client, GatewayError> {
    reqwest::Client::builder()
        .user_agent(format!("crvs-comms/{version}"))
        .use_rustls_tls()
        .connect_timeout(connect_timeout)
        .timeout(total_timeout)
        .build()
        .map_err(|err| GatewayError::HttpClient {
            detail: if err.is_builder() {
                "the version or TLS settings were refused".to_owned()
            } else {
                io_detail(&err).unwrap_or_else(|| "unknown cause".to_owned())
            },
        })
}

/// A reply with any HTTP status.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

/// Why no reply arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No connection was made, so nothing was sent: safe to retry.
    Unreachable(String),
    /// No complete reply in time; the gateway may have taken the message.
    TimedOut,
    /// The connection broke after the request went out; the gateway may have taken it.
    Interrupted(String),
    /// The request could not be put together; nothing was sent.
    Unsendable(String),
}

impl Failure {
    /// The failure in a few words, for a progress trace.
    pub fn describe(&self) -> String {
        match self {
            Failure::Unreachable(detail) => format!("could not connect: {detail}"),
            Failure::TimedOut => "no complete reply in time".to_owned(),
            Failure::Interrupted(detail) => format!("the connection broke: {detail}"),
            Failure::Unsendable(detail) => format!("not sent: {detail}"),
        }
    }
}

pub async fn execute(
    client: &reqwest::Client,
    request: &PreparedRequest,
    timeout: Duration,
) -> Result<Reply, Failure> {
    let mut builder = client
        .request(request.method.clone(), &request.url)
        .timeout(timeout);
    for header in &request.headers {
        let mut value = HeaderValue::from_str(&header.value).map_err(|_| {
            Failure::Unsendable(format!(
                "header {} holds characters HTTP does not allow",
                header.name
            ))
        })?;
        // Keeps the value out of reqwest's own Debug output.
        value.set_sensitive(header.secret);
        builder = builder.header(header.name.as_str(), value);
    }
    builder = match &request.body {
        Body::Json(value) => builder.json(value),
        Body::Form(fields) => {
            let pairs: Vec<(&str, &str)> = fields
                .iter()
                .map(|f| (f.name.as_str(), f.value.as_str()))
                .collect();
            builder.form(&pairs)
        }
    };
    let response = builder.send().await.map_err(|err| classify(&err))?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.text().await.map_err(|err| classify(&err))?;
    Ok(Reply {
        status,
        headers,
        body,
    })
}

fn classify(err: &reqwest::Error) -> Failure {
    let detail = || io_detail(err);
    // A connect timeout is both `is_connect` and `is_timeout`; nothing was sent, so it is a
    // connection failure, checked first.
    if err.is_connect() {
        Failure::Unreachable(detail().unwrap_or_else(|| "the connection failed".to_owned()))
    } else if err.is_timeout() {
        Failure::TimedOut
    } else if err.is_builder() {
        Failure::Unsendable("the request could not be built".to_owned())
    } else {
        Failure::Interrupted(
            detail().unwrap_or_else(|| "the connection broke during the exchange".to_owned()),
        )
    }
}

/// The message of the innermost I/O error (`Connection refused (os error 111)`, a DNS or TLS
/// failure), which names no URL.
fn io_detail(err: &reqwest::Error) -> Option<String> {
    let mut cause = err.source();
    while let Some(current) = cause {
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            return Some(io.to_string());
        }
        cause = current.source();
    }
    None
}
