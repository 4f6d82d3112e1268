//! `preflight check` exit codes: 0 no findings at warning or above, 1 findings, 2 usage or I/O
//! error.

mod cli_support;
use cli_support::*;

#[test]
fn a_project_without_settings_exits_0() {
    let dir = project(&[("app/utils.py", PLAIN_PYTHON.as_bytes())]);
    let out = preflight(&["check"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("All checks passed!"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn an_empty_folder_exits_0() {
    let dir = project(&[]);
    assert_eq!(
        preflight(&["check", "."], dir.path()).status.code(),
        Some(0)
    );
}

#[test]
fn insecure_settings_exit_1() {
    let dir = project(&[("mysite/settings.py", INSECURE_SETTINGS.as_bytes())]);
    let out = preflight(&["check"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout: {}\nstderr: {}",
        stdout(&out),
        stderr(&out)
    );
}

#[test]
fn a_path_that_does_not_exist_exits_2_and_says_so() {
    let dir = project(&[]);
    let out = preflight(&["check", "no/such/place"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("no/such/place") && err.contains("no such file or folder"),
        "{err}"
    );
    assert!(
        out.stdout.is_empty(),
        "nothing is reported on stdout: {}",
        stdout(&out)
    );
}

#[test]
fn a_missing_path_among_good_ones_still_exits_2() {
    let dir = project(&[("mysite/settings.py", INSECURE_SETTINGS.as_bytes())]);
    let out = preflight(&["check", "mysite", "missing.py"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn usage_errors_exit_2() {
    let dir = project(&[]);
    assert_eq!(
        preflight(&["check", "--format", "xml"], dir.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        preflight(&["check", "--no-such-flag"], dir.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        preflight(&["frobnicate"], dir.path()).status.code(),
        Some(2)
    );
    assert_eq!(
        preflight(&["check", "--django-version", "banana"], dir.path())
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn version_prints_the_package_version() {
    let out = preflight(&["--version"], std::path::Path::new("."));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out).trim(),
        format!("preflight {}", env!("CARGO_PKG_VERSION"))
    );
}
