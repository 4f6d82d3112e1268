//! tree-sitter-python 0.25.0, vendored by Preflight, for [tree-sitter].
//!
//! The same grammar, node kinds and field names as upstream; the one change is that it declares
//! no keyword-capture token (`word`), so an incremental re-parse reuses the top-level statements
//! an edit does not touch. See README.md.
//!
//! ```
//! let code = "DEBUG = False\nALLOWED_HOSTS = ['example.com']\n";
//! let mut parser = tree_sitter::Parser::new();
//! let language = tree_sitter_python_preflight::LANGUAGE;
//! parser.set_language(&language.into()).expect("Error loading Python parser");
//! let tree = parser.parse(code, None).unwrap();
//! assert!(!tree.root_node().has_error());
//! ```
//!
//! [tree-sitter]: https://tree-sitter.github.io/

use tree_sitter_language::LanguageFn;

unsafe extern "C" {
    // `tree_sitter_python` in the generated parser.c, renamed by build.rs
    fn tree_sitter_python_preflight() -> *const ();
}

/// The tree-sitter [`LanguageFn`] for this grammar.
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_python_preflight) };

/// The content of the [`node-types.json`] file for this grammar.
///
/// [`node-types.json`]: https://tree-sitter.github.io/tree-sitter/using-parsers/6-static-node-types
pub const NODE_TYPES: &str = include_str!("../../src/node-types.json");

#[cfg(test)]
mod tests {
    #[test]
    fn can_load_grammar() {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&super::LANGUAGE.into())
            .expect("Error loading Python parser");
    }
}
