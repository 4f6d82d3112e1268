//! Response headers nginx adds: which ones a block really sends (nginx's inheritance drops a
//! parent's `add_header` set as soon as a block has one of its own), and header values nginx
//! sends broken.

use rustc_hash::FxHashSet as HashSet;

use crate::diagnostic::Severity::{Error, Information, Warning};
use crate::diagnostic::{Diagnostic, Related};
use crate::nginx::model::{Config, Context, DirId, Inheritance};
use crate::rules::RuleMeta;

use super::lookup::Lookup;
use super::{Ctx, Reach};

pub static RULES: [RuleMeta; 3] = [
    RuleMeta {
        code: "NGX019",
        name: "add-header-redefinition",
        severity: Warning,
        summary: "An `add_header` in a nested block drops every header the enclosing blocks add",
        django: None,
        gixy: Some("add_header_redefinition"),
        docs: "nginx inherits `add_header` (and `add_trailer`) from the enclosing block *only if \
the block has none of its own*. One `add_header Cache-Control ...;` in a `location` therefore \
silently removes the `Strict-Transport-Security`, `X-Content-Type-Options`, \
`Content-Security-Policy` and other headers set on the `server` for every response of that \
location: typically the static and media files Django never sees, so Django's own security \
middleware cannot make up for it. Preflight follows the real inheritance (nested locations, `if` \
blocks, includes, nginx 1.29.3's `add_header_inherit`). The finding is a warning when a \
security header (CSP, HSTS, `X-Frame-Options`, `X-Content-Type-Options`, `Referrer-Policy`, \
`Permissions-Policy`, the `Cross-Origin-*` policies, or a `Cache-Control`/`Pragma`/`Expires` \
value that forbids caching) is dropped, and information otherwise.\n\n**Fix:** repeat the \
dropped headers in the nested block (the quick-fix copies them; review it, since it changes \
what that block sends), keep them in a snippet you `include` at every level, or, with nginx \
1.29.3 or later, add `add_header_inherit merge;` to append the parent's headers.",
    },
    RuleMeta {
        code: "NGX051",
        name: "add-header-multiline",
        severity: Information,
        summary: "A header value spans several lines",
        django: None,
        gixy: Some("add_header_multiline"),
        docs: "A quoted `add_header` (or `more_set_headers`) value written over several lines \
keeps its line breaks: nginx sends an obsolete folded header (a line break followed by \
indentation), which RFC 7230 deprecates and some clients reject or truncate. A line break \
*without* indentation ends the header early and sends the rest as a malformed header line; \
that case is an error. Long `Content-Security-Policy` values are the usual cause.\n\n**Fix:** \
write the value on one line (the quick-fix joins the lines with single spaces), or build it \
with a `map`/`set` of shorter parts.",
    },
    RuleMeta {
        code: "NGX052",
        name: "add-header-content-type",
        severity: Information,
        summary: "`add_header Content-Type` adds a second Content-Type instead of setting it",
        django: None,
        gixy: Some("add_header_content_type"),
        docs: "`add_header Content-Type ...` does not replace the response's content type: nginx \
already sends one (from `types`/`default_type`, or the upstream's, e.g. Django's), and the \
response ends up with two `Content-Type` headers that browsers resolve unpredictably. It is \
left alone when a `*_hide_header Content-Type` in scope removes the upstream's header first.\
\n\n**Fix:** `default_type text/plain;` for files whose type nginx cannot tell from the \
extension (the quick-fix; review it: `default_type` applies only when `types` has no entry \
for the extension), or a `types { }` block for the location.",
    },
];

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if ctx.runs(Reach::Server) {
        redefinition(ctx, out);
        multiline(ctx, out);
        content_type(ctx, out);
    }
}

/// Headers whose presence is a security control, whatever their value.
const SECURITY_HEADERS: &[&str] = &[
    "content-security-policy",
    "content-security-policy-report-only",
    "cross-origin-embedder-policy",
    "cross-origin-opener-policy",
    "cross-origin-resource-policy",
    "permissions-policy",
    "referrer-policy",
    "strict-transport-security",
    "x-content-type-options",
    "x-frame-options",
    "x-xss-protection",
    "x-permitted-cross-domain-policies",
];

