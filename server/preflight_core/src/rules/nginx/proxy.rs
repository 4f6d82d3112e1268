//! How nginx proxies to the app: the headers Django's request depends on, buffering in front of
//! gunicorn, and the upstream gunicorn runs in.

use rustc_hash::FxHashSet as HashSet;

use crate::diagnostic::Diagnostic;
use crate::diagnostic::Severity::{Error, Hint, Warning};
use crate::nginx::model::{Config, DirId, Directive};
use crate::nginx::values::flag;
use crate::rules::RuleMeta;

use super::app::app_pass;
use super::lookup::Lookup;
use super::variables::{Piece, is_client_builtin, pieces};
use super::{Ctx, Reach};

pub static RULES: [RuleMeta; 8] = [
    RuleMeta {
        code: "NGX001",
        name: "missing-forwarded-proto",
        severity: Error,
        summary: "A location proxies to the app without `X-Forwarded-Proto $scheme`",
        django: None,
        gixy: None,
        docs: "Django learns that a request came over HTTPS from a header the proxy sets, named by \
`SECURE_PROXY_SSL_HEADER` (conventionally `X-Forwarded-Proto`). If nginx does not set it, \
`request.is_secure()` is false behind TLS (redirect loops with `SECURE_SSL_REDIRECT`, `http://` \
links, CSRF origin failures), and, worse, a client can send its own `X-Forwarded-Proto: https` \
over plain HTTP and nginx passes it on. Inheritance counts: a `proxy_set_header` in the location \
drops every one from the server, and Debian's `proxy_params` sets the header. `uwsgi_pass` \
locations are not checked: uWSGI gets the scheme from the `HTTPS` parameter of `uwsgi_params`. \
When a block's own `proxy_set_header` drops an inherited `X-Forwarded-Proto`, NGX006 reports it \
instead; when the project's production settings set `SECURE_PROXY_SSL_HEADER`, STK001 reports \
the location (with the header the settings name).\n\n**Fix:** `proxy_set_header X-Forwarded-Proto $scheme;` (the quick-fix adds it next to \
the `proxy_set_header` lines the location uses, or into the location).",
    },
    RuleMeta {
        code: "NGX006",
        name: "proxy-set-header-dropped",
        severity: Error,
        summary: "A block's own `proxy_set_header` drops the forwarding headers it would inherit",
        django: None,
        gixy: None,
        docs: "`proxy_set_header` is inherited only by blocks that define none: one \
`proxy_set_header` in a location (or `if`, or server) silently drops *all* the ones of the \
enclosing levels, including `Host`, `X-Forwarded-Proto`, `X-Forwarded-For` and `X-Real-IP`. \
Django then sees the upstream's name as its host (`DisallowedHost`), cannot tell HTTPS from HTTP \
and logs nginx's address as the client. Reported for blocks that proxy somewhere below them. \
Gixy-Next calls this `proxy_set_header_redefinition`.\n\n**Fix:** repeat the inherited lines in \
the block (the quick-fix copies them, or re-includes the file they came from), or move them into \
a snippet that every block includes.",
    },
    RuleMeta {
        code: "NGX012",
        name: "host-from-http-host",
        severity: Warning,
        summary: "The proxied `Host` header is the client's `Host` header unchecked",
        django: None,
        gixy: Some("host_spoofing"),
        docs: "`proxy_set_header Host $http_host;` forwards whatever `Host` the client sent (or the \
value of a query argument, with `$arg_*`). `$host` is nginx's normalised host: the request \
line's host, else the `Host` header, else the `server_name` that matched, lower-cased and \
without the port. Django builds absolute URLs (password reset links, redirects) from the host \
it receives and validates it against `ALLOWED_HOSTS`; with `$http_host` a mistake in \
ALLOWED_HOSTS becomes a host header injection. Debian's `proxy_params` uses `$http_host`: \
set the header after including it.\n\n**Fix:** `proxy_set_header Host $host;` (the quick-fix).",
    },
    RuleMeta {
        code: "NGX013",
        name: "forwarded-host-passthrough",
        severity: Warning,
        summary: "The app gets an `X-Forwarded-Host` the client chose",
        django: None,
        gixy: None,
        docs: "`proxy_set_header X-Forwarded-Host $http_host;` (or `$http_x_forwarded_host`, or \
any other request header or query argument) hands Django a host the client picked. With \
`USE_X_FORWARDED_HOST = True`, Django prefers that header over `Host` for `get_host()`: \
absolute URLs in password reset mails and redirects follow it, and only `ALLOWED_HOSTS` stands \
in the way. This is the nginx half of the check; when the project's production settings turn \
`USE_X_FORWARDED_HOST` on, STK009 reports instead (also where nginx leaves the client's own \
header in place).\n\n**Fix:** `proxy_set_header X-Forwarded-Host $host;` (the \
quick-fix), or drop the header and leave `USE_X_FORWARDED_HOST` off.",
    },
    RuleMeta {
        code: "NGX014",
        name: "proxy-buffering-off",
        severity: Warning,
        summary: "`proxy_buffering off` or `proxy_request_buffering off` in front of gunicorn",
        django: None,
        gixy: None,
        docs: "gunicorn's default `sync` workers handle one request at a time and rely on nginx \
to buffer: nginx reads the whole request before passing it on and takes the whole response at \
once, so a slow client never holds a worker. With `proxy_request_buffering off` an upload \
trickling in ties up a worker for its whole duration; with `proxy_buffering off` a slow reader \
does; a handful of slow clients can stall the site (gunicorn's deployment guide). Without the \
gunicorn config this rule assumes gunicorn's default `sync` workers; when the project's \
gunicorn config says which `worker_class` runs, STK012 reports instead (and nothing is reported \
for async and `gthread` workers, which cope). Gixy-Next \
calls this `proxy_buffering_off`.\n\n**Fix:** remove the directive (buffering is on by default), or \
run gunicorn with an async worker class if the location streams (server-sent events).",
    },
    RuleMeta {
        code: "NGX040",
        name: "upstream-fail-timeout",
        severity: Hint,
        summary: "An app upstream server without `fail_timeout=0`",
        django: None,
        gixy: None,
        docs: "By default nginx marks an upstream server unavailable for 10 seconds after one \
failed attempt (`max_fails=1 fail_timeout=10s`). With a single gunicorn behind it, one timed-out \
request turns into 10 seconds of `502 Bad Gateway` for everyone. gunicorn's deployment guide \
writes `server unix:/run/gunicorn.sock fail_timeout=0;` so that nginx always tries again. Servers \
with an explicit `fail_timeout`, `max_fails=0` or `down` are left alone.\n\n**Fix:** append \
`fail_timeout=0` to the `server` line (the quick-fix; applied automatically when the upstream has \
a single server, since it only changes failover between several).",
    },
    RuleMeta {
        code: "NGX041",
        name: "proxy-redirect-default",
        severity: Hint,
        summary: "`proxy_redirect` is left at `default` while the client's host is forwarded",
        django: None,
        gixy: None,
        docs: "`proxy_redirect default` rewrites `Location` headers that start with the \
`proxy_pass` URL (`http://app/...`) into the public URL. It matters only when Django does not \
know its public host. When the location forwards the host (`proxy_set_header Host $host;`), \
Django builds its redirects with the public host already and the rewriting never applies; \
gunicorn's deployment guide writes `proxy_redirect off;` to make that explicit, so that a \
`Location` is exactly what Django sent. This is informational: nothing is broken, and with the \
host not forwarded the default is what keeps redirects right (that case is not reported).\n\n\
**Fix:** `proxy_redirect off;` in the location (the quick-fix).",
    },
    RuleMeta {
        code: "NGX042",
        name: "xff-spoofable",
        severity: Hint,
        summary: "`X-Forwarded-For $proxy_add_x_forwarded_for` at the edge keeps client-supplied entries",
        django: None,
        gixy: None,
        docs: "`$proxy_add_x_forwarded_for` is the client's own `X-Forwarded-For` header with the \
client address appended. When nginx is the edge (no `set_real_ip_from` / `real_ip_header` says a \
trusted proxy is in front of it), everything before the last entry is whatever the client \
wrote: code that takes the first entry as the client's IP (rate limiting, audit logs, \
`django-ipware` misconfigured) can be fooled. Debian's `proxy_params` uses it.\n\n**Fix:** \
`proxy_set_header X-Forwarded-For $remote_addr;` at the edge (the quick-fix), or configure the \
realip module when a load balancer sits in front.",
    },
];

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let lookup = ctx.lookup();
    let proxied = proxied_locations(ctx.config);
    if ctx.runs(Reach::Server) {
        missing_forwarded_proto(ctx, lookup, &proxied, out);
        host_from_client(ctx, out);
        proxy_redirect_default(ctx, lookup, &proxied, out);
        xff_spoofable(ctx, lookup, out);
    }
    // under both reaches: a setting in a server is judged with it, one outside by all servers
    dropped_headers(ctx, lookup, out);
    forwarded_host_passthrough(ctx, lookup, &proxied, out);
    buffering_off(ctx, lookup, &proxied, out);
    if ctx.runs(Reach::Config) {
        upstream_fail_timeout(ctx, out);
    }
}

