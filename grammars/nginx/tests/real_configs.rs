//! Every configuration file Debian's nginx packages install under /etc/nginx
//! must parse without an ERROR or MISSING node.
//!
//! Skipped, with a notice, where nginx is not installed (CI installs it with
//! `apt-get install -y nginx-common`).

mod common;

use std::path::{Path, PathBuf};

fn config_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        // `metadata` follows symlinks (sites-enabled/default -> sites-available).
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => config_files(&path, out),
            Ok(meta) if meta.is_file() => out.push(path),
            _ => {}
        }
    }
}

#[test]
fn every_debian_nginx_config_parses_cleanly() {
    let root = Path::new("/etc/nginx");
    if !root.is_dir() {
        eprintln!("NOTICE: /etc/nginx does not exist; skipping the Debian nginx config test");
        return;
    }
    let mut files = Vec::new();
    config_files(root, &mut files);
    assert!(
        files.iter().any(|f| f.ends_with("nginx.conf")),
        "no nginx.conf under /etc/nginx: {files:?}"
    );

    let mut parser = common::parser();
    let mut failures = Vec::new();
    let mut directive_count = 0;
    for file in &files {
        // Bytes, not text: koi-win and friends are charset tables.
        let source = std::fs::read(file).expect("readable config file");
        let tree = parser.parse(&source, None).expect("a tree");
        let bad = common::find_nodes(&tree, |n| n.is_error() || n.is_missing());
        if !bad.is_empty() {
            failures.push(format!("{}: {bad:?}", file.display()));
        }
        directive_count += common::find_nodes(&tree, |n| n.kind() == "directive").len();
    }
    eprintln!(
        "parsed {} files under /etc/nginx ({directive_count} directives)",
        files.len()
    );
    assert!(
        failures.is_empty(),
        "configs with errors:\n{}",
        failures.join("\n")
    );
    assert!(
        directive_count > 100,
        "suspiciously few directives: {directive_count}"
    );
}

#[test]
fn debian_nginx_conf_has_the_expected_shape() {
    let path = Path::new("/etc/nginx/nginx.conf");
    let Ok(source) = std::fs::read_to_string(path) else {
        eprintln!("NOTICE: /etc/nginx/nginx.conf does not exist; skipping");
        return;
    };
    let all = common::directives(&source);
    let http = all
        .iter()
        .find(|d| d.depth == 0 && d.name == "http")
        .expect("a top-level http block");
    assert_eq!(http.body.as_deref(), Some("block"));
    assert!(
        all.iter()
            .any(|d| d.depth == 1 && d.name == "include" && d.args == ["/etc/nginx/mime.types"]),
        "include of mime.types inside http: {all:?}"
    );
}

#[test]
fn project_example_deployment_parses_cleanly() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/example/deploy/nginx/mysite.conf");
    let source = std::fs::read_to_string(&path).expect("the example deployment's nginx config");
    let all = common::directives(&source);
    assert!(
        all.iter()
            .any(|d| d.name == "server" && d.body.as_deref() == Some("block")),
        "a server block in {}: {all:?}",
        path.display()
    );
}
