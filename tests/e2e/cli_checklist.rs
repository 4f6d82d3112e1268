//! `preflight checklist`: the user's checklist ticked from the production settings' findings,
//! in Markdown and JSON, with the exit codes of the contract.

mod cli_support;
mod fs_support;
mod project_support;
mod support;

use std::collections::BTreeSet;

use cli_support::*;
use project_support::fixture;
use serde_json::Value;

const PRODUCTION: &str = "mysite/settings/production.py";
const BASE: &str = "mysite/settings/base.py";

/// The 1-based line of `path` (in the split fixture) that starts with `start`.
fn line_of(path: &str, start: &str) -> usize {
    let text = std::fs::read_to_string(fixture("split_settings").join(path)).unwrap();
    text.lines().position(|l| l.starts_with(start)).unwrap() + 1
}

fn checklist_json(args: &[&str], cwd: &std::path::Path) -> (Option<i32>, Value) {
    let mut all = vec!["checklist", "--format", "json"];
    all.extend_from_slice(args);
    let out = preflight(&all, cwd);
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(&out), stderr(&out)));
    (out.status.code(), report)
}

fn item<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id}"))
}

#[test]
fn markdown_ticks_fails_with_file_and_line_and_leaves_manual_items() {
    let root = fixture("split_settings");
    let out = preflight(&["checklist"], &root);
    let md = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "an item failed\n{md}");
    assert!(
        md.contains(
            "Production settings: `mysite/settings/production.py` (named by `mysite/wsgi.py`)."
        ),
        "{md}"
    );
    // DEBUG = True comes from base.py, through production's star import
    let line = line_of(PRODUCTION, "from .base import *");
    let base_line = line_of(BASE, "DEBUG = True");
    let debug = format!(
        "- [ ] `DEBUG` -- You must never enable debug in production. **(failed)**\n  - `{PRODUCTION}:{line}` (from `{BASE}:{base_line}`) DJ018 "
    );
    assert!(md.contains(&debug), "{md}");
    // production overrides base's SECRET_KEY, ALLOWED_HOSTS and DATABASES
    for passed in [
        "`SECRET_KEY`",
        "`ALLOWED_HOSTS`",
        "`DATABASES`",
        "`CONN_MAX_AGE`",
    ] {
        assert!(
            md.contains(&format!("- [x] {passed} -- ")),
            "{passed}\n{md}"
        );
    }
    for manual in ["Run `manage.py check --deploy`", "Backups"] {
        let line = md.lines().find(|l| l.contains(manual)).unwrap();
        assert!(
            line.starts_with("- [ ] ") && line.ends_with("*(manual)*"),
            "{line}"
        );
    }
}

#[test]
fn json_has_the_project_production_and_every_item() {
    let root = fixture("split_settings");
    let (code, report) = checklist_json(&[], &root);
    assert_eq!(code, Some(1));
    assert_eq!(report["project"], ".");
    assert_eq!(report["production"], serde_json::json!([PRODUCTION]));
    assert_eq!(report["covers"], "production");
    let items = report["items"].as_array().unwrap();
    let ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    let expected: Vec<&str> = preflight_core::checklist::ITEMS
        .iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(ids, expected);
    for i in items {
        for key in ["title", "text", "status", "failures"] {
            assert!(i.get(key).is_some(), "{key} in {i}");
        }
    }
    let debug = item(&report, "debug");
    assert_eq!(debug["status"], "failed");
    let failure = &debug["failures"][0];
    assert_eq!(failure["path"], PRODUCTION);
    assert_eq!(failure["line"], line_of(PRODUCTION, "from .base import *"));
    assert_eq!(failure["code"], "DJ018");
    assert!(failure["message"].as_str().unwrap().contains("DEBUG"));
    // the cause is in base.py, where DEBUG is set
    assert_eq!(
        failure["cause"],
        serde_json::json!({"path": BASE, "line": line_of(BASE, "DEBUG = True")})
    );
    assert_eq!(item(&report, "secret-key")["status"], "passed");
    assert_eq!(
        item(&report, "secret-key")["failures"],
        serde_json::json!([])
    );
    assert_eq!(item(&report, "backups")["status"], "manual");
}

