//! `# preflight: ignore[CODE,...]` comments: a diagnostic is dropped when such a comment naming
//! its code stands on the diagnostic's first line, or alone on the line above it;
//! `# preflight: ignore-file[CODE,...]` drops the codes in the whole file. A suppression that
//! drops nothing is reported as a hint, so stale ones do not pile up.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::text::{LineIndex, TextRange};

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub range: TextRange,
    /// The line the comment is on (0-based).
    pub line: usize,
    /// Whether nothing but the comment is on its line (then it covers the next line too).
    pub own_line: bool,
    /// `ignore-file`: the whole file.
    pub whole_file: bool,
    pub codes: Vec<String>,
}

const MARKER: &str = "preflight:";

/// Parses the body of a comment (without `#`): `preflight: ignore[DJ004, DJ010]`.
pub fn parse_codes(comment: &str) -> Option<Vec<String>> {
    parse(comment)
        .filter(|(file, _, _)| !file)
        .map(|(_, codes, _)| codes)
}

/// `(whole_file, codes, length)` of `preflight: ignore[...]` or `preflight: ignore-file[...]` at
/// the start of `comment` (after its `#`); `length` ends after the `]`.
fn parse(comment: &str) -> Option<(bool, Vec<String>, usize)> {
    let rest = comment.trim_start().strip_prefix(MARKER)?.trim_start();
    let (whole_file, rest) = match rest.strip_prefix("ignore-file") {
        Some(r) => (true, r),
        None => (false, rest.strip_prefix("ignore")?),
    };
    let rest = rest.trim_start();
    let inner = rest.strip_prefix('[')?;
    let close = inner.find(']')?;
    let length = comment.len() - inner.len() + close + 1;
    let codes: Vec<String> = inner[..close]
        .split(',')
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    (!codes.is_empty()).then_some((whole_file, codes, length))
}

/// The suppression in a comment's text (from its `#`), wherever it starts: after another
/// comment too (`# temporary  # preflight: ignore[DJ018]`), as ruff finds `# noqa`. Returns
/// its range within the text.
fn find(comment: &str) -> Option<(bool, Vec<String>, std::ops::Range<usize>)> {
    comment.match_indices('#').find_map(|(at, _)| {
        let (whole_file, codes, length) = parse(&comment[at + 1..])?;
        Some((whole_file, codes, at..at + 1 + length))
    })
}

/// The suppression comments among a file's comments (`range` covers the comment from its `#`).
pub fn collect(
    text: &str,
    index: &LineIndex,
    comments: &[(TextRange, String)],
) -> Vec<Suppression> {
    comments
        .iter()
        .filter_map(|(range, _)| {
            let (whole_file, codes, within) = find(text.get(range.start..range.end)?)?;
            let line = index.line_of(range.start);
            let line_start = index.line_start(line);
            let own_line = text[line_start..range.start].trim().is_empty();
            Some(Suppression {
                range: TextRange::new(range.start + within.start, range.start + within.end),
                line,
                own_line,
                whole_file,
                codes,
            })
        })
        .collect()
}

/// Whether a suppression covers a diagnostic of `code` starting on `line`.
fn covers(s: &Suppression, code: &str, line: usize) -> bool {
    let on_line = s.whole_file || s.line == line || (s.own_line && s.line + 1 == line);
    on_line && s.codes.iter().any(|c| c == code)
}

/// Drops the suppressed diagnostics and returns the suppressions (with the code) that dropped
/// nothing.
pub fn apply(
    diagnostics: &mut Vec<Diagnostic>,
    suppressions: &[Suppression],
    index: &LineIndex,
) -> Vec<(usize, String)> {
    if suppressions.is_empty() {
        return Vec::new();
    }
    let mut used = vec![Vec::new(); suppressions.len()];
    diagnostics.retain(|d| {
        let line = index.line_of(d.range.start);
        let mut kept = true;
        for (i, s) in suppressions.iter().enumerate() {
            if covers(s, d.code, line) {
                used[i].push(d.code);
                kept = false;
            }
        }
        kept
    });
    let mut unused = Vec::new();
    for (i, s) in suppressions.iter().enumerate() {
        for code in &s.codes {
            if !used[i].iter().any(|u| u == code) {
                unused.push((i, code.clone()));
            }
        }
    }
    unused
}

/// The hint for a suppression that suppresses nothing (`DJ900`, `NGX900`, ...).
pub fn unused_diagnostic(
    path: &Path,
    family: &'static str,
    s: &Suppression,
    code: &str,
) -> Diagnostic {
    Diagnostic {
        path: path.to_path_buf(),
        range: s.range,
        severity: Severity::Hint,
        code: family,
        message: format!(
            "Unused suppression: nothing here reports {code}; remove it from the comment"
        ),
        references: Default::default(),
        related: Vec::new(),
        fix: None,
        alternatives: Vec::new(),
    }
}

