//! `crvs-comms edit KEY`: changes a notification's SMS copy or email subject in one language,
//! from `--text` or in the user's editor. The new copy goes through the same checks as `check`
//! before anything is written: errors refuse the change unless `--force`; warnings are shown.

use std::collections::HashSet;
use std::io::IsTerminal;

use clap::{ArgGroup, Args};
use crvs_comms::catalogue::Catalogue;
use crvs_comms::check;
use crvs_comms::findings::{Finding, Summary};
use crvs_comms::model::Channel;
use crvs_comms::report;
use crvs_comms::store::document::{self, CopyField};
use crvs_comms::store::{Change, StoreError, Transaction};

use super::writes;
use crate::cli::{GlobalArgs, WriteArgs};
use crate::exit::{Exit, Refused};
use crate::output;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("field").required(true).args(["sms", "email_subject"])))]
pub struct EditArgs {
    /// The notification's key, e.g. birthRegistrationNotification
    pub key: String,
    /// The language to change (default: the first of settings.languages)
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// Change the SMS copy
    #[arg(long)]
    pub sms: bool,
    /// Change the email subject
    #[arg(long)]
    pub email_subject: bool,
    /// The new copy
    #[arg(long, value_name = "TEXT", conflicts_with = "editor")]
    pub text: Option<String>,
    /// Open the current copy in $VISUAL or $EDITOR
    #[arg(long)]
    pub editor: bool,
    /// Write the copy even when the checks find errors in it
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub write: WriteArgs,
}

/// The copy the user wrote, and for the editor, the copy they started from.
struct NewCopy {
    text: String,
    started_from: Option<Option<String>>,
}

pub fn run(global: &GlobalArgs, args: &EditArgs) -> anyhow::Result<Exit> {
    let field = if args.sms {
        CopyField::Sms
    } else {
        CopyField::EmailSubject
    };
    let Some(copy) = new_copy(global, args, field)? else {
        output::note("the editor was closed without saving; nothing changed");
        return Ok(Exit::Success);
    };
    let options = writes::options(&args.write);
    let mut tx = writes::begin(global, &options)?;
    let catalogue = tx.catalogue().map_err(|err| writes::failure(global, err))?;
    super::find(catalogue, &args.key)?;
    let language = language(catalogue, args.lang.as_deref())?;
    refuse_if_changed_meanwhile(&tx, &args.key, field, &language, &copy)?;
    let before = check::check_one(catalogue, &tx.loaded().source, &args.key);
    let change = document::set_copy(tx.document_mut(), &args.key, field, &language, &copy.text)
        .map_err(|source| {
            writes::failure(
                global,
                StoreError::Document {
                    path: global.file.clone(),
                    source,
                },
            )
        })?;
    if let Some(preview) = tx.preview().map_err(|err| writes::failure(global, err))?
        && let Some(catalogue) = &preview.loaded.catalogue
    {
        let after = check::check_one(catalogue, &preview.loaded.source, &args.key);
        vet(
            global, &args.key, field, &language, &before, after, args.force,
        )?;
    }
    let outcome = tx
        .commit(change.into_iter().collect())
        .map_err(|err| writes::failure(global, err))?;
    writes::report(global, outcome, |change| describe(&args.key, change))
}

fn new_copy(
    global: &GlobalArgs,
    args: &EditArgs,
    field: CopyField,
) -> anyhow::Result<Option<NewCopy>> {
    if let Some(text) = &args.text {
        return Ok(Some(NewCopy {
            text: text.clone(),
            started_from: None,
        }));
    }
    if !args.editor {
        anyhow::bail!(
            "give the new copy with --text \"…\", or open the current copy in your editor with --editor"
        );
    }
    if !std::io::stdin().is_terminal() {
        anyhow::bail!("--editor needs a terminal; give the new copy with --text \"…\" instead");
    }
    let (_, catalogue) = super::load(global)?;
    super::find(&catalogue, &args.key)?;
    let language = language(&catalogue, args.lang.as_deref())?;
    let text = std::fs::read_to_string(&global.file)?;
    let document: toml_edit::DocumentMut = text.parse()?;
    let current = document::copy(&document, &args.key, field, &language);
    let edited = dialoguer::Editor::new().edit(current.as_deref().unwrap_or_default())?;
    Ok(edited.map(|text| NewCopy {
        text,
        started_from: Some(current),
    }))
}

fn language(catalogue: &Catalogue, asked: Option<&str>) -> anyhow::Result<String> {
    let languages: Vec<&str> = catalogue.settings.languages().collect();
    match asked {
        None => languages
            .first()
            .map(|l| (*l).to_owned())
            .ok_or_else(|| anyhow::anyhow!("settings.languages is empty; add a language first")),
        Some(language) if languages.contains(&language) => Ok(language.to_owned()),
        Some(language) => anyhow::bail!(
            "`{language}` is not one of the catalogue's languages ({}); add it to settings.languages first",
            languages.join(", ")
        ),
    }
}

/// With the editor, the copy may have changed while it was open: refuse rather than overwrite
/// that change, and give back what the user wrote so it is not lost.
fn refuse_if_changed_meanwhile(
    tx: &Transaction,
    key: &str,
    field: CopyField,
    language: &str,
    copy: &NewCopy,
) -> anyhow::Result<()> {
    let Some(started_from) = &copy.started_from else {
        return Ok(());
    };
    if document::copy(tx.document(), key, field, language) == *started_from {
        return Ok(());
    }
    Err(Refused(format!(
        "{key} {} was changed by someone else while your editor was open; nothing was written. Your text was:\n{}",
        field.name(language),
        copy.text
    ))
    .into())
}

/// Shows the findings about the new copy; errors refuse the change unless `--force`.
fn vet(
    global: &GlobalArgs,
    key: &str,
    field: CopyField,
    language: &str,
    before: &[Finding],
    after: Vec<Finding>,
    force: bool,
) -> anyhow::Result<()> {
    let channel = match field {
        CopyField::Sms => Channel::Sms,
        CopyField::EmailSubject => Channel::Email,
    };
    let identity = |f: &Finding| (f.code, f.channel, f.language.clone(), f.message.clone());
    let known: HashSet<_> = before.iter().map(identity).collect();
    let relevant: Vec<Finding> = after
        .into_iter()
        .filter(|f| {
            let about_this_copy =
                f.channel == Some(channel) && f.language.as_deref() == Some(language);
            about_this_copy || !known.contains(&identity(f))
        })
        .collect();
    let style = super::stderr_style(global.color);
    for finding in &relevant {
        output::note(&report::human_line(finding, style));
    }
    let summary = Summary::of(&relevant);
    if summary.errors == 0 {
        return Ok(());
    }
    if force {
        output::note(&format!(
            "{summary} in the new copy; written anyway (--force)"
        ));
        return Ok(());
    }
    Err(Refused(format!(
        "the new {} of {key} has {summary}; nothing was written. Fix the copy, or pass --force to write it anyway",
        field.name(language)
    ))
    .into())
}

fn describe(key: &str, change: &Change) -> String {
    format!(
        "{key} {}: {} → {}",
        change.field,
        writes::show_value(&change.field, change.old.as_ref()),
        writes::show_value(&change.field, change.new.as_ref()),
    )
}
