//! Protocol tests: a real client over stdio against `preflight lsp`.

mod support;

use std::time::Duration;

use serde_json::{Value, json};
use support::{
    Enc, LspClient, apply_text_edits, codes, edits_for, file_uri, offset, python_parses, range,
};

/// A settings module whose `DEBUG` comes after emoji (surrogate pairs), a skin-tone modifier and
/// combining marks, on its own line and on the line before.
const UNICODE_SETTINGS: &str = "# Réglages de production — 😀 e\u{301} ✓\n\
GREETING = \"😀👍🏽e\u{301}\u{302}\"; DEBUG = True\n\
ALLOWED_HOSTS = [\"example.com\"]\n";

fn settings_uri(dir: &tempfile::TempDir) -> String {
    file_uri(&dir.path().join("mysite").join("settings.py"))
}

fn start(enc: Option<&[&str]>) -> (LspClient, Value) {
    let mut client = LspClient::spawn();
    let result = client.initialize(enc, None, json!({}));
    (client, result)
}

fn find<'a>(diagnostics: &'a [Value], code: &str) -> &'a Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {:?}", codes(diagnostics)))
}

fn byte_range(text: &str, needle: &str, nth_from_end: bool) -> (usize, usize) {
    let start = if nth_from_end {
        text.rfind(needle)
    } else {
        text.find(needle)
    }
    .unwrap();
    (start, start + needle.len())
}

#[test]
fn initialize_negotiates_and_echoes_the_position_encoding() {
    let cases: [(Option<&[&str]>, &str); 5] = [
        (Some(&["utf-16", "utf-8", "utf-32"]), "utf-8"),
        (Some(&["utf-8"]), "utf-8"),
        (Some(&["utf-32", "utf-16"]), "utf-16"),
        (Some(&["utf-32"]), "utf-32"),
        (None, "utf-16"),
    ];
    for (offered, chosen) in cases {
        let (client, result) = start(offered);
        let caps = &result["capabilities"];
        assert_eq!(caps["positionEncoding"], chosen, "offered {offered:?}");
        // incremental sync, quick-fixes and fix-all
        assert_eq!(caps["textDocumentSync"]["change"], 2);
        let kinds = caps["codeActionProvider"]["codeActionKinds"]
            .as_array()
            .unwrap();
        assert!(
            kinds.contains(&json!("quickfix")) && kinds.contains(&json!("source.fixAll.preflight"))
        );
        assert_eq!(result["serverInfo"]["name"], "preflight");
        assert!(client.shutdown().success());
    }
}

#[test]
fn diagnostic_ranges_are_exact_in_every_encoding() {
    let text = UNICODE_SETTINGS;
    let (debug_start, debug_end) = byte_range(text, "DEBUG", true);
    for enc in Enc::ALL {
        let dir = tempfile::tempdir().unwrap();
        let uri = settings_uri(&dir);
        let (mut client, _) = start(Some(&[enc.name()]));
        client.open(&uri, 7, text);
        let diagnostics = client.diagnostics(&uri, 7);
        let debug = find(&diagnostics, "DJ018");
        assert_eq!(
            debug["range"],
            range(text, debug_start, debug_end, enc),
            "{enc:?}"
        );
        assert_eq!(debug["source"], "preflight");
        assert_eq!(debug["severity"], 2);
        assert_eq!(
            debug["codeDescription"]["href"],
            preflight_core::rules::docs_url("DJ018")
        );
        assert!(
            debug["message"]
                .as_str()
                .unwrap()
                .ends_with("(security.W018)")
        );
        // every range lies on a real character boundary of the text, in this encoding
        for d in &diagnostics {
            let start = offset(text, &d["range"]["start"], enc);
            let end = offset(text, &d["range"]["end"], enc);
            assert!(start <= end && end <= text.len());
        }
        assert!(client.shutdown().success());
    }
}