/// The fix "ignore CODE on this line": a trailing `# preflight: ignore[CODE]` comment, merged
/// into an existing suppression comment on that line.
pub fn ignore_fix(
    text: &str,
    index: &LineIndex,
    suppressions: &[Suppression],
    d: &Diagnostic,
) -> Fix {
    let line = index.line_of(d.range.start);
    let title = format!("Ignore {} on this line", d.code);
    if let Some(s) = suppressions
        .iter()
        .find(|s| s.line == line && !s.whole_file)
    {
        // `# preflight: ignore[A]` -> `# preflight: ignore[A, B]`
        let comment = &text[s.range.start..s.range.end];
        if let Some(close) = comment.find(']') {
            let at = s.range.start + close;
            return Fix {
                title,
                edits: vec![Edit::insert(at, format!(", {}", d.code))],
                safe: false,
            };
        }
    }
    let end = index.line_range(text, line).end;
    Fix {
        title,
        edits: vec![Edit::insert(
            end,
            format!("  # preflight: ignore[{}]", d.code),
        )],
        safe: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes() {
        assert_eq!(
            parse_codes(" preflight: ignore[DJ004, dj010]"),
            Some(vec!["DJ004".into(), "DJ010".into()])
        );
        assert_eq!(parse_codes(" preflight: ignore"), None);
        assert_eq!(parse_codes(" noqa"), None);
    }

    #[test]
    fn covers_its_line_and_the_next_when_alone() {
        let text = "A = 1  # preflight: ignore[DJ001]\n# preflight: ignore[DJ002]\nB = 2\nC = 3\n";
        let index = LineIndex::new(text);
        let c1 = text.find('#').unwrap();
        let c2 = text[c1 + 1..].find('#').unwrap() + c1 + 1;
        let comments = vec![
            (
                TextRange::new(c1, text[c1..].find('\n').unwrap() + c1),
                " preflight: ignore[DJ001]".to_string(),
            ),
            (
                TextRange::new(c2, text[c2..].find('\n').unwrap() + c2),
                " preflight: ignore[DJ002]".to_string(),
            ),
        ];
        let s = collect(text, &index, &comments);
        assert!(covers(&s[0], "DJ001", 0));
        assert!(
            !covers(&s[0], "DJ001", 1),
            "a trailing comment covers its own line only"
        );
        assert!(covers(&s[1], "DJ002", 2));
        assert!(!covers(&s[1], "DJ002", 3));
        assert!(!covers(&s[1], "DJ001", 2));
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;
    use crate::text::TextRange;

    fn diag(code: &'static str, at: usize) -> Diagnostic {
        Diagnostic {
            path: "/x.py".into(),
            range: TextRange::new(at, at + 1),
            severity: Severity::Warning,
            code,
            message: String::new(),
            references: Default::default(),
            related: Vec::new(),
            fix: None,
            alternatives: Vec::new(),
        }
    }

    fn comments(text: &str) -> Vec<(TextRange, String)> {
        let mut out = Vec::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            if let Some(i) = line.find('#') {
                let body = line[i + 1..].trim_end_matches(['\n', '\r']);
                out.push((
                    TextRange::new(offset + i, offset + i + 1 + body.len()),
                    body.to_string(),
                ));
            }
            offset += line.len();
        }
        out
    }

    #[test]
    fn file_wide_suppression_and_unused_ones() {
        let text = "# preflight: ignore-file[DJ018]\nA = 1  # preflight: ignore[DJ001, DJ002]\n";
        let index = LineIndex::new(text);
        let sup = collect(text, &index, &comments(text));
        let a = text.find("A =").unwrap();
        let mut ds = vec![diag("DJ018", a), diag("DJ001", a), diag("DJ004", a)];
        let unused = apply(&mut ds, &sup, &index);
        assert_eq!(ds.iter().map(|d| d.code).collect::<Vec<_>>(), vec!["DJ004"]);
        assert_eq!(unused, vec![(1, "DJ002".to_string())]);
    }

    #[test]
    fn a_suppression_after_another_comment_counts() {
        let text = "A = 1  # temporary [see #12]  # preflight: ignore[DJ001]  # why\nB = 2\n";
        let index = LineIndex::new(text);
        let sup = collect(text, &index, &comments(text));
        assert_eq!(sup.len(), 1);
        let at = text.find("# preflight").unwrap();
        let end = text.find("]  # why").unwrap() + 1;
        assert_eq!(sup[0].range, TextRange::new(at, end));
        assert!(!sup[0].own_line);
        let mut diagnostics = vec![diag("DJ001", 0)];
        assert!(apply(&mut diagnostics, &sup, &index).is_empty());
        assert!(diagnostics.is_empty());
        // "ignore on this line" merges into that suppression, not into the other brackets
        let fix = ignore_fix(text, &index, &sup, &diag("DJ004", 0));
        assert!(
            crate::diagnostic::apply_edits(text, &fix.edits)
                .contains("[see #12]  # preflight: ignore[DJ001, DJ004]  # why")
        );
        // a marker that is not at a comment's start is not a suppression
        let text = "A = 1  # see preflight: ignore[DJ001]\n";
        let index = LineIndex::new(text);
        assert!(collect(text, &index, &comments(text)).is_empty());
    }

    #[test]
    fn ignore_fix_appends_or_merges() {
        let text = "A = 1\r\nB = 2  # preflight: ignore[DJ001]\n";
        let index = LineIndex::new(text);
        let sup = collect(text, &index, &comments(text));
        let fix = ignore_fix(text, &index, &sup, &diag("DJ004", 0));
        assert_eq!(
            crate::diagnostic::apply_edits(text, &fix.edits),
            "A = 1  # preflight: ignore[DJ004]\r\nB = 2  # preflight: ignore[DJ001]\n"
        );
        let b = text.find("B =").unwrap();
        let fix = ignore_fix(text, &index, &sup, &diag("DJ004", b));
        assert!(crate::diagnostic::apply_edits(text, &fix.edits).contains("ignore[DJ001, DJ004]"));
    }
}
