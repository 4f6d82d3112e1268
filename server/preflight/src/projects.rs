//! The projects the checked files belong to (root, configuration, Django version, production
//! settings), found from each file's path with the same core functions the language server
//! uses, so the CLI and the editor never disagree. Each project is loaded once.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use preflight_core::analysis::config_diagnostics;
use preflight_core::project::{Project, find_root};
use preflight_core::source::DiskLoader;
use preflight_core::stack::SharedDeployment;
use preflight_core::{Diagnostic, DjangoVersion, Options};

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
        for target in targets {
            let root = find_root(&target.path, &DiskLoader);
            let opts = by_root
                .entry(root)
                .or_insert_with_key(|root| {
                    let project = Arc::new(Project::load(root, &DiskLoader));
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