#[test]
fn incremental_changes_apply_in_order_and_republish_with_the_version() {
    let dir = tempfile::tempdir().unwrap();
    let uri = settings_uri(&dir);
    let (mut client, _) = start(Some(&["utf-16"]));
    let mut text = String::from("DEBUG = True\nALLOWED_HOSTS = [\"example.com\"]\n");
    client.open(&uri, 1, &text);
    assert!(codes(&client.diagnostics(&uri, 1)).contains(&"DJ018".to_owned()));

    // two changes in one notification: the second's positions refer to the text the first left
    let header = "# 😀 café\n";
    let first = json!({"range": range(&text, 0, 0, Enc::Utf16), "text": header});
    text.insert_str(0, header);
    let (t0, t1) = byte_range(&text, "True", false);
    let second = json!({"range": range(&text, t0, t1, Enc::Utf16), "text": "False"});
    text.replace_range(t0..t1, "False");
    client.change(&uri, 2, json!([first, second]));
    let diagnostics = client.diagnostics(&uri, 2);
    assert!(
        !codes(&diagnostics).contains(&"DJ018".to_owned()),
        "{diagnostics:?}"
    );

    // turn it back on, after an emoji on the same line: the range must follow
    let (f0, f1) = byte_range(&text, "DEBUG = False", false);
    let replacement = "X = '😀'; DEBUG = 1";
    client.change(
        &uri,
        3,
        json!([{"range": range(&text, f0, f1, Enc::Utf16), "text": replacement}]),
    );
    text.replace_range(f0..f1, replacement);
    let diagnostics = client.diagnostics(&uri, 3);
    let (d0, d1) = byte_range(&text, "DEBUG", false);
    assert_eq!(
        find(&diagnostics, "DJ018")["range"],
        range(&text, d0, d1, Enc::Utf16)
    );
    assert!(client.shutdown().success());
}

#[test]
fn quick_fix_round_trip_in_a_crlf_file() {
    for enc in [Enc::Utf16, Enc::Utf8] {
        let dir = tempfile::tempdir().unwrap();
        let uri = settings_uri(&dir);
        let (mut client, _) = start(Some(&[enc.name()]));
        let mut text = UNICODE_SETTINGS.replace('\n', "\r\n");
        client.open(&uri, 1, &text);
        let diagnostics = client.diagnostics(&uri, 1);
        let debug = find(&diagnostics, "DJ018").clone();
        let (d0, d1) = byte_range(&text, "DEBUG", true);
        assert_eq!(debug["range"], range(&text, d0, d1, enc));

        let actions = client.call(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": debug["range"],
                "context": {"diagnostics": [debug], "only": ["quickfix"]},
            }),
        );
        let actions = actions.as_array().unwrap();
        let fix = actions
            .iter()
            .find(|a| a["kind"] == "quickfix" && a["diagnostics"][0]["code"] == "DJ018")
            .unwrap_or_else(|| panic!("no quick-fix for DJ018 in {actions:?}"));
        let edits = edits_for(&fix["edit"], &uri);
        assert!(!edits.is_empty());
        let fixed = apply_text_edits(&text, &edits, enc);
        assert!(
            python_parses(&fixed),
            "the fix leaves invalid Python:\n{fixed}"
        );
        assert!(
            !fixed.replace("\r\n", "").contains('\n'),
            "the fix must keep CRLF line endings: {fixed:?}"
        );

        // the editor applies the edits as incremental changes, as VS Code does (last first)
        let mut sorted = edits.clone();
        sorted.sort_by_key(|e| std::cmp::Reverse(offset(&text, &e["range"]["start"], enc)));
        let changes: Vec<Value> = sorted
            .iter()
            .map(|e| json!({"range": e["range"], "text": e["newText"]}))
            .collect();
        client.change(&uri, 2, Value::Array(changes));
        text = fixed;
        let diagnostics = client.diagnostics(&uri, 2);
        assert!(
            !codes(&diagnostics).contains(&"DJ018".to_owned()),
            "{diagnostics:?}\n{text}"
        );
        assert!(client.shutdown().success());
    }
}

