//! The project a file belongs to: its root, its configuration, its Django version and which
//! settings modules production uses. The CLI and the server build it the same way.

pub mod production;
pub mod version;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::config::{self, Config, ConfigProblem};
use crate::django_version::DjangoVersion;
use crate::python::resolve::{Resolution, resolve_module};
use crate::python::{ModuleCache, analyze_path};
use crate::source::SourceLoader;

/// Files whose folder is a project root, most telling first.
const ROOT_MARKERS: &[&str] = &["manage.py", ".git"];
const MAX_LEVELS: usize = 32;

/// Where the production settings were learned from (for hover, the checklist and messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProductionSource {
    /// `production = [...]` in the configuration.
    Config(PathBuf),
    /// A deployment file's `DJANGO_SETTINGS_MODULE`.
    Deployment(PathBuf),
    /// Conventional names (`production.py`, a lone `settings.py`).
    Name,
}

#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    pub config: Config,
    pub config_problems: Vec<ConfigProblem>,
    pub django_version: DjangoVersion,
    /// The file the Django version was read from (None: configured or the default).
    pub version_source: Option<PathBuf>,
    /// The settings modules production uses.
    pub production: Vec<PathBuf>,
    pub production_source: Option<ProductionSource>,
    /// The project's nginx files (a bounded walk; see `stack::discover`).
    pub nginx_files: Vec<PathBuf>,
    /// The project's gunicorn config files (see [`crate::gunicorn::detect`]), sorted.
    pub gunicorn: Vec<PathBuf>,
    /// The gunicorn command lines of its deployment files (their flags override the config).
    pub gunicorn_invocations: Vec<crate::gunicorn::Invocation>,
}

/// What a settings module is to the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Production uses it: every finding is reported.
    Production,
    /// Production imports it: its findings are reported through the production module.
    ImportedByProduction,
    /// Development or test settings: quiet by default.
    Development,
    /// A settings module whose use is unknown: checked.
    Other,
}

impl Role {
    /// Whether the rules report on this module itself.
    pub fn is_checked(self) -> bool {
        matches!(self, Role::Production | Role::Other)
    }
}

/// The root of the project `path` belongs to: the folder of its configuration file, else the
/// nearest folder with manage.py or .git, else the file's own folder.
pub fn find_root(path: &Path, loader: &dyn SourceLoader) -> PathBuf {
    if let Some(cfg) = config::find_config_file(path, loader)
        && let Some(dir) = cfg.parent()
    {
        return dir.to_path_buf();
    }
    let start = if loader.is_dir(path) {
        Some(path)
    } else {
        path.parent()
    };
    for marker in ROOT_MARKERS {
        let mut dir = start;
        for _ in 0..MAX_LEVELS {
            let Some(d) = dir else { break };
            if d.join(marker).exists() || loader.read(&d.join(marker)).is_some() {
                return d.to_path_buf();
            }
            dir = d.parent();
        }
    }
    start.map(Path::to_path_buf).unwrap_or_default()
}

impl Project {
    /// Reads a project: configuration, Django version, production settings.
    pub fn load(root: &Path, loader: &dyn SourceLoader) -> Project {
        let loaded = config::discover(root, loader);
        let config = loaded.config;
        let detected = version::detect(root, loader);
        let (django_version, version_source) = match (config.django_version, detected) {
            (Some(v), _) => (v, config.path.clone()),
            (None, Some((v, file))) => (v, Some(file)),
            (None, None) => (DjangoVersion::NEWEST, None),
        };
        let mut project = Project {
            root: root.to_path_buf(),
            config,
            config_problems: loaded.problems,
            django_version,
            version_source,
            production: Vec::new(),
            production_source: None,
            nginx_files: Vec::new(),
            gunicorn: Vec::new(),
            gunicorn_invocations: Vec::new(),
        };
        let survey = production::survey(&project.root);
        project.find_production(&survey, loader);
        project.gunicorn_invocations =
            crate::gunicorn::detect::project_invocations(&project.root, &survey, loader);
        project.gunicorn = crate::gunicorn::detect::project_configs(
            &project.config,
            &survey,
            &project.gunicorn_invocations,
            loader,
        );
        project.nginx_files = crate::stack::discover::nginx_files(root, &project.config);
        project
    }

