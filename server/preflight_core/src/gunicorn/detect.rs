//! Which Python files are gunicorn configs: by name (`gunicorn.conf.py`, `gunicorn_config.py`,
//! `conf/gunicorn*.py`, ...), named with `-c`/`--config` on a gunicorn command line in the
//! project's deployment files, or declared with `gunicorn = [...]` in the configuration.
//! A loose name (`gunicorn.py` could be a module of an app) must also set a setting or a hook.

use std::path::{Path, PathBuf};

use super::command_line::{Invocation, command_lines};
use super::settings;
use crate::config::Config;
use crate::project::production::Survey;
use crate::python::resolve::{Resolution, resolve_module};
use crate::python::{ModuleCache, ModuleModel, analyze_path};
use crate::source::SourceLoader;

/// How much a file's name says it is a gunicorn config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameMatch {
    /// The names gunicorn's documentation and projects use for nothing else:
    /// `gunicorn.conf.py`, `gunicorn_config.py`, `gunicorn_conf.py`, `gunicorn.config.py`,
    /// `gunicorn_cfg.py`.
    Strong,
    /// `gunicorn.py`, `gunicorn*.py` (e.g. `gunicorn_prod.py`), `*gunicorn*.py` under a
    /// `conf`, `config`, `deploy`, `docker`, `etc`, `gunicorn` or `ops` folder.
    Loose,
    No,
}

/// Folders whose `*gunicorn*.py` files are deployment configs.
const DEPLOY_DIRS: &[&str] = &[
    "conf",
    "config",
    "configs",
    "deploy",
    "deployment",
    "docker",
    "etc",
    "gunicorn",
    "ops",
    "infra",
];

pub fn name_match(path: &Path) -> NameMatch {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return NameMatch::No;
    };
    let lower = name.to_ascii_lowercase();
    let Some(stem) = lower.strip_suffix(".py") else {
        return NameMatch::No;
    };
    if matches!(
        stem,
        "gunicorn.conf"
            | "gunicorn_config"
            | "gunicorn_conf"
            | "gunicorn.config"
            | "gunicorn_cfg"
            | "gunicorn-cfg"
            | "gunicorn-conf"
            | "gunicorn-config"
    ) {
        return NameMatch::Strong;
    }
    let in_deploy_dir = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .is_some_and(|d| DEPLOY_DIRS.contains(&d.to_ascii_lowercase().as_str()));
    if stem.starts_with("gunicorn") || (in_deploy_dir && stem.contains("gunicorn")) {
        NameMatch::Loose
    } else {
        NameMatch::No
    }
}

/// Whether the module sets at least one gunicorn setting or defines a hook with `def` (the
/// guard for loose names).
pub fn sets_gunicorn_settings(model: &ModuleModel) -> bool {
    settings::SETTINGS.iter().any(|s| {
        model.get(s.name).is_some_and(|b| !b.is_imported())
            && !model.imported_names.contains(s.name)
    })
}

/// Whether a file is a gunicorn config, from its name and model alone (no project): a strong
/// name, or a loose one with a setting set.
pub fn is_config_by_name(path: &Path, model: &ModuleModel) -> bool {
    match name_match(path) {
        NameMatch::Strong => true,
        NameMatch::Loose => sets_gunicorn_settings(model),
        NameMatch::No => false,
    }
}

/// The gunicorn command lines of the project's deployment files and scripts, each with the
/// config file it names resolved in the project.
pub fn project_invocations(
    root: &Path,
    survey: &Survey,
    loader: &dyn SourceLoader,
) -> Vec<Invocation> {
    let mut out = Vec::new();
    for file in survey.deployment_files.iter().chain(&survey.scripts) {
        let Some(text) = loader.read(file) else {
            continue;
        };
        for command in command_lines(&text) {
            let config = command
                .config
                .as_deref()
                .and_then(|arg| resolve_config_arg(root, file, arg, loader));
            out.push(Invocation {
                source: file.clone(),
                config,
                command,
            });
        }
    }
    out
}

/// The project's gunicorn configs: files its command lines name with `-c` (see
/// [`project_invocations`]), files the configuration declares (among those the survey saw),
/// and files named like gunicorn configs (a loose name only when the file sets a setting).
/// Sorted, no duplicates.
pub fn project_configs(
    config: &Config,
    survey: &Survey,
    invocations: &[Invocation],
    loader: &dyn SourceLoader,
) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = invocations
        .iter()
        .filter_map(|i| i.config.clone())
        .collect();
    let mut cache = ModuleCache::default();
    for path in &survey.gunicorn_named {
        let keep = match name_match(path) {
            NameMatch::Strong => true,
            NameMatch::Loose => {
                analyze_path(path, loader, &mut cache).is_some_and(|m| sets_gunicorn_settings(&m))
            }
            NameMatch::No => false,
        };
        if keep {
            out.push(path.clone());
        }
    }
    out.extend(
        survey
            .python_files
            .iter()
            .filter(|p| config.declares_gunicorn(p))
            .cloned(),
    );
    out.sort();
    out.dedup();
    out
}

