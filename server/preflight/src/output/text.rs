//! The default, ruff-style output: `path:line:col: CODE message`, the source line with the
//! range underlined, then a summary line.

use std::fmt::Write as _;

use preflight_core::Diagnostic;

use super::{Position, Sources, Summary};

pub fn render(diagnostics: &[Diagnostic], summary: Summary, sources: &mut Sources) -> String {
    let mut out = String::new();
    for d in diagnostics {
        render_one(&mut out, d, sources);
    }
    if summary.fixed > 0 {
        let _ = writeln!(out, "Fixed {}.", plural(summary.fixed, "problem"));
    }
    if summary.problems == 0 {
        out.push_str("All checks passed!\n");
    } else {
        let _ = writeln!(
            out,
            "Found {} ({} fixable with --fix)",
            plural(summary.problems, "problem"),
            summary.fixable
        );
    }
    out
}

fn render_one(out: &mut String, d: &Diagnostic, sources: &mut Sources) {
    let (start, end) = sources.span(&d.path, d.range);
    let _ = writeln!(
        out,
        "{}:{}:{}: {} {}",
        sources.display(&d.path),
        start.line,
        start.column,
        d.code,
        d.message
    );
    if let Some(line) = sources.line_text(&d.path, start.line) {
        // the line is quoted in CI logs: a secret on it is masked (columns kept for the carets)
        let line = preflight_core::redact::source_line(&line);
        let gutter = start.line.to_string().len();
        let pad = " ".repeat(gutter);
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{} | {}", start.line, line);
        let _ = writeln!(out, "{pad} | {}", underline(&line, start, end));
        if let Some(fix) = &d.fix {
            let marker = if fix.safe {
                ""
            } else {
                " (unsafe: not applied by --fix)"
            };
            let _ = writeln!(out, "{pad} = help: {}{marker}", fix.title);
        }
        for r in &d.related {
            let (at, _) = sources.span(&r.path, r.range);
            let _ = writeln!(
                out,
                "{pad} = note: {}:{}:{}: {}",
                sources.display(&r.path),
                at.line,
                at.column,
                r.message
            );
        }
    }
    out.push('\n');
}

/// Carets under the part of `line` the range covers (to the end of the line when the range
/// spans lines), at least one. Tabs are kept so the carets line up with the text above.
fn underline(line: &str, start: Position, end: Position) -> String {
    let chars: Vec<char> = line.chars().collect();
    let from = (start.column as usize - 1).min(chars.len());
    let to = if end.line == start.line {
        (end.column as usize - 1).min(chars.len())
    } else {
        chars.len()
    };
    let lead: String = chars[..from]
        .iter()
        .map(|&c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    format!("{lead}{}", "^".repeat(to.saturating_sub(from).max(1)))
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, column: u32) -> Position {
        Position { line, column }
    }

    #[test]
    fn underline_covers_the_range_in_characters() {
        assert_eq!(
            underline("x = \"😀\" DEBUG", pos(1, 9), pos(1, 14)),
            "        ^^^^^"
        );
    }

    #[test]
    fn underline_of_an_empty_range_is_one_caret() {
        assert_eq!(
            underline("DEBUG = True", pos(1, 13), pos(1, 13)),
            "            ^"
        );
    }

    #[test]
    fn underline_of_a_multiline_range_runs_to_the_end_of_the_line() {
        assert_eq!(underline("\tA = [", pos(1, 2), pos(3, 1)), "\t^^^^^");
    }

    #[test]
    fn plural_counts() {
        assert_eq!(plural(1, "problem"), "1 problem");
        assert_eq!(plural(2, "problem"), "2 problems");
    }
}
