//! Reads a file as it was at a git revision, so a catalogue can be compared with its own past
//! (`diff --git REF`). It runs the `git` program rather than reading the object store: that is what
//! the user has, it follows their configuration (worktrees, alternates, partial clones), and its
//! errors are the ones they know. Each way it can fail is its own error, saying what to do.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A file's text at a revision, and its path from the root of the repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtRevision {
    pub path_in_repo: String,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error(
        "cannot run git ({source}); install git, or compare two files with `crvs-comms diff OLD NEW`"
    )]
    NotInstalled {
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{} is not inside a git repository ({detail}); `--git` compares with a revision of the repository that holds the catalogue, or compare two files with `crvs-comms diff OLD NEW`",
        dir.display()
    )]
    NotARepository { dir: PathBuf, detail: String },
    #[error(
        "`{revision}` is not a commit of this repository; name a branch, tag or commit (in CI, fetch it first, e.g. `git fetch origin main`)"
    )]
    UnknownRevision { revision: String },
    #[error(
        "{path} (from the root of the repository) does not exist at {revision}: it was added after that revision, or never committed"
    )]
    NotAtRevision { path: String, revision: String },
    #[error("{path} at {revision} is not UTF-8 text")]
    NotText { path: String, revision: String },
    #[error("git {command} failed: {detail}")]
    Failed { command: String, detail: String },
}

/// The text of `file` (a path in a working tree) as committed at `revision`.
pub fn file_at_revision(file: &Path, revision: &str) -> Result<AtRevision, GitError> {
    // A revision is passed to git as an argument; one that starts with `-` would be an option.
    if revision.is_empty() || revision.starts_with('-') {
        return Err(GitError::UnknownRevision {
            revision: revision.to_owned(),
        });
    }
    let dir = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let path_in_repo = format!("{}{name}", prefix_in_repo(dir)?);
    let commit = format!("{revision}^{{commit}}");
    if !git(dir, &["rev-parse", "--verify", "--quiet", &commit])?
        .status
        .success()
    {
        return Err(GitError::UnknownRevision {
            revision: revision.to_owned(),
        });
    }
    let object = format!("{revision}:{path_in_repo}");
    // `cat-file blob` gives the committed bytes as they are, without textconv filters.
    let output = git(dir, &["cat-file", "blob", &object])?;
    if !output.status.success() {
        return Err(GitError::NotAtRevision {
            path: path_in_repo,
            revision: revision.to_owned(),
        });
    }
    let text = String::from_utf8(output.stdout).map_err(|_| GitError::NotText {
        path: path_in_repo.clone(),
        revision: revision.to_owned(),
    })?;
    Ok(AtRevision { path_in_repo, text })
}

/// Where `dir` is inside its repository, as git spells it: `""` at the root, `config/` below it.
fn prefix_in_repo(dir: &Path) -> Result<String, GitError> {
    let output = git(dir, &["rev-parse", "--show-toplevel", "--show-prefix"])?;
    if !output.status.success() {
        return Err(GitError::NotARepository {
            dir: std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned()),
            detail: first_line(&output.stderr),
        });
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut lines = stdout.lines();
    let (Some(_toplevel), prefix) = (lines.next(), lines.next()) else {
        return Err(GitError::Failed {
            command: "rev-parse --show-toplevel --show-prefix".to_owned(),
            detail: "it printed nothing".to_owned(),
        });
    };
    Ok(prefix.unwrap_or_default().to_owned())
}

fn git(dir: &Path, args: &[&str]) -> Result<Output, GitError> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|source| GitError::NotInstalled { source })
}

fn first_line(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let line = text.lines().next().unwrap_or_default().trim();
    line.strip_prefix("fatal: ").unwrap_or(line).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revision_that_looks_like_an_option_is_refused_before_git_runs() {
        let err = file_at_revision(Path::new("notifications.toml"), "--output=x").unwrap_err();
        assert!(matches!(err, GitError::UnknownRevision { .. }), "{err}");
        assert!(err.to_string().starts_with("`--output=x` is not a commit"));
    }

    #[test]
    fn the_first_line_of_git_errors_loses_its_fatal_prefix() {
        assert_eq!(
            first_line(
                b"fatal: not a git repository (or any of the parent directories): .git\nmore"
            ),
            "not a git repository (or any of the parent directories): .git"
        );
    }
}
