//! Helpers shared by the oracle-backed tests: where the real Django lives, Preflight's Django
//! findings for a file, and Python's own parser as the judge of a fix.

#![allow(dead_code)] // each test binary uses its own subset

use std::path::{Path, PathBuf};
use std::process::Command;

use preflight_core::analysis::Options;
use preflight_core::python::{ModuleCache, analyze_module};
use preflight_core::rules::django;
use preflight_core::source::DiskLoader;
use preflight_core::syntax::python_tree;
use preflight_core::{Diagnostic, DjangoVersion};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root exists")
}

/// The Python of the Django `version` oracle venv; fails the test when it is missing.
pub fn oracle_python(version: &str) -> PathBuf {
    let python = repo_root().join(format!(".oracle/django-{version}/bin/python"));
    assert!(
        python.exists(),
        "the Django {version} oracle is missing ({}): run tests/oracle/setup.sh",
        python.display()
    );
    python
}

/// Every Django rule's findings on one settings module, for a Django version.
pub fn preflight(path: &Path, version: &str) -> Vec<Diagnostic> {
    let text = std::fs::read_to_string(path).unwrap();
    let tree = python_tree(&text);
    let model = analyze_module(path, &text, &tree, &DiskLoader, &mut ModuleCache::default());
    let options = Options {
        django_version: DjangoVersion::parse(version).unwrap(),
        ..Options::default()
    };
    django::check(&model, &text, &options)
}

/// Whether Python's own parser accepts the file.
pub fn python_parses(path: &Path) -> bool {
    Command::new("python3")
        .args(["-c", "import ast,sys; ast.parse(open(sys.argv[1]).read())"])
        .arg(path)
        .status()
        .expect("python3 runs")
        .success()
}

/// Runs the real `check --deploy` (tests/oracle/django_check.py) on settings modules, one
/// process for all of them: `(folder on sys.path, dotted module, environment)` each. Per case,
/// a JSON array of ids, or an object with the error when Django could not load the settings.
pub fn django_check<'a>(
    version: &str,
    cases: impl IntoIterator<Item = (&'a Path, &'a str, &'a [(&'a str, &'a str)])>,
) -> Vec<serde_json::Value> {
    use std::io::Write;
    use std::process::Stdio;

    let input: Vec<serde_json::Value> = cases
        .into_iter()
        .map(|(dir, module, env)| {
            let env: serde_json::Map<String, serde_json::Value> = env
                .iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
                .collect();
            serde_json::json!({"dir": dir, "module": module, "env": env})
        })
        .collect();
    let mut child = Command::new(oracle_python(version))
        .arg(repo_root().join("tests/oracle/django_check.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the oracle starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(&input).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().expect("the oracle runs");
    assert!(out.status.success(), "the oracle failed");
    serde_json::from_slice(&out.stdout).expect("the oracle prints JSON")
}
