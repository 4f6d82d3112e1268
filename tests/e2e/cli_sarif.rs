//! `--format sarif` and `--format github`: the SARIF log is valid against the official SARIF 2.1.0
//! JSON schema (jsonschema) and passes Microsoft's SARIF Multitool `validate` rules (both from
//! `tests/oracle/setup.sh`), and both formats say exactly what `--format json` says.

mod cli_support;
mod fs_support;
mod stack_projects;

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use cli_support::{check_json, preflight, repo, stdout};

fn oracle() -> PathBuf {
    let dir = repo().join(".oracle/sarif");
    assert!(
        dir.join("multitool/sarif-2.1.0.json").is_file() && dir.join("venv/bin/python").is_file(),
        "the SARIF oracle is missing: run tests/oracle/setup.sh"
    );
    dir
}

/// A project checked as `preflight check .` from its folder.
struct Target {
    name: &'static str,
    dir: PathBuf,
    _broken: Option<tempfile::TempDir>,
}

/// The example deployment, and broken stack projects whose findings have related places and
/// fixes in every layer.
fn targets() -> Vec<Target> {
    let mut out = vec![Target {
        name: "tests/example",
        dir: repo().join("tests/example"),
        _broken: None,
    }];
    for name in ["stk003", "stk009", "stk014"] {
        let broken = stack_projects::broken(name);
        out.push(Target {
            name,
            dir: broken.path().to_path_buf(),
            _broken: Some(broken),
        });
    }
    out
}

fn sarif(target: &Target) -> (String, Value) {
    let out = preflight(&["check", "--format", "sarif", "."], &target.dir);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}: findings exit 1",
        target.name
    );
    let text = stdout(&out);
    let log = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", target.name));
    (text, log)
}

#[test]
fn the_log_is_valid_sarif_2_1_0() {
    let oracle = oracle();
    let dir = tempfile::tempdir().unwrap();
    let mut logs = Vec::new();
    for (i, target) in targets().iter().enumerate() {
        let (text, _) = sarif(target);
        let path = dir.path().join(format!("{i}.sarif"));
        std::fs::write(&path, text).unwrap();
        logs.push(path);
    }
    let schema = oracle.join("multitool/sarif-2.1.0.json");
    let out = Command::new(oracle.join("venv/bin/python"))
        .arg(repo().join("tests/oracle/validate_sarif.py"))
        .arg(&schema)
        .args(&logs)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "schema violations:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // the multitool's own rules (one run over every log: it starts slowly)
    let report = dir.path().join("validation.sarif");
    let out = Command::new(oracle.join("multitool/Sarif.Multitool"))
        .args(["validate", "-j"])
        .arg(&schema)
        .args(&logs)
        .arg("-o")
        .arg(&report)
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let errors: Vec<&Value> = report["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["level"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn results_say_what_the_json_output_says() {
    for target in &targets() {
        let (_, log) = sarif(target);
        let (_, findings) = check_json(&["."], &target.dir);
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), findings.len(), "{}", target.name);
        for (r, f) in results.iter().zip(&findings) {
            assert_eq!(r["ruleId"], f["code"]);
            assert_eq!(
                rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
                f["code"]
            );
            let level = match f["severity"].as_str().unwrap() {
                "error" => "error",
                "warning" => "warning",
                _ => "note",
            };
            assert_eq!(r["level"], level);
            assert_eq!(r["message"]["text"], f["message"]);
            let place = &r["locations"][0]["physicalLocation"];
            assert_eq!(place["artifactLocation"]["uri"], f["path"]);
            assert_eq!(place["region"]["startLine"], f["line"]);
            assert_eq!(place["region"]["startColumn"], f["column"]);
            assert_eq!(place["region"]["endLine"], f["end_line"]);
            assert_eq!(place["region"]["endColumn"], f["end_column"]);
            let related = f["related"].as_array().unwrap();
            assert_eq!(
                r["relatedLocations"].as_array().map_or(0, Vec::len),
                related.len()
            );
            assert_eq!(r["fixes"].is_array(), !f["fix"].is_null());
        }
    }
}

#[test]
fn every_rule_is_described_once() {
    let (_, log) = sarif(&targets()[0]);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let mut ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate rule ids");
    for code in ["DJ004", "NGX001", "GUN004", "STK003", "DJ900"] {
        let rule = rules.iter().find(|r| r["id"] == code).unwrap();
        assert!(
            rule["helpUri"]
                .as_str()
                .unwrap()
                .ends_with(&format!("{code}.md"))
        );
        assert!(
            !rule["shortDescription"]["text"]
                .as_str()
                .unwrap()
                .is_empty()
        );
    }
}

#[test]
fn github_annotations_say_what_the_json_output_says() {
    let target = "tests/example";
    let out = preflight(&["check", "--format", "github", target], &repo());
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let (_, findings) = check_json(&[target], &repo());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), findings.len());
    for (line, f) in lines.iter().zip(&findings) {
        let command = match f["severity"].as_str().unwrap() {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        let head = format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={} (",
            f["path"].as_str().unwrap(),
            f["line"],
            f["column"],
            f["end_line"],
            f["end_column"],
            f["code"].as_str().unwrap()
        );
        assert!(line.starts_with(&head), "{line}\nexpected {head}");
        let message = line.split_once(")::").unwrap().1;
        assert_eq!(
            message
                .replace("%0A", "\n")
                .replace("%0D", "\r")
                .replace("%25", "%"),
            f["message"].as_str().unwrap()
        );
    }
}
