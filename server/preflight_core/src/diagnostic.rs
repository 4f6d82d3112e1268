//! What a rule produces: plain data with byte ranges. Conversion to lines and columns happens at
//! the edges (the CLI, the language server) through [`crate::text::LineIndex`].

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::text::TextRange;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }
    /// Findings at warning or above make `preflight check` exit 1.
    pub fn is_failure(self) -> bool {
        matches!(self, Severity::Error | Severity::Warning)
    }
}

/// One text replacement in the diagnostic's own file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub range: TextRange,
    pub new_text: String,
}

impl Edit {
    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Self {
            range: TextRange::empty(at),
            new_text: text.into(),
        }
    }
    pub fn replace(range: TextRange, text: impl Into<String>) -> Self {
        Self {
            range,
            new_text: text.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    /// Non-overlapping edits of the diagnostic's file.
    pub edits: Vec<Edit>,
    /// Safe fixes are applied by `preflight check --fix` and `source.fixAll`.
    pub safe: bool,
}

/// A place in another (or the same) file that explains a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub path: PathBuf,
    pub range: TextRange,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub range: TextRange,
    pub severity: Severity,
    /// The rule code, e.g. `DJ004`.
    pub code: &'static str,
    pub message: String,
    /// e.g. `{"django": "security.W004"}`.
    pub references: BTreeMap<&'static str, String>,
    pub related: Vec<Related>,
    /// The preferred fix (the one `--fix` and fix-all apply when it is safe).
    pub fix: Option<Fix>,
    /// Other fixes offered to the user (e.g. silencing the check instead).
    pub alternatives: Vec<Fix>,
}

/// Applies non-overlapping edits to a text (used by `--fix`, fix-all and tests).
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for e in sorted {
        let start = e.range.start.clamp(at, text.len());
        let end = e.range.end.clamp(start, text.len());
        out.push_str(&text[at..start]);
        out.push_str(&e.new_text);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}
