//! The reason this grammar is vendored: after a one-character edit, an incremental re-parse
//! reuses the top-level statements the edit does not touch (upstream re-parses every one after
//! the first). Counted from tree-sitter's parse log.

use tree_sitter::{InputEdit, Language, LogType, Parser, Point};

/// 300 statements: one-line assignments, dicts over several lines, calls, an `if`.
fn settings_module() -> String {
    let mut text = String::from("import os\nDEBUG = False\n");
    for i in 0..100 {
        text.push_str(&format!("SETTING_{i} = {i}\n"));
        text.push_str(&format!(
            "APP_{i} = {{\n    'name': 'app-{i}',\n    'hosts': ['a{i}.example.com'],\n}}\n"
        ));
        text.push_str(&format!("os.environ.setdefault('KEY_{i}', 'x')\n"));
    }
    text.push_str("if DEBUG:\n    ALLOWED_HOSTS = ['*']\n");
    text
}

/// Replaces the digit of `SETTING_{n} = ` after the `=` with another one, re-parses, and
/// returns (statements reused, statements not reusable) from the log.
fn reparse_after_edit(language: Language, n: usize) -> (usize, usize) {
    let text = settings_module();
    let mut parser = Parser::new();
    parser.set_language(&language).expect("language");
    let mut tree = parser.parse(&text, None).expect("parse");

    let needle = format!("SETTING_{n} = ");
    let at = text.find(&needle).expect("statement") + needle.len();
    let mut edited = text.clone();
    edited.replace_range(at..at + 1, "7");
    let row = text[..at].matches('\n').count();
    let column = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    let point = Point::new(row, column);
    tree.edit(&InputEdit {
        start_byte: at,
        old_end_byte: at + 1,
        new_end_byte: at + 1,
        start_position: point,
        old_end_position: Point::new(row, column + 1),
        new_end_position: Point::new(row, column + 1),
    });

    let log = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let sink = log.clone();
    parser.set_logger(Some(Box::new(move |kind, message| {
        if kind == LogType::Parse {
            sink.borrow_mut().push(message.to_string());
        }
    })));
    let reparsed = parser.parse(&edited, Some(&tree)).expect("re-parse");
    parser.set_logger(None);
    assert_eq!(
        reparsed.root_node().to_sexp(),
        Parser::parse(&mut parser, &edited, None)
            .unwrap()
            .root_node()
            .to_sexp()
    );
    let log = log.borrow();
    let statement =
        |m: &&String| m.contains(":_simple_statements") || m.contains(":expression_statement");
    let reused = log
        .iter()
        .filter(|m| m.starts_with("reuse_node"))
        .filter(statement)
        .count();
    let not_reused = log
        .iter()
        .filter(|m| m.starts_with("cant_reuse_node"))
        .filter(statement)
        .count();
    (reused, not_reused)
}

#[test]
fn a_reparse_reuses_the_statements_an_edit_does_not_touch() {
    for n in [0, 50, 99] {
        let (reused, not_reused) =
            reparse_after_edit(tree_sitter_python_preflight::LANGUAGE.into(), n);
        let (up_reused, up_not_reused) = reparse_after_edit(tree_sitter_python::LANGUAGE.into(), n);
        println!(
            "edit in statement SETTING_{n}: vendored reused {reused}, not {not_reused}; \
             upstream reused {up_reused}, not {up_not_reused}"
        );
        assert!(
            reused >= 290,
            "vendored reused only {reused} statements ({not_reused} not)"
        );
        assert!(
            not_reused <= 4,
            "vendored could not reuse {not_reused} statements"
        );
    }
}
