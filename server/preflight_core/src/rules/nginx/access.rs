//! Who may reach what: `allow`/`deny` lists, `map`/`geo` tables that feed access decisions,
//! the status page, rate limits on Django's login.
//!
//! nginx's access rules (`allow`/`deny`) are inherited as one list: a block that has any
//! replaces its parent's, a block that has none uses its parent's. They are checked in the
//! access phase, after the rewrite phase, so `return` answers before them.

use crate::diagnostic::Severity::{Hint, Warning};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::nginx::location::Route;
use crate::nginx::model::{Config, Context, DirId, Unresolved};
use crate::rules::RuleMeta;

use super::app::{app_pass, app_servers};
use super::{Ctx, Reach};

pub static RULES: [RuleMeta; 5] = [
    RuleMeta {
        code: "NGX025",
        name: "map-without-default",
        severity: Warning,
        summary: "A `map` or `geo` block has no `default`",
        django: None,
        gixy: Some("hash_without_default"),
        docs: "A value that matches no key of a `map` (or an address outside every range of a \
`geo`) gets the default, and without a `default` line that is the empty string. When the \
variable decides access (`if ($office = \"\") { return 403; }`, `limit_req` keys, an \
upstream choice), an unlisted input silently takes the path nobody wrote down. A `map` with a \
single entry is exempt (an empty key that switches a limit off is a common idiom), as in \
gixy-ng.\n\n**Fix:** say what unlisted input gets: `default \"\";` (the quick-fix, which \
keeps today's behaviour and makes it explicit) or the safe value, such as `default 0;`.",
    },
    RuleMeta {
        code: "NGX026",
        name: "stub-status-exposed",
        severity: Warning,
        summary: "`stub_status` is reachable from any address",
        django: None,
        gixy: Some("status_page_exposed"),
        docs: "nginx's status page shows live connection and request counts: reconnaissance \
for an attacker, and a timing side channel. Without `allow` for the monitoring addresses and \
`deny all` (in the block or inherited from an enclosing one), anyone can read it. A server \
that listens only on Unix sockets is exempt.\n\n**Fix:** `allow 127.0.0.1; deny all;` next to \
`stub_status` (the quick-fix; review it when the monitoring agent runs on another host), or \
`deny all;` after the `allow` lines that are already there.",
    },
    RuleMeta {
        code: "NGX027",
        name: "allow-without-deny",
        severity: Warning,
        summary: "`allow` without `deny all` in the same block allows everyone",
        django: None,
        gixy: Some("allow_without_deny"),
        docs: "nginx allows a request that matches no `allow`/`deny` rule, so a list of \
`allow` lines alone restricts nothing: `location /admin/ { allow 203.0.113.0/24; }` serves \
Django's admin to the whole internet. A block that has any `allow` or `deny` also drops the \
rules of the enclosing blocks, so a `deny all` in the server does not help a location with \
its own `allow`.\n\n**Fix:** `deny all;` after the last `allow` (the quick-fix).",
    },
    RuleMeta {
        code: "NGX033",
        name: "return-bypasses-acl",
        severity: Warning,
        summary: "`return` answers before `allow`/`deny` are checked",
        django: None,
        gixy: Some("return_bypasses_allow_deny"),
        docs: "`return` runs in nginx's rewrite phase, before the access phase where `allow` \
and `deny` are checked, so a `return 200 ...` or `return 301 ...` under an access list is \
served to everyone, whatever the list says. `return` with an error status (4xx, 5xx, 444) \
refuses the request anyway and is not reported.\n\n**Fix:** move the `return` into a location \
without access rules, or serve the response in the content phase (`try_files`, a static \
file, `proxy_pass`) so the access rules apply.",
    },
    RuleMeta {
        code: "NGX043",
        name: "auth-rate-limit",
        severity: Hint,
        summary: "Django's login is served without `limit_req`",
        django: None,
        gixy: None,
        docs: "Django does not limit login attempts. Without a `limit_req` on the location that \
serves `/admin/login/` (or `/accounts/login/`, django-allauth's and the auth views' usual \
path), password guessing runs as fast as gunicorn answers. The rule asks nginx's own \
location choice which location serves those paths and whether a `limit_req` is in effect \
there (inherited ones count).\n\n**Fix:** in `http`, `limit_req_zone $binary_remote_addr \
zone=login:10m rate=10r/m;`, and a location for the login that limits it: \
`location = /admin/login/ { limit_req zone=login burst=5 nodelay; proxy_pass ...; }` (with \
the same proxy settings as the app's location).",
    },
];

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if ctx.runs(Reach::Server) {
        maps_without_default(ctx, out);
        stub_status_exposed(ctx, out);
        allow_without_deny(ctx, out);
        login_without_rate_limit(ctx, out);
    }
    if ctx.runs(Reach::Config) {
        return_bypasses_acl(ctx, out);
    }
}