const HEADER: &str = "proxy_set_header";

/// The locations that `proxy_pass` to the app, with their `proxy_pass` (directly in the
/// location or in an `if` in it).
pub(super) fn proxied_locations(config: &Config) -> Vec<(DirId, DirId)> {
    config
        .walk()
        .filter(|&id| config.get(id).is("location") && config.get(id).body.is_some())
        .filter_map(|l| {
            let pass = app_pass(config, l)?;
            config.get(pass).is("proxy_pass").then_some((l, pass))
        })
        .collect()
}

/// The header a `proxy_set_header` sets, lower-cased.
fn header(config: &Config, id: DirId) -> String {
    config.get(id).arg(0).unwrap_or("").to_ascii_lowercase()
}

fn sets(config: &Config, set: &[DirId], name: &str) -> bool {
    set.iter().any(|&d| header(config, d) == name)
}

/// Inserts statements after statement `id`: on new lines, or on its line when it shares the
/// line with others (a one-line block).
fn insert_after(
    ctx: &Ctx<'_>,
    id: DirId,
    statements: &[&str],
    title: &str,
) -> Option<crate::diagnostic::Fix> {
    let end = ctx.config.get(id).range.end;
    let rest = ctx.text.get(end..)?;
    let rest_of_line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let trimmed = rest_of_line.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') || !ctx.config.is_local(id) {
        return ctx.insert_after(id, statements, title);
    }
    let text: String = statements.iter().map(|s| format!(" {s}")).collect();
    Some(crate::diagnostic::Fix {
        title: title.to_owned(),
        edits: vec![crate::diagnostic::Edit::insert(end, text)],
        safe: true,
    })
}

