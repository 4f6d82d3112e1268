//! A project with split settings (base / dev / production / test in a settings package, wsgi.py
//! naming production, manage.py naming dev): findings are reported once, in the production
//! module, at the line that brings a cause in from base.py; the other modules are quiet. The
//! same from the CLI (the project checked as a folder) and from the language server.

mod cli_support;
mod fs_support;
mod project_support;
mod support;

use std::collections::BTreeSet;

use cli_support::check_json;
use project_support::*;
use serde_json::Value;
use support::file_uri;

const PRODUCTION: &str = "mysite/settings/production.py";
const BASE: &str = "mysite/settings/base.py";
const QUIET: [&str; 3] = [BASE, "mysite/settings/dev.py", "mysite/settings/test.py"];

/// The 1-based line of the first line of `path` (in the split fixture) starting with `start`.
fn line_of(path: &str, start: &str) -> u64 {
    let text = std::fs::read_to_string(fixture("split_settings").join(path)).unwrap();
    text.lines().position(|l| l.starts_with(start)).unwrap() as u64 + 1
}

#[test]
fn the_folder_is_reported_once_in_the_production_module() {
    let root = fixture("split_settings");
    let findings = cli_findings(&root);
    let paths: BTreeSet<&str> = findings.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, BTreeSet::from([PRODUCTION]), "{findings:#?}");

    // each finding once, though base.py (imported by production) is checked as well
    let (_, raw) = check_json(&[], &root);
    assert_eq!(raw.len(), findings.len(), "no duplicates: {raw:#?}");
    let mut keys: Vec<(&str, u64)> = raw
        .iter()
        .map(|f| (f["code"].as_str().unwrap(), f["line"].as_u64().unwrap()))
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), raw.len());

    // DEBUG = True in base.py is reported on production's `from .base import *`
    let import_line = line_of(PRODUCTION, "from .base import *");
    let debug: Vec<_> = findings.iter().filter(|f| f.code == "DJ018").collect();
    assert_eq!(debug.len(), 1, "{findings:#?}");
    assert_eq!((debug[0].line, debug[0].column), (import_line, 6));
    // what production overrides is not reported: its SECRET_KEY and ALLOWED_HOSTS are fine
    for overridden in ["DJ009", "DJ101", "DJ020", "DJ110"] {
        assert!(
            findings.iter().all(|f| f.code != overridden),
            "{overridden}: {findings:#?}"
        );
    }
}

#[test]
fn base_dev_and_test_modules_are_quiet_even_when_named() {
    let root = fixture("split_settings");
    for module in QUIET {
        let (code, findings) = check_json(&[module], &root);
        assert!(findings.is_empty(), "{module}: {findings:#?}");
        assert_eq!(code, Some(0), "{module}");
    }
    let (code, findings) = check_json(&[PRODUCTION], &root);
    assert!(!findings.is_empty());
    assert_eq!(code, Some(1));
}

#[test]
fn the_server_reports_production_with_the_cause_in_base_as_related_information() {
    let root = fixture("split_settings");
    let mut client = lsp_on(&root);
    for module in QUIET {
        let diagnostics = open_and_wait(&mut client, &root.join(module));
        assert!(diagnostics.is_empty(), "{module}: {diagnostics:#?}");
    }
    let diagnostics = open_and_wait(&mut client, &root.join(PRODUCTION));
    let debug: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| d["code"] == "DJ018")
        .collect();
    assert_eq!(debug.len(), 1, "{diagnostics:#?}");
    let import_line = line_of(PRODUCTION, "from .base import *") - 1;
    assert_eq!(debug[0]["range"]["start"]["line"], import_line);
    let related = &debug[0]["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], file_uri(&root.join(BASE)));
    assert_eq!(
        related["range"]["start"]["line"],
        line_of(BASE, "DEBUG = True") - 1
    );

    // the server and the CLI list the same findings for production.py
    let cli: BTreeSet<Finding> = cli_findings(&root);
    let lsp: BTreeSet<Finding> = diagnostics
        .iter()
        .map(|d| lsp_finding(&root, &root.join(PRODUCTION), d))
        .collect();
    assert_eq!(cli, lsp);
    assert!(client.shutdown().success());
}
