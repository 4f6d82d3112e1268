//! The stack: one project's deployment seen whole. A [`Deployment`] groups the production
//! settings module(s) (evaluated through the module cache, so split settings work), the
//! project's nginx files (each built with its includes and main config, as `preflight check`
//! sees it) and its gunicorn config, so that `rules::stack` can check that the layers agree.
//!
//! Every file is read through the [`SourceLoader`]: in the language server the files a
//! deployment reads become the analysed document's dependencies, so an edit of one layer
//! re-checks the open files of the others.

pub mod discover;
pub mod hosts;
pub mod settings;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::django_version::DjangoVersion;
use crate::gunicorn::GunicornConfig;
use crate::nginx::{Config, build_for};
use crate::project::Project;
use crate::python::{ModuleCache, ModuleModel, analyze_path};
use crate::source::SourceLoader;
use crate::syntax::{nginx_parser, parse_nginx};

/// How many nginx files of a project are built for the stack at most (each with its includes).
pub const MAX_NGINX_FILES: usize = 64;

/// A production settings module.
#[derive(Debug, Clone)]
pub struct SettingsLayer {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub model: Arc<ModuleModel>,
    pub version: DjangoVersion,
}

/// An nginx file of the project, built as it is checked.
#[derive(Debug, Clone)]
pub struct NginxLayer {
    pub path: PathBuf,
    pub config: Arc<Config>,
}

/// A gunicorn config of the project.
#[derive(Debug, Clone)]
pub struct GunicornLayer {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub config: GunicornConfig,
}

/// One project's deployment: its production settings, nginx files and gunicorn config.
#[derive(Debug, Clone, Default)]
pub struct Deployment {
    pub root: PathBuf,
    pub settings: Vec<SettingsLayer>,
    pub nginx: Vec<NginxLayer>,
    pub gunicorn: Vec<GunicornLayer>,
}

