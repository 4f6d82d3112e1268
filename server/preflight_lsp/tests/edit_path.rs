//! Property test of the document edit path: after any sequence of edits (random positions,
//! including past the end of lines and of the document, inside surrogate pairs, reversed
//! ranges; random text with emoji, combining marks and CRLF), the rope holds exactly the
//! expected text, the incrementally re-parsed tree equals a fresh parse, and the diagnostics
//! equal those of a fresh analysis.

use std::collections::HashMap;
use std::path::Path;

use preflight_core::analysis::Options;
use preflight_core::python::ModuleCache;
use preflight_core::syntax::python_tree;
use preflight_core::text::{Encoding, LineCol, LineIndex};
use preflight_lsp::analysis::{analyze, core_diagnostics};
use preflight_lsp::document::{Change, Document, Language};
use preflight_lsp::loader::OverlayLoader;
use proptest::prelude::*;

const SEEDS: &[&str] = &[
    "DEBUG = True\nALLOWED_HOSTS = []\nSECRET_KEY = 'x'\n",
    "# 😀 réglages\r\nINSTALLED_APPS = [\r\n    'django.contrib.admin',\r\n]\r\nMIDDLEWARE = []\r\nDEBUG = 1\r\n",
    "x = 'e\u{301}😀👍🏽'; DEBUG = True\nif x:\n    SESSION_COOKIE_SECURE = False\n",
    "",
];

const FRAGMENTS: &[&str] = &[
    "",
    "DEBUG = True\n",
    "DEBUG = False",
    "True",
    "😀",
    "e\u{301}",
    "\r\n",
    "\n",
    "\r",
    "(",
    ")",
    "'",
    "    ",
    "SECURE_SSL_REDIRECT = True\r\n",
    "import os\n",
    "MIDDLEWARE = ['django.middleware.security.SecurityMiddleware']\n",
    "# ✓ comment\n",
    "if DEBUG:\n    X = 1\n",
    "ü",
];

fn encoding() -> impl Strategy<Value = Encoding> {
    prop_oneof![
        Just(Encoding::Utf8),
        Just(Encoding::Utf16),
        Just(Encoding::Utf32)
    ]
}

fn change() -> impl Strategy<Value = Change> {
    let pos = (0u32..12, 0u32..48).prop_map(|(line, col)| LineCol { line, col });
    let text = proptest::collection::vec(proptest::sample::select(FRAGMENTS), 0..3)
        .prop_map(|parts| parts.concat());
    prop_oneof![
        9 => (pos.clone(), pos, text.clone()).prop_map(|(a, b, text)| Change { range: Some((a, b)), text }),
        1 => text.prop_map(|text| Change { range: None, text }),
    ]
}

/// The expected effect of a change on a plain string, using the core's position conversion.
fn apply_to_string(text: &mut String, change: &Change, enc: Encoding) {
    match change.range {
        None => *text = change.text.clone(),
        Some((a, b)) => {
            let index = LineIndex::new(text);
            let (a, b) = (index.offset(text, a, enc), index.offset(text, b, enc));
            text.replace_range(a.min(b)..a.max(b), &change.text);
        }
    }
}

/// Every node's kind and byte range, in order.
fn nodes(tree: &tree_sitter::Tree) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        out.push((node.kind().to_owned(), node.start_byte(), node.end_byte()));
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn edits_keep_text_tree_and_diagnostics_exact(
        seed in proptest::sample::select(SEEDS),
        batches in proptest::collection::vec((proptest::collection::vec(change(), 1..4), encoding()), 1..6),
    ) {
        let path = Path::new("/nonexistent-preflight-proptest/mysite/settings.py");
        let mut doc = Document::new(Language::Python, 0, seed);
        doc.parse_now();
        let mut expected = seed.to_owned();
        for (version, (changes, enc)) in batches.into_iter().enumerate() {
            for change in &changes {
                apply_to_string(&mut expected, change, enc);
            }
            doc.apply_changes(version as i32 + 1, changes, enc);
            prop_assert_eq!(&**doc.text(), expected.as_str());
            prop_assert_eq!(doc.rope().to_string(), expected.clone());
            // the server parses after some batches only: edits pile up on the tree between
            if version % 2 == 1 {
                doc.parse_now();
            }
        }
        doc.parse_now();
        let fresh = python_tree(&expected);
        let tree = doc.tree().unwrap();
        prop_assert_eq!(tree.root_node().to_sexp(), fresh.root_node().to_sexp());
        prop_assert_eq!(nodes(tree), nodes(&fresh));

        let loader = OverlayLoader::new(HashMap::new());
        let options = Options::default();
        let incremental = analyze(path, &mut doc.snapshot(), &loader, &mut ModuleCache::default(), &options, Encoding::Utf16);
        let (_, from_scratch) = core_diagnostics(
            path, &Language::Python, &expected, None, &loader, &mut ModuleCache::default(), &options,
        );
        prop_assert_eq!(incremental.diagnostics, from_scratch);
    }
}
