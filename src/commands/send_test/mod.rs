//! `crvs-comms send-test`: sends a real SMS through a configured gateway so someone can read it on
//! a handset, before go-live and after every copy change. One notification, or `--all` the enabled
//! ones in a language; `--dry-run` shows the HTTP request instead of sending it.
//!
//! Everything that can be checked is checked before the first request: the phone number, the
//! copy (rendered as `preview` renders it, refused on check errors), the gateway and its
//! credentials, and the user's confirmation.

mod delivery;
mod message;
mod report;

use std::collections::BTreeMap;
use std::io::IsTerminal;

use anyhow::Context as _;
use clap::{ArgGroup, Args};
use crvs_comms::catalogue::Catalogue;
use crvs_comms::contract::Contract;
use crvs_comms::gateway::Gateway;
use crvs_comms::render::Renderer;
use crvs_comms::sample::SampleData;
use crvs_comms::{phone, report as findings_report};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{Format, GlobalArgs};
use crate::exit::{Exit, Refused};
use crate::output;
use delivery::Courier;
use message::{NotSendable, TestMessage};
use report::{MessageReport, Route, Tally, Verdict};

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("what").required(true).args(["key", "all"])))]
pub struct SendTestArgs {
    /// The notification to send, e.g. authenticationCodeNotification
    pub key: Option<String>,
    /// Send every enabled notification that has SMS copy in the language, one after another
    #[arg(long)]
    pub all: bool,
    /// The test phone: +260971234567, or a national number in settings.default_region
    #[arg(long, value_name = "PHONE")]
    pub to: String,
    /// The language of the copy (default: the first of settings.languages)
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// Use this value for a variable instead of the sample data (repeatable)
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_assignment)]
    pub set: Vec<(String, String)>,
    /// The gateway to send through (default: settings.default_gateway)
    #[arg(long, value_name = "NAME")]
    pub gateway: Option<String>,
    /// Print the HTTP request that would be sent, with secrets as ***, and send nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Send without asking for confirmation (needed when stdin is not a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Show each attempt, reply status and retry wait on stderr (never a secret)
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

fn parse_assignment(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!(
            "`{text}` is not NAME=VALUE; write it like --set trackingId=B7X2K9Q"
        )),
    }
}

pub fn run(global: &GlobalArgs, args: &SendTestArgs) -> anyhow::Result<Exit> {
    let (loaded, catalogue) = super::load(global)?;
    let to = recipient(&catalogue, &args.to)?;
    let language = language(&catalogue, args.lang.as_deref())?;
    let overrides: BTreeMap<String, String> = args.set.iter().cloned().collect();
    let context = message::Context {
        catalogue: &catalogue,
        source: &loaded.source,
        contract: Contract::for_profile(catalogue.settings.opencrvs),
        sample: sample_data(&catalogue)?,
        renderer: Renderer::new(),
        language: &language,
        overrides: &overrides,
    };
    match &args.key {
        Some(key) => single(global, args, &context, &to, key),
        None => all(args, &context, &to),
    }
}

/// The `--to` number in E.164 form; an invalid one ends the command before anything is sent.
fn recipient(catalogue: &Catalogue, input: &str) -> anyhow::Result<String> {
    let region = catalogue
        .settings
        .default_region
        .as_ref()
        .map(|r| r.get_ref().as_str());
    phone::normalise(input, region).context("invalid --to")
}

fn language(catalogue: &Catalogue, asked: Option<&str>) -> anyhow::Result<String> {
    let known: Vec<&str> = catalogue.settings.languages().collect();
    match asked {
        Some(language) if known.contains(&language) => Ok(language.to_owned()),
        Some(language) => anyhow::bail!(
            "--lang {language} is not one of the catalogue's languages ({})",
            known.join(", ")
        ),
        None => catalogue
            .settings
            .default_language()
            .map(str::to_owned)
            .context("settings.languages is empty; list at least one language"),
    }
}

fn sample_data(catalogue: &Catalogue) -> anyhow::Result<SampleData> {
    match catalogue.sample_data_path() {
        Some(path) => Ok(SampleData::load(&path)?),
        None => Ok(SampleData::default()),
    }
}

/// The gateway named by `--gateway`, else by `settings.default_gateway`, else the only one;
/// its credentials are read from the environment here.
fn gateway(catalogue: &Catalogue, asked: Option<&str>) -> anyhow::Result<Gateway> {
    let default = catalogue.settings.default_gateway.as_ref();
    let configured: Vec<&String> = catalogue.gateways.keys().collect();
    let name = match (asked, default, configured.as_slice()) {
        (Some(name), _, _) => name.to_owned(),
        (None, Some(name), _) => name.get_ref().clone(),
        (None, None, [only]) => (*only).clone(),
        (None, None, []) => anyhow::bail!(
            "{} has no gateway: add a [gateways.NAME] table (README, \"Sending a test SMS\")",
            catalogue.path.display()
        ),
        (None, None, _) => anyhow::bail!(
            "{} has several gateways; choose one with --gateway NAME or set \
             settings.default_gateway",
            catalogue.path.display()
        ),
    };
    let Some(config) = catalogue.gateways.get(&name) else {
        let names = catalogue.gateways.keys().map(String::as_str);
        let hint = match crvs_comms::check::closest(&name, names) {
            Some(near) => format!("; did you mean `{near}`?"),
            None => String::new(),
        };
        anyhow::bail!(
            "no gateway `{name}` in {} (its gateways: {}){hint}",
            catalogue.path.display(),
            catalogue
                .gateways
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        );
    };
    let env = |variable: &str| std::env::var(variable).ok();
    Ok(Gateway::from_config(&name, config.get_ref(), &env)?)
}

fn single(
    global: &GlobalArgs,
    args: &SendTestArgs,
    context: &message::Context<'_>,
    to: &str,
    key: &str,
) -> anyhow::Result<Exit> {
    let notification = super::find(context.catalogue, key)?;
    let message = match context.compose(key, notification) {
        Ok(message) => message,
        Err(NotSendable::CheckErrors(findings)) => {
            let style = findings_report::Style {
                color: output::stderr_color(global.color),
            };
            for finding in &findings {
                output::note(&findings_report::human_line(finding, style));
            }
            let reason = NotSendable::CheckErrors(findings).reason(key, context.language);
            return Err(Refused(reason).into());
        }
        Err(other) => anyhow::bail!(other.reason(key, context.language)),
    };
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

fn all(args: &SendTestArgs, context: &message::Context<'_>, to: &str) -> anyhow::Result<Exit> {
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

/// The `--verbose` trace: lines on stderr, above the progress bar when there is one; nothing
/// without `--verbose`.
fn tracer<'a>(
    verbose: bool,
    route: &'a Route,
    bar: Option<&'a ProgressBar>,
) -> impl FnMut(String) + 'a {
    move |line: String| {
        if !verbose {
            return;
        }
        let line = route.mask(&line);
        match bar {
            Some(bar) => bar.suspend(|| output::note(&line)),
            None => output::note(&line),
        }
    }
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

/// Asks before sending; `--yes` answers for the user, and without a terminal it must.
fn confirm(yes: bool, summary: &str, question: &str) -> anyhow::Result<()> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "send-test asks for confirmation before sending, but stdin is not a terminal; \
             pass --yes to send without asking"
        );
    }
    output::note(summary);
    let answer = dialoguer::Confirm::new()
        .with_prompt(question)
        .default(false)
        .interact()
        .context("while asking for confirmation")?;
    if answer {
        Ok(())
    } else {
        Err(Refused("nothing was sent: the confirmation was declined".to_owned()).into())
    }
}
