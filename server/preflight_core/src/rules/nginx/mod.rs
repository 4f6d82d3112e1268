//! nginx rules (`NGX###`): one module per family, each a set of small functions over the nginx
//! model ([`Config`]) that report through [`Ctx`]. Each module owns the registry entries of its
//! rules; [`rules`] chains them for docs, the README and SARIF.
//!
//! Findings are reported in the analysed file only: a problem inside an included file is
//! reported when that file is checked, or at the `include` that brings it in when it has no
//! file of its own in the project (Debian's `proxy_params`).

mod access;
pub mod app;
mod ciphers;
mod context;
mod files;
mod headers;
mod locations;
pub(crate) mod lookup;
mod media;
pub mod memo;
mod origins;
mod pass;
mod placement;
mod proxy;
mod regex;
mod regex_chars;
mod servers;
mod settings;
pub(crate) mod stack_support;
mod tls;
mod variables;

#[cfg(test)]
pub(crate) mod testing;

pub use context::{Ctx, Reach};
pub use lookup::Lookup;

use std::path::Path;

use crate::analysis::Options;
use crate::diagnostic::Diagnostic;
use crate::nginx::model::Config;
use crate::rules::RuleMeta;

/// The registry entries of every nginx rule, by family.
pub fn rules() -> impl Iterator<Item = &'static RuleMeta> {
    proxy::RULES
        .iter()
        .chain(servers::RULES.iter())
        .chain(tls::RULES.iter())
        .chain(settings::RULES.iter())
        .chain(access::RULES.iter())
        .chain(regex::RULES.iter())
        .chain(origins::RULES.iter())
        .chain(pass::RULES.iter())
        .chain(headers::RULES.iter())
        .chain(files::RULES.iter())
        .chain(media::RULES.iter())
        .chain(locations::RULES.iter())
}

/// Runs every nginx rule on a config.
pub fn check(config: &Config, path: &Path, text: &str, options: &Options) -> Vec<Diagnostic> {
    let mut out = run_families(&Ctx::new(config, path, text, options));
    sort(&mut out);
    out
}

/// The findings of every family's rule functions that `ctx` runs, unsorted.
fn run_families(ctx: &Ctx<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    proxy::check(ctx, &mut out);
    servers::check(ctx, &mut out);
    tls::check(ctx, &mut out);
    settings::check(ctx, &mut out);
    access::check(ctx, &mut out);
    regex::check(ctx, &mut out);
    origins::check(ctx, &mut out);
    pass::check(ctx, &mut out);
    headers::check(ctx, &mut out);
    files::check(ctx, &mut out);
    media::check(ctx, &mut out);
    locations::check(ctx, &mut out);
    out
}

/// Findings in document order; equal positions by code, then by the rest, so that the order
/// does not depend on which rule ran first (the memo merges findings from several runs).
fn sort(out: &mut [Diagnostic]) {
    out.sort_by(|a, b| {
        (a.range.start, a.code, a.range.end, &a.message).cmp(&(
            b.range.start,
            b.code,
            b.range.end,
            &b.message,
        ))
    });
}

/// The registry entry of an nginx rule code (rules only emit codes listed here).
pub(crate) fn rule(code: &str) -> &'static RuleMeta {
    // by code, indexed once: a big config reports thousands of findings
    static BY_CODE: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, &'static RuleMeta>> =
        std::sync::OnceLock::new();
    BY_CODE
        .get_or_init(|| {
            let mut map = rustc_hash::FxHashMap::default();
            for r in rules() {
                // the first entry of a code wins, as a search in registry order would find
                map.entry(r.code).or_insert(r);
            }
            map
        })
        .get(code)
        .copied()
        .expect("every emitted nginx rule code is registered")
}

/// `docs/rules/CODE.md` of an nginx rule.
pub fn doc(rule: &RuleMeta) -> String {
    let mirrors = rule
        .gixy
        .map(|plugin| format!(" · **Mirrors:** gixy-ng's `{plugin}` plugin"))
        .unwrap_or_default();
    format!(
        "# {code}: {name}\n\n**Severity:** {severity}{mirrors}\n\n{summary}.\n\n{docs}\n\n\
         Suppress one finding with `# preflight: ignore[{code}]` on the line (or the line above), \
         or turn the rule off in `[tool.preflight]` with `ignore = [\"{code}\"]`.\n",
        code = rule.code,
        name = rule.name,
        severity = rule.severity.as_str(),
        summary = rule.summary,
        docs = rule.docs,
    )
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// The docs pages are generated from the registry; PREFLIGHT_UPDATE_DOCS=1 rewrites them.
    #[test]
    fn nginx_rule_docs_match_the_registry() {
        crate::rules::assert_docs_current(rules(), doc);
    }

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for rule in crate::rules::registry() {
            assert!(codes.insert(rule.code), "duplicate code {}", rule.code);
            assert!(names.insert(rule.name), "duplicate name {}", rule.name);
        }
        for rule in rules() {
            assert!(
                rule.code.starts_with("NGX") && rule.code.len() == 6,
                "{}",
                rule.code
            );
            assert!(
                rule.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{} is not kebab-case",
                rule.name
            );
            assert!(
                !rule.docs.is_empty() && !rule.summary.ends_with('.'),
                "{}",
                rule.code
            );
        }
    }
}