#[test]
fn fix_all_applies_every_safe_fix() {
    let dir = tempfile::tempdir().unwrap();
    let uri = settings_uri(&dir);
    let (mut client, _) = start(Some(&["utf-16"]));
    let text = "import os\n\
SECRET_KEY = os.environ[\"SECRET_KEY\"]\n\
DEBUG = True\n\
ALLOWED_HOSTS = [\"example.com\"]\n\
MIDDLEWARE = [\n    \"django.middleware.common.CommonMiddleware\",\n]\n";
    client.open(&uri, 1, text);
    let before = client.diagnostics(&uri, 1);
    assert!(!before.is_empty());

    // the codes whose quick-fix is preferred (= safe), as the client sees them
    let whole = range(text, 0, text.len(), Enc::Utf16);
    let quick = client.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": whole, "context": {"diagnostics": before}}),
    );
    let safe: Vec<String> = quick
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "quickfix" && a["isPreferred"] == true)
        .map(|a| a["diagnostics"][0]["code"].as_str().unwrap().to_owned())
        .collect();
    assert!(safe.len() >= 2, "expected several safe fixes, got {safe:?}");

    let actions = client.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range(text, 0, 0, Enc::Utf16),
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.preflight");
    let fixed = apply_text_edits(text, &edits_for(&actions[0]["edit"], &uri), Enc::Utf16);
    assert!(
        python_parses(&fixed),
        "fix-all leaves invalid Python:\n{fixed}"
    );

    client.change(&uri, 2, json!([{"text": fixed}]));
    let after = codes(&client.diagnostics(&uri, 2));
    for code in &safe {
        assert!(
            !after.contains(code),
            "{code} survived fix-all:\n{fixed}\n{after:?}"
        );
    }
    assert!(client.shutdown().success());
}

#[test]
fn survives_malformed_json_rpc_and_wrong_params() {
    let dir = tempfile::tempdir().unwrap();
    let uri = settings_uri(&dir);
    let (mut client, _) = start(Some(&["utf-16"]));

    // not JSON at all: a parse error answered with a null id
    let garbage = b"{\"jsonrpc\": \"2.0\", \"method\": ";
    client.send_raw(format!("Content-Length: {}\r\n\r\n", garbage.len()).as_bytes());
    client.send_raw(garbage);
    let error = client.wait_for(|m| m["id"].is_null() && m.get("error").is_some());
    assert_eq!(error["error"]["code"], -32700);

    // JSON that is not a JSON-RPC message: invalid request, echoing its id
    client.send(&json!({"id": 77, "params": [1, 2]}));
    let error = client.wait_for(|m| m["id"] == 77);
    assert_eq!(error["error"]["code"], -32600);
    // a header block without Content-Length, then a good message
    client.send_raw(b"Content-Type: application/vscode-jsonrpc\r\n\r\n");
    let error = client.wait_for(|m| m["id"].is_null() && m.get("error").is_some());
    assert_eq!(error["error"]["code"], -32700);

    // a request with the wrong params: invalid params, and the server goes on
    let response = client.request("textDocument/codeAction", json!({"textDocument": 42}));
    assert_eq!(response["error"]["code"], -32602, "{response}");
    // a notification with the wrong params is dropped
    client.notify("textDocument/didChange", json!({"contentChanges": "nope"}));
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": 7}}));
    // an unknown request gets "method not found"
    let response = client.request("preflight/noSuchMethod", json!({}));
    assert_eq!(response["error"]["code"], -32601, "{response}");

    client.open(&uri, 1, "DEBUG = True\nALLOWED_HOSTS = ['x']\n");
    assert!(codes(&client.diagnostics(&uri, 1)).contains(&"DJ018".to_owned()));
    assert!(client.alive());
    assert!(client.shutdown().success());
}

#[test]
fn edits_past_the_end_are_clamped() {
    let dir = tempfile::tempdir().unwrap();
    let uri = settings_uri(&dir);
    let (mut client, _) = start(Some(&["utf-16"]));
    client.open(&uri, 1, "ALLOWED_HOSTS = ['😀']\n");
    client.diagnostics(&uri, 1);
    let far = json!({"line": 500, "character": 9000});
    client.change(
        &uri,
        2,
        json!([
            // past the end of the document: appended
            {"range": {"start": far, "end": far}, "text": "DEBUG = True\n"},
            // a column past the end of the line, and an end before the start: the range is
            // [end, start], so this replaces "]" with "]"
            {"range": {"start": {"line": 0, "character": 400}, "end": {"line": 0, "character": 21}}, "text": "]"},
            // half a surrogate pair: snaps to the start of the emoji
            {"range": {"start": {"line": 0, "character": 19}, "end": {"line": 0, "character": 19}}, "text": "x"},
        ]),
    );
    let diagnostics = client.diagnostics(&uri, 2);
    let text = "ALLOWED_HOSTS = ['x😀']\nDEBUG = True\n";
    let (d0, d1) = byte_range(text, "DEBUG", false);
    assert_eq!(
        find(&diagnostics, "DJ018")["range"],
        range(text, d0, d1, Enc::Utf16)
    );
    assert!(
        !codes(&diagnostics).contains(&"DJ000".to_owned()),
        "{diagnostics:?}"
    );
    assert!(client.alive());
    assert!(client.shutdown().success());
}

