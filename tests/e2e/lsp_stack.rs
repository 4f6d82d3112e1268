//! The stack in the editor: a change to one layer re-checks the open files of the others.
//! gunicorn's `bind` edited in an open buffer makes nginx's STK003 appear and disappear
//! without touching the nginx document; the production settings edited likewise bring STK009;
//! and a change on disk to a file that is not open (watched files, or the server's own polling
//! for clients without watchers) re-diagnoses the open nginx file. The project is a copy of
//! tests/fixtures/stack/consistent. And on every stack fixture project the server publishes
//! exactly what `preflight check` reports.

mod cli_support;
mod fs_support;
mod project_support;
mod stack_projects;
mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{Enc, LspClient, file_uri, range};

const SITE: &str = "deploy/nginx/mysite.conf";
const GUNICORN: &str = "gunicorn.conf.py";
const PRODUCTION: &str = "mysite/settings/production.py";
const BIND: &str = "unix:/run/gunicorn/mysite.sock";

/// A fresh copy of the consistent fixture project.
fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("mysite-project");
    project_support::copy_tree(&stack_projects::consistent(), &root);
    (dir, root)
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap()
}

/// Waits for a publication of `uri`'s diagnostics that satisfies `pred` (a dependent is
/// re-published with its own, unchanged version, possibly more than once).
fn diagnostics_until(
    client: &mut LspClient,
    uri: &str,
    pred: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let message = client.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        let diagnostics = message["params"]["diagnostics"].as_array().unwrap().clone();
        if pred(&diagnostics) {
            return diagnostics;
        }
        assert!(
            Instant::now() < deadline,
            "no publication of {uri} matched; last: {diagnostics:#?}"
        );
    }
}

fn with(code: &'static str) -> impl Fn(&[Value]) -> bool {
    move |ds| ds.iter().any(|d| d["code"] == code)
}

fn without(code: &'static str) -> impl Fn(&[Value]) -> bool {
    move |ds| !ds.iter().any(|d| d["code"] == code)
}

#[test]
fn editing_one_layer_rechecks_the_open_files_of_the_others() {
    let (_dir, root) = project();
    let site = file_uri(&root.join(SITE));
    let gunicorn = file_uri(&root.join(GUNICORN));
    let production = file_uri(&root.join(PRODUCTION));
    let mut client = LspClient::spawn();
    client.initialize(
        Some(&["utf-16"]),
        Some(&root),
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
    );
    let site_text = read(&root, SITE);
    client.open_as(&site, "nginx", 1, &site_text);
    let first = client.diagnostics(&site, 1);
    assert!(
        !first
            .iter()
            .any(|d| d["code"].as_str().unwrap_or("").starts_with("STK")),
        "{first:#?}"
    );

    // gunicorn's bind changed in its open buffer: nginx now proxies to nothing
    let gunicorn_text = read(&root, GUNICORN);
    client.open(&gunicorn, 1, &gunicorn_text);
    let at = gunicorn_text.find(BIND).unwrap();
    client.change(
        &gunicorn,
        2,
        json!([{"range": range(&gunicorn_text, at, at + BIND.len(), Enc::Utf16), "text": "unix:/tmp/other.sock"}]),
    );
    let diagnostics = diagnostics_until(&mut client, &site, with("STK003"));
    let stk003 = diagnostics.iter().find(|d| d["code"] == "STK003").unwrap();
    let target = site_text.find(BIND).unwrap();
    assert_eq!(
        stk003["range"],
        range(&site_text, target, target + BIND.len(), Enc::Utf16)
    );
    // relatedInformation points at the bind in the gunicorn buffer (its unsaved text)
    let related = &stk003["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], gunicorn, "{stk003:#}");
    let edited = gunicorn_text.replacen(BIND, "unix:/tmp/other.sock", 1);
    let bind_at = edited.find("\"unix:/tmp/other.sock\"").unwrap();
    assert_eq!(
        related["location"]["range"],
        range(
            &edited,
            bind_at,
            bind_at + "\"unix:/tmp/other.sock\"".len(),
            Enc::Utf16
        )
    );

    // and back: the finding goes away, the nginx document untouched
    client.change(&gunicorn, 3, json!([{"text": gunicorn_text}]));
    diagnostics_until(&mut client, &site, without("STK003"));

    // the production settings, edited in the editor, turn USE_X_FORWARDED_HOST on
    let production_text = read(&root, PRODUCTION);
    client.open(&production, 1, &production_text);
    client.change(
        &production,
        2,
        json!([{"text": production_text.replace("DEBUG = False\n", "DEBUG = False\nUSE_X_FORWARDED_HOST = True\n")}]),
    );
    diagnostics_until(&mut client, &site, with("STK009"));
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": production}}),
    );
    diagnostics_until(&mut client, &site, without("STK009"));

    // a file that is not open changes on disk: the client's file watcher reports it
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": gunicorn}}),
    );
    std::fs::write(
        root.join(GUNICORN),
        gunicorn_text.replacen(BIND, "unix:/tmp/other.sock", 1),
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": gunicorn, "type": 2}]}),
    );
    diagnostics_until(&mut client, &site, with("STK003"));
    std::fs::write(root.join(GUNICORN), &gunicorn_text).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": gunicorn, "type": 2}]}),
    );
    diagnostics_until(&mut client, &site, without("STK003"));

    // a deployment file appears whose gunicorn command line overrides the config's bind
    let procfile = root.join("Procfile");
    std::fs::write(
        &procfile,
        "web: gunicorn -c gunicorn.conf.py --bind unix:/tmp/other.sock\n",
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&procfile), "type": 1}]}),
    );
    let found = diagnostics_until(&mut client, &site, with("STK003"));
    let stk003 = found.iter().find(|d| d["code"] == "STK003").unwrap();
    assert!(
        stk003["relatedInformation"][0]["location"]["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("/Procfile")),
        "{stk003:#}"
    );
    assert!(client.shutdown().success());
}

