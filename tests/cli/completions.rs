//! `crvs-comms completions SHELL` and `crvs-comms man`: both are generated from the command-line
//! definition, so they must name every subcommand, and the man page must carry the exit codes.

use std::process::Command as Process;

use predicates::prelude::*;

use crate::crvs;

const SUBCOMMANDS: [&str; 6] = ["check", "diff", "list", "show", "completions", "man"];

fn stdout_of(args: &[&str]) -> String {
    let output = crvs().args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(output.stderr.is_empty(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn each_shell_gets_a_script_that_knows_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.len() > 1000, "{shell}: {} bytes", script.len());
        assert!(script.contains("crvs-comms"), "{shell}");
        for subcommand in SUBCOMMANDS {
            assert!(script.contains(subcommand), "{shell} lacks {subcommand}");
        }
        assert!(script.contains("exit-code"), "{shell} lacks diff's options");
    }
}

#[test]
fn the_bash_script_is_valid_bash() {
    let Ok(probe) = Process::new("bash").arg("--version").output() else {
        eprintln!("skipped: bash is not installed");
        return;
    };
    assert!(probe.status.success());
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("crvs-comms.bash");
    std::fs::write(&script, stdout_of(&["completions", "bash"])).unwrap();
    let check = Process::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(check.status.success(), "{check:?}");
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    crvs()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("possible values: bash"));
}

#[test]
fn the_man_page_has_a_title_every_subcommand_and_the_exit_codes() {
    let page = stdout_of(&["man"]);
    let title = format!(
        ".TH crvs-comms 1  \"crvs-comms {}\"",
        env!("CARGO_PKG_VERSION")
    );
    assert!(page.contains(&title), "{page}");
    for subcommand in SUBCOMMANDS {
        assert!(
            page.contains(&format!("crvs\\-comms\\-{subcommand}(1)")),
            "the page lacks {subcommand}"
        );
    }
    assert!(
        page.contains(".SH \"EXIT STATUS\"\n.TP\n\\fB0\\fR\nsuccess\n"),
        "{page}"
    );
    assert!(
        page.contains("\\fB3\\fR\na gateway failed to deliver a message\n"),
        "{page}"
    );
    assert_eq!(page.matches(".ds Aq").count(), 2, "one preamble");
}

#[test]
fn a_subcommand_has_its_own_page_with_its_own_exit_codes() {
    let page = stdout_of(&["man", "diff"]);
    assert!(page.contains(".TH crvs-comms-diff 1"), "{page}");
    assert!(page.contains("\\fBcrvs\\-comms diff\\fR"), "{page}");
    assert!(
        page.contains("\\fB1\\fR\nwith \\-\\-exit\\-code: the catalogues differ\n"),
        "{page}"
    );
}

#[test]
fn a_page_for_an_unknown_command_names_the_ones_there_are() {
    crvs()
        .args(["man", "sned"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "crvs-comms has no command `sned`; the manual has a page for each of: check, diff",
        ));
}