/// The text of a statement, from whichever file it is in.
fn statement_text(config: &Config, id: DirId) -> Option<&str> {
    let d = config.get(id);
    config
        .files
        .get(d.file)?
        .text
        .get(d.range.start..d.range.end)
}

// ----- NGX001 -----

/// NGX001: an app location without an effective `X-Forwarded-Proto`.
fn missing_forwarded_proto(
    ctx: &Ctx<'_>,
    lookup: &Lookup<'_>,
    proxied: &[(DirId, DirId)],
    out: &mut Vec<Diagnostic>,
) {
    let config = ctx.config;
    for &(location, pass) in proxied {
        let Ok(set) = lookup.effective_array(config.get(pass).parent, HEADER) else {
            continue;
        };
        if sets(config, &set.directives, "x-forwarded-proto") {
            continue;
        }
        // a set that drops an inherited X-Forwarded-Proto is NGX006's
        if let Some(level) = set.level {
            let inherited = lookup.effective_array(config.get(level).parent, HEADER);
            if inherited.is_ok_and(|i| sets(config, &i.directives, "x-forwarded-proto")) {
                continue;
            }
        }
        let line = "proxy_set_header X-Forwarded-Proto $scheme;";
        let title = "Add `proxy_set_header X-Forwarded-Proto $scheme;`";
        let fix = add_header_fix(ctx, location, &set, line, title);
        let message = "This location proxies to the app without `proxy_set_header \
                       X-Forwarded-Proto $scheme;`: Django cannot tell HTTPS from HTTP \
                       (SECURE_PROXY_SSL_HEADER), and a client's own X-Forwarded-Proto reaches it";
        if let Some(diagnostic) = ctx.report(out, "NGX001", location, message) {
            diagnostic.fix = fix;
        }
    }
}

/// Adds a `proxy_set_header` line where it takes effect in `location`: next to the headers in
/// effect, at their level (after the include that brings them), or into the location.
pub(super) fn add_header_fix(
    ctx: &Ctx<'_>,
    location: DirId,
    set: &crate::nginx::model::Inherited,
    line: &str,
    title: &str,
) -> Option<crate::diagnostic::Fix> {
    let config = ctx.config;
    match set.directives.last() {
        None => ctx.insert_in_block(location, &[line], title),
        Some(&last) => config
            .anchor(last)
            .filter(|&a| config.get(a).parent == set.level)
            .and_then(|a| insert_after(ctx, a, &[line], title)),
    }
}

// ----- NGX006 -----

/// Headers Django's view of the request depends on.
fn is_forwarding(header: &str) -> bool {
    header == "host" || header == "x-real-ip" || header.starts_with("x-forwarded-")
}

/// NGX006: a block whose own `proxy_set_header` drops inherited forwarding headers.
fn dropped_headers(ctx: &Ctx<'_>, lookup: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in ctx.owned() {
        let d = config.get(id);
        if d.body.is_none() || !lookup.proxies(id) {
            continue;
        }
        let own = lookup.direct(Some(id), HEADER);
        if own.is_empty() || lookup.unresolved(Some(id)) {
            continue;
        }
        let Ok(inherited) = lookup.effective_array(d.parent, HEADER) else {
            continue;
        };
        let dropped: Vec<DirId> = inherited
            .directives
            .iter()
            .copied()
            .filter(|&p| {
                let h = header(config, p);
                is_forwarding(&h) && !sets(config, &own, &h)
            })
            .collect();
        if dropped.is_empty() {
            continue;
        }
        let mut names: Vec<String> = Vec::new();
        for &p in &dropped {
            let name = config.get(p).arg(0).unwrap_or("").to_owned();
            if !names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
                names.push(name);
            }
        }
        let from = inherited.level.map_or("the top level".to_owned(), |l| {
            format!("`{}`", config.get(l).name())
        });
        let message = format!(
            "This `{}` sets `proxy_set_header` itself, so nginx drops the ones it would inherit \
             from the enclosing {from} and the app no longer gets {}: repeat them here",
            d.name(),
            names.join(", ")
        );
        let fix = restore_headers_fix(ctx, id, &own, &inherited.directives, &dropped);
        if let Some(diagnostic) = ctx.report(out, "NGX006", id, message) {
            diagnostic.fix = fix;
        }
    }
}

