//! `send-test --all`: every enabled notification with SMS copy in the language, one after another
//! behind a progress bar, then a summary table. Messages that cannot be sent are listed, not sent.

use std::io::IsTerminal;

use crvs_comms::catalogue::Catalogue;
use crvs_comms::gateway::Gateway;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::delivery::Courier;
use super::message::{self, TestMessage};
use super::report::{self, MessageReport, Route, Tally, Verdict};
use super::{SendTestArgs, confirm, gateway, tracer};
use crate::cli::Format;
use crate::exit::Exit;
use crate::output;

pub fn run(args: &SendTestArgs, context: &message::Context<'_>, to: &str) -> anyhow::Result<Exit> {
    let (messages, skipped) = plan_all(context)?;
    let gateway = gateway(context.catalogue, args.gateway.as_deref())?;
    let route = Route::new(&gateway, to);
    let mut reports = skipped;
    if args.dry_run {
        for message in &messages {
            let request = gateway.prepare(&message.outgoing(to));
            reports.push(MessageReport::of(
                message,
                report::dry_run(&route, &request),
            ));
        }
    } else if !messages.is_empty() {
        let plan = report::human_plan(&route, &messages, &reports);
        confirm(
            args.yes,
            &plan,
            &format!("Send these {} SMS now?", messages.len()),
        )?;
        reports.extend(send_all(args.verbose, &gateway, &route, to, &messages)?);
    }
    sort_as_catalogue(context.catalogue, &mut reports);
    print_all(args, context.language, &route, &reports)?;
    let tally = Tally::of(&reports);
    Ok(if tally.failed > 0 {
        Exit::Undelivered
    } else if tally.skipped > 0 {
        Exit::Problems
    } else {
        Exit::Success
    })
}

/// Every enabled notification with SMS copy in the language, composed; those that cannot be
/// sent become skipped reports.
fn plan_all(
    context: &message::Context<'_>,
) -> anyhow::Result<(Vec<TestMessage>, Vec<MessageReport>)> {
    let language = context.language;
    let candidates: Vec<_> = context
        .catalogue
        .notifications
        .iter()
        .filter(|(_, n)| n.enabled && n.sms.contains_key(language))
        .collect();
    if candidates.is_empty() {
        anyhow::bail!("no enabled notification has SMS copy in `{language}`: nothing to send");
    }
    let mut messages = Vec::new();
    let mut skipped = Vec::new();
    for (key, notification) in candidates {
        match context.compose(key, notification) {
            Ok(message) => messages.push(message),
            Err(why) => skipped.push(MessageReport::skipped(
                key,
                language,
                notification.enabled,
                why.reason(key, language),
            )),
        }
    }
    Ok((messages, skipped))
}

fn send_all(
    verbose: bool,
    gateway: &Gateway,
    route: &Route,
    to: &str,
    messages: &[TestMessage],
) -> anyhow::Result<Vec<MessageReport>> {
    let courier = Courier::new(gateway)?;
    let bar = progress_bar(messages.len());
    let mut reports = Vec::new();
    for message in messages {
        bar.set_message(message.key.clone());
        let mut trace = tracer(verbose, route, Some(&bar));
        let verdict = match courier.send(&message.outgoing(to), &mut trace) {
            Ok(delivery) => report::sent(&delivery),
            Err(err) => Verdict::Failed {
                error: route.mask_error(err).to_string(),
            },
        };
        reports.push(MessageReport::of(message, verdict));
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(reports)
}

fn progress_bar(len: usize) -> ProgressBar {
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(len as u64), target);
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}") {
        bar.set_style(style);
    }
    bar
}

fn print_all(
    args: &SendTestArgs,
    language: &str,
    route: &Route,
    reports: &[MessageReport],
) -> anyhow::Result<()> {
    let text = match args.format {
        Format::Json => {
            let json = report::RunJson {
                route,
                language,
                messages: reports,
                summary: Tally::of(reports),
            };
            serde_json::to_string_pretty(&json)? + "\n"
        }
        Format::Human if args.dry_run => dry_run_listing(reports) + &report::human_summary(reports),
        Format::Human => report::human_summary(reports),
    };
    output::print(&text)
}

fn dry_run_listing(reports: &[MessageReport]) -> String {
    let mut out = String::from("Dry run: these requests would be sent; nothing was sent.\n");
    for report in reports {
        if let Verdict::DryRun { request } = &report.verdict {
            out.push_str(&format!(
                "\n# {} ({})\n{request}",
                report.notification, report.language
            ));
        }
    }
    out.push('\n');
    out
}

/// Reports in the catalogue's order, whatever order they were produced in.
fn sort_as_catalogue(catalogue: &Catalogue, reports: &mut [MessageReport]) {
    reports.sort_by_key(|r| catalogue.notifications.get_index_of(&r.notification));
}
