//! The hard constructs of nginx's syntax, each asserted as an exact tree.
//!
//! The expected trees follow nginx's own tokenizer (`ngx_conf_read_token`).

mod common;

use common::{clean_sexp, d, directives, find_nodes, parse};

#[test]
fn one_line_block() {
    assert_eq!(
        clean_sexp("server { listen 80; }\n"),
        "(source_file (directive name: (word) body: (block (directive name: (word) argument: (word)))))"
    );
}

#[test]
fn no_final_newline() {
    assert_eq!(
        directives("http {\n    server_tokens off;\n}"),
        vec![
            d(0, "http", &[], Some("block")),
            d(1, "server_tokens", &["off"], None)
        ]
    );
    assert_eq!(
        clean_sexp("worker_processes auto;"),
        "(source_file (directive name: (word) argument: (word)))"
    );
    assert_eq!(clean_sexp(""), "(source_file)");
}

#[test]
fn blocks_without_space_before_brace() {
    assert_eq!(
        directives(
            "events{worker_connections 768;}server{listen 80;}location /{}location /a{#c\n}if ($a){\"}\";}"
        ),
        vec![
            d(0, "events", &[], Some("block")),
            d(1, "worker_connections", &["768"], None),
            d(0, "server", &[], Some("block")),
            d(1, "listen", &["80"], None),
            d(0, "location", &["/"], Some("block")),
            d(0, "location", &["/a"], Some("block")),
            d(0, "if", &["($a)"], Some("block")),
            d(1, "\"}\"", &[], None),
        ]
    );
}

#[test]
fn arguments_and_block_together() {
    let source = "upstream app_server {\n  server unix:/tmp/gunicorn.sock fail_timeout=0;\n}\n\
                  limit_except GET {\n  deny all;\n}\n\
                  geo $x {\n  default 0;\n  127.0.0.1 1;\n}\n";
    assert_eq!(
        directives(source),
        vec![
            d(0, "upstream", &["app_server"], Some("block")),
            d(
                1,
                "server",
                &["unix:/tmp/gunicorn.sock", "fail_timeout=0"],
                None
            ),
            d(0, "limit_except", &["GET"], Some("block")),
            d(1, "deny", &["all"], None),
            d(0, "geo", &["$x"], Some("block")),
            d(1, "default", &["0"], None),
            d(1, "127.0.0.1", &["1"], None),
        ]
    );
}

#[test]
fn addresses_are_single_words() {
    assert_eq!(
        directives("listen 127.0.0.1:8080;\nallow 10.0.0.0/8;\nlisten [::]:443 ssl;\n"),
        vec![
            d(0, "listen", &["127.0.0.1:8080"], None),
            d(0, "allow", &["10.0.0.0/8"], None),
            d(0, "listen", &["[::]:443", "ssl"], None),
        ]
    );
}

#[test]
fn if_conditions() {
    // nginx splits the condition on whitespace; `)` after a quoted string starts
    // a new word, exactly as ngx_conf_read_token does.
    assert_eq!(
        directives("if ($request_uri ~* \"^/(foo)$\") {\n  return 404;\n}\n"),
        vec![
            d(
                0,
                "if",
                &["($request_uri", "~*", "\"^/(foo)$\"", ")"],
                Some("block")
            ),
            d(1, "return", &["404"], None),
        ]
    );
    assert_eq!(
        directives("if ($a = \"x)\") { return 403; }"),
        vec![
            d(0, "if", &["($a", "=", "\"x)\"", ")"], Some("block")),
            d(1, "return", &["403"], None),
        ]
    );
    assert_eq!(
        clean_sexp("if ($a = \"x)\") { return 403; }"),
        "(source_file (directive name: (word) argument: (word) argument: (word) argument: (string) \
         argument: (word) body: (block (directive name: (word) argument: (word)))))"
    );
}

#[test]
fn map_with_regex_keys() {
    let source = "map $uri $new {\n  default \"\";\n  ~^/old/(.*)$ /new/$1;\n  ~*\\.PHP$ 1;\n  \"~^/q/(?<n>\\d{2})$\" /q/$n;\n}\n";
    assert_eq!(
        directives(source),
        vec![
            d(0, "map", &["$uri", "$new"], Some("block")),
            d(1, "default", &["\"\""], None),
            d(1, "~^/old/(.*)$", &["/new/$1"], None),
            d(1, "~*\\.PHP$", &["1"], None),
            d(1, "\"~^/q/(?<n>\\d{2})$\"", &["/q/$n"], None),
        ]
    );
}

