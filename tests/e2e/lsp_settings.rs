//! The editor's rule settings (`initializationOptions`, `workspace/didChangeConfiguration`)
//! over a real stdio session: merged with the project's `[tool.preflight]` key by key, the file
//! winning by default, the editor with `editorFirst`; applied without a configuration file;
//! unusable values reported to the user, not guessed.

mod support;

use std::path::Path;

use serde_json::{Value, json};
use support::{LspClient, codes, file_uri};

const SETTINGS: &str = "DEBUG = True\nALLOWED_HOSTS = ['example.com']\nSECRET_KEY = 'x'\n";

/// A project whose settings report DJ018 (DEBUG) and DJ001 (no SecurityMiddleware), with `pyproject`
/// (if any) as its pyproject.toml. Returns the folder and the settings module's URI.
fn project(pyproject: Option<&str>) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("manage.py"), "").unwrap();
    std::fs::create_dir(dir.path().join("site")).unwrap();
    let settings = dir.path().join("site/settings.py");
    std::fs::write(&settings, SETTINGS).unwrap();
    if let Some(text) = pyproject {
        std::fs::write(dir.path().join("pyproject.toml"), text).unwrap();
    }
    (dir, file_uri(&settings))
}

fn start(root: &Path, options: Value) -> LspClient {
    let mut client = LspClient::spawn();
    client.call(
        "initialize",
        json!({
            "processId": std::process::id(),
            "rootUri": file_uri(root),
            "capabilities": {"textDocument": {"publishDiagnostics": {"versionSupport": true}}},
            "initializationOptions": options,
        }),
    );
    client.notify("initialized", json!({}));
    client
}

/// The next diagnostics published for `uri` that satisfy `pred` (fails after the timeout).
fn published(client: &mut LspClient, uri: &str, pred: impl Fn(&[String]) -> bool) -> Vec<Value> {
    let message = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && pred(&codes(m["params"]["diagnostics"].as_array().unwrap()))
    });
    message["params"]["diagnostics"].as_array().unwrap().clone()
}

fn has(codes: &[String], code: &str) -> bool {
    codes.iter().any(|c| c == code)
}

#[test]
fn the_file_wins_by_default_and_editor_first_turns_it_around() {
    let (dir, uri) = project(Some("[tool.preflight]\nignore = [\"DJ001\"]\n"));
    let mut client = start(dir.path(), json!({"ignore": ["DJ018"]}));
    client.open(&uri, 1, SETTINGS);
    // filesystemFirst: the file's `ignore` stands, the editor's is not used
    published(&mut client, &uri, |c| has(c, "DJ018") && !has(c, "DJ001"));

    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"preflight": {"ignore": ["DJ018"], "configurationPreference": "editorFirst"}}}),
    );
    published(&mut client, &uri, |c| !has(c, "DJ018") && has(c, "DJ001"));

    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"preflight": {"configurationPreference": "editorOnly"}}}),
    );
    published(&mut client, &uri, |c| has(c, "DJ018") && has(c, "DJ001"));
    assert!(client.shutdown().success());
}

#[test]
fn without_a_configuration_file_the_editor_settings_apply() {
    let (dir, uri) = project(None);
    let options = json!({"select": ["DJ0"], "severity": {"DJ018": "error"}});
    let mut client = start(dir.path(), options);
    client.open(&uri, 1, SETTINGS);
    let diagnostics = published(&mut client, &uri, |c| has(c, "DJ018"));
    assert!(
        codes(&diagnostics).iter().all(|c| c.starts_with("DJ0")),
        "select = DJ0: {:?}",
        codes(&diagnostics)
    );
    let debug = diagnostics.iter().find(|d| d["code"] == "DJ018").unwrap();
    assert_eq!(
        debug["severity"], 1,
        "DJ018 configured as an error: {debug}"
    );

    // the same settings with nothing set: the checklist rules (DJ1xx) come back, DJ018 is a warning
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"preflight": {}}}),
    );
    let diagnostics = published(&mut client, &uri, |c| {
        c.iter().any(|c| c.starts_with("DJ1"))
    });
    let debug = diagnostics.iter().find(|d| d["code"] == "DJ018").unwrap();
    assert_eq!(debug["severity"], 2, "{debug}");
    assert!(client.shutdown().success());
}

#[test]
fn unusable_settings_are_reported_and_leave_the_defaults() {
    let (dir, uri) = project(None);
    let options = json!({"ignore": "DJ018", "severity": {"DJ001": "loud"}});
    let mut client = start(dir.path(), options);
    let warning = client.wait_for(|m| m["method"] == "window/showMessage");
    assert_eq!(warning["params"]["type"], 2, "{warning}");
    let text = warning["params"]["message"].as_str().unwrap();
    assert!(text.contains("`ignore`"), "{text}");
    client.open(&uri, 1, SETTINGS);
    published(&mut client, &uri, |c| has(c, "DJ018") && has(c, "DJ001"));
    assert!(client.shutdown().success());
}
