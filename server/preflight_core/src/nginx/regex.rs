//! What a (PCRE) regex of a config can match, as far as rules need it: where its capture groups
//! are, and whether a group's text can or must start with a character, or contain one. Used to
//! follow a location's captures into `alias`, `return` and the like.

use std::ops::Range;

use regex_syntax::ParserBuilder;
use regex_syntax::hir::{Class, Hir, HirKind};

/// A capturing group of a regex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    /// Its number (`$1` is 1), counted by opening parenthesis as PCRE does, named groups
    /// included.
    pub number: usize,
    /// `(?<name>...)`, `(?P<name>...)` or `(?'name'...)`.
    pub name: Option<String>,
    /// Byte offset of its `(`.
    pub open: usize,
    /// Its contents (between the group's header and its `)`).
    pub content: Range<usize>,
}

/// The capturing groups of `pattern`, in order. A group without its `)` runs to the end.
pub fn captures(pattern: &str) -> Vec<Capture> {
    let bytes = pattern.as_bytes();
    let mut out: Vec<Capture> = Vec::new();
    // for each open group: the index of its capture in `out`, if it captures
    let mut open: Vec<Option<usize>> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                // `\Q...\E` quotes everything up to `\E`
                if bytes.get(i + 1) == Some(&b'Q') {
                    i = pattern[i + 2..]
                        .find("\\E")
                        .map_or(bytes.len(), |e| i + 2 + e + 2);
                    continue;
                }
                i += 2;
            }
            b'[' => i = class_end(bytes, i),
            b'(' => {
                let rest = &pattern[i + 1..];
                if rest.starts_with("?#") {
                    i = rest.find(')').map_or(bytes.len(), |e| i + 1 + e + 1);
                    continue;
                }
                let named = ["?P<", "?<", "?'"]
                    .iter()
                    .find(|p| rest.starts_with(**p))
                    .filter(|_| !rest.starts_with("?<=") && !rest.starts_with("?<!"));
                let (capturing, name, header) = match named {
                    Some(prefix) => {
                        let start = i + 1 + prefix.len();
                        let close = if prefix.ends_with('\'') { '\'' } else { '>' };
                        match pattern[start..].find(close) {
                            Some(len) => (
                                true,
                                Some(pattern[start..start + len].to_owned()),
                                prefix.len() + len + 1,
                            ),
                            // an unterminated name: the rest is not a group's contents
                            None => (true, None, bytes.len() - i - 1),
                        }
                    }
                    None if rest.starts_with('?') || rest.starts_with('*') => (false, None, 0),
                    None => (true, None, 0),
                };
                if capturing {
                    let start = (i + 1 + header).min(bytes.len());
                    out.push(Capture {
                        number: out.len() + 1,
                        name,
                        open: i,
                        content: start..bytes.len(),
                    });
                    open.push(Some(out.len() - 1));
                    i = start;
                } else {
                    open.push(None);
                    i += 1;
                }
            }
            b')' => {
                if let Some(Some(index)) = open.pop()
                    && let Some(capture) = out.get_mut(index)
                {
                    capture.content.end = i.max(capture.content.start);
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// The offset after the `]` closing the class that opens at `start`.
fn class_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    if bytes.get(i) == Some(&b'^') {
        i += 1;
    }
    // a `]` first in the class is a literal
    if bytes.get(i) == Some(&b']') {
        i += 1;
    }
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'[' if bytes.get(i + 1) == Some(&b':') => {
                // a POSIX class `[:alpha:]`
                let end = bytes[i + 2..]
                    .windows(2)
                    .position(|w| w == b":]")
                    .map_or(i + 1, |p| i + 2 + p + 2);
                i = end;
            }
            b']' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// What the text a regex matches can look like.
pub struct Facts {
    hir: Hir,
}

impl Facts {
    /// `None` when the regex uses syntax Preflight does not analyse (look-arounds,
    /// back-references): callers then know nothing and stay silent.
    pub fn of(regex: &str, case_insensitive: bool) -> Option<Facts> {
        let hir = ParserBuilder::new()
            .case_insensitive(case_insensitive)
            .utf8(false)
            .build()
            .parse(regex)
            .ok()?;
        Some(Facts { hir })
    }

    /// Whether some match starts with `c`.
    pub fn can_start_with(&self, c: char) -> bool {
        can_start(&self.hir, c)
    }

    /// Whether every match starts with `c` (false when the empty string matches).
    pub fn must_start_with(&self, c: char) -> bool {
        must_start(&self.hir, c)
    }

    /// Whether it matches only a fixed set of strings written out in the regex (`jpg|png`,
    /// `[ab]`): no repetition.
    pub fn is_fixed_set(&self) -> bool {
        fn fixed(hir: &Hir) -> bool {
            !matches!(hir.kind(), HirKind::Repetition(_)) && hir.kind().subs().iter().all(fixed)
        }
        fixed(&self.hir)
    }

    /// Whether some match contains `c`.
    pub fn can_contain(&self, c: char) -> bool {
        can_contain(&self.hir, c)
    }
}

fn class_has(class: &Class, c: char) -> bool {
    match class {
        Class::Unicode(u) => u.ranges().iter().any(|r| r.start() <= c && c <= r.end()),
        Class::Bytes(b) => u8::try_from(c).is_ok_and(|byte| {
            b.ranges()
                .iter()
                .any(|r| r.start() <= byte && byte <= r.end())
        }),
    }
}

fn can_be_empty(hir: &Hir) -> bool {
    hir.properties().minimum_len() == Some(0)
}

fn matches_nothing(hir: &Hir) -> bool {
    hir.properties().minimum_len().is_none()
}

// The recursion below is bounded by regex-syntax's nesting limit.

fn can_start(hir: &Hir, c: char) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(lit) => first_char(&lit.0) == Some(c),
        HirKind::Class(class) => class_has(class, c),
        HirKind::Repetition(r) => r.max != Some(0) && can_start(&r.sub, c),
        HirKind::Capture(cap) => can_start(&cap.sub, c),
        HirKind::Alternation(subs) => subs.iter().any(|s| can_start(s, c)),
        HirKind::Concat(subs) => {
            for sub in subs {
                if matches_nothing(sub) {
                    return false;
                }
                if can_start(sub, c) {
                    return true;
                }
                if !can_be_empty(sub) {
                    return false;
                }
            }
            false
        }
    }
}

