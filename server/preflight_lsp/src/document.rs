//! One open document: its text in a rope, its version, and (for languages Preflight parses) a
//! syntax tree kept up to date incrementally. Knows nothing of LSP types: positions arrive as
//! core [`LineCol`]s in a negotiated [`Encoding`].

use std::path::Path;
use std::sync::Arc;

use preflight_core::nginx;
use preflight_core::syntax::{
    ParseTimedOut, nginx_parser, parse_nginx, parse_python, python_parser,
};
use preflight_core::text::{Encoding, LineCol, char_width};
use ropey::Rope;
use tree_sitter::{InputEdit, Parser, Point, Tree};

/// What a document is written in, from the client's `languageId`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Language {
    Python,
    Nginx,
    /// A language Preflight stores but does not (yet) parse.
    Other(String),
}

impl Language {
    pub fn from_language_id(id: &str) -> Self {
        match id {
            "python" => Language::Python,
            "nginx" => Language::Nginx,
            other => Language::Other(other.to_owned()),
        }
    }

    /// The language of an opened document: its `languageId`, except that editors without an
    /// nginx mode send `plaintext` (or `conf`, ...) for files Preflight knows to be nginx by
    /// their path or their first statements.
    pub fn detect(id: &str, path: &Path, text: &str) -> Self {
        match Self::from_language_id(id) {
            Language::Other(_) if nginx::is_nginx_file(path, text) => Language::Nginx,
            language => language,
        }
    }

    fn parser(&self) -> Option<Parser> {
        match self {
            Language::Python => Some(python_parser()),
            Language::Nginx => Some(nginx_parser()),
            Language::Other(_) => None,
        }
    }
}

/// One content change: `range: None` replaces the whole document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub range: Option<(LineCol, LineCol)>,
    pub text: String,
}

pub struct Document {
    language: Language,
    version: i32,
    rope: Rope,
    /// The rope's text, rebuilt once per batch of changes (analysis and tree-sitter want a
    /// contiguous `&str`).
    text: Arc<str>,
    /// The last tree: of `text` when `parsed`, else of an earlier text with the edits since
    /// applied (`Tree::edit`), which is what the next parse starts from.
    tree: Option<Tree>,
    /// A parse that ran out of time, with the text it ran out of time on: that text is not
    /// parsed again (the document has no tree); the next edit parses from scratch.
    timed_out: Option<(ParseTimedOut, Arc<str>)>,
    /// Whether `tree` and `timed_out` are those of `text`.
    parsed: bool,
}

/// An immutable view of a document at one version, cheap to clone and send to a worker. The
/// parse happens there, not under the session's lock: [`DocumentSnapshot::ensure_parsed`].
#[derive(Clone)]
pub struct DocumentSnapshot {
    pub language: Language,
    pub version: i32,
    pub text: Arc<str>,
    /// As in [`Document`]: the tree of `text` once `parsed`.
    tree: Option<Tree>,
    timed_out: Option<ParseTimedOut>,
    parsed: bool,
}

impl DocumentSnapshot {
    /// Parses the text if the document had not yet: incrementally, from the edited tree of
    /// the last parse. Within the parse-time budget; a parse that runs out of it leaves no
    /// tree and [`DocumentSnapshot::timed_out`] says so.
    pub fn ensure_parsed(&mut self) {
        if self.parsed {
            return;
        }
        self.parsed = true;
        let Some(mut parser) = self.language.parser() else {
            self.tree = None;
            return;
        };
        let old = self.tree.take();
        let parsed = match self.language {
            Language::Nginx => parse_nginx(&mut parser, &self.text, old.as_ref()),
            _ => parse_python(&mut parser, &self.text, old.as_ref()),
        };
        match parsed {
            Ok(tree) => self.tree = Some(tree),
            Err(timeout) => self.timed_out = Some(timeout),
        }
    }

    /// The tree of the text; `None` before [`DocumentSnapshot::ensure_parsed`], when the parse
    /// ran out of time, or for a language Preflight does not parse.
    pub fn tree(&self) -> Option<&Tree> {
        self.tree.as_ref().filter(|_| self.parsed)
    }

    /// Whether the parse of the text ran out of time (after
    /// [`DocumentSnapshot::ensure_parsed`]).
    pub fn timed_out(&self) -> Option<ParseTimedOut> {
        self.timed_out.filter(|_| self.parsed)
    }
}

