//! `crvs-comms send-test`: sends a real SMS through a configured gateway so someone can read it on
//! a handset, before go-live and after every copy change. One notification, or `--all` the enabled
//! ones in a language; `--dry-run` shows the HTTP request instead of sending it.
//!
//! Everything that can be checked is checked before the first request: the phone number, the
//! copy (rendered as `preview` renders it, refused on check errors), the gateway and its
//! credentials, and the user's confirmation.

mod all;
mod delivery;
mod message;
mod report;
mod single;

use std::collections::BTreeMap;
use std::io::IsTerminal;

use anyhow::Context as _;
use clap::{ArgGroup, Args};
use crvs_comms::catalogue::Catalogue;
use crvs_comms::contract::Contract;
use crvs_comms::gateway::Gateway;
use crvs_comms::phone;
use crvs_comms::sample::SampleData;
use indicatif::ProgressBar;

use crate::cli::parse_assignment;
use crate::cli::{Format, GlobalArgs};
use crate::exit::{Exit, Refused};
use crate::output;
use report::Route;

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
        language: &language,
        overrides: &overrides,
    };
    match &args.key {
        Some(key) => single::run(global, args, &context, &to, key),
        None => all::run(args, &context, &to),
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
    let Some(path) = catalogue.sample_data_path() else {
        return Ok(SampleData::default());
    };
    SampleData::load(&path).with_context(|| {
        format!(
            "fix the sample data named by settings.sample_data ({})",
            path.display()
        )
    })
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
