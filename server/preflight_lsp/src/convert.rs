//! Core <-> LSP conversions. The only module that turns core byte ranges into LSP positions (via
//! the core's [`LineIndex`]) and LSP types into core ones.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use preflight_core::diagnostic::{Diagnostic, Edit, Severity};
use preflight_core::rules::docs_url;
use preflight_core::source::SourceLoader;
use preflight_core::text::{Encoding, LineCol, LineIndex, TextRange};
use tower_lsp_server::ls_types::{
    self as lsp, CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity,
    InitializeParams, Location, NumberOrString, Position, PositionEncodingKind,
    TextDocumentContentChangeEvent, TextEdit, Uri,
};

use crate::document::Change;

/// The diagnostics' `source`.
pub const SOURCE: &str = "preflight";

/// utf-8 when the client offers it (columns are then byte offsets), else utf-16 (the default every
/// client supports). The spec requires picking one of the offers, so a client offering utf-32
/// but not utf-16 gets utf-32.
pub fn negotiate_encoding(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_deref())
        .unwrap_or_default();
    if offered.contains(&PositionEncodingKind::UTF8) {
        Encoding::Utf8
    } else if offered.contains(&PositionEncodingKind::UTF16) || offered.is_empty() {
        Encoding::Utf16
    } else if offered.contains(&PositionEncodingKind::UTF32) {
        Encoding::Utf32
    } else {
        Encoding::Utf16
    }
}

pub fn encoding_kind(encoding: Encoding) -> PositionEncodingKind {
    match encoding {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

pub fn line_col(position: Position) -> LineCol {
    LineCol {
        line: position.line,
        col: position.character,
    }
}

pub fn change(event: TextDocumentContentChangeEvent) -> Change {
    Change {
        range: event.range.map(|r| (line_col(r.start), line_col(r.end))),
        text: event.text,
    }
}

/// A text with its line index: what positions in one file are computed from.
#[derive(Clone)]
pub struct Lines {
    pub text: Arc<str>,
    pub index: Arc<LineIndex>,
}

impl Lines {
    pub fn new(text: Arc<str>) -> Self {
        let index = Arc::new(LineIndex::new(&text));
        Self { text, index }
    }

    pub fn position(&self, offset: usize, encoding: Encoding) -> Position {
        let lc = self.index.line_col(&self.text, offset, encoding);
        Position {
            line: lc.line,
            character: lc.col,
        }
    }

    pub fn range(&self, range: TextRange, encoding: Encoding) -> lsp::Range {
        lsp::Range {
            start: self.position(range.start, encoding),
            end: self.position(range.end, encoding),
        }
    }

    pub fn offset(&self, position: Position, encoding: Encoding) -> usize {
        self.index.offset(&self.text, line_col(position), encoding)
    }

    pub fn text_range(&self, range: lsp::Range, encoding: Encoding) -> TextRange {
        let start = self.offset(range.start, encoding);
        let end = self.offset(range.end, encoding);
        TextRange::new(start.min(end), start.max(end))
    }

    pub fn text_edit(&self, edit: &Edit, encoding: Encoding) -> TextEdit {
        TextEdit {
            range: self.range(edit.range, encoding),
            new_text: edit.new_text.clone(),
        }
    }
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// Lines of other files, for related information: read once per conversion, from the open
/// documents or the disk (through the loader).
pub struct OtherFiles<'a> {
    loader: &'a dyn SourceLoader,
    cache: HashMap<PathBuf, Option<Lines>>,
    /// Each rule's docs link, parsed once per conversion (a config may have thousands of
    /// findings of a few rules).
    docs: HashMap<&'static str, Option<Uri>>,
}

impl<'a> OtherFiles<'a> {
    pub fn new(loader: &'a dyn SourceLoader) -> Self {
        Self {
            loader,
            cache: HashMap::new(),
            docs: HashMap::new(),
        }
    }

    fn docs(&mut self, code: &'static str) -> Option<Uri> {
        self.docs
            .entry(code)
            .or_insert_with(|| docs_url(code).parse().ok())
            .clone()
    }

    fn lines(&mut self, path: &Path) -> Option<&Lines> {
        let loader = self.loader;
        self.cache
            .entry(path.to_path_buf())
            .or_insert_with(|| loader.read(path).map(Lines::new))
            .as_ref()
    }
}

/// Converts one core diagnostic of the file whose lines are `lines`.
pub fn diagnostic(
    d: &Diagnostic,
    lines: &Lines,
    encoding: Encoding,
    others: &mut OtherFiles<'_>,
) -> lsp::Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let (uri, range) = if r.path == d.path {
                (path_to_uri(&r.path)?, lines.range(r.range, encoding))
            } else {
                let other = others.lines(&r.path)?;
                (path_to_uri(&r.path)?, other.range(r.range, encoding))
            };
            Some(DiagnosticRelatedInformation {
                location: Location { uri, range },
                message: r.message.clone(),
            })
        })
        .collect();
    lsp::Diagnostic {
        range: lines.range(d.range, encoding),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_owned())),
        code_description: others.docs(d.code).map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

pub fn diagnostics(
    ds: &[Diagnostic],
    lines: &Lines,
    encoding: Encoding,
    loader: &dyn SourceLoader,
) -> Vec<lsp::Diagnostic> {
    let mut others = OtherFiles::new(loader);
    ds.iter()
        .map(|d| diagnostic(d, lines, encoding, &mut others))
        .collect()
}

/// The path a document is analysed under. `file:` URIs map to their path; other schemes
/// (`untitled:`) get their URI path, which still carries the file name rules look at.
pub fn uri_to_path(uri: &Uri) -> PathBuf {
    if uri.scheme().as_str().eq_ignore_ascii_case("file")
        && let Some(path) = uri.to_file_path()
    {
        return path.into_owned();
    }
    PathBuf::from(uri.path().as_str())
}

pub fn path_to_uri(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{ClientCapabilities, GeneralClientCapabilities};

    fn offered(kinds: &[PositionEncodingKind]) -> InitializeParams {
        InitializeParams {
            capabilities: ClientCapabilities {
                general: Some(GeneralClientCapabilities {
                    position_encodings: Some(kinds.to_vec()),
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn prefers_utf8_then_utf16() {
        use PositionEncodingKind as K;
        assert_eq!(
            negotiate_encoding(&offered(&[K::UTF16, K::UTF8, K::UTF32])),
            Encoding::Utf8
        );
        assert_eq!(
            negotiate_encoding(&offered(&[K::UTF32, K::UTF16])),
            Encoding::Utf16
        );
        assert_eq!(negotiate_encoding(&offered(&[K::UTF32])), Encoding::Utf32);
        assert_eq!(negotiate_encoding(&offered(&[])), Encoding::Utf16);
        assert_eq!(
            negotiate_encoding(&InitializeParams::default()),
            Encoding::Utf16
        );
    }

    #[test]
    fn ranges_after_emoji_in_each_encoding() {
        let lines = Lines::new(Arc::from("x = '😀' # DEBUG\r\nDEBUG = True\r\n"));
        let debug = lines.text.rfind("DEBUG").unwrap();
        let at = TextRange::new(debug, debug + 5);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let r = lines.range(at, enc);
            assert_eq!(
                (r.start.line, r.start.character, r.end.character),
                (1, 0, 5)
            );
        }
        let comment = lines.text.find("# D").unwrap();
        assert_eq!(
            lines.position(comment, Encoding::Utf8).character,
            comment as u32
        );
        assert_eq!(lines.position(comment, Encoding::Utf16).character, 9);
        assert_eq!(lines.position(comment, Encoding::Utf32).character, 8);
    }
}
