//! The shipped Neovim integration (editors/nvim: lsp/preflight.lua, ftdetect, plugin) in a real
//! Neovim (`.oracle/nvim`, from tests/oracle/setup.sh). Neovim runs tests/e2e/nvim/session.lua
//! with the README's two-line setup as its init.lua and only `cmd` pointed at the built binary; what it
//! saw (diagnostics, buffers after a code action and an edit) is compared with what
//! `preflight check --format json` says about the same text on disk: positions converted from
//! the CLI's characters to Neovim's bytes and to the negotiated encoding's units.

mod cli_support;
mod fs_support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cli_support::{check_json, preflight, stdout};
use fs_support::copy_tree;
use serde_json::{Value, json};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The real Neovim, or `None` (locally) after a loud notice. In CI a missing Neovim fails.
fn nvim() -> Option<PathBuf> {
    let path = repo_root().join(".oracle/nvim/bin/nvim");
    if path.exists() {
        return Some(path);
    }
    let message = "Neovim is missing (.oracle/nvim; run tests/oracle/setup.sh)";
    if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") {
        panic!("{message}: CI must run the Neovim tests");
    }
    eprintln!("NOTICE: {message}; SKIPPING the Neovim end-to-end tests");
    None
}

/// The two-line setup editors/nvim/README.md gives, pointing at this repository: every session
/// runs it as its init.lua.
fn readme_setup() -> String {
    let readme = std::fs::read_to_string(repo_root().join("editors/nvim/README.md")).unwrap();
    let block = readme
        .split("```lua\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .find(|block| block.contains("vim.lsp.enable(\"preflight\")"))
        .expect("the README's setup block");
    assert_eq!(block.lines().count(), 2, "the setup is two lines: {block}");
    let repo = repo_root().canonicalize().unwrap();
    block.replace("/path/to/preflight", repo.to_str().unwrap())
}

/// Runs one session (see session.lua) and returns Neovim's report.
fn session(nvim: &Path, mut plan: Value) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("plan.json");
    let report_path = dir.path().join("report.json");
    plan["report"] = json!(report_path);
    plan["bin"] = json!(env!("CARGO_BIN_EXE_preflight"));
    std::fs::write(&plan_path, plan.to_string()).unwrap();
    let init = dir.path().join("init.lua");
    std::fs::write(&init, readme_setup()).unwrap();
    let mut child = Command::new(nvim)
        .args(["--clean", "--headless", "-u"])
        .arg(&init)
        .arg("-l")
        .arg(repo_root().join("tests/e2e/nvim/session.lua"))
        .arg(&plan_path)
        .current_dir(dir.path())
        // Neovim's state (lsp.log, swap, shada) stays in the temp folder, not the user's home
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nvim starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let report: Value = std::fs::read_to_string(&report_path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_else(|| {
            panic!(
                "nvim wrote no report ({:?})\nstdout: {}\nstderr: {}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
        });
    if !output.status.success() || report.get("error").is_some() {
        let log =
            std::fs::read_to_string(dir.path().join("state/nvim/lsp.log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(80).collect();
        panic!(
            "the Neovim session failed ({:?}): {}\nstderr: {}\nlsp.log (last lines):\n{}",
            output.status,
            report.get("error").unwrap_or(&Value::Null),
            String::from_utf8_lossy(&output.stderr),
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        );
    }
    report
}

#[derive(Clone, Copy, PartialEq)]
enum Enc {
    Utf8,
    Utf16,
}

impl Enc {
    fn name(self) -> &'static str {
        match self {
            Enc::Utf8 => "utf-8",
            Enc::Utf16 => "utf-16",
        }
    }

    fn units(self, c: char) -> u64 {
        match self {
            Enc::Utf8 => c.len_utf8() as u64,
            Enc::Utf16 => c.len_utf16() as u64,
        }
    }
}

/// The lines of a text as Neovim shows them (without the line break, CR included).
fn lines(text: &str) -> Vec<String> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l).to_owned())
        .collect()
}

/// The units of `enc` before character `column` (0-based) of `line`.
fn column_in(line: &str, column: u64, enc: Enc) -> u64 {
    line.chars()
        .take(column as usize)
        .map(|c| enc.units(c))
        .sum()
}

