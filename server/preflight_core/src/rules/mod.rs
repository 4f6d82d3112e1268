//! The rule registry and one module per family. A rule is a function over a model plus a
//! registry entry; docs, the README rule list and SARIF metadata come from the registry.

pub mod django;
pub mod gunicorn;
pub mod meta;
pub mod nginx;
pub mod stack;

use crate::diagnostic::Severity;

/// A rule's registry entry.
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// e.g. `DJ004`.
    pub code: &'static str,
    /// kebab-case, e.g. `hsts-not-enabled`.
    pub name: &'static str,
    pub severity: Severity,
    /// One line for lists.
    pub summary: &'static str,
    /// The Django check id it mirrors, e.g. `security.W004`.
    pub django: Option<&'static str>,
    /// The gixy-ng plugin it mirrors, e.g. `host_spoofing`.
    pub gixy: Option<&'static str>,
    /// Longer documentation (Markdown): why it matters and how to fix it.
    pub docs: &'static str,
}

/// Where a rule's documentation lives (LSP `codeDescription.href`).
pub const DOCS_BASE: &str = "https://github.com/preflight-dev/preflight/blob/main/docs/rules/";

pub fn docs_url(code: &str) -> String {
    format!("{DOCS_BASE}{code}.md")
}

/// Every rule of every family.
pub fn registry() -> impl Iterator<Item = &'static RuleMeta> {
    django::RULES
        .iter()
        .chain(nginx::rules())
        .chain(gunicorn::RULES.iter())
        .chain(stack::RULES.iter())
        .chain(meta::RULES.iter())
}

pub fn lookup(code: &str) -> Option<&'static RuleMeta> {
    registry().find(|r| r.code == code)
}

/// Test helper: every rule's `docs/rules/CODE.md` equals `doc(rule)`; with
/// PREFLIGHT_UPDATE_DOCS=1 the pages are rewritten instead (the docs are generated, never
/// edited by hand).
#[cfg(test)]
pub(crate) fn assert_docs_current<'r>(
    rules: impl IntoIterator<Item = &'r RuleMeta>,
    doc: impl Fn(&RuleMeta) -> String,
) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
    let update = std::env::var_os("PREFLIGHT_UPDATE_DOCS").is_some();
    for rule in rules {
        let path = dir.join(format!("{}.md", rule.code));
        let expected = doc(rule);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            actual,
            expected,
            "{} is stale: run PREFLIGHT_UPDATE_DOCS=1 cargo test -p preflight_core rule_docs",
            path.display()
        );
    }
}
