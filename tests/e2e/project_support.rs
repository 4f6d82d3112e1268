//! Fixture projects under tests/fixtures, and what the CLI and the language server report on
//! them, in one comparable shape. Needs `mod cli_support;`, `mod fs_support;` and `mod support;` next to it.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::cli_support::check_json;
use crate::support::{LspClient, file_uri};

pub use crate::fs_support::copy_tree;

/// One finding as both front ends can state it: positions 1-based, columns in Unicode
/// characters (the CLI's contract; the server is asked for UTF-32 positions to match).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// Relative to the project folder, with `/`.
    pub path: String,
    pub code: String,
    pub line: u64,
    pub column: u64,
    pub end_line: u64,
    pub end_column: u64,
    pub severity: String,
    pub message: String,
}

/// The canonical path of `tests/fixtures/<name>` (the CLI canonicalises what it checks).
pub fn fixture(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name);
    std::fs::canonicalize(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A fixture copied into a fresh temp folder, for tests that change it.
pub fn fixture_copy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture(name), dir.path());
    dir
}

/// Every Python file under `root`, sorted.
pub fn python_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "py") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The configuration file of a project folder, if it has one.
pub fn config_file(root: &Path) -> Option<PathBuf> {
    ["preflight.toml", "pyproject.toml"]
        .into_iter()
        .map(|name| root.join(name))
        .find(|p| p.exists())
}

/// What `preflight check --format json` reports, run in the project folder.
pub fn cli_findings(root: &Path) -> BTreeSet<Finding> {
    let (code, findings) = check_json(&[], root);
    assert!(matches!(code, Some(0 | 1)), "check exits 0 or 1: {code:?}");
    findings
        .iter()
        .map(|f| Finding {
            path: f["path"].as_str().unwrap().to_owned(),
            code: f["code"].as_str().unwrap().to_owned(),
            line: f["line"].as_u64().unwrap(),
            column: f["column"].as_u64().unwrap(),
            end_line: f["end_line"].as_u64().unwrap(),
            end_column: f["end_column"].as_u64().unwrap(),
            severity: f["severity"].as_str().unwrap().to_owned(),
            message: f["message"].as_str().unwrap().to_owned(),
        })
        .collect()
}

/// A language server started on `root` (UTF-32 positions, as the CLI counts columns).
pub fn lsp_on(root: &Path) -> LspClient {
    let mut client = LspClient::spawn();
    let result = client.initialize(Some(&["utf-32"]), Some(root), json!({}));
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-32");
    client
}

/// Opens a file as saved on disk and returns its published diagnostics.
pub fn open_and_wait(client: &mut LspClient, path: &Path) -> Vec<Value> {
    let uri = file_uri(path);
    let text = std::fs::read_to_string(path).unwrap();
    client.open(&uri, 1, &text);
    client.diagnostics(&uri, 1)
}

/// What the language server publishes when every Python file of the project is opened, plus
/// what it publishes on the configuration file.
pub fn lsp_findings(root: &Path) -> BTreeSet<Finding> {
    let mut client = lsp_on(root);
    let mut out = BTreeSet::new();
    for path in python_files(root) {
        let diagnostics = open_and_wait(&mut client, &path);
        out.extend(diagnostics.iter().map(|d| lsp_finding(root, &path, d)));
    }
    if let Some(config) = config_file(root) {
        let uri = file_uri(&config);
        let published = client.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
        out.extend(diagnostics.iter().map(|d| lsp_finding(root, &config, d)));
    }
    assert!(client.shutdown().success());
    out
}

/// An LSP diagnostic (0-based, UTF-32) in the CLI's terms.
pub fn lsp_finding(root: &Path, path: &Path, d: &Value) -> Finding {
    let at = |end: &str, field: &str| d["range"][end][field].as_u64().unwrap() + 1;
    Finding {
        path: relative(root, path),
        code: d["code"].as_str().unwrap().to_owned(),
        line: at("start", "line"),
        column: at("start", "character"),
        end_line: at("end", "line"),
        end_column: at("end", "character"),
        severity: severity_name(&d["severity"]).to_owned(),
        message: d["message"].as_str().unwrap().to_owned(),
    }
}

/// LSP's DiagnosticSeverity number as the CLI's word.
pub fn severity_name(n: &Value) -> &'static str {
    match n.as_u64() {
        Some(1) => "error",
        Some(2) => "warning",
        Some(3) => "information",
        Some(4) => "hint",
        other => panic!("not a DiagnosticSeverity: {other:?}"),
    }
}

pub fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The findings of one file.
pub fn in_file<'a>(findings: &'a BTreeSet<Finding>, path: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.path == path).collect()
}

/// The codes among findings, sorted and deduplicated.
pub fn codes_of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> BTreeSet<String> {
    findings.into_iter().map(|f| f.code.clone()).collect()
}