/// Whether dropping header `name` with `value` weakens security: a security header, or a
/// caching or download header whose value protects (gixy-ng's classification).
fn protective(name: &str, value: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let value = value.to_ascii_lowercase();
    if SECURITY_HEADERS.contains(&name.as_str()) {
        return true;
    }
    match name.as_str() {
        "cache-control" => ["no-store", "no-cache", "private", "must-revalidate"]
            .iter()
            .any(|p| value.contains(p)),
        "pragma" => value.contains("no-cache"),
        "expires" => {
            let v = value.trim();
            v == "0"
                || (v.starts_with('-') && v.len() > 1 && v[1..].bytes().all(|b| b.is_ascii_digit()))
                || v.contains("1970")
        }
        "content-disposition" => value.contains("attachment"),
        "x-download-options" => value.contains("noopen"),
        _ => false,
    }
}

/// The source text of a directive (in whichever file it is written).
pub(super) fn statement(config: &Config, id: DirId) -> Option<&str> {
    let d = config.get(id);
    config
        .files
        .get(d.file)?
        .text
        .get(d.range.start..d.range.end)
}

/// How a finding names a level: "the `server`", "`location /static/`", "the `http` level".
pub(super) fn level_name(config: &Config, level: Option<DirId>) -> String {
    match level {
        Some(id) => {
            let d = config.get(id);
            if d.args.is_empty() {
                format!("the `{}` block", d.name())
            } else {
                format!(
                    "`{} {}`",
                    d.name(),
                    d.values().collect::<Vec<_>>().join(" ")
                )
            }
        }
        None if config.root == Context::Main => "the top level".to_owned(),
        None => "the `http` level".to_owned(),
    }
}

/// NGX019: a block with its own `add_header`s (or `add_trailer`s) loses the enclosing ones.
fn redefinition(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    let lookup = ctx.lookup();
    for block in config.walk() {
        let d = config.get(block);
        if d.body.is_none()
            || !matches!(d.name(), "server" | "location" | "if")
            || !matches!(
                config.inner_context(Some(block)),
                Context::Server | Context::Location | Context::If
            )
        {
            continue;
        }
        for family in ["add_header", "add_trailer"] {
            dropped_fields(ctx, lookup, block, family, out);
        }
    }
}

fn dropped_fields(
    ctx: &Ctx<'_>,
    lookup: &Lookup<'_>,
    block: DirId,
    family: &'static str,
    out: &mut Vec<Diagnostic>,
) {
    let config = ctx.config;
    let own: Vec<DirId> = config
        .direct(Some(block), family)
        .filter(|&h| config.get(h).args.len() >= 2)
        .collect();
    let Some(&first) = own.first() else { return };
    // `merge` keeps the parent's fields; `off` drops them on purpose; an unresolved include
    // may repeat them
    if config.array_inheritance(Some(block), family) != Inheritance::On
        || config.has_unresolved_include(Some(block))
    {
        return;
    }
    let Ok(inherited) = lookup.effective_array(config.get(block).parent, family) else {
        return;
    };
    let own_names: HashSet<String> = own
        .iter()
        .filter_map(|&h| config.get(h).arg(0))
        .map(str::to_ascii_lowercase)
        .collect();
    let dropped: Vec<DirId> = inherited
        .directives
        .iter()
        .copied()
        .filter(|&h| {
            let d = config.get(h);
            d.args.len() >= 2
                && d.arg(0)
                    .is_some_and(|n| !own_names.contains(&n.to_ascii_lowercase()))
        })
        .collect();
    if dropped.is_empty() {
        return;
    }
    let mut names: Vec<&str> = Vec::new();
    for &h in &dropped {
        let name = config.get(h).arg(0).unwrap_or_default();
        if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            names.push(name);
        }
    }
    let security = dropped.iter().any(|&h| {
        let d = config.get(h);
        protective(d.arg(0).unwrap_or_default(), d.arg(1).unwrap_or_default())
    });
    let list = names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let message = format!(
        "This `{family}` stops this block from inheriting {list} from {}: repeat {} here or add \
         `{family}_inherit merge;` (nginx >= 1.29.3)",
        level_name(config, inherited.level),
        if names.len() == 1 { "it" } else { "them" },
    );
    let copies: Vec<&str> = dropped
        .iter()
        .filter_map(|&h| statement(config, h))
        .collect();
    let fix = own
        .iter()
        .rev()
        .find(|&&h| config.is_local(h))
        .filter(|_| copies.len() == dropped.len())
        .and_then(|&last| {
            ctx.insert_after(
                last,
                &copies,
                &format!("Repeat the inherited {family} directives here"),
            )
        })
        .map(|mut f| {
            f.safe = false;
            f
        });
    let related: Vec<Related> = dropped
        .iter()
        .map(|&h| Related {
            path: config.path_of(h).to_path_buf(),
            range: config.get(h).range,
            message: format!(
                "dropped here: `{family} {}`",
                config.get(h).arg(0).unwrap_or_default()
            ),
        })
        .collect();
    if let Some(diagnostic) = ctx.report(out, "NGX019", first, message) {
        if !security {
            diagnostic.severity = Information;
        }
        diagnostic.related = related;
        diagnostic.fix = fix;
    }
}