#[test]
fn quoted_regex_with_braces() {
    assert_eq!(
        directives("location ~ \"^/\\d{1,3}$\" {\n  return 404;\n}\n"),
        vec![
            d(0, "location", &["~", "\"^/\\d{1,3}$\""], Some("block")),
            d(1, "return", &["404"], None),
        ]
    );
    assert_eq!(
        directives("rewrite '^/a{2};b}' /c last;"),
        vec![d(0, "rewrite", &["'^/a{2};b}'", "/c", "last"], None)]
    );
}

#[test]
fn quoted_strings_with_escapes_and_newlines() {
    assert_eq!(
        directives("add_header X \"a \\\" ; { } b\";\nlog_format main 'x\n  \\'y\\'';\n"),
        vec![
            d(0, "add_header", &["X", "\"a \\\" ; { } b\""], None),
            d(0, "log_format", &["main", "'x\n  \\'y\\''"], None),
        ]
    );
}

#[test]
fn lua_block_with_braces_in_strings_and_comments() {
    let source = "location /lua {\n  content_by_lua_block { ngx.say(\"}\") -- } }\n  }\n}\n";
    assert_eq!(
        clean_sexp(source),
        "(source_file (directive name: (word) argument: (word) body: (block \
         (directive name: (word) body: (lua_block (lua_code))))))"
    );
    let tree = parse(source);
    let start = source.find("ngx.say").unwrap();
    let lua = tree
        .root_node()
        .descendant_for_byte_range(start, start)
        .expect("a node inside the Lua body");
    assert_eq!(lua.kind(), "lua_code");
    assert_eq!(&source[lua.byte_range()], "ngx.say(\"}\") -- } }");
}

#[test]
fn lua_block_long_brackets_nesting_and_arguments() {
    let source = "set_by_lua_block $res {\n  local t = { a = '}' } --[[ } ]] local s = [==[ }} ]==]\n  return t.a\n}\n\
                  init_by_lua_block{ x = 1 }\naccess_by_lua_block {}\nserver { listen 80; }\n";
    assert_eq!(
        directives(source),
        vec![
            d(0, "set_by_lua_block", &["$res"], Some("lua_block")),
            d(0, "init_by_lua_block", &[], Some("lua_block")),
            d(0, "access_by_lua_block", &[], Some("lua_block")),
            d(0, "server", &[], Some("block")),
            d(1, "listen", &["80"], None),
        ]
    );
}

#[test]
fn lua_block_name_as_argument_is_a_word() {
    assert_eq!(
        directives("set $x content_by_lua_block;"),
        vec![d(0, "set", &["$x", "content_by_lua_block"], None)]
    );
}

#[test]
fn types_block() {
    assert_eq!(
        directives("types { text/html html; application/x-7z-compressed 7z; }"),
        vec![
            d(0, "types", &[], Some("block")),
            d(1, "text/html", &["html"], None),
            d(1, "application/x-7z-compressed", &["7z"], None),
        ]
    );
}

#[test]
fn variables_with_braces_stay_inside_words() {
    assert_eq!(
        directives(
            "set $a ${var}_suffix;\nreturn 301 https://${host}${request_uri};\nlocation /x${y} { }\n"
        ),
        vec![
            d(0, "set", &["$a", "${var}_suffix"], None),
            d(0, "return", &["301", "https://${host}${request_uri}"], None),
            d(0, "location", &["/x${y}"], Some("block")),
        ]
    );
}

#[test]
fn special_characters_inside_words() {
    // `#`, quotes and `}` are ordinary characters inside an unquoted word; a
    // backslash escapes the next character (even a space).
    assert_eq!(
        directives("set $a b#c;\nset $b x\"y'z;\nset $c a}b;\nset $d a\\ b\\;c;\n"),
        vec![
            d(0, "set", &["$a", "b#c"], None),
            d(0, "set", &["$b", "x\"y'z"], None),
            d(0, "set", &["$c", "a}b"], None),
            d(0, "set", &["$d", "a\\ b\\;c"], None),
        ]
    );
}

#[test]
fn comments_mid_line_and_after_semicolon() {
    let source = "# head\nserver { # open\n  listen 80;# tight\n  listen 81 # mid\n    ;\n} # tail";
    assert_eq!(
        clean_sexp(source),
        "(source_file (comment) (directive name: (word) body: (block (comment) \
         (directive name: (word) argument: (word)) (comment) \
         (directive name: (word) argument: (word) (comment)))) (comment))"
    );
}