fn severity_number(severity: &str) -> u64 {
    match severity {
        "error" => 1,
        "warning" => 2,
        "information" => 3,
        "hint" => 4,
        other => panic!("unknown severity {other}"),
    }
}

/// One diagnostic as Neovim's `vim.diagnostic` holds it (0-based, byte columns), plus the LSP
/// range in the negotiated encoding.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Seen {
    lnum: u64,
    col: u64,
    end_lnum: u64,
    end_col: u64,
    code: String,
    severity: u64,
    message: String,
    lsp_range: [u64; 4],
}

/// What Neovim must show for `rel` in `root`: the CLI's findings converted.
fn expected(root: &Path, rel: &str, enc: Enc) -> Vec<Seen> {
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    let lines = lines(&text);
    let (_, findings) = check_json(&["."], root);
    let mut out: Vec<Seen> = findings
        .iter()
        .filter(|f| f["path"] == rel)
        .map(|f| {
            let n = |key: &str| f[key].as_u64().unwrap() - 1;
            let (line, end_line) = (n("line"), n("end_line"));
            let at = |l: u64, c: u64, e: Enc| column_in(&lines[l as usize], c, e);
            Seen {
                lnum: line,
                col: at(line, n("column"), Enc::Utf8),
                end_lnum: end_line,
                end_col: at(end_line, n("end_column"), Enc::Utf8),
                code: f["code"].as_str().unwrap().to_owned(),
                severity: severity_number(f["severity"].as_str().unwrap()),
                message: f["message"].as_str().unwrap().to_owned(),
                lsp_range: [
                    line,
                    at(line, n("column"), enc),
                    end_line,
                    at(end_line, n("end_column"), enc),
                ],
            }
        })
        .collect();
    out.sort();
    out
}

/// The diagnostics in a report state, checking what every one carries.
fn seen(state: &Value) -> Vec<Seen> {
    let mut out: Vec<Seen> = state["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let code = d["code"].as_str().unwrap().to_owned();
            assert_eq!(d["source"], "preflight", "{d}");
            let href = d["href"].as_str().unwrap_or_default();
            assert!(
                href.starts_with("https://") && href.contains(&code),
                "codeDescription.href: {d}"
            );
            let r = &d["lsp_range"];
            let u = |v: &Value| v.as_u64().unwrap();
            Seen {
                lnum: u(&d["lnum"]),
                col: u(&d["col"]),
                end_lnum: u(&d["end_lnum"]),
                end_col: u(&d["end_col"]),
                code,
                severity: u(&d["severity"]),
                message: d["message"].as_str().unwrap().to_owned(),
                lsp_range: [
                    u(&r["start"]["line"]),
                    u(&r["start"]["character"]),
                    u(&r["end"]["line"]),
                    u(&r["end"]["character"]),
                ],
            }
        })
        .collect();
    out.sort();
    out
}

fn buffer(state: &Value) -> Vec<String> {
    state["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_owned())
        .collect()
}

/// The byte offset of a 1-based (line, character column) position in `text`.
fn offset(text: &str, line: u64, column: u64) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line as usize - 1)
        .map(str::len)
        .sum();
    start
        + text[start..]
            .chars()
            .take(column as usize - 1)
            .map(char::len_utf8)
            .sum::<usize>()
}

