//! `preflight check` on nginx configs: which files are nginx, syntax-error positions, `--fix`.

mod cli_support;
use std::path::Path;

use cli_support::*;

/// Line 3 holds a regex nginx rejects: its `{` opens a block.
const BROKEN_SITE: &str =
    "# café\nserver {\n    location ~ ^/\\d{1,3}$ {\n        return 200;\n    }\n}\n";
const CLEAN_SITE: &str = "server {\n    listen 80;\n    server_name example.com;\n    location / {\n        proxy_pass http://unix:/run/gunicorn.sock;\n    }\n}\n";

#[test]
fn a_broken_site_is_reported_at_the_regex_and_a_clean_one_is_not() {
    let dir = project(&[
        ("deploy/nginx/broken.conf", BROKEN_SITE.as_bytes()),
        ("etc/sites-available/clean", CLEAN_SITE.as_bytes()),
    ]);
    let (code, findings) = check_json(&[], dir.path());
    assert_eq!(code, Some(1));
    // the clean site has no syntax error (the rules have their say about it)
    let syntax: Vec<_> = findings
        .iter()
        .filter(|f| f["code"] == "NGX000" || f["code"] == "NGX032")
        .collect();
    assert_eq!(syntax.len(), 1, "{findings:#?}");
    let f = syntax[0];
    assert_eq!(f["code"], "NGX032");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["path"], "deploy/nginx/broken.conf");
    assert_eq!(
        (&f["line"], &f["column"], &f["end_line"], &f["end_column"]),
        (&3.into(), &16.into(), &3.into(), &26.into()),
        "{f}"
    );
    let edit = &f["fix"]["edits"][0];
    assert_eq!(edit["new_text"], "\"^/\\d{1,3}$\"");
    assert_eq!((&edit["line"], &edit["column"]), (&3.into(), &16.into()));
}

#[test]
fn a_conf_file_is_checked_when_its_content_is_nginx() {
    let dir = project(&[
        ("app.conf", BROKEN_SITE.as_bytes()),
        (
            "supervisor.conf",
            b"[program:app]\ncommand=gunicorn app.wsgi {x}\n",
        ),
        // deploy/ holds nginx configs, and often supervisor's too: those are left alone
        ("deploy/app.conf", b"[program:app]\ncommand=gunicorn {x}\n"),
    ]);
    let (_, walked) = check_json(&[], dir.path());
    assert_eq!(walked.len(), 1, "{walked:#?}");
    assert_eq!(walked[0]["path"], "app.conf");
    let (code, named) = check_json(&["app.conf"], dir.path());
    assert_eq!(code, Some(1));
    assert_eq!(named.len(), 1);
    let out = preflight(&["check", "supervisor.conf"], dir.path());
    assert!(stderr(&out).contains("skipped"), "{}", stderr(&out));
}

#[test]
fn text_output_names_the_file_line_and_code() {
    let dir = project(&[("nginx.conf", BROKEN_SITE.as_bytes())]);
    let out = preflight(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("nginx.conf:3:16"), "{text}");
    assert!(text.contains("NGX032"), "{text}");
}

#[test]
fn fix_quotes_the_regex() {
    let dir = project(&[("deploy/site.conf", BROKEN_SITE.as_bytes())]);
    preflight(&["check", "--fix"], dir.path());
    let fixed = std::fs::read_to_string(dir.path().join("deploy/site.conf")).unwrap();
    assert!(fixed.contains("location ~ \"^/\\d{1,3}$\" {"), "{fixed}");
    let (_, findings) = check_json(&[], dir.path());
    assert!(
        findings
            .iter()
            .all(|f| f["code"] != "NGX032" && f["code"] != "NGX000"),
        "{findings:#?}"
    );
}

#[test]
fn the_example_deployment_nginx_config_parses_clean() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/example");
    let (_, findings) = check_json(&[example.to_str().unwrap()], &example);
    assert!(
        findings.iter().all(|f| f["code"] != "NGX000"),
        "{findings:#?}"
    );
    // the example's nginx config is among the checked files: named alone, it is not skipped,
    // and its deliberate mistakes (here `Host $http_host`) are found
    let out = preflight(&["check", "deploy/nginx/mysite.conf"], &example);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("NGX012"));
    assert!(!stderr(&out).contains("skipped"), "{}", stderr(&out));
}

#[test]
fn the_configuration_can_declare_other_files_nginx() {
    let site = "server {\n    location / {\n        proxy_set_header Host $http_host;\n    }\n}\n";
    let dir = project(&[
        ("ops/site.tmpl", site.as_bytes()),
        ("ops/other.tmpl", site.as_bytes()),
        ("preflight.toml", b"nginx = [\"ops/site.*\"]\n"),
    ]);
    let (code, findings) = check_json(&[], dir.path());
    assert_eq!(code, Some(1));
    assert!(
        findings.iter().all(|f| f["path"] == "ops/site.tmpl"),
        "{findings:#?}"
    );
    assert!(
        findings.iter().any(|f| f["code"] == "NGX012"),
        "{findings:#?}"
    );
    // named on the command line too
    let (_, findings) = check_json(&["ops/site.tmpl"], dir.path());
    assert!(
        findings.iter().any(|f| f["code"] == "NGX012"),
        "{findings:#?}"
    );
}
