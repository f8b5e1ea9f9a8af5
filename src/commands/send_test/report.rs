//! What `send-test` shows: the message about to go (for the confirmation, `--dry-run` and the
//! result), the outcome of each message, and the summary table of `--all`, in human or JSON form.
//! The recipient's number only ever appears masked.

use crvs_comms::gateway::{Delivery, Gateway, GatewayError, PreparedRequest};
use crvs_comms::phone;
use crvs_comms::sms::Encoding;
use serde::Serialize;

use super::message::{TestMessage, plural};
use crate::output;

/// Where the messages of a run go.
#[derive(Debug, Serialize)]
pub struct Route {
    pub gateway: String,
    pub provider: &'static str,
    /// Masked.
    pub to: String,
    #[serde(skip)]
    provider_name: &'static str,
    /// The number in full, kept to mask it wherever a gateway quotes it back.
    #[serde(skip)]
    e164: String,
}

impl Route {
    pub fn new(gateway: &Gateway, e164: &str) -> Route {
        Route {
            gateway: gateway.name().to_owned(),
            provider: gateway.provider().key(),
            to: phone::mask(e164),
            provider_name: gateway.provider().display_name(),
            e164: e164.to_owned(),
        }
    }

    /// `text` with the recipient's number masked, in both the `+260…` form and the bare digits
    /// some gateways use.
    pub fn mask(&self, text: &str) -> String {
        let digits = self.e164.trim_start_matches('+');
        text.replace(&self.e164, &self.to)
            .replace(digits, self.to.trim_start_matches('+'))
    }

    /// `err` with the recipient's number masked wherever the gateway quoted it.
    pub fn mask_error(&self, err: GatewayError) -> GatewayError {
        let digits = self.e164.trim_start_matches('+');
        err.replace_text(digits, self.to.trim_start_matches('+'))
    }

    fn gateway_line(&self) -> String {
        format!("{} ({})", self.gateway, self.provider_name)
    }
}

/// The SMS as the JSON report shows it.
#[derive(Debug, Serialize)]
pub struct SmsShown {
    pub text: String,
    pub encoding: Encoding,
    pub parts: usize,
    pub units: usize,
}

/// What became of one message.
#[derive(Debug, Serialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum Verdict {
    /// `--dry-run`: the request that would have gone, secrets and number masked.
    DryRun {
        request: String,
    },
    Sent {
        message_id: Option<String>,
        status: String,
        /// Parts the gateway says it billed, when it says.
        billed_parts: Option<u32>,
        attempts: u32,
    },
    Failed {
        error: String,
    },
    /// Not sent, for a reason found before sending.
    Skipped {
        reason: String,
    },
}

#[derive(Debug, Serialize)]
pub struct MessageReport {
    pub notification: String,
    pub language: String,
    pub enabled: bool,
    pub sms: Option<SmsShown>,
    #[serde(flatten)]
    pub verdict: Verdict,
}

impl MessageReport {
    pub fn of(message: &TestMessage, verdict: Verdict) -> MessageReport {
        MessageReport {
            notification: message.key.clone(),
            language: message.language.clone(),
            enabled: message.enabled,
            sms: Some(SmsShown {
                text: message.sms.text.clone(),
                encoding: message.sms.encoding,
                parts: message.sms.parts,
                units: message.sms.units,
            }),
            verdict,
        }
    }

    pub fn skipped(key: &str, language: &str, enabled: bool, reason: String) -> MessageReport {
        MessageReport {
            notification: key.to_owned(),
            language: language.to_owned(),
            enabled,
            sms: None,
            verdict: Verdict::Skipped { reason },
        }
    }
}

pub fn sent(delivery: &Delivery) -> Verdict {
    Verdict::Sent {
        message_id: delivery.message_id.clone(),
        status: delivery.status.clone(),
        billed_parts: delivery.parts,
        attempts: delivery.attempts,
    }
}

/// The request for `--dry-run`: secrets are `***` already; the number is masked here, and the
/// `User-Agent` the HTTP client adds is shown so the request reads as it goes out.
pub fn dry_run(route: &Route, request: &PreparedRequest) -> Verdict {
    let shown = request.redacted();
    let (request_line, rest) = shown.split_once('\n').unwrap_or((shown.as_str(), ""));
    let agent = format!("User-Agent: crvs-comms/{}", env!("CARGO_PKG_VERSION"));
    Verdict::DryRun {
        request: route.mask(&format!("{request_line}\n{agent}\n{rest}")),
    }
}

/// The message as the confirmation and the human report show it.
pub fn message_block(route: &Route, message: &TestMessage) -> String {
    let sms = &message.sms;
    let capacity = if sms.parts > 1 {
        sms.encoding.multi_part_units() * sms.parts
    } else {
        sms.encoding.single_part_units()
    };
    let mut out = String::new();
    let mut field = |name: &str, value: &str| out.push_str(&format!("{name:<14}{value}\n"));
    field(
        "notification",
        &format!("{} ({})", message.key, message.language),
    );
    field("gateway", &route.gateway_line());
    field("to", &route.to);
    field(
        "encoding",
        &format!(
            "{}, {} ({} of {capacity} units)",
            sms.encoding,
            plural(sms.parts, "part"),
            sms.units
        ),
    );
    field("text", &sms.text);
    out
}

