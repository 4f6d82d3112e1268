//! Finds the files to check: named files as given, folders walked in parallel with the `ignore`
//! crate (so .gitignore, .ignore and hidden folders are respected).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{DirEntry, WalkBuilder, WalkState};
use preflight_core::config::{self, Config};
use preflight_core::nginx;
use preflight_core::source::DiskLoader;

/// Folders never worth descending into, even when no .gitignore lists them.
const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    ".venv",
    "venv",
    ".git",
    "__pycache__",
    ".oracle",
    "target",
    ".tox",
    ".mypy_cache",
];

/// A file to check.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    /// Absolute and canonical, so imports resolve from any working directory.
    pub path: PathBuf,
    /// Named on the command line (rather than found by walking a folder).
    pub explicit: bool,
}

/// Expands the command-line paths into the files to check, sorted. A path that does not exist
/// is an error (exit 2); a named file of a kind Preflight does not check is left out.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<Target>, String> {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for given in paths {
        let path = std::fs::canonicalize(given)
            .map_err(|e| format!("{}: {}", given.display(), describe_io_error(&e)))?;
        if path.is_dir() {
            dirs.push(path);
        } else if is_checked_file(&path) || declared_nginx(&config_for(&path), &path) {
            files.push(Target {
                path,
                explicit: true,
            });
        } else {
            eprintln!(
                "preflight: {}: skipped: not a file Preflight checks (Python modules, nginx configs)",
                given.display()
            );
        }
    }
    files.extend(walk_dirs(&dirs).into_iter().map(|path| Target {
        path,
        explicit: false,
    }));
    files.sort();
    // a file named and also found in a named folder is checked once, as named
    files.dedup_by(|later, earlier| later.path == earlier.path);
    Ok(files)
}

/// The file kinds Preflight analyses: Python modules and nginx configs (by path, or a `*.conf`
/// whose first statements look like nginx; see `nginx::is_nginx_file`).
pub fn is_checked_file(path: &Path) -> bool {
    is_python(path) || (nginx::is_nginx_path(path) || is_conf(path)) && sniff_nginx(path)
}

pub fn is_python(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "py")
}

fn is_conf(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "conf")
}

/// How much of an ambiguous `*.conf` is read to tell nginx from other formats.
const SNIFF_LEN: u64 = 4096;

fn sniff_nginx(path: &Path) -> bool {
    let mut head = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(SNIFF_LEN).read_to_end(&mut head));
    read.is_ok() && nginx::is_nginx_file(path, &String::from_utf8_lossy(&head))
}

/// The configuration that applies to a file or folder.
fn config_for(path: &Path) -> Config {
    config::discover(path, &DiskLoader).config
}

/// A file the configuration names as nginx (never a Python module).
fn declared_nginx(config: &Config, path: &Path) -> bool {
    !is_python(path) && config.declares_nginx(path)
}

fn walk_dirs(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let Some((first, rest)) = dirs.split_first() else {
        return Vec::new();
    };
    // files the configuration declares nginx (`nginx = [...]`), whatever their name
    let configs: Vec<(PathBuf, Config)> = dirs.iter().map(|d| (d.clone(), config_for(d))).collect();
    let declared = |path: &Path| {
        configs
            .iter()
            .any(|(dir, config)| path.starts_with(dir) && declared_nginx(config, path))
    };
    let mut builder = WalkBuilder::new(first);
    for d in rest {
        builder.add(d);
    }
    builder
        // respect .gitignore even outside a git repository (a fresh checkout, a temp folder)
        .require_git(false)
        .filter_entry(|e| !is_skipped_dir(e));
    let found = Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        Box::new(|entry| {
            match entry {
                Ok(e)
                    if e.file_type().is_some_and(|t| t.is_file())
                        && (is_checked_file(e.path()) || declared(e.path())) =>
                {
                    found
                        .lock()
                        .expect("no panics while holding the lock")
                        .push(e.into_path());
                }
                Ok(_) => {}
                Err(err) => eprintln!("preflight: {err}"),
            }
            WalkState::Continue
        })
    });
    found.into_inner().expect("walker threads are done")
}

fn is_skipped_dir(entry: &DirEntry) -> bool {
    entry.depth() > 0
        && entry.file_type().is_some_and(|t| t.is_dir())
        && entry
            .file_name()
            .to_str()
            .is_some_and(|n| SKIPPED_DIRS.contains(&n))
}

pub fn describe_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// How a path is shown to the user: relative to the working directory when it is under it.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}
