//! Positions. Everything inside the core is a byte offset into UTF-8 text; this module is the one
//! place that converts offsets to (line, column) in the encoding a consumer wants.

use serde::Serialize;

/// A half-open byte range `[start, end)` into a file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Self { start, end }
    }
    pub fn empty(at: usize) -> Self {
        Self { start: at, end: at }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }
}

/// How a column is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (the LSP default).
    Utf16,
    /// Unicode scalar values (what the CLI prints, and LSP's utf-32).
    Utf32,
}

/// A zero-based line and a zero-based column counted in some [`Encoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Line starts of a text. Lines end at `\n`; a `\r` before it belongs to the line ending, so
/// CRLF files get the same lines as LSP clients see (LSP also ends lines at a lone `\r`).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        if !bytes.contains(&b'\r') {
            // the common case, found with memchr
            starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        } else {
            for (i, &b) in bytes.iter().enumerate() {
                match b {
                    b'\n' => starts.push(i + 1),
                    b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                    _ => {}
                }
            }
        }
        Self {
            starts,
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset where `line` starts (clamped to the end of the text).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    /// The line containing `offset` (offsets past the end belong to the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// Byte range of `line` without its line ending.
    pub fn line_range(&self, text: &str, line: usize) -> TextRange {
        let start = self.line_start(line);
        let mut end = if line + 1 < self.starts.len() {
            self.starts[line + 1]
        } else {
            self.len
        };
        let bytes = text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        TextRange::new(start, end)
    }

    /// (line, column) of a byte offset. An offset inside a multi-byte character counts as the
    /// start of that character.
    pub fn line_col(&self, text: &str, offset: usize, enc: Encoding) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(self.len));
        let line = self.line_of(offset);
        let start = self.starts[line];
        let col = column_width(&text[start..offset], enc);
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// Byte offset of a (line, column). Lines past the end clamp to the end of the text; columns
    /// past the end of a line clamp to the end of that line (before its line ending); a column
    /// that falls inside a character (half a surrogate pair) moves to that character's start.
    pub fn offset(&self, text: &str, pos: LineCol, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return self.len;
        }
        let range = self.line_range(text, line);
        let mut remaining = pos.col as usize;
        for (i, ch) in text[range.start..range.end].char_indices() {
            let w = char_width(ch, enc);
            if remaining < w {
                return range.start + i;
            }
            remaining -= w;
        }
        range.end
    }
}

pub fn char_width(ch: char, enc: Encoding) -> usize {
    match enc {
        Encoding::Utf8 => ch.len_utf8(),
        Encoding::Utf16 => ch.len_utf16(),
        Encoding::Utf32 => 1,
    }
}

pub fn column_width(s: &str, enc: Encoding) -> usize {
    match enc {
        Encoding::Utf8 => s.len(),
        Encoding::Utf16 => s.encode_utf16().count(),
        Encoding::Utf32 => s.chars().count(),
    }
}

pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A file's line ending, as its first line ends (cheap on large files).
pub fn eol(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if text[..i].ends_with('\r') => "\r\n",
        _ => "\n",
    }
}

/// The offset where the line containing `at` starts.
pub fn line_start(text: &str, at: usize) -> usize {
    let at = floor_char_boundary(text, at);
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The offset of the line ending (or the end of the text) of the line containing `at`.
pub fn line_end(text: &str, at: usize) -> usize {
    let at = floor_char_boundary(text, at);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if end > at && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_lines_exclude_the_line_ending() {
        let text = "a = 1\r\nb = 2\r\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 3);
        assert_eq!(idx.line_range(text, 0), TextRange::new(0, 5));
        assert_eq!(
            idx.line_col(text, 7, Encoding::Utf16),
            LineCol { line: 1, col: 0 }
        );
        // a column past the end of the line clamps before the CR
        assert_eq!(
            idx.offset(text, LineCol { line: 0, col: 99 }, Encoding::Utf16),
            5
        );
    }

    #[test]
    fn columns_in_each_encoding_after_emoji_and_combining_marks() {
        let text = "x = \"😀e\u{301}\" # y";
        let idx = LineIndex::new(text);
        let y = text.find('y').unwrap();
        assert_eq!(idx.line_col(text, y, Encoding::Utf8).col, y as u32);
        assert_eq!(idx.line_col(text, y, Encoding::Utf16).col, 13);
        assert_eq!(idx.line_col(text, y, Encoding::Utf32).col, 12);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let lc = idx.line_col(text, y, enc);
            assert_eq!(idx.offset(text, lc, enc), y);
        }
    }

    #[test]
    fn half_a_surrogate_pair_snaps_to_the_character_start() {
        let text = "😀x";
        let idx = LineIndex::new(text);
        assert_eq!(
            idx.offset(text, LineCol { line: 0, col: 1 }, Encoding::Utf16),
            0
        );
        assert_eq!(
            idx.offset(text, LineCol { line: 0, col: 2 }, Encoding::Utf16),
            4
        );
    }

    #[test]
    fn positions_past_the_end_clamp() {
        let text = "ab\ncd";
        let idx = LineIndex::new(text);
        assert_eq!(
            idx.offset(text, LineCol { line: 7, col: 0 }, Encoding::Utf16),
            5
        );
        assert_eq!(
            idx.line_col(text, 99, Encoding::Utf32),
            LineCol { line: 1, col: 2 }
        );
    }
}
