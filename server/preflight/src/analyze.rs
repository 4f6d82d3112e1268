//! Runs the core on files read from disk, in parallel.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use preflight_core::analysis::parse_and_analyze;
use preflight_core::python::ModuleCache;
use preflight_core::{Diagnostic, FileKind, Options};
use rayon::prelude::*;

use crate::loader::RUN_LOADER;
use crate::projects::Projects;
use crate::walk::{Target, is_python};

/// Why a file was not analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    Binary,
    NotUtf8,
    Io(String),
    /// The analysis panicked: a bug in Preflight, reported rather than crashing the whole run.
    Crashed,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreadable::Binary => f.write_str("a binary file"),
            Unreadable::NotUtf8 => f.write_str("not UTF-8 text"),
            Unreadable::Io(e) => f.write_str(e),
            Unreadable::Crashed => {
                f.write_str("Preflight failed on this file (a bug: please report it)")
            }
        }
    }
}

/// A file that could not be analysed.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub target: Target,
    pub reason: Unreadable,
}

#[derive(Debug, Default)]
pub struct Outcome {
    /// Sorted by path and position, without duplicates.
    pub diagnostics: Vec<Diagnostic>,
    pub skipped: Vec<Skipped>,
    /// The analysed files that are Django settings modules, sorted.
    pub settings_modules: Vec<PathBuf>,
}

/// How much of a file is sniffed for NUL bytes, as git and ripgrep do, to call it binary.
const BINARY_SNIFF_LEN: usize = 8192;

/// Reads a file as UTF-8 text, telling binary files and other encodings apart.
pub fn read_text(path: &Path) -> Result<String, Unreadable> {
    let bytes = std::fs::read(path).map_err(|e| Unreadable::Io(e.to_string()))?;
    if bytes[..bytes.len().min(BINARY_SNIFF_LEN)].contains(&0) {
        return Err(Unreadable::Binary);
    }
    String::from_utf8(bytes).map_err(|_| Unreadable::NotUtf8)
}

/// Analyses one file's text. A fresh or shared module cache may be passed; it must not hold a
/// stale copy of a file that changed on disk.
pub fn analyze_text(
    path: &Path,
    text: &str,
    cache: &mut ModuleCache,
    options: &Options,
) -> Vec<Diagnostic> {
    analyze_file(path, text, cache, options).1
}

/// [`analyze_text`], also saying what the file is.
fn analyze_file(
    path: &Path,
    text: &str,
    cache: &mut ModuleCache,
    options: &Options,
) -> (FileKind, Vec<Diagnostic>) {
    // the walk admits Python modules and nginx configs only
    parse_and_analyze(path, text, !is_python(path), &*RUN_LOADER, cache, options)
}

/// Analyses every target in parallel, each with its project's options.
pub fn analyze_all(targets: &[Target], projects: &Projects) -> Outcome {
    let analyze_target = |cache: &mut ModuleCache, target: &Target| {
        let skipped = |reason| Skipped {
            target: target.clone(),
            reason,
        };
        let text = read_text(&target.path).map_err(skipped)?;
        let options = projects.options(target);
        catch_unwind(AssertUnwindSafe(|| {
            analyze_file(&target.path, &text, cache, options)
        }))
        .map_err(|_| {
            // the cache may hold a half-built module now
            *cache = ModuleCache::default();
            skipped(Unreadable::Crashed)
        })
    };
    // starting the thread pool costs more than one file's analysis
    let results: Vec<Result<(FileKind, Vec<Diagnostic>), Skipped>> = if targets.len() < 2 {
        let mut cache = ModuleCache::default();
        targets
            .iter()
            .map(|target| analyze_target(&mut cache, target))
            .collect()
    } else {
        targets
            .par_iter()
            .map_init(ModuleCache::default, analyze_target)
            .collect()
    };
    let mut outcome = Outcome {
        diagnostics: projects.config_diagnostics.clone(),
        ..Outcome::default()
    };
    for (target, result) in targets.iter().zip(results) {
        match result {
            Ok((kind, diagnostics)) => {
                if kind == FileKind::DjangoSettings {
                    outcome.settings_modules.push(target.path.clone());
                }
                outcome.diagnostics.extend(diagnostics);
            }
            Err(skipped) => outcome.skipped.push(skipped),
        }
    }
    outcome.settings_modules.sort();
    sort_and_dedup(&mut outcome.diagnostics);
    outcome
}

/// Two analysed modules may report the same finding (a production module reports what it
/// star-imports from base.py, and base.py is checked too): print it once.
pub fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.range.start, a.range.end, a.code, &a.message).cmp(&(
            &b.path,
            b.range.start,
            b.range.end,
            b.code,
            &b.message,
        ))
    });
    diagnostics.dedup_by(|a, b| {
        a.path == b.path && a.range == b.range && a.code == b.code && a.message == b.message
    });
}
