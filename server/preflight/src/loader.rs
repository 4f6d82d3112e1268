//! The CLI's view of the disk. One run reads one snapshot of the files, so a path found missing
//! is not looked for again: resolving imports and finding configuration files probe the same
//! absent `__init__.py`, `django/` and `pyproject.toml` from every module of a project (on the
//! 10,000-file tree of scripts/bench-tree.sh, 148,000 failed opens before, see BENCHMARKS.md).
//! `--fix` only rewrites files that exist, so what was missing stays missing.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use preflight_core::source::{DiskLoader, SourceLoader};

/// The loader every analysis of this run reads through.
pub static RUN_LOADER: LazyLock<RunLoader> = LazyLock::new(RunLoader::default);

#[derive(Default)]
pub struct RunLoader {
    /// Paths that do not exist or are not UTF-8 text.
    unreadable: Mutex<HashSet<PathBuf>>,
    is_dir: Mutex<HashMap<PathBuf, bool>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl SourceLoader for RunLoader {
    fn read(&self, path: &Path) -> Option<Arc<str>> {
        if lock(&self.unreadable).contains(path) {
            return None;
        }
        let text = DiskLoader.read(path);
        if text.is_none() {
            lock(&self.unreadable).insert(path.to_path_buf());
        }
        text
    }

    fn is_dir(&self, path: &Path) -> bool {
        if let Some(&known) = lock(&self.is_dir).get(path) {
            return known;
        }
        let is_dir = DiskLoader.is_dir(path);
        lock(&self.is_dir).insert(path.to_path_buf(), is_dir);
        is_dir
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_looked_for_once_and_a_present_one_each_time() {
        let dir = tempfile::tempdir().unwrap();
        let present = dir.path().join("a.py");
        let missing = dir.path().join("b.py");
        std::fs::write(&present, "X = 1\n").unwrap();
        let loader = RunLoader::default();
        assert_eq!(loader.read(&present).as_deref(), Some("X = 1\n"));
        assert_eq!(loader.read(&missing), None);
        // a file that appears later in the run stays missing; a present one is read again
        std::fs::write(&missing, "Y = 2\n").unwrap();
        std::fs::write(&present, "X = 3\n").unwrap();
        assert_eq!(loader.read(&missing), None);
        assert_eq!(loader.read(&present).as_deref(), Some("X = 3\n"));
        assert!(loader.is_dir(dir.path()));
        assert!(!loader.is_dir(&present));
    }
}
