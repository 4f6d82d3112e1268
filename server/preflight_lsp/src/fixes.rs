//! Quick-fixes and fix-all, as text: which fixes are sound, and the text after all safe fixes.
//! The LSP shapes (CodeAction, WorkspaceEdit) are built in `actions`.

use std::collections::HashSet;
use std::path::Path;

use preflight_core::analysis::Options;
use preflight_core::diagnostic::{Edit, Fix, apply_edits};
use preflight_core::python::ModuleCache;
use preflight_core::source::SourceLoader;
use preflight_core::syntax::{nginx_parser, parse_nginx, parse_python, python_parser};
use preflight_core::text::TextRange;

use crate::analysis::core_diagnostics;
use crate::document::Language;

/// Bounds fix-all (each round re-analyses the file).
const MAX_FIX_ROUNDS: usize = 64;

/// Whether a text still parses (for languages Preflight parses) within the parse budget.
pub fn parses(language: &Language, text: &str) -> bool {
    match language {
        Language::Python => parse_python(&mut python_parser(), text, None)
            .is_ok_and(|tree| !tree.root_node().has_error()),
        Language::Nginx => parse_nginx(&mut nginx_parser(), text, None)
            .is_ok_and(|tree| !tree.root_node().has_error()),
        Language::Other(_) => true,
    }
}

/// A fix's edits adapted to the document: boundaries never split a CRLF pair (a position
/// between `\r` and `\n` has no LSP column). The core already writes the file's line endings.
pub fn adapt_edits(text: &str, fix: &Fix) -> Vec<Edit> {
    fix.edits
        .iter()
        .map(|e| {
            let start = outside_crlf(text, e.range.start);
            let end = outside_crlf(text, e.range.end).max(start);
            Edit {
                range: TextRange::new(start, end),
                new_text: e.new_text.clone(),
            }
        })
        .collect()
}

/// The text after a fix, if the fix is sound: it applies and leaves a file that parses still
/// parsing.
pub fn apply_fix(language: &Language, text: &str, fix: &Fix) -> Option<String> {
    let edits = adapt_edits(text, fix);
    if edits.iter().any(|e| e.range.end > text.len()) || overlapping(&edits) {
        return None;
    }
    let fixed = apply_edits(text, &edits);
    (!parses(language, text) || parses(language, &fixed)).then_some(fixed)
}

/// The text after applying every safe fix, one at a time, re-analysing after each (so fixes
/// never overlap and each sees the text the previous one left). `None` when nothing changes.
pub fn fix_all(
    path: &Path,
    language: &Language,
    text: &str,
    loader: &dyn SourceLoader,
    cache: &mut ModuleCache,
    options: &Options,
) -> Option<String> {
    let mut current = text.to_owned();
    // a fix that comes back after being applied (or that breaks the file) is not tried again
    let mut tried: HashSet<(&'static str, String, Vec<String>)> = HashSet::new();
    for _ in 0..MAX_FIX_ROUNDS {
        let (_, diagnostics) =
            core_diagnostics(path, language, &current, None, loader, cache, options);
        let mut next = None;
        for d in &diagnostics {
            let Some(fix) = d.fix.as_ref().filter(|f| f.safe) else {
                continue;
            };
            let key = (
                d.code,
                fix.title.clone(),
                fix.edits.iter().map(|e| e.new_text.clone()).collect(),
            );
            if !tried.insert(key) {
                continue;
            }
            if let Some(fixed) = apply_fix(language, &current, fix) {
                next = Some(fixed);
                break;
            }
        }
        match next {
            Some(fixed) => current = fixed,
            None => break,
        }
    }
    (current != text).then_some(current)
}

/// The smallest single edit turning `old` into `new` (common prefix and suffix kept), with
/// boundaries on characters and outside CRLF pairs.
pub fn minimal_edit(old: &str, new: &str) -> Edit {
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !(old.is_char_boundary(prefix) && new.is_char_boundary(prefix))
        || splits_crlf(old, prefix)
        || splits_crlf(new, prefix)
    {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !(old.is_char_boundary(old.len() - suffix) && new.is_char_boundary(new.len() - suffix))
        || splits_crlf(old, old.len() - suffix)
        || splits_crlf(new, new.len() - suffix)
    {
        suffix -= 1;
    }
    Edit {
        range: TextRange::new(prefix, old.len() - suffix),
        new_text: new[prefix..new.len() - suffix].to_owned(),
    }
}

fn overlapping(edits: &[Edit]) -> bool {
    let mut ranges: Vec<TextRange> = edits.iter().map(|e| e.range).collect();
    ranges.sort();
    ranges.windows(2).any(|w| w[1].start < w[0].end)
}

fn splits_crlf(text: &str, offset: usize) -> bool {
    let b = text.as_bytes();
    offset > 0 && offset < b.len() && b[offset - 1] == b'\r' && b[offset] == b'\n'
}

/// Moves an offset that falls between `\r` and `\n` before the `\r`.
fn outside_crlf(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    if splits_crlf(text, offset) {
        offset - 1
    } else {
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix {
            title: "t".into(),
            edits,
            safe: true,
        }
    }

    #[test]
    fn minimal_edit_reproduces_the_new_text() {
        for (old, new) in [
            ("a\r\nb\r\n", "a\r\nX = 1\r\nb\r\n"),
            ("DEBUG = True\n", "DEBUG = False\n"),
            ("é", "è"),
            ("", "x"),
            ("abc", "abc"),
            ("a\r\nb", "a\r\r\nb"),
        ] {
            let e = minimal_edit(old, new);
            assert_eq!(
                apply_edits(old, std::slice::from_ref(&e)),
                new,
                "{old:?} -> {new:?}"
            );
            assert!(!splits_crlf(old, e.range.start) && !splits_crlf(old, e.range.end));
        }
    }

    #[test]
    fn fix_edits_never_split_a_crlf_pair() {
        let text = "DEBUG = True\r\n";
        // an insertion "at the end of the line" computed as the offset of '\n'
        let edits = adapt_edits(text, &fix(vec![Edit::insert(13, "\r\nX = 1")]));
        assert_eq!(edits[0].range, TextRange::empty(12));
        assert_eq!(apply_edits(text, &edits), "DEBUG = True\r\nX = 1\r\n");
    }

    #[test]
    fn a_fix_that_breaks_the_file_is_refused() {
        let py = Language::Python;
        assert_eq!(
            apply_fix(&py, "X = 1\n", &fix(vec![Edit::insert(6, "Y = (\n")])),
            None
        );
        assert_eq!(
            apply_fix(&py, "X = 1\n", &fix(vec![Edit::insert(6, "Y = 2\n")])).as_deref(),
            Some("X = 1\nY = 2\n")
        );
    }
}