fn must_start(hir: &Hir, c: char) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(lit) => first_char(&lit.0) == Some(c),
        HirKind::Class(class) => match class {
            Class::Unicode(u) => u.ranges().iter().all(|r| r.start() == c && r.end() == c),
            Class::Bytes(b) => u8::try_from(c).is_ok_and(|byte| {
                b.ranges()
                    .iter()
                    .all(|r| r.start() == byte && r.end() == byte)
            }),
        },
        HirKind::Repetition(r) => r.min > 0 && must_start(&r.sub, c),
        HirKind::Capture(cap) => must_start(&cap.sub, c),
        HirKind::Alternation(subs) => subs.iter().all(|s| must_start(s, c)),
        HirKind::Concat(subs) => subs
            .iter()
            .find(|s| !matches!(s.kind(), HirKind::Look(_)))
            .is_some_and(|s| must_start(s, c)),
    }
}

fn can_contain(hir: &Hir, c: char) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(lit) => String::from_utf8_lossy(&lit.0).contains(c),
        HirKind::Class(class) => class_has(class, c),
        HirKind::Repetition(r) => r.max != Some(0) && can_contain(&r.sub, c),
        HirKind::Capture(cap) => can_contain(&cap.sub, c),
        HirKind::Alternation(subs) => subs.iter().any(|s| can_contain(s, c)),
        HirKind::Concat(subs) => {
            !subs.iter().any(matches_nothing) && subs.iter().any(|s| can_contain(s, c))
        }
    }
}

fn first_char(bytes: &[u8]) -> Option<char> {
    String::from_utf8_lossy(bytes).chars().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(pattern: &str) -> Vec<String> {
        captures(pattern)
            .iter()
            .map(|c| {
                let name = c
                    .name
                    .as_deref()
                    .map(|n| format!("<{n}>"))
                    .unwrap_or_default();
                format!("{}{name}:{}", c.number, &pattern[c.content.clone()])
            })
            .collect()
    }

    #[test]
    fn capture_groups_are_numbered_like_pcre() {
        assert_eq!(groups(r"^/site/(l\.)(?:x|y)(.*)$"), [r"1:l\.", "2:.*"]);
        assert_eq!(
            groups(r"^/f/(?<file>[^/]+)/(?P<rest>.*)(?'q'a)"),
            ["1<file>:[^/]+", "2<rest>:.*", "3<q>:a"]
        );
        // look-arounds, classes with parentheses, escapes and comments do not count
        assert_eq!(
            groups(r"(?<=a)(?!b)[()\]](\()(?#(c))\Q(d)\E(e"),
            [r"1:\(", "2:e"]
        );
        assert_eq!(groups(r"((a)(b))"), ["1:(a)(b)", "2:a", "3:b"]);
        assert_eq!(groups("[[:alpha:]()](x)"), ["1:x"]);
        assert_eq!(groups("(?<unclosé"), ["1:"]);
    }

    #[test]
    fn starts_and_contents() {
        let facts = |re: &str| Facts::of(re, false).unwrap();
        assert!(facts(".*").can_start_with('.'));
        assert!(!facts(".*").must_start_with('/'));
        assert!(facts("/.*").must_start_with('/'));
        assert!(!facts("[^/]*").can_contain('/'));
        assert!(facts("[^/]*").can_start_with('.'));
        assert!(!facts(r"l\.").can_start_with('.'));
        assert!(facts(r"a?\.x").can_start_with('.'));
        assert!(!facts(r"\w+").can_start_with('.'));
        assert!(facts("(?:/a|/b)c").must_start_with('/'));
        assert!(!facts("(?:/a|b)c").must_start_with('/'));
        assert!(Facts::of("(?=a)", false).is_none());
        assert!(facts("jpg|png").is_fixed_set());
        assert!(!facts("a+|b").is_fixed_set());
    }
}
