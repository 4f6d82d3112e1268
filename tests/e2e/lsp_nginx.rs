//! nginx documents over the protocol: the unquoted-regex syntax error (NGX032) at the exact range, gone after an incremental
//! edit that quotes the regex, and the quick-fix that does the same.

mod support;

use serde_json::{Value, json};
use support::{Enc, LspClient, apply_text_edits, codes, edits_for, file_uri, range};

/// `^/\d{1,3}$` follows an emoji on its line, so UTF-16 columns differ from bytes and chars.
const BROKEN: &str = "server {\n    location ~ ^/\\d{1,3}$ { return 200; } # 😀\n    location ~ /é{2} { return 204; }\n}\n";

/// The unquoted-regex syntax errors (NGX032).
fn ngx032(diagnostics: &[Value]) -> Vec<&Value> {
    diagnostics
        .iter()
        .filter(|d| d["code"] == "NGX032")
        .collect()
}

fn regex_range(text: &str, regex: &str) -> Value {
    let start = text.find(regex).unwrap();
    range(text, start, start + regex.len(), Enc::Utf16)
}

#[test]
fn a_broken_nginx_file_is_diagnosed_and_quoting_the_regex_clears_it() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("site.conf"));
    let mut client = LspClient::spawn();
    client.initialize(Some(&["utf-16"]), Some(dir.path()), json!({}));
    client.open_as(&uri, "nginx", 1, BROKEN);
    let diagnostics = client.diagnostics(&uri, 1);
    let found = ngx032(&diagnostics);
    assert_eq!(found.len(), 2, "{diagnostics:#?}");
    assert_eq!(found[0]["range"], regex_range(BROKEN, "^/\\d{1,3}$"));
    assert_eq!(found[1]["range"], regex_range(BROKEN, "/é{2}"));
    assert_eq!(found[0]["source"], "preflight");
    assert_eq!(found[0]["severity"], 1);

    // quote the first regex with two incremental insertions (closing quote first)
    let start = BROKEN.find("^/\\d").unwrap();
    let end = start + "^/\\d{1,3}$".len();
    client.change(
        &uri,
        2,
        json!([
            {"range": range(BROKEN, end, end, Enc::Utf16), "text": "\""},
            {"range": range(BROKEN, start, start, Enc::Utf16), "text": "\""},
        ]),
    );
    let text = BROKEN.replace("^/\\d{1,3}$", "\"^/\\d{1,3}$\"");
    let diagnostics = client.diagnostics(&uri, 2);
    let found = ngx032(&diagnostics);
    assert_eq!(found.len(), 1, "{diagnostics:#?}");
    assert_eq!(found[0]["range"], regex_range(&text, "/é{2}"));

    // the quick-fix quotes the other one; the fixed text is clean
    let actions = client.call(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": found[0]["range"],
            "context": {"diagnostics": [found[0]], "only": ["quickfix"]},
        }),
    );
    let actions = actions.as_array().unwrap();
    let fix = actions
        .iter()
        .find(|a| a["diagnostics"][0]["code"] == "NGX032")
        .unwrap_or_else(|| panic!("no quick-fix for NGX032 in {actions:?}"));
    let fixed = apply_text_edits(&text, &edits_for(&fix["edit"], &uri), Enc::Utf16);
    assert!(fixed.contains("location ~ \"/é{2}\" {"), "{fixed}");
    client.change(&uri, 3, json!([{"text": fixed}]));
    let diagnostics = client.diagnostics(&uri, 3);
    assert!(ngx032(&diagnostics).is_empty(), "{:?}", codes(&diagnostics));
    assert!(client.shutdown().success());
}

#[test]
fn a_plaintext_document_under_sites_available_is_nginx() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("sites-available").join("mysite"));
    let mut client = LspClient::spawn();
    client.initialize(None, Some(dir.path()), json!({}));
    client.open_as(&uri, "plaintext", 1, BROKEN);
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(ngx032(&diagnostics).len(), 2, "{diagnostics:#?}");
    // a plain text file elsewhere is left alone
    let other = file_uri(&dir.path().join("notes.txt"));
    client.open_as(&other, "plaintext", 1, BROKEN);
    let diagnostics = client.drain(std::time::Duration::from_millis(500));
    assert!(
        !diagnostics.iter().any(|m| m["params"]["uri"] == other
            && !ngx032(m["params"]["diagnostics"].as_array().unwrap()).is_empty()),
        "{diagnostics:#?}"
    );
    assert!(client.shutdown().success());
}