#[test]
fn crlf_line_endings() {
    let source =
        "http {\r\n  server {\r\n    listen 80;\r\n    # c\r\n    root /srv;\r\n  }\r\n}\r\n";
    assert_eq!(
        directives(source),
        vec![
            d(0, "http", &[], Some("block")),
            d(1, "server", &[], Some("block")),
            d(2, "listen", &["80"], None),
            d(2, "root", &["/srv"], None),
        ]
    );
}

#[test]
fn unquoted_regex_with_braces_is_an_error_at_the_word() {
    // nginx reads `{` as a block start here and rejects the file.
    let source = "server {\n  location ~ ^/\\d{1,3}$ {\n    return 404;\n  }\n  listen 80;\n}\n";
    let tree = parse(source);
    assert!(tree.root_node().has_error());
    let errors = find_nodes(&tree, |n| n.is_error() || n.is_missing());
    assert_eq!(errors, vec![("ERROR".to_string(), 1, 13)]);
    let braces = find_nodes(&tree, |n| n.kind() == "unquoted_braces");
    assert_eq!(braces, vec![("unquoted_braces".to_string(), 1, 13)]);
    let word = tree
        .root_node()
        .descendant_for_point_range(
            tree_sitter::Point::new(1, 13),
            tree_sitter::Point::new(1, 13),
        )
        .unwrap();
    assert_eq!(&source[word.byte_range()], "^/\\d{1,3}$");
    // The rest of the file still has its structure.
    let sexp = tree.root_node().to_sexp();
    assert!(
        sexp.contains("body: (block (directive name: (word) argument: (word))))"),
        "{sexp}"
    );
}

#[test]
fn unquoted_braces_in_map_key_and_rewrite() {
    let source = "map $uri $x {\n  ~^/a{2}$ 1;\n}\nrewrite ^/(\\d{2})/(\\w{3})$ /x last;\n";
    let tree = parse(source);
    let braces = find_nodes(&tree, |n| n.kind() == "unquoted_braces");
    assert_eq!(
        braces,
        vec![
            ("unquoted_braces".to_string(), 1, 2),
            ("unquoted_braces".to_string(), 3, 8),
        ]
    );
    assert!(tree.root_node().has_error());
}

#[test]
fn structural_errors_are_reported() {
    for source in [
        "server { listen 80; ",
        "listen 80",
        "}",
        "server { listen 80 }",
        ";",
    ] {
        assert!(
            parse(source).root_node().has_error(),
            "{source:?} should not parse"
        );
    }
}

#[test]
fn string_glued_to_next_token_is_an_error() {
    // nginx: `unexpected "b"`: after a closing quote it demands whitespace, `;`,
    // `{` or `)`.
    for (source, column) in [
        ("return 200 \"a\"b;\n", 11),
        ("add_header X 'y'\"z\";\n", 13),
        ("location /x { return 200 \"a\"}\n", 25),
    ] {
        let tree = parse(source);
        let glued = find_nodes(&tree, |n| n.kind() == "unseparated_string");
        assert_eq!(
            glued,
            vec![("unseparated_string".to_string(), 0, column)],
            "{source:?}"
        );
        let point = tree_sitter::Point::new(0, column);
        let node = tree
            .root_node()
            .descendant_for_point_range(point, point)
            .unwrap();
        assert_eq!(node.kind(), "unseparated_string");
        assert!(
            node.parent().is_some_and(|p| p.is_error()),
            "{source:?}: {}",
            tree.root_node().to_sexp()
        );
    }
    // The block around the glued string keeps its structure.
    let tree = parse("location /x { return 200 \"a\"}\nlisten 80;\n");
    assert_eq!(
        tree.root_node().to_sexp(),
        "(source_file (directive name: (word) argument: (word) body: (block \
         (ERROR (word) argument: (word) (unseparated_string)))) (directive name: (word) argument: (word)))"
    );
    // What nginx does accept right after a closing quote.
    assert_eq!(
        directives("if ($a = \"x\"){ return 403 \"y\";}\nset $b 'c'\t;"),
        vec![
            d(0, "if", &["($a", "=", "\"x\"", ")"], Some("block")),
            d(1, "return", &["403", "\"y\""], None),
            d(0, "set", &["$b", "'c'"], None),
        ]
    );
}
