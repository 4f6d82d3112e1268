//! NGX000: the config does not parse (NGX032 for the common unquoted-regex case), so nginx would refuse to start (or reload) with it.
//! One diagnostic per statement: tree-sitter's recovery often leaves several ERROR nodes in one
//! broken statement, and only the first says where the user went wrong.

use std::path::Path;

use tree_sitter::Node;

use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::text::TextRange;

const CODE: &str = "NGX000";
/// The one syntax error with a rule of its own (and a safe fix): an unquoted regex with braces.
const QUOTE_CODE: &str = "NGX032";

pub fn check(path: &Path, text: &str, root: Node<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !root.has_error() {
        return out;
    }
    // the end of the statement region of the last report: later errors in it are echoes, and
    // so are errors at the same spot (unclosed nested blocks leave one MISSING `}` each at EOF)
    let mut last: Option<(usize, usize)> = None;
    for (node, region_end) in error_nodes(root) {
        let start = node.start_byte();
        if last.is_some_and(|(last_start, until)| start < until || start == last_start) {
            continue;
        }
        last = Some((start, region_end.max(node.end_byte())));
        out.push(diagnostic(path, text, node));
    }
    out
}

/// ERROR and MISSING nodes in document order, outermost only (an ERROR's insides are its own),
/// each with the end of its statement: the ancestor (or itself) that sits directly in a block
/// or at the top level. Iterative and tracked on the way down: configs may nest deeply, and
/// `Node::parent` costs a walk from the root.
fn error_nodes(root: Node<'_>) -> Vec<(Node<'_>, usize)> {
    let mut found = Vec::new();
    let mut cursor = root.walk();
    let mut stack = vec![(root, root.end_byte())];
    while let Some((node, region_end)) = stack.pop() {
        if node.is_error() || node.is_missing() {
            found.push((node, region_end));
        } else if node.has_error() {
            let opens_statements = matches!(node.kind(), "block" | "source_file");
            let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
            stack.extend(children.into_iter().rev().map(|child| {
                let end = if opens_statements {
                    child.end_byte()
                } else {
                    region_end
                };
                (child, end)
            }));
        }
    }
    found
}

fn diagnostic(path: &Path, text: &str, node: Node<'_>) -> Diagnostic {
    let braces = node
        .children(&mut node.walk())
        .find(|c| c.kind() == "unquoted_braces");
    let (code, range, message, fix) = match braces {
        Some(word) => {
            let range = TextRange::new(word.start_byte(), word.end_byte());
            let regex = &text[range.start..range.end];
            let quoted = quote_regex(regex);
            let message = format!(
                "nginx rejects an unquoted argument containing `{{` or `}}`: it reads `{{` as the \
                 start of a block. Quote it: {quoted}"
            );
            let fix = Fix {
                title: format!("Quote {regex}"),
                edits: vec![Edit::replace(range, quoted)],
                safe: true,
            };
            (QUOTE_CODE, range, message, Some(fix))
        }
        None if node.is_missing() => {
            let range = TextRange::empty(node.start_byte());
            let message = format!(
                "Syntax error: `{}` is missing here; nginx -t would fail. Every directive ends \
                 with `;` or a `{{ ... }}` block",
                node.kind()
            );
            (CODE, range, message, None)
        }
        None => {
            let range = TextRange::new(node.start_byte(), node.end_byte().max(node.start_byte()));
            let message = format!(
                "Syntax error near {}; nginx -t would fail. Look for a missing `;`, an \
                 unbalanced `{{`/`}}` or an unclosed quote",
                snippet(&text[range.start..range.end])
            );
            (CODE, range, message, None)
        }
    };
    Diagnostic {
        path: path.to_path_buf(),
        range,
        severity: Severity::Error,
        code,
        message,
        references: Default::default(),
        related: Vec::new(),
        fix,
        alternatives: Vec::new(),
    }
}

/// The first line of the offending text, shortened, in backticks.
fn snippet(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let short: String = line.chars().take(40).collect();
    if short.is_empty() {
        "the end of the file".to_string()
    } else if short.len() < line.len() {
        format!("`{short}...`")
    } else {
        format!("`{short}`")
    }
}

/// An unquoted nginx word as a double-quoted string meaning the same. nginx unescapes `\"`,
/// `\'`, `\\` the same way in and out of quotes, so escapes are kept as they are; only a bare
/// `"` (plain inside an unquoted word) must be escaped.
pub fn quote_regex(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    out.push('"');
    let mut chars = word.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push('\\');
                // a trailing lone backslash would escape the closing quote
                out.push(chars.next().unwrap_or('\\'));
            }
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests;
