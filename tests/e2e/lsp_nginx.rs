//! nginx documents over the protocol: the unquoted-regex syntax error (NGX032) at the exact range, gone after an incremental
//! edit that quotes the regex, and the quick-fix that does the same.

mod support;

use std::time::Duration;

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

/// A site that includes a snippet: the snippet's text decides the site's diagnostics.
const SITE: &str = "server {\n    listen 80;\n    location / {\n        include snippets/proxy.conf;\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n";

fn has_host_finding(diagnostics: &[Value]) -> bool {
    diagnostics.iter().any(|d| d["code"] == "NGX012")
}

/// Waits for a publish of `uri` whose NGX012 presence is `expected` (fails on the timeout).
/// Earlier publishes may still be on their way (opening the snippet re-diagnoses the site
/// too, and whether that result is superseded by the edit's depends on timing), so the test
/// waits for the state, not for the next message.
fn wait_for_host_finding(client: &mut LspClient, uri: &str, expected: bool) {
    client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && has_host_finding(m["params"]["diagnostics"].as_array().unwrap()) == expected
    });
}

#[test]
fn an_edit_to_an_included_snippet_re_diagnoses_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let nginx = dir.path().join("nginx");
    std::fs::create_dir_all(nginx.join("sites-available")).unwrap();
    std::fs::create_dir_all(nginx.join("snippets")).unwrap();
    let snippet_path = nginx.join("snippets/proxy.conf");
    let snippet_text = "proxy_set_header Host $http_host;\n";
    std::fs::write(&snippet_path, snippet_text).unwrap();
    let site = file_uri(&nginx.join("sites-available/app"));
    let snippet = file_uri(&snippet_path);

    let mut client = LspClient::spawn();
    client.initialize(
        Some(&["utf-16"]),
        Some(dir.path()),
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
    );
    let registration = client.wait_for(|m| m["method"] == "client/registerCapability");
    let watchers = &registration["params"]["registrations"][0]["registerOptions"]["watchers"];
    assert!(
        watchers
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["globPattern"] == "**/*.conf")
    );
    client.open_as(&site, "nginx", 1, SITE);
    let diagnostics = client.diagnostics(&site, 1);
    // reported at the include, naming the snippet
    let host = diagnostics.iter().find(|d| d["code"] == "NGX012").unwrap();
    let start = SITE.find("include").unwrap();
    let end = SITE.find("proxy.conf;").unwrap() + "proxy.conf;".len();
    assert_eq!(host["range"], range(SITE, start, end, Enc::Utf16));
    assert!(host["message"].as_str().unwrap().contains("proxy.conf"));

    // an unsaved edit of the open snippet re-diagnoses the site
    client.open_as(&snippet, "nginx", 1, snippet_text);
    let at = snippet_text.find("$http_host").unwrap();
    client.change(
        &snippet,
        2,
        json!([{"range": range(snippet_text, at, at + "$http_host".len(), Enc::Utf16), "text": "$host"}]),
    );
    wait_for_host_finding(&mut client, &site, false);
    // publishes stashed meanwhile (the open's, with the finding) must not answer the next wait
    client.drain(Duration::ZERO);

    // closed again, the disk's text counts: a change on disk re-diagnoses the site
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": snippet}}),
    );
    wait_for_host_finding(&mut client, &site, true);
    client.drain(Duration::ZERO);
    std::fs::write(&snippet_path, "proxy_set_header Host $host;\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": snippet, "type": 2}]}),
    );
    wait_for_host_finding(&mut client, &site, false);
    assert!(client.shutdown().success());
}

#[test]
fn a_document_the_configuration_declares_nginx_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("preflight.toml"),
        "nginx = [\"ops/*.tmpl\"]\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("ops")).unwrap();
    let text = "server {\n    location / {\n        proxy_set_header Host $http_host;\n    }\n}\n";
    let path = dir.path().join("ops/site.tmpl");
    std::fs::write(&path, text).unwrap();
    let uri = file_uri(&path);
    let mut client = LspClient::spawn();
    client.initialize(None, Some(dir.path()), json!({}));
    client.open_as(&uri, "jinja", 1, text);
    assert!(has_host_finding(&client.diagnostics(&uri, 1)));
    assert!(client.shutdown().success());
}

#[test]
fn an_nginx_finding_can_be_ignored_on_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("site.conf"));
    let text = "server {\n    location / {\n        proxy_set_header Host $http_host;\n    }\n}\n";
    let mut client = LspClient::spawn();
    client.initialize(Some(&["utf-16"]), Some(dir.path()), json!({}));
    client.open_as(&uri, "nginx", 1, text);
    let diagnostics = client.diagnostics(&uri, 1);
    let host = diagnostics.iter().find(|d| d["code"] == "NGX012").unwrap();
    let actions = client.call(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": host["range"],
            "context": {"diagnostics": [host], "only": ["quickfix"]},
        }),
    );
    let ignore = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Ignore NGX012 on this line")
        .unwrap_or_else(|| panic!("no ignore action in {actions:#?}"));
    let ignored = apply_text_edits(text, &edits_for(&ignore["edit"], &uri), Enc::Utf16);
    assert!(
        ignored.contains("$http_host;  # preflight: ignore[NGX012]\n"),
        "{ignored}"
    );
    client.change(&uri, 2, json!([{"text": ignored}]));
    let diagnostics = client.diagnostics(&uri, 2);
    assert!(!has_host_finding(&diagnostics), "{diagnostics:#?}");
    assert!(diagnostics.iter().all(|d| d["code"] != "NGX900"));
    assert!(client.shutdown().success());
}