#[test]
fn without_file_watchers_the_server_polls_the_other_layers() {
    let (_dir, root) = project();
    let site = file_uri(&root.join(SITE));
    // no didChangeWatchedFiles capability, as Neovim on Linux
    let mut client = LspClient::spawn();
    client.initialize(Some(&["utf-8"]), Some(&root), json!({}));
    let site_text = read(&root, SITE);
    client.open_as(&site, "nginx", 1, &site_text);
    let first = client.diagnostics(&site, 1);
    assert!(!first.iter().any(|d| d["code"] == "STK003"), "{first:#?}");
    // let the poller take note of the files as they are, then change gunicorn's bind on disk
    std::thread::sleep(Duration::from_millis(2500));
    let gunicorn_text = read(&root, GUNICORN);
    std::fs::write(
        root.join(GUNICORN),
        gunicorn_text.replacen(BIND, "unix:/tmp/other.sock", 1),
    )
    .unwrap();
    diagnostics_until(&mut client, &site, with("STK003"));
    // the gunicorn config goes away and another appears under a new name: the project is read
    // again, and the stack knows the worker class, so STK012 (not NGX014) reports
    // `proxy_buffering off`
    std::fs::remove_file(root.join(GUNICORN)).unwrap();
    let buffered = site_text.replace(
        "        proxy_redirect off;\n",
        "        proxy_redirect off;\n        proxy_buffering off;\n",
    );
    client.change(&site, 2, json!([{"text": buffered}]));
    diagnostics_until(&mut client, &site, |ds| {
        with("NGX014")(ds) && without("STK012")(ds) && without("STK003")(ds)
    });
    // a new file no analysis read before: only its folder's change tells
    std::thread::sleep(Duration::from_millis(1500));
    std::fs::write(root.join("gunicorn_config.py"), &gunicorn_text).unwrap();
    diagnostics_until(&mut client, &site, |ds| {
        with("STK012")(ds) && without("NGX014")(ds)
    });
    assert!(client.shutdown().success());
}

/// The server's findings on a project: every Python and nginx file opened as saved.
fn server_findings(root: &Path) -> BTreeSet<project_support::Finding> {
    let mut client = project_support::lsp_on(root);
    let mut files: Vec<PathBuf> = project_support::python_files(root);
    files.push(root.join(SITE));
    let mut out = BTreeSet::new();
    for path in files {
        let uri = file_uri(&path);
        let text = std::fs::read_to_string(&path).unwrap();
        let language = if path.extension().is_some_and(|e| e == "py") {
            "python"
        } else {
            "nginx"
        };
        client.open_as(&uri, language, 1, &text);
        let diagnostics = client.diagnostics(&uri, 1);
        out.extend(
            diagnostics
                .iter()
                .map(|d| project_support::lsp_finding(root, &path, d)),
        );
    }
    assert!(client.shutdown().success());
    out
}

#[test]
fn the_server_and_the_cli_agree_on_every_stack_fixture() {
    let mut projects = vec![("consistent".to_owned(), None)];
    for (name, _) in stack_projects::BROKEN {
        projects.push((name.to_string(), Some(stack_projects::broken(name))));
    }
    for (name, broken) in projects {
        let root = match &broken {
            Some(dir) => dir.path().to_path_buf(),
            None => stack_projects::consistent(),
        };
        let cli = project_support::cli_findings(&root);
        let server = server_findings(&root);
        let only_cli: Vec<_> = cli.difference(&server).collect();
        let only_server: Vec<_> = server.difference(&cli).collect();
        assert!(
            only_cli.is_empty() && only_server.is_empty(),
            "{name}: only the CLI: {only_cli:#?}\nonly the server: {only_server:#?}"
        );
        if name != "consistent" {
            assert!(
                cli.iter().any(|f| f.code.starts_with("STK")),
                "{name}: {cli:#?}"
            );
        }
    }
}
