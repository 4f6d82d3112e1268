//! The Django parity suite: generated settings modules, checked by the real Django and by
//! Preflight; the sets of Django ids must be equal, case by case.

pub mod cases;
pub mod oracle;
pub mod preflight;
pub mod settings;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use cases::Case;
use oracle::Verdict;

/// The realistic example deployment as one more case, exactly as it is on disk.
fn example_case() -> Case {
    let root = oracle::repo_root().join("tests/example");
    let mut files = Vec::new();
    for dir in ["mysite", "mysite/settings"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("tests/example/mysite exists") {
            let path = entry.expect("readable folder").path();
            if path.extension().is_some_and(|e| e == "py") {
                let rel = path
                    .strip_prefix(&root)
                    .expect("under the example")
                    .to_string_lossy()
                    .into_owned();
                files.push((
                    rel,
                    std::fs::read_to_string(&path).expect("UTF-8 example files"),
                ));
            }
        }
    }
    files.sort();
    Case {
        name: "tests/example production".into(),
        files,
        module: "mysite.settings.production".into(),
        env: Vec::new(),
        on_5_2: true,
    }
}

fn write_case(dir: &Path, case: &Case) {
    for (rel, text) in &case.files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("files are in folders"))
            .expect("create case folder");
        std::fs::write(&path, text).expect("write case file");
    }
}

struct Mismatch {
    name: String,
    folder: PathBuf,
    django: String,
    preflight: String,
}

fn join(ids: &BTreeSet<String>) -> String {
    if ids.is_empty() {
        "-".into()
    } else {
        ids.iter().cloned().collect::<Vec<_>>().join(" ")
    }
}

/// Runs every case that applies to `version` ("6.1", "5.2") and fails with a table of the
/// cases where Preflight and Django disagree.
pub fn run(version: &str) {
    oracle::python(version);
    let mut all = cases::all();
    all.push(example_case());
    let cases: Vec<Case> = all
        .into_iter()
        .filter(|c| version == "6.1" || c.on_5_2)
        .collect();

    let tmp = tempfile::Builder::new()
        .prefix(&format!("preflight-parity-{version}-"))
        .tempdir()
        .expect("temp folder");
    let dirs: Vec<PathBuf> = (0..cases.len())
        .map(|i| tmp.path().join(format!("c{i:03}")))
        .collect();
    for (dir, case) in dirs.iter().zip(&cases) {
        write_case(dir, case);
    }

    let requests: Vec<_> = dirs
        .iter()
        .zip(&cases)
        .map(|(d, c)| oracle::Request {
            dir: d.clone(),
            module: c.module.clone(),
            env: c.env.clone(),
        })
        .collect();
    let verdicts = oracle::check(version, &requests, tmp.path());
    let ours = preflight_all(&cases, &dirs, version);

    let mut mismatches = Vec::new();
    let mut broken = Vec::new();
    for (((case, dir), verdict), ours) in cases.iter().zip(&dirs).zip(verdicts).zip(ours) {
        let django = match verdict {
            Verdict::Ids(ids) => ids.into_iter().collect::<BTreeSet<_>>(),
            Verdict::Error(e) => {
                broken.push(format!("{}: Django could not load it: {e}", case.name));
                continue;
            }
        };
        let preflight = match ours {
            Ok(ids) => join(&ids),
            Err(e) => format!("ERROR {e}"),
        };
        if preflight != join(&django) {
            mismatches.push(Mismatch {
                name: case.name.clone(),
                folder: dir.clone(),
                django: join(&django),
                preflight,
            });
        }
    }

    let keep = std::env::var_os("PREFLIGHT_PARITY_KEEP").is_some();
    let folder = if keep {
        tmp.keep()
    } else {
        tmp.path().to_path_buf()
    };
    eprintln!(
        "Django {version} parity: {} cases, {} mismatches, {} cases Django could not load",
        cases.len(),
        mismatches.len(),
        broken.len()
    );
    if !mismatches.is_empty() {
        eprintln!("{}", table(&mismatches, &folder));
        if !keep {
            eprintln!("(set PREFLIGHT_PARITY_KEEP=1 to keep the generated cases)");
        }
    }
    assert!(
        broken.is_empty(),
        "cases Django could not load (a bug in the case generator):\n{}",
        broken.join("\n")
    );
    assert!(
        mismatches.is_empty(),
        "Preflight disagrees with Django {version} on {} of {} cases (table above)",
        mismatches.len(),
        cases.len()
    );
}

/// Runs Preflight on every case's module, on all cores.
fn preflight_all(
    cases: &[Case],
    dirs: &[PathBuf],
    version: &str,
) -> Vec<Result<BTreeSet<String>, String>> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let jobs: Vec<(usize, PathBuf)> = cases
        .iter()
        .zip(dirs)
        .enumerate()
        .map(|(i, (c, d))| (i, d.join(c.module_file())))
        .collect();
    let mut results: Vec<Option<Result<BTreeSet<String>, String>>> = vec![None; jobs.len()];
    std::thread::scope(|s| {
        let handles: Vec<_> = jobs
            .chunks(jobs.len().div_ceil(workers).max(1))
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|(i, f)| (*i, preflight::django_ids(f, version)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            for (i, r) in h.join().expect("worker thread") {
                results[i] = Some(r);
            }
        }
    });
    results
        .into_iter()
        .map(|r| r.expect("every case ran"))
        .collect()
}

fn table(mismatches: &[Mismatch], folder: &Path) -> String {
    let w = mismatches
        .iter()
        .map(|m| m.name.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let dw = mismatches
        .iter()
        .map(|m| m.django.len())
        .max()
        .unwrap_or(6)
        .max(6);
    let mut out = format!("{:w$}  {:dw$}  preflight\n", "case", "django");
    for m in mismatches {
        let rel = m
            .folder
            .strip_prefix(folder)
            .unwrap_or(&m.folder)
            .display()
            .to_string();
        out.push_str(&format!(
            "{:w$}  {:dw$}  {}   [{rel}]\n",
            m.name, m.django, m.preflight
        ));
    }
    out
}
