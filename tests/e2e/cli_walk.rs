//! Which files `preflight check` reads: .gitignore and tool folders respected, unreadable files
//! skipped with a message, named files honoured.

mod cli_support;
use cli_support::*;

fn reported_paths(findings: &[serde_json::Value]) -> Vec<String> {
    let mut paths: Vec<String> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    paths.dedup();
    paths
}

#[test]
fn gitignored_files_are_not_checked() {
    let dir = project(&[
        (".gitignore", b"generated/\nlocal_settings.py\n"),
        ("generated/settings.py", INSECURE_SETTINGS.as_bytes()),
        ("mysite/local_settings.py", INSECURE_SETTINGS.as_bytes()),
        ("mysite/settings.py", INSECURE_SETTINGS.as_bytes()),
    ]);
    let (_, findings) = check_json(&[], dir.path());
    assert_eq!(reported_paths(&findings), ["mysite/settings.py"]);
}

#[test]
fn tool_folders_are_never_walked() {
    let mut files: Vec<(String, &[u8])> = [
        "node_modules",
        ".venv",
        "venv",
        ".git",
        "__pycache__",
        ".oracle",
        "target",
    ]
    .iter()
    .map(|d| (format!("{d}/pkg/settings.py"), INSECURE_SETTINGS.as_bytes()))
    .collect();
    files.push(("mysite/settings.py".into(), INSECURE_SETTINGS.as_bytes()));
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (p.as_str(), *b)).collect();
    let dir = project(&files);
    let (_, findings) = check_json(&[], dir.path());
    assert_eq!(reported_paths(&findings), ["mysite/settings.py"]);
}

#[test]
fn non_utf8_and_binary_files_found_by_walking_are_skipped_with_a_message() {
    let mut latin1 = b"# caf\xe9\n".to_vec();
    latin1.extend_from_slice(INSECURE_SETTINGS.as_bytes());
    let mut binary = INSECURE_SETTINGS.as_bytes().to_vec();
    binary.extend_from_slice(b"\0\x01\x02");
    let dir = project(&[
        ("a/settings.py", &latin1),
        ("b/settings.py", &binary),
        ("c/settings.py", INSECURE_SETTINGS.as_bytes()),
    ]);
    let out = preflight(&["check", "--format", "json"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(1),
        "the readable file's findings decide: {}",
        stderr(&out)
    );
    let err = stderr(&out);
    assert!(
        err.contains("a/settings.py: skipped: not UTF-8 text"),
        "{err}"
    );
    assert!(
        err.contains("b/settings.py: skipped: a binary file"),
        "{err}"
    );
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reported_paths(&findings), ["c/settings.py"]);
}

#[test]
fn a_named_file_that_is_not_utf8_is_an_error() {
    let dir = project(&[("settings.py", b"DEBUG = '\xff'\n")]);
    let out = preflight(&["check", "settings.py"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("settings.py: skipped: not UTF-8 text"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_named_file_is_checked_even_when_gitignored() {
    let dir = project(&[
        (".gitignore", b"settings.py\n"),
        ("mysite/settings.py", INSECURE_SETTINGS.as_bytes()),
    ]);
    let (code, findings) = check_json(&["mysite/settings.py"], dir.path());
    assert_eq!(code, Some(1));
    assert_eq!(reported_paths(&findings), ["mysite/settings.py"]);
}

#[test]
fn the_default_path_is_the_working_directory() {
    let dir = project(&[("mysite/settings.py", INSECURE_SETTINGS.as_bytes())]);
    let (_, implicit) = check_json(&[], dir.path());
    let (_, explicit) = check_json(&["."], dir.path());
    assert_eq!(implicit, explicit);
    assert!(!implicit.is_empty());
}

/// 10 MB of settings-like code. (Long runs of consecutive comment lines in a block are
/// quadratic in tree-sitter-python's scanner: see the next test.)
#[test]
fn a_large_file_is_checked_without_trouble() {
    let mut text = INSECURE_SETTINGS.to_string();
    let mut i = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!(
            "_FILLER_{i} = {{\"name\": \"value {i}\", \"items\": [1, 2, 3]}}  # entry {i}\n"
        ));
        i += 1;
    }
    let dir = project(&[("mysite/settings.py", text.as_bytes())]);
    let (code, findings) = check_json(&[], dir.path());
    assert_eq!(code, Some(1));
    assert!(
        django_ids(&findings).contains(&"security.W018".to_string()),
        "{findings:#?}"
    );
}

/// A long run of consecutive comment lines in an indented block is quadratic in
/// tree-sitter-python's scanner (upstream tree-sitter/tree-sitter-python#245: 1 MB takes about a
/// minute in a release build, minutes in a debug one). The parse stops at its budget (3 s for 1 MB): the file is reported as not
/// checked, the other files are checked as usual.
#[test]
fn a_file_too_slow_to_parse_is_reported_and_the_others_are_checked() {
    let mut slow = format!("{INSECURE_SETTINGS}if DEBUG:\n    pass\n");
    while slow.len() < 1024 * 1024 {
        slow.push_str("    # a comment line of ordinary length, as a long commented-out block\n");
    }
    let dir = project(&[
        ("legacy/settings.py", slow.as_bytes()),
        ("mysite/settings.py", INSECURE_SETTINGS.as_bytes()),
    ]);
    let start = std::time::Instant::now();
    let (code, findings) = check_json(&[], dir.path());
    let took = start.elapsed();
    assert_eq!(code, Some(1));
    let slow_findings: Vec<_> = findings
        .iter()
        .filter(|f| f["path"] == "legacy/settings.py")
        .collect();
    assert_eq!(slow_findings.len(), 1, "{findings:#?}");
    let timeout = slow_findings[0];
    assert_eq!(timeout["code"], "DJ000");
    assert_eq!(
        (&timeout["line"], &timeout["column"]),
        (&1.into(), &1.into())
    );
    assert!(
        timeout["message"]
            .as_str()
            .unwrap()
            .starts_with("Preflight stopped parsing this file after 3 s (a long run of comment"),
        "{timeout:#?}"
    );
    let checked: Vec<_> = findings
        .iter()
        .filter(|f| f["path"] == "mysite/settings.py")
        .collect();
    assert!(
        checked
            .iter()
            .any(|f| f["references"]["django"] == "security.W018"),
        "{findings:#?}"
    );
    // the budget, once for the file and once for the project reading it as a settings
    // candidate at most, and a wide margin: unbudgeted, this takes minutes
    assert!(took < std::time::Duration::from_secs(30), "took {took:?}");
}
