//! Test helpers for nginx rules: check a config text, list findings, apply fixes.

use std::path::Path;

use crate::analysis::Options;
use crate::diagnostic::{Diagnostic, apply_edits};
use crate::source::MemoryLoader;
use crate::syntax::nginx_tree;

/// The diagnostics of `text` analysed as the file at `path` (a site file under
/// `/srv/site/sites-available/` reads as the inside of `http {}`), with other files in `loader`.
pub fn check_with(path: &str, text: &str, loader: &MemoryLoader) -> Vec<Diagnostic> {
    let tree = nginx_tree(text);
    crate::nginx::analyze_nginx(
        Path::new(path),
        text,
        &tree,
        loader,
        &mut crate::python::ModuleCache::default(),
        &Options::default(),
    )
}

/// The diagnostics of a site file's text.
pub fn check_site(text: &str) -> Vec<Diagnostic> {
    check_with(
        "/srv/site/sites-available/app",
        text,
        &MemoryLoader::default(),
    )
}

/// The diagnostics of a main config's text (`nginx.conf`).
pub fn check_main(text: &str) -> Vec<Diagnostic> {
    check_with("/srv/site/nginx.conf", text, &MemoryLoader::default())
}

/// The findings of one rule, as (1-based line, the text they cover).
pub fn findings<'a>(
    diagnostics: &[Diagnostic],
    code: &str,
    text: &'a str,
) -> Vec<(usize, &'a str)> {
    diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            let line = text[..d.range.start].matches('\n').count() + 1;
            (line, &text[d.range.start..d.range.end])
        })
        .collect()
}

/// The text after applying the (first) fix of the first finding of `code`.
pub fn fixed(diagnostics: &[Diagnostic], code: &str, text: &str) -> String {
    let d = diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} finding in {diagnostics:#?}"));
    let fix = d
        .fix
        .as_ref()
        .unwrap_or_else(|| panic!("{code} has no fix"));
    apply_edits(text, &fix.edits)
}

/// The diagnostics of one rule.
pub fn only(diagnostics: Vec<Diagnostic>, code: &str) -> Vec<Diagnostic> {
    diagnostics.into_iter().filter(|d| d.code == code).collect()
}

/// The first finding of `code`.
pub fn first<'a>(diagnostics: &'a [Diagnostic], code: &str) -> &'a Diagnostic {
    diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} finding in {diagnostics:#?}"))
}