/// A layer the caller has built already (the analysed file): used instead of building it again.
#[derive(Clone, Copy)]
pub enum Known<'a> {
    None,
    Settings(&'a Path, &'a Arc<ModuleModel>, &'a Arc<str>),
    Nginx(&'a Path, &'a Arc<Config>),
    Gunicorn(&'a Path, &'a Arc<ModuleModel>, &'a Arc<str>),
}

impl Deployment {
    /// Reads the deployment of `project` through `loader`.
    pub fn build(
        project: &Project,
        loader: &dyn SourceLoader,
        cache: &mut ModuleCache,
        known: Known<'_>,
    ) -> Deployment {
        cache.set_env_helpers(&project.config.env_helpers);
        let mut settings = Vec::new();
        for path in &project.production {
            if let Known::Settings(p, model, text) = &known
                && *p == path.as_path()
            {
                settings.push(SettingsLayer {
                    path: path.clone(),
                    text: Arc::clone(text),
                    model: Arc::clone(model),
                    version: project.django_version,
                });
                continue;
            }
            let Some(text) = loader.read(path) else {
                continue;
            };
            let Some(model) = analyze_path(path, loader, cache) else {
                continue;
            };
            if model.syntax_error.is_some() {
                continue;
            }
            settings.push(SettingsLayer {
                path: path.clone(),
                text,
                model,
                version: project.django_version,
            });
        }
        let mut nginx = Vec::new();
        let mut paths: Vec<&Path> = project.nginx_files.iter().map(PathBuf::as_path).collect();
        if let Known::Nginx(p, _) = &known
            && !paths.contains(p)
        {
            paths.push(p);
        }
        for path in paths.into_iter().take(MAX_NGINX_FILES) {
            if let Known::Nginx(p, config) = &known
                && *p == path
            {
                nginx.push(NginxLayer {
                    path: path.to_path_buf(),
                    config: Arc::clone(config),
                });
                continue;
            }
            let Some(text) = loader.read(path) else {
                continue;
            };
            // a file that does not parse (or not in time) is reported as NGX000 and tells
            // nothing reliable
            let Ok(tree) = parse_nginx(&mut nginx_parser(), &text, None) else {
                continue;
            };
            if tree.root_node().has_error() {
                continue;
            }
            let config = build_for(path, &text, &tree, loader, Some(&project.root), None);
            nginx.push(NginxLayer {
                path: path.to_path_buf(),
                config: Arc::new(config),
            });
        }
        let mut gunicorn = Vec::new();
        for path in &project.gunicorn {
            let (text, model) = match &known {
                Known::Gunicorn(p, model, text) if *p == path.as_path() => {
                    (Arc::clone(text), Arc::clone(model))
                }
                _ => {
                    let Some(text) = loader.read(path) else {
                        continue;
                    };
                    let Some(model) = analyze_path(path, loader, cache) else {
                        continue;
                    };
                    (text, model)
                }
            };
            if model.syntax_error.is_some() {
                continue;
            }
            gunicorn.push(GunicornLayer {
                path: path.clone(),
                text,
                config: GunicornConfig::in_project(model, project),
            });
        }
        gunicorn.extend(command_line_layers(project));
        Deployment {
            root: project.root.clone(),
            settings,
            nginx,
            gunicorn,
        }
    }

    /// This deployment with the analysed file's layer as the caller built it (a shared
    /// deployment may hold an older text of that file, e.g. while `--fix` edits it).
    pub fn with_known(&self, known: Known<'_>) -> Deployment {
        let mut out = self.clone();
        match known {
            Known::None => {}
            Known::Settings(path, model, text) => {
                for layer in out.settings.iter_mut().filter(|l| l.path == path) {
                    layer.model = Arc::clone(model);
                    layer.text = Arc::clone(text);
                }
            }
            Known::Nginx(path, config) => {
                for layer in out.nginx.iter_mut().filter(|l| l.path == path) {
                    layer.config = Arc::clone(config);
                }
            }
            Known::Gunicorn(path, model, text) => {
                for layer in out.gunicorn.iter_mut().filter(|l| l.path == path) {
                    layer.config = layer.config.with_module(Arc::clone(model));
                    layer.text = Arc::clone(text);
                }
            }
        }
        out
    }

    /// Whether two layers exist to compare.
    pub fn has_layers(&self) -> bool {
        [
            !self.settings.is_empty(),
            !self.nginx.is_empty(),
            !self.gunicorn.is_empty(),
        ]
        .iter()
        .filter(|&&b| b)
        .count()
            >= 2
    }
}

/// gunicorn processes that deployment files start without a config file (`gunicorn -b
/// 127.0.0.1:8000 mysite.wsgi` in a Dockerfile) when the project has no `gunicorn.conf.py` that
/// gunicorn would load by default: their layer is the command line (findings that belong in it
/// are not reported, since Preflight does not edit those files; it is related information for
/// the others).
fn command_line_layers(project: &Project) -> Vec<GunicornLayer> {
    let default_config = project
        .gunicorn
        .iter()
        .any(|p| p.file_name().is_some_and(|n| n == "gunicorn.conf.py"));
    if default_config {
        return Vec::new();
    }
    project
        .gunicorn_invocations
        .iter()
        .filter(|i| i.command.config.is_none())
        .map(|i| GunicornLayer {
            path: i.source.clone(),
            text: Arc::from(""),
            config: GunicornConfig::command_line_only(i.clone()),
        })
        .collect()
}

/// A deployment computed once and shared by every file of a project (the CLI builds each
/// project's deployment once, not once per file).
#[derive(Debug, Default)]
pub struct SharedDeployment(OnceLock<Arc<Deployment>>);

impl SharedDeployment {
    /// The deployment, built now by the first caller from its module cache and the layer it has
    /// just built (`known`), so that the file being analysed and the modules it imports are not
    /// parsed and evaluated a second time. The CLI reads every file once, so that layer is
    /// what the deployment would have read.
    pub fn get_or_build(
        &self,
        project: &Project,
        loader: &dyn SourceLoader,
        cache: &mut ModuleCache,
        known: &Known<'_>,
    ) -> Arc<Deployment> {
        self.0
            .get_or_init(|| Arc::new(Deployment::build(project, loader, cache, *known)))
            .clone()
    }
}
