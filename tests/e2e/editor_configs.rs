//! Editor configurations that have no editor here to run them (Helix is not packaged for this
//! machine; Neovim and Zed are tested elsewhere): editors/helix/languages.toml parses, starts
//! the `preflight lsp` this repository builds, keeps Helix's own Python servers, and its nginx
//! globs (matched the way Helix matches them) select the files Preflight checks as nginx.

mod cli_support;

use std::path::Path;

use cli_support::check_json;
use globset::{Glob, GlobMatcher};
use toml::Value;

fn helix_languages() -> toml::Table {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../editors/helix/languages.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn language<'a>(table: &'a toml::Table, name: &str) -> &'a toml::Table {
    table["language"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_table)
        .find(|l| l["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("no [[language]] {name}"))
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[test]
fn helix_starts_preflight_lsp_next_to_its_own_python_servers() {
    let table = helix_languages();
    let server = table["language-server"]["preflight"].as_table().unwrap();
    assert_eq!(server["command"].as_str(), Some("preflight"));
    assert_eq!(strings(&server["args"]), ["lsp"]);
    // the command line the snippet names is the server: it answers `initialize` over stdio
    let mut client = {
        let bin = env!("CARGO_BIN_EXE_preflight");
        assert!(bin.ends_with(server["command"].as_str().unwrap()), "{bin}");
        std::process::Command::new(bin)
            .args(strings(&server["args"]))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
    let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
    std::io::Write::write_all(client.stdin.as_mut().unwrap(), framed.as_bytes()).unwrap();
    let mut head = [0u8; 64];
    let n = std::io::Read::read(client.stdout.as_mut().unwrap(), &mut head).unwrap();
    assert!(
        String::from_utf8_lossy(&head[..n]).starts_with("Content-Length: "),
        "{:?}",
        String::from_utf8_lossy(&head[..n])
    );
    client.kill().unwrap();
    client.wait().unwrap();

    // `language-servers` replaces Helix's list: Helix's defaults for Python stay, preflight added
    let python = strings(&language(&table, "python")["language-servers"]);
    assert_eq!(
        python,
        ["ty", "ruff", "jedi", "pylsp", "zuban", "preflight"]
    );
    assert_eq!(
        strings(&language(&table, "nginx")["language-servers"]),
        ["preflight"]
    );
}

/// How Helix matches a `file-types` entry against a file's absolute path: an extension string
/// matches the extension, a glob is a globset glob with `*/` prepended unless it starts with
/// `/` or `*`.
enum FileType {
    Extension(String),
    Glob(GlobMatcher),
}

impl FileType {
    fn matches(&self, path: &Path) -> bool {
        match self {
            FileType::Extension(ext) => path.extension().is_some_and(|e| e == ext.as_str()),
            FileType::Glob(glob) => glob.is_match(path),
        }
    }
}

fn file_types(language: &toml::Table) -> Vec<FileType> {
    language["file-types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| match entry {
            Value::String(ext) => FileType::Extension(ext.clone()),
            Value::Table(t) => {
                let glob = t["glob"].as_str().unwrap();
                let glob = if glob.starts_with(['/', '*']) {
                    glob.to_owned()
                } else {
                    format!("*/{glob}")
                };
                FileType::Glob(Glob::new(&glob).unwrap().compile_matcher())
            }
            other => panic!("unexpected file-types entry {other}"),
        })
        .collect()
}

#[test]
fn helix_nginx_globs_select_what_preflight_checks_as_nginx() {
    let table = helix_languages();
    let types = file_types(language(&table, "nginx"));
    // Helix's own nginx globs stay (file-types replaces the default list)
    for default in [
        "/etc/nginx/nginx.conf",
        "/etc/nginx/conf.d/default.conf",
        "/etc/nginx/sites-available/default.conf",
        "/etc/nginx/sites-enabled/default.conf",
    ] {
        assert!(
            types.iter().any(|t| t.matches(Path::new(default))),
            "{default}"
        );
    }
    // files named like nginx configs: Helix agrees with the server (the CLI checks them)
    let site = "server {\n    listen 80;\n    server_tokens on;\n}\n";
    let named = [
        "deploy/example.com.conf",
        "deploy/nginx/site.conf",
        "sites-available/example",
        "sites-enabled/example.conf",
        "conf.d/default.conf",
        "nginx/snippets/site.conf",
        "misc/site.nginx",
        "nginx.conf",
    ];
    let other = [
        "settings.py",
        "app.conf",
        "docs/nginx.md",
        "deploy/gunicorn.conf.py",
    ];
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    for rel in named.iter().chain(&other) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        // app.conf is not nginx by its path (and its content does not say so either)
        let text = if named.contains(rel) { site } else { "x = 1\n" };
        std::fs::write(path, text).unwrap();
    }
    let (_, findings) = check_json(&["."], &root);
    for rel in named.iter().chain(&other) {
        let checked = findings
            .iter()
            .any(|f| f["path"] == *rel && f["code"].as_str().unwrap().starts_with("NGX"));
        let helix = types.iter().any(|t| t.matches(&root.join(rel)));
        assert_eq!(
            helix, checked,
            "{rel}: Helix nginx = {helix}, Preflight nginx = {checked}"
        );
    }
}
