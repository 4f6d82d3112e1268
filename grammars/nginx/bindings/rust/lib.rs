//! The nginx grammar Preflight owns, for [tree-sitter].
//!
//! It follows nginx's own tokenizer (`ngx_conf_read_token`): every statement is a
//! `directive` node with a `name` field, repeated `argument` fields (`word` or
//! `string`) and an optional `body` field (`block`, or `lua_block` holding the raw
//! `lua_code` of a `*_by_lua_block`). An unquoted word whose braces nginx would
//! split (`location ~ ^/\d{1,3}$ {`) appears as an `unquoted_braces` node inside
//! an `ERROR`, at the word.
//!
//! ```
//! let code = "server { listen 80; }";
//! let mut parser = tree_sitter::Parser::new();
//! let language = tree_sitter_nginx_preflight::LANGUAGE;
//! parser.set_language(&language.into()).expect("Error loading nginx parser");
//! let tree = parser.parse(code, None).unwrap();
//! assert!(!tree.root_node().has_error());
//! ```
//!
//! [tree-sitter]: https://tree-sitter.github.io/

use tree_sitter_language::LanguageFn;

unsafe extern "C" {
    fn tree_sitter_nginx() -> *const ();
}

/// The tree-sitter [`LanguageFn`] for this grammar.
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_nginx) };

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
            .expect("Error loading nginx parser");
    }
}
