//! Files whose parse runs out of time: reported, not checked, and never a hang.

use std::path::Path;
use std::time::{Duration, Instant};

use super::*;
use crate::python::analyze_path;
use crate::source::MemoryLoader;
use crate::syntax::with_budget;

/// A short budget, so the timeout is reached quickly.
const BUDGET: Duration = Duration::from_millis(50);
/// What the analysis may take beyond the budget (a loaded machine, a debug build).
const MARGIN: Duration = Duration::from_secs(1);

/// Settings, then a run of comment lines in a block: quadratic in tree-sitter-python's scanner
/// (200 KB take 1.9 s unbudgeted in a release build).
fn comment_run(bytes: usize) -> String {
    let mut text = String::from(
        "DEBUG = True\nSECRET_KEY = 'short'\nALLOWED_HOSTS = ['*']\nif DEBUG:\n    ALLOWED_HOSTS = []\n",
    );
    while text.len() < bytes {
        text.push_str("    # a comment line of ordinary length, as a long commented-out block\n");
    }
    text
}

fn analyze_within_budget(path: &str, text: &str, nginx: bool) -> (FileKind, Vec<Diagnostic>) {
    let loader = MemoryLoader::default().with(path, text);
    let start = Instant::now();
    let analysed = with_budget(BUDGET, || {
        parse_and_analyze(
            Path::new(path),
            text,
            nginx,
            &loader,
            &mut ModuleCache::default(),
            &Options::default(),
        )
    });
    let took = start.elapsed();
    assert!(took < BUDGET + MARGIN, "took {took:?}");
    analysed
}

#[test]
fn a_long_comment_run_is_reported_as_not_checked_within_the_budget() {
    let text = comment_run(200_000);
    let (kind, found) = analyze_within_budget("/p/mysite/settings.py", &text, false);
    assert_eq!(kind, FileKind::OtherPython);
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!((d.code, d.severity), ("DJ000", Severity::Error));
    assert_eq!(d.range, TextRange::new(0, 0));
    assert_eq!(
        d.message,
        "Preflight stopped parsing this file after 50 ms (a long run of comment lines in an \
         indented block is slow to parse); it was not checked: split the file or shorten the \
         comment run"
    );
}

#[test]
fn a_gunicorn_config_that_times_out_is_gun000() {
    let mut text = String::from("bind = '0.0.0.0:8000'\n");
    text.push_str(&comment_run(200_000));
    let (kind, found) = analyze_within_budget("/p/gunicorn.conf.py", &text, false);
    assert_eq!(kind, FileKind::Gunicorn);
    let codes: Vec<_> = found.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["GUN000"]);
}

#[test]
fn an_nginx_config_that_times_out_is_ngx000() {
    let text = "server {\n    listen 80;\n    server_name _;\n}\n".repeat(100_000);
    let loader = MemoryLoader::default().with("/p/nginx.conf", &text);
    let (kind, found) = with_budget(Duration::from_millis(1), || {
        parse_and_analyze(
            Path::new("/p/nginx.conf"),
            &text,
            true,
            &loader,
            &mut ModuleCache::default(),
            &Options::default(),
        )
    });
    assert_eq!(kind, FileKind::Nginx);
    let codes: Vec<_> = found.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["NGX000"]);
    assert_eq!(
        found[0].message,
        "Preflight stopped parsing this file after 1 ms; it was not checked: split the file"
    );
}

#[test]
fn an_import_that_times_out_is_an_unknown_module() {
    let base = comment_run(200_000);
    let settings = "from .base import *\nSECRET_KEY = 'x'\n";
    let loader = MemoryLoader::default()
        .with("/p/mysite/settings/base.py", &base)
        .with("/p/mysite/settings/production.py", settings);
    let mut cache = ModuleCache::default();
    let (imported, (_, found)) = with_budget(BUDGET, || {
        let imported = analyze_path(Path::new("/p/mysite/settings/base.py"), &loader, &mut cache);
        let analysed = parse_and_analyze(
            Path::new("/p/mysite/settings/production.py"),
            settings,
            false,
            &loader,
            &mut cache,
            &Options::default(),
        );
        (imported, analysed)
    });
    assert!(imported.is_none());
    // the importer is analysed; what the unknown module defines is unknown, so DEBUG = True
    // there is not reported
    assert!(found.iter().all(|d| d.code != "DJ000"), "{found:#?}");
    assert!(
        found.iter().all(|d| !d.message.contains("DEBUG")),
        "{found:#?}"
    );
    // the text that timed out is not parsed again (under the default budget it would take
    // seconds), until it changes
    let start = Instant::now();
    let again = analyze_path(Path::new("/p/mysite/settings/base.py"), &loader, &mut cache);
    assert!(again.is_none());
    assert!(
        start.elapsed() < MARGIN,
        "parsed again: {:?}",
        start.elapsed()
    );
    let loader = loader.with("/p/mysite/settings/base.py", "DEBUG = True\n");
    assert!(analyze_path(Path::new("/p/mysite/settings/base.py"), &loader, &mut cache).is_some());
}
