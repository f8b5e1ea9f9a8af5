//! `send-test KEY`: one notification, refused with its check findings when it has errors, sent
//! with a notice when it is switched off.

use crvs_comms::catalogue::Notification;
use crvs_comms::report as findings_report;

use super::delivery::Courier;
use super::message::{self, NotSendable, TestMessage};
use super::report::{self, MessageReport, Route, Verdict};
use super::{SendTestArgs, confirm, gateway, tracer};
use crate::cli::{Format, GlobalArgs};
use crate::exit::{Exit, Refused};
use crate::output;

pub fn run(
    global: &GlobalArgs,
    args: &SendTestArgs,
    context: &message::Context<'_>,
    to: &str,
    key: &str,
) -> anyhow::Result<Exit> {
    let notification = crate::commands::find(context.catalogue, key)?;
    let message = compose(global, context, key, notification)?;
    if !notification.enabled {
        output::note(&format!(
            "notice: `{key}` is switched off in the catalogue; sending it anyway, as a test"
        ));
    }
    let gateway = gateway(context.catalogue, args.gateway.as_deref())?;
    let route = Route::new(&gateway, to);
    let outgoing = message.outgoing(to);
    if args.dry_run {
        let verdict = report::dry_run(&route, &gateway.prepare(&outgoing));
        print_single(args.format, &route, &message, verdict)?;
        return Ok(Exit::Success);
    }
    confirm(
        args.yes,
        &report::message_block(&route, &message),
        "Send this SMS now?",
    )?;
    let courier = Courier::new(&gateway)?;
    let mut trace = tracer(args.verbose, &route, None);
    match courier.send(&outgoing, &mut trace) {
        Ok(delivery) => {
            print_single(args.format, &route, &message, report::sent(&delivery))?;
            Ok(Exit::Success)
        }
        Err(err) => {
            let err = route.mask_error(err);
            if args.format == Format::Json {
                let verdict = Verdict::Failed {
                    error: err.to_string(),
                };
                print_single(args.format, &route, &message, verdict)?;
            }
            Err(err.into())
        }
    }
}

/// The message, or the reason it cannot be sent: check errors (listed) and missing sample values
/// refuse the send (exit 1); no copy in the language is an error (exit 2).
fn compose(
    global: &GlobalArgs,
    context: &message::Context<'_>,
    key: &str,
    notification: &Notification,
) -> anyhow::Result<TestMessage> {
    let why = match context.compose(key, notification) {
        Ok(message) => return Ok(message),
        Err(why) => why,
    };
    if let NotSendable::CheckErrors(findings) = &why {
        let style = findings_report::Style {
            color: output::stderr_color(global.color),
        };
        for finding in findings {
            output::note(&findings_report::human_line(finding, style));
        }
    }
    let reason = why.reason(key, context.language);
    if why.is_refusal() {
        Err(Refused(reason).into())
    } else {
        Err(anyhow::anyhow!(reason))
    }
}

fn print_single(
    format: Format,
    route: &Route,
    message: &TestMessage,
    verdict: Verdict,
) -> anyhow::Result<()> {
    let text = match format {
        Format::Human => report::human_single(route, message, &verdict),
        Format::Json => {
            let shown = MessageReport::of(message, verdict);
            let json = report::SingleJson {
                route,
                message: &shown,
            };
            serde_json::to_string_pretty(&json)? + "\n"
        }
    };
    output::print(&text)
}