#[test]
fn closing_a_document_clears_its_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let uri = settings_uri(&dir);
    let (mut client, _) = start(None);
    client.open(&uri, 1, "DEBUG = True\n");
    assert!(!client.diagnostics(&uri, 1).is_empty());
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let cleared = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["version"].is_null()
    });
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    assert!(client.shutdown().success());
}

#[test]
fn a_change_to_an_imported_module_re_diagnoses_its_importers() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("mysite").join("settings");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("__init__.py"), "").unwrap();
    let base_text = "SECRET_KEY = 'x'\nDEBUG = True\n";
    std::fs::write(pkg.join("base.py"), base_text).unwrap();
    let prod_text = "from .base import *\nALLOWED_HOSTS = ['example.com']\nINSTALLED_APPS = []\nMIDDLEWARE = []\n";
    std::fs::write(pkg.join("production.py"), prod_text).unwrap();
    let (base, prod) = (
        file_uri(&pkg.join("base.py")),
        file_uri(&pkg.join("production.py")),
    );

    let (mut client, _) = start(Some(&["utf-16"]));
    client.open(&prod, 1, prod_text);
    let diagnostics = client.diagnostics(&prod, 1);
    let debug = find(&diagnostics, "DJ018");
    // reported at the import, with the assignment in base.py as related information
    let (i0, i1) = byte_range(prod_text, ".base", false);
    assert!(offset(prod_text, &debug["range"]["start"], Enc::Utf16) <= i0);
    assert!(offset(prod_text, &debug["range"]["end"], Enc::Utf16) >= i1);
    let related = &debug["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], base);
    let (b0, b1) = byte_range(base_text, "DEBUG", false);
    assert_eq!(related["range"], range(base_text, b0, b1, Enc::Utf16));

    // opening base.py re-diagnoses production.py against the open text (still DEBUG = True)
    client.open(&base, 1, base_text);
    client.diagnostics(&base, 1);
    assert!(codes(&client.diagnostics(&prod, 1)).contains(&"DJ018".to_owned()));
    // editing base.py (unsaved) re-diagnoses production.py
    let (t0, t1) = byte_range(base_text, "True", false);
    client.change(
        &base,
        2,
        json!([{"range": range(base_text, t0, t1, Enc::Utf16), "text": "False"}]),
    );
    let diagnostics = client.diagnostics(&prod, 1);
    assert!(
        !codes(&diagnostics).contains(&"DJ018".to_owned()),
        "{diagnostics:?}"
    );
    assert!(client.shutdown().success());
}

#[test]
fn pull_clients_get_diagnostics_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let uri = settings_uri(&dir);
    let mut client = LspClient::spawn();
    let result = client.initialize(
        Some(&["utf-32"]),
        Some(dir.path()),
        json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}}),
    );
    assert_eq!(
        result["capabilities"]["diagnosticProvider"]["interFileDependencies"],
        true
    );
    let text = UNICODE_SETTINGS;
    client.open(&uri, 1, text);
    let report = client.call(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(report["kind"], "full");
    let items = report["items"].as_array().unwrap();
    let (d0, d1) = byte_range(text, "DEBUG", true);
    assert_eq!(
        find(items, "DJ018")["range"],
        range(text, d0, d1, Enc::Utf32)
    );
    // a pull client is not also pushed the same diagnostics
    let pushed = client.drain(Duration::from_millis(300));
    assert!(
        !pushed
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "{pushed:?}"
    );
    assert!(client.shutdown().success());
}

#[test]
fn exit_without_shutdown_is_an_error_exit() {
    let (client, _) = start(None);
    let status = client.exit_without_shutdown();
    assert_eq!(status.code(), Some(1));
}

#[test]
fn exit_without_a_workspace_folder_or_documents() {
    let client = LspClient::spawn();
    let mut client = client;
    client.initialize(None, None, json!({}));
    assert!(client.alive());
    assert!(client.shutdown().success());
}

