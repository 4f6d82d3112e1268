//! Where the capture groups of a (PCRE) regex of a config are written: rules follow a
//! location's captures into `alias`, `return` and the like, and need the text around them.

use std::ops::Range;

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
}
