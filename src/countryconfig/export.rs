//! From a catalogue back to a country configuration: the CSV (the catalogue's languages as
//! columns, its notification order as rows, descriptions kept), each email body at the path
//! OpenCRVS reads it from, and the informant toggles. Building the files is pure; comparing them
//! with what the repository holds tells which are new, which would change and which already agree,
//! so that nothing a country changed by hand is overwritten without being asked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::sms_csv::{self, SmsRow, SmsTable};
use super::sync::SyncRecord;
use super::{CATALOGUE_EMAIL_DIR, CSV_PATH, EMAIL_TEMPLATES_DIR, toggles};
use crate::catalogue::Catalogue;
use crate::contract::Contract;

/// One file export writes, relative to the repository root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// How a file about to be written compares with the one already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    /// There is no such file yet.
    New,
    /// The file is there with the same bytes: nothing to write.
    Unchanged,
    /// The file still holds what crvs-comms last read or wrote there: updating it loses nothing.
    Stale,
    /// The file holds something crvs-comms has not seen: overwriting it needs `--force`.
    Changed,
}

impl FileState {
    pub fn as_str(self) -> &'static str {
        match self {
            FileState::New => "new",
            FileState::Unchanged => "unchanged",
            FileState::Stale => "stale",
            FileState::Changed => "changed",
        }
    }
}

/// Why the catalogue cannot be exported.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot read the email body of `{key}` at {}: {cause}; create it or correct `email.body`", path.display())]
    Body {
        key: String,
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error(
        "`{first}` and `{second}` both export their email body to {path} with different content; OpenCRVS has one file there, so point both at the same template or remove one"
    )]
    SharedPath {
        path: String,
        first: String,
        second: String,
    },
}

/// Every file of the country configuration the catalogue describes.
pub fn files(catalogue: &Catalogue) -> Result<Vec<ExportFile>, ExportError> {
    let mut files = vec![ExportFile {
        path: CSV_PATH.to_owned(),
        bytes: sms_csv::write(&sms_table(catalogue)).into_bytes(),
    }];
    files.extend(email_bodies(catalogue)?);
    let (path, text) = toggles::render(catalogue);
    files.push(ExportFile {
        path: path.to_owned(),
        bytes: text.into_bytes(),
    });
    Ok(files)
}

/// The SMS copy as OpenCRVS's CSV: the catalogue's languages first, then any other language some
/// copy is written in (kept, not dropped), and a row per notification that has SMS copy.
pub fn sms_table(catalogue: &Catalogue) -> SmsTable {
    let mut languages: Vec<String> = catalogue.settings.languages().map(str::to_owned).collect();
    for notification in catalogue.notifications.values() {
        for language in notification.sms.keys() {
            if !languages.contains(language) {
                languages.push(language.clone());
            }
        }
    }
    let rows = catalogue
        .notifications
        .iter()
        .filter(|(_, n)| !n.sms.is_empty())
        .map(|(key, notification)| SmsRow {
            id: key.clone(),
            description: notification.description.clone().unwrap_or_default(),
            copy: languages
                .iter()
                .map(|l| {
                    notification
                        .sms
                        .get(l)
                        .map(|t| t.get_ref().clone())
                        .unwrap_or_default()
                })
                .collect(),
        })
        .collect();
    SmsTable { languages, rows }
}

fn email_bodies(catalogue: &Catalogue) -> Result<Vec<ExportFile>, ExportError> {
    let contract = Contract::for_profile(catalogue.settings.opencrvs);
    let default_language = catalogue.settings.default_language().unwrap_or_default();
    let mut by_path: BTreeMap<String, (String, Vec<u8>)> = BTreeMap::new();
    for (key, notification) in &catalogue.notifications {
        let Some(body) = notification.email_body() else {
            continue;
        };
        // OpenCRVS has one body per message, sent in the first language, so that one is exported.
        let Some(source) = catalogue.email_body_path(notification, default_language) else {
            continue;
        };
        let bytes = std::fs::read(&source).map_err(|err| ExportError::Body {
            key: key.clone(),
            path: source.clone(),
            cause: err,
        })?;
        let target = opencrvs_template_path(&contract, key, body.get_ref());
        match by_path.get(&target) {
            Some((first, existing)) if *existing != bytes => {
                return Err(ExportError::SharedPath {
                    path: format!("{EMAIL_TEMPLATES_DIR}/{target}"),
                    first: first.clone(),
                    second: key.clone(),
                });
            }
            Some(_) => {}
            None => {
                by_path.insert(target, (key.clone(), bytes));
            }
        }
    }
    Ok(by_path
        .into_iter()
        .map(|(target, (_, bytes))| ExportFile {
            path: format!("{EMAIL_TEMPLATES_DIR}/{target}"),
            bytes,
        })
        .collect())
}

