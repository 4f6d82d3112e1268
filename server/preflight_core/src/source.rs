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
}

/// Reads files from disk.
pub struct DiskLoader;

impl SourceLoader for DiskLoader {
    fn read(&self, path: &Path) -> Option<Arc<str>> {
        let bytes = std::fs::read(path).ok()?;
        String::from_utf8(bytes).ok().map(Arc::from)
    }
}
