//! The oracles the nginx tests compare Preflight with, in one place: gixy-ng (`.oracle/gixy`,
//! from tests/oracle/setup.sh), the real `nginx -t` (site files wrapped in a main config;
//! certificates, logs and pid files pointed at throwaway ones), Preflight's own JSON findings,
//! and applying a finding's fix edits to a text.
//!
//! A site file (no top-level `http` or `events` block, as in sites-available/) is the inside of
//! `http {}`: nginx and gixy both see it through a generated main config that `include`s it by
//! absolute path, so gixy's full-config checks (default_server_flag, hsts_header,
//! version_disclosure, weak_ssl_tls, ...) run on it and its findings keep the site file's lines.
#![allow(dead_code)]

pub mod syntax;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    std::fs::canonicalize(Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")).unwrap()
}

/// The nginx fixtures: `tests/fixtures/nginx`.
pub fn fixtures_root() -> PathBuf {
    repo_root().join("tests/fixtures/nginx")
}

/// The gixy-ng executable of the oracle venv, if tests/oracle/setup.sh has made it.
pub fn gixy() -> Option<PathBuf> {
    let path = repo_root().join(".oracle/gixy/bin/gixy");
    path.exists().then_some(path)
}

/// The real nginx, if one is installed (CI: Debian's nginx-light).
pub fn nginx() -> Option<PathBuf> {
    ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Every nginx config under `root`, recursively, sorted: `*.conf`, and any file directly in a
/// `sites-available/` or `sites-enabled/` folder.
pub fn nginx_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let in_sites = dir
                .file_name()
                .is_some_and(|n| n == "sites-available" || n == "sites-enabled");
            if path.extension().is_some_and(|e| e == "conf") || in_sites {
                out.push(std::fs::canonicalize(&path).unwrap());
            }
        }
    }
    out.sort();
    out
}

/// A path relative to the repository root, for messages.
pub fn display(path: &Path) -> String {
    path.strip_prefix(repo_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// How many threads [`parallel_map`] uses: the oracles are processes that partly wait on I/O.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(4, |n| n.get() * 2)
}

/// Runs `f` on every item on [`threads`] threads; results keep the items' order.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads().min(items.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let result = f(item);
                    *results[i].lock().unwrap() = Some(result);
                }
            });
        }
    });
    results
        .into_iter()
        .map(|slot| slot.into_inner().unwrap().expect("every item was mapped"))
        .collect()
}

/// Whether a config is a main config (a top-level `http` or `events` block) rather than a site
/// file that nginx includes inside `http {}`.
pub fn is_main_config(text: &str) -> bool {
    syntax::statements(text)
        .iter()
        .any(|s| s.depth == 0 && (s.name == "http" || s.name == "events"))
}

// ---------------------------------------------------------------------------------------------
// Preflight

/// One fix edit: 1-based lines and columns in Unicode characters, the end exclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub new_text: String,
}

/// One finding of `preflight check --format json`.
#[derive(Debug, Clone)]
pub struct PreflightFinding {
    /// Absolute.
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub severity: String,
    pub code: String,
    pub message: String,
    /// `references.gixy`: the gixy-ng plugin the finding mirrors.
    pub gixy: Option<String>,
    pub fix: Option<(String, Vec<Edit>)>,
}

fn number(v: &Value, key: &str) -> usize {
    v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("`{key}` is not a number in {v}")) as usize
}

fn text_field(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is not a string in {v}"))
        .to_owned()
}

fn edit(v: &Value) -> Edit {
    Edit {
        line: number(v, "line"),
        column: number(v, "column"),
        end_line: number(v, "end_line"),
        end_column: number(v, "end_column"),
        new_text: text_field(v, "new_text"),
    }
}