/// NGX025: `map`/`geo` without `default`.
fn maps_without_default(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in config.walk() {
        let d = config.get(id);
        let is_table = (d.is("map") || d.is("geo")) && d.context != Context::Table;
        if !is_table || d.body.is_none() || config.has_unresolved_include(Some(id)) {
            continue;
        }
        let entries: Vec<DirId> = d
            .children()
            .iter()
            .copied()
            .filter(|&c| !config.get(c).is("include"))
            .collect();
        let has_default = entries.iter().any(|&e| {
            let entry = config.get(e);
            entry.is("default") && entry.args.len() == 1
        });
        if has_default {
            continue;
        }
        let keys = entries
            .iter()
            .filter(|&&e| !config.get(e).is("default"))
            .count();
        if d.is("map") && keys <= 1 {
            continue;
        }
        let head: Vec<&str> = std::iter::once(d.name()).chain(d.values()).collect();
        let message = format!(
            "`{}` has no `default`: input that matches no entry gets an empty value; add \
             `default \"\";` or the value unlisted input should get",
            head.join(" ")
        );
        let fix = ctx.insert_in_block(id, &["default \"\";"], "Add `default \"\";`");
        if let Some(diagnostic) = ctx.report(out, "NGX025", id, message) {
            diagnostic.fix = fix;
        }
    }
}

/// The access rules (`allow`/`deny`) in effect in `block`: those of the nearest enclosing
/// level that has any, with that level.
fn access_rules(config: &Config, block: DirId) -> Result<(Option<DirId>, Vec<DirId>), Unresolved> {
    for scope in config.scope_chain(Some(block)) {
        let here: Vec<DirId> = config
            .children_of(scope)
            .iter()
            .copied()
            .filter(|&c| config.get(c).is("allow") || config.get(c).is("deny"))
            .collect();
        if !here.is_empty() {
            return Ok((scope, here));
        }
        if config.has_unresolved_include(scope) {
            return Err(Unresolved);
        }
        // a snippet's top level is included somewhere unknown
        if scope.is_none() && !matches!(config.root, Context::Main | Context::Http) {
            return Err(Unresolved);
        }
    }
    Ok((None, Vec::new()))
}

fn is_deny_all(config: &Config, id: DirId) -> bool {
    let d = config.get(id);
    d.is("deny") && d.arg(0) == Some("all")
}

fn is_allow_all(config: &Config, id: DirId) -> bool {
    let d = config.get(id);
    d.is("allow") && d.arg(0) == Some("all")
}

/// Whether the rules refuse addresses they do not list: a `deny all` that no `allow all`
/// comes before.
fn closes(config: &Config, rules: &[DirId]) -> bool {
    for &rule in rules {
        if is_allow_all(config, rule) {
            return false;
        }
        if is_deny_all(config, rule) {
            return true;
        }
    }
    false
}

/// NGX026: `stub_status` without effective `allow`.../`deny all`.
fn stub_status_exposed(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in config.walk() {
        let d = config.get(id);
        if !d.is("stub_status") {
            continue;
        }
        let Some(block) = d.parent else { continue };
        if let Some(server) = config.enclosing(id, "server") {
            let listens: Vec<DirId> = config.direct(Some(server), "listen").collect();
            let unix_only = !listens.is_empty()
                && listens.iter().all(|&l| {
                    config
                        .get(l)
                        .arg(0)
                        .is_some_and(|a| a.to_ascii_lowercase().starts_with("unix:"))
                });
            if unix_only {
                continue;
            }
        }
        let Ok((level, rules)) = access_rules(config, block) else {
            continue;
        };
        if closes(config, &rules) {
            continue;
        }
        let has_allow = rules.iter().any(|&r| config.get(r).is("allow"));
        let (message, fix) = if has_allow && level == Some(block) {
            let last = *rules.last().unwrap_or(&id);
            (
                "`stub_status` is reachable from any address: the `allow` lines have no \
                 `deny all` after them",
                insert_deny_all(ctx, last),
            )
        } else {
            let fix = ctx
                .insert_after(
                    id,
                    &["allow 127.0.0.1;", "deny all;"],
                    "Allow only 127.0.0.1",
                )
                .map(|mut f| {
                    f.safe = false;
                    f
                });
            (
                "`stub_status` is reachable from any address: add `allow 127.0.0.1;` (or the \
                 monitoring host) and `deny all;`",
                fix,
            )
        };
        if let Some(diagnostic) = ctx.report(out, "NGX026", id, message) {
            diagnostic.fix = fix;
        }
    }
}

