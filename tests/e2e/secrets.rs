//! Never print a secret: every output of `preflight` on `tests/fixtures/secrets` (a project that
//! commits every kind of secret, each a distinctive fake string) is scanned for every secret
//! value and for any 8-character window of one, so a truncated or partly quoted secret is
//! caught too. Outputs: `check` in every format, with and without `--fix` (stdout and stderr;
//! the fixed files themselves may keep the user's secret), `checklist` in Markdown and JSON, and
//! over stdio `preflight lsp`: every notification (diagnostics with their related information,
//! log and show messages), hover at every token of every file, every code action (titles and the
//! text its edits write), the `preflight.checklist` command, and the server's stderr. A leak is
//! reported by where it was found and which secret (by index), never by its value.

mod cli_support;
mod fs_support;
mod project_support;
mod support;

use std::path::{Path, PathBuf};

use cli_support::preflight;
use project_support::fixture_copy;
use serde_json::{Value, json};
use support::{Enc, LspClient, apply_text_edits, edits_for, file_uri};

/// The fake secrets of the fixture. Not secrets: the names, hosts, users, file paths.
const SECRETS: &[&str] = &[
    "s3cr3-XKcvDE8nGarDkQCFed",
    "fallb-ESFpeD8qHRuurDqrcD",
    "fallb-RCpJVdKnHqWp8xNGrq",
    "dbpw-uPaGpzEqDtQjxne5Xg",
    "dbpw-rgaWS6Ny5SFqWmjY2f",
    "dburl-VsEHkdM4YKjdCwE4pq",
    "dburl-68XYyZsjr7gE9FUhyw",
    "cache-ED2yWvqx8fVzbwZBgZ",
    "cache-MtHjDQ5VJ3SccjFMfc",
    "mailP-pUJ8epUzdZxbRKFNKR",
    "awsSA-wRAj9rNTVAKdnatqXJ",
    "tok-yktvx3Dg5x7pccccGh",
    "apik-ucDPEQfMHYsDGAqKnG",
    "dsnKE-atBEQtbKuTZsahHHjg",
    "csrfP-hhWFKG3Y3Th9yMmBQm",
    "envdf-aKynB4mWvFyTmaMZ5R",
    "dbpw-nn5kYuRt764P7S8c37",
    "mailE-RPmjZ2BB6UhTPysZf7",
    "gunie-2ZaFRGRhPYQhtt9Ahv",
    "gunie-Z7vF9wHb6z4PhNe6uY",
    "gunie-F72cgc3F2MMJBKrg7v",
    "ngxBe-Kt8shwZKppJBA72vGm",
    "ngxAp-3JeP8QBTQVkS4rXTnd",
    "ngxHd-9JD3Zgwr8md8kJnKmk",
    "ngxSe-Bf5NsA57KNKht2HpDX",
    "ngxUr-xmmph65GpDSPUC5Gkf",
    // under names that say nothing: hidden for looking random (redact::looks_like_secret)
    "sk_live_51Innoc3ntNam3dQ9xTz",
    "whsg-K8f3Qz9LmX2vR7tYpB4nW",
    "Upx7-Qm3ZtR9wLk2VbN8cJ",
    "gp-7HqLm2ZxR9tWv4Kc8NbJ",
];

/// How long a piece of a secret may be shown: any 8 consecutive characters count as a leak.
const WINDOW: usize = 8;

/// The files of the fixture the server is shown (relative path, language id).
const FILES: &[(&str, &str)] = &[
    ("mysite/settings.py", "python"),
    ("mysite/settings_env.py", "python"),
    ("gunicorn.conf.py", "python"),
    ("deploy/nginx/site.conf", "nginx"),
    ("manage.py", "python"),
];

/// Where each secret (by index) shows up in `text`: the whole value or a window of it.
fn leaks_in(text: &str) -> Vec<usize> {
    SECRETS
        .iter()
        .enumerate()
        .filter(|(_, secret)| {
            let chars: Vec<char> = secret.chars().collect();
            chars.windows(WINDOW.min(chars.len())).any(|w| {
                let piece: String = w.iter().collect();
                text.contains(&piece)
            })
        })
        .map(|(i, _)| i)
        .collect()
}

/// How many times any window of `secret` occurs in `text` (summed over the windows).
fn occurrences(text: &str, secret: &str) -> usize {
    let chars: Vec<char> = secret.chars().collect();
    chars
        .windows(WINDOW.min(chars.len()))
        .map(|w| text.matches(&w.iter().collect::<String>()).count())
        .sum()
}

/// Collects leaks as "where: secret #i" lines (no value printed).
#[derive(Default)]
struct Scan {
    leaks: Vec<String>,
    scanned: usize,
}