    /// Whether the file at `path` is one of the project's gunicorn configs: named by a
    /// deployment file's `-c`, declared in the configuration, or named like one (a loose name
    /// only when it sets a setting).
    pub fn is_gunicorn_config(&self, path: &Path) -> bool {
        self.config.declares_gunicorn(path) || self.gunicorn.iter().any(|p| p == path)
    }

    /// The command lines that start gunicorn with the config at `path`: those naming it with
    /// `-c`, and those naming no config when it is gunicorn's default `gunicorn.conf.py`.
    pub fn gunicorn_invocations_of(&self, path: &Path) -> Vec<&crate::gunicorn::Invocation> {
        let default_name = path.file_name().is_some_and(|n| n == "gunicorn.conf.py");
        self.gunicorn_invocations
            .iter()
            .filter(|i| match &i.config {
                Some(config) => config == path,
                None => i.command.config.is_none() && default_name,
            })
            .collect()
    }

    fn find_production(&mut self, survey: &production::Survey, loader: &dyn SourceLoader) {
        if !self.config.production.is_empty() {
            let base = self.config.base_dir().unwrap_or(&self.root).to_path_buf();
            self.production = self
                .config
                .production
                .iter()
                .filter_map(|m| resolve_configured(&base, m, loader))
                .collect();
            self.production_source = self.config.path.clone().map(ProductionSource::Config);
            return;
        }
        let named = production::named_by_deployment(&self.root, &survey.deployment_files, loader);
        if let Some(first) = named.first() {
            self.production_source = Some(ProductionSource::Deployment(first.source.clone()));
            self.production = named.into_iter().map(|n| n.path).collect();
            return;
        }
        let by_name: Vec<PathBuf> =
            if survey.production_named.is_empty() && survey.settings_py.len() == 1 {
                survey.settings_py.clone()
            } else {
                survey.production_named.clone()
            };
        if !by_name.is_empty() {
            self.production = by_name;
            self.production_source = Some(ProductionSource::Name);
        }
    }

    /// The role of a settings module.
    pub fn role(&self, path: &Path, cache: &mut ModuleCache, loader: &dyn SourceLoader) -> Role {
        if self.production.iter().any(|p| p == path) {
            return Role::Production;
        }
        if production::is_development_name(path) || self.is_configured_development(path, loader) {
            return Role::Development;
        }
        if self.imported_by_production(cache, loader).contains(path) {
            return Role::ImportedByProduction;
        }
        Role::Other
    }

    fn is_configured_development(&self, path: &Path, loader: &dyn SourceLoader) -> bool {
        let base = self.config.base_dir().unwrap_or(&self.root);
        self.config
            .development
            .iter()
            .filter_map(|m| resolve_configured(base, m, loader))
            .any(|p| p == path)
    }

    /// Every project module the production settings import, directly or through others.
    pub fn imported_by_production(
        &self,
        cache: &mut ModuleCache,
        loader: &dyn SourceLoader,
    ) -> HashSet<PathBuf> {
        let mut seen: HashSet<PathBuf> = HashSet::new();
        let mut stack: Vec<PathBuf> = self.production.clone();
        while let Some(path) = stack.pop() {
            let Some(model) = analyze_path(&path, loader, cache) else {
                continue;
            };
            for import in &model.imports {
                if seen.insert(import.path.clone()) {
                    stack.push(import.path.clone());
                }
            }
        }
        for p in &self.production {
            seen.remove(p);
        }
        seen
    }
}