/// `deny all;` after access rule `last` (after the include it came through, when it comes
/// from an included file): on a line of its own, or on the same line in a one-line block.
fn insert_deny_all(ctx: &Ctx<'_>, last: DirId) -> Option<Fix> {
    let at = ctx.config.anchor(last)?;
    let title = "Add `deny all;` after the `allow` lines";
    let end = ctx.config.get(at).range.end;
    let rest_of_line = ctx.text.get(end..)?.split('\n').next().unwrap_or("");
    if rest_of_line.trim().is_empty() || rest_of_line.trim_start().starts_with('#') {
        return ctx.insert_after(at, &["deny all;"], title);
    }
    Some(Fix {
        title: title.to_owned(),
        edits: vec![Edit::insert(end, " deny all;")],
        safe: true,
    })
}

/// NGX027: a block with `allow` lines and no `deny all`.
fn allow_without_deny(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    let mut blocks: Vec<Option<DirId>> = vec![None];
    blocks.extend(
        config
            .walk()
            .filter(|&id| config.get(id).body.is_some())
            .map(Some),
    );
    for block in blocks {
        if block.is_none() && !matches!(config.root, Context::Main | Context::Http) {
            // a snippet: its `deny all` may be next to the include
            continue;
        }
        let rules: Vec<DirId> = config
            .children_of(block)
            .iter()
            .copied()
            .filter(|&c| config.get(c).is("allow") || config.get(c).is("deny"))
            .collect();
        let allows: Vec<DirId> = rules
            .iter()
            .copied()
            .filter(|&r| config.get(r).is("allow") && !is_allow_all(config, r))
            .collect();
        if allows.is_empty()
            || rules.iter().any(|&r| is_deny_all(config, r))
            || config.has_unresolved_include(block)
        {
            continue;
        }
        let last_rule = *rules.last().unwrap_or(&allows[0]);
        for (i, &allow) in allows.iter().enumerate() {
            let value = config.get(allow).arg(0).unwrap_or("");
            let message = format!(
                "`allow {value}` restricts nothing: without `deny all;` after the `allow` lines \
                 every other address is allowed too"
            );
            // one fix for the block, on its last `allow`
            let fix = (i + 1 == allows.len())
                .then(|| insert_deny_all(ctx, last_rule))
                .flatten();
            if let Some(diagnostic) = ctx.report(out, "NGX027", allow, message) {
                diagnostic.fix = fix;
            }
        }
    }
}

/// NGX033: a `return` that access rules in effect where it runs do not restrict.
fn return_bypasses_acl(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    // the returns each access list fails to guard, by the list's level
    let mut bypassed: Vec<(DirId, Vec<DirId>)> = Vec::new();
    for id in config.walk() {
        let d = config.get(id);
        if !d.is("return") || is_refusal(d.arg(0)) {
            continue;
        }
        let Some(block) = d.parent else { continue };
        // access rules are not allowed in `if`: it uses its location's
        let Some(scope) = std::iter::once(block)
            .chain(config.ancestors(block))
            .find(|&b| !config.get(b).is("if"))
        else {
            continue;
        };
        let Ok((_, rules)) = access_rules(config, scope) else {
            continue;
        };
        let Some(&first) = rules.first() else {
            continue;
        };
        match bypassed.iter_mut().find(|(f, _)| *f == first) {
            Some((_, returns)) => returns.push(id),
            None => bypassed.push((first, vec![id])),
        }
    }
    for (first, returns) in bypassed {
        let lines: Vec<String> = returns
            .iter()
            .filter_map(|&r| config.anchor(r))
            .map(|r| {
                let start = config.get(r).range.start;
                (ctx.text[..start].matches('\n').count() + 1).to_string()
            })
            .collect();
        let at = if lines.len() == 1 {
            format!("line {}", lines[0])
        } else {
            format!("lines {}", lines.join(", "))
        };
        let message = format!(
            "These `allow`/`deny` rules do not apply to the `return` on {at}: `return` answers \
             in the rewrite phase, before access is checked; serve that response from a \
             location without access rules, or in the content phase"
        );
        ctx.report(out, "NGX033", first, message);
    }
}

/// `return 403`, `return 444`, `return 500`...: the request is refused anyway.
fn is_refusal(code: Option<&str>) -> bool {
    code.and_then(|c| c.parse::<u16>().ok())
        .is_some_and(|c| c >= 400)
}

