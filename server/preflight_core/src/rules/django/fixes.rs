//! Quick-fix edits for settings modules. Every edit keeps the module parseable: values are
//! replaced only in plain `NAME = value` statements, lines are inserted only after statements
//! that begin their line (with the same indentation, so blocks stay intact), and the file's own
//! line ending and quote style are kept.

use std::ops::Bound;

use super::context::Ctx;
use crate::diagnostic::{Edit, Fix};
use crate::python::{Binding, Literal, LiteralKind, Value};
use crate::text::{TextRange, eol, floor_char_boundary, line_end, line_start};

/// The whitespace that starts the line containing `at`.
fn indentation(text: &str, at: usize) -> &str {
    let start = line_start(text, at);
    let line = &text[start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// Whether only whitespace precedes `at` on its line.
fn begins_line(text: &str, at: usize) -> bool {
    let at = floor_char_boundary(text, at);
    text[line_start(text, at)..at]
        .trim_start_matches([' ', '\t'])
        .is_empty()
}

/// A fix from edits.
pub(super) fn fix(title: impl Into<String>, edits: Vec<Edit>, safe: bool) -> Fix {
    Fix {
        title: title.into(),
        edits,
        safe,
    }
}

/// Edits that make `name` evaluate to the Python expression `expr`: replace the value of its
/// assignment here, override an imported value right after the import, or add the setting after
/// the settings whose names start with the first of `near` that has any (else at the end).
pub(super) fn set_setting(
    ctx: &Ctx<'_>,
    name: &str,
    expr: &str,
    near: &[&str],
) -> Option<Vec<Edit>> {
    let line = format!("{name} = {expr}");
    let edit = match ctx.model.get(name) {
        Some(b) if b.is_imported() => insert_after(ctx, b.site.stmt, &line)?,
        // set in several branches: the site is one of them, so override after the whole block
        Some(b)
            if matches!(b.value, Value::OneOf(_))
                && !indentation(ctx.text, b.site.stmt.start).is_empty() =>
        {
            insert_after_block(ctx.text, b.site.stmt.end, &line)
        }
        Some(b) => {
            replace_value(ctx, b, name, expr).or_else(|| insert_after(ctx, b.site.stmt, &line))?
        }
        None => insert_new(ctx, &line, near),
    };
    Some(vec![edit])
}

/// The fix "Set NAME = expr" (see [`set_setting`]).
pub(super) fn set_fix(
    ctx: &Ctx<'_>,
    name: &str,
    expr: &str,
    near: &[&str],
    safe: bool,
) -> Option<Fix> {
    let edits = set_setting(ctx, name, expr, near)?;
    Some(fix(format!("Set {name} = {expr}"), edits, safe))
}

/// Replaces the right-hand side of `NAME = value` (or `NAME: T = value`) with `expr`. Refused
/// for chained assignments and values changed after their assignment.
fn replace_value(ctx: &Ctx<'_>, binding: &Binding, name: &str, expr: &str) -> Option<Edit> {
    let text = ctx.text;
    let site = &binding.site;
    if binding.mutated
        || site.focus.start != site.stmt.start
        || text.get(site.focus.start..site.focus.end)? != name
    {
        return None;
    }
    let after = text.get(site.focus.end..site.stmt.end)?;
    let eq = after.find('=')?;
    let between = after[..eq].trim();
    if !(between.is_empty() || between.starts_with(':')) || after[eq + 1..].starts_with('=') {
        return None;
    }
    let rhs = &after[eq + 1..];
    let rhs_start = site.focus.end + eq + 1 + (rhs.len() - rhs.trim_start().len());
    if rhs_start >= site.stmt.end || starts_with_target(&text[rhs_start..site.stmt.end]) {
        return None;
    }
    Some(Edit::replace(
        TextRange::new(rhs_start, site.stmt.end),
        expr,
    ))
}

/// Whether a right-hand side is itself `target = ...` (a chained assignment).
fn starts_with_target(rhs: &str) -> bool {
    let ident = rhs
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(rhs.len());
    if ident == 0 {
        return false;
    }
    let mut rest = &rhs[ident..];
    if rest.starts_with('[') {
        match rest.find(']') {
            Some(close) => rest = &rest[close + 1..],
            None => return false,
        }
    }
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.starts_with('=') && !rest.starts_with("==")
}

/// Inserts `line` after the statement, at its indentation (so it stays in the same block).
pub(super) fn insert_after(ctx: &Ctx<'_>, stmt: TextRange, line: &str) -> Option<Edit> {
    let text = ctx.text;
    if stmt.end > text.len() || !begins_line(text, stmt.start) {
        return None;
    }
    let indent = indentation(text, stmt.start);
    Some(Edit::insert(
        line_end(text, stmt.end),
        format!("{}{indent}{line}", eol(text)),
    ))
}

/// Deletes a top-level statement with its line ending, when it occupies whole lines (nothing
/// else shares them) and starts at column 0, so no block is left empty.
pub(super) fn remove_statement(ctx: &Ctx<'_>, stmt: TextRange) -> Option<Edit> {
    let text = ctx.text;
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

/// Inserts a top-level `line` after the top-level compound statement (if/try/with...) that
/// contains `at`: before the next unindented line that does not continue it.
fn insert_after_block(text: &str, at: usize, line: &str) -> Edit {
    let eol = eol(text);
    let mut start = line_end(text, at);
    while start < text.len() {
        start = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        let rest = &text[start..];
        let first_line = rest.split('\n').next().unwrap_or_default().trim_end();
        let continues = first_line.is_empty()
            || first_line.starts_with([' ', '\t', '#'])
            || ["else", "elif", "except", "finally"].iter().any(|kw| {
                first_line
                    .strip_prefix(kw)
                    .is_some_and(|r| r.starts_with([':', ' ', '(']))
            });
        if !continues {
            return Edit::insert(start, format!("{line}{eol}"));
        }
    }
    append_line(text, line)
}

/// Inserts a new top-level `line` after the last top-level assignment of a setting whose name
/// starts with one of `near` (the first prefix with any wins), else at the end of the module.
pub(super) fn insert_new(ctx: &Ctx<'_>, line: &str, near: &[&str]) -> Edit {
    let after = near
        .iter()
        .find_map(|prefix| last_top_level_assignment(ctx, prefix));
    match after {
        Some(stmt) => Edit::insert(
            line_end(ctx.text, stmt.end),
            format!("{}{line}", eol(ctx.text)),
        ),
        None => append_line(ctx.text, line),
    }
}

fn last_top_level_assignment(ctx: &Ctx<'_>, prefix: &str) -> Option<TextRange> {
    // the names are sorted: those with the prefix are one run of them
    ctx.model
        .bindings
        .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
        .take_while(|(name, _)| name.starts_with(prefix))
        .filter(|(_, b)| !b.is_imported())
        .map(|(_, b)| b.site.stmt)
        // top level: the statement starts its line at column 0
        .filter(|stmt| stmt.end <= ctx.text.len() && line_start(ctx.text, stmt.start) == stmt.start)
        .max_by_key(|stmt| stmt.end)
}

/// Appends `line` at the end of the text, on a line of its own.
fn append_line(text: &str, line: &str) -> Edit {
    let eol = eol(text);
    let sep = if text.is_empty() || text.ends_with('\n') {
        ""
    } else {
        eol
    };
    Edit::insert(text.len(), format!("{sep}{line}{eol}"))
}

/// `"value"` in the quote style of the literal's first string element.
pub(super) fn quoted(ctx: &Ctx<'_>, literal: Option<&Literal>, value: &str) -> String {
    let single = literal
        .and_then(|l| l.elements.first())
        .and_then(|e| ctx.text.get(e.start..e.end))
        .is_some_and(|t| t.starts_with('\''));
    if single && !value.contains(['\'', '\\']) {
        format!("'{value}'")
    } else {
        crate::python::value::python_str_literal(value)
    }
}

/// Edits that insert `item` (Python source) into a bracketed list or tuple literal before the
/// element at `index` (`index == len` appends), following the literal's layout.
pub(super) fn insert_element(
    ctx: &Ctx<'_>,
    lit: &Literal,
    index: usize,
    item: &str,
) -> Option<Vec<Edit>> {
    let text = ctx.text;
    let tuple = match (lit.kind, text.as_bytes().get(lit.range.start)) {
        (LiteralKind::List, Some(b'[')) => false,
        (LiteralKind::Tuple, Some(b'(')) => true,
        _ => return None,
    };
    let els = &lit.elements;
    if els.is_empty() {
        let body = if tuple {
            format!("{item},")
        } else {
            item.to_string()
        };
        return Some(vec![Edit::insert(lit.range.start + 1, body)]);
    }
    if let Some(el) = els.get(index) {
        let sep = if begins_line(text, el.start) {
            format!(",{}{}", eol(text), indentation(text, el.start))
        } else {
            ", ".to_string()
        };
        return Some(vec![Edit::insert(el.start, format!("{item}{sep}"))]);
    }
    append_element(ctx, lit, item)
}

fn append_element(ctx: &Ctx<'_>, lit: &Literal, item: &str) -> Option<Vec<Edit>> {
    let text = ctx.text;
    let last = *lit.elements.last()?;
    let close = lit.range.end.checked_sub(1)?;
    let between = text.get(last.end..close)?;
    let after_spaces = between.trim_start_matches([' ', '\t']);
    let comma = after_spaces
        .starts_with(',')
        .then(|| last.end + (between.len() - after_spaces.len()));
    // a multi-line literal (closing bracket on its own line): the new element gets its own line
    if between.contains('\n') && begins_line(text, last.start) {
        let (eol, indent) = (eol(text), indentation(text, last.start));
        return Some(match comma {
            Some(_) => vec![Edit::insert(
                line_end(text, last.end),
                format!("{eol}{indent}{item},"),
            )],
            None => vec![
                Edit::insert(last.end, ","),
                Edit::insert(line_end(text, last.end), format!("{eol}{indent}{item}")),
            ],
        });
    }
    Some(vec![match comma {
        Some(at) => Edit::insert(at + 1, format!(" {item},")),
        None => Edit::insert(last.end, format!(", {item}")),
    }])
}

/// A fix that adds `django_id` to SILENCED_SYSTEM_CHECKS (for checks that are off on purpose).
pub(super) fn silence(ctx: &Ctx<'_>, django_id: &str) -> Option<Fix> {
    const NAME: &str = "SILENCED_SYSTEM_CHECKS";
    let binding = ctx.model.get(NAME);
    let literal = binding
        .filter(|b| !b.mutated && !b.is_imported())
        .and_then(|b| b.literal.as_ref());
    let item = quoted(ctx, literal, django_id);
    let edits = match (binding, literal) {
        (Some(b), Some(lit)) => {
            let len = lit.elements.len();
            insert_element(ctx, lit, len, &item)
                .or_else(|| extend_after(ctx, b, &item).map(|e| vec![e]))?
        }
        (Some(b), None) => vec![extend_after(ctx, b, &item)?],
        (None, _) => vec![insert_new(ctx, &format!("{NAME} = [{item}]"), &[])],
    };
    Some(fix(format!("Silence {django_id} in {NAME}"), edits, false))
}

fn extend_after(ctx: &Ctx<'_>, binding: &Binding, item: &str) -> Option<Edit> {
    let line = format!("SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, {item}]");
    insert_after(ctx, binding.site.stmt, &line)
}

/// `import os`, when `os` is not bound before `used_at`: after the imports if they precede the
/// use, else at the top (after leading comments, which may hold a coding declaration).
pub(super) fn import_os(ctx: &Ctx<'_>, used_at: usize) -> Option<Edit> {
    let bound_before = ctx.model.imports_os()
        && ctx
            .model
            .get("os")
            .is_some_and(|b| b.site.stmt.end <= used_at);
    if bound_before {
        return None;
    }
    let text = ctx.text;
    let eol = eol(text);
    if let Some(end) = ctx
        .model
        .imports_end
        .filter(|&end| end <= used_at && end <= text.len())
    {
        return Some(Edit::insert(line_end(text, end), format!("{eol}import os")));
    }
    let mut at = 0;
    while at < text.len() && text[at..].starts_with('#') {
        at = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    }
    let sep = if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
        eol
    } else {
        ""
    };
    Some(Edit::insert(at, format!("{sep}import os{eol}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_helpers_handle_crlf_and_indentation() {
        let text = "a = 1\r\n    b = 2\r\nc";
        assert_eq!(eol(text), "\r\n");
        assert_eq!(line_end(text, 0), 5);
        assert_eq!(line_end(text, 7), 16);
        assert_eq!(indentation(text, 12), "    ");
        assert!(begins_line(text, 11));
        assert!(!begins_line(text, 13));
        assert_eq!(line_end(text, 18), 19);
    }

    #[test]
    fn chained_assignments_are_recognised() {
        assert!(starts_with_target("B = True"));
        assert!(starts_with_target("conf.X = True"));
        assert!(starts_with_target("d['k'] = 1"));
        assert!(!starts_with_target("B == True"));
        assert!(!starts_with_target("env.bool('X', default=True)"));
        assert!(!starts_with_target("\"x = 1\""));
    }

    #[test]
    fn appending_a_line_keeps_the_line_ending() {
        assert_eq!(append_line("a = 1", "B = 2").new_text, "\nB = 2\n");
        assert_eq!(append_line("a = 1\r\n", "B = 2").new_text, "B = 2\r\n");
        assert_eq!(append_line("", "B = 2").new_text, "B = 2\n");
    }
}
