//! The pre-commit hooks (`.pre-commit-hooks.yaml`) in the real pre-commit (`tests/oracle/setup.sh`
//! installs it): `pre-commit try-repo` builds Preflight from this repository the way a user's
//! pre-commit does (`language: python`, maturin, see pyproject.toml), runs the hooks on a
//! project, and they say what `preflight check` and `preflight check --fix` say.
//!
//! The wheel is built with the dev profile (`MATURIN_PEP517_ARGS`; users get the release one)
//! into a target folder of its own under this workspace's (`CARGO_TARGET_DIR`), kept between
//! runs: sharing the workspace's own debug folder would overwrite the rlibs `cargo test` links
//! the doctests against with ones built from pre-commit's copy of the sources.

mod cli_support;
mod fs_support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use cli_support::{preflight, repo, stdout};
use fs_support::copy_tree;

fn pre_commit() -> PathBuf {
    let exe = repo().join(".oracle/pre-commit/bin/pre-commit");
    assert!(
        exe.is_file(),
        "pre-commit is missing: run tests/oracle/setup.sh"
    );
    exe
}

/// A git repository holding a copy of `fixture` (pre-commit runs inside one).
fn git_project(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join(fixture), dir.path());
    for args in [
        &["init", "-q"][..],
        &["add", "-A"],
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-qm",
            "init",
        ],
    ] {
        let status = Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }
    dir
}

/// One pre-commit at a time: two maturin builds into one target folder remove each other's
/// artifacts, and the second run reuses the environment the first installed.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// `pre-commit try-repo <this repository> [hook] --all-files` in `project`.
fn try_repo(project: &Path, hook: Option<&str>) -> Output {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-target");
    let home = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-home");
    let mut command = Command::new(pre_commit());
    command.arg("try-repo").arg(repo());
    command.args(hook);
    command
        .args(["--all-files", "--color", "never"])
        .current_dir(project)
        .env("PRE_COMMIT_HOME", home)
        .env("CARGO_TARGET_DIR", target)
        .env("MATURIN_PEP517_ARGS", "--profile dev");
    command.output().unwrap()
}

/// The `Found N problems (...)` line of a text report.
fn summary(text: &str) -> String {
    text.lines()
        .find(|l| l.starts_with("Found ") || l.starts_with("All checks passed"))
        .unwrap_or_else(|| panic!("no summary line in:\n{text}"))
        .to_owned()
}

#[test]
fn the_hooks_report_and_fix_what_the_cli_does() {
    // the example deployment has findings: `preflight` fails with the CLI's report, then
    // `preflight-fix` applies the safe fixes exactly as `check --fix` does
    let project = git_project("tests/example");
    let cli = preflight(&["check"], project.path());
    assert_eq!(cli.status.code(), Some(1));
    let fixed_by_cli = tempfile::tempdir().unwrap();
    copy_tree(project.path(), fixed_by_cli.path());
    preflight(&["check", "--fix"], fixed_by_cli.path());

    let run = try_repo(project.path(), None);
    let output = stdout(&run);
    assert_eq!(
        run.status.code(),
        Some(1),
        "{output}\n{}",
        cli_support::stderr(&run)
    );
    assert!(
        output.contains(&summary(&stdout(&cli))),
        "the hook's report is the CLI's ({}):\n{output}",
        summary(&stdout(&cli))
    );
    assert!(
        output.contains("files were modified by this hook"),
        "preflight-fix applied fixes:\n{output}"
    );
    let production = "mysite/settings/production.py";
    let hooked = std::fs::read_to_string(project.path().join(production)).unwrap();
    let expected = std::fs::read_to_string(fixed_by_cli.path().join(production)).unwrap();
    let original = std::fs::read_to_string(repo().join("tests/example").join(production)).unwrap();
    assert_ne!(hooked, original, "the fix hook changed the settings");
    assert_eq!(hooked, expected, "the fix hook did what `check --fix` does");
}

#[test]
fn the_hook_passes_a_consistent_deployment() {
    let project = git_project("tests/fixtures/stack/consistent");
    assert_eq!(preflight(&["check"], project.path()).status.code(), Some(0));
    let run = try_repo(project.path(), Some("preflight"));
    let output = stdout(&run);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{output}\n{}",
        cli_support::stderr(&run)
    );
    assert!(output.contains("Passed"), "{output}");
}