/// The headers a directive sets, as (argument index, name, value): `add_header NAME VALUE`, or
/// headers-more's `more_set_headers [-s status] [-t type] 'Name: value' ...`.
fn header_values(config: &Config, id: DirId) -> Vec<(usize, String, String)> {
    let d = config.get(id);
    match d.name() {
        "add_header" => match (d.arg(0), d.arg(1)) {
            (Some(name), Some(value)) => vec![(1, name.to_owned(), value.to_owned())],
            _ => Vec::new(),
        },
        "more_set_headers" => {
            let mut out = Vec::new();
            let mut skip_next = false;
            for (i, arg) in d.args.iter().enumerate() {
                let arg = arg.value.as_str();
                if skip_next {
                    skip_next = false;
                } else if arg == "-s" || arg == "-t" {
                    skip_next = true;
                } else if !arg.starts_with('-') {
                    let (name, value) = arg.split_once(':').unwrap_or((arg, ""));
                    out.push((i, name.to_owned(), value.trim_start_matches(' ').to_owned()));
                }
            }
            out
        }
        _ => Vec::new(),
    }
}

/// NGX051: header values with line breaks.
fn multiline(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in config.walk() {
        for (arg, name, value) in header_values(config, id) {
            if !value.contains('\n') {
                continue;
            }
            // a line break without indentation ends the header: the rest is a broken line
            let broken = value
                .split('\n')
                .skip(1)
                .any(|line| !line.starts_with([' ', '\t']));
            let message = if broken {
                format!(
                    "The value of `{name}` has a line break, so nginx sends a truncated header \
                     followed by a malformed line: write the value on one line"
                )
            } else {
                format!(
                    "The value of `{name}` spans several lines, a folded header that clients may \
                     reject: write it on one line"
                )
            };
            let fix = join_lines_fix(ctx, id, arg);
            if let Some(diagnostic) = ctx.report_arg(out, "NGX051", id, arg, message) {
                if broken {
                    diagnostic.severity = Error;
                }
                diagnostic.fix = fix;
            }
        }
    }
}

/// Rewrites a quoted argument with each line break (and the blanks around it) as one space.
fn join_lines_fix(ctx: &Ctx<'_>, id: DirId, arg: usize) -> Option<crate::diagnostic::Fix> {
    let a = ctx.config.get(id).args.get(arg)?;
    let raw = ctx.text.get(a.range.start..a.range.end)?;
    // only written line breaks can be joined; `\n` escapes are meant (or need a human)
    if !a.quoted || raw.len() < 2 || a.value.matches('\n').count() != raw.matches('\n').count() {
        return None;
    }
    let (quote, inner) = raw.split_at(1);
    let inner = inner.strip_suffix(quote)?;
    let mut joined = String::with_capacity(inner.len());
    for (i, line) in inner.split('\n').enumerate() {
        let line = line.trim_end_matches('\r');
        let part = match i {
            0 => line.trim_end(),
            _ => line.trim(),
        };
        if part.is_empty() {
            continue;
        }
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(part);
    }
    ctx.replace_arg(
        id,
        arg,
        &format!("{quote}{joined}{quote}"),
        "Write the header value on one line",
    )
}

const HIDE_HEADERS: &[&str] = &[
    "proxy_hide_header",
    "fastcgi_hide_header",
    "uwsgi_hide_header",
    "scgi_hide_header",
    "grpc_hide_header",
];

/// NGX052: `add_header Content-Type`.
fn content_type(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    let lookup = ctx.lookup();
    // `proxy_hide_header Content-Type` + `add_header Content-Type` replaces the upstream's
    let hidden = |block| {
        HIDE_HEADERS.iter().any(|hide| {
            lookup.chain(block, hide).iter().any(|&h| {
                config
                    .get(h)
                    .arg(0)
                    .is_some_and(|n| n.eq_ignore_ascii_case("content-type"))
            })
        })
    };
    for id in config.walk() {
        let d = config.get(id);
        if !d.is("add_header")
            || !d
                .arg(0)
                .is_some_and(|h| h.eq_ignore_ascii_case("content-type"))
        {
            continue;
        }
        let Some(value) = d.arg(1) else { continue };
        if hidden(d.parent) {
            continue;
        }
        let message = format!(
            "`add_header Content-Type` sends a second Content-Type header: use `default_type {value};`"
        );
        let fix = default_type_fix(ctx, id);
        if let Some(diagnostic) = ctx.report(out, "NGX052", id, message) {
            diagnostic.fix = fix;
        }
    }
}