/// A configured module: a path relative to the configuration (`mysite/settings/prod.py`) or a
/// dotted module name (`mysite.settings.prod`).
fn resolve_configured(base: &Path, module: &str, loader: &dyn SourceLoader) -> Option<PathBuf> {
    if module.ends_with(".py") || module.contains('/') {
        let p = base.join(module);
        return loader.read(&p).is_some().then_some(p);
    }
    match resolve_module(&base.join("__preflight__.py"), module, loader) {
        Resolution::File(p) => Some(p),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::DiskLoader;

    fn write(root: &Path, files: &[(&str, &str)]) {
        for (rel, text) in files {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
    }

    fn temp_project(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let root =
            std::env::temp_dir().join(format!("preflight-project-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        write(&root, files);
        root
    }

    const SPLIT: &[(&str, &str)] = &[
        (
            "manage.py",
            "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings.dev')\n",
        ),
        ("mysite/__init__.py", ""),
        (
            "mysite/wsgi.py",
            "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings.production')\n",
        ),
        ("mysite/settings/__init__.py", ""),
        ("mysite/settings/base.py", "DEBUG = False\n"),
        ("mysite/settings/common.py", "from .base import *\n"),
        ("mysite/settings/production.py", "from .common import *\n"),
        (
            "mysite/settings/dev.py",
            "from .base import *\nDEBUG = True\n",
        ),
        ("mysite/settings/staging.py", "DEBUG = False\n"),
        ("requirements.txt", "Django>=5.0,<6.0\n"),
    ];

    #[test]
    fn finds_production_through_wsgi_and_gives_each_module_its_role() {
        let root = temp_project("split", SPLIT);
        let project = Project::load(&root, &DiskLoader);
        assert_eq!(project.root, root);
        let settings = root.join("mysite/settings");
        assert_eq!(project.production, vec![settings.join("production.py")]);
        assert_eq!(
            project.production_source,
            Some(ProductionSource::Deployment(root.join("mysite/wsgi.py")))
        );
        assert_eq!(project.django_version, DjangoVersion::V5_2);
        let mut cache = ModuleCache::default();
        let role = |name: &str, cache: &mut ModuleCache| {
            project.role(&settings.join(name), cache, &DiskLoader)
        };
        assert_eq!(role("production.py", &mut cache), Role::Production);
        assert_eq!(role("base.py", &mut cache), Role::ImportedByProduction);
        assert_eq!(role("common.py", &mut cache), Role::ImportedByProduction);
        assert_eq!(role("dev.py", &mut cache), Role::Development);
        assert_eq!(role("staging.py", &mut cache), Role::Other);
        assert_eq!(find_root(&settings.join("base.py"), &DiskLoader), root);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn configuration_names_production_and_the_version() {
        let mut files = SPLIT.to_vec();
        files.push(("pyproject.toml", "[tool.preflight]\nproduction = [\"mysite.settings.staging\"]\ndjango-version = \"4.2\"\n"));
        let root = temp_project("configured", &files);
        let project = Project::load(&root, &DiskLoader);
        assert_eq!(
            project.production,
            vec![root.join("mysite/settings/staging.py")]
        );
        assert_eq!(project.django_version, DjangoVersion::V4_2);
        assert!(matches!(
            project.production_source,
            Some(ProductionSource::Config(_))
        ));
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn without_deployment_files_names_decide() {
        let root = temp_project(
            "named",
            &[
                ("app/settings.py", "DEBUG = False\n"),
                ("app/__init__.py", ""),
            ],
        );
        let project = Project::load(&root, &DiskLoader);
        assert_eq!(project.production, vec![root.join("app/settings.py")]);
        assert_eq!(project.production_source, Some(ProductionSource::Name));
        assert_eq!(project.django_version, DjangoVersion::NEWEST);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn gunicorn_configs_by_name_command_line_and_configuration() {
        let root = temp_project(
            "gunicorn",
            &[
                ("manage.py", ""),
                (
                    "Procfile",
                    "web: gunicorn -c deploy/web_settings.py mysite.wsgi\nworker: gunicorn -c python:mysite.gconf mysite.wsgi\n",
                ),
                ("mysite/__init__.py", ""),
                ("mysite/gconf.py", "workers = 2\n"),
                (
                    "scripts/start.sh",
                    "exec gunicorn --config=/app/ops/workers.py mysite.wsgi\n",
                ),
                ("deploy/web_settings.py", "workers = 2\n"),
                ("ops/workers.py", "bind = 'unix:/run/x.sock'\n"),
                ("gunicorn.conf.py", ""),
                ("conf/gunicorn_prod.py", "timeout = 60\n"),
                (
                    "app/gunicorn.py",
                    "import gunicorn\nVERSION = gunicorn.__version__\n",
                ),
                ("app/extra.py", "x = 1\n"),
                ("preflight.toml", "gunicorn = [\"app/extra.py\"]\n"),
            ],
        );
        let project = Project::load(&root, &DiskLoader);
        let found: Vec<String> = project
            .gunicorn
            .iter()
            .map(|p| {
                p.strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(
            found,
            [
                "app/extra.py",
                "conf/gunicorn_prod.py",
                "deploy/web_settings.py",
                "gunicorn.conf.py",
                "mysite/gconf.py",
                "ops/workers.py"
            ]
        );
        assert!(project.is_gunicorn_config(&root.join("deploy/web_settings.py")));
        assert!(
            !project.is_gunicorn_config(&root.join("app/gunicorn.py")),
            "an app module named gunicorn.py"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
