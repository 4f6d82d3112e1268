//! The server's state: the open documents, what was negotiated at initialize, the last analysis
//! of each document and which documents depend on which files. Lives behind a
//! `std::sync::Mutex`; every method is synchronous and quick (no analysis happens here).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use preflight_core::text::Encoding;
use tower_lsp_server::ls_types::Uri;

use crate::analysis::Analysis;
use crate::convert::uri_to_path;
use crate::document::{Change, Document, DocumentSnapshot, Language};

pub struct Session {
    pub encoding: Encoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`) instead of receiving pushes.
    pub pull_diagnostics: bool,
    /// The client accepts `workspace/diagnostic/refresh`.
    pub refresh_support: bool,
    /// The client accepts versioned edits (`workspace.workspaceEdit.documentChanges`): code
    /// actions then say which version of the document their edits are for.
    pub versioned_edits: bool,
    /// The client lets the server register file watchers.
    pub watch_files: bool,
    /// The workspace folders (possibly none: a single file opened on its own).
    pub roots: Vec<PathBuf>,
    documents: HashMap<Uri, OpenDocument>,
}

struct OpenDocument {
    path: PathBuf,
    document: Document,
    analysis: Option<Arc<Analysis>>,
    /// Bumped each time an analysis is scheduled: only the latest one may publish (several
    /// can be scheduled for one version, when files it imports change).
    generation: u64,
}

/// What an analysis of one document needs, taken under the lock and used without it.
pub struct Job {
    pub uri: Uri,
    pub generation: u64,
    pub path: PathBuf,
    pub snapshot: DocumentSnapshot,
    /// The text of every open document, overlaid on the disk.
    pub overlay: HashMap<PathBuf, Arc<str>>,
    /// A file on disk (`file:` URI): it belongs to a project.
    pub on_disk: bool,
    pub encoding: Encoding,
}

impl Default for Session {
    fn default() -> Self {
        Self {
            encoding: Encoding::Utf16,
            pull_diagnostics: false,
            refresh_support: false,
            versioned_edits: false,
            watch_files: false,
            roots: Vec::new(),
            documents: HashMap::new(),
        }
    }
}

impl Session {
    pub fn open(&mut self, uri: Uri, language_id: &str, version: i32, text: &str) {
        let path = uri_to_path(&uri);
        let document = Document::new(Language::detect(language_id, &path, text), version, text);
        let open = OpenDocument {
            path,
            document,
            analysis: None,
            generation: 0,
        };
        self.documents.insert(uri, open);
    }

    /// Applies one `didChange`. Returns false for a document that is not open.
    pub fn change(&mut self, uri: &Uri, version: i32, changes: Vec<Change>) -> bool {
        let encoding = self.encoding;
        match self.documents.get_mut(uri) {
            Some(open) => {
                open.document.apply_changes(version, changes, encoding);
                true
            }
            None => false,
        }
    }

    pub fn close(&mut self, uri: &Uri) -> Option<PathBuf> {
        self.documents.remove(uri).map(|open| open.path)
    }

    pub fn is_open(&self, uri: &Uri) -> bool {
        self.documents.contains_key(uri)
    }

    pub fn path(&self, uri: &Uri) -> Option<PathBuf> {
        self.documents.get(uri).map(|open| open.path.clone())
    }

    /// Whether any document is open.
    pub fn has_documents(&self) -> bool {
        !self.documents.is_empty()
    }

    pub fn uris(&self) -> Vec<Uri> {
        self.documents.keys().cloned().collect()
    }

    /// Whether `job` is still the latest scheduled for its document.
    pub fn is_latest(&self, job: &Job) -> bool {
        self.documents
            .get(&job.uri)
            .is_some_and(|open| open.generation == job.generation)
    }

    /// A new analysis of the document as it is now, superseding the ones scheduled before.
    pub fn schedule(&mut self, uri: &Uri) -> Option<Job> {
        self.documents.get_mut(uri)?.generation += 1;
        self.job(uri)
    }

    /// The document as it is now, for an on-demand analysis (code actions, pull diagnostics).
    pub fn job(&self, uri: &Uri) -> Option<Job> {
        let open = self.documents.get(uri)?;
        Some(Job {
            uri: uri.clone(),
            generation: open.generation,
            path: open.path.clone(),
            snapshot: open.document.snapshot(),
            overlay: self.overlay(),
            on_disk: uri.scheme().as_str().eq_ignore_ascii_case("file"),
            encoding: self.encoding,
        })
    }

    /// The paths of the open documents, sorted.
    pub fn paths(&self) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = self.documents.values().map(|o| o.path.clone()).collect();
        paths.sort();
        paths
    }

    /// The text of every open document, by path.
    pub fn overlay(&self) -> HashMap<PathBuf, Arc<str>> {
        self.documents
            .values()
            .map(|open| (open.path.clone(), open.document.text().clone()))
            .collect()
    }

    /// The analysis of the document's current version, if there is one.
    pub fn current_analysis(&self, uri: &Uri) -> Option<Arc<Analysis>> {
        let open = self.documents.get(uri)?;
        open.analysis
            .clone()
            .filter(|a| a.version == open.document.version())
    }

    /// Keeps the analysis of `job` if the job is still the latest for its document (else a
    /// newer analysis is on its way and this one is dropped). Returns whether it was kept.
    /// The document keeps the job's parse in any case if its text is still the job's.
    pub fn store(&mut self, job: &Job, analysis: Arc<Analysis>) -> bool {
        let Some(open) = self.documents.get_mut(&job.uri) else {
            return false;
        };
        open.document.adopt(&job.snapshot);
        let kept = open.generation == job.generation && open.document.version() == analysis.version;
        if kept {
            open.analysis = Some(analysis);
        }
        kept
    }

    /// The files on disk that the open documents' results depend on (not the open ones: their
    /// text comes from the editor).
    pub fn files_read(&self) -> HashSet<PathBuf> {
        let open: HashSet<&PathBuf> = self.documents.values().map(|o| &o.path).collect();
        self.documents
            .values()
            .filter_map(|o| o.analysis.as_ref())
            .flat_map(|a| a.depends_on.iter())
            .filter(|p| !open.contains(p))
            .cloned()
            .collect()
    }

    /// Open documents (other than `uri`) whose last analysis read the file at `path`.
    pub fn dependents(&self, path: &std::path::Path) -> Vec<Uri> {
        self.documents
            .iter()
            .filter(|(_, open)| open.path != path)
            .filter(|(_, open)| {
                open.analysis
                    .as_ref()
                    .is_some_and(|a| a.depends_on.contains(path))
            })
            .map(|(uri, _)| uri.clone())
            .collect()
    }
}
