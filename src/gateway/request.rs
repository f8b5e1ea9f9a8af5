//! A request to a gateway as plain data, built before anything touches the network.
//!
//! Keeping the request as data lets tests check every header and field without a server, and
//! lets `--dry-run` show exactly what would be sent. Each header and form field knows whether it
//! carries a secret, so the `Debug` output and the dry-run rendering can hide it.

use std::fmt;

use reqwest::Method;
use serde_json::Value;

/// What a secret is shown as.
pub const REDACTED: &str = "***";

/// One HTTP request, ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<Header>,
    pub body: Body,
}

#[derive(Clone, PartialEq)]
pub struct Header {
    pub name: String,
    pub value: String,
    pub secret: bool,
}

#[derive(Clone, PartialEq)]
pub struct FormField {
    pub name: String,
    pub value: String,
    pub secret: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// Sent as `application/json`; never holds a secret in the supported APIs.
    Json(Value),
    /// Sent as `application/x-www-form-urlencoded`, in this order.
    Form(Vec<FormField>),
}

impl Header {
    pub fn plain(name: &str, value: impl Into<String>) -> Header {
        Header {
            name: name.to_owned(),
            value: value.into(),
            secret: false,
        }
    }

    pub fn secret(name: &str, value: impl Into<String>) -> Header {
        Header {
            secret: true,
            ..Header::plain(name, value)
        }
    }

    fn shown_value(&self) -> &str {
        if self.secret { REDACTED } else { &self.value }
    }
}

impl FormField {
    pub fn plain(name: &str, value: impl Into<String>) -> FormField {
        FormField {
            name: name.to_owned(),
            value: value.into(),
            secret: false,
        }
    }

    pub fn secret(name: &str, value: impl Into<String>) -> FormField {
        FormField {
            secret: true,
            ..FormField::plain(name, value)
        }
    }

    fn shown_value(&self) -> &str {
        if self.secret { REDACTED } else { &self.value }
    }
}

impl fmt::Debug for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Header")
            .field("name", &self.name)
            .field("value", &self.shown_value())
            .field("secret", &self.secret)
            .finish()
    }
}

impl fmt::Debug for FormField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FormField")
            .field("name", &self.name)
            .field("value", &self.shown_value())
            .field("secret", &self.secret)
            .finish()
    }
}

impl PreparedRequest {
    /// The request as text for `--dry-run`: method and URL, headers, a blank line, the body.
    /// Every secret is shown as `***`; form fields are shown one per line, not URL-encoded, so
    /// the message text stays readable.
    pub fn redacted(&self) -> String {
        let mut out = format!("{} {}\n", self.method, self.url);
        for header in &self.headers {
            out.push_str(&format!("{}: {}\n", header.name, header.shown_value()));
        }
        out.push_str(&format!("Content-Type: {}\n\n", self.body.content_type()));
        match &self.body {
            Body::Json(value) => {
                // Serialising a `Value` cannot fail; the fallback only avoids a panic path.
                let pretty = serde_json::to_string_pretty(value).unwrap_or_default();
                out.push_str(&pretty);
                out.push('\n');
            }
            Body::Form(fields) => {
                for field in fields {
                    out.push_str(&format!("{}={}\n", field.name, field.shown_value()));
                }
            }
        }
        out
    }

    /// The value of the first header called `name` (case-insensitive), for tests and callers
    /// that inspect a request.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    /// The value of the form field `name`, when the body is a form.
    pub fn form_field(&self, name: &str) -> Option<&str> {
        match &self.body {
            Body::Form(fields) => fields
                .iter()
                .find(|f| f.name == name)
                .map(|f| f.value.as_str()),
            Body::Json(_) => None,
        }
    }
}

impl Body {
    pub fn content_type(&self) -> &'static str {
        match self {
            Body::Json(_) => "application/json",
            Body::Form(_) => "application/x-www-form-urlencoded",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> PreparedRequest {
        PreparedRequest {
            method: Method::POST,
            url: "https://example.org/sms/json".into(),
            headers: vec![
                Header::plain("Accept", "application/json"),
                Header::secret("Authorization", "App s3cr3t-key"),
            ],
            body: Body::Form(vec![
                FormField::secret("api_secret", "s3cr3t-form"),
                FormField::plain("text", "Hello & welcome"),
            ]),
        }
    }

    #[test]
    fn the_dry_run_hides_secrets_and_shows_the_rest() {
        let shown = sample().redacted();
        assert_eq!(
            shown,
            "POST https://example.org/sms/json\n\
             Accept: application/json\n\
             Authorization: ***\n\
             Content-Type: application/x-www-form-urlencoded\n\
             \n\
             api_secret=***\n\
             text=Hello & welcome\n"
        );
    }

    #[test]
    fn debug_hides_secrets() {
        let debug = format!("{:?}", sample());
        assert!(!debug.contains("s3cr3t"), "{debug}");
        assert!(debug.contains("Hello & welcome"), "{debug}");
    }

    #[test]
    fn renders_a_json_body() {
        let request = PreparedRequest {
            body: Body::Json(serde_json::json!({"to": ["+260971234567"]})),
            headers: vec![],
            ..sample()
        };
        let shown = request.redacted();
        assert!(
            shown.contains("Content-Type: application/json\n\n{"),
            "{shown}"
        );
        assert!(shown.contains("\"+260971234567\""), "{shown}");
    }

    #[test]
    fn finds_headers_and_fields() {
        let request = sample();
        assert_eq!(request.header("authorization"), Some("App s3cr3t-key"));
        assert_eq!(request.form_field("text"), Some("Hello & welcome"));
        assert_eq!(request.form_field("missing"), None);
    }
}