impl Scan {
    fn text(&mut self, place: &str, text: &str) {
        self.scanned += 1;
        for i in leaks_in(text) {
            self.leaks.push(format!("{place}: secret #{i}"));
        }
    }

    fn json(&mut self, place: &str, value: &Value) {
        self.text(place, &value.to_string());
    }

    /// Code actions: everything but the edits is scanned as text; the edits are applied to the
    /// files they edit, and a secret (any window of it) that occurs more often afterwards was
    /// written somewhere new. Rewriting the user's secret where it already is, or removing it
    /// (e.g. reading `os.environ[...]` instead), is fine.
    fn code_actions(&mut self, place: &str, actions: &Value, root: &Path) {
        for action in actions.as_array().into_iter().flatten() {
            let mut shown = action.clone();
            if let Some(object) = shown.as_object_mut() {
                object.remove("edit");
            }
            let title = action["title"].as_str().unwrap_or("?");
            self.json(&format!("{place} [{title}]"), &shown);
            let edit = &action["edit"];
            let mut uris: Vec<String> = edit["changes"]
                .as_object()
                .map(|c| c.keys().cloned().collect())
                .unwrap_or_default();
            uris.extend(
                edit["documentChanges"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|c| c["textDocument"]["uri"].as_str().map(String::from)),
            );
            uris.sort();
            uris.dedup();
            for uri in uris {
                let path = uri.strip_prefix("file://").expect("a file URI");
                assert!(path.starts_with(&*root.to_string_lossy()), "{uri}");
                let before = std::fs::read_to_string(path).unwrap_or_default();
                let after = apply_text_edits(&before, &edits_for(edit, &uri), Enc::Utf32);
                self.scanned += 1;
                for (i, secret) in SECRETS.iter().enumerate() {
                    if occurrences(&after, secret) > occurrences(&before, secret) {
                        self.leaks.push(format!(
                            "{place} [{title}]: its edit writes secret #{i} somewhere new"
                        ));
                    }
                }
            }
        }
    }

    fn assert_clean(&self, what: &str) {
        assert!(self.scanned > 0, "{what}: nothing scanned");
        assert!(
            self.leaks.is_empty(),
            "{what}: {} leak(s) of fixture secrets:\n{}",
            self.leaks.len(),
            self.leaks.join("\n")
        );
        println!("{what}: {} outputs scanned, no secret", self.scanned);
    }
}

#[test]
fn the_scanner_sees_a_secret_and_its_pieces() {
    // the scan itself must be able to fail: a whole secret, a truncated one, a middle piece
    let secret = SECRETS[0];
    assert_eq!(leaks_in(&format!("value `{secret}`")), vec![0]);
    assert_eq!(
        occurrences(&format!("{secret} {secret}"), secret),
        2 * (secret.len() - WINDOW + 1)
    );
    assert_eq!(leaks_in(&format!("{}...", &secret[..WINDOW])), vec![0]);
    assert_eq!(leaks_in(&secret[5..5 + WINDOW]), vec![0]);
    assert!(leaks_in(&secret[..WINDOW - 1]).is_empty());
    // and the fixture really holds every secret (a typo would make its scan vacuous)
    let root = project_support::fixture("secrets");
    let all: String = FILES
        .iter()
        .map(|(rel, _)| std::fs::read_to_string(root.join(rel)).unwrap())
        .collect();
    for (i, secret) in SECRETS.iter().enumerate() {
        assert!(all.contains(secret), "secret #{i} is not in the fixture");
    }
}

#[test]
fn the_cli_never_prints_a_secret() {
    let mut scan = Scan::default();
    for format in ["text", "json", "sarif", "github"] {
        for fix in [false, true] {
            // a fresh copy each time: --fix rewrites the files
            let dir = fixture_copy("secrets");
            let mut args = vec!["check", "--format", format];
            if fix {
                args.push("--fix");
            }
            let out = preflight(&args, dir.path());
            let place = format!("check --format {format}{}", if fix { " --fix" } else { "" });
            assert!(
                !out.stdout.is_empty(),
                "{place} printed nothing: the fixture must have findings"
            );
            scan.text(
                &format!("{place} stdout"),
                &String::from_utf8_lossy(&out.stdout),
            );
            scan.text(
                &format!("{place} stderr"),
                &String::from_utf8_lossy(&out.stderr),
            );
        }
    }
    let dir = fixture_copy("secrets");
    for args in [
        &["checklist"][..],
        &["checklist", "--format", "json"][..],
        &["checklist", "--format", "markdown"][..],
    ] {
        let out = preflight(args, dir.path());
        let place = args.join(" ");
        scan.text(
            &format!("{place} stdout"),
            &String::from_utf8_lossy(&out.stdout),
        );
        scan.text(
            &format!("{place} stderr"),
            &String::from_utf8_lossy(&out.stderr),
        );
    }
    // the rules that report on the secrets did report (else the scan proves little)
    let out = preflight(&["check", "--format", "json"], dir.path());
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = findings.iter().filter_map(|f| f["code"].as_str()).collect();
    for code in ["DJ101", "DJ102", "DJ108", "DJ109", "GUN019"] {
        assert!(codes.contains(&code), "no {code} in {codes:?}");
    }
    scan.assert_clean("CLI");
}

