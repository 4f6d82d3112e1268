//! The nginx grammar on any bytes: never a panic or a crash in the C scanner, a tree that
//! spans the whole input, and an incremental re-parse after an edit equal to a fresh parse
//! whenever either parses cleanly (the external scanner is stateless, so reused subtrees must
//! agree; error recovery on broken text may legitimately differ).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tree_sitter::{InputEdit, Parser, Point, Tree};

fn point_at(text: &[u8], byte: usize) -> Point {
    let before = &text[..byte];
    let row = before.iter().filter(|&&b| b == b'\n').count();
    let column = before.iter().rev().take_while(|&&b| b != b'\n').count();
    Point::new(row, column)
}

/// Every node as (kind, byte range), walked with a cursor (never recursively).
fn shape(tree: &Tree) -> Vec<(u16, usize, usize)> {
    let mut out = Vec::new();
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        out.push((node.kind_id(), node.start_byte(), node.end_byte()));
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return out;
            }
        }
    }
}

/// The core's nginx analysis (model, includes, every rule): ranges and fix edits on character
/// boundaries, and the quote-the-regex fix only adds (quotes, escapes). The input is also a
/// site file that includes itself, a glob of itself and a snippet that includes the site back,
/// so the include machinery and its cycle detection run on every input.
fn check_analysis(text: &str, tree: &Tree) {
    let in_bounds = |r: preflight_core::text::TextRange| {
        r.start <= r.end && r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
    };
    let fresh = &mut preflight_core::python::ModuleCache::default();
    for d in analyse(text, tree, fresh) {
        assert!(in_bounds(d.range), "{d:?}");
        for fix in d.fix.iter().chain(&d.alternatives) {
            assert!(fix.edits.iter().all(|e| in_bounds(e.range)), "{fix:?}");
            if d.code == "NGX032" {
                let fixed = preflight_core::apply_edits(text, &fix.edits);
                assert!(fixed.len() > text.len());
            }
        }
    }
}

const SITE: &str = "/fuzz/sites-enabled/site";

/// The analysis of `text` as the site file (model, includes, every rule).
fn analyse(
    text: &str,
    tree: &Tree,
    cache: &mut preflight_core::python::ModuleCache,
) -> Vec<preflight_core::Diagnostic> {
    let loader = preflight_core::source::MemoryLoader::default()
        .with(SITE, text)
        .with("/fuzz/snippets/a.conf", "include sites-enabled/*;\nlocation / { include snippets/a.conf; }\n")
        .with("/fuzz/nginx.conf", "events {}\nhttp { include snippets/a.conf; }\n");
    preflight_core::analyze_nginx(
        std::path::Path::new(SITE),
        text,
        tree,
        &loader,
        cache,
        &preflight_core::Options::default(),
    )
}

/// The editor's analysis of the edited text, which reuses what it found before the edit
/// (unchanged servers), equals a fresh one.
fn check_remembered(before: &str, before_tree: &Tree, after: &str, after_tree: &Tree) {
    let mut editing = preflight_core::python::ModuleCache::for_editing();
    analyse(before, before_tree, &mut editing);
    let remembered = analyse(after, after_tree, &mut editing);
    let fresh = analyse(after, after_tree, &mut preflight_core::python::ModuleCache::default());
    assert!(remembered == fresh, "{remembered:#?}\n!=\n{fresh:#?}");
}

fuzz_target!(|data: &[u8]| {
    // First two bytes choose an edit: replace [start, end) with the byte after them.
    let (header, text) = data.split_at(data.len().min(3));
    let mut parser = Parser::new();
    parser.set_language(&tree_sitter_nginx_preflight::LANGUAGE.into()).unwrap();
    let mut tree = parser.parse(text, None).expect("a tree");
    assert_eq!(tree.root_node().end_byte(), text.len());
    if let Ok(source) = std::str::from_utf8(text) {
        check_analysis(source, &tree);
    }
    let [a, b, c] = header else { return };

    let start = usize::from(*a).min(text.len());
    let end = (start + usize::from(*b % 16)).min(text.len());
    let inserted = [*c];
    let edited: Vec<u8> = [&text[..start], &inserted[..], &text[end..]].concat();
    let before_tree = tree.clone();
    tree.edit(&InputEdit {
        start_byte: start,
        old_end_byte: end,
        new_end_byte: start + 1,
        start_position: point_at(text, start),
        old_end_position: point_at(text, end),
        new_end_position: point_at(&edited, start + 1),
    });
    let reparsed = parser.parse(&edited, Some(&tree)).expect("a tree");
    let fresh = parser.parse(&edited, None).expect("a tree");
    // tree-sitter's error recovery may differ between an incremental and a fresh parse of a
    // broken text (both are valid recoveries); a text that parses must give the same tree
    if !fresh.root_node().has_error() || !reparsed.root_node().has_error() {
        assert_eq!(shape(&reparsed), shape(&fresh));
    }
    if let (Ok(before), Ok(after)) = (std::str::from_utf8(text), std::str::from_utf8(&edited)) {
        check_remembered(before, &before_tree, after, &reparsed);
    }
});
