//! `# preflight: ignore[CODE,...]` comments: a diagnostic is dropped when such a comment naming
//! its code stands on the diagnostic's first line, or alone on the line above it.

use crate::diagnostic::Diagnostic;
use crate::text::{LineIndex, TextRange};

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub range: TextRange,
    /// The line the comment is on (0-based).
    pub line: usize,
    /// Whether nothing but the comment is on its line (then it covers the next line too).
    pub own_line: bool,
    pub codes: Vec<String>,
}

const MARKER: &str = "preflight:";

/// Parses the body of a comment (without `#`): `preflight: ignore[DJ004, DJ010]`.
pub fn parse_codes(comment: &str) -> Option<Vec<String>> {
    let rest = comment.trim_start().strip_prefix(MARKER)?.trim_start();
    let rest = rest.strip_prefix("ignore")?.trim_start();
    let inner = rest.strip_prefix('[')?;
    let inner = &inner[..inner.find(']')?];
    let codes: Vec<String> = inner
        .split(',')
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    (!codes.is_empty()).then_some(codes)
}

/// The suppression comments among a file's comments.
pub fn collect(
    text: &str,
    index: &LineIndex,
    comments: &[(TextRange, String)],
) -> Vec<Suppression> {
    comments
        .iter()
        .filter_map(|(range, body)| {
            let codes = parse_codes(body)?;
            let line = index.line_of(range.start);
            let line_start = index.line_start(line);
            let own_line = text[line_start..range.start].trim().is_empty();
            Some(Suppression {
                range: *range,
                line,
                own_line,
                codes,
            })
        })
        .collect()
}

/// Whether a suppression covers a diagnostic of `code` starting on `line`.
fn covers(s: &Suppression, code: &str, line: usize) -> bool {
    let on_line = s.line == line || (s.own_line && s.line + 1 == line);
    on_line && s.codes.iter().any(|c| c == code)
}

/// Drops the suppressed diagnostics.
pub fn apply(diagnostics: &mut Vec<Diagnostic>, suppressions: &[Suppression], index: &LineIndex) {
    if suppressions.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        let line = index.line_of(d.range.start);
        !suppressions.iter().any(|s| covers(s, d.code, line))
    });
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