/// The text with the CLI's fix applied.
fn apply_fix(text: &str, fix: &Value) -> String {
    let mut edits: Vec<(usize, usize, &str)> = fix["edits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let n = |k: &str| e[k].as_u64().unwrap();
            (
                offset(text, n("line"), n("column")),
                offset(text, n("end_line"), n("end_column")),
                e["new_text"].as_str().unwrap(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (start, end, new_text) in edits {
        out.replace_range(start..end, new_text);
    }
    out
}

/// A copy of the project with `rel` holding the buffer's lines as Neovim would write them.
fn project_with(lines: &[String], rel: &str, crlf: bool) -> tempfile::TempDir {
    let dir = project();
    let eol = if crlf { "\r\n" } else { "\n" };
    let text: String = lines.iter().map(|l| format!("{l}{eol}")).collect();
    std::fs::write(dir.path().join(rel), text).unwrap();
    dir
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &repo_root().join("tests/fixtures/editor_project"),
        dir.path(),
    );
    dir
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap()
}

/// One file of the fixture project and what the session does to it.
struct Case {
    file: &'static str,
    filetype: &'static str,
    /// The finding whose quick-fix is applied.
    fixed: &'static str,
    /// The edit: `text` typed right after `anchor`, introducing the finding `introduces`.
    anchor: &'static str,
    text: &'static str,
    introduces: &'static str,
}

const SETTINGS: Case = Case {
    file: "mysite/settings.py",
    filetype: "python",
    fixed: "DJ018",
    anchor: "\"café 🚀\"",
    text: "; X_FRAME_OPTIONS = \"SAMEORIGIN\"",
    introduces: "DJ019",
};

const NGINX: Case = Case {
    file: "deploy/example.conf",
    filetype: "nginx",
    fixed: "NGX020",
    anchor: "café.example;",
    text: " autoindex on;",
    introduces: "NGX016",
};

const GUNICORN: Case = Case {
    file: "gunicorn.conf.py",
    filetype: "python",
    fixed: "STK004",
    anchor: "\"café 🚀\"",
    text: "; reload = True",
    introduces: "GUN005",
};

/// Open, wait for the diagnostics, apply a quick-fix, type an edit; each state compared with
/// the CLI on the same text.
fn scenario(case: &Case, enc: Enc, crlf: bool, checklist: bool) {
    let Some(nvim) = nvim() else { return };
    let dir = project();
    let root = canonical(dir.path());
    let path = root.join(case.file);
    if crlf {
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace('\n', "\r\n")).unwrap();
    }
    let original = std::fs::read_to_string(&path).unwrap();
    let initial = expected(&root, case.file, enc);
    let target = initial
        .iter()
        .find(|d| d.code == case.fixed)
        .unwrap_or_else(|| panic!("the CLI reports no {} in {}", case.fixed, case.file));
    // the fixture's point: a non-ASCII character before the finding makes the columns differ
    let (_, findings) = check_json(&["."], &root);
    let finding = findings
        .iter()
        .find(|f| f["path"] == case.file && f["code"] == case.fixed)
        .unwrap();
    let char_column = finding["column"].as_u64().unwrap() - 1;
    let line = &lines(&original)[target.lnum as usize];
    let (bytes, utf16) = (
        column_in(line, char_column, Enc::Utf8),
        column_in(line, char_column, Enc::Utf16),
    );
    assert!(
        bytes != utf16 && utf16 != char_column,
        "{}: pick a line where the columns differ in each encoding",
        case.file
    );
    let fix = &finding["fix"];
    let fixed_text = apply_fix(&original, fix);
    let fixed_lines = lines(&fixed_text);
    let (row, line) = fixed_lines
        .iter()
        .enumerate()
        .find(|(_, l)| l.contains(case.anchor))
        .unwrap();
    let col = line.find(case.anchor).unwrap() + case.anchor.len();
    let mut edited_lines = fixed_lines.clone();
    edited_lines[row].insert_str(col, case.text);

    let report = session(
        &nvim,
        json!({
            "encoding": enc.name(),
            "file": path,
            "action": {"code": case.fixed, "lnum": target.lnum, "col": target.col, "title": fix["title"]},
            "edit": {"row": row, "col": col, "text": case.text},
            "checklist": checklist,
        }),
    );
    let what = format!(
        "{} ({}, {})",
        case.file,
        enc.name(),
        if crlf { "CRLF" } else { "LF" }
    );

    // the shipped configuration: filetype, root marker, the negotiated encoding
    assert_eq!(report["filetype"], case.filetype, "{what}");
    assert_eq!(
        report["fileformat"],
        if crlf { "dos" } else { "unix" },
        "{what}"
    );
    let client = &report["client"];
    assert_eq!(client["offset_encoding"], enc.name(), "{what}");
    assert_eq!(client["server_encoding"], enc.name(), "{what}");
    assert_eq!(client["filetypes"], json!(["python", "nginx"]), "{what}");
    assert_eq!(client["root_dir"], json!(root), "{what}: root_markers");

    // 1. the diagnostics on opening
    assert_eq!(buffer(&report["initial"]), lines(&original), "{what}");
    assert_eq!(
        seen(&report["initial"]),
        initial,
        "{what}: diagnostics on opening"
    );

    // 2. the quick-fix, applied with the client's encoding
    let titles: Vec<&str> = report["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Ignore") && t.contains(case.fixed)),
        "{what}: no ignore action among {titles:?}"
    );
    let after_action = &report["after_action"];
    assert_eq!(
        buffer(after_action),
        fixed_lines,
        "{what}: the buffer after `{}`",
        fix["title"]
    );
    let fixed_copy = project_with(&fixed_lines, case.file, crlf);
    let after = expected(&canonical(fixed_copy.path()), case.file, enc);
    assert_eq!(
        seen(after_action),
        after,
        "{what}: diagnostics after the fix"
    );
    assert!(!after.iter().any(|d| d.code == case.fixed), "{what}");
    for before in initial.iter().filter(|d| d.code != case.fixed) {
        assert!(
            after
                .iter()
                .any(|d| d.code == before.code && d.message == before.message),
            "{what}: {} went away with the fix",
            before.code
        );
    }

    // 3. an incremental edit that introduces a finding
    let after_edit = &report["after_edit"];
    assert_eq!(
        buffer(after_edit),
        edited_lines,
        "{what}: the buffer after the edit"
    );
    let edited_copy = project_with(&edited_lines, case.file, crlf);
    let edited = expected(&canonical(edited_copy.path()), case.file, enc);
    assert!(
        edited.iter().any(|d| d.code == case.introduces),
        "{what}: the CLI does not see {} after the edit",
        case.introduces
    );
    assert_eq!(
        seen(after_edit),
        edited,
        "{what}: diagnostics after the edit"
    );

    // 4. :PreflightChecklist shows what `preflight checklist` prints for the edited project
    if checklist {
        let shown = &report["checklist"];
        assert_eq!(shown["buftype"], "nofile", "{what}");
        let cli = stdout(&preflight(&["checklist"], edited_copy.path()));
        assert!(cli.contains("- [ ]"), "{cli}");
        // the heading names the project by its folder, which differs between the two copies
        let folder = |p: &Path| format!("`{}`", p.file_name().unwrap().to_string_lossy());
        assert_eq!(
            buffer(shown).join("\n").trim_end(),
            cli.trim_end()
                .replacen(&folder(&canonical(edited_copy.path())), &folder(&root), 1),
            "{what}: :PreflightChecklist"
        );
    }
}