/// Repeats the dropped lines in `block`: their text, or the `include` of a standard file (Debian's
/// `proxy_params`) that brought them when the block sets none of what it sets.
fn restore_headers_fix(
    ctx: &Ctx<'_>,
    block: DirId,
    own: &[DirId],
    inherited: &[DirId],
    dropped: &[DirId],
) -> Option<crate::diagnostic::Fix> {
    let config = ctx.config;
    let mut lines: Vec<String> = Vec::new();
    let mut includes: Vec<DirId> = Vec::new();
    for &p in dropped {
        let include = config
            .anchor(p)
            .filter(|&a| a != p && config.get(a).is("include"))
            .filter(|&a| {
                config.get(a).inclusion.as_ref().is_some_and(|i| {
                    !i.files.is_empty() && i.files.iter().all(|&f| config.files[f].builtin)
                })
            });
        if let Some(include) = include {
            let brought: Vec<DirId> = inherited
                .iter()
                .copied()
                .filter(|&q| config.anchor(q) == Some(include))
                .collect();
            let clash = brought
                .iter()
                .any(|&q| sets(config, own, &header(config, q)));
            if !clash {
                if !includes.contains(&include) {
                    includes.push(include);
                    lines.push(statement_text(config, include)?.to_owned());
                }
                continue;
            }
        }
        lines.push(statement_text(config, p)?.to_owned());
    }
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let title = "Repeat the inherited `proxy_set_header` lines";
    let last_local = own
        .iter()
        .rev()
        .copied()
        .find(|&o| config.is_local(o) && config.get(o).parent == Some(block));
    match last_local {
        Some(o) => insert_after(ctx, o, &lines, title),
        None => ctx.insert_in_block(block, &lines, title),
    }
}

// ----- NGX012 -----

/// NGX012: `proxy_set_header Host $http_host` (or `$arg_*`).
fn host_from_client(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for id in ctx.config.walk() {
        let d = ctx.config.get(id);
        if !d.is("proxy_set_header") || !d.arg(0).is_some_and(|h| h.eq_ignore_ascii_case("host")) {
            continue;
        }
        let Some(value) = d.arg(1) else { continue };
        let message = if value == "$http_host" {
            "`Host $http_host` passes the client's Host header to Django unchecked: use `$host`"
                .to_owned()
        } else if value.starts_with("$arg_") {
            format!("`Host {value}` lets any client choose the Host Django sees: use `$host`")
        } else {
            continue;
        };
        let fix = ctx.replace_arg(id, 1, "$host", "Use `$host`");
        if let Some(diagnostic) = ctx.report_arg(out, "NGX012", id, 1, message) {
            diagnostic.fix = fix;
        }
    }
}

// ----- NGX013 -----

/// NGX013: an `X-Forwarded-Host` taken from the request in an app location.
fn forwarded_host_passthrough(
    ctx: &Ctx<'_>,
    lookup: &Lookup<'_>,
    proxied: &[(DirId, DirId)],
    out: &mut Vec<Diagnostic>,
) {
    let config = ctx.config;
    let candidate = |d: DirId| config.get(d).is(HEADER) && header(config, d) == "x-forwarded-host";
    if !ctx.runs(Reach::Server) && !ctx.owned().any(candidate) {
        return;
    }
    let mut seen = HashSet::default();
    for &(_, pass) in proxied {
        let Ok(set) = lookup.effective_array(config.get(pass).parent, HEADER) else {
            continue;
        };
        for &d in &set.directives {
            if !candidate(d) || !ctx.owns(d) || !seen.insert(d) {
                continue;
            }
            let Some(value) = config.get(d).arg(1) else {
                continue;
            };
            let parts = pieces(value);
            let Some(client) = parts.iter().find_map(|p| match p {
                Piece::Var(name) if is_client_builtin(name) => Some(*name),
                _ => None,
            }) else {
                continue;
            };
            let message = format!(
                "`X-Forwarded-Host` is `${client}`, a value the client chose: with \
                 USE_X_FORWARDED_HOST = True Django builds its URLs from it; use `$host`"
            );
            let fix = ctx.replace_arg(d, 1, "$host", "Use `$host`");
            if let Some(diagnostic) = ctx.report_arg(out, "NGX013", d, 1, message) {
                diagnostic.fix = fix;
            }
        }
    }
}

// ----- NGX014 -----

/// NGX014: buffering turned off in front of gunicorn's sync workers.
fn buffering_off(
    ctx: &Ctx<'_>,
    lookup: &Lookup<'_>,
    proxied: &[(DirId, DirId)],
    out: &mut Vec<Diagnostic>,
) {
    let config = ctx.config;
    const NAMES: [&str; 2] = ["proxy_buffering", "proxy_request_buffering"];
    let off = |d: DirId| config.get(d).arg(0).and_then(flag) == Some(false);
    let candidate = |d: DirId| NAMES.iter().any(|&n| config.get(d).is(n)) && off(d);
    if !ctx.runs(Reach::Server) && !ctx.owned().any(candidate) {
        return;
    }
    let mut seen = HashSet::default();
    for &(_, pass) in proxied {
        for name in NAMES {
            let Ok(Some(d)) = lookup.effective(config.get(pass).parent, name) else {
                continue;
            };
            if !off(d) || !ctx.owns(d) || !seen.insert(d) {
                continue;
            }
            let message = if name == "proxy_buffering" {
                "`proxy_buffering off` makes gunicorn send each response at the client's pace: \
                 with gunicorn's default sync workers (assumed without its config), every slow \
                 reader holds a worker; remove it"
            } else {
                "`proxy_request_buffering off` passes request bodies to gunicorn as they trickle \
                 in: with gunicorn's default sync workers (assumed without its config), every \
                 slow upload holds a worker; remove it"
            };
            let fix = buffering_fix(ctx, d, name);
            if let Some(diagnostic) = ctx.report(out, "NGX014", d, message) {
                diagnostic.fix = fix;
            }
        }
    }
}

