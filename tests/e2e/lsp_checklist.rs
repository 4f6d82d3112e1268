//! The `preflight.checklist` command over the protocol: advertised, answered with the same
//! Markdown `preflight checklist` prints, from the editor's unsaved text, for a document, a
//! folder or the workspace.

mod cli_support;
mod fs_support;
mod project_support;
mod support;

use std::path::Path;

use cli_support::{preflight, stdout};
use project_support::{fixture, lsp_on};
use serde_json::{Value, json};
use support::{LspClient, file_uri};

const COMMAND: &str = "preflight.checklist";
const PRODUCTION: &str = "mysite/settings/production.py";

fn run(client: &mut LspClient, arguments: Value) -> Value {
    client.request(
        "workspace/executeCommand",
        json!({"command": COMMAND, "arguments": arguments}),
    )
}

fn markdown(client: &mut LspClient, arguments: Value) -> String {
    let response = run(client, arguments);
    response["result"]
        .as_str()
        .unwrap_or_else(|| panic!("a Markdown string: {response}"))
        .to_owned()
}

/// What `preflight checklist` prints, run in the project folder.
fn cli_markdown(root: &Path) -> String {
    stdout(&preflight(&["checklist"], root))
}

#[test]
fn the_command_is_advertised_and_answers_what_the_cli_prints() {
    let root = fixture("split_settings");
    let mut client = LspClient::spawn();
    let result = client.initialize(None, Some(&root), json!({}));
    let commands = &result["capabilities"]["executeCommandProvider"]["commands"];
    assert_eq!(*commands, json!([COMMAND]));

    let expected = cli_markdown(&root);
    assert!(expected.contains("**(failed)**"), "{expected}");
    let document = file_uri(&root.join(PRODUCTION));
    assert_eq!(markdown(&mut client, json!([document])), expected);
    // a folder, an object with a URI, or nothing (the workspace folder) name the same project
    let folder = file_uri(&root.join("mysite"));
    assert_eq!(markdown(&mut client, json!([folder])), expected);
    assert_eq!(markdown(&mut client, json!([{"uri": document}])), expected);
    assert_eq!(markdown(&mut client, json!([])), expected);
    assert!(client.shutdown().success());
}

#[test]
fn unsaved_edits_count() {
    let root = fixture("split_settings");
    let mut client = lsp_on(&root);
    let path = root.join(PRODUCTION);
    let uri = file_uri(&path);
    let before = markdown(&mut client, json!([uri]));
    assert!(
        before.contains("- [ ] `DEBUG` -- You must never enable debug in production. **(failed)**"),
        "{before}"
    );
    let text = std::fs::read_to_string(&path).unwrap() + "DEBUG = False\n";
    client.open(&uri, 1, &text);
    client.diagnostics(&uri, 1);
    let after = markdown(&mut client, json!([uri]));
    assert!(after.contains("- [x] `DEBUG` -- "), "{after}");
    assert!(!after.contains("DJ018"), "{after}");
    assert!(client.shutdown().success());
}

#[test]
fn without_known_production_the_report_says_what_it_covers() {
    let root = fixture("no_production");
    let mut client = lsp_on(&root);
    let md = markdown(&mut client, json!([]));
    assert_eq!(md, cli_markdown(&root));
    assert!(
        md.contains("No production settings module is known"),
        "{md}"
    );
    assert!(md.contains("`shop/settings/staging.py:4` DJ106"), "{md}");
    assert!(client.shutdown().success());
}

#[test]
fn bad_requests_get_errors_and_the_server_goes_on() {
    let root = fixture("split_settings");
    let mut client = lsp_on(&root);
    let unknown = client.request(
        "workspace/executeCommand",
        json!({"command": "preflight.nothing", "arguments": []}),
    );
    assert_eq!(unknown["error"]["code"], -32602, "{unknown}");
    let not_a_uri = run(&mut client, json!([42]));
    assert_eq!(not_a_uri["error"]["code"], -32602, "{not_a_uri}");
    assert!(
        markdown(&mut client, json!([])).contains("# Deployment checklist"),
        "still serving"
    );
    assert!(client.shutdown().success());

    // no workspace folder and nothing open: the command needs a URI
    let mut client = LspClient::spawn();
    client.initialize(None, None, json!({}));
    let nothing = run(&mut client, json!([]));
    assert_eq!(nothing["error"]["code"], -32602, "{nothing}");
    assert!(
        nothing["error"]["message"]
            .as_str()
            .unwrap()
            .contains("URI")
    );
    assert!(client.shutdown().success());
}

/// The command may be the first thing to load a project: its configuration problems are
/// published then, as after a document's analysis (later analyses find the project loaded).
#[test]
fn a_project_loaded_by_the_command_publishes_its_configuration_problems() {
    let root = fixture("config_problem");
    let mut client = lsp_on(&root);
    let md = markdown(&mut client, json!([]));
    assert!(md.contains("- [ ] `DEBUG`"), "{md}");
    let config = file_uri(&root.join("preflight.toml"));
    let published = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == config
    });
    let problems = published["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(support::codes(problems), vec!["CFG001".to_owned()]);
    assert!(client.shutdown().success());
}