/// Where OpenCRVS reads a notification's email body, below the email-templates folder: the
/// contract's path for a key it knows; for a deployment's own message, the catalogue's path below
/// `templates/email/` (where import put it), else `other/` and the file's name.
pub fn opencrvs_template_path(contract: &Contract, key: &str, body: &str) -> String {
    if let Some(path) = contract.get(key).and_then(|s| s.email_template.clone()) {
        return path;
    }
    let body = body.replace("{lang}", "");
    if let Some(rest) = body.strip_prefix(&format!("{CATALOGUE_EMAIL_DIR}/")) {
        return rest.to_owned();
    }
    let name = body.rsplit(['/', '\\']).next().unwrap_or(&body);
    format!("other/{name}")
}

/// Compares each file with the repository at `root`, and with what `record` says crvs-comms
/// last saw there.
pub fn compare(
    root: &Path,
    files: &[ExportFile],
    record: &SyncRecord,
) -> std::io::Result<Vec<FileState>> {
    files
        .iter()
        .map(|file| match std::fs::read(root.join(&file.path)) {
            Ok(existing) if existing == file.bytes => Ok(FileState::Unchanged),
            Ok(existing) if record.is_last_seen(root, &file.path, &existing) => {
                Ok(FileState::Stale)
            }
            Ok(_) => Ok(FileState::Changed),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(FileState::New),
            Err(err) => Err(std::io::Error::new(
                err.kind(),
                format!("cannot read {}: {err}", root.join(&file.path).display()),
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue(dir: &Path, text: &str) -> Catalogue {
        let path = dir.join("n.toml");
        crate::catalogue::parse(&path, "n.toml", text.to_owned())
            .catalogue
            .unwrap()
    }

    const HEAD: &str = "schema_version = 1\nrevision = 1\n[settings]\nopencrvs = \"1.5\"\nlanguages = [\"en\", \"fr\"]\nuser_delivery = \"sms\"\ninformant_delivery = \"sms\"\n";

    #[test]
    fn the_csv_has_a_row_per_notification_with_sms_copy() {
        let dir = tempfile::tempdir().unwrap();
        let text = format!(
            "{HEAD}[notifications.a]\naudience = \"user\"\nenabled = true\ndescription = \"First, with a comma\"\nsms.fr = \"Un\"\nsms.en = \"One\"\nsms.pt = \"Um\"\n[notifications.b]\naudience = \"user\"\nenabled = true\nemail.body = \"b.html\"\n"
        );
        let table = sms_table(&catalogue(dir.path(), &text));
        assert_eq!(
            sms_csv::write(&table),
            "id,description,en,fr,pt\na,\"First, with a comma\",One,Un,Um\n"
        );
    }

    #[test]
    fn email_bodies_go_where_opencrvs_reads_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates/email/user")).unwrap();
        std::fs::write(
            dir.path().join("templates/email/user/code.html"),
            "{{authCode}}",
        )
        .unwrap();
        std::fs::write(dir.path().join("templates/email/own.html"), "mine").unwrap();
        let text = format!(
            "{HEAD}[notifications.authenticationCodeNotification]\naudience = \"user\"\nenabled = true\nemail.body = \"templates/email/user/code.html\"\n[notifications.ownMessage]\naudience = \"user\"\nenabled = true\nvariables = []\nemail.body = \"templates/email/own.html\"\n"
        );
        let files = email_bodies(&catalogue(dir.path(), &text)).unwrap();
        let paths: Vec<_> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "src/api/notification/email-templates/other/2-factor-authentication.html",
                "src/api/notification/email-templates/own.html"
            ]
        );
        assert_eq!(files[0].bytes, b"{{authCode}}");
    }

    #[test]
    fn two_bodies_for_one_path_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.html"), "a").unwrap();
        std::fs::write(dir.path().join("b.html"), "b").unwrap();
        let text = format!(
            "{HEAD}[notifications.x]\naudience = \"user\"\nenabled = true\nvariables = []\nemail.body = \"a.html\"\n[notifications.y]\naudience = \"user\"\nenabled = true\nvariables = []\nemail.body = \"sub/a.html\"\n"
        );
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/a.html"), "other").unwrap();
        let err = email_bodies(&catalogue(dir.path(), &text)).unwrap_err();
        assert!(
            matches!(err, ExportError::SharedPath { ref first, ref second, .. } if first == "x" && second == "y")
        );
    }

    #[test]
    fn files_are_compared_with_the_repository_and_the_record() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("same"), "x").unwrap();
        std::fs::write(dir.path().join("seen"), "y").unwrap();
        std::fs::write(dir.path().join("theirs"), "z").unwrap();
        let mut record = SyncRecord::default();
        record.remember(dir.path(), "seen", b"y");
        record.remember(dir.path(), "theirs", b"y");
        let file = |path: &str| ExportFile {
            path: path.to_owned(),
            bytes: b"x".to_vec(),
        };
        let files = [file("same"), file("seen"), file("theirs"), file("new")];
        assert_eq!(
            compare(dir.path(), &files, &record).unwrap(),
            [
                FileState::Unchanged,
                FileState::Stale,
                FileState::Changed,
                FileState::New
            ]
        );
    }
}
