//! The open documents overlaid on the disk, for the analysis of imports: an import of a module
//! open in the editor sees the editor's text, not the saved file.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use preflight_core::source::{DiskLoader, SourceLoader};

pub struct OverlayLoader {
    open: HashMap<PathBuf, Arc<str>>,
    /// Every path the analysis asked for: the files its result depends on (found or not, so a
    /// module created later invalidates too).
    reads: Mutex<HashSet<PathBuf>>,
}

impl OverlayLoader {
    pub fn new(open: HashMap<PathBuf, Arc<str>>) -> Self {
        Self {
            open,
            reads: Mutex::new(HashSet::new()),
        }
    }

    /// The paths read since the last call.
    pub fn take_reads(&self) -> HashSet<PathBuf> {
        std::mem::take(&mut *self.reads.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl SourceLoader for OverlayLoader {
    fn read(&self, path: &Path) -> Option<Arc<str>> {
        self.reads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_path_buf());
        match self.open.get(path) {
            Some(text) => Some(text.clone()),
            None => DiskLoader.read(path),
        }
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir() || self.open.keys().any(|p| p.starts_with(path) && p != path)
    }

    fn list_dir(&self, dir: &Path) -> Vec<PathBuf> {
        self.reads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(dir.to_path_buf());
        let mut files = preflight_core::source::disk_files_in(dir);
        for open in self.open.keys() {
            if open.parent() == Some(dir) && !files.contains(open) {
                files.push(open.clone());
            }
        }
        files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_documents_shadow_the_disk_and_reads_are_recorded() {
        let path = PathBuf::from("/nonexistent-preflight/pkg/base.py");
        let loader = OverlayLoader::new(HashMap::from([(path.clone(), Arc::from("X = 1\n"))]));
        assert_eq!(loader.read(&path).as_deref(), Some("X = 1\n"));
        assert!(loader.is_dir(Path::new("/nonexistent-preflight/pkg")));
        assert_eq!(
            loader.read(Path::new("/nonexistent-preflight/other.py")),
            None
        );
        let reads = loader.take_reads();
        assert!(reads.contains(&path) && reads.len() == 2);
        assert!(loader.take_reads().is_empty());
    }
}
