//! The nginx grammar on any bytes: never a panic or a crash in the C scanner, a tree that
//! spans the whole input, and an incremental re-parse after an edit equal to a fresh parse
//! (the external scanner is stateless, so reused subtrees must agree).
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

/// The core's nginx analysis: ranges on character boundaries, every quick-fix's edits inside the
/// text, and NGX000's fixes only add (quotes, escapes), never drop text.
fn check_analysis(text: &str, tree: &Tree) {
    let options = preflight_core::Options::default();
    let path = std::path::Path::new("fuzz.conf");
    let loader = preflight_core::source::MemoryLoader::default();
    for d in preflight_core::analyze_nginx(path, text, tree, &loader, &options) {
        assert!(text.is_char_boundary(d.range.start) && text.is_char_boundary(d.range.end));
        assert!(d.range.start <= d.range.end && d.range.end <= text.len());
        if let Some(fix) = &d.fix {
            for edit in &fix.edits {
                assert!(edit.range.start <= edit.range.end && edit.range.end <= text.len());
                assert!(text.is_char_boundary(edit.range.start));
                assert!(text.is_char_boundary(edit.range.end));
            }
            let fixed = preflight_core::apply_edits(text, &fix.edits);
            if d.code == "NGX000" {
                assert!(fixed.len() > text.len());
            }
        }
    }
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
    assert_eq!(shape(&reparsed), shape(&fresh));
});
