//! Which settings modules production uses: the `DJANGO_SETTINGS_MODULE` that deployment files
//! name (wsgi.py, asgi.py, Dockerfile, compose files, Procfile, systemd units; manage.py's
//! `setdefault` last, since it usually names the development settings), else conventional names.

use std::path::{Path, PathBuf};

use crate::python::resolve::{Resolution, resolve_module};
use crate::source::SourceLoader;

/// How deep below the project root deployment files are looked for.
const MAX_DEPTH: usize = 4;
/// How many folder entries are looked at, at most (a huge tree must not stall the server).
const MAX_ENTRIES: usize = 5_000;
/// Folders never entered.
pub const SKIPPED_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    ".venv",
    "venv",
    "env",
    "__pycache__",
    ".tox",
    ".mypy_cache",
    ".ruff_cache",
    "target",
    ".oracle",
    "site-packages",
    "static",
    "media",
];

/// A settings module named by a deployment file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub module: String,
    /// The file that names it.
    pub source: PathBuf,
    pub path: PathBuf,
}

/// Whether a module's file name says it is for development or tests (quiet by default).
pub fn is_development_name(path: &Path) -> bool {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let stem = stem.to_ascii_lowercase();
    matches!(
        stem.as_str(),
        "dev"
            | "develop"
            | "development"
            | "local"
            | "local_settings"
            | "settings_local"
            | "ci"
            | "docker_dev"
    ) || stem.starts_with("test")
        || stem.ends_with("_test")
        || stem.ends_with("_tests")
        || stem.ends_with("_dev")
        || stem.starts_with("dev_")
}

/// Whether a module's file name says it is production.
pub fn is_production_name(path: &Path) -> bool {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    matches!(
        stem.to_ascii_lowercase().as_str(),
        "prod"
            | "production"
            | "live"
            | "deploy"
            | "deployment"
            | "settings_prod"
            | "prod_settings"
    )
}

/// Deployment files that may name the settings module; manage.py is told apart by the caller.
fn is_deployment_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "wsgi.py" | "asgi.py" | "manage.py" | "procfile" | ".env.production"
    ) || lower.starts_with("dockerfile")
        || lower.ends_with(".dockerfile")
        || (lower.contains("compose") && (lower.ends_with(".yml") || lower.ends_with(".yaml")))
        || lower.ends_with(".service")
        || lower == "gunicorn.conf.py"
        || lower == "app.yaml"
        || lower == "fly.toml"
}

/// Settings modules named by the project's deployment files: those of real deployment files
/// first; manage.py's only when nothing else names one. Development-named modules are dropped.
pub fn named_by_deployment(
    root: &Path,
    files: &[PathBuf],
    loader: &dyn SourceLoader,
) -> Vec<Named> {
    let mut deploy = Vec::new();
    let mut manage = Vec::new();
    for file in files {
        let Some(text) = loader.read(file) else {
            continue;
        };
        for module in settings_module_names(&text) {
            let Some(path) = resolve_settings(file, root, &module, loader) else {
                continue;
            };
            if is_development_name(&path) {
                continue;
            }
            let named = Named {
                module,
                source: file.clone(),
                path,
            };
            let list = if file.file_name().is_some_and(|n| n == "manage.py") {
                &mut manage
            } else {
                &mut deploy
            };
            if !list.iter().any(|n: &Named| n.path == named.path) {
                list.push(named);
            }
        }
    }
    if deploy.is_empty() { manage } else { deploy }
}

/// What a bounded walk of the project finds.
#[derive(Debug, Default)]
pub struct Survey {
    pub deployment_files: Vec<PathBuf>,
    /// Python files named like production settings (`prod.py`, `production.py`, ...).
    pub production_named: Vec<PathBuf>,
    /// Files named `settings.py`.
    pub settings_py: Vec<PathBuf>,
    /// Every Python file seen (for callers that look for settings modules themselves).
    pub python_files: Vec<PathBuf>,
    /// Python files named like gunicorn configs (`gunicorn.conf.py`, `conf/gunicorn*.py`, ...).
    pub gunicorn_named: Vec<PathBuf>,
    /// Shell scripts (`entrypoint.sh`, `start.sh`): they start gunicorn too.
    pub scripts: Vec<PathBuf>,
}

