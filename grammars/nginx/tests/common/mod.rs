//! Helpers shared by the grammar's integration tests.

#![allow(dead_code)]

use tree_sitter::{Node, Parser, Tree};

pub fn parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_nginx_preflight::LANGUAGE.into())
        .expect("the nginx grammar loads");
    parser
}

pub fn parse(source: &str) -> Tree {
    parser()
        .parse(source, None)
        .expect("parsing returns a tree")
}

/// Parses `source`, asserts the tree has no ERROR or MISSING node, and returns
/// its S-expression.
pub fn clean_sexp(source: &str) -> String {
    let tree = parse(source);
    let root = tree.root_node();
    assert!(
        !root.has_error(),
        "unexpected ERROR/MISSING in {source:?}:\n{}",
        root.to_sexp()
    );
    root.to_sexp()
}

/// A directive flattened for assertions: name, arguments (verbatim text) and
/// the kind of its body, if any.
#[derive(Debug, PartialEq, Eq)]
pub struct Flat {
    pub depth: usize,
    pub name: String,
    pub args: Vec<String>,
    pub body: Option<String>,
}

/// Every directive of a clean parse of `source`, in document order.
pub fn directives(source: &str) -> Vec<Flat> {
    let tree = parse(source);
    assert!(
        !tree.root_node().has_error(),
        "unexpected ERROR/MISSING in {source:?}:\n{}",
        tree.root_node().to_sexp()
    );
    let mut out = Vec::new();
    collect(tree.root_node(), source, 0, &mut out);
    out
}

fn collect(node: Node, source: &str, depth: usize, out: &mut Vec<Flat>) {
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        if child.kind() != "directive" {
            continue;
        }
        let text = |n: Node| source[n.byte_range()].to_string();
        let name = text(child.child_by_field_name("name").expect("name field"));
        let mut args_cursor = child.walk();
        let args = child
            .children_by_field_name("argument", &mut args_cursor)
            .map(text)
            .collect();
        let body = child.child_by_field_name("body");
        out.push(Flat {
            depth,
            name,
            args,
            body: body.map(|b| b.kind().to_string()),
        });
        if let Some(body) = body {
            collect(body, source, depth + 1, out);
        }
    }
}

/// Shorthand for building expected [`Flat`] values.
pub fn d(depth: usize, name: &str, args: &[&str], body: Option<&str>) -> Flat {
    Flat {
        depth,
        name: name.to_string(),
        args: args.iter().map(|a| a.to_string()).collect(),
        body: body.map(str::to_string),
    }
}

/// Every node of `tree` for which `is_bad` holds, with its kind and start point.
pub fn find_nodes(tree: &Tree, is_bad: impl Fn(Node) -> bool) -> Vec<(String, usize, usize)> {
    let mut found = Vec::new();
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        if is_bad(node) {
            let start = node.start_position();
            found.push((node.kind().to_string(), start.row, start.column));
        }
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return found;
            }
        }
    }
}
