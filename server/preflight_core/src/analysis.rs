//! One file in, diagnostics out: parse, build the model, run the rules that apply to its kind.

use std::path::Path;

use tree_sitter::Tree;

use crate::diagnostic::{Diagnostic, Severity};
use crate::django_version::DjangoVersion;
use crate::python::{ModuleCache, ModuleModel, analyze_module};
use crate::rules::django;
use crate::source::SourceLoader;
use crate::suppression;
use crate::text::{LineIndex, TextRange};

/// Analysis options (filled from configuration by the CLI and the server alike).
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub django_version: DjangoVersion,
}

/// What a file is to Preflight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    DjangoSettings,
    OtherPython,
}

/// Settings a Django settings module is recognised by when its name does not say so.
const TELLTALE_SETTINGS: &[&str] = &[
    "INSTALLED_APPS",
    "MIDDLEWARE",
    "SECRET_KEY",
    "ROOT_URLCONF",
    "DATABASES",
    "ALLOWED_HOSTS",
    "WSGI_APPLICATION",
    "DEBUG",
    "TEMPLATES",
];

/// Whether a Python module is a Django settings module: named like one (`settings.py`, a module
/// of a `settings` package), or assigning at least two of Django's telltale settings.
pub fn classify_python(path: &Path, model: &ModuleModel) -> FileKind {
    let named = path.file_name().is_some_and(|n| n == "settings.py")
        || path
            .parent()
            .and_then(|p| p.file_name())
            .is_some_and(|n| n == "settings")
            && path
                .file_name()
                .is_some_and(|n| n != "__init__.py" || model.bindings.len() > 1);
    let own_telltales = TELLTALE_SETTINGS
        .iter()
        .filter(|name| model.get(name).is_some_and(|b| !b.is_imported()))
        .count();
    if (named && !model.bindings.is_empty()) || own_telltales >= 2 {
        FileKind::DjangoSettings
    } else {
        FileKind::OtherPython
    }
}

/// Analyses a Python file whose tree is already parsed.
pub fn analyze_python(
    path: &Path,
    text: &str,
    tree: &Tree,
    loader: &dyn SourceLoader,
    cache: &mut ModuleCache,
    options: &Options,
) -> (FileKind, Vec<Diagnostic>) {
    let model = analyze_module(path, text, tree, loader, cache);
    let kind = classify_python(path, &model);
    if let Some(range) = model.syntax_error {
        return (kind, vec![syntax_error(path, range, "Python")]);
    }
    let mut diagnostics = match kind {
        FileKind::DjangoSettings => django::check(&model, text, options),
        FileKind::OtherPython => Vec::new(),
    };
    let index = LineIndex::new(text);
    suppression::apply(
        &mut diagnostics,
        &suppression::collect(text, &index, &model.comments),
        &index,
    );
    (kind, diagnostics)
}

/// The `###000` diagnostic: the file does not parse.
pub fn syntax_error(path: &Path, range: TextRange, language: &str) -> Diagnostic {
    let code = match language {
        "Python" => "DJ000",
        _ => "NGX000",
    };
    Diagnostic {
        path: path.to_path_buf(),
        range,
        severity: Severity::Error,
        code,
        message: format!(
            "This file is not valid {language}: nothing else in it can be checked until it parses"
        ),
        references: Default::default(),
        related: Vec::new(),
        fix: None,
        alternatives: Vec::new(),
    }
}
