//! Turns diagnostics (byte ranges) into what users read: 1-based lines and columns counted in
//! Unicode characters, paths relative to the working directory.

pub mod github;
pub mod json;
pub mod sarif;
pub mod text;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use preflight_core::Diagnostic;
use preflight_core::text::{Encoding, LineIndex, TextRange};

use crate::analyze::read_text;
use crate::walk::display_path;

/// A 1-based position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// The texts of the files diagnostics point into, each read once.
pub struct Sources {
    cwd: PathBuf,
    files: HashMap<PathBuf, Option<(String, LineIndex)>>,
}

impl Sources {
    pub fn new(cwd: PathBuf) -> Self {
        Self {
            cwd,
            files: HashMap::new(),
        }
    }

    pub fn display(&self, path: &Path) -> String {
        display_path(path, &self.cwd)
    }

    /// The working directory as a `file://` URI ending in `/` (SARIF's `%SRCROOT%`).
    pub fn root_uri(&self) -> String {
        let mut uri = file_uri(&self.cwd);
        if !uri.ends_with('/') {
            uri.push('/');
        }
        uri
    }

    /// A path below the working directory as a relative URI reference (`None` for others).
    pub fn relative_uri(&self, path: &Path) -> Option<String> {
        let shown = self.display(path);
        let relative = Path::new(&shown);
        (!relative.is_absolute() && !shown.starts_with("..")).then(|| percent_encode(&shown))
    }

    /// A path as a `file://` URI.
    pub fn file_uri(&self, path: &Path) -> String {
        file_uri(&self.cwd.join(path))
    }

    fn load(&mut self, path: &Path) -> Option<&(String, LineIndex)> {
        self.files
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                read_text(path).ok().map(|text| {
                    let index = LineIndex::new(&text);
                    (text, index)
                })
            })
            .as_ref()
    }

    /// Start and end of a range in `path`, 1-based, columns in Unicode characters.
    pub fn span(&mut self, path: &Path, range: TextRange) -> (Position, Position) {
        match self.load(path) {
            Some((text, index)) => {
                let at = |offset| {
                    let lc = index.line_col(text, offset, Encoding::Utf32);
                    Position {
                        line: lc.line + 1,
                        column: lc.col + 1,
                    }
                };
                (at(range.start), at(range.end))
            }
            // the file vanished since it was analysed: point at its start rather than guess
            None => (
                Position { line: 1, column: 1 },
                Position { line: 1, column: 1 },
            ),
        }
    }

    /// The text of the (1-based) line, without its line ending.
    pub fn line_text(&mut self, path: &Path, line: u32) -> Option<String> {
        let (text, index) = self.load(path)?;
        let range = index.line_range(text, line.checked_sub(1)? as usize);
        Some(text[range.start..range.end].to_string())
    }
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub problems: usize,
    pub fixable: usize,
    pub fixed: usize,
}

impl Summary {
    pub fn of(diagnostics: &[Diagnostic], fixed: usize) -> Self {
        Self {
            problems: diagnostics.len(),
            fixable: diagnostics
                .iter()
                .filter(|d| d.fix.as_ref().is_some_and(|f| f.safe))
                .count(),
            fixed,
        }
    }
}

/// `file://` and the absolute path, percent-encoded.
fn file_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    format!("file://{}", percent_encode(&text))
}

/// Percent-encodes what a URI path may not hold as is (RFC 3986: unreserved characters and `/`
/// stay).
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
