//! Writing the catalogue for `import` and `migrate`: a new file, or the changed document with its
//! revision one higher; `--dry-run` gives the unified diff instead. (To be replaced by the store.)

use std::path::Path;

use anyhow::Context as _;
use toml_edit::DocumentMut;

/// How a write ended.
pub enum Saved {
    Unchanged { revision: i64 },
    DryRun { revision: i64, diff: String },
    Written { revision: i64 },
}

pub fn create(path: &Path, text: &str, dry_run: bool) -> anyhow::Result<Saved> {
    if dry_run {
        return Ok(Saved::DryRun {
            revision: 1,
            diff: diff(path, "", text),
        });
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(Saved::Written { revision: 1 })
}

pub fn update(
    path: &Path,
    original: &str,
    mut doc: DocumentMut,
    revision: i64,
    dry_run: bool,
) -> anyhow::Result<Saved> {
    if doc.to_string() == original {
        return Ok(Saved::Unchanged { revision });
    }
    doc["revision"] = toml_edit::value(revision + 1);
    let text = doc.to_string();
    if dry_run {
        return Ok(Saved::DryRun {
            revision: revision + 1,
            diff: diff(path, original, &text),
        });
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(Saved::Written {
        revision: revision + 1,
    })
}

fn diff(path: &Path, old: &str, new: &str) -> String {
    let name = path.display().to_string();
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}
