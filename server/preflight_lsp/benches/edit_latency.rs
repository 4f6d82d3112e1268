//! Edit-to-diagnostics latency on a 3,000-line settings module and a ~3,000-line nginx config:
//! one small incremental edit applied to the document (rope + tree edit + incremental re-parse),
//! then the analysis and the conversion of its diagnostics to LSP positions — what one keystroke
//! costs the server. Percentiles (median, p99) of the same edits: the `edit_percentiles` bench.
//!
//! cargo bench -p preflight_lsp --bench edit_latency

// the allocator the `preflight` binary uses
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::HashMap;
use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use preflight_core::analysis::Options;
use preflight_core::python::ModuleCache;
use preflight_core::text::{Encoding, LineCol};
use preflight_lsp::analysis::analyze;
use preflight_lsp::document::{Change, Document, Language};
use preflight_lsp::loader::OverlayLoader;

#[path = "common.rs"]
mod common;
use common::{LINES, nginx_edit, settings_edit, settings_module};

fn edit_to_diagnostics(c: &mut Criterion) {
    // as the binary does, before any tree exists
    preflight_lsp::memory::tree_sitter_uses_mimalloc();
    assert_eq!(settings_module().lines().count(), LINES);
    let mut settings = settings_edit();
    c.bench_function("edit_to_diagnostics_3000_lines", |b| {
        b.iter(|| black_box(settings.step()))
    });
    let mut nginx = nginx_edit();
    c.bench_function("edit_to_diagnostics_nginx_3000_lines", |b| {
        b.iter(|| black_box(nginx.step()))
    });
}

/// The server's own share: the edit and the incremental re-parse, without the rules.
fn edit_and_reparse(c: &mut Criterion) {
    // as the binary does, before any tree exists
    preflight_lsp::memory::tree_sitter_uses_mimalloc();
    let text = settings_module();
    let (line, _) = text
        .lines()
        .enumerate()
        .skip(LINES / 2)
        .find(|(_, l)| l.contains("'enabled': True"))
        .unwrap();
    let col = text.lines().nth(line).unwrap().find("True").unwrap() as u32;
    let mut doc = Document::new(Language::Python, 0, &text);
    let mut version = 0;
    c.bench_function("edit_and_reparse_3000_lines", |b| {
        b.iter(|| {
            version += 1;
            let ch = if version % 2 == 1 { "X" } else { "T" };
            let range = (
                LineCol {
                    line: line as u32,
                    col,
                },
                LineCol {
                    line: line as u32,
                    col: col + 1,
                },
            );
            doc.apply_changes(
                version,
                [Change {
                    range: Some(range),
                    text: ch.to_owned(),
                }],
                Encoding::Utf16,
            );
            doc.parse_now();
            black_box(doc.tree().is_some())
        })
    });
}

/// An edit in a whole deployment (tests/fixtures/stack/consistent: split settings, gunicorn,
/// an nginx site): the analysis of the edited file builds the project's deployment (the other
/// layers read through the loader) and runs the stack rules too. One bench per layer edited.
fn edit_in_a_deployment(c: &mut Criterion) {
    // as the binary does, before any tree exists
    preflight_lsp::memory::tree_sitter_uses_mimalloc();
    use std::sync::Arc;

    use preflight_core::project::Project;
    use preflight_core::source::DiskLoader;

    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/stack/consistent")
        .canonicalize()
        .expect("the stack fixture exists");
    let options = Options::for_project(Arc::new(Project::load(&root, &DiskLoader)));
    for (name, rel, language, from, to) in [
        (
            "edit_production_settings_in_deployment",
            "mysite/settings/production.py",
            Language::Python,
            "DEBUG = False",
            "DEBUG = Falsx",
        ),
        (
            "edit_nginx_site_in_deployment",
            "deploy/nginx/mysite.conf",
            Language::Nginx,
            "client_max_body_size 10m;",
            "client_max_body_size 11m;",
        ),
    ] {
        let path = root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let offset = text.find(from).unwrap() + from.len() - 1;
        let line = text[..offset].matches('\n').count() as u32;
        let col = (offset - text[..offset].rfind('\n').map_or(0, |i| i + 1)) as u32;
        let original = text[offset..offset + 1].to_owned();
        let replacement = to[to.len() - 1..].to_owned();
        let mut doc = Document::new(language, 0, &text);
        let loader = OverlayLoader::new(HashMap::new());
        let mut cache = ModuleCache::for_editing();
        let mut version = 0;
        c.bench_function(name, |b| {
            b.iter(|| {
                version += 1;
                let ch = if version % 2 == 1 {
                    &replacement
                } else {
                    &original
                };
                let range = (LineCol { line, col }, LineCol { line, col: col + 1 });
                doc.apply_changes(
                    version,
                    [Change {
                        range: Some(range),
                        text: ch.clone(),
                    }],
                    Encoding::Utf16,
                );
                let mut snapshot = doc.snapshot();
                let analysis = analyze(
                    &path,
                    &mut snapshot,
                    &loader,
                    &mut cache,
                    &options,
                    Encoding::Utf16,
                );
                doc.adopt(&snapshot);
                black_box(analysis.lsp.len())
            })
        });
    }
}

criterion_group!(
    benches,
    edit_to_diagnostics,
    edit_and_reparse,
    edit_in_a_deployment
);
criterion_main!(benches);