fn default_type_fix(ctx: &Ctx<'_>, id: DirId) -> Option<crate::diagnostic::Fix> {
    let config = ctx.config;
    let d = config.get(id);
    let value = d.args.get(1)?;
    // `default_type` takes no variables, is not allowed in `if`, and only once per block
    if value.value.contains('$')
        || value.value.is_empty()
        || config.inner_context(d.parent) == Context::If
        || config.first(d.parent, "default_type").is_some()
        || !config.is_local(id)
    {
        return None;
    }
    let raw = ctx.text.get(value.range.start..value.range.end)?;
    let mut fix = ctx.replace_directive(
        id,
        &format!("default_type {raw};"),
        "Use `default_type` instead",
    )?;
    fix.safe = false;
    Some(fix)
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::nginx::testing::*;
    use crate::source::MemoryLoader;

    fn codes(text: &str, code: &str) -> Vec<(usize, String)> {
        findings(&check_site(text), code, text)
            .into_iter()
            .map(|(l, t)| (l, t.to_owned()))
            .collect()
    }

    #[test]
    fn a_nested_add_header_drops_the_servers_headers() {
        let text = "server {\n    add_header X-Content-Type-Options nosniff always;\n    add_header X-Robots-Tag none;\n    location /static/ {\n        add_header Cache-Control public;\n    }\n    location / {\n        proxy_pass http://app;\n    }\n}\n";
        let d = check_site(text);
        assert_eq!(
            findings(&d, "NGX019", text),
            [(5, "add_header Cache-Control public;")]
        );
        let f = d.iter().find(|d| d.code == "NGX019").unwrap();
        assert_eq!(f.severity, Severity::Warning);
        assert!(
            f.message
                .contains("`X-Content-Type-Options`, `X-Robots-Tag`"),
            "{}",
            f.message
        );
        assert!(f.message.contains("the `server` block"), "{}", f.message);
        assert_eq!(f.related.len(), 2);
        assert_eq!(
            f.references.get("gixy").map(String::as_str),
            Some("add_header_redefinition")
        );
        let fix = f.fix.as_ref().unwrap();
        assert!(!fix.safe);
        let fixed = fixed(&d, "NGX019", text);
        assert!(
            fixed.contains("add_header Cache-Control public;\n        add_header X-Content-Type-Options nosniff always;\n        add_header X-Robots-Tag none;\n"),
            "{fixed}"
        );
        assert!(codes(&fixed, "NGX019").is_empty());
    }

    #[test]
    fn dropping_only_harmless_headers_is_information() {
        let text = "server { add_header Cache-Control \"public, max-age=60\"; location / { add_header X-A 1; } location /b { add_header X-A 1; add_header Cache-Control no-store; } }";
        let d = check_site(text);
        assert_eq!(findings(&d, "NGX019", text), [(1, "add_header X-A 1;")]);
        assert_eq!(
            d.iter().find(|d| d.code == "NGX019").unwrap().severity,
            Severity::Information
        );
        // a protective cache value is a security header
        let text = "server { add_header Cache-Control no-store; location / { add_header X-A 1; } }";
        let d = check_site(text);
        assert_eq!(
            d.iter().find(|d| d.code == "NGX019").unwrap().severity,
            Severity::Warning
        );
    }

    #[test]
    fn redefinition_follows_ifs_http_and_trailers() {
        let text = "add_header X-Frame-Options DENY;\nserver {\n    location / {\n        if ($a) { add_header X-B 1; }\n        add_trailer T 1;\n    }\n}\nserver { add_header X-Frame-Options SAMEORIGIN; }\n";
        assert_eq!(codes(text, "NGX019"), [(4, "add_header X-B 1;".to_owned())]);
        let text = "server { add_trailer A 1; location / { add_trailer B 2; } }";
        assert_eq!(codes(text, "NGX019"), [(1, "add_trailer B 2;".to_owned())]);
    }

    #[test]
    fn add_header_inherit_merge_and_off_are_respected() {
        // merge here, merge inherited from the server, and off: nothing is dropped by surprise
        let text =
            "server { add_header A 1; location / { add_header_inherit merge; add_header B 2; } }";
        assert!(codes(text, "NGX019").is_empty());
        let text =
            "add_header_inherit merge; server { add_header A 1; location / { add_header B 2; } }";
        assert!(codes(text, "NGX019").is_empty());
        let text =
            "server { add_header A 1; location / { add_header_inherit off; add_header B 2; } }";
        assert!(codes(text, "NGX019").is_empty());
        // a merging parent passes its own parent's headers down: both are dropped below
        let text = "add_header A 1;\nserver { add_header_inherit merge; add_header B 2; location / { add_header_inherit on; add_header C 3; } }\n";
        let d = check_site(text);
        let f = d.iter().find(|d| d.code == "NGX019").unwrap();
        assert!(f.message.contains("`B`, `A`"), "{}", f.message);
    }

    #[test]
    fn included_headers_and_unresolved_includes() {
        let loader = MemoryLoader::default().with(
            "/srv/site/snippets/headers.conf",
            "add_header Strict-Transport-Security \"max-age=63072000\" always;\n",
        );
        let text = "server {\n    include snippets/headers.conf;\n    location / {\n        add_header X-A 1;\n    }\n}\n";
        let d = check_with("/srv/site/sites-available/app", text, &loader);
        assert_eq!(findings(&d, "NGX019", text), [(4, "add_header X-A 1;")]);
        let fixed = fixed(&d, "NGX019", text);
        assert!(fixed.contains(
            "add_header X-A 1;\n        add_header Strict-Transport-Security \"max-age=63072000\" always;"
        ));
        // an include nginx may resolve differently could repeat them: silent
        let text =
            "server { add_header A 1; location / { include /nowhere/h.conf; add_header B 2; } }";
        assert!(codes(text, "NGX019").is_empty());
        let text = "server { add_header A 1; location / { add_header A 2; } }";
        assert!(codes(text, "NGX019").is_empty());
    }

    #[test]
    fn multiline_headers() {
        let text = "server {\n    add_header Content-Security-Policy \"\n        default-src 'none';\n        img-src 'self'\";\n    add_header X-Broken \"a;\nb\";\n    more_set_headers -s 404 'X-M: a\n  b';\n    add_header X-Fine \"a b\";\n}\n";
        let d = check_site(text);
        assert_eq!(
            findings(&d, "NGX051", text),
            [
                (
                    2,
                    "\"\n        default-src 'none';\n        img-src 'self'\""
                ),
                (5, "\"a;\nb\""),
                (7, "'X-M: a\n  b'")
            ]
        );
        let severities: Vec<Severity> = d
            .iter()
            .filter(|d| d.code == "NGX051")
            .map(|d| d.severity)
            .collect();
        assert_eq!(
            severities,
            [
                Severity::Information,
                Severity::Error,
                Severity::Information
            ]
        );
        assert_eq!(
            first(&d, "NGX051")
                .references
                .get("gixy")
                .map(String::as_str),
            Some("add_header_multiline")
        );
        let fixed = fixed(&d, "NGX051", text);
        assert!(fixed.contains(
            "add_header Content-Security-Policy \"default-src 'none'; img-src 'self'\";"
        ));
        assert_eq!(codes(&fixed, "NGX051").len(), 2);
        // a `\n` escape is reported, but not rewritten
        let text = "server { add_header X \"a\\nb\"; }";
        let d = check_site(text);
        assert_eq!(findings(&d, "NGX051", text), [(1, "\"a\\nb\"")]);
        assert!(first(&d, "NGX051").fix.is_none());
    }

    #[test]
    fn content_type_via_add_header() {
        let text = "server {\n    location /feed {\n        add_header Content-Type text/plain;\n    }\n    location /api {\n        proxy_hide_header Content-Type;\n        add_header Content-Type application/json;\n    }\n    location /x { if ($a) { add_header content-type \"text/html\"; } }\n}\n";
        let d = check_site(text);
        assert_eq!(
            findings(&d, "NGX052", text),
            [
                (3, "add_header Content-Type text/plain;"),
                (9, "add_header content-type \"text/html\";")
            ]
        );
        let fixed = fixed(&d, "NGX052", text);
        assert!(fixed.contains("        default_type text/plain;\n"));
        assert_eq!(codes(&fixed, "NGX052").len(), 1);
        // no `default_type` inside `if`
        assert!(
            d.iter()
                .filter(|d| d.code == "NGX052")
                .nth(1)
                .unwrap()
                .fix
                .is_none()
        );
        // hidden at the server level
        let text = "server { uwsgi_hide_header Content-Type; location / { add_header Content-Type text/plain; } }";
        assert!(codes(text, "NGX052").is_empty());
    }
}