/// The file a `-c PATH` names: relative to the deployment file's folder, else to the project
/// root; an absolute path (a container's `/app/conf/gunicorn.py`) by its longest tail that
/// exists under the root.
fn resolve_config_arg(
    root: &Path,
    source: &Path,
    arg: &str,
    loader: &dyn SourceLoader,
) -> Option<PathBuf> {
    let exists = |p: &Path| loader.read(p).is_some();
    if let Some(module) = arg.strip_prefix("python:") {
        // a module on the path gunicorn runs with: the project root
        return match resolve_module(&root.join("__preflight__.py"), module, loader) {
            Resolution::File(p) => Some(p),
            _ => None,
        };
    }
    let arg_path = Path::new(arg);
    if arg_path.is_absolute() {
        if exists(arg_path) && arg_path.starts_with(root) {
            return Some(arg_path.to_path_buf());
        }
        let parts: Vec<_> = arg_path.components().skip(1).collect();
        return (0..parts.len())
            .map(|i| parts[i..].iter().fold(root.to_path_buf(), |p, c| p.join(c)))
            .find(|p| exists(p));
    }
    let from_source = source.parent().map(|d| d.join(arg_path));
    from_source
        .into_iter()
        .chain(std::iter::once(root.join(arg_path)))
        .map(|p| normalize(&p))
        .find(|p| exists(p))
}

/// `a/./b/../c` -> `a/c` (no file system access).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// The config paths that gunicorn command lines in a deployment file name with `-c PATH`,
/// `-cPATH`, `--config PATH` or `--config=PATH` (also inside `GUNICORN_CMD_ARGS`), as written
/// (quotes removed; a `file:` prefix dropped; `python:module.name` kept as written).
pub fn config_args(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for command in command_lines(text) {
        if let Some(config) = command.config
            && !out.contains(&config)
        {
            out.push(config);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for strong in [
            "/p/gunicorn.conf.py",
            "/p/gunicorn_config.py",
            "/p/x/gunicorn_conf.py",
            "/p/Gunicorn.Conf.py",
        ] {
            assert_eq!(name_match(Path::new(strong)), NameMatch::Strong, "{strong}");
        }
        for loose in [
            "/p/gunicorn.py",
            "/p/gunicorn_prod.py",
            "/p/conf/gunicorn-web.py",
            "/p/deploy/web_gunicorn.py",
        ] {
            assert_eq!(name_match(Path::new(loose)), NameMatch::Loose, "{loose}");
        }
        for no in [
            "/p/settings.py",
            "/p/app/web_gunicorn.py",
            "/p/gunicorn.conf",
            "/p/mygunicorn.txt",
        ] {
            assert_eq!(name_match(Path::new(no)), NameMatch::No, "{no}");
        }
    }

    #[test]
    fn config_paths_on_command_lines() {
        let cases: &[(&str, &[&str])] = &[
            (
                "web: gunicorn mysite.wsgi -c deploy/gunicorn.py --log-file -",
                &["deploy/gunicorn.py"],
            ),
            (
                "CMD [\"gunicorn\", \"--config\", \"/app/conf/gunicorn_prod.py\", \"mysite.wsgi\"]",
                &["/app/conf/gunicorn_prod.py"],
            ),
            (
                "ExecStart=/venv/bin/gunicorn --config=/srv/app/gunicorn.conf.py mysite.wsgi",
                &["/srv/app/gunicorn.conf.py"],
            ),
            ("    command: gunicorn -cconf/g.py app:app", &["conf/g.py"]),
            (
                "GUNICORN_CMD_ARGS=\"-c file:etc/g.py\"\nexec gunicorn app",
                &["etc/g.py"],
            ),
            (
                "gunicorn -c python:mysite.gunicorn app",
                &["python:mysite.gunicorn"],
            ),
            ("gunicorn -c $CONF app", &[]),
            ("gunicorn --chdir /app app  # -c not.py", &[]),
            ("python manage.py check -c x.py", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(
                config_args(text),
                expected.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                "{text}"
            );
        }
    }
}
