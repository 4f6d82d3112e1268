//! Where file contents come from. The CLI reads the disk; the language server overlays its open
//! documents on the disk.

use std::path::Path;
use std::sync::Arc;

pub trait SourceLoader: Sync {
    /// The text of a file, or `None` if it does not exist or is not UTF-8 text.
    fn read(&self, path: &Path) -> Option<Arc<str>>;
    /// Whether a directory exists (to resolve packages).
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }
    /// The files directly in a folder (to expand nginx `include` globs), in no particular order.
    fn list_dir(&self, dir: &Path) -> Vec<std::path::PathBuf> {
        disk_files_in(dir)
    }
}

/// The files directly in a folder on disk (none when it cannot be read).
pub fn disk_files_in(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default()
}

/// Reads files from disk.
pub struct DiskLoader;

impl SourceLoader for DiskLoader {
    fn read(&self, path: &Path) -> Option<Arc<str>> {
        let bytes = std::fs::read(path).ok()?;
        String::from_utf8(bytes).ok().map(Arc::from)
    }
}

/// Files held in memory: tests, fuzzing, and any caller that has the texts already.
#[derive(Debug, Clone, Default)]
pub struct MemoryLoader {
    files: std::collections::HashMap<std::path::PathBuf, Arc<str>>,
}

impl MemoryLoader {
    /// Adds (or replaces) a file.
    pub fn with(mut self, path: impl Into<std::path::PathBuf>, text: &str) -> Self {
        self.insert(path, text);
        self
    }

    pub fn insert(&mut self, path: impl Into<std::path::PathBuf>, text: &str) {
        self.files.insert(path.into(), Arc::from(text));
    }

    /// A file's text; panics when it was never added (a test's own mistake).
    pub fn text(&self, path: impl AsRef<Path>) -> Arc<str> {
        let path = path.as_ref();
        self.files
            .get(path)
            .unwrap_or_else(|| panic!("{} is not in the MemoryLoader", path.display()))
            .clone()
    }
}

impl SourceLoader for MemoryLoader {
    fn read(&self, path: &Path) -> Option<Arc<str>> {
        self.files.get(path).cloned()
    }
    /// A folder exists when some file lies below it.
    fn is_dir(&self, path: &Path) -> bool {
        self.files.keys().any(|k| k.starts_with(path) && k != path)
    }
    fn list_dir(&self, dir: &Path) -> Vec<std::path::PathBuf> {
        self.files
            .keys()
            .filter(|k| k.parent() == Some(dir))
            .cloned()
            .collect()
    }
}
