//! tree-sitter parsers. Re-parsing is incremental when the caller passes the edited old tree.

use tree_sitter::{Node, Parser, Tree};

pub fn python_language() -> tree_sitter::Language {
    tree_sitter_python::LANGUAGE.into()
}

pub fn python_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&python_language())
        .expect("the bundled tree-sitter-python grammar matches the tree-sitter version");
    parser
}

/// Parses Python text. `old` must already have had the edits applied with `Tree::edit`.
pub fn parse_python(parser: &mut Parser, text: &str, old: Option<&Tree>) -> Tree {
    parser
        .parse(text, old)
        .expect("parse only fails without a language, with a timeout or a cancellation flag")
}

/// The first syntax error of a tree: an ERROR node or a MISSING node.
pub fn first_error(root: Node<'_>) -> Option<Node<'_>> {
    if !root.has_error() {
        return None;
    }
    let mut cursor = root.walk();
    let mut node = root;
    loop {
        if node.is_error() || node.is_missing() {
            return Some(node);
        }
        // descend into the first child that has an error
        let mut next = None;
        for child in node.children(&mut cursor) {
            if child.has_error() || child.is_missing() {
                next = Some(child);
                break;
            }
        }
        match next {
            Some(n) => node = n,
            None => return Some(node),
        }
    }
}

pub fn nginx_language() -> tree_sitter::Language {
    tree_sitter_nginx_preflight::LANGUAGE.into()
}

pub fn nginx_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&nginx_language())
        .expect("the project's nginx grammar matches the tree-sitter version");
    parser
}

/// Parses an nginx config. `old` must already have had the edits applied with `Tree::edit`.
pub fn parse_nginx(parser: &mut Parser, text: &str, old: Option<&Tree>) -> Tree {
    parser
        .parse(text, old)
        .expect("parse only fails without a language, with a timeout or a cancellation flag")
}