/// Every finding `check` reports in production (but the unused-suppression hints) fails an
/// item, at the same line: the two commands read the same analysis.
#[test]
fn the_failures_are_the_findings_of_check() {
    let root = fixture("split_settings");
    let (_, findings) = check_json(&[], &root);
    let from_check: BTreeSet<(String, u64)> = findings
        .iter()
        .filter(|f| f["code"] != "DJ900")
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let (_, report) = checklist_json(&[], &root);
    let from_checklist: BTreeSet<(String, u64)> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["failures"].as_array().unwrap().clone())
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(!from_check.is_empty());
    assert_eq!(from_check, from_checklist);
}

#[test]
fn the_project_can_be_named_by_a_folder_or_any_file_in_it() {
    let fixtures = fixture("split_settings").parent().unwrap().to_path_buf();
    let (_, by_folder) = checklist_json(&["split_settings"], &fixtures);
    assert_eq!(by_folder["project"], "split_settings");
    assert_eq!(
        item(&by_folder, "debug")["failures"][0]["path"],
        format!("split_settings/{PRODUCTION}")
    );
    let (_, by_file) = checklist_json(&["split_settings/mysite/settings/dev.py"], &fixtures);
    assert_eq!(by_file, by_folder);
}

#[test]
fn without_known_production_every_checked_settings_module_counts_and_it_says_so() {
    let root = fixture("no_production");
    let out = preflight(&["checklist"], &root);
    let md = stdout(&out);
    assert!(
        md.contains("No production settings module is known, so this report covers every checked settings module: `shop/settings/base.py`, `shop/settings/staging.py`."),
        "{md}"
    );
    assert!(
        !md.contains("local.py"),
        "development settings are quiet:\n{md}"
    );
    // staging.py accepts any host
    let line = md
        .lines()
        .position(|l| l.starts_with("- [ ] `ALLOWED_HOSTS`"))
        .unwrap();
    let failure = md.lines().nth(line + 1).unwrap();
    assert!(
        failure.starts_with("  - `shop/settings/staging.py:4` DJ106 "),
        "{failure}"
    );

    let (code, report) = checklist_json(&[], &root);
    assert_eq!(code, Some(1));
    assert_eq!(report["production"], serde_json::json!([]));
    assert_eq!(report["covers"], "settings-modules");
    assert_eq!(
        report["modules"],
        serde_json::json!(["shop/settings/base.py", "shop/settings/staging.py"])
    );
}

#[test]
fn exit_0_when_nothing_fails_and_the_configuration_counts() {
    let dir = project(&[
        ("preflight.toml", b"select = [\"DJ018\"]\n"),
        ("manage.py", b""),
        (
            "mysite/settings.py",
            INSECURE_SETTINGS
                .replace("DEBUG = True", "DEBUG = False")
                .as_bytes(),
        ),
    ]);
    let out = preflight(&["checklist"], dir.path());
    let md = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{md}{}", stderr(&out));
    assert!(
        md.contains("- [x] `DEBUG`") && md.contains("0 failed"),
        "{md}"
    );
    // turned back on, the item fails
    std::fs::write(dir.path().join("mysite/settings.py"), INSECURE_SETTINGS).unwrap();
    let out = preflight(&["checklist"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("  - `mysite/settings.py:2` DJ018 "));
}

#[test]
fn exit_2_for_a_missing_path_no_settings_or_production_that_does_not_parse() {
    let dir = project(&[("manage.py", b""), ("app/util.py", PLAIN_PYTHON.as_bytes())]);
    let out = preflight(&["checklist", "nowhere"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("nowhere: no such file or folder"),
        "{}",
        stderr(&out)
    );

    let out = preflight(&["checklist"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no Django settings module"),
        "{}",
        stderr(&out)
    );

    let out = preflight(&["checklist", "--format", "yaml"], dir.path());
    assert_eq!(out.status.code(), Some(2), "a usage error");

    std::fs::write(dir.path().join("app/settings.py"), "DEBUG = (\n").unwrap();
    let out = preflight(&["checklist"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("app/settings.py"), "{}", stderr(&out));
}
