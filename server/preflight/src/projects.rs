//! The projects the checked files belong to (root, configuration, Django version, production
//! settings), found from each file's path with the same core functions the language server
//! uses, so the CLI and the editor never disagree. Each project is loaded once.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use preflight_core::analysis::config_diagnostics;
use preflight_core::project::{Project, find_root};
use preflight_core::stack::SharedDeployment;
use preflight_core::{Diagnostic, DjangoVersion, Options};

use crate::loader::RUN_LOADER;
use crate::walk::Target;

/// Analysis options per checked file, and the problems of the configuration files involved.
pub struct Projects {
    options: HashMap<PathBuf, Options>,
    pub config_diagnostics: Vec<Diagnostic>,
}

impl Projects {
    /// Loads the project of every target. `django_version` (from the command line) overrides
    /// what the projects say.
    pub fn load(targets: &[Target], django_version: Option<DjangoVersion>) -> Self {
        let mut by_root: HashMap<PathBuf, Options> = HashMap::new();
        let mut options = HashMap::new();
        let mut config_problems = Vec::new();
        // a file's root depends only on its folder: look each folder up once, not each file
        // (on the 10,000-file tree of scripts/bench-tree.sh, 37,000 failed opens fewer)
        let mut root_of_folder: HashMap<PathBuf, PathBuf> = HashMap::new();
        for target in targets {
            let root = match target.path.parent() {
                Some(folder) => root_of_folder
                    .entry(folder.to_path_buf())
                    .or_insert_with(|| find_root(&target.path, &*RUN_LOADER))
                    .clone(),
                None => find_root(&target.path, &*RUN_LOADER),
            };
            let opts = by_root
                .entry(root)
                .or_insert_with_key(|root| {
                    let project = Arc::new(Project::load(root, &*RUN_LOADER));
                    config_problems.extend(config_diagnostics(&project));
                    let mut opts = Options::for_project(project);
                    // the project's deployment is built once, by the first file that needs it
                    opts.deployment = Some(Arc::new(SharedDeployment::default()));
                    if let Some(version) = django_version {
                        opts.django_version = version;
                    }
                    opts
                })
                .clone();
            options.insert(target.path.clone(), opts);
        }
        Self {
            options,
            config_diagnostics: config_problems,
        }
    }

    pub fn options(&self, target: &Target) -> &Options {
        self.options
            .get(&target.path)
            .expect("every target's project was loaded")
    }
}