/// The paths Django's login is usually served at.
const LOGIN_PATHS: &[&str] = &["/admin/login/", "/accounts/login/"];

/// NGX043: Django's login served by a location without `limit_req`.
fn login_without_rate_limit(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for server in app_servers(config) {
        let mut reported: Vec<Option<DirId>> = Vec::new();
        for &path in LOGIN_PATHS {
            let Route::Location(location) = ctx.router().route(server, path) else {
                continue;
            };
            let serves_app = match location {
                Some(l) => app_pass(config, l).is_some(),
                None => app_pass(config, server).is_some(),
            };
            if !serves_app || reported.contains(&location) {
                continue;
            }
            let block = location.unwrap_or(server);
            let Ok(limits) = config.effective_array(Some(block), "limit_req") else {
                continue;
            };
            if !limits.directives.is_empty() {
                continue;
            }
            reported.push(location);
            let message = format!(
                "Django's login (`{path}`) is served here without `limit_req`: password \
                 guessing is limited only by gunicorn; add a `limit_req_zone` and a \
                 `location = {path}` with `limit_req`"
            );
            ctx.report(out, "NGX043", block, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::nginx::testing::*;
    use crate::source::MemoryLoader;

    fn codes<'a>(text: &'a str, code: &str) -> Vec<(usize, &'a str)> {
        findings(&check_site(text), code, text)
    }

    fn fixed_clean(text: &str, code: &str) -> String {
        let after = fixed(&check_site(text), code, text);
        assert!(
            codes(&after, code).is_empty(),
            "{code} still reported after the fix:\n{after}"
        );
        after
    }

    #[test]
    fn map_and_geo_without_default() {
        let text = "map $request_method $limit_key {\n    POST $binary_remote_addr;\n    PUT $binary_remote_addr;\n}\nmap $request_method $one {\n    POST 1;\n}\ngeo $office {\n    203.0.113.0/24 1;\n}\ngeo $ok {\n    default 0;\n    203.0.113.0/24 1;\n}\nmap $a $b {\n    default \"\";\n    x 1;\n    y 2;\n}\n";
        let d = check_site(text);
        assert_eq!(
            findings(&d, "NGX025", text),
            [(1, "map $request_method $limit_key"), (8, "geo $office")]
        );
        let after = fixed(&d, "NGX025", text);
        assert_eq!(codes(&after, "NGX025"), [(9, "geo $office")]);
        assert!(after.starts_with("map $request_method $limit_key {\n    default \"\";\n    POST"));
    }

    #[test]
    fn map_with_an_unresolved_include_is_not_judged() {
        let text = "map $a $b {\n    include /nowhere/entries.map;\n}\n";
        assert!(codes(text, "NGX025").is_empty());
    }

    #[test]
    fn stub_status_without_restriction() {
        let text = "server {\n    listen 80;\n    location = /nginx_status {\n        stub_status;\n        access_log off;\n    }\n}\n";
        let d = check_site(text);
        assert_eq!(findings(&d, "NGX026", text), [(4, "stub_status;")]);
        let fix = d
            .iter()
            .find(|d| d.code == "NGX026")
            .unwrap()
            .fix
            .clone()
            .unwrap();
        assert!(!fix.safe);
        let after = fixed_clean(text, "NGX026");
        assert!(
            after.contains("        stub_status;\n        allow 127.0.0.1;\n        deny all;\n"),
            "{after}"
        );
    }

    #[test]
    fn stub_status_with_allow_only_gets_deny_all() {
        let text = "server {\n    location = /nginx_status {\n        stub_status;\n        allow 127.0.0.1;\n    }\n}\n";
        let d = check_site(text);
        assert_eq!(findings(&d, "NGX026", text), [(3, "stub_status;")]);
        let after = fixed_clean(text, "NGX026");
        assert!(
            after.contains("allow 127.0.0.1;\n        deny all;\n"),
            "{after}"
        );
    }

    #[test]
    fn stub_status_protected_here_inherited_or_on_a_socket() {
        let text = "server {\n    location = /s { stub_status; allow 127.0.0.1; deny all; }\n}\nserver {\n    allow 10.0.0.0/8;\n    deny all;\n    location = /s { stub_status; }\n}\nserver {\n    listen unix:/run/status.sock;\n    location = /s { stub_status; }\n}\nserver {\n    location = /s { stub_status; allow all; deny all; }\n}\n";
        assert_eq!(codes(text, "NGX026"), [(14, "stub_status;")]);
    }

    #[test]
    fn allow_without_deny_all() {
        let text = "server {\n    location /admin/ {\n        allow 203.0.113.0/24;\n        allow 198.51.100.7;\n        proxy_pass http://app;\n    }\n    location /ok/ {\n        allow 203.0.113.0/24;\n        deny all;\n    }\n    location /open/ {\n        allow all;\n    }\n}\n";
        let d = check_site(text);
        assert_eq!(
            findings(&d, "NGX027", text),
            [(3, "allow 203.0.113.0/24;"), (4, "allow 198.51.100.7;")]
        );
        let with_fix: Vec<_> = d
            .iter()
            .filter(|d| d.code == "NGX027" && d.fix.is_some())
            .collect();
        assert_eq!(with_fix.len(), 1);
        let after = fixed(&[with_fix[0].clone()], "NGX027", text);
        assert!(
            after.contains("allow 198.51.100.7;\n        deny all;\n"),
            "{after}"
        );
        assert!(codes(&after, "NGX027").is_empty());
    }

    #[test]
    fn one_line_blocks_get_deny_all_on_the_same_line() {
        let text = "server {\n    location /a/ { allow 10.0.0.0/8; proxy_pass http://app; }\n}\n";
        let after = fixed_clean(text, "NGX027");
        assert!(
            after.contains("{ allow 10.0.0.0/8; deny all; proxy_pass"),
            "{after}"
        );
    }

    #[test]
    fn a_deny_all_in_the_server_does_not_close_a_location_with_its_own_allow() {
        let text = "server {\n    deny all;\n    location /admin/ {\n        allow 203.0.113.0/24;\n    }\n}\n";
        assert_eq!(codes(text, "NGX027"), [(4, "allow 203.0.113.0/24;")]);
    }

    #[test]
    fn allow_lines_in_a_snippet_are_not_judged() {
        let loader = MemoryLoader::default();
        let text = "allow 10.0.0.0/8;\nallow 192.168.0.0/16;\n";
        let d = check_with("/srv/site/snippets/office.conf", text, &loader);
        assert!(findings(&d, "NGX027", text).is_empty());
    }

    #[test]
    fn return_under_access_rules() {
        let text = "server {\n    location = /internal/ping {\n        allow 127.0.0.1;\n        deny all;\n        return 200 \"ok\";\n    }\n    location = /ok {\n        allow 127.0.0.1;\n        deny all;\n        proxy_pass http://app;\n    }\n    location = /refused {\n        allow 127.0.0.1;\n        deny all;\n        if ($bad) { return 403; }\n    }\n}\nserver {\n    allow 10.0.0.0/8;\n    deny all;\n    location /health { return 204; }\n    location /x { if ($a) { return 301 /y; } }\n    location /own { allow all; return 200; }\n}\n";
        let d = check_site(text);
        assert_eq!(
            findings(&d, "NGX033", text),
            [
                (3, "allow 127.0.0.1;"),
                (19, "allow 10.0.0.0/8;"),
                (23, "allow all;")
            ]
        );
        assert!(d.iter().any(|d| d.message.contains("lines 21, 22")));
    }

    #[test]
    fn login_without_rate_limit() {
        let text = "server {\n    location / {\n        proxy_pass http://app;\n    }\n}\nserver {\n    limit_req zone=login burst=5;\n    location / {\n        proxy_pass http://app;\n    }\n}\nserver {\n    location / {\n        proxy_pass http://app;\n    }\n    location = /admin/login/ {\n        limit_req zone=login;\n        proxy_pass http://app;\n    }\n    location = /accounts/login/ {\n        return 404;\n    }\n}\n";
        let d = check_site(text);
        assert_eq!(findings(&d, "NGX043", text), [(2, "location /")]);
        assert!(d.iter().any(|d| d.message.contains("/admin/login/")));
    }

    #[test]
    fn allow_lines_from_an_include_are_reported_and_fixed_at_the_include() {
        let loader = MemoryLoader::default()
            .with("/srv/site/snippets/office.conf", "allow 203.0.113.0/24;\n");
        let text = "server {\n    location /admin/ {\n        include snippets/office.conf;\n        proxy_pass http://app;\n    }\n}\n";
        let d = check_with("/srv/site/sites-available/app", text, &loader);
        assert_eq!(
            findings(&d, "NGX027", text),
            [(3, "include snippets/office.conf;")]
        );
        let after = fixed(&d, "NGX027", text);
        assert!(
            after.contains("include snippets/office.conf;\n        deny all;\n"),
            "{after}"
        );
        let d = check_with("/srv/site/sites-available/app", &after, &loader);
        assert!(findings(&d, "NGX027", &after).is_empty());
    }
}
