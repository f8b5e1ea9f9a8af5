//! `crvs-comms toggle`: switches notifications on or off, by key or by selection (`--event`,
//! `--audience`, `--all`), or by ticking them in a list on a terminal. The notifications staff
//! cannot work without are only switched off with `--force`.

use std::io::IsTerminal;

use clap::Args;
use crvs_comms::catalogue::Catalogue;
use crvs_comms::contract::Contract;
use crvs_comms::model::{Audience, Event};
use crvs_comms::store::{Change, StoreError, Transaction, document};

use super::writes;
use crate::cli::{GlobalArgs, WriteArgs, parse_audience, parse_event};
use crate::exit::{Exit, Refused};

#[derive(Debug, Args)]
pub struct ToggleArgs {
    /// The notifications to switch (with no key and no selection, a list to tick on a terminal)
    pub keys: Vec<String>,
    /// Switch them on
    #[arg(long, conflicts_with = "off")]
    pub on: bool,
    /// Switch them off
    #[arg(long)]
    pub off: bool,
    /// Select every notification about this event: birth, death or marriage
    #[arg(long, value_parser = parse_event, conflicts_with = "keys")]
    pub event: Option<Event>,
    /// Select every notification for this audience: informant or user
    #[arg(long, value_parser = parse_audience, conflicts_with = "keys")]
    pub audience: Option<Audience>,
    /// Select every notification
    #[arg(long, conflicts_with_all = ["keys", "event", "audience"])]
    pub all: bool,
    /// Switch off even a notification staff cannot work without (a sign-in code, a password)
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub write: WriteArgs,
}

/// The state each chosen notification should end up in.
type Plan = Vec<(String, bool)>;

pub fn run(global: &GlobalArgs, args: &ToggleArgs) -> anyhow::Result<Exit> {
    let mut options = writes::options(&args.write);
    let chosen_on_terminal = if has_selection(args) {
        None
    } else {
        let (plan, revision) = choose_interactively(global)?;
        // The list showed the file at this revision; a change made meanwhile must not be undone.
        options.expect_revision = options.expect_revision.or(Some(revision));
        Some(plan)
    };
    let mut tx = writes::begin(global, &options)?;
    let catalogue = tx.catalogue().map_err(|err| writes::failure(global, err))?;
    let plan = match chosen_on_terminal {
        Some(plan) => plan,
        None => plan_from_args(catalogue, args)?,
    };
    refuse_essentials_off(catalogue, &tx, &plan, args.force)?;
    let tell_unchanged = !args.keys.is_empty();
    let changes =
        apply(&mut tx, &plan, tell_unchanged).map_err(|err| writes::failure(global, err))?;
    let outcome = tx
        .commit(changes)
        .map_err(|err| writes::failure(global, err))?;
    writes::report(global, outcome, describe)
}

fn has_selection(args: &ToggleArgs) -> bool {
    !args.keys.is_empty() || args.event.is_some() || args.audience.is_some() || args.all
}

fn plan_from_args(catalogue: &Catalogue, args: &ToggleArgs) -> anyhow::Result<Plan> {
    let state = match (args.on, args.off) {
        (true, _) => true,
        (_, true) => false,
        _ => anyhow::bail!("say which way to switch them: add --on or --off"),
    };
    let keys: Vec<String> = if args.keys.is_empty() {
        let selected: Vec<String> = catalogue
            .notifications
            .iter()
            .filter(|(_, n)| args.event.is_none_or(|e| n.event == Some(e)))
            .filter(|(_, n)| args.audience.is_none_or(|a| n.audience == a))
            .map(|(key, _)| key.clone())
            .collect();
        if selected.is_empty() {
            anyhow::bail!(
                "no notification matches this selection; `crvs-comms list` shows them all"
            );
        }
        selected
    } else {
        for key in &args.keys {
            super::find(catalogue, key)?;
        }
        args.keys.clone()
    };
    Ok(keys.into_iter().map(|key| (key, state)).collect())
}

/// The list to tick, pre-ticked with the current states; only on a terminal.
fn choose_interactively(global: &GlobalArgs) -> anyhow::Result<(Plan, i64)> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        anyhow::bail!(
            "name the notifications to switch (KEY..., or --event, --audience or --all) with --on or --off; the list to tick is only shown on a terminal"
        );
    }
    let (_, catalogue) = super::load(global)?;
    let keys: Vec<&String> = catalogue.notifications.keys().collect();
    let items: Vec<String> = catalogue
        .notifications
        .iter()
        .map(|(key, n)| match &n.label {
            Some(label) => format!("{key}  ({label})"),
            None => key.clone(),
        })
        .collect();
    let states: Vec<bool> = catalogue
        .notifications
        .values()
        .map(|n| n.enabled)
        .collect();
    let ticked = dialoguer::MultiSelect::new()
        .with_prompt("Notifications switched on (space ticks, enter saves, esc cancels)")
        .items(&items)
        .defaults(&states)
        // What changed is printed after the write; the whole ticked list again would be noise.
        .report(false)
        .interact_opt()?;
    let Some(ticked) = ticked else {
        anyhow::bail!("cancelled; nothing changed");
    };
    let plan = keys
        .iter()
        .enumerate()
        .map(|(index, key)| ((*key).clone(), ticked.contains(&index)))
        .collect();
    Ok((plan, catalogue.revision))
}

/// Refuses (exit 1) to switch off, without `--force`, a notification OpenCRVS staff need.
fn refuse_essentials_off(
    catalogue: &Catalogue,
    tx: &Transaction,
    plan: &Plan,
    force: bool,
) -> anyhow::Result<()> {
    if force {
        return Ok(());
    }
    let contract = Contract::for_profile(catalogue.settings.opencrvs);
    let essential: Vec<String> = plan
        .iter()
        .filter(|(key, on)| !on && catalogue.notifications.get(key).is_some_and(|n| n.enabled))
        .filter_map(|(key, _)| contract.get(key).filter(|spec| spec.essential))
        .map(|spec| format!("{} (it carries {})", spec.key, spec.required.join(" and ")))
        .collect();
    if essential.is_empty() {
        return Ok(());
    }
    Err(Refused(format!(
        "staff cannot work without {}; OpenCRVS itself never switches these off. Nothing was changed in {}; pass --force to switch them off anyway",
        essential.join(", "),
        tx.loaded().source.display
    ))
    .into())
}

/// Sets each state; a named key already in its state is mentioned when `tell_unchanged`.
fn apply(
    tx: &mut Transaction,
    plan: &Plan,
    tell_unchanged: bool,
) -> Result<Vec<Change>, StoreError> {
    let mut changes = Vec::new();
    for (key, on) in plan {
        let change = document::set_enabled(tx.document_mut(), key, *on).map_err(|source| {
            StoreError::Document {
                path: tx.loaded().source.display.clone().into(),
                source,
            }
        })?;
        match change {
            Some(change) => changes.push(change),
            None if tell_unchanged => crate::output::note(&format!(
                "{key}: already {}",
                if *on { "on" } else { "off" }
            )),
            None => {}
        }
    }
    Ok(changes)
}

fn describe(change: &Change) -> String {
    format!(
        "{}: {} → {}",
        change.key.as_deref().unwrap_or_default(),
        writes::show_value(&change.field, change.old.as_ref()),
        writes::show_value(&change.field, change.new.as_ref()),
    )
}
