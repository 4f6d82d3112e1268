//! Helpers shared by the CLI tests: run the built binary, make throwaway projects.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// A settings module with deployment mistakes Django itself reports.
pub const INSECURE_SETTINGS: &str = r#"SECRET_KEY = "django-insecure-short"
DEBUG = True
ALLOWED_HOSTS = []
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
"#;

/// A Python file that is not a settings module.
pub const PLAIN_PYTHON: &str = "def add(a, b):\n    return a + b\n";

/// The repository's root folder.
pub fn repo() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

pub fn preflight(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_preflight"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the preflight binary runs")
}

/// A temp folder with the given files (paths relative to it).
pub fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp folder");
    for (rel, bytes) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `check --format json` and parses the array.
pub fn check_json(args: &[&str], cwd: &Path) -> (Option<i32>, Vec<Value>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = preflight(&all, cwd);
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not a JSON array ({e}): {}\nstderr: {}",
            stdout(&out),
            stderr(&out)
        )
    });
    (out.status.code(), findings)
}

/// The Django ids among findings.
pub fn django_ids(findings: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> = findings
        .iter()
        .filter_map(|f| {
            f.pointer("/references/django")
                .and_then(Value::as_str)
                .map(String::from)
        })
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Whether Python's own parser accepts a file (the oracle for quick-fixes).
pub fn python_parses(path: &Path) -> bool {
    Command::new("python3")
        .args([
            "-c",
            "import ast, sys; ast.parse(open(sys.argv[1], encoding='utf-8').read())",
        ])
        .arg(path)
        .status()
        .expect("python3 runs")
        .success()
}