/// Start positions of the tokens of a line (a run of word characters, or one other
/// non-space character), as character offsets (the fixture is ASCII: any encoding agrees).
fn token_starts(line: &str) -> Vec<usize> {
    let chars: Vec<char> = line.chars().collect();
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '-' || c == '$';
    (0..chars.len())
        .filter(|&i| {
            !chars[i].is_whitespace() && (i == 0 || !(word(chars[i]) && word(chars[i - 1])))
        })
        .collect()
}

/// Every code action for `range` (and resolves any that come without their edit).
fn code_actions(client: &mut LspClient, uri: &str, range: Value, diagnostics: &[Value]) -> Value {
    let response = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": range,
            "context": {"diagnostics": diagnostics},
        }),
    );
    assert!(response.get("error").is_none(), "codeAction: {response}");
    response["result"].clone()
}

#[test]
fn the_language_server_never_shows_a_secret() {
    let dir = fixture_copy("secrets");
    let root: PathBuf = std::fs::canonicalize(dir.path()).unwrap();
    let stderr_path = root.join("..").join(format!(
        "{}-lsp-stderr.log",
        root.file_name().unwrap().to_string_lossy()
    ));
    let stderr_file = std::fs::File::create(&stderr_path).unwrap();
    let mut client = LspClient::spawn_with_stderr(stderr_file);
    let init = client.initialize(Some(&["utf-32"]), Some(&root), json!({}));
    let mut scan = Scan::default();
    scan.json("initialize result", &init);

    let mut hovers = 0;
    let mut actions = 0;
    for (rel, language) in FILES {
        let path = root.join(rel);
        let uri = file_uri(&path);
        let text = std::fs::read_to_string(&path).unwrap();
        client.open_as(&uri, language, 1, &text);
        let diagnostics = client.diagnostics(&uri, 1);
        scan.json(&format!("{rel}: publishDiagnostics"), &json!(diagnostics));

        // hover at every token of the file
        for (line_no, line) in text.lines().enumerate() {
            for character in token_starts(line) {
                let response = client.request(
                    "textDocument/hover",
                    json!({"textDocument": {"uri": uri}, "position": {"line": line_no, "character": character}}),
                );
                hovers += 1;
                scan.json(
                    &format!("{rel}:{}:{} hover", line_no + 1, character + 1),
                    &response,
                );
            }
        }

        // code actions: each diagnostic's own, and the whole file's (fix-all included)
        for d in &diagnostics {
            let result = code_actions(
                &mut client,
                &uri,
                d["range"].clone(),
                std::slice::from_ref(d),
            );
            actions += result.as_array().map_or(0, Vec::len);
            scan.code_actions(
                &format!(
                    "{rel}:{} {} code actions",
                    d["range"]["start"]["line"].as_u64().unwrap() + 1,
                    d["code"].as_str().unwrap_or("?")
                ),
                &result,
                &root,
            );
        }
        let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": text.lines().count(), "character": 0}});
        let result = code_actions(&mut client, &uri, whole, &diagnostics);
        actions += result.as_array().map_or(0, Vec::len);
        scan.code_actions(&format!("{rel}: whole-file code actions"), &result, &root);

        let checklist = client.request(
            "workspace/executeCommand",
            json!({"command": "preflight.checklist", "arguments": [uri]}),
        );
        scan.json(&format!("{rel}: preflight.checklist"), &checklist);
    }
    let checklist = client.request(
        "workspace/executeCommand",
        json!({"command": "preflight.checklist", "arguments": []}),
    );
    assert!(
        checklist["result"].is_string(),
        "checklist answered: {checklist}"
    );
    scan.json("preflight.checklist (workspace)", &checklist);

    // every notification the server sent: diagnostics (republished ones too), log and show
    // messages, progress, requests to the client
    let rest = client.drain(std::time::Duration::from_millis(500));
    for message in &rest {
        let method = message["method"].as_str().unwrap_or("response");
        scan.json(&format!("server message {method}"), message);
    }
    assert!(client.shutdown().success());
    let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
    scan.text("server stderr", &stderr);
    let _ = std::fs::remove_file(&stderr_path);
    println!("{hovers} hovers, {actions} code actions");
    assert!(
        hovers > 300 && actions > 0,
        "{hovers} hovers, {actions} actions"
    );
    scan.assert_clean("language server");
}
