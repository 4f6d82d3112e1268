//! The CLI reads the project's configuration (`preflight.toml` / `[tool.preflight]`) through the
//! core, like the language server: severities decide the exit code, bad keys are reported, and
//! `--django-version` overrides what the project says.

mod cli_support;
use cli_support::*;

const DEBUG_ONLY: &str = "DEBUG = True\nSECRET_KEY = \"x\"\n";

#[test]
fn findings_below_warning_exit_0() {
    let config = "select = [\"DJ018\"]\n\n[severity]\nDJ018 = \"information\"\n";
    let dir = project(&[
        ("preflight.toml", config.as_bytes()),
        ("mysite/settings.py", DEBUG_ONLY.as_bytes()),
    ]);
    let (code, findings) = check_json(&[], dir.path());
    assert!(!findings.is_empty(), "DJ018 is still reported");
    assert!(
        findings
            .iter()
            .all(|f| f["code"] == "DJ018" && f["severity"] == "information"),
        "{findings:#?}"
    );
    assert_eq!(code, Some(0), "information findings do not fail the run");
}

#[test]
fn the_same_finding_at_warning_exits_1() {
    let dir = project(&[
        ("preflight.toml", b"select = [\"DJ018\"]\n"),
        ("mysite/settings.py", DEBUG_ONLY.as_bytes()),
    ]);
    let (code, findings) = check_json(&[], dir.path());
    assert!(
        findings.iter().all(|f| f["code"] == "DJ018"),
        "{findings:#?}"
    );
    assert_eq!(code, Some(1));
}

#[test]
fn configuration_problems_are_reported_in_the_configuration_file() {
    let dir = project(&[
        ("preflight.toml", b"selekt = [\"DJ018\"]\n"),
        ("mysite/settings.py", DEBUG_ONLY.as_bytes()),
    ]);
    let (_, findings) = check_json(&[], dir.path());
    let config: Vec<_> = findings
        .iter()
        .filter(|f| f["path"] == "preflight.toml")
        .collect();
    assert_eq!(config.len(), 1, "{findings:#?}");
    assert!(
        config[0]["code"].as_str().unwrap().starts_with("CFG"),
        "{:#?}",
        config[0]
    );
    assert_eq!(config[0]["line"], 1);
}

/// MAILERS checks exist from Django 6.1 on: the project's pin and the flag decide.
#[test]
fn the_django_version_comes_from_the_project_unless_the_flag_says() {
    let settings = "MAILERS = {\"default\": {\"BACKEND\": \"django.core.mail.backends.console.EmailBackend\"}}\nDEBUG = False\n";
    let dir = project(&[
        ("requirements.txt", b"Django==5.2.8\n"),
        ("manage.py", b""),
        ("mysite/settings.py", settings.as_bytes()),
    ]);
    let (_, pinned) = check_json(&[], dir.path());
    assert!(
        !django_ids(&pinned).contains(&"mail.E001".to_string()),
        "5.2 has no mail.E001: {pinned:#?}"
    );
    let (_, flagged) = check_json(&["--django-version", "6.1"], dir.path());
    assert!(
        django_ids(&flagged).contains(&"mail.E001".to_string()),
        "{flagged:#?}"
    );
}