/// Removes the directive, or turns it `on` when removing it would reveal an outer `off`.
pub(super) fn buffering_fix(ctx: &Ctx<'_>, d: DirId, name: &str) -> Option<crate::diagnostic::Fix> {
    let config = ctx.config;
    let level = config.get(d).parent;
    let revealed = match config.direct(level, name).filter(|&o| o != d).last() {
        Some(other) => Some(other),
        None => match level {
            Some(l) => config.effective(config.get(l).parent, name).ok()?,
            None => None,
        },
    };
    let revealed_off = revealed.is_some_and(|o| config.get(o).arg(0).and_then(flag) == Some(false));
    let mut fix = if revealed_off {
        ctx.replace_directive(d, &format!("{name} on;"), &format!("Set `{name} on;`"))?
    } else {
        ctx.remove_directive(d, &format!("Remove `{name} off;`"))?
    };
    fix.safe = false;
    Some(fix)
}

// ----- NGX040 -----

/// The upstream a pass's target names (`http://app/x` -> `app`), if it can name one.
fn upstream_name(target: &str) -> Option<&str> {
    let rest = target.split_once("://").map_or(target, |(_, r)| r);
    let name = rest.split('/').next()?;
    (!name.is_empty() && !name.contains([':', '$'])).then_some(name)
}

/// NGX040: servers of the app's upstream without `fail_timeout=0`.
/// Whether an upstream's `server` entry says how failures count (or has no address).
fn settled(entry: &Directive) -> bool {
    entry.args.is_empty()
        || entry
            .values()
            .skip(1)
            .any(|v| v.starts_with("fail_timeout=") || v == "max_fails=0" || v == "down")
}

fn upstream_fail_timeout(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    // upstreams stand outside the servers: without one to report, no location is looked at
    let upstreams: Vec<DirId> = config
        .walk_outside_servers()
        .filter(|&id| config.get(id).is("upstream") && config.get(id).body.is_some())
        .collect();
    if !upstreams.iter().any(|&u| {
        config
            .direct(Some(u), "server")
            .any(|s| !settled(config.get(s)))
    }) {
        return;
    }
    let names: HashSet<&str> = config
        .walk()
        .filter(|&id| config.get(id).is("location"))
        .filter_map(|l| app_pass(config, l))
        .filter_map(|p| config.get(p).arg(0))
        .filter_map(upstream_name)
        .collect();
    for id in upstreams {
        let u = config.get(id);
        if !u.arg(0).is_some_and(|n| names.contains(n)) {
            continue;
        }
        let servers: Vec<DirId> = config.direct(Some(id), "server").collect();
        for &server in &servers {
            let s = config.get(server);
            if settled(s) {
                continue;
            }
            let address = s.arg(0).unwrap_or("");
            let message = format!(
                "`server {address}` has nginx's default `fail_timeout=10s`: after one failed \
                 request nginx stops using it for 10 seconds (502 for everyone when it is the \
                 only one); add `fail_timeout=0` as gunicorn's deployment guide does"
            );
            let fix = append_fail_timeout(ctx, server, servers.len() == 1);
            if let Some(diagnostic) = ctx.report(out, "NGX040", server, message) {
                diagnostic.fix = fix;
            }
        }
    }
}

fn append_fail_timeout(ctx: &Ctx<'_>, server: DirId, safe: bool) -> Option<crate::diagnostic::Fix> {
    let s = ctx.config.get(server);
    let last = s.args.len().checked_sub(1)?;
    let raw = ctx
        .text
        .get(s.args[last].range.start..s.args[last].range.end)?;
    let mut fix = ctx.replace_arg(
        server,
        last,
        &format!("{raw} fail_timeout=0"),
        "Add `fail_timeout=0`",
    )?;
    fix.safe = safe;
    Some(fix)
}

// ----- NGX041 -----

/// NGX041: `proxy_redirect` at its default where the host is forwarded (informational).
fn proxy_redirect_default(
    ctx: &Ctx<'_>,
    lookup: &Lookup<'_>,
    proxied: &[(DirId, DirId)],
    out: &mut Vec<Diagnostic>,
) {
    let config = ctx.config;
    for &(location, pass) in proxied {
        let block = config.get(pass).parent;
        if !matches!(lookup.effective(block, "proxy_redirect"), Ok(None)) {
            continue;
        }
        let Ok(set) = lookup.effective_array(block, HEADER) else {
            continue;
        };
        let forwards_host = set.directives.iter().any(|&d| {
            header(config, d) == "host"
                && config
                    .get(d)
                    .arg(1)
                    .is_some_and(|v| !v.eq_ignore_ascii_case("$proxy_host"))
        });
        if !forwards_host {
            continue;
        }
        let message = "Django builds redirects with the forwarded host already, so \
                       `proxy_redirect default` never applies here: `proxy_redirect off;` (as in \
                       gunicorn's guide) keeps Location headers exactly as Django sent them";
        let fix = ctx
            .insert_in_block(
                location,
                &["proxy_redirect off;"],
                "Add `proxy_redirect off;`",
            )
            .map(|mut f| {
                f.safe = false;
                f
            });
        if let Some(diagnostic) = ctx.report(out, "NGX041", location, message) {
            diagnostic.fix = fix;
        }
    }
}

