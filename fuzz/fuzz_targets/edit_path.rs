//! The server's edit path: any sequence of `didChange` edits (positions anywhere, including
//! past the end and inside characters; any text) must leave the document's text equal to the
//! same edits applied to a plain string, its incrementally re-parsed tree equal to a fresh
//! parse, and the module evaluated after each edit with the editor's cache (which remembers
//! literals from one analysis to the next) equal to a fresh evaluation. Never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use preflight_core::python::{ModuleCache, analyze_module};
use preflight_core::source::MemoryLoader;
use preflight_core::syntax::python_tree;
use preflight_core::text::{Encoding, LineCol, LineIndex};
use preflight_lsp::document::{Change, Document, Language};

/// Reads the input as: a seed text, then edits of (encoding, start, end, text).
struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*b)
    }
    fn text(&mut self) -> Option<String> {
        let len = usize::from(self.byte()? % 24);
        let len = len.min(self.0.len());
        let (t, rest) = self.0.split_at(len);
        self.0 = rest;
        Some(String::from_utf8_lossy(t).into_owned())
    }
    fn pos(&mut self) -> Option<LineCol> {
        Some(LineCol { line: u32::from(self.byte()? % 16), col: u32::from(self.byte()? % 64) })
    }
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input(data);
    let Some(seed) = input.text() else { return };
    let mut doc = Document::new(Language::Python, 0, &seed);
    let mut expected = seed;
    let mut version = 0;
    let (path, loader) = (Path::new("/p/mysite/settings.py"), MemoryLoader::default());
    let mut editing = ModuleCache::for_editing();
    while let (Some(e), Some(a), Some(b), Some(text)) = (input.byte(), input.pos(), input.pos(), input.text()) {
        let encoding = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32][usize::from(e % 3)];
        // the reference: the core's own clamping on a plain string
        let index = LineIndex::new(&expected);
        let (x, y) = (index.offset(&expected, a, encoding), index.offset(&expected, b, encoding));
        expected.replace_range(x.min(y)..x.max(y), &text);
        version += 1;
        doc.apply_changes(version, [Change { range: Some((a, b)), text }], encoding);
        assert_eq!(doc.text().as_ref(), expected.as_str());
        // as the server: a worker parses a snapshot now and then (edits pile up on the tree
        // meanwhile); the document keeps the parse only if no edit came since
        if e & 0x80 != 0 {
            let mut snapshot = doc.snapshot();
            snapshot.ensure_parsed();
            doc.adopt(&snapshot);
        }
        if let Some(tree) = doc.tree() {
            let remembered = analyze_module(path, &expected, tree, &loader, &mut editing);
            let fresh = analyze_module(path, &expected, tree, &loader, &mut ModuleCache::default());
            assert_eq!(remembered.bindings, fresh.bindings);
        }
    }
    doc.parse_now();
    let fresh = python_tree(&expected);
    assert_eq!(doc.tree().map(|t| t.root_node().to_sexp()), Some(fresh.root_node().to_sexp()));
});