#[test]
fn settings_module_utf8_with_checklist() {
    scenario(&SETTINGS, Enc::Utf8, false, true);
}

#[test]
fn settings_module_utf16() {
    scenario(&SETTINGS, Enc::Utf16, false, false);
}

#[test]
fn settings_module_crlf_utf16() {
    scenario(&SETTINGS, Enc::Utf16, true, false);
}

#[test]
fn nginx_site_utf8() {
    scenario(&NGINX, Enc::Utf8, false, false);
}

#[test]
fn nginx_site_utf16() {
    scenario(&NGINX, Enc::Utf16, false, false);
}

#[test]
fn nginx_site_crlf_utf8() {
    scenario(&NGINX, Enc::Utf8, true, false);
}

#[test]
fn gunicorn_config_utf8() {
    scenario(&GUNICORN, Enc::Utf8, false, false);
}

#[test]
fn gunicorn_config_utf16() {
    scenario(&GUNICORN, Enc::Utf16, false, false);
}

/// editors/nvim/ftdetect gives `nginx` to exactly the files Preflight checks as nginx (the
/// CLI reports findings on them), and leaves Neovim's own answers alone.
#[test]
fn ftdetect_agrees_with_the_servers_nginx_detection() {
    let Some(nvim) = nvim() else { return };
    let site = "server {\n    listen 80;\n}\n";
    let ini = "[program:app]\ncommand=gunicorn\n";
    let files: &[(&str, &str)] = &[
        ("deploy/example.com.conf", site),
        ("deploy/plain.conf", "server_tokens on;\n"),
        ("sites-available/example", site),
        ("sites-enabled/example.conf", site),
        ("conf.d/default.conf", site),
        ("nginx/snippets/listing.conf", "autoindex on;\n"),
        (
            "misc/app.conf",
            "# by content\nupstream app {\n    server unix:/run/app.sock;\n}\nserver_tokens on;\n",
        ),
        ("misc/site.nginx", site),
        ("deploy/supervisor.conf", ini),
        ("sites-available/supervisor", ini),
        ("misc/settings.conf", "key = value\n"),
    ];
    let dir = tempfile::tempdir().unwrap();
    let root = canonical(dir.path());
    for (rel, text) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
    let (_, findings) = check_json(&["."], &root);
    let checked_as_nginx = |rel: &str| findings.iter().any(|f| f["path"] == rel);
    let report = session(
        &nvim,
        json!({"filetypes": files.iter().map(|(rel, _)| root.join(rel)).collect::<Vec<_>>()}),
    );
    let mut nginx_count = 0;
    for (rel, _) in files {
        let filetype = &report["filetypes"][root.join(rel).to_str().unwrap()];
        let nginx = checked_as_nginx(rel);
        nginx_count += usize::from(nginx);
        assert_eq!(
            *filetype == "nginx",
            nginx,
            "{rel}: Neovim says {filetype}, Preflight {}",
            if nginx {
                "checks it as nginx"
            } else {
                "does not"
            }
        );
    }
    assert_eq!(nginx_count, 8, "{findings:?}");

    // Neovim's own rules still win where they know better
    let own: &[(&str, &str, &str)] = &[
        (
            "etc/httpd/conf.d/site.conf",
            "<VirtualHost *:80>\n</VirtualHost>\n",
            "apache",
        ),
        ("sites-available/app.py", "x = 1\n", "python"),
        ("etc/tmux.conf", "set -g mouse on\n", "tmux"),
    ];
    for (rel, text, _) in own {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
    let report = session(
        &nvim,
        json!({"filetypes": own.iter().map(|(rel, _, _)| root.join(rel)).collect::<Vec<_>>()}),
    );
    for (rel, _, filetype) in own {
        assert_eq!(
            report["filetypes"][root.join(rel).to_str().unwrap()],
            *filetype,
            "{rel}"
        );
    }
}

/// Rule settings given the Neovim way (`init_options`, or `settings.preflight`, which Neovim
/// sends as workspace/didChangeConfiguration) act as the same keys in a preflight.toml do for
/// the CLI.
fn rule_settings(lsp: Value, equivalent_toml: &str) {
    let Some(nvim) = nvim() else { return };
    let dir = project();
    let root = canonical(dir.path());
    let case = &SETTINGS;
    let report = session(
        &nvim,
        json!({"encoding": "utf-16", "file": root.join(case.file), "lsp": lsp}),
    );
    let oracle = project();
    std::fs::write(oracle.path().join("preflight.toml"), equivalent_toml).unwrap();
    let expected = expected(&canonical(oracle.path()), case.file, Enc::Utf16);
    let defaults = self::expected(&root, case.file, Enc::Utf16);
    assert_ne!(expected, defaults, "the settings must change something");
    assert_eq!(seen(&report["initial"]), expected, "{lsp}");
}

#[test]
fn rule_settings_from_init_options() {
    rule_settings(
        json!({"init_options": {"ignore": ["DJ116", "DJ9"], "severity": {"DJ018": "error"}}}),
        "ignore = [\"DJ116\", \"DJ9\"]\n[severity]\nDJ018 = \"error\"\n",
    );
}

#[test]
fn rule_settings_from_settings() {
    rule_settings(
        json!({"settings": {"preflight": {"select": ["DJ0"], "severity": {"DJ004": "hint"}}}}),
        "select = [\"DJ0\"]\n[severity]\nDJ004 = \"hint\"\n",
    );
}