// ----- NGX042 -----

/// NGX042: `X-Forwarded-For $proxy_add_x_forwarded_for` where no trusted proxy is declared.
fn xff_spoofable(ctx: &Ctx<'_>, lookup: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in config.walk() {
        let d = config.get(id);
        if !d.is(HEADER)
            || header(config, id) != "x-forwarded-for"
            || !d
                .arg(1)
                .is_some_and(|v| v.eq_ignore_ascii_case("$proxy_add_x_forwarded_for"))
        {
            continue;
        }
        let edge = ["set_real_ip_from", "real_ip_header"]
            .iter()
            .all(|name| matches!(lookup.effective(d.parent, name), Ok(None)));
        if !edge {
            continue;
        }
        let message = "`$proxy_add_x_forwarded_for` keeps the X-Forwarded-For the client sent and \
                       appends its address: at the edge, only the last entry is real; use \
                       `$remote_addr` (or configure `set_real_ip_from` behind a load balancer)";
        let fix = ctx
            .replace_arg(id, 1, "$remote_addr", "Use `$remote_addr`")
            .map(|mut f| {
                f.safe = false;
                f
            });
        if let Some(diagnostic) = ctx.report(out, "NGX042", id, message) {
            diagnostic.fix = fix;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::nginx::testing::*;
    use crate::source::MemoryLoader;

    #[test]
    fn host_from_http_host_is_reported_at_the_value_with_a_fix() {
        let text = "server {\n    location / {\n        proxy_pass http://app;\n        proxy_set_header Host $http_host;\n    }\n}\n";
        let d = only(check_site(text), "NGX012");
        assert_eq!(findings(&d, "NGX012", text), [(4, "$http_host")]);
        let ngx012 = d.iter().find(|d| d.code == "NGX012").unwrap();
        assert_eq!(
            ngx012.references.get("gixy").map(String::as_str),
            Some("host_spoofing")
        );
        assert!(fixed(&d, "NGX012", text).contains("proxy_set_header Host $host;"));
        assert!(
            check_site(&fixed(&d, "NGX012", text))
                .iter()
                .all(|d| d.code != "NGX012")
        );
    }

    #[test]
    fn host_from_a_query_argument_is_reported_and_host_is_not() {
        let text = "server { location / { proxy_set_header HOST $arg_h; } location /b { proxy_set_header Host $host; proxy_set_header X-Host $http_host; } }";
        assert_eq!(findings(&check_site(text), "NGX012", text), [(1, "$arg_h")]);
    }

    #[test]
    fn a_main_config_is_checked_at_every_level() {
        let text = "events {}\nhttp {\n    proxy_set_header Host $http_host;\n}\n";
        assert_eq!(
            findings(&check_main(text), "NGX012", text),
            [(3, "$http_host")]
        );
    }

    #[test]
    fn debians_proxy_params_is_reported_at_the_include() {
        let text = "server {\n    location / {\n        include proxy_params;\n        proxy_pass http://app;\n    }\n}\n";
        let d = only(check_site(text), "NGX012");
        assert_eq!(findings(&d, "NGX012", text), [(3, "include proxy_params;")]);
        let ngx012 = d.iter().find(|d| d.code == "NGX012").unwrap();
        assert!(ngx012.message.contains("proxy_params"));
        assert!(ngx012.fix.is_none());
        // the project's own proxy_params wins over the built-in one
        let loader = MemoryLoader::default()
            .with("/srv/site/proxy_params", "proxy_set_header Host $host;\n");
        let d = check_with("/srv/site/sites-available/app", text, &loader);
        assert!(findings(&d, "NGX012", text).is_empty());
    }

    fn codes<'a>(
        d: &'a [crate::diagnostic::Diagnostic],
        code: &str,
    ) -> Vec<&'a crate::diagnostic::Diagnostic> {
        d.iter().filter(|d| d.code == code).collect()
    }

    /// Applies the fix of the first `code` finding and checks that finding is gone.
    fn fix_clears(code: &str, text: &str) -> String {
        let before = findings(&check_site(text), code, text).len();
        let after = fixed(&check_site(text), code, text);
        assert!(
            findings(&check_site(&after), code, &after).len() < before,
            "{code} still reported after its fix:\n{after}"
        );
        after
    }

    // ----- NGX001 -----

    #[test]
    fn forwarded_proto_missing_in_the_location_set() {
        let text = "server {\n    location / {\n        proxy_pass http://app;\n        proxy_set_header Host $host;\n    }\n}\n";
        assert_eq!(
            findings(&check_site(text), "NGX001", text),
            [(2, "location /")]
        );
        let after = fix_clears("NGX001", text);
        assert!(after.contains(
            "        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-Proto $scheme;\n"
        ));
    }

    #[test]
    fn forwarded_proto_fix_goes_where_the_inherited_set_is() {
        let text = "server {\n    proxy_set_header Host $host;\n    location / { proxy_pass http://app; }\n    location /api/ { proxy_pass http://app; }\n}\n";
        assert_eq!(
            findings(&check_site(text), "NGX001", text),
            [(3, "location /"), (4, "location /api/")]
        );
        let after = fix_clears("NGX001", text);
        assert!(after.contains(
            "    proxy_set_header Host $host;\n    proxy_set_header X-Forwarded-Proto $scheme;\n"
        ));
        // no set anywhere: into the location
        let text = "server {\n    location / {\n        proxy_pass http://app;\n    }\n}\n";
        let after = fix_clears("NGX001", text);
        assert!(after.contains("    location / {\n        proxy_set_header X-Forwarded-Proto $scheme;\n        proxy_pass"));
    }

    #[test]
    fn forwarded_proto_present_inherited_or_not_applicable() {
        let text = "server {\n\
            location /a { include proxy_params; proxy_pass http://app; }\n\
            location /b { proxy_set_header X-Forwarded-Proto $scheme; proxy_pass http://app; }\n\
            location /c { uwsgi_pass unix:/run/uwsgi.sock; include uwsgi_params; }\n\
            location /d { include /srv/unknown/*.conf.d/x; proxy_pass http://app; }\n\
            location /e { root /srv; }\n\
        }\n";
        assert!(findings(&check_site(text), "NGX001", text).is_empty());
    }

    // ----- NGX006 -----

    #[test]
    fn a_nested_set_drops_the_forwarding_headers() {
        let text = "server {\n    proxy_set_header Host $host;\n    proxy_set_header X-Forwarded-Proto $scheme;\n    proxy_set_header X-Custom 1;\n    location / {\n        proxy_set_header Upgrade $http_upgrade;\n        proxy_pass http://app;\n    }\n}\n";
        let d = check_site(text);
        assert_eq!(findings(&d, "NGX006", text), [(5, "location /")]);
        let found = codes(&d, "NGX006")[0];
        assert!(
            found.message.contains("Host, X-Forwarded-Proto"),
            "{}",
            found.message
        );
        assert!(!found.message.contains("X-Custom"));
        // NGX001 leaves the dropped X-Forwarded-Proto to NGX006
        assert!(findings(&d, "NGX001", text).is_empty());
        let after = fix_clears("NGX006", text);
        assert!(after.contains("        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-Proto $scheme;\n"));
        assert!(findings(&check_site(&after), "NGX001", &after).is_empty());
    }

    #[test]
    fn dropped_proxy_params_are_restored_by_including_it_again() {
        let text = "server {\n    include proxy_params;\n    location / {\n        proxy_set_header Upgrade $http_upgrade;\n        proxy_pass http://app;\n    }\n}\n";
        let d = check_site(text);
        assert_eq!(findings(&d, "NGX006", text), [(3, "location /")]);
        let after = fix_clears("NGX006", text);
        assert!(
            after.contains(
                "proxy_set_header Upgrade $http_upgrade;\n        include proxy_params;\n"
            )
        );
        // a block that sets one of proxy_params' headers itself gets copies of the others
        let text = "server {\n    include proxy_params;\n    location / {\n        proxy_set_header Host $host;\n        proxy_pass http://app;\n    }\n}\n";
        let after = fix_clears("NGX006", text);
        assert!(!after.contains("        include proxy_params;"));
        assert!(after.contains("proxy_set_header X-Real-IP $remote_addr;"));
    }

    #[test]
    fn fixes_in_one_line_blocks_stay_on_the_line() {
        let text = "server {\n    proxy_set_header Host $host;\n    location /d { proxy_set_header X-A 1; proxy_pass http://app; }\n}\n";
        let after = fix_clears("NGX006", text);
        assert!(after.contains(
            "location /d { proxy_set_header X-A 1; proxy_set_header Host $host; proxy_pass"
        ));
        let after = fix_clears("NGX001", text);
        assert!(after.contains(
            "proxy_set_header X-A 1; proxy_set_header X-Forwarded-Proto $scheme; proxy_pass"
        ));
    }

    #[test]
    fn no_drop_without_proxying_or_when_repeated() {
        let text = "server {\n\
            proxy_set_header Host $host;\n\
            location /static/ { proxy_set_header X-A 1; root /srv; }\n\
            location / { proxy_set_header Host $host; proxy_set_header X-A 1; proxy_pass http://app; }\n\
            location /b { proxy_set_header X-A 1; include /srv/unknown/*.conf.d/x; proxy_pass http://app; }\n\
        }\n";
        assert!(findings(&check_site(text), "NGX006", text).is_empty());
    }

    // ----- NGX013 -----

    #[test]
    fn forwarded_host_from_the_client() {
        let text = "server {\n    location / {\n        proxy_set_header X-Forwarded-Host $http_host;\n        proxy_pass http://app;\n    }\n    location /b {\n        proxy_set_header X-Forwarded-Host $http_x_forwarded_host;\n        proxy_pass http://app;\n    }\n    location /c {\n        proxy_set_header X-Forwarded-Host $host;\n        proxy_pass http://app;\n    }\n}\n";
        assert_eq!(
            findings(&check_site(text), "NGX013", text),
            [(3, "$http_host"), (7, "$http_x_forwarded_host")]
        );
        let after = fix_clears("NGX013", text);
        assert!(after.contains("proxy_set_header X-Forwarded-Host $host;\n        proxy_pass http://app;\n    }\n    location /b"));
    }

    // ----- NGX014 -----

    #[test]
    fn buffering_off_in_front_of_gunicorn() {
        let text = "server {\n    proxy_request_buffering off;\n    location / {\n        proxy_buffering off;\n        proxy_pass http://app;\n    }\n    location /b { proxy_buffering on; proxy_pass http://app; }\n    location /c { uwsgi_buffering off; uwsgi_pass app; }\n}\n";
        let d = check_site(text);
        assert_eq!(
            findings(&d, "NGX014", text),
            [
                (2, "proxy_request_buffering off;"),
                (4, "proxy_buffering off;")
            ]
        );
        assert!(codes(&d, "NGX014")[0].message.contains("sync workers"));
        let after = fix_clears("NGX014", text);
        assert!(!after.contains("proxy_request_buffering"));
        assert!(!codes(&d, "NGX014")[0].fix.as_ref().unwrap().safe);
    }

    #[test]
    fn buffering_fix_turns_it_on_over_an_outer_off() {
        let text = "server {\n    proxy_buffering off;\n    location / {\n        proxy_buffering off;\n        proxy_pass http://app;\n    }\n}\n";
        let d = check_site(text);
        // the location's directive is the one in effect for the app
        assert_eq!(findings(&d, "NGX014", text), [(4, "proxy_buffering off;")]);
        let after = fixed(&d, "NGX014", text);
        assert!(after.contains("        proxy_buffering on;\n"));
        assert!(findings(&check_site(&after), "NGX014", &after).is_empty());
    }

    // ----- NGX040 -----

    #[test]
    fn upstream_servers_without_fail_timeout() {
        let text = "upstream app {\n    server unix:/run/gunicorn.sock;\n}\nupstream pool {\n    server 10.0.0.1:8000 max_fails=3;\n    server 10.0.0.2:8000 fail_timeout=5s;\n    server 10.0.0.3:8000 down;\n}\nupstream other { server 10.0.0.9; }\nserver {\n    location / { proxy_pass http://app; }\n    location /p/ { proxy_pass http://pool/p/; }\n}\n";
        let d = check_site(text);
        assert_eq!(
            findings(&d, "NGX040", text),
            [
                (2, "server unix:/run/gunicorn.sock;"),
                (5, "server 10.0.0.1:8000 max_fails=3;")
            ]
        );
        let fixes: Vec<bool> = codes(&d, "NGX040")
            .iter()
            .map(|d| d.fix.as_ref().unwrap().safe)
            .collect();
        assert_eq!(fixes, [true, false]);
        let after = fixed(&d, "NGX040", text);
        assert!(after.contains("server unix:/run/gunicorn.sock fail_timeout=0;"));
        assert_eq!(findings(&check_site(&after), "NGX040", &after).len(), 1);
    }

    // ----- NGX041 -----

    #[test]
    fn proxy_redirect_left_at_default() {
        let text = "server {\n    location / {\n        proxy_set_header Host $host;\n        proxy_pass http://app;\n    }\n    location /b { proxy_set_header Host $host; proxy_redirect off; proxy_pass http://app; }\n    location /c { proxy_pass http://app; }\n}\n";
        let d = check_site(text);
        assert_eq!(findings(&d, "NGX041", text), [(2, "location /")]);
        assert_eq!(
            codes(&d, "NGX041")[0].severity,
            crate::diagnostic::Severity::Hint
        );
        let after = fix_clears("NGX041", text);
        assert!(after.contains("    location / {\n        proxy_redirect off;\n"));
    }

    // ----- NGX042 -----

    #[test]
    fn proxy_add_x_forwarded_for_at_the_edge() {
        let text = "server {\n    location / {\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_pass http://app;\n    }\n    location /b {\n        include proxy_params;\n        proxy_pass http://app;\n    }\n}\n";
        let d = check_site(text);
        assert_eq!(
            findings(&d, "NGX042", text),
            [
                (
                    3,
                    "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;"
                ),
                (7, "include proxy_params;")
            ]
        );
        let first = format!("{}}}\n", text.split("    location /b").next().unwrap());
        let after = fix_clears("NGX042", &first);
        assert!(after.contains("X-Forwarded-For $remote_addr;"));
        // behind a declared load balancer the chain is trusted
        let text = "set_real_ip_from 10.0.0.0/8;\nserver {\n    location / {\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_pass http://app;\n    }\n}\n";
        assert!(findings(&check_site(text), "NGX042", text).is_empty());
    }
}