#[test]
fn ignore_action_adds_a_suppression_comment_that_silences_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let uri = settings_uri(&dir);
    let (mut client, _) = start(Some(&["utf-8"]));
    let text = UNICODE_SETTINGS;
    client.open(&uri, 1, text);
    let diagnostics = client.diagnostics(&uri, 1);
    let debug = find(&diagnostics, "DJ018").clone();
    let actions = client.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": debug["range"], "context": {"diagnostics": [debug]}}),
    );
    let ignore = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Ignore DJ018 on this line")
        .unwrap_or_else(|| panic!("no ignore action in {actions}"))
        .clone();
    let fixed = apply_text_edits(text, &edits_for(&ignore["edit"], &uri), Enc::Utf8);
    assert!(
        fixed.contains("DEBUG = True  # preflight: ignore[DJ018]\n"),
        "{fixed}"
    );
    assert!(python_parses(&fixed));
    client.change(&uri, 2, json!([{"text": fixed}]));
    let after = client.diagnostics(&uri, 2);
    assert!(!codes(&after).contains(&"DJ018".to_owned()), "{after:?}");
    // the other diagnostics are untouched
    assert_eq!(after.len(), diagnostics.len() - 1);
    assert!(client.shutdown().success());
}

#[test]
fn rapid_edits_never_publish_stale_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let uri = settings_uri(&dir);
    let (mut client, _) = start(Some(&["utf-16"]));
    let mut text = String::from("ALLOWED_HOSTS = ['example.com']\nDEBUG = True\n");
    client.open(&uri, 1, &text);
    // type a statement with emoji in front of DEBUG, one character per didChange, as fast as
    // possible (most intermediate texts do not parse)
    let typed = "X='😀é'; ";
    let mut version = 1;
    for ch in typed.chars() {
        let at = text.find("DEBUG").unwrap();
        version += 1;
        let s = ch.to_string();
        client.change(
            &uri,
            version,
            json!([{"range": range(&text, at, at, Enc::Utf16), "text": s}]),
        );
        text.insert(at, ch);
    }
    // diagnostics arrive in version order, ending with the last version
    let mut seen = Vec::new();
    let last = loop {
        let m = client.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        let v = m["params"]["version"].as_i64().unwrap();
        seen.push(v);
        if v == i64::from(version) {
            break m;
        }
    };
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "out of order: {seen:?}"
    );
    // nothing stale arrives afterwards
    let later = client.drain(Duration::from_millis(300));
    assert!(
        !later
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "{later:?}"
    );
    let (d0, d1) = byte_range(&text, "DEBUG", false);
    let diagnostics = last["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(
        find(diagnostics, "DJ018")["range"],
        range(&text, d0, d1, Enc::Utf16)
    );
    assert!(client.shutdown().success());
}

#[test]
fn a_module_changed_on_disk_re_diagnoses_its_open_importers() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("mysite").join("settings");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("__init__.py"), "").unwrap();
    std::fs::write(pkg.join("base.py"), "DEBUG = True\n").unwrap();
    let prod_text = "from .base import *\nALLOWED_HOSTS = ['example.com']\n";
    let prod = file_uri(&pkg.join("production.py"));

    let mut client = LspClient::spawn();
    client.initialize(
        Some(&["utf-16"]),
        Some(dir.path()),
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
    );
    // the server registers its file watchers
    let registration = client.wait_for(|m| m["method"] == "client/registerCapability");
    let watchers = &registration["params"]["registrations"][0]["registerOptions"]["watchers"];
    // modules, and the deployment files that name the settings module and start gunicorn
    for glob in ["**/*.py", "**/Procfile", "**/Dockerfile*", "**/*.service"] {
        assert!(
            watchers
                .as_array()
                .unwrap()
                .iter()
                .any(|w| w["globPattern"] == glob),
            "{glob}: {watchers:#}"
        );
    }

    client.open(&prod, 1, prod_text);
    assert!(codes(&client.diagnostics(&prod, 1)).contains(&"DJ018".to_owned()));
    std::fs::write(pkg.join("base.py"), "DEBUG = False\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&pkg.join("base.py")), "type": 2}]}),
    );
    let diagnostics = client.diagnostics(&prod, 1);
    assert!(
        !codes(&diagnostics).contains(&"DJ018".to_owned()),
        "{diagnostics:?}"
    );
    assert!(client.shutdown().success());
}

