//! Rules about the files themselves rather than the deployment: a file that does not parse, a
//! suppression comment that suppresses nothing, a configuration file Preflight cannot use.

use super::RuleMeta;
use crate::diagnostic::Severity::{Error, Hint, Warning};

pub static RULES: [RuleMeta; 10] = [
    RuleMeta {
        code: "DJ000",
        name: "python-syntax-error",
        severity: Error,
        summary: "The Python file does not parse",
        django: None,
        gixy: None,
        docs: "Preflight reads settings modules with a Python parser. A file with a syntax error cannot be \
               imported by Django either, and nothing else in it can be checked until it parses: the \
               diagnostic sits on the first error. Fix the syntax; the other findings come back. \
               The same code, at the start of the file, reports a file Preflight stopped parsing \
               because it took too long (2 s, plus 1 s per megabyte of the file): a long run of \
               consecutive comment lines inside an indented block (an `if`, a function) is slow to \
               parse (a known problem of the Python grammar). \
               Such a file is not checked; split it, or shorten the run of comments (a large \
               commented-out block can usually be deleted: version control keeps it).",
    },
    RuleMeta {
        code: "NGX000",
        name: "nginx-syntax-error",
        severity: Error,
        summary: "The nginx config does not parse",
        django: None,
        gixy: None,
        docs: "Preflight reads nginx configs with a grammar that follows nginx's own tokenizer, so a file \
               it cannot parse is one `nginx -t` rejects: nginx would refuse to start or reload with it. \
               The diagnostic sits on the first error of each broken statement: look for a missing `;`, \
               an unbalanced `{`/`}` or an unclosed quote. The most common case, a regex with `{` or `}` \
               left unquoted, has its own code with a fix: NGX032. While a file does not parse, the \
               other nginx rules wait: they would report what is still being typed. The same code, \
               at the start of the file, reports a config Preflight stopped parsing because it took \
               too long (2 s, plus 1 s per megabyte): the file is not checked. (An included file \
               that takes too long is not followed, as NGX902 says at its `include`.)",
    },
    RuleMeta {
        code: "NGX032",
        name: "quote-regex-braces",
        severity: Error,
        summary: "An unquoted regex contains `{` or `}`, so nginx cannot parse the config",
        django: None,
        gixy: None,
        docs: "nginx's tokenizer ends an unquoted word at `{` and reads it as the start of a block, so \
               `location ~ ^/\\d{1,10}$ {` is a syntax error: `nginx -t` fails and a reload keeps the \
               old config. It is the most common syntax error in regex locations, and it is easy to \
               miss because many regex engines accept the pattern. The same applies to `rewrite`, \
               `if` conditions and `map` keys.\n\n**Fix:** quote the regex: \
               `location ~ \"^/\\d{1,10}$\" {` (the quick-fix does, keeping escapes as they are, and \
               `preflight check --fix` applies it).",
    },
    RuleMeta {
        code: "DJ900",
        name: "unused-suppression",
        severity: Hint,
        summary: "A `# preflight: ignore[...]` comment suppresses nothing",
        django: None,
        gixy: None,
        docs: "The code named in the comment is not reported on that line (or, for `ignore-file`, in the \
               file): the problem was fixed, or the comment is on the wrong line. Remove the code from the \
               comment so that stale suppressions cannot hide a future finding.",
    },
    RuleMeta {
        code: "NGX900",
        name: "nginx-unused-suppression",
        severity: Hint,
        summary: "A `# preflight: ignore[...]` comment in an nginx config suppresses nothing",
        django: None,
        gixy: None,
        docs: "The code named in the comment is not reported on that line (or, for `ignore-file`, in the \
               file): the problem was fixed, or the comment is on the wrong line. Remove the code from the \
               comment so that stale suppressions cannot hide a future finding.",
    },
    RuleMeta {
        code: "NGX901",
        name: "include-not-found",
        severity: Warning,
        summary: "An `include` names a file that is not there",
        django: None,
        gixy: None,
        docs: "nginx refuses to start when a plain (non-glob) `include` names a missing file. Preflight \
               resolves a relative path against the folder nginx would use as its prefix (the folder of \
               `nginx.conf`; for a site file in `sites-available/` or `conf.d/`, the folder above it, then \
               its own), and an absolute `/etc/nginx/...` path against the same folders before the real \
               path. Debian's standard includes (`proxy_params`, `fastcgi_params`, `mime.types`, ...) are \
               known. While an include is unresolved, rules that report a missing directive stay silent \
               in its block, since the file may define it. Fix the path, or add the file to the \
               repository next to the config.",
    },
    RuleMeta {
        code: "NGX902",
        name: "include-cycle",
        severity: Error,
        summary: "Files include each other in a cycle, or includes go too deep",
        django: None,
        gixy: None,
        docs: "An `include` that leads back to a file already being included makes nginx recurse until \
               it fails. Preflight stops at the cycle and names the chain of files. The same diagnostic \
               reports includes nested more than 16 deep, more than 512 files or 32 MB of included \
               text, and an included file too slow to parse (see NGX000), which Preflight does not \
               read further. Break the cycle: include snippets from the \
               main config or the site, never the other way round.",
    },
    RuleMeta {
        code: "CFG000",
        name: "config-syntax-error",
        severity: Error,
        summary: "The configuration file is not valid TOML",
        django: None,
        gixy: None,
        docs: "`preflight.toml` or the `[tool.preflight]` table of `pyproject.toml` could not be read, so \
               Preflight uses its defaults. Fix the TOML syntax at the position shown.",
    },
    RuleMeta {
        code: "CFG001",
        name: "config-unknown-key",
        severity: Warning,
        summary: "The configuration names a setting Preflight does not know",
        django: None,
        gixy: None,
        docs: "Known keys: `select`, `ignore`, `severity`, `per-file-ignores`, `production`, `development`, \
               `django-version`, `env-helpers`, `nginx`, `gunicorn`. A misspelled key is ignored, which usually means a rule \
               you meant to turn off still runs; the message suggests the closest key.",
    },
    RuleMeta {
        code: "CFG002",
        name: "config-invalid-value",
        severity: Warning,
        summary: "A configuration value has the wrong type or form",
        django: None,
        gixy: None,
        docs: "The value is ignored and the default applies. The message says what the key expects, e.g. \
               a list of strings for `ignore`, a string such as \"5.2\" for `django-version`.",
    },
];

/// `docs/rules/CODE.md` of a meta rule.
pub fn doc(rule: &RuleMeta) -> String {
    format!(
        "# {code}: {name}\n\n**Severity:** {severity}\n\n{summary}.\n\n{docs}\n",
        code = rule.code,
        name = rule.name,
        severity = rule.severity.as_str(),
        summary = rule.summary,
        docs = rule.docs,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The docs pages are generated from the registry; PREFLIGHT_UPDATE_DOCS=1 rewrites them.
    #[test]
    fn meta_rule_docs_match_the_registry() {
        crate::rules::assert_docs_current(&RULES, doc);
    }

    #[test]
    fn every_code_the_core_emits_is_registered() {
        for code in [
            "DJ000", "NGX000", "NGX032", "DJ900", "NGX900", "NGX901", "NGX902", "CFG000", "CFG001",
            "CFG002",
        ] {
            assert!(crate::rules::lookup(code).is_some(), "{code}");
        }
        for item in crate::checklist::ITEMS {
            for code in item.codes {
                assert!(
                    crate::rules::lookup(code).is_some(),
                    "checklist item {} names {code}",
                    item.id
                );
            }
        }
    }
}
