//! `preflight check` on gunicorn configs: which files are gunicorn configs (names, `-c` on a
//! deployment command line, the configuration), positions and fixes in JSON, `--fix`.

mod cli_support;

use cli_support::*;

const FLOAT_WORKERS: &str = "import multiprocessing\n\nworkers = multiprocessing.cpu_count() / 2\nproxy_allow_from = \"*\"\naccesslog = \"-\"\n";

#[test]
fn a_config_named_by_the_procfile_is_checked_and_an_app_module_named_gunicorn_is_not() {
    let dir = project(&[
        ("manage.py", b""),
        ("Procfile", b"web: gunicorn -c deploy/web.py mysite.wsgi\n"),
        ("deploy/web.py", FLOAT_WORKERS.as_bytes()),
        ("deploy/other.py", FLOAT_WORKERS.as_bytes()),
        (
            "app/gunicorn.py",
            b"import gunicorn\nVERSION = gunicorn.__version__\n",
        ),
    ]);
    let (code, findings) = check_json(&[], dir.path());
    assert_eq!(code, Some(1));
    assert!(
        findings.iter().all(|f| f["path"] == "deploy/web.py"),
        "{findings:#?}"
    );
    let codes: Vec<&str> = findings
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["GUN004", "GUN003"], "{findings:#?}");
    let invalid = &findings[0];
    assert_eq!(invalid["severity"], "error");
    assert_eq!(
        (
            &invalid["line"],
            &invalid["column"],
            &invalid["end_line"],
            &invalid["end_column"]
        ),
        (&3.into(), &1.into(), &3.into(), &8.into())
    );
    assert!(
        invalid["message"]
            .as_str()
            .unwrap()
            .contains("gunicorn will not start")
    );
    let edit = &invalid["fix"]["edits"][0];
    assert_eq!(edit["new_text"], "//");
    assert_eq!((&edit["line"], &edit["column"]), (&3.into(), &39.into()));
    let unknown = &findings[1];
    assert_eq!(unknown["severity"], "warning");
    assert!(
        unknown["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `proxy_allow_ips`")
    );
    assert_eq!(unknown["fix"]["edits"][0]["new_text"], "proxy_allow_ips");
}

#[test]
fn fix_applies_only_safe_gunicorn_fixes() {
    let text =
        "import ssl\nssl_version = ssl.PROTOCOL_TLS_SERVER\nspew = True\naccesslog = \"-\"\n";
    let dir = project(&[("gunicorn.conf.py", text.as_bytes())]);
    let out = preflight(&["check", "--fix"], dir.path());
    let fixed = std::fs::read_to_string(dir.path().join("gunicorn.conf.py")).unwrap();
    assert_eq!(
        fixed,
        "import ssl\nspew = True\naccesslog = \"-\"\n",
        "{}",
        stderr(&out)
    );
    assert!(python_parses(&dir.path().join("gunicorn.conf.py")));
    // spew's removal changes behaviour: reported, not applied
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("GUN007"), "{}", stdout(&out));
}

#[test]
fn the_configuration_declares_gunicorn_configs_and_turns_rules_off() {
    let dir = project(&[
        ("ops/web_conf.py", b"spew = True\nloglevel = 'debug'\n"),
        (
            "preflight.toml",
            b"gunicorn = [\"ops/*_conf.py\"]\nignore = [\"GUN016\"]\n",
        ),
    ]);
    let (_, findings) = check_json(&[], dir.path());
    let codes: Vec<&str> = findings
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["GUN007", "GUN008"], "{findings:#?}");
    assert_eq!(findings[1]["severity"], "information");
}

#[test]
fn the_example_gunicorn_config_leaves_its_public_bind_to_the_stack() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/example");
    let (_, findings) = check_json(&["gunicorn.conf.py"], &example);
    assert!(
        findings
            .iter()
            .all(|f| !f["code"].as_str().unwrap().starts_with("GUN")),
        "forwarded_allow_ips = \"*\" with bind 0.0.0.0 is STK014: {findings:#?}"
    );
}