#[test]
fn pull_clients_are_asked_to_refresh_when_an_import_changes() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("mysite").join("settings");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("__init__.py"), "").unwrap();
    let base_text = "DEBUG = True\n";
    std::fs::write(pkg.join("base.py"), base_text).unwrap();
    let prod_text = "from .base import *\nALLOWED_HOSTS = ['example.com']\n";
    let (base, prod) = (
        file_uri(&pkg.join("base.py")),
        file_uri(&pkg.join("production.py")),
    );

    let mut client = LspClient::spawn();
    client.initialize(
        None,
        Some(dir.path()),
        json!({"textDocument": {"diagnostic": {}}, "workspace": {"diagnostics": {"refreshSupport": true}}}),
    );
    client.open(&prod, 1, prod_text);
    client.open(&base, 1, base_text);
    let pull = |client: &mut LspClient| {
        let report = client.call(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": prod}}),
        );
        codes(report["items"].as_array().unwrap())
    };
    assert!(pull(&mut client).contains(&"DJ018".to_owned()));
    client.drain(Duration::from_millis(300));

    client.change(&base, 2, json!([{"text": "DEBUG = False\n"}]));
    client.wait_for(|m| m["method"] == "workspace/diagnostic/refresh");
    assert!(!pull(&mut client).contains(&"DJ018".to_owned()));
    assert!(client.shutdown().success());
}

#[test]
fn configuration_is_discovered_from_the_document_and_followed_on_change() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("mysite")).unwrap();
    std::fs::write(dir.path().join("manage.py"), "").unwrap();
    let config = dir.path().join("preflight.toml");
    std::fs::write(&config, "ignore = [\"DJ018\"]\n").unwrap();
    let uri = settings_uri(&dir);
    let text = "DEBUG = True\nALLOWED_HOSTS = []\n";
    std::fs::write(dir.path().join("mysite").join("settings.py"), text).unwrap();

    // no workspace folder at all: the project is found from the document's path
    let (mut client, _) = start(None);
    client.open(&uri, 1, text);
    let first = codes(&client.diagnostics(&uri, 1));
    assert!(!first.contains(&"DJ018".to_owned()), "{first:?}");
    assert!(first.contains(&"DJ020".to_owned()), "{first:?}");
    // the log says which configuration file is used
    let log = client.wait_for(|m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .unwrap()
                .contains("preflight.toml")
    });
    assert!(
        log["params"]["message"]
            .as_str()
            .unwrap()
            .contains(&config.display().to_string())
    );

    std::fs::write(&config, "ignore = []\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 2}]}),
    );
    assert!(codes(&client.diagnostics(&uri, 1)).contains(&"DJ018".to_owned()));
    assert!(client.shutdown().success());
}

#[test]
fn hover_shows_a_settings_value_and_hides_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let uri = settings_uri(&dir);
    let (mut client, init) = start(Some(&["utf-16"]));
    assert_eq!(init["capabilities"]["hoverProvider"], true);
    let text = "SECRET_KEY = 'hunter2-very-secret-value'\nX = '😀'; DEBUG = True\n";
    client.open(&uri, 1, text);
    client.diagnostics(&uri, 1);
    let hover = |client: &mut LspClient, offset: usize| {
        client.call(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": support::position(text, offset, Enc::Utf16)}),
        )
    };
    let (d0, d1) = byte_range(text, "DEBUG", false);
    let debug = hover(&mut client, d0 + 2);
    assert_eq!(debug["range"], range(text, d0, d1, Enc::Utf16));
    let value = debug["contents"]["value"].as_str().unwrap();
    assert!(value.contains("DEBUG") && value.contains("True"), "{value}");
    let secret = hover(&mut client, 3);
    let value = secret["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("SECRET_KEY") && !value.contains("hunter2"),
        "{value}"
    );
    // nothing to say about an operator
    let (e0, _) = byte_range(text, "= True", false);
    assert_eq!(hover(&mut client, e0), Value::Null);
    assert!(client.shutdown().success());
}

