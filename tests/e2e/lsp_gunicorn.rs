//! A gunicorn config over the protocol: GUN004 on the float `workers` with its docs link, the
//! quick-fix (`//`) that clears it, and an edit that introduces an ignored setting (GUN003).

mod support;

use serde_json::{Value, json};
use support::{Enc, LspClient, apply_text_edits, codes, edits_for, file_uri, python_parses, range};

const CONFIG: &str = "import multiprocessing\n# workers per core 😀\nworkers = multiprocessing.cpu_count() / 2\naccesslog = \"-\"\n";

fn with_code<'d>(diagnostics: &'d [Value], code: &str) -> Vec<&'d Value> {
    diagnostics.iter().filter(|d| d["code"] == code).collect()
}

#[test]
fn a_float_workers_is_diagnosed_and_its_quick_fix_clears_it() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("gunicorn.conf.py"));
    let mut client = LspClient::spawn();
    client.initialize(Some(&["utf-16"]), Some(dir.path()), json!({}));
    client.open(&uri, 1, CONFIG);
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(codes(&diagnostics), ["GUN004"], "{diagnostics:#?}");
    let d = &diagnostics[0];
    let start = CONFIG.find("workers =").unwrap();
    assert_eq!(
        d["range"],
        range(CONFIG, start, start + "workers".len(), Enc::Utf16)
    );
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "preflight");
    assert!(
        d["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("GUN004.md")
    );

    let actions = client.call(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": d["range"],
            "context": {"diagnostics": [d], "only": ["quickfix"]},
        }),
    );
    let actions = actions.as_array().unwrap();
    let fix = actions
        .iter()
        .find(|a| a["title"].as_str().is_some_and(|t| t.contains("//")))
        .unwrap_or_else(|| panic!("no `//` fix in {actions:#?}"));
    let fixed = apply_text_edits(CONFIG, &edits_for(&fix["edit"], &uri), Enc::Utf16);
    assert!(
        fixed.contains("workers = multiprocessing.cpu_count() // 2"),
        "{fixed}"
    );
    assert!(python_parses(&fixed));
    client.change(&uri, 2, json!([{"text": fixed}]));
    assert!(client.diagnostics(&uri, 2).is_empty());

    // an edit that adds a name gunicorn ignores
    let end = fixed.len();
    client.change(
        &uri,
        3,
        json!([{"range": range(&fixed, end, end, Enc::Utf16), "text": "proxy_allow_from = \"*\"\n"}]),
    );
    let diagnostics = client.diagnostics(&uri, 3);
    let unknown = with_code(&diagnostics, "GUN003");
    assert_eq!(unknown.len(), 1, "{diagnostics:#?}");
    assert!(
        unknown[0]["message"]
            .as_str()
            .unwrap()
            .contains("proxy_allow_ips")
    );
    assert!(client.shutdown().success());
}
