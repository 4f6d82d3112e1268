//! Quick-fix edits for gunicorn config files. Every edit keeps the module parseable: a value is
//! replaced only in this file's own `NAME = value` statement (never through an import, never
//! after a mutation), statements are removed only when they occupy whole top-level lines, and
//! lines are inserted after top-level statements with the file's own line ending.

use crate::diagnostic::{Edit, Fix};
use crate::python::Binding;
use crate::text::{TextRange, eol, line_end, line_start};

pub(super) fn fix(title: impl Into<String>, edits: Vec<Edit>, safe: bool) -> Fix {
    Fix {
        title: title.into(),
        edits,
        safe,
    }
}

/// The assigned expression of a plain top-level `NAME = value` of this file.
pub(super) fn own_expr(text: &str, binding: &Binding) -> Option<TextRange> {
    if binding.is_imported() || binding.mutated {
        return None;
    }
    let expr = binding.expr?;
    (expr.end <= text.len()
        && binding.site.stmt.start == line_start(text, binding.site.stmt.start)
        && text.is_char_boundary(expr.start)
        && text.is_char_boundary(expr.end))
    .then_some(expr)
}

/// Replaces the value of `binding`'s assignment with the Python expression `expr`.
pub(super) fn replace_value(text: &str, binding: &Binding, expr: &str) -> Option<Edit> {
    own_expr(text, binding).map(|range| Edit::replace(range, expr))
}

/// Deletes a top-level statement with its line ending, when it occupies whole lines (nothing
/// else shares them) and starts at column 0, so no block is left empty.
pub(super) fn remove_statement(text: &str, binding: &Binding) -> Option<Edit> {
    if binding.is_imported() {
        return None;
    }
    let stmt = binding.site.stmt;
    if stmt.end > text.len() || line_start(text, stmt.start) != stmt.start {
        return None;
    }
    let end = line_end(text, stmt.end);
    let rest = text.get(stmt.end..end)?.trim_start_matches([' ', '\t']);
    if !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    let next = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    Some(Edit::replace(TextRange::new(stmt.start, next), ""))
}

/// Inserts the top-level `line` after `binding`'s statement (a top-level one of this file).
pub(super) fn insert_after(text: &str, binding: &Binding, line: &str) -> Option<Edit> {
    if binding.is_imported() {
        return None;
    }
    let stmt = binding.site.stmt;
    if stmt.end > text.len() || line_start(text, stmt.start) != stmt.start {
        return None;
    }
    Some(Edit::insert(
        line_end(text, stmt.end),
        format!("{}{line}", eol(text)),
    ))
}

/// Appends `line` at the end of the text, on a line of its own.
pub(super) fn append_line(text: &str, line: &str) -> Edit {
    let eol = eol(text);
    let sep = if text.is_empty() || text.ends_with('\n') {
        ""
    } else {
        eol
    };
    Edit::insert(text.len(), format!("{sep}{line}{eol}"))
}

/// `a / b` -> `a // b` when the expression holds exactly one `/` and no string, comment or
/// other slash that could make the one found something else than the division operator.
pub(super) fn floor_division(text: &str, expr: TextRange) -> Option<Edit> {
    let src = text.get(expr.start..expr.end)?;
    if src.contains(['"', '\'', '#']) || src.matches('/').count() != 1 {
        return None;
    }
    let at = expr.start + src.find('/')?;
    Some(Edit::replace(TextRange::new(at, at + 1), "//"))
}

/// Wraps the expression in `int(...)` (parenthesised as it is: a call binds tighter than any
/// operator inside it).
pub(super) fn wrap(expr: TextRange, function: &str) -> Vec<Edit> {
    vec![
        Edit::insert(expr.start, format!("{function}(")),
        Edit::insert(expr.end, ")"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_division_needs_exactly_one_plain_slash() {
        let text = "workers = cpu_count() / 2\n";
        let expr = TextRange::new(10, text.len() - 1);
        let edit = floor_division(text, expr).unwrap();
        assert_eq!(
            crate::diagnostic::apply_edits(text, &[edit]),
            "workers = cpu_count() // 2\n"
        );
        let text = "x = a / b / c\n";
        assert!(floor_division(text, TextRange::new(4, 13)).is_none());
        let text = "x = '/' + a\n";
        assert!(floor_division(text, TextRange::new(4, 11)).is_none());
    }

    #[test]
    fn appending_keeps_the_line_ending() {
        let edit = append_line("a = 1\r\nb = 2", "c = 3");
        assert_eq!(
            crate::diagnostic::apply_edits("a = 1\r\nb = 2", &[edit]),
            "a = 1\r\nb = 2\r\nc = 3\r\n"
        );
    }
}
