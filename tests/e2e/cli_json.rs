//! `--format json`: the contract of DEVELOPERS.md, field by field.

mod cli_support;
use cli_support::*;
use serde_json::Value;

#[test]
fn every_finding_has_the_contract_fields() {
    let dir = project(&[("mysite/settings.py", INSECURE_SETTINGS.as_bytes())]);
    let (code, findings) = check_json(&[], dir.path());
    assert_eq!(code, Some(1));
    assert!(!findings.is_empty());
    for f in &findings {
        let obj = f.as_object().expect("each finding is an object");
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "code",
                "column",
                "end_column",
                "end_line",
                "fix",
                "line",
                "message",
                "path",
                "references",
                "related",
                "severity"
            ],
            "{f}"
        );
        assert_eq!(
            f["path"], "mysite/settings.py",
            "paths are relative to the working directory"
        );
        for k in ["line", "column", "end_line", "end_column"] {
            assert!(f[k].as_u64().is_some_and(|n| n >= 1), "{k} is 1-based: {f}");
        }
        // places in other files that explain the finding (the stack rules' other layers)
        for r in f["related"].as_array().expect("related is an array") {
            for k in ["line", "column", "end_line", "end_column"] {
                assert!(r[k].as_u64().is_some_and(|n| n >= 1), "{k} is 1-based: {r}");
            }
            assert!(r["path"].is_string() && r["message"].is_string(), "{r}");
        }
        assert!(
            (f["line"].as_u64(), f["column"].as_u64())
                <= (f["end_line"].as_u64(), f["end_column"].as_u64())
        );
        assert!(
            ["error", "warning", "information", "hint"].contains(&f["severity"].as_str().unwrap()),
            "{f}"
        );
        let code = f["code"].as_str().unwrap();
        assert!(
            code.starts_with("DJ") && code[2..].chars().all(|c| c.is_ascii_digit()),
            "{code}"
        );
        assert!(f["references"].is_object());
        if let Some(id) = f.pointer("/references/django").and_then(Value::as_str) {
            assert!(
                f["message"].as_str().unwrap().ends_with(&format!("({id})")),
                "{f}"
            );
        }
        match &f["fix"] {
            Value::Null => {}
            fix => {
                assert!(
                    fix["title"].as_str().is_some_and(|t| !t.is_empty()),
                    "{fix}"
                );
                for e in fix["edits"].as_array().expect("edits array") {
                    for k in ["line", "column", "end_line", "end_column"] {
                        assert!(e[k].as_u64().is_some_and(|n| n >= 1), "{k} is 1-based: {e}");
                    }
                    assert!(e["new_text"].is_string());
                }
            }
        }
    }
}

/// Columns count Unicode characters: an emoji (4 bytes, 2 UTF-16 units) before a finding on
/// its line moves it by one column.
#[test]
fn columns_count_unicode_characters() {
    let text = format!("{INSECURE_SETTINGS}GREETING = \"😀 hi\"; DEBUG = True\n");
    let dir = project(&[("mysite/settings.py", text.as_bytes())]);
    let (_, findings) = check_json(&[], dir.path());
    let last_line = text.lines().count() as u64;
    let on_line: Vec<&Value> = findings
        .iter()
        .filter(|f| {
            f["line"] == last_line
                && f.pointer("/references/django") == Some(&Value::from("security.W018"))
        })
        .collect();
    assert_eq!(
        on_line.len(),
        1,
        "one W018 finding on the emoji line: {findings:#?}"
    );
    let f = on_line[0];
    let line: Vec<char> = text.lines().last().unwrap().chars().collect();
    let (start, end) = (
        f["column"].as_u64().unwrap() as usize - 1,
        f["end_column"].as_u64().unwrap() as usize - 1,
    );
    assert_eq!(f["end_line"], last_line, "{f}");
    let underlined: String = line[start..end.min(line.len())].iter().collect();
    assert!(
        ["DEBUG", "True", "DEBUG = True"].contains(&underlined.as_str()),
        "columns {start}..{end} underline {underlined:?} (byte or UTF-16 columns would be shifted)"
    );
}

#[test]
fn no_findings_print_an_empty_array() {
    let dir = project(&[("utils.py", PLAIN_PYTHON.as_bytes())]);
    let out = preflight(&["check", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        Value::Array(vec![])
    );
}

#[test]
fn paths_outside_the_working_directory_stay_absolute() {
    let dir = project(&[("mysite/settings.py", INSECURE_SETTINGS.as_bytes())]);
    let elsewhere = tempfile::tempdir().unwrap();
    let target = dir.path().join("mysite/settings.py");
    let (_, findings) = check_json(&[target.to_str().unwrap()], elsewhere.path());
    let expected = target.canonicalize().unwrap();
    assert!(
        findings
            .iter()
            .all(|f| f["path"] == expected.to_str().unwrap()),
        "{findings:#?}"
    );
}