#[test]
fn without_client_file_watchers_the_server_notices_disk_changes_itself() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("mysite").join("settings");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("__init__.py"), "").unwrap();
    std::fs::write(pkg.join("base.py"), "DEBUG = True\n").unwrap();
    let prod_text = "from .base import *\nALLOWED_HOSTS = ['example.com']\n";
    let prod = file_uri(&pkg.join("production.py"));

    // no didChangeWatchedFiles capability, as Neovim on Linux
    let (mut client, _) = start(Some(&["utf-8"]));
    client.open(&prod, 1, prod_text);
    assert!(codes(&client.diagnostics(&prod, 1)).contains(&"DJ018".to_owned()));
    // let the server take note of base.py as it is, then change it behind the editor's back
    std::thread::sleep(Duration::from_millis(2500));
    std::fs::write(pkg.join("base.py"), "DEBUG = False\n").unwrap();
    let diagnostics = client.diagnostics(&prod, 1);
    assert!(
        !codes(&diagnostics).contains(&"DJ018".to_owned()),
        "{diagnostics:?}"
    );
    assert!(client.shutdown().success());
}

#[test]
fn problems_in_the_configuration_file_are_published_on_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("mysite")).unwrap();
    std::fs::write(dir.path().join("manage.py"), "").unwrap();
    let config = dir.path().join("preflight.toml");
    let config_text = "# réglages 😀\nignroe = [\"DJ018\"]\n";
    std::fs::write(&config, config_text).unwrap();
    let uri = settings_uri(&dir);
    let (mut client, _) = start(Some(&["utf-16"]));
    client.open(&uri, 1, "DEBUG = True\n");
    let published = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == file_uri(&config)
    });
    let problems = published["params"]["diagnostics"].as_array().unwrap();
    let unknown = find(problems, "CFG001");
    let (k0, k1) = byte_range(config_text, "ignroe", false);
    assert_eq!(
        unknown["range"],
        range(config_text, k0, k1, Enc::Utf16),
        "{unknown}"
    );
    assert!(client.shutdown().success());
}

/// A long run of consecutive comment lines in an indented block is quadratic in
/// tree-sitter-python's scanner (minutes for 1 MB in a debug build). The parse stops at its budget (3 s for 1 MB): the
/// server goes on serving, publishes the timeout diagnostic, does not parse the same text
/// again, and tries again after an edit.
#[test]
fn a_document_too_slow_to_parse_does_not_stall_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let slow_uri = file_uri(&dir.path().join("legacy").join("settings.py"));
    let other_uri = settings_uri(&dir);
    let mut slow = String::from("DEBUG = True\nif DEBUG:\n    pass\n");
    while slow.len() < 1024 * 1024 {
        slow.push_str("    # a comment line of ordinary length, as a long commented-out block\n");
    }
    let (mut client, _) = start(None);
    let start = std::time::Instant::now();
    client.open(&slow_uri, 1, &slow);
    client.open(&other_uri, 1, "DEBUG = True\n");
    // the other document is diagnosed once the slow parse has stopped at its budget
    assert!(!client.diagnostics(&other_uri, 1).is_empty());
    let timeout = client.diagnostics(&slow_uri, 1);
    assert!(
        start.elapsed() < Duration::from_secs(15),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(codes(&timeout), ["DJ000"]);
    assert_eq!(
        timeout[0]["range"],
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}})
    );
    assert!(
        timeout[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Preflight stopped parsing this file after 3 s"),
        "{timeout:?}"
    );
    // requests on the document are answered without parsing it again
    let asked = std::time::Instant::now();
    let hover = client.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": slow_uri}, "position": {"line": 0, "character": 1}}),
    );
    assert_eq!(hover, Value::Null);
    // a change that leaves the same text is not parsed again (that would take the budget)
    client.change(&slow_uri, 2, json!([]));
    assert_eq!(codes(&client.diagnostics(&slow_uri, 2)), ["DJ000"]);
    assert!(
        asked.elapsed() < Duration::from_secs(2),
        "{:?}",
        asked.elapsed()
    );
    // an edit parses again, from scratch, on a worker: meanwhile the server answers
    client.change(
        &slow_uri,
        3,
        json!([{"range": range(&slow, 0, 0, Enc::Utf16), "text": "X = 1\n"}]),
    );
    let asked = std::time::Instant::now();
    let hover = client.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": other_uri}, "position": {"line": 0, "character": 1}}),
    );
    let answered = asked.elapsed();
    assert!(hover["contents"].to_string().contains("DEBUG"), "{hover}");
    assert!(
        answered < Duration::from_secs(1),
        "a hover waited {answered:?} for the slow document's parse"
    );
    assert_eq!(codes(&client.diagnostics(&slow_uri, 3)), ["DJ000"]);
    assert!(client.shutdown().success());
}
