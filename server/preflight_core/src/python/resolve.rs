//! Resolves an import's module name to a file of the workspace, without running Python: relative
//! imports from the importer's package, absolute ones from the importer's ancestor folders (the
//! project root is one of them).

use std::path::{Path, PathBuf};

use crate::source::SourceLoader;

/// How far up from the importer an absolute import's top package is looked for.
const MAX_ANCESTORS: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// A module of the workspace.
    File(PathBuf),
    /// Not part of the workspace (the standard library, an installed package): not analysed.
    External,
    /// A relative import, or a module of one of the project's own packages, that does not exist:
    /// Python would raise ImportError.
    Missing,
}

/// Resolves `module` (dotted, with leading dots for a relative import) imported by `importer`.
pub fn resolve_module(importer: &Path, module: &str, loader: &dyn SourceLoader) -> Resolution {
    let level = module.chars().take_while(|&c| c == '.').count();
    let rest: Vec<&str> = module[level..]
        .split('.')
        .filter(|s| !s.is_empty())
        .collect();
    if level > 0 {
        let mut base = importer.parent().map(Path::to_path_buf).unwrap_or_default();
        for _ in 1..level {
            match base.parent() {
                Some(p) => base = p.to_path_buf(),
                None => return Resolution::Missing,
            }
        }
        return match module_file(&base, &rest, loader) {
            Some(p) => Resolution::File(p),
            None => Resolution::Missing,
        };
    }
    let Some(top) = rest.first() else {
        return Resolution::External;
    };
    let mut dir = importer.parent();
    for _ in 0..MAX_ANCESTORS {
        let Some(d) = dir else { break };
        if let Some(p) = module_file(d, &rest, loader) {
            return Resolution::File(p);
        }
        // the top package is the project's own, but the module is not in it
        if loader.is_dir(&d.join(top)) && loader.read(&d.join(top).join("__init__.py")).is_some() {
            return Resolution::Missing;
        }
        dir = d.parent();
    }
    Resolution::External
}

/// `base/a/b.py` or `base/a/b/__init__.py` (for an empty path: `base/__init__.py`).
fn module_file(base: &Path, parts: &[&str], loader: &dyn SourceLoader) -> Option<PathBuf> {
    let mut dir = base.to_path_buf();
    if let Some((last, init)) = parts.split_last() {
        for p in init {
            dir.push(p);
        }
        let file = dir.join(format!("{last}.py"));
        if loader.read(&file).is_some() {
            return Some(file);
        }
        dir.push(last);
    }
    let init = dir.join("__init__.py");
    loader.read(&init).is_some().then_some(init)
}
