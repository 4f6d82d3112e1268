//! The stack rules on whole projects, as `preflight check` sees a folder: tests/fixtures/stack
//! holds a consistent deployment (Django settings that the real `check --deploy` passes, a
//! gunicorn config that gunicorn's `--check-config` accepts, an nginx site that `nginx -t`
//! accepts) with no finding at warning or above, and one project per STK rule, each broken in
//! one way (made from it by `stack_projects`, in a temporary folder). Each broken project must report
//! exactly its STK finding (file, line, column, related places); each STK quick-fix is applied
//! to a copy, checked by the real tool of the file it edits (nginx -t; Python's parser and the
//! real Django; gunicorn --check-config), and the finding must be gone.
//!
//! The oracles come from tests/oracle/setup.sh (Django 6.1, gunicorn) and apt (nginx); a
//! missing one is reported as a NOTICE and its checks are skipped.

mod fs_support;
mod nginx_oracle;
mod stack_projects;

use std::path::{Path, PathBuf};
use std::process::Command;

use nginx_oracle::{Edit, NginxOracle, apply_edits, repo_root};
use serde_json::Value;

/// A key Django's checks accept (long, varied, not `django-insecure-`); never used to sign.
const TEST_SECRET_KEY: &str = "stack-fixtures-7f3Kq9vXz2LmN8pRt4WyB6cHd1JsE5gA0uVo";

#[derive(Debug, Clone)]
struct Finding {
    path: String,
    line: usize,
    column: usize,
    severity: String,
    code: String,
    related: Vec<(String, usize)>,
    fix: Option<(String, Vec<Edit>)>,
}

fn number(v: &Value, key: &str) -> usize {
    v[key].as_u64().unwrap_or_else(|| panic!("{key} in {v}")) as usize
}

fn string(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {v}"))
        .to_owned()
}

/// `preflight check --format json .` in `dir`: the exit code and the findings.
fn check(dir: &Path) -> (i32, Vec<Finding>) {
    let out = Command::new(env!("CARGO_BIN_EXE_preflight"))
        .args(["check", "--format", "json", "."])
        .current_dir(dir)
        .output()
        .expect("the preflight binary runs");
    let code = out.status.code().unwrap_or(-1);
    assert!(
        matches!(code, 0 | 1),
        "{}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).expect("a JSON array");
    let findings = findings
        .iter()
        .map(|f| Finding {
            path: string(f, "path"),
            line: number(f, "line"),
            column: number(f, "column"),
            severity: string(f, "severity"),
            code: string(f, "code"),
            related: f["related"]
                .as_array()
                .expect("related")
                .iter()
                .map(|r| (string(r, "path"), number(r, "line")))
                .collect(),
            fix: match &f["fix"] {
                Value::Null => None,
                fix => Some((
                    string(fix, "title"),
                    fix["edits"]
                        .as_array()
                        .expect("edits")
                        .iter()
                        .map(|e| Edit {
                            line: number(e, "line"),
                            column: number(e, "column"),
                            end_line: number(e, "end_line"),
                            end_column: number(e, "end_column"),
                            new_text: string(e, "new_text"),
                        })
                        .collect(),
                )),
            },
        })
        .collect();
    (code, findings)
}

// ----- the real tools -----

fn oracle_python(venv: &str) -> Option<PathBuf> {
    let python = repo_root().join(".oracle").join(venv).join("bin/python");
    if python.exists() {
        Some(python)
    } else {
        eprintln!("NOTICE: no .oracle/{venv} (run tests/oracle/setup.sh); its checks are skipped");
        None
    }
}

/// Python's own parser accepts the file.
fn python_parses(python: &Path, file: &Path) -> Result<(), String> {
    let out = Command::new(python)
        .args([
            "-c",
            "import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])",
        ])
        .arg(file)
        .output()
        .unwrap();
    out.status
        .success()
        .then_some(())
        .ok_or_else(|| String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The real `manage.py check --deploy` of the project: Ok with its output when it passes.
fn django_check_deploy(python: &Path, project: &Path) -> Result<String, String> {
    let out = Command::new(python)
        .args(["manage.py", "check", "--deploy"])
        .current_dir(project)
        .env("DJANGO_SECRET_KEY", TEST_SECRET_KEY)
        .env_remove("DJANGO_SETTINGS_MODULE")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        Ok(text)
    } else {
        Err(text)
    }
}

/// gunicorn's own validation of a config file (`--check-config` loads the config and a
/// stand-in app).
fn gunicorn_check_config(config: &Path) -> Option<Result<(), String>> {
    // `python -m gunicorn`: the venv's scripts carry the absolute path it was made at
    let python = repo_root().join(".oracle/gunicorn/bin/python");
    if !python.exists() {
        eprintln!(
            "NOTICE: no .oracle/gunicorn (run tests/oracle/setup.sh); gunicorn checks skipped"
        );
        return None;
    }
    let app = tempfile::tempdir().unwrap();
    std::fs::write(
        app.path().join("preflight_probe_app.py"),
        "def app(environ, start_response):\n    return []\n",
    )
    .unwrap();
    let out = Command::new(python)
        .args(["-m", "gunicorn", "--check-config"])
        .arg("-c")
        .arg(config)
        .arg("preflight_probe_app:app")
        .env("PYTHONPATH", app.path())
        .current_dir(app.path())
        .output()
        .unwrap();
    Some(if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    })
}

use stack_projects::{GUNICORN, NGINX_SITE, PRODUCTION};

// ----- the consistent deployment -----

#[test]
fn the_consistent_deployment_passes_every_oracle_and_preflight() {
    let dir = stack_projects::consistent();
    let (code, findings) = check(&dir);
    let serious: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity == "error" || f.severity == "warning")
        .collect();
    assert!(serious.is_empty(), "{serious:#?}");
    assert_eq!(code, 0);
    if let Some(python) = oracle_python("django-6.1") {
        let out = django_check_deploy(&python, &dir).unwrap_or_else(|e| panic!("{e}"));
        assert!(out.contains("System check identified no issues"), "{out}");
    }
    if let Some(result) = gunicorn_check_config(&dir.join(GUNICORN)) {
        result.unwrap_or_else(|e| panic!("gunicorn --check-config: {e}"));
    }
    if let Some(oracle) = NginxOracle::new() {
        let site = dir.join(NGINX_SITE);
        let text = std::fs::read_to_string(&site).unwrap();
        oracle
            .test(&text, &site)
            .unwrap_or_else(|e| panic!("nginx -t: {e}"));
    }
}