/// Visits the files below `root` in a bounded walk (`max_depth` folders down, at most
/// `MAX_ENTRIES` entries, skipping [`SKIPPED_DIRS`] and hidden folders), each folder's entries
/// in name order: a huge tree must not stall the server.
pub fn walk_files(root: &Path, max_depth: usize, mut visit: impl FnMut(PathBuf, &str)) {
    let mut queue = vec![(root.to_path_buf(), 0usize)];
    let mut seen = 0;
    while let Some((dir, depth)) = queue.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            seen += 1;
            if seen > MAX_ENTRIES {
                return;
            }
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if depth < max_depth
                    && !SKIPPED_DIRS.contains(&name.as_ref())
                    && !name.starts_with('.')
                {
                    queue.push((entry.path(), depth + 1));
                }
            } else if kind.is_file() {
                visit(entry.path(), &name);
            }
        }
    }
}

/// A bounded, sorted walk of the project for deployment files and settings-like names.
pub fn survey(root: &Path) -> Survey {
    let mut out = Survey::default();
    walk_files(root, MAX_DEPTH, |path, name| {
        if is_deployment_file(name) {
            out.deployment_files.push(path.clone());
        }
        if name.ends_with(".py") && is_production_name(&path) {
            out.production_named.push(path.clone());
        }
        if name == "settings.py" {
            out.settings_py.push(path.clone());
        }
        if name.ends_with(".sh") {
            out.scripts.push(path.clone());
        }
        if crate::gunicorn::detect::name_match(&path) != crate::gunicorn::detect::NameMatch::No {
            out.gunicorn_named.push(path.clone());
        }
        if name.ends_with(".py") {
            out.python_files.push(path);
        }
    });
    out.deployment_files.sort();
    out.production_named.sort();
    out.settings_py.sort();
    out.python_files.sort();
    out.gunicorn_named.sort();
    out.scripts.sort();
    out
}

/// Dotted module names that follow `DJANGO_SETTINGS_MODULE` (in any syntax: Python, shell,
/// YAML, Dockerfile, systemd) or `--settings`.
pub fn settings_module_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for marker in ["DJANGO_SETTINGS_MODULE", "--settings"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(marker) {
            let after = from + i + marker.len();
            let rest = text[after..].trim_start_matches(|c: char| {
                matches!(c, '"' | '\'' | ' ' | '\t' | '=' | ':' | ',')
            });
            let module: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
                .collect();
            let valid = !module.is_empty()
                && module.split('.').all(|p| {
                    p.chars()
                        .next()
                        .is_some_and(|c| c.is_alphabetic() || c == '_')
                });
            if valid && !out.contains(&module) {
                out.push(module);
            }
            from = after;
        }
    }
    out
}

/// The file of a dotted settings module named in `source`: looked up from the source's folder
/// and its ancestors up to the project root.
fn resolve_settings(
    source: &Path,
    root: &Path,
    module: &str,
    loader: &dyn SourceLoader,
) -> Option<PathBuf> {
    if let Resolution::File(p) = resolve_module(source, module, loader) {
        return Some(p);
    }
    // a Dockerfile at the root may name `src.mysite.settings` relative to a WORKDIR below it
    let fake = root.join("__preflight__.py");
    match resolve_module(&fake, module, loader) {
        Resolution::File(p) => Some(p),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_module_names_in_every_syntax() {
        let cases = [
            (
                "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"mysite.settings.prod\")",
                "mysite.settings.prod",
            ),
            (
                "ENV DJANGO_SETTINGS_MODULE=mysite.settings.prod",
                "mysite.settings.prod",
            ),
            (
                "ENV DJANGO_SETTINGS_MODULE mysite.settings.prod",
                "mysite.settings.prod",
            ),
            (
                "      DJANGO_SETTINGS_MODULE: mysite.settings.prod",
                "mysite.settings.prod",
            ),
            (
                "  - DJANGO_SETTINGS_MODULE=mysite.settings.prod",
                "mysite.settings.prod",
            ),
            (
                "Environment=\"DJANGO_SETTINGS_MODULE=mysite.settings.prod\"",
                "mysite.settings.prod",
            ),
            (
                "web: gunicorn mysite.wsgi --settings=mysite.settings.prod",
                "mysite.settings.prod",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(
                settings_module_names(text),
                vec![expected.to_string()],
                "{text}"
            );
        }
    }

    #[test]
    fn development_and_production_names() {
        for dev in [
            "dev.py",
            "local.py",
            "test_settings.py",
            "tests.py",
            "local_settings.py",
            "settings_dev.py",
        ] {
            assert!(is_development_name(Path::new(dev)), "{dev}");
        }
        for other in ["prod.py", "base.py", "settings.py", "staging.py"] {
            assert!(!is_development_name(Path::new(other)), "{other}");
        }
        assert!(is_production_name(Path::new("production.py")));
    }
}