/// The human report of one message: what it was, then what became of it.
pub fn human_single(route: &Route, message: &TestMessage, verdict: &Verdict) -> String {
    let mut out = message_block(route, message);
    match verdict {
        Verdict::DryRun { request } => {
            out.push_str("\nDry run: this request would be sent; nothing was sent.\n\n");
            out.push_str(request);
        }
        Verdict::Sent {
            message_id,
            status,
            billed_parts,
            attempts,
        } => {
            let mut field = |name: &str, value: &str| out.push_str(&format!("{name:<14}{value}\n"));
            field(
                "result",
                &format!("sent ({})", plural(*attempts as usize, "attempt")),
            );
            field(
                "message id",
                message_id.as_deref().unwrap_or("(none given)"),
            );
            field("status", status);
            if let Some(parts) = billed_parts {
                field("billed parts", &parts.to_string());
            }
        }
        Verdict::Failed { error } => out.push_str(&format!("{:<14}{error}\n", "result")),
        Verdict::Skipped { reason } => out.push_str(&format!("{:<14}{reason}\n", "skipped")),
    }
    out
}

/// The list `--all` asks to confirm.
pub fn human_plan(route: &Route, messages: &[TestMessage], skipped: &[MessageReport]) -> String {
    let mut table = output::table(
        output::Stream::Stderr,
        ["notification", "encoding", "parts", "text"],
    );
    for message in messages {
        table.add_row([
            message.key.clone(),
            message.sms.encoding.to_string(),
            message.sms.parts.to_string(),
            message.sms.text.clone(),
        ]);
    }
    let language = messages.first().map_or("", |m| m.language.as_str());
    let mut out = format!(
        "{} in `{language}` to {} through {}:\n{table}\n",
        plural(messages.len(), "message"),
        route.to,
        route.gateway_line(),
    );
    for report in skipped {
        if let Verdict::Skipped { reason } = &report.verdict {
            out.push_str(&format!("not sent: {reason}\n"));
        }
    }
    out
}

/// Counts of a run's results.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub sent: usize,
    pub dry_run: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl Tally {
    pub fn of(reports: &[MessageReport]) -> Tally {
        let mut tally = Tally::default();
        for report in reports {
            match report.verdict {
                Verdict::Sent { .. } => tally.sent += 1,
                Verdict::DryRun { .. } => tally.dry_run += 1,
                Verdict::Failed { .. } => tally.failed += 1,
                Verdict::Skipped { .. } => tally.skipped += 1,
            }
        }
        tally
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if self.dry_run > 0 {
            parts.push(format!("{} shown (dry run)", self.dry_run));
        }
        parts.push(format!("{} sent", self.sent));
        parts.push(format!("{} failed", self.failed));
        parts.push(format!("{} not sent", self.skipped));
        f.write_str(&parts.join(", "))
    }
}

/// The summary table of `--all`.
pub fn human_summary(reports: &[MessageReport]) -> String {
    let mut table = output::table(
        output::Stream::Stdout,
        ["notification", "parts", "result", "detail"],
    );
    for report in reports {
        let parts = report
            .sms
            .as_ref()
            .map(|s| format!("{} {}", s.parts, s.encoding))
            .unwrap_or_default();
        let (result, detail) = match &report.verdict {
            Verdict::DryRun { .. } => ("dry run", String::new()),
            Verdict::Sent {
                message_id, status, ..
            } => (
                "sent",
                match message_id {
                    Some(id) => format!("{status}, id {id}"),
                    None => status.clone(),
                },
            ),
            Verdict::Failed { error } => ("failed", error.clone()),
            Verdict::Skipped { reason } => ("not sent", reason.clone()),
        };
        table.add_row([
            report.notification.clone(),
            parts,
            result.to_owned(),
            detail,
        ]);
    }
    format!("{table}\n{}\n", Tally::of(reports))
}

/// The JSON report of one message.
#[derive(Serialize)]
pub struct SingleJson<'a> {
    #[serde(flatten)]
    pub route: &'a Route,
    #[serde(flatten)]
    pub message: &'a MessageReport,
}

/// The JSON report of `--all`.
#[derive(Serialize)]
pub struct RunJson<'a> {
    #[serde(flatten)]
    pub route: &'a Route,
    pub language: &'a str,
    pub messages: &'a [MessageReport],
    pub summary: Tally,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route() -> Route {
        Route {
            gateway: "g".into(),
            provider: "vonage",
            to: phone::mask("+260971234567"),
            provider_name: "Vonage",
            e164: "+260971234567".into(),
        }
    }

    #[test]
    fn masks_the_number_with_and_without_its_plus() {
        assert_eq!(
            route().mask("to=260971234567\n\"+260971234567\""),
            "to=260*******67\n\"+260*******67\""
        );
    }

    #[test]
    fn the_tally_names_every_outcome() {
        let tally = Tally {
            sent: 2,
            dry_run: 0,
            failed: 1,
            skipped: 3,
        };
        assert_eq!(tally.to_string(), "2 sent, 1 failed, 3 not sent");
    }
}
