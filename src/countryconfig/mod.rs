//! A country's OpenCRVS configuration repository, as crvs-comms reads and writes it: the SMS copy
//! in `src/translations/notification.csv`, the email bodies under
//! `src/api/notification/email-templates/`, and the informant toggles crvs-comms writes beside them.
//! `import` maps it into a catalogue, `export` maps a catalogue back; both keep every byte the
//! country wrote, so a round trip changes nothing.

pub mod export;
pub mod import;
pub mod merge;
pub mod sms_csv;
pub mod sync;
pub mod toggles;

use std::path::{Path, PathBuf};

pub use sms_csv::{CsvError, CsvProblem, SmsRow, SmsTable};

/// The SMS copy, relative to the repository root.
pub const CSV_PATH: &str = "src/translations/notification.csv";
/// The folder of the email bodies, relative to the repository root.
pub const EMAIL_TEMPLATES_DIR: &str = "src/api/notification/email-templates";
/// Where the catalogue's own copies of the email bodies go, relative to the catalogue's folder.
pub const CATALOGUE_EMAIL_DIR: &str = "templates/email";

/// The files of a country configuration that concern notifications.
#[derive(Debug, Clone)]
pub struct CountryConfig {
    pub sms: SmsTable,
    /// The CSV as read, byte for byte.
    pub csv_bytes: Vec<u8>,
    /// Every `.html` file below the email-templates folder, sorted by path.
    pub templates: Vec<TemplateFile>,
}

/// One email body, with its path below the email-templates folder (`birth/inProgress.html`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl TemplateFile {
    /// The text, for finding its placeholders (the bytes are what gets copied).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }
}

impl CountryConfig {
    pub fn template(&self, path: &str) -> Option<&TemplateFile> {
        self.templates.iter().find(|t| t.path == path)
    }
}

/// Why a country configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(
        "{} has no {CSV_PATH}; pass the root of a country-configuration repository (the folder that holds `src/`)",
        root.display()
    )]
    NoCsv { root: PathBuf },
    #[error("cannot read {}: {cause}", path.display())]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{} is not UTF-8 text; save it as UTF-8", path.display())]
    NotUtf8 { path: PathBuf },
    #[error("{}: {cause}", path.display())]
    Csv { path: PathBuf, cause: CsvError },
}

/// Reads the notification files of the repository at `root`.
pub fn read(root: &Path) -> Result<CountryConfig, ReadError> {
    let csv_path = root.join(CSV_PATH);
    let bytes = match std::fs::read(&csv_path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Err(ReadError::NoCsv {
                root: root.to_owned(),
            });
        }
        Err(cause) => {
            return Err(ReadError::Io {
                path: csv_path,
                cause,
            });
        }
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| ReadError::NotUtf8 {
        path: csv_path.clone(),
    })?;
    let sms = sms_csv::parse(text).map_err(|cause| ReadError::Csv {
        path: csv_path,
        cause,
    })?;
    let mut templates = Vec::new();
    let folder = root.join(EMAIL_TEMPLATES_DIR);
    if folder.is_dir() {
        collect_templates(&folder, "", &mut templates)?;
    }
    templates.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(CountryConfig {
        sms,
        csv_bytes: bytes,
        templates,
    })
}

fn collect_templates(
    folder: &Path,
    prefix: &str,
    found: &mut Vec<TemplateFile>,
) -> Result<(), ReadError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |cause| ReadError::Io { path, cause }
    };
    for entry in std::fs::read_dir(folder).map_err(io(folder))? {
        let entry = entry.map_err(io(folder))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = format!("{prefix}{name}");
        if entry.file_type().map_err(io(&path))?.is_dir() {
            collect_templates(&path, &format!("{relative}/"), found)?;
        } else if name.ends_with(".html") {
            let bytes = std::fs::read(&path).map_err(io(&path))?;
            found.push(TemplateFile {
                path: relative,
                bytes,
            });
        }
    }
    Ok(())
}

/// The path of an email body in a repository, from its path below the email-templates folder.
pub fn template_path(root: &Path, template: &str) -> PathBuf {
    root.join(EMAIL_TEMPLATES_DIR).join(template)
}
