//! Runs the core on a document snapshot. Called off the request path (on a blocking thread),
//! and never lets a panic of the core escape.

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use preflight_core::analysis::{
    FileKind, Options, analyze_python, analyze_timed_out, parse_and_analyze,
};
use preflight_core::diagnostic::Diagnostic;
use preflight_core::nginx::analyze_nginx;
use preflight_core::python::ModuleCache;
use preflight_core::source::SourceLoader;
use preflight_core::text::Encoding;
use tower_lsp_server::ls_types as lsp;

use crate::convert::{self, Lines};
use crate::document::{DocumentSnapshot, Language};
use crate::loader::OverlayLoader;

/// The result of analysing one version of a document.
pub struct Analysis {
    pub version: i32,
    pub lines: Lines,
    pub kind: Option<FileKind>,
    /// The core's diagnostics of this document (with their fixes).
    pub diagnostics: Vec<Diagnostic>,
    /// The same, converted in the negotiated encoding, as published.
    pub lsp: Vec<lsp::Diagnostic>,
    /// Other files the result depends on (imports, followed transitively).
    pub depends_on: HashSet<PathBuf>,
}

/// The core's diagnostics for a text at `path`. Only diagnostics located in this file are
/// kept: the others belong to (and are published with) their own file.
pub fn core_diagnostics(
    path: &Path,
    language: &Language,
    text: &str,
    tree: Option<&tree_sitter::Tree>,
    loader: &dyn SourceLoader,
    cache: &mut ModuleCache,
    options: &Options,
) -> (Option<FileKind>, Vec<Diagnostic>) {
    // a file the configuration declares nginx (`nginx = [...]`) is nginx whatever the editor says
    let declared = matches!(language, Language::Other(_))
        && options
            .project
            .as_ref()
            .is_some_and(|p| p.config.declares_nginx(path));
    let language = if declared { &Language::Nginx } else { language };
    let (kind, mut diagnostics) = match (tree, language) {
        (_, Language::Other(_)) => return (None, Vec::new()),
        (Some(tree), Language::Nginx) => (
            FileKind::Nginx,
            analyze_nginx(path, text, tree, loader, cache, options),
        ),
        (Some(tree), _) => analyze_python(path, text, tree, loader, cache, options),
        // a file read from disk (checklist candidates), a fix's result or a declared nginx
        // file (the editor's language has no tree) is parsed here
        (None, language) => parse_and_analyze(
            path,
            text,
            *language == Language::Nginx,
            loader,
            cache,
            options,
        ),
    };
    diagnostics.retain(|d| d.path == path);
    (Some(kind), diagnostics)
}

pub fn analyze(
    path: &Path,
    snapshot: &mut DocumentSnapshot,
    loader: &OverlayLoader,
    cache: &mut ModuleCache,
    options: &Options,
    encoding: Encoding,
) -> Analysis {
    loader.take_reads();
    snapshot.ensure_parsed();
    let (kind, diagnostics) = match snapshot.timed_out() {
        // its parse ran out of time: not parsed again until an edit
        Some(timeout) => {
            let (kind, diagnostics) =
                analyze_timed_out(path, snapshot.language == Language::Nginx, timeout, options);
            (Some(kind), diagnostics)
        }
        None => core_diagnostics(
            path,
            &snapshot.language,
            &snapshot.text,
            snapshot.tree(),
            loader,
            cache,
            options,
        ),
    };
    let mut depends_on = loader.take_reads();
    depends_on.remove(path);
    let lines = Lines::new(snapshot.text.clone());
    let lsp = convert::diagnostics(&diagnostics, &lines, encoding, loader);
    Analysis {
        version: snapshot.version,
        lines,
        kind,
        diagnostics,
        lsp,
        depends_on,
    }
}

/// Runs `f`, turning a panic into an error message. The module cache may be half-updated
/// after a panic, so it is reset.
pub fn guarded<T>(
    cache: &mut ModuleCache,
    f: impl FnOnce(&mut ModuleCache) -> T,
) -> Result<T, String> {
    match catch_unwind(AssertUnwindSafe(|| f(&mut *cache))) {
        Ok(value) => Ok(value),
        Err(payload) => {
            *cache = ModuleCache::for_editing();
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_the_server_goes_on() {
        let mut cache = ModuleCache::default();
        let result: Result<(), String> = guarded(&mut cache, |_| panic!("evaluator bug"));
        assert_eq!(result.unwrap_err(), "evaluator bug");
        assert_eq!(guarded(&mut cache, |_| 7), Ok(7));
    }
}