impl Document {
    /// The document; its text is parsed by the first snapshot that needs it.
    pub fn new(language: Language, version: i32, text: &str) -> Self {
        let parsed = matches!(language, Language::Other(_));
        Self {
            language,
            version,
            rope: Rope::from_str(text),
            text: Arc::from(text),
            tree: None,
            timed_out: None,
            parsed,
        }
    }

    pub fn version(&self) -> i32 {
        self.version
    }

    pub fn language(&self) -> &Language {
        &self.language
    }

    pub fn text(&self) -> &Arc<str> {
        &self.text
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    /// The tree of the current text, once a parse of it was kept ([`Document::adopt`]).
    pub fn tree(&self) -> Option<&Tree> {
        self.tree.as_ref().filter(|_| self.parsed)
    }

    /// Whether the parse of the current text ran out of time.
    pub fn timed_out(&self) -> Option<ParseTimedOut> {
        self.timed_out
            .as_ref()
            .filter(|_| self.parsed)
            .map(|(timeout, _)| *timeout)
    }

    pub fn snapshot(&self) -> DocumentSnapshot {
        DocumentSnapshot {
            language: self.language.clone(),
            version: self.version,
            text: self.text.clone(),
            tree: self.tree.clone(),
            timed_out: self.timed_out(),
            parsed: self.parsed,
        }
    }

    /// Keeps the parse of a snapshot of the current text, so the next parse starts from it.
    /// A snapshot of an older version is ignored: the document's own edited tree stays the
    /// starting point.
    pub fn adopt(&mut self, snapshot: &DocumentSnapshot) {
        if self.parsed || !snapshot.parsed || !Arc::ptr_eq(&snapshot.text, &self.text) {
            return;
        }
        self.tree = snapshot.tree.clone();
        self.timed_out = snapshot
            .timed_out
            .map(|timeout| (timeout, self.text.clone()));
        self.parsed = true;
    }

    /// Parses the current text now (what the server leaves to its workers).
    pub fn parse_now(&mut self) {
        let mut snapshot = self.snapshot();
        snapshot.ensure_parsed();
        self.adopt(&snapshot);
    }

    /// Applies the content changes of one `didChange`, in order (each change's positions refer
    /// to the text left by the previous one). The tree is edited, not re-parsed: the next
    /// snapshot's parse starts from it.
    pub fn apply_changes(
        &mut self,
        version: i32,
        changes: impl IntoIterator<Item = Change>,
        encoding: Encoding,
    ) {
        for change in changes {
            self.apply_change(&change, encoding);
        }
        self.version = version;
        self.text = Arc::from(String::from(&self.rope));
        self.parsed = match &self.timed_out {
            // the text a parse ran out of time on: not parsed again
            Some((_, text)) if *text == self.text => {
                self.tree = None;
                true
            }
            _ => matches!(self.language, Language::Other(_)),
        };
    }

    fn apply_change(&mut self, change: &Change, encoding: Encoding) {
        let Some((start, end)) = change.range else {
            self.rope = Rope::from_str(&change.text);
            // nothing of the old tree survives a full replacement
            self.tree = None;
            return;
        };
        let a = self.offset(start, encoding);
        let b = self.offset(end, encoding);
        let (start, old_end) = (a.min(b), a.max(b));
        let new_end = start + change.text.len();
        let start_position = self.point(start);
        let edit = InputEdit {
            start_byte: start,
            old_end_byte: old_end,
            new_end_byte: new_end,
            start_position,
            old_end_position: self.point(old_end),
            new_end_position: point_after(start_position, &change.text),
        };
        let start_char = self.rope.byte_to_char(start);
        let end_char = self.rope.byte_to_char(old_end);
        self.rope.remove(start_char..end_char);
        self.rope.insert(start_char, &change.text);
        if let Some(tree) = &mut self.tree {
            tree.edit(&edit);
        }
    }

    /// The byte offset of a position, with the clamping of
    /// [`preflight_core::text::LineIndex::offset`]: a line past the end is the end of the
    /// document, a column past the end of a line is the end of that line (before its line
    /// ending), a column inside a character (half a surrogate pair) is that character's start.
    pub fn offset(&self, pos: LineCol, encoding: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.rope.len_lines() {
            return self.rope.len_bytes();
        }
        let mut offset = self.rope.line_to_byte(line);
        let mut remaining = pos.col as usize;
        for ch in self.rope.line(line).chars() {
            if ch == '\n' || ch == '\r' {
                break;
            }
            let width = char_width(ch, encoding);
            if remaining < width {
                break;
            }
            remaining -= width;
            offset += ch.len_utf8();
        }
        offset
    }

    /// tree-sitter's point of a byte offset: rows end at `\n` only, columns count bytes.
    fn point(&self, offset: usize) -> Point {
        let column = self
            .rope
            .bytes_at(offset)
            .reversed()
            .take_while(|&b| b != b'\n')
            .count();
        let row_start = offset - column;
        // ropey also breaks lines at a lone `\r`; rows only matter for node positions, which
        // Preflight never reads (it works in byte ranges), so a lone CR shifting rows is harmless.
        let row = self.rope.byte_to_line(row_start);
        Point { row, column }
    }
}

/// The point just after `inserted`, when it is inserted at `start`.
fn point_after(start: Point, inserted: &str) -> Point {
    match inserted.rfind('\n') {
        Some(last) => Point {
            row: start.row + inserted.matches('\n').count(),
            column: inserted.len() - last - 1,
        },
        None => Point {
            row: start.row,
            column: start.column + inserted.len(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use preflight_core::syntax::{nginx_tree, python_tree};

    fn lc(line: u32, col: u32) -> LineCol {
        LineCol { line, col }
    }

    fn change(start: LineCol, end: LineCol, text: &str) -> Change {
        Change {
            range: Some((start, end)),
            text: text.to_owned(),
        }
    }

    #[test]
    fn changes_apply_in_order_and_reparse_incrementally() {
        let mut doc = Document::new(Language::Python, 1, "DEBUG = True\nX = 1\n");
        doc.parse_now();
        doc.apply_changes(
            2,
            [
                change(lc(0, 8), lc(0, 12), "False"),
                change(lc(1, 4), lc(1, 5), "2"),
            ],
            Encoding::Utf16,
        );
        assert_eq!(&**doc.text(), "DEBUG = False\nX = 2\n");
        assert_eq!(doc.version(), 2);
        doc.parse_now();
        let fresh = python_tree(doc.text());
        assert_eq!(
            doc.tree().unwrap().root_node().to_sexp(),
            fresh.root_node().to_sexp()
        );
    }

    #[test]
    fn columns_count_in_the_negotiated_encoding() {
        let text = "s = \"😀e\u{301}\"\nDEBUG = True\n";
        let quote = text.rfind('"').unwrap();
        let doc = Document::new(Language::Python, 1, text);
        assert_eq!(doc.offset(lc(0, quote as u32), Encoding::Utf8), quote);
        assert_eq!(doc.offset(lc(0, 9), Encoding::Utf16), quote);
        assert_eq!(doc.offset(lc(0, 8), Encoding::Utf32), quote);
        // half a surrogate pair snaps to the emoji's start
        assert_eq!(doc.offset(lc(0, 6), Encoding::Utf16), 5);
    }

    #[test]
    fn positions_past_the_end_clamp() {
        let mut doc = Document::new(Language::Python, 1, "a = 1\r\nb = 2");
        assert_eq!(doc.offset(lc(0, 99), Encoding::Utf16), 5);
        assert_eq!(doc.offset(lc(9, 0), Encoding::Utf16), 12);
        doc.apply_changes(2, [change(lc(40, 3), lc(50, 0), "\nc = 3")], Encoding::Utf8);
        assert_eq!(&**doc.text(), "a = 1\r\nb = 2\nc = 3");
    }

    #[test]
    fn a_full_replacement_parses_from_scratch() {
        let mut doc = Document::new(Language::Python, 1, "x = (");
        doc.apply_changes(
            2,
            [Change {
                range: None,
                text: "y = 2\n".into(),
            }],
            Encoding::Utf16,
        );
        assert_eq!(&**doc.text(), "y = 2\n");
        doc.parse_now();
        assert!(!doc.tree().unwrap().root_node().has_error());
    }

    #[test]
    fn a_parse_that_times_out_leaves_no_tree_until_an_edit() {
        use preflight_core::syntax::with_budget;
        // a run of comment lines in a block: quadratic in tree-sitter-python's scanner
        let mut slow = String::from("DEBUG = True\nif DEBUG:\n    pass\n");
        while slow.len() < 200_000 {
            slow.push_str("    # a comment line of ordinary length, in a long run\n");
        }
        let budget = std::time::Duration::from_millis(20);
        with_budget(budget, || {
            let mut doc = Document::new(Language::Python, 1, &slow);
            doc.parse_now();
            assert!(doc.tree().is_none());
            assert_eq!(doc.timed_out(), Some(ParseTimedOut { budget }));
            let snapshot = doc.snapshot();
            assert!(snapshot.tree().is_none() && snapshot.timed_out().is_some());
            // the same text again: still timed out, not parsed again
            doc.apply_changes(2, [], Encoding::Utf16);
            assert_eq!(doc.timed_out(), Some(ParseTimedOut { budget }));
            // an edit parses again, from scratch
            doc.apply_changes(
                3,
                [Change {
                    range: None,
                    text: "DEBUG = True\n".into(),
                }],
                Encoding::Utf16,
            );
            assert!(doc.timed_out().is_none());
            doc.parse_now();
            assert!(!doc.tree().unwrap().root_node().has_error());
        });
    }

    #[test]
    fn an_edit_is_parsed_by_a_snapshot_and_the_document_keeps_that_parse() {
        let mut doc = Document::new(Language::Python, 1, "DEBUG = True\n");
        // opening and editing parse nothing: the lock is held only to edit the text
        assert!(doc.tree().is_none() && doc.timed_out().is_none());
        let mut first = doc.snapshot();
        first.ensure_parsed();
        doc.adopt(&first);
        assert!(doc.tree().is_some());
        doc.apply_changes(2, [change(lc(0, 8), lc(0, 12), "False")], Encoding::Utf16);
        assert!(
            doc.tree().is_none(),
            "the tree of version 1 is not that of version 2"
        );
        let mut second = doc.snapshot();
        // edited again before that snapshot's parse is kept: it is of an older text
        doc.apply_changes(3, [change(lc(0, 0), lc(0, 0), "X = 1\n")], Encoding::Utf16);
        second.ensure_parsed();
        doc.adopt(&second);
        assert!(doc.tree().is_none());
        // the next parse starts from the tree of version 1 with both edits applied
        let mut third = doc.snapshot();
        third.ensure_parsed();
        let fresh = python_tree("X = 1\nDEBUG = False\n");
        assert_eq!(
            third.tree().unwrap().root_node().to_sexp(),
            fresh.root_node().to_sexp()
        );
        doc.adopt(&third);
        assert_eq!(
            doc.tree().unwrap().root_node().to_sexp(),
            fresh.root_node().to_sexp()
        );
    }

    #[test]
    fn other_languages_are_stored_without_a_tree() {
        let mut doc = Document::new(Language::Other("ini".into()), 1, "server {}\n");
        doc.apply_changes(
            2,
            [change(lc(0, 8), lc(0, 8), " listen 80; ")],
            Encoding::Utf16,
        );
        assert_eq!(&**doc.text(), "server { listen 80; }\n");
        assert!(doc.tree().is_none());
    }

    #[test]
    fn nginx_is_reparsed_incrementally() {
        let text = "server {\n    location ~ ^/\\d{1,3}$ { return 200; }\n}\n";
        let mut doc = Document::new(Language::Nginx, 1, text);
        doc.parse_now();
        assert!(doc.tree().unwrap().root_node().has_error());
        // quote the regex: `^/\d{1,3}$` spans columns 15..25 of line 1
        doc.apply_changes(
            2,
            [
                change(lc(1, 25), lc(1, 25), "\""),
                change(lc(1, 15), lc(1, 15), "\""),
            ],
            Encoding::Utf16,
        );
        assert!(doc.text().contains("location ~ \"^/\\d{1,3}$\" {"));
        doc.parse_now();
        let incremental = doc.tree().unwrap().root_node().to_sexp();
        let fresh = nginx_tree(doc.text());
        assert_eq!(incremental, fresh.root_node().to_sexp());
        assert!(!fresh.root_node().has_error());
    }

    #[test]
    fn nginx_files_are_detected_whatever_the_language_id() {
        let site = "server {\n}\n";
        let detect = |id, path: &str, text| Language::detect(id, Path::new(path), text);
        assert_eq!(detect("nginx", "/x/a.txt", ""), Language::Nginx);
        assert_eq!(
            detect("plaintext", "/etc/nginx/nginx.conf", ""),
            Language::Nginx
        );
        assert_eq!(detect("plaintext", "/x/app.conf", site), Language::Nginx);
        assert_eq!(
            detect("plaintext", "/x/app.conf", "[program:x]\n"),
            Language::Other("plaintext".into())
        );
        assert_eq!(detect("python", "/x/nginx/a.conf", site), Language::Python);
    }
}
