//! One test drives both front ends: on fixture projects with configuration (`[tool.preflight]`,
//! `preflight.toml`) and suppression comments, `preflight check --format json` and
//! `preflight lsp` report exactly the same findings (path, code, range, severity, message), and
//! the configuration visibly took effect (compared with the same files without it).

mod cli_support;
mod fs_support;
mod project_support;
mod support;

use std::collections::BTreeSet;
use std::path::Path;

use project_support::*;

/// The findings on `root`, after asserting the CLI and the server agree on every one.
fn both(root: &Path) -> BTreeSet<Finding> {
    let cli = cli_findings(root);
    let lsp = lsp_findings(root);
    let only_cli: Vec<_> = cli.difference(&lsp).collect();
    let only_lsp: Vec<_> = lsp.difference(&cli).collect();
    assert!(
        only_cli.is_empty() && only_lsp.is_empty(),
        "the CLI and the server disagree on {}\nonly the CLI: {only_cli:#?}\nonly the server: {only_lsp:#?}",
        root.display()
    );
    cli
}

fn with_code<'a>(findings: &'a BTreeSet<Finding>, path: &str, code: &str) -> Vec<&'a Finding> {
    findings
        .iter()
        .filter(|f| f.path == path && f.code == code)
        .collect()
}

fn assert_absent(findings: &BTreeSet<Finding>, code_prefix: &str) {
    let found: Vec<_> = findings
        .iter()
        .filter(|f| f.code.starts_with(code_prefix))
        .collect();
    assert!(
        found.is_empty(),
        "{code_prefix} is configured away: {found:#?}"
    );
}

const SERVER: &str = "shop/settings/server.py";
const COMMON: &str = "shop/settings/common.py";
const STAGING: &str = "shop/settings/staging.py";

#[test]
fn pyproject_configuration_applies_alike_in_the_cli_and_the_server() {
    let findings = both(&fixture("config_pyproject"));

    // production = ["shop.settings.server"]: the module it imports is quiet, its settings are
    // reported at the import in server.py
    assert!(in_file(&findings, COMMON).is_empty(), "{findings:#?}");
    let debug = with_code(&findings, SERVER, "DJ018");
    assert_eq!(debug.len(), 1, "{findings:#?}");
    assert_eq!(debug[0].line, 4, "at `from .common import *`");
    // severity = {DJ018 = "error", DJ107 = "hint"}
    assert_eq!(debug[0].severity, "error");
    let local_cache: Vec<_> = findings.iter().filter(|f| f.code == "DJ107").collect();
    assert!(!local_cache.is_empty() && local_cache.iter().all(|f| f.severity == "hint"));
    // select = ["DJ0", "DJ10", "DJ11", "DJ9"], ignore = ["DJ111", "DJ119"]
    assert_absent(&findings, "DJ12");
    assert_absent(&findings, "DJ111");
    assert_absent(&findings, "DJ119");
    // django-version = "5.2": no MAILERS checks although the project's dependency says 6
    assert_absent(&findings, "DJ030");
    // per-file-ignores: DJ020 silenced in server.py only
    assert!(with_code(&findings, SERVER, "DJ020").is_empty());
    assert_eq!(with_code(&findings, STAGING, "DJ020").len(), 1);

    // the same files without the configuration: every one of those findings is back
    let bare = fixture_copy("config_pyproject");
    let pyproject = bare.path().join("pyproject.toml");
    let text = std::fs::read_to_string(&pyproject).unwrap();
    let without = text.split("[tool.preflight]").next().unwrap();
    std::fs::write(&pyproject, without).unwrap();
    std::fs::write(bare.path().join("manage.py"), "").unwrap();
    let unconfigured = cli_findings(bare.path());
    assert!(!in_file(&unconfigured, COMMON).is_empty());
    assert_eq!(
        with_code(&unconfigured, SERVER, "DJ018")[0].severity,
        "warning"
    );
    for code in ["DJ020", "DJ030", "DJ119", "DJ126"] {
        assert!(
            !with_code(&unconfigured, SERVER, code).is_empty(),
            "{code} without configuration: {unconfigured:#?}"
        );
    }
}

const BLOG: &str = "blog/settings.py";

#[test]
fn preflight_toml_and_suppression_comments_apply_alike() {
    let findings = both(&fixture("config_preflight_toml"));
    let codes = codes_of(in_file(&findings, BLOG));

    // `# preflight: ignore[DJ018]` on the line above, `ignore[DJ009]` on the line,
    // `ignore-file[DJ020]`
    for silenced in ["DJ018", "DJ009", "DJ020"] {
        assert!(!codes.contains(silenced), "{silenced}: {findings:#?}");
    }
    // only DJ009 is silenced on the SECRET_KEY line; pyproject.toml's `ignore = ["DJ101"]`
    // does not apply because preflight.toml in the same folder wins
    assert_eq!(with_code(&findings, BLOG, "DJ101")[0].line, 7);
    // `ignore[DJ019]` on a line where DJ019 does not fire: an unused-suppression hint
    let unused = with_code(&findings, BLOG, "DJ900");
    assert_eq!(unused.len(), 1, "{findings:#?}");
    assert_eq!((unused[0].line, unused[0].severity.as_str()), (13, "hint"));
    assert!(unused[0].message.contains("DJ019"), "{}", unused[0].message);
    // preflight.toml: ignore = ["DJ119"], DJ107 as a hint
    assert!(!codes.contains("DJ119"));
    assert_eq!(with_code(&findings, BLOG, "DJ107")[0].severity, "hint");

    // the comments made the difference: without them the findings are back, in both
    let bare = fixture_copy("config_preflight_toml");
    let settings = bare.path().join(BLOG);
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, text.replace("preflight: ignore", "was: ignore")).unwrap();
    let uncommented = both(bare.path());
    for (code, line) in [("DJ018", 5), ("DJ009", 7), ("DJ020", 9)] {
        let found = with_code(&uncommented, BLOG, code);
        assert_eq!(
            found.iter().map(|f| f.line).collect::<Vec<_>>(),
            vec![line],
            "{code}"
        );
    }
    assert!(with_code(&uncommented, BLOG, "DJ900").is_empty());
}

#[test]
fn an_unknown_configuration_key_is_reported_at_the_key_by_both() {
    let findings = both(&fixture("config_problem"));
    let problems = with_code(&findings, "preflight.toml", "CFG001");
    assert_eq!(problems.len(), 1, "{findings:#?}");
    let p = problems[0];
    // line 2 is `selekt = [...]`, after a line with accents and an emoji
    assert_eq!(
        (p.line, p.column, p.end_line, p.end_column),
        (2, 1, 2, 7),
        "{p:#?}"
    );
    assert!(p.message.contains("`selekt`"), "{}", p.message);
    // the misspelt key selects nothing; the valid key next to it still applies
    assert!(!with_code(&findings, "app/settings.py", "DJ018").is_empty());
    assert_absent(&findings, "DJ119");
}

#[test]
fn split_settings_without_configuration_agree_too() {
    let findings = both(&fixture("split_settings"));
    assert!(!findings.is_empty());
    let paths: BTreeSet<&str> = findings.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        BTreeSet::from(["mysite/settings/production.py"]),
        "{findings:#?}"
    );
}
