//! The real Django: `tests/oracle/django_check.py` runs `check --deploy` on many cases in one
//! process (forking per case).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

/// What Django said about one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Ids(Vec<String>),
    /// Django could not load the settings: the case itself is wrong.
    Error(String),
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root exists")
}

/// The venv's Python for a Django version ("6.1"), or a failure telling how to create it.
pub fn python(version: &str) -> PathBuf {
    let python = repo_root()
        .join(".oracle")
        .join(format!("django-{version}"))
        .join("bin/python");
    assert!(
        python.exists(),
        "the Django {version} oracle is missing ({}): run tests/oracle/setup.sh",
        python.display()
    );
    python
}

/// One settings module for Django: the folder to put on `sys.path`, the dotted module, the
/// environment.
pub struct Request {
    pub dir: PathBuf,
    pub module: String,
    pub env: Vec<(String, String)>,
}

/// Runs Django on every request and returns its verdicts in order.
pub fn check(version: &str, cases: &[Request], cwd: &Path) -> Vec<Verdict> {
    let input: Vec<Value> = cases
        .iter()
        .map(|Request { dir, module, env }| {
            let env: serde_json::Map<String, Value> =
                env.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
            json!({ "dir": dir, "module": module, "env": env })
        })
        .collect();
    let mut child = Command::new(python(version))
        .arg(repo_root().join("tests/oracle/django_check.py"))
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the oracle starts");
    let mut stdin = child.stdin.take().expect("piped stdin");
    let payload = serde_json::to_vec(&input).expect("cases serialise");
    // write from a thread: the oracle may fill its stdout pipe before reading all its input
    let writer = std::thread::spawn(move || stdin.write_all(&payload));
    let output = child.wait_with_output().expect("the oracle runs");
    writer
        .join()
        .expect("writer thread")
        .expect("the oracle reads its input");
    assert!(
        output.status.success(),
        "the Django {version} oracle failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let results: Vec<Value> =
        serde_json::from_slice(&output.stdout).expect("the oracle prints JSON");
    assert_eq!(results.len(), cases.len(), "one verdict per case");
    results
        .into_iter()
        .map(|r| match r {
            Value::Array(ids) => Verdict::Ids(
                ids.into_iter()
                    .filter_map(|i| i.as_str().map(String::from))
                    .collect(),
            ),
            other => Verdict::Error(
                other
                    .get("error")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
                    .to_string(),
            ),
        })
        .collect()
}