// ----- the broken ones -----

/// A finding as compared: (code, file, line, column, related (file, line)).
type Found = (String, String, usize, usize, Vec<(String, usize)>);

type Expected = (
    &'static str,
    &'static str,
    usize,
    usize,
    &'static [(&'static str, usize)],
);

/// Each broken project's STK findings: (code, file, line, column, related (file, line)).
const BROKEN: &[(&str, &[Expected])] = &[
    (
        "stk001",
        &[("STK001", NGINX_SITE, 52, 5, &[(PRODUCTION, 10)])],
    ),
    (
        "stk002",
        &[("STK002", PRODUCTION, 10, 1, &[(NGINX_SITE, 54)])],
    ),
    ("stk003", &[("STK003", NGINX_SITE, 2, 12, &[(GUNICORN, 4)])]),
    ("stk004", &[("STK004", GUNICORN, 4, 8, &[(NGINX_SITE, 2)])]),
    (
        "stk005",
        &[(
            "STK005",
            NGINX_SITE,
            42,
            15,
            &[("mysite/settings/base.py", 55)],
        )],
    ),
    (
        "stk005-absolute",
        &[(
            "STK005",
            NGINX_SITE,
            46,
            15,
            &[("mysite/settings/base.py", 57)],
        )],
    ),
    (
        "stk006",
        &[(
            "STK006",
            NGINX_SITE,
            41,
            14,
            &[("mysite/settings/base.py", 54)],
        )],
    ),
    (
        "stk007",
        &[("STK007", PRODUCTION, 8, 1, &[(NGINX_SITE, 25)])],
    ),
    (
        "stk007-nginx",
        &[("STK007", NGINX_SITE, 25, 5, &[(PRODUCTION, 8)])],
    ),
    (
        "stk008",
        &[("STK008", PRODUCTION, 8, 1, &[(NGINX_SITE, 14)])],
    ),
    (
        "stk009",
        &[("STK009", NGINX_SITE, 52, 5, &[(PRODUCTION, 8)])],
    ),
    (
        "stk010",
        &[("STK010", NGINX_SITE, 33, 26, &[(PRODUCTION, 18)])],
    ),
    ("stk011", &[("STK011", NGINX_SITE, 52, 5, &[(GUNICORN, 7)])]),
    ("stk012", &[("STK012", NGINX_SITE, 57, 9, &[(GUNICORN, 1)])]),
    (
        "stk013",
        &[("STK013", NGINX_SITE, 39, 42, &[(PRODUCTION, 12)])],
    ),
    (
        "stk014",
        &[
            ("STK004", GUNICORN, 4, 8, &[(NGINX_SITE, 2)]),
            ("STK014", GUNICORN, 5, 1, &[(GUNICORN, 4)]),
        ],
    ),
];

