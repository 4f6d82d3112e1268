//! The projects of the open documents (root, configuration, Django version, production
//! settings), found from each document's own path exactly as the CLI finds them, so the two
//! never disagree. Works without workspace folders. Loaded once per root, dropped when files on
//! disk change.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use preflight_core::analysis::{Options, config_diagnostics};
use preflight_core::config::EditorSettings;
use preflight_core::text::Encoding;
use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::convert::{self, Lines, path_to_uri};
use preflight_core::project::{Project, find_root};
use preflight_core::source::SourceLoader;

#[derive(Default)]
pub struct Projects {
    by_root: Mutex<HashMap<PathBuf, Arc<Project>>>,
    /// The editor's rule settings, merged into each project's configuration.
    editor: Mutex<EditorSettings>,
}

impl Projects {
    /// The options for analysing the file at `path`, and the project when it was loaded just
    /// now (for the log). Files that are not on disk (unsaved buffers) get the defaults.
    pub fn options_for(
        &self,
        path: &Path,
        on_disk: bool,
        loader: &dyn SourceLoader,
    ) -> (Options, Option<Arc<Project>>) {
        if !on_disk || !path.is_absolute() {
            return (Options::default(), None);
        }
        let root = find_root(path, loader);
        if let Some(project) = self.lock().get(&root) {
            return (Options::for_project(project.clone()), None);
        }
        // loaded without the lock held: it reads files and walks the project (bounded)
        let mut project = Project::load(&root, loader);
        project.config = project.config.with_editor_settings(&self.editor_settings());
        let project = Arc::new(project);
        self.lock().insert(root, project.clone());
        (Options::for_project(project.clone()), Some(project))
    }

    /// The configuration files of the loaded projects, and where one could appear at their
    /// roots; and the folders of their deployment files (the root, the nginx and gunicorn
    /// configs' folders), whose change says a layer of the stack was added or removed.
    pub fn config_files(&self) -> Vec<PathBuf> {
        let mut files = Vec::new();
        for (root, project) in self.lock().iter() {
            files.push(root.join("preflight.toml"));
            files.push(root.join("pyproject.toml"));
            files.extend(project.config.path.clone());
            files.push(root.clone());
            for layer in project.nginx_files.iter().chain(&project.gunicorn) {
                if let Some(dir) = layer.parent()
                    && !files.iter().any(|f| f == dir)
                {
                    files.push(dir.to_path_buf());
                }
            }
        }
        files
    }

    /// Replaces the editor's rule settings and forgets the projects configured with the old ones.
    pub fn set_editor_settings(&self, settings: EditorSettings) {
        *self.editor.lock().unwrap_or_else(|e| e.into_inner()) = settings;
        self.clear();
    }

    fn editor_settings(&self) -> EditorSettings {
        self.editor
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Forgets every project (configuration or deployment files may have changed).
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Arc<Project>>> {
        self.by_root.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What to tell the client about a project loaded just now.
pub struct Loaded {
    /// One line for the log.
    pub log: String,
    /// The problems of its configuration file, as that file's diagnostics (an empty list
    /// clears earlier ones).
    pub config_diagnostics: Option<(Uri, Vec<lsp::Diagnostic>)>,
}

impl Loaded {
    pub fn new(project: &Project, loader: &dyn SourceLoader, encoding: Encoding) -> Self {
        let config_diagnostics = project.config.path.as_ref().and_then(|path| {
            let lines = Lines::new(loader.read(path)?);
            let problems = config_diagnostics(project);
            Some((
                path_to_uri(path)?,
                convert::diagnostics(&problems, &lines, encoding, loader),
            ))
        });
        Self {
            log: describe(project),
            config_diagnostics,
        }
    }
}

/// One line for the log: which configuration file a project uses, and what it decided.
pub fn describe(project: &Project) -> String {
    let config = match &project.config.path {
        Some(path) => format!("configuration {}", path.display()),
        None => "no configuration file (defaults)".to_owned(),
    };
    let production = if project.production.is_empty() {
        "production settings unknown (every settings module is checked)".to_owned()
    } else {
        let names: Vec<String> = project
            .production
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        format!("production settings {}", names.join(", "))
    };
    let problems = match project.config_problems.len() {
        0 => String::new(),
        n => format!("; {n} problem(s) in the configuration"),
    };
    // the other layers the stack rules compare with the settings
    let layers = |what: &str, files: &[std::path::PathBuf]| match files.len() {
        0 => String::new(),
        _ => {
            let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
            format!("; {what} {}", names.join(", "))
        }
    };
    format!(
        "preflight: project {}: {config}; Django {}; {production}{}{}{problems}",
        project.root.display(),
        project.django_version,
        layers("gunicorn", &project.gunicorn),
        layers("nginx", &project.nginx_files),
    )
}
