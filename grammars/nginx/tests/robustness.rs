//! Hostile input: deep nesting, huge files, binary data, incremental edits.

mod common;

use tree_sitter::{InputEdit, Point};

/// Depth of the deepest `block` along the first-child chain, walked with a
/// cursor (never recursively).
fn block_depth(tree: &tree_sitter::Tree) -> usize {
    let mut cursor = tree.walk();
    let mut depth = 0;
    while cursor.goto_first_child() {
        // Move to the last named child (the nested directive or block).
        while cursor.goto_next_sibling() {}
        while !cursor.node().is_named() && cursor.goto_previous_sibling() {}
        if cursor.node().kind() == "block" {
            depth += 1;
        }
    }
    depth
}

#[test]
fn ten_thousand_nested_blocks() {
    const DEPTH: usize = 10_000;
    let source = format!(
        "{}return 200;{}",
        "location / {\n".repeat(DEPTH),
        "}\n".repeat(DEPTH)
    );
    let tree = common::parse(&source);
    assert!(!tree.root_node().has_error());
    assert_eq!(block_depth(&tree), DEPTH);

    // Unbalanced: the same depth without the closing braces.
    let unclosed = "server {".repeat(DEPTH);
    let tree = common::parse(&unclosed);
    assert!(tree.root_node().has_error());
}

#[test]
fn ten_megabyte_config() {
    let server = "server {\n    listen 127.0.0.1:8080;\n    server_name example.com;\n    \
                  location ~ \"^/\\d{1,3}$\" { proxy_pass http://app_server; }\n    \
                  content_by_lua_block { ngx.say(\"}\") }\n}\n";
    let copies = 10 * 1024 * 1024 / server.len() + 1;
    let source = server.repeat(copies);
    assert!(source.len() >= 10 * 1024 * 1024);
    let tree = common::parse(&source);
    let root = tree.root_node();
    assert!(!root.has_error());
    assert_eq!(root.named_child_count(), copies);
    assert_eq!(root.end_byte(), source.len());
}

#[test]
fn huge_tokens_and_unterminated_constructs() {
    let word = "a".repeat(5 * 1024 * 1024);
    let tree = common::parse(&format!("set $x {word};"));
    assert!(!tree.root_node().has_error());

    for source in [
        format!("content_by_lua_block {{ {}", "x = '{' ".repeat(100_000)),
        format!("set $x \"{}", "a".repeat(1_000_000)),
        format!("content_by_lua_block {{ --[[ {}", "}".repeat(100_000)),
        "location ~ ^/a{1,2".repeat(10_000),
    ] {
        let tree = common::parse(&source);
        assert!(tree.root_node().has_error());
        assert_eq!(tree.root_node().end_byte(), source.len());
    }
}

#[test]
fn binary_and_invalid_utf8_input() {
    let mut bytes: Vec<u8> = (0..=255u8).cycle().take(1 << 20).collect();
    bytes.extend_from_slice(b"\xff\xfe{;}\"'#\\");
    let mut parser = common::parser();
    let tree = parser.parse(&bytes, None).expect("a tree");
    assert_eq!(tree.root_node().end_byte(), bytes.len());

    let latin1 = b"charset_map koi8-r utf-8 { C0 \xd1\x8e; }\nset $x caf\xe9;\n";
    let tree = parser.parse(latin1, None).expect("a tree");
    assert!(
        !tree.root_node().has_error(),
        "{}",
        tree.root_node().to_sexp()
    );
}

#[test]
fn incremental_edit_matches_fresh_parse() {
    let before = "server {\n  content_by_lua_block {\n    ngx.say(1)\n  }\n  listen 80;\n}\n";
    let insert_at = before.find("ngx").unwrap();
    let inserted = "local t = { '}' } ";
    let after = format!("{}{inserted}{}", &before[..insert_at], &before[insert_at..]);

    let mut parser = common::parser();
    let mut tree = parser.parse(before, None).unwrap();
    let position = Point::new(2, 4);
    tree.edit(&InputEdit {
        start_byte: insert_at,
        old_end_byte: insert_at,
        new_end_byte: insert_at + inserted.len(),
        start_position: position,
        old_end_position: position,
        new_end_position: Point::new(2, 4 + inserted.len()),
    });
    let reparsed = parser.parse(&after, Some(&tree)).unwrap();
    let fresh = parser.parse(&after, None).unwrap();
    assert!(!fresh.root_node().has_error());
    assert_eq!(reparsed.root_node().to_sexp(), fresh.root_node().to_sexp());
    assert_eq!(
        reparsed.root_node().to_sexp(),
        "(source_file (directive name: (word) body: (block \
         (directive name: (word) body: (lua_block (lua_code))) \
         (directive name: (word) argument: (word)))))"
    );
}
