//! `preview KEY`: one message, as text for a person (the SMS with what it costs, or the email's
//! subject and a plain-text rendition of its body) or as JSON.

use std::collections::BTreeMap;

use anyhow::Context as _;
use crvs_comms::catalogue::Catalogue;
use crvs_comms::model::Channel;
use crvs_comms::preview::{self, PreviewError, RenderedEmail, RenderedSms};
use crvs_comms::sample::SampleData;
use crvs_comms::sms::{Encoding, NonGsmChar};
use serde::Serialize;

use super::PreviewArgs;
use crate::cli::Format;
use crate::exit::{Exit, Refused};
use crate::output;

#[derive(Serialize)]
struct SmsJson<'a> {
    notification: &'a str,
    channel: Channel,
    language: &'a str,
    text: &'a str,
    encoding: Encoding,
    units: usize,
    parts: usize,
    remaining_in_part: usize,
    non_gsm: &'a [NonGsmChar],
    worst_case_parts: Option<usize>,
}

#[derive(Serialize)]
struct EmailJson<'a> {
    notification: &'a str,
    channel: Channel,
    language: &'a str,
    subject: &'a str,
    html: &'a str,
}

pub fn run(
    catalogue: &Catalogue,
    sample: &SampleData,
    key: &str,
    language: &str,
    overrides: &BTreeMap<String, String>,
    args: &PreviewArgs,
) -> anyhow::Result<Exit> {
    let notification = crate::commands::find(catalogue, key)?;
    let channel = match args.channel {
        Some(channel) => channel,
        None => preview::default_channel(catalogue, notification).ok_or_else(|| {
            Refused(format!(
                "`{key}` has no SMS or email copy yet; add some to {}",
                catalogue.path.display()
            ))
        })?,
    };
    let text = match channel {
        Channel::Sms => sms_preview(catalogue, sample, key, language, overrides, args)?,
        Channel::Email => email_preview(catalogue, sample, key, language, overrides, args)?,
    };
    output::print(&text)?;
    Ok(Exit::Success)
}

fn sms_preview(
    catalogue: &Catalogue,
    sample: &SampleData,
    key: &str,
    language: &str,
    overrides: &BTreeMap<String, String>,
    args: &PreviewArgs,
) -> anyhow::Result<String> {
    if args.out.is_some() {
        anyhow::bail!(
            "--out writes an email body, and this preview is the SMS of `{key}`; add --channel email"
        );
    }
    let sms = preview::render_sms(catalogue, sample, key, language, overrides)
        .map_err(|err| refusal(err, catalogue, args))?;
    let limit = catalogue.settings.max_sms_parts() as usize;
    Ok(match args.format {
        Format::Json => json(&sms_json(&sms))?,
        Format::Human => human_sms(&sms, limit),
    })
}

fn email_preview(
    catalogue: &Catalogue,
    sample: &SampleData,
    key: &str,
    language: &str,
    overrides: &BTreeMap<String, String>,
    args: &PreviewArgs,
) -> anyhow::Result<String> {
    let email = preview::render_email(catalogue, sample, key, language, overrides)
        .map_err(|err| refusal(err, catalogue, args))?;
    if let Some(out) = &args.out {
        std::fs::write(out, &email.html)
            .with_context(|| format!("cannot write the email body to {}", out.display()))?;
        output::note(&format!(
            "wrote the rendered email body to {}",
            out.display()
        ));
    }
    Ok(match args.format {
        Format::Json => json(&EmailJson {
            notification: &email.notification,
            channel: Channel::Email,
            language: &email.language,
            subject: &email.subject,
            html: &email.html,
        })?,
        Format::Human => human_email(&email),
    })
}

/// A problem with the catalogue's copy or sample data is a refusal (exit 1); a file that cannot
/// be read is a failure (exit 2).
fn refusal(err: PreviewError, catalogue: &Catalogue, args: &PreviewArgs) -> anyhow::Error {
    match &err {
        PreviewError::BodyFile { .. } | PreviewError::UnknownNotification { .. } => err.into(),
        _ if err.missing_values().is_some() => {
            Refused(format!("{err}; {}", super::sample_hint(catalogue, args))).into()
        }
        PreviewError::NoCopyIn { channel, .. } => Refused(format!(
            "{err}: add it, or choose a language with --lang{}",
            if args.channel.is_none() && *channel == Channel::Sms {
                " (or --channel email)"
            } else {
                ""
            }
        ))
        .into(),
        _ => Refused(err.to_string()).into(),
    }
}

fn json(value: &impl Serialize) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(value)? + "\n")
}

fn sms_json(sms: &RenderedSms) -> SmsJson<'_> {
    let a = &sms.analysis;
    SmsJson {
        notification: &sms.notification,
        channel: Channel::Sms,
        language: &sms.language,
        text: &a.text,
        encoding: a.encoding,
        units: a.units,
        parts: a.parts,
        remaining_in_part: a.remaining_in_part,
        non_gsm: &a.non_gsm,
        worst_case_parts: sms.worst_case_parts,
    }
}

fn human_sms(sms: &RenderedSms, limit: usize) -> String {
    let a = &sms.analysis;
    let mut out = format!("{} · SMS · {}\n\n", sms.notification, sms.language);
    for line in a.text.lines() {
        out.push_str(&format!("  {line}\n"));
    }
    out.push('\n');
    let mut field = |name: &str, value: &str| out.push_str(&format!("{name:<12}{value}\n"));
    field("encoding", &encoding_line(a.encoding, &a.non_gsm));
    for c in &a.non_gsm {
        field(
            "",
            &format!(
                "`{}` U+{:04X} at character {}",
                c.ch,
                u32::from(c.ch),
                c.index + 1
            ),
        );
    }
    field("units", &a.units.to_string());
    field("parts", &parts_line(a.parts, "", limit));
    field(
        "remaining",
        &format!("{} free in the last part", units(a.remaining_in_part)),
    );
    field(
        "worst case",
        &match sms.worst_case_parts {
            Some(worst) => parts_line(worst, " with every variable at its max_length", limit),
            None => "unknown: no variable of this message has a max_length".to_owned(),
        },
    );
    out
}

fn encoding_line(encoding: Encoding, non_gsm: &[NonGsmChar]) -> String {
    match encoding {
        Encoding::Gsm7 => "GSM-7".to_owned(),
        Encoding::Ucs2 => format!(
            "UCS-2 (70 units a part instead of 160), forced by {} character{}:",
            non_gsm.len(),
            if non_gsm.len() == 1 { "" } else { "s" }
        ),
    }
}

fn parts_line(parts: usize, condition: &str, limit: usize) -> String {
    let count = format!(
        "{parts} part{}{condition}",
        if parts == 1 { "" } else { "s" }
    );
    if parts > limit {
        format!("{count}: over settings.max_sms_parts ({limit})")
    } else {
        count
    }
}

fn units(n: usize) -> String {
    format!("{n} unit{}", if n == 1 { "" } else { "s" })
}

fn human_email(email: &RenderedEmail) -> String {
    let mut out = format!("{} · email · {}\n\n", email.notification, email.language);
    out.push_str(&format!(
        "{:<12}{}\n",
        "subject",
        plain_line(&email.subject)
    ));
    out.push_str(&format!("{:<12}{}\n\n", "body", email.body_path.display()));
    for line in preview::plain_text(&email.html).lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}

/// The subject as the inbox shows it: its entities decoded.
fn plain_line(subject: &str) -> String {
    preview::plain_text(subject).trim_end().to_owned()
}
