use std::path::Path;
use std::process::Command;

use super::quote_regex;
use crate::analysis::Options;
use crate::diagnostic::{Diagnostic, apply_edits};
use crate::nginx::analyze_nginx;
use crate::syntax::nginx_tree;

fn check(text: &str) -> Vec<Diagnostic> {
    let tree = nginx_tree(text);
    analyze_nginx(
        Path::new("site.conf"),
        text,
        &tree,
        &crate::source::MemoryLoader::default(),
        &mut crate::python::ModuleCache::default(),
        &Options::default(),
    )
}

fn parses_clean(text: &str) -> bool {
    !nginx_tree(text).root_node().has_error()
}

/// `nginx -t` on a site file wrapped in a minimal main config; `None` without an nginx binary.
fn nginx_accepts(site: &str) -> Option<(bool, String)> {
    let binary = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|b| Path::new(b).exists())?;
    let dir = std::env::temp_dir().join(format!(
        "preflight-ngx000-{}-{}",
        std::process::id(),
        site.len()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("site.conf"), site).unwrap();
    let main = format!(
        "pid {d}/nginx.pid;\nerror_log stderr;\nevents {{}}\nhttp {{ include {d}/site.conf; }}\n",
        d = dir.display()
    );
    std::fs::write(dir.join("main.conf"), main).unwrap();
    let out = Command::new(binary)
        .arg("-t")
        .arg("-c")
        .arg(dir.join("main.conf"))
        .arg("-p")
        .arg(&dir)
        .args(["-e", "stderr"])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    Some((
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

const BRACES: &str =
    "server {\n    listen 8080;\n    location ~ ^/\\d{1,3}$ {\n        return 200;\n    }\n}\n";

#[test]
fn a_clean_config_has_no_syntax_findings() {
    let text = "server {\n    listen 80;\n    server_name example.com;\n    location / { proxy_pass http://app; }\n}\n";
    let found = check(text);
    assert!(found.iter().all(|d| d.code != "NGX000"), "{found:#?}");
}

#[test]
fn an_unquoted_regex_with_braces_is_reported_on_the_regex() {
    let found = check(BRACES);
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!(d.code, "NGX032");
    assert_eq!(&BRACES[d.range.start..d.range.end], "^/\\d{1,3}$");
    assert!(d.message.contains("Quote it"), "{}", d.message);
    assert!(d.fix.as_ref().is_some_and(|f| f.safe));
}

#[test]
fn quoting_the_regex_fixes_the_file_for_the_grammar_and_for_nginx() {
    let d = &check(BRACES)[0];
    let fixed = apply_edits(BRACES, &d.fix.as_ref().unwrap().edits);
    assert!(fixed.contains("location ~ \"^/\\d{1,3}$\" {"), "{fixed}");
    assert!(parses_clean(&fixed), "{fixed}");
    assert!(check(&fixed).iter().all(|d| d.code != "NGX000"));
    match (nginx_accepts(BRACES), nginx_accepts(&fixed)) {
        (Some((before, _)), Some((after, log))) => {
            assert!(!before, "nginx accepted the unquoted regex");
            assert!(after, "nginx -t rejected the fixed file:\n{log}\n{fixed}");
        }
        _ => eprintln!("notice: no nginx binary; the fix was not checked with nginx -t"),
    }
}

#[test]
fn a_regex_with_a_quote_is_escaped_and_nginx_accepts_it() {
    let site = "server {\n    listen 8080;\n    location ~ ^/a\"b{2}$ { return 204; }\n}\n";
    let found = check(site);
    assert_eq!(found.len(), 1, "{found:#?}");
    let fixed = apply_edits(site, &found[0].fix.as_ref().unwrap().edits);
    assert!(fixed.contains(r#""^/a\"b{2}$""#), "{fixed}");
    assert!(parses_clean(&fixed), "{fixed}");
    if let Some((ok, log)) = nginx_accepts(&fixed) {
        assert!(ok, "{log}\n{fixed}");
    }
}

#[test]
fn quoting_keeps_escapes_and_escapes_bare_quotes() {
    assert_eq!(quote_regex(r"^/\d{1,3}$"), r#""^/\d{1,3}$""#);
    assert_eq!(quote_regex(r#"a"b"#), r#""a\"b""#);
    assert_eq!(quote_regex(r#"a\"b"#), r#""a\"b""#);
    assert_eq!(quote_regex(r"a\\"), r#""a\\""#);
}

#[test]
fn a_missing_semicolon_is_reported_once() {
    let text = "server {\n    listen 80\n}\n";
    let found = check(text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(nginx_accepts(text).is_none_or(|(ok, _)| !ok));
}

#[test]
fn an_unclosed_block_is_reported() {
    let found = check("server {\n    listen 80;\n");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, "NGX000");
}

#[test]
fn errors_in_two_statements_are_reported_separately() {
    let text = "server {\n    location ~ ^/a{2}$ { return 200; }\n    location ~ ^/b{3}$ { return 200; }\n}\n";
    let found = check(text);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().all(|d| d.fix.is_some()));
}

#[test]
fn a_suppression_comment_drops_the_finding() {
    let text = BRACES.replace(
        "    location ~",
        "    # preflight: ignore[NGX032]\n    location ~",
    );
    assert!(check(&text).is_empty(), "{:#?}", check(&text));
    let other = BRACES.replace(
        "    location ~",
        "    # preflight: ignore[NGX001]\n    location ~",
    );
    let codes: Vec<&str> = check(&other).iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        ["NGX032", "NGX900"],
        "the wrong code suppresses nothing"
    );
}

#[test]
fn the_example_deployment_parses_clean() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/example/deploy/nginx/mysite.conf");
    let text = std::fs::read_to_string(path).unwrap();
    assert!(check(&text).iter().all(|d| d.code != "NGX000"));
}

#[test]
fn deeply_nested_unclosed_blocks_are_one_finding() {
    let text = "server {\n".repeat(10_000);
    let found = check(&text);
    assert_eq!(found.len(), 1, "{:#?}", &found[..found.len().min(3)]);
}

#[test]
fn a_large_broken_config_is_analysed() {
    let mut text = "server {\n    listen 80;\n}\n".repeat(400_000);
    text.push_str("location ~ ^/x{2}$ {\n");
    assert!(text.len() > 10_000_000);
    let found = check(&text);
    assert!(!found.is_empty());
    assert!(found.len() <= 2, "{found:#?}");
}