/// `preflight check --format json FILE`, run from the repository root. Panics unless the
/// command succeeds (exit 0 or 1) with a JSON array that keeps the output contract.
pub fn preflight_check(file: &Path) -> Vec<PreflightFinding> {
    let cwd = repo_root();
    let out = Command::new(env!("CARGO_BIN_EXE_preflight"))
        .args(["check", "--format", "json"])
        .arg(file)
        .current_dir(&cwd)
        .output()
        .expect("the preflight binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "preflight check {} exited {:?}: {stderr}",
        file.display(),
        out.status.code()
    );
    assert!(
        !stderr.contains("skipped"),
        "preflight did not check {} as nginx: {stderr}",
        file.display()
    );
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "preflight check {}: stdout is not a JSON array ({e}): {}",
            file.display(),
            String::from_utf8_lossy(&out.stdout)
        )
    });
    findings
        .iter()
        .map(|f| PreflightFinding {
            path: cwd.join(text_field(f, "path")),
            line: number(f, "line"),
            column: number(f, "column"),
            end_line: number(f, "end_line"),
            end_column: number(f, "end_column"),
            severity: text_field(f, "severity"),
            code: text_field(f, "code"),
            message: text_field(f, "message"),
            gixy: f["references"]["gixy"].as_str().map(String::from),
            fix: match &f["fix"] {
                Value::Null => None,
                fix => Some((
                    text_field(fix, "title"),
                    fix["edits"]
                        .as_array()
                        .unwrap_or_else(|| panic!("fix without edits: {f}"))
                        .iter()
                        .map(edit)
                        .collect(),
                )),
            },
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Fix edits

/// The char offset of a 1-based (line, column in Unicode characters) position; a column may be
/// one past the line's end.
pub fn char_offset(text: &str, line: usize, column: usize) -> Result<usize, String> {
    if line == 0 || column == 0 {
        return Err(format!("{line}:{column} is not 1-based"));
    }
    let mut offset = 0;
    for (i, content) in text.split('\n').enumerate() {
        if i + 1 == line {
            let width = content.chars().count();
            return if column <= width + 1 {
                Ok(offset + column - 1)
            } else {
                Err(format!(
                    "{line}:{column} is past the line's end (width {width})"
                ))
            };
        }
        offset += content.chars().count() + 1;
    }
    Err(format!("line {line} is past the end of the text"))
}

/// The 1-based (line, column) of a char offset.
pub fn position(text: &str, offset: usize) -> (usize, usize) {
    let mut line = 1;
    let mut column = 1;
    for c in text.chars().take(offset) {
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    (line, column)
}

/// Edits as sorted, non-overlapping char ranges.
fn ranges(text: &str, edits: &[Edit]) -> Result<Vec<(usize, usize, String)>, String> {
    let mut out = Vec::new();
    for e in edits {
        let start = char_offset(text, e.line, e.column)?;
        let end = char_offset(text, e.end_line, e.end_column)?;
        if end < start {
            return Err(format!("edit ends before it starts: {e:?}"));
        }
        out.push((start, end, e.new_text.clone()));
    }
    out.sort_by_key(|&(start, end, _)| (start, end));
    for pair in out.windows(2) {
        if pair[1].0 < pair[0].1 {
            return Err(format!("edits overlap: {edits:?}"));
        }
    }
    Ok(out)
}

/// Applies a fix's edits (all of them, as one change) to `text`.
pub fn apply_edits(text: &str, edits: &[Edit]) -> Result<String, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, new_text) in ranges(text, edits)? {
        out.extend(&chars[at..start]);
        out.push_str(&new_text);
        at = end;
    }
    out.extend(&chars[at..]);
    Ok(out)
}

/// Where a position of `text` is after `edits`: text after an edit moves with it, a position
/// inside a replaced range goes to the replacement's start.
pub fn map_position(
    text: &str,
    edits: &[Edit],
    line: usize,
    column: usize,
) -> Result<(usize, usize), String> {
    let original = char_offset(text, line, column)?;
    // how far text at `original` moves: the net length change of the edits before it
    let mut mapped = original as isize;
    for (start, end, new_text) in ranges(text, edits)? {
        if end <= original {
            mapped += new_text.chars().count() as isize - (end - start) as isize;
        } else if start <= original {
            mapped -= (original - start) as isize;
            break;
        } else {
            break;
        }
    }
    Ok(position(&apply_edits(text, edits)?, mapped as usize))
}

// ---------------------------------------------------------------------------------------------
// gixy-ng

/// One gixy-ng finding (its `-f json` output), attributed to the file it is in.
#[derive(Debug, Clone)]
pub struct GixyFinding {
    pub plugin: String,
    /// The file the reported directive is in (for a site file: the site file, not the wrapper).
    pub file: PathBuf,
    /// The line of the first directive gixy names (absent when it names none).
    pub line: Option<usize>,
    pub severity: String,
    pub summary: String,
    pub reason: String,
}

/// The main config that makes a site file the inside of `http {}`.
pub fn http_wrapper(site: &Path) -> String {
    format!(
        "events {{}}\nhttp {{\n    include {};\n}}\n",
        site.display()
    )
}

/// Runs `gixy -f json` on a config (a site file through [`http_wrapper`]).
pub fn run_gixy(gixy: &Path, config: &Path) -> Result<Vec<GixyFinding>, String> {
    Ok(run_gixy_on_all(gixy, &[config.to_path_buf()])?.remove(0))
}

/// Runs one `gixy -f json` on several configs (gixy audits each apart; one process saves its
/// start-up); the findings of each config, in order.
pub fn run_gixy_on_all(gixy: &Path, configs: &[PathBuf]) -> Result<Vec<Vec<GixyFinding>>, String> {
    let wrappers = tempfile::tempdir().unwrap();
    let mut targets = Vec::new();
    for (i, config) in configs.iter().enumerate() {
        let config =
            std::fs::canonicalize(config).map_err(|e| format!("{}: {e}", config.display()))?;
        let text = std::fs::read_to_string(&config).map_err(|e| e.to_string())?;
        targets.push(if is_main_config(&text) {
            config
        } else {
            let wrapper = wrappers.path().join(format!("nginx-{i}.conf"));
            std::fs::write(&wrapper, http_wrapper(&config)).unwrap();
            wrapper
        });
    }
    let out = Command::new(gixy)
        .args(["-f", "json"])
        .args(&targets)
        .output()
        .map_err(|e| format!("gixy does not run: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    // gixy exits 1 when it finds something; anything else, or a parse complaint, is an error
    if !matches!(out.status.code(), Some(0 | 1)) || stderr.contains("Configuration error") {
        return Err(format!("gixy failed ({:?}): {stderr}", out.status.code()));
    }
    let reports: Vec<Value> = serde_json::from_slice(&out.stdout).map_err(|e| {
        format!(
            "gixy's output is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })?;
    let mut findings: Vec<Vec<GixyFinding>> = configs.iter().map(|_| Vec::new()).collect();
    for r in &reports {
        let audited = PathBuf::from(text_field(r, "path"));
        let Some(i) = targets.iter().position(|t| *t == audited) else {
            return Err(format!("gixy reports on a file it was not given: {r}"));
        };
        findings[i].push(GixyFinding {
            plugin: text_field(r, "plugin"),
            file: r["file"].as_str().map_or(audited.clone(), PathBuf::from),
            line: r["line"].as_u64().map(|l| l as usize),
            severity: text_field(r, "severity"),
            summary: text_field(r, "summary"),
            reason: text_field(r, "reason"),
        });
    }
    Ok(findings)
}

/// gixy reads configs with crossplane and, on a syntax error, silently audits whatever parsed
/// (often nothing). Returns each file crossplane reports errors for, with the errors, using the
/// options gixy passes (`single`, no context or argument checks).
pub fn gixy_parse_errors(gixy: &Path, files: &[PathBuf]) -> Vec<(PathBuf, String)> {
    let python = gixy.with_file_name("python");
    let script = "import crossplane, json, sys\n\
        for path in sys.argv[1:]:\n\
        \x20   p = crossplane.parse(path, single=True, strict=False, check_ctx=False, check_args=False)\n\
        \x20   print(json.dumps([path, [e['error'] for e in p['errors']]]))\n";
    let out = Command::new(python)
        .arg("-c")
        .arg(script)
        .args(files)
        .output()
        .expect("the gixy venv's python runs");
    assert!(
        out.status.success(),
        "crossplane failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| {
            let (path, errors): (PathBuf, Vec<String>) = serde_json::from_str(line).unwrap();
            (!errors.is_empty()).then(|| (path, errors.join("; ")))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// nginx -t

/// `nginx -t` with throwaway certificates, made once per test and shared by all its checks.
pub struct NginxOracle {
    binary: PathBuf,
    files: tempfile::TempDir,
}

/// What replaces the path a directive names for `nginx -t`.
enum Replacement {
    /// A file of the throwaway set.
    Fixed(&'static str),
    /// A fresh path in the check's own temp folder.
    Scratch(&'static str),
}

fn replacement(directive: &str) -> Option<Replacement> {
    use Replacement::*;
    Some(match directive {
        "ssl_certificate" | "ssl_trusted_certificate" | "ssl_client_certificate" => {
            Fixed("cert.pem")
        }
        "ssl_certificate_key" => Fixed("key.pem"),
        "ssl_dhparam" => Fixed("dhparam.pem"),
        "ssl_password_file" => Fixed("passwords.txt"),
        "ssl_session_ticket_key" => Fixed("ticket.key"),
        "pid" => Scratch("nginx.pid"),
        "lock_file" => Scratch("nginx.lock"),
        "error_log" | "access_log" => Scratch("logs"),
        "client_body_temp_path"
        | "proxy_temp_path"
        | "fastcgi_temp_path"
        | "uwsgi_temp_path"
        | "scgi_temp_path"
        | "proxy_cache_path"
        | "fastcgi_cache_path"
        | "uwsgi_cache_path"
        | "scgi_cache_path" => Scratch("tmp"),
        _ => return None,
    })
}

impl NginxOracle {
    /// `None` (after printing why) when there is no nginx or no `openssl` to make certificates.
    pub fn new() -> Option<Self> {
        let Some(binary) = nginx() else {
            eprintln!("NOTICE: no nginx binary; skipping the nginx -t checks");
            return None;
        };
        let files = tempfile::tempdir().unwrap();
        let dir = files.path();
        let openssl = |args: &[&str]| {
            Command::new("openssl")
                .args(args)
                .current_dir(dir)
                .output()
                .is_ok_and(|o| o.status.success())
        };
        let made = openssl(&[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
            "-days",
            "2",
            "-subj",
            "/CN=preflight.test",
        ]) && openssl(&[
            "genpkey",
            "-genparam",
            "-algorithm",
            "DH",
            "-pkeyopt",
            "dh_param:ffdhe2048",
            "-out",
            "dhparam.pem",
        ]);
        if !made {
            eprintln!(
                "NOTICE: the `openssl` command could not make a throwaway certificate; skipping the nginx -t checks"
            );
            return None;
        }
        std::fs::write(dir.join("passwords.txt"), "unused\n").unwrap();
        std::fs::write(dir.join("ticket.key"), [7u8; 80]).unwrap();
        Some(Self { binary, files })
    }

    /// `config`'s text with every file path nginx -t would open pointed into `scratch` or at
    /// the throwaway certificates, and relative includes made absolute from `origin`'s folder.
    pub fn rewrite_paths(&self, config: &str, origin: &Path, scratch: &Path) -> String {
        let mut replacements = Vec::new();
        for (n, statement) in syntax::statements(config).iter().enumerate() {
            let Some(first) = statement.args.first() else {
                continue;
            };
            let value = &first.text;
            if statement.name == "include" {
                if !value.starts_with('/') && !value.contains('$') {
                    let dir = origin.parent().unwrap_or(Path::new("/"));
                    replacements.push((first.span.clone(), dir.join(value).display().to_string()));
                }
                continue;
            }
            let Some(kind) = replacement(&statement.name) else {
                continue;
            };
            // variables, `off`, `stderr`, `syslog:`, `data:` and `engine:` values open no file here
            let names_a_file = !value.contains('$')
                && (value.starts_with('/')
                    || matches!(kind, Replacement::Fixed(_)) && !value.contains(':'));
            if !names_a_file {
                continue;
            }
            let path = match kind {
                Replacement::Fixed(name) => self.files.path().join(name),
                Replacement::Scratch("logs") => scratch.join(format!("logs/{n}.log")),
                Replacement::Scratch("tmp") => scratch.join(format!("tmp/{n}")),
                Replacement::Scratch(name) => scratch.join(name),
            };
            replacements.push((first.span.clone(), path.display().to_string()));
        }
        syntax::replace_spans(config, replacements)
    }

    /// Runs `nginx -t` on `config` (the text of the file at `origin`): a main config as it is,
    /// a site file inside a generated main config. `Err` holds nginx's complaint.
    pub fn test(&self, config: &str, origin: &Path) -> Result<(), String> {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path();
        std::fs::create_dir_all(dir.join("logs")).unwrap();
        std::fs::create_dir_all(dir.join("tmp")).unwrap();
        let rewritten = self.rewrite_paths(config, origin, dir);
        let main = dir.join("nginx.conf");
        if is_main_config(config) {
            std::fs::write(&main, rewritten).unwrap();
        } else {
            let site = dir.join("site.conf");
            std::fs::write(&site, rewritten).unwrap();
            std::fs::write(
                &main,
                format!(
                    "pid {0}/nginx.pid;\nevents {{}}\nhttp {{\n    include {1};\n}}\n",
                    dir.display(),
                    site.display()
                ),
            )
            .unwrap();
        }
        let out = Command::new(&self.binary)
            .arg("-t")
            .arg("-q")
            .arg("-p")
            .arg(dir)
            .arg("-e")
            .arg("stderr")
            .arg("-c")
            .arg(&main)
            .output()
            .expect("nginx runs");
        if out.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The nginx -t skip list

/// `tests/fixtures/nginx/nginx-t-skip.txt`: fixtures nginx -t here may reject on purpose
/// (a module nginx-light lacks, an OpenSSL too old for a group, a host only DNS resolves),
/// each with its reason. Keys are absolute paths.
pub fn nginx_skip_list() -> Vec<(PathBuf, String)> {
    let root = fixtures_root();
    let list = root.join("nginx-t-skip.txt");
    std::fs::read_to_string(&list)
        .unwrap_or_else(|e| panic!("{}: {e}", list.display()))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (path, reason) = l
                .split_once(" -- ")
                .unwrap_or_else(|| panic!("`path -- reason` expected in nginx-t-skip.txt: {l}"));
            (root.join(path.trim()), reason.trim().to_owned())
        })
        .collect()
}
