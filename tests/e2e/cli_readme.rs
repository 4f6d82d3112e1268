//! README.md's rule list is generated from the registry: this test keeps it true.
//! `PREFLIGHT_BLESS=1 cargo test -p preflight --test cli_readme` rewrites it.

use std::path::Path;

const START: &str = "<!-- rules:start";
const END: &str = "<!-- rules:end -->";

fn rule_table() -> String {
    let mut out = String::from(
        "| Code | Name | Severity | Mirrors | What it finds |\n|---|---|---|---|---|\n",
    );
    for rule in preflight_core::rules::registry() {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            rule.django.map_or(String::new(), |id| format!("`{id}`")),
            rule.summary.replace('|', "\\|"),
        ));
    }
    out
}

#[test]
fn readme_lists_every_rule_of_the_registry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md exists");
    let start = readme
        .find(START)
        .expect("README has the rules:start marker");
    let body_start = start + readme[start..].find('\n').expect("marker line ends") + 1;
    let end = readme.find(END).expect("README has the rules:end marker");
    let expected = rule_table();
    if std::env::var_os("PREFLIGHT_BLESS").is_some() {
        let updated = format!("{}{}{}", &readme[..body_start], expected, &readme[end..]);
        std::fs::write(&path, updated).expect("README.md is writable");
        return;
    }
    assert_eq!(
        &readme[body_start..end],
        expected,
        "README's rule list is out of date: run PREFLIGHT_BLESS=1 cargo test -p preflight --test cli_readme"
    );
}
