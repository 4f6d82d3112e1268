//! nginx configs: which files are nginx, and one file in, diagnostics out. So far the only rule
//! is NGX000 (the file does not parse); the nginx rules proper build on the same tree.

mod detect;
mod syntax_errors;

use std::path::Path;

use tree_sitter::{Node, Tree};

use crate::analysis::{Options, apply_config};
use crate::diagnostic::Diagnostic;
use crate::suppression;
use crate::text::{LineIndex, TextRange};

pub use detect::{is_nginx_file, is_nginx_path, looks_like_nginx};
pub use syntax_errors::quote_regex;

/// Analyses an nginx config whose tree is already parsed.
pub fn analyze_nginx(path: &Path, text: &str, tree: &Tree, options: &Options) -> Vec<Diagnostic> {
    let mut diagnostics = syntax_errors::check(path, text, tree.root_node());
    if let Some(project) = &options.project {
        apply_config(&mut diagnostics, &project.config, path);
    }
    apply_suppressions(text, tree.root_node(), &mut diagnostics);
    diagnostics
}

/// Drops what `# preflight: ignore[...]` comments suppress (nginx comments are `#` too).
fn apply_suppressions(text: &str, root: Node<'_>, diagnostics: &mut Vec<Diagnostic>) {
    if diagnostics.is_empty() || !text.contains("preflight:") {
        return;
    }
    let comments = comments(text, root);
    let index = LineIndex::new(text);
    let suppressions = suppression::collect(text, &index, &comments);
    // unused suppressions are not reported yet: NGX rules are still to come, and a hint on
    // every `ignore[NGX...]` written ahead of them would be noise
    suppression::apply(diagnostics, &suppressions, &index);
}

/// Every comment's range and body (without the `#`), in document order.
fn comments(text: &str, root: Node<'_>) -> Vec<(TextRange, String)> {
    let mut out = Vec::new();
    let mut cursor = root.walk();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "comment" {
            let range = TextRange::new(node.start_byte(), node.end_byte());
            let body = text[range.start..range.end].trim_start_matches('#');
            out.push((range, body.to_string()));
        } else if node.child_count() > 0 {
            let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
            stack.extend(children.into_iter().rev());
        }
    }
    out
}