#[test]
fn each_broken_project_reports_exactly_its_stack_finding() {
    let mut failures = Vec::new();
    for (name, expected) in BROKEN {
        let project = stack_projects::broken(name);
        let (code, findings) = check(project.path());
        let actual: Vec<Found> = findings
            .iter()
            .filter(|f| f.code.starts_with("STK"))
            .map(|f| {
                (
                    f.code.clone(),
                    f.path.clone(),
                    f.line,
                    f.column,
                    f.related.clone(),
                )
            })
            .collect();
        let wanted: Vec<Found> = expected
            .iter()
            .map(|(c, p, l, col, rel)| {
                (
                    c.to_string(),
                    p.to_string(),
                    *l,
                    *col,
                    rel.iter().map(|(p, l)| (p.to_string(), *l)).collect(),
                )
            })
            .collect();
        if actual != wanted {
            failures.push(format!("{name}: expected {wanted:#?}\nfound {actual:#?}"));
        }
        if expected
            .iter()
            .any(|(c, ..)| *c != "STK010" && *c != "STK011" && *c != "STK013")
        {
            assert_eq!(
                code, 1,
                "{name}: a finding at warning or above fails the check"
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // every rule has its broken project
    let mut codes: Vec<&str> = BROKEN
        .iter()
        .flat_map(|(_, e)| e.iter().map(|(c, ..)| *c))
        .collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 14, "{codes:?}");
    let expected: Vec<&str> = BROKEN.iter().map(|(n, _)| *n).collect();
    let made: Vec<&str> = stack_projects::BROKEN.iter().map(|(n, _)| *n).collect();
    assert_eq!(expected, made, "one expectation per broken project");
}

#[test]
fn every_stack_fix_is_accepted_by_the_real_tool_and_removes_the_finding() {
    let django = oracle_python("django-6.1");
    let nginx = NginxOracle::new();
    let mut checked = 0;
    let mut failures = Vec::new();
    for (name, expected) in BROKEN {
        let project = stack_projects::broken(name);
        let source = project.path();
        let (_, findings) = check(source);
        for (code, file, ..) in expected.iter() {
            let Some(finding) = findings.iter().find(|f| f.code == *code && f.path == *file) else {
                failures.push(format!("{name}: no {code}"));
                continue;
            };
            let Some((title, edits)) = &finding.fix else {
                // STK005 has no fix when STATIC_ROOT lies in the project (the server path is unknown)
                assert_eq!(*code, "STK005", "{name}: {code} has no fix");
                continue;
            };
            let copy = tempfile::tempdir().unwrap();
            fs_support::copy_tree(source, copy.path());
            let path = copy.path().join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            let fixed = apply_edits(&text, edits).unwrap_or_else(|e| panic!("{name} {code}: {e}"));
            assert_ne!(fixed, text, "{name} {code}: `{title}` changes nothing");
            std::fs::write(&path, &fixed).unwrap();
            let verdict: Result<(), String> = if file.ends_with(".conf") {
                match &nginx {
                    Some(oracle) => oracle.test(&fixed, &path),
                    None => Ok(()),
                }
            } else if *file == GUNICORN {
                let parsed = django
                    .as_ref()
                    .map_or(Ok(()), |python| python_parses(python, &path));
                parsed.and(gunicorn_check_config(&path).unwrap_or(Ok(())))
            } else {
                match &django {
                    Some(python) => python_parses(python, &path)
                        .and_then(|()| django_check_deploy(python, copy.path()).map(|_| ())),
                    None => Ok(()),
                }
            };
            if let Err(e) = verdict {
                failures.push(format!(
                    "{name} {code} `{title}`: the real tool rejects the fixed {file}: {e}"
                ));
                continue;
            }
            let (_, after) = check(copy.path());
            if after.iter().any(|f| f.code == *code && f.path == *file) {
                failures.push(format!(
                    "{name} {code} `{title}`: still reported after the fix"
                ));
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 15, "only {checked} fixes were checked");
}
