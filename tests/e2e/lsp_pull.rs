//! Pull diagnostics for a client without `workspace/diagnostic/refresh` (Neovim 0.12 declares
//! `textDocument.diagnostic` but no refresh support): a pull that races a re-analysis (here a
//! configuration change, as Neovim sends right after `initialized`) must still be answered
//! with the diagnostics, since such a client has no way to learn that it should ask again.

mod support;

use serde_json::json;
use support::{LspClient, codes, file_uri};

const SETTINGS: &str = "DEBUG = True\nSECRET_KEY = \"django-insecure-short\"\n";

#[test]
fn a_pull_racing_a_configuration_change_gets_the_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.py");
    std::fs::write(&path, SETTINGS).unwrap();
    let uri = file_uri(&path);
    let mut client = LspClient::spawn();
    client.initialize(
        None,
        Some(dir.path()),
        json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}}),
    );
    client.open(&uri, 1, SETTINGS);
    for round in 0..100 {
        // the notification reschedules every open document; the pull arrives right behind it
        let ignore = if round % 2 == 0 {
            json!(["DJ009"])
        } else {
            json!([])
        };
        client.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"preflight": {"ignore": ignore}}}),
        );
        let response = client.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}}),
        );
        assert!(
            response.get("error").is_none(),
            "round {round}: a client without refresh support gets no second chance: {response}"
        );
        let items = response["result"]["items"].as_array().unwrap();
        assert!(
            codes(items).contains(&"DJ018".to_owned()),
            "round {round}: {response}"
        );
    }
    assert!(client.shutdown().success());
}
