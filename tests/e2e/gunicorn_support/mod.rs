//! The real gunicorn 27.0.1 (`.oracle/gunicorn`, made by tests/oracle/setup.sh): its settings
//! table, `--check-config` and `--print-config`, run in a clean environment (`env -i`), in a
//! folder that holds the fixtures' WSGI app (`app:application`).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use preflight_core::Diagnostic;
use preflight_core::analysis::{FileKind, Options, analyze_python};
use preflight_core::python::ModuleCache;
use preflight_core::source::DiskLoader;
use preflight_core::syntax::python_tree;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

pub fn fixtures_root() -> PathBuf {
    repo_root().join("tests/fixtures/gunicorn")
}

/// The oracle venv's folder; a clear failure when it is missing (as the Django parity tests).
pub fn venv() -> PathBuf {
    let dir = repo_root().join(".oracle/gunicorn");
    assert!(
        dir.join("bin/gunicorn").exists(),
        "the gunicorn oracle is missing ({}): run tests/oracle/setup.sh",
        dir.display()
    );
    dir
}

/// A command of the venv with an empty environment but PATH (as `env -i PATH=...`).
fn clean(program: &Path, cwd: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("HOME", cwd)
        .current_dir(cwd)
        .stdin(Stdio::null());
    cmd
}

/// gunicorn's own settings table as JSON (tests/oracle/gunicorn_settings.py).
pub fn known_settings() -> serde_json::Value {
    let dir = venv();
    let out = clean(&dir.join("bin/python"), &dir)
        .arg(repo_root().join("tests/oracle/gunicorn_settings.py"))
        .output()
        .expect("the gunicorn oracle runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the oracle prints JSON")
}

/// A throwaway folder with the fixtures' app and a config file holding `text`.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
}

impl Sandbox {
    pub fn new(name: &str, text: &str) -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(fixtures_root().join("app.py"), dir.path().join("app.py")).unwrap();
        let config = dir.path().join(name);
        std::fs::write(&config, text).unwrap();
        Sandbox { dir, config }
    }

    fn gunicorn(&self, flag: &str) -> Output {
        // `python -m gunicorn`: the venv's `bin/gunicorn` script names the folder the venv was
        // made in, which may be another checkout's
        clean(&venv().join("bin/python"), self.dir.path())
            .args(["-m", "gunicorn"])
            .arg(flag)
            .arg("-c")
            .arg(&self.config)
            .arg("app:application")
            .output()
            .expect("gunicorn runs")
    }

    /// `gunicorn --check-config`: Ok, or the last lines of its error output.
    pub fn check_config(&self) -> Result<(), String> {
        let out = self.gunicorn("--check-config");
        if out.status.success() {
            Ok(())
        } else {
            let err = String::from_utf8_lossy(&out.stderr);
            let tail: Vec<&str> = err.lines().rev().take(3).collect();
            Err(tail.into_iter().rev().collect::<Vec<_>>().join(" | "))
        }
    }

    /// `gunicorn --print-config`: setting name -> the printed value.
    pub fn print_config(&self) -> Result<BTreeMap<String, String>, String> {
        let out = self.gunicorn("--print-config");
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split_once(" = "))
            .map(|(k, v)| (k.trim().to_string(), v.to_string()))
            .collect())
    }

    /// Each claimed value (a Python literal) through gunicorn's own validator, printed as
    /// `--print-config` prints it.
    pub fn normalize(&self, claims: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        let dir = venv();
        let mut child = clean(&dir.join("bin/python"), self.dir.path())
            .arg(repo_root().join("tests/oracle/gunicorn_values.py"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the gunicorn oracle runs");
        let input = serde_json::to_vec(claims).unwrap();
        let mut stdin = child.stdin.take().unwrap();
        std::io::Write::write_all(&mut stdin, &input).unwrap();
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("the oracle prints JSON")
    }
}

/// Preflight's analysis of a file as the CLI and the server run it (no project).
pub fn analyze(path: &Path, text: &str) -> (FileKind, Vec<Diagnostic>) {
    let tree = python_tree(text);
    analyze_python(
        path,
        text,
        &tree,
        &DiskLoader,
        &mut ModuleCache::default(),
        &Options::default(),
    )
}

/// The fixtures (every `gunicorn*.py` of the folder) with their text.
pub fn fixtures() -> Vec<(PathBuf, String)> {
    let mut out: Vec<(PathBuf, String)> = std::fs::read_dir(fixtures_root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("gunicorn") && n.ends_with(".py"))
        })
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect();
    out.sort();
    out
}

/// The codes a fixture's first line promises: `# expect: GUN004, GUN016` or `# expect: none`.
pub fn expected_codes(text: &str) -> Vec<String> {
    let line = text.lines().next().unwrap_or_default();
    let list = line
        .strip_prefix("# expect:")
        .unwrap_or_else(|| panic!("a fixture starts with `# expect: CODES`: {line}"))
        .trim();
    if list == "none" {
        return Vec::new();
    }
    list.split(',').map(|c| c.trim().to_string()).collect()
}

pub fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// Runs `f` over the items on a few threads (each gunicorn start costs ~0.3 s).
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(4);
    let f = Arc::new(&f);
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                let f = f.clone();
                s.spawn(move || part.iter().map(|i| f(i)).collect::<Vec<R>>())
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}
