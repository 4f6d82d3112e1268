//! Hover on a setting: the core's text (its value in production, where it comes from, what the
//! checklist says), for the name under the cursor.

use std::path::Path;

use preflight_core::analysis::Options;
use preflight_core::hover::{gunicorn_hover, setting_hover};
use preflight_core::python::{ModuleCache, analyze_module, analyze_path};
use preflight_core::source::SourceLoader;
use preflight_core::text::TextRange;
use tree_sitter::Tree;

/// The identifier at (or just before) `offset`: its range and name.
pub fn identifier_at(tree: &Tree, text: &str, offset: usize) -> Option<(TextRange, String)> {
    let root = tree.root_node();
    // a cursor just after a name (`DEBUG|`) still means that name
    [offset, offset.saturating_sub(1)]
        .into_iter()
        .find_map(|at| {
            let node = root.descendant_for_byte_range(at, at)?;
            (node.kind() == "identifier").then(|| {
                let range = TextRange::new(node.start_byte(), node.end_byte());
                (range, text[node.byte_range()].to_owned())
            })
        })
}

/// Markdown for hovering `name` in the module at `path`, or `None` when Preflight knows nothing
/// about it.
pub fn markdown(
    path: &Path,
    text: &str,
    tree: &Tree,
    name: &str,
    loader: &dyn SourceLoader,
    cache: &mut ModuleCache,
    options: &Options,
) -> Option<String> {
    let here = analyze_module(path, text, tree, loader, cache);
    let text_of = |p: &Path| loader.read(p).map(|t| t.to_string());
    if preflight_core::analysis::is_gunicorn_config(path, &here, options) {
        return gunicorn_hover(name, &here, &text_of);
    }
    let production = options
        .project
        .as_ref()
        .and_then(|p| p.production.iter().find(|p| p.as_path() != path))
        .and_then(|p| analyze_path(p, loader, cache));
    setting_hover(name, &here, production.as_deref(), &text_of)
}

#[cfg(test)]
mod tests {
    use super::*;
    use preflight_core::syntax::python_tree;

    #[test]
    fn finds_the_name_under_or_just_before_the_cursor() {
        let text = "DEBUG = True\n";
        let tree = python_tree(text);
        assert_eq!(identifier_at(&tree, text, 2).unwrap().1, "DEBUG");
        assert_eq!(identifier_at(&tree, text, 5).unwrap().1, "DEBUG");
        assert!(identifier_at(&tree, text, 9).is_none());
    }
}
