//! Where `proxy_pass` (and its kin) sends requests and what nginx writes into requests and
//! responses from variables: SSRF, HTTP splitting, DNS resolved once, URI normalisation. These
//! mirror gixy-ng plugins, on Preflight's variable model ([`Vars`]).

use rustc_hash::FxHashSet as HashSet;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;

use fancy_regex::Regex;

use crate::diagnostic::Diagnostic;
use crate::diagnostic::Severity::{Error, Warning};
use crate::nginx::location::{Modifier, compile, pattern};
use crate::nginx::model::DirId;
use crate::rules::RuleMeta;

use super::lookup::Lookup;
use super::variables::{Piece, Vars, pieces};
use super::{Ctx, Reach};

pub static RULES: [RuleMeta; 4] = [
    RuleMeta {
        code: "NGX007",
        name: "ssrf-proxy-pass-var",
        severity: Error,
        summary: "`proxy_pass` takes its destination host from client input",
        django: None,
        gixy: Some("ssrf"),
        docs: "When the scheme or host of `proxy_pass` (or `fastcgi_pass`, `uwsgi_pass`, \
`scgi_pass`, `grpc_pass`) comes from a variable a client controls (a query argument `$arg_*`, a \
header `$http_*`, a regex capture of the URI, or a `set`/`map` fed from them), any visitor can make \
nginx connect wherever they like: to the cloud metadata service, to an admin interface on \
localhost, to the database. A Django deployment proxies to one fixed application server. \
Locations marked `internal` are not reported (only nginx itself can route requests there). \
Preflight follows nginx's order of evaluation: where several definitions may be in effect (a \
`set` inside an `if`, a capture of the location or of a later `rewrite`), any of them counts; a \
failed regex location's captures do not reach a sibling location and an outer location's `set` \
does not run for a nested one (gixy-ng assumes both).\n\n\
**Fix:** proxy to a fixed `upstream`; if the destination must vary, map the untrusted input \
through a `map` whose entries are the allowed backends and whose `default` is safe.",
    },
    RuleMeta {
        code: "NGX008",
        name: "http-splitting",
        severity: Error,
        summary: "A variable that may hold a newline is written into a header or a request line",
        django: None,
        gixy: Some("http_splitting"),
        docs: "nginx decodes the URI: `$uri` and `$document_uri` (and regex captures of them with \
classes such as `[^/]` or `\\W`) can hold `%0d%0a`, a carriage return and a line feed. Written \
into a response header (`return 301`, `rewrite ... redirect`, `add_header`), they let an attacker \
add headers or a body to the response (HTTP response splitting: session fixation, cache \
poisoning, XSS); in `proxy_set_header` or `proxy_pass`, a newline splits the request nginx sends \
to Django. `$request_uri` is not decoded and holds no raw newline. Captures of `rewrite` are \
escaped by nginx and are not reported. Variables are followed as for NGX007.\n\n\
**Fix:** use `$request_uri` (a quick-fix for `return` redirects that use `$uri`), or restrict \
the capture to characters that exclude CR and LF (`([^/\\r\\n]+)`, `(\\w+)`).",
    },
    RuleMeta {
        code: "NGX056",
        name: "missing-resolver",
        severity: Warning,
        summary: "A proxied hostname is resolved once, at startup, or at request time without a `resolver`",
        django: None,
        gixy: Some("missing_resolver"),
        docs: "nginx resolves the hostname of `proxy_pass http://api.example.com` (and of the \
`server` entries of an `upstream`) once, when it starts: when the address changes (a cloud load \
balancer, a managed service), nginx keeps sending traffic to the old address until it is \
restarted. When `proxy_pass` contains a variable, nginx resolves the name for each request, and \
that needs a `resolver`: without one, requests fail with 502. IP addresses, Unix sockets and \
internal names (a single label such as `app` or `gunicorn`, `.internal`, `.local`, Kubernetes and \
Docker names) are not reported; cloud endpoints are called out in the message.\n\n\
**Fix:** `resolver 127.0.0.53 valid=30s;` (your DNS server) with `set $backend api.example.com; \
proxy_pass http://$backend;`, or `server api.example.com resolve;` in an upstream with a `zone` \
(nginx 1.27.3 and later).",
    },
    RuleMeta {
        code: "NGX057",
        name: "proxy-pass-normalized",
        severity: Warning,
        summary: "`proxy_pass` with a URI part passes the decoded, normalised path on",
        django: None,
        gixy: Some("proxy_pass_normalized"),
        docs: "When `proxy_pass` has a URI part (`proxy_pass http://app/;`, even a lone `/`), \
nginx replaces the matched location prefix with it and sends the *decoded and normalised* path: \
`%2F` becomes `/`, `..` segments are resolved, so what Django sees differs from what the client \
sent (path confusion, bypassing path-based rules upstream). Without a URI part \
(`proxy_pass http://app;`) the request URI goes to Django exactly as the client sent it, which is \
what Django expects. `rewrite ^ $request_uri;` without `$1` or `$uri` in `proxy_pass` \
double-encodes the path instead. `proxy_pass $scheme://$host;` (a variable scheme, no path) has \
no URI part and is not reported (gixy-ng reports it).\n\n\
**Fix:** drop the URI part (a quick-fix when it repeats the location's prefix, so that the \
mapping of paths does not change: review it, since encoded characters now reach Django as sent).",
    },
];

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if !ctx.runs(Reach::Server) {
        return;
    }
    let vars = Vars::new(ctx.config);
    let lookup = ctx.lookup();
    ssrf(ctx, &vars, out);
    http_splitting(ctx, &vars, out);
    missing_resolver(ctx, &vars, lookup, out);
    proxy_pass_normalized(ctx, lookup, out);
}

/// Directives that send requests to a server named by their first argument.
const PASSES: &[&str] = &[
    "proxy_pass",
    "fastcgi_pass",
    "uwsgi_pass",
    "scgi_pass",
    "grpc_pass",
];

/// What kind of client input a variable is, for messages.
fn origin(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("arg_") || lower == "args" || lower == "query_string" {
        "the query string"
    } else if lower.starts_with("http_") {
        "a request header"
    } else if lower == "uri" || lower == "document_uri" {
        "the decoded request path"
    } else if lower == "request_uri" {
        "the request URI"
    } else if lower.len() == 1 && lower.as_bytes()[0].is_ascii_digit() {
        "a regex capture of the request"
    } else {
        "client input"
    }
}

// ----- NGX007 -----

/// NGX007: a pass whose scheme or host comes from a variable a client controls (gixy's ssrf).
fn ssrf(ctx: &Ctx<'_>, vars: &Vars<'_>, out: &mut Vec<Diagnostic>) {
    for id in ctx.config.walk() {
        let d = ctx.config.get(id);
        if !PASSES.contains(&d.name()) {
            continue;
        }
        let Some(target) = d.arg(0).filter(|t| !t.is_empty()) else {
            continue;
        };
        if in_internal_location(ctx, id) {
            continue;
        }
        let Some((scheme, host)) = scheme_and_host(target) else {
            continue;
        };
        let found = scheme
            .and_then(|s| user_controlled_host(vars, s, id))
            .or_else(|| user_controlled_host(vars, host, id));
        if let Some(var) = found {
            let message = format!(
                "`{}` takes its destination from `${var}` ({}): any client can make nginx \
                 connect wherever it likes (SSRF); proxy to a fixed upstream, or map the input \
                 to allowed backends with `map` and a safe `default`",
                d.name(),
                origin(var)
            );
            ctx.report_arg(out, "NGX007", id, 0, message);
        }
    }
}

/// gixy's `(?P<scheme>[^?#/)]+://)?(?P<host>[^?#/)]+)` at the start of a pass's target.
fn scheme_and_host(target: &str) -> Option<(Option<&str>, &str)> {
    let stop = |c: char| matches!(c, '?' | '#' | '/' | ')');
    let run = target.find(stop).unwrap_or(target.len());
    if run > 1 && target[..run].ends_with(':') && target[run..].starts_with("//") {
        let rest = &target[run + 2..];
        let host_len = rest.find(stop).unwrap_or(rest.len());
        if host_len > 0 {
            return Some((Some(&target[..run + 2]), &rest[..host_len]));
        }
    }
    (run > 0).then(|| (None, &target[..run]))
}

/// The first variable of `script` that may hold a dot (a hostname of the client's choosing),
/// unless a part that always holds `/` comes first (a path, not a host).
fn user_controlled_host<'s>(vars: &Vars<'_>, script: &'s str, at: DirId) -> Option<&'s str> {
    for piece in pieces(script) {
        match piece {
            Piece::Literal(text) => {
                if text.contains('/') {
                    return None;
                }
            }
            Piece::Var(name) => {
                let Some(value) = vars.variable(name, at) else {
                    continue;
                };
                if value.must_contain('/') {
                    return None;
                }
                if value.can_contain('.') {
                    return Some(name);
                }
            }
        }
    }
    None
}

/// Whether the location `id` is in (through `if` blocks) is `internal`.
fn in_internal_location(ctx: &Ctx<'_>, id: DirId) -> bool {
    let config = ctx.config;
    let Some(block) = config.ancestors(id).find(|&a| !config.get(a).is("if")) else {
        return false;
    };
    if !config.get(block).is("location") {
        return false;
    }
    let internal = |b: DirId| config.first(Some(b), "internal").is_some();
    internal(block) || config.direct(Some(block), "if").any(internal)
}

// ----- NGX008 -----

/// NGX008: variables that may hold CR or LF written into headers or requests (gixy's
/// http_splitting).
fn http_splitting(ctx: &Ctx<'_>, vars: &Vars<'_>, out: &mut Vec<Diagnostic>) {
    for id in ctx.config.walk() {
        let d = ctx.config.get(id);
        let Some(arg) = splitting_sink(d) else {
            continue;
        };
        let Some(value) = d.arg(arg) else { continue };
        let server_side = d.name().starts_with("proxy_");
        let mut offending: Vec<(&str, &str)> = Vec::new();
        for piece in pieces(value) {
            let Piece::Var(name) = piece else { continue };
            let lower = name.to_ascii_lowercase();
            if d.is("proxy_pass")
                && (lower == "uri" || lower == "document_uri")
                && proxy_uri_safe(ctx, vars, id, '\n')
                && proxy_uri_safe(ctx, vars, id, '\r')
            {
                continue;
            }
            let Some(v) = vars.variable(name, id) else {
                continue;
            };
            let char = if v.can_contain('\n') {
                "a line feed (`%0a`)"
            } else if !server_side && v.can_contain('\r') {
                "a carriage return (`%0d`)"
            } else {
                continue;
            };
            if !offending.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
                offending.push((name, char));
            }
        }
        let Some(&(first, char)) = offending.first() else {
            continue;
        };
        let written = if server_side {
            "the request nginx sends to the app"
        } else {
            "the response headers"
        };
        let advice = if ["uri", "document_uri"].contains(&first.to_ascii_lowercase().as_str()) {
            "use `$request_uri`, which is not decoded"
        } else {
            "restrict the capture to characters without CR and LF, or use `$request_uri`"
        };
        let message = format!(
            "`${first}` ({}) may hold {char}, which splits {written}: {advice}",
            origin(first)
        );
        let only_uri = offending
            .iter()
            .all(|(n, _)| ["uri", "document_uri"].contains(&n.to_ascii_lowercase().as_str()));
        let fix = (d.is("return") && only_uri)
            .then(|| uri_to_request_uri_fix(ctx, id, arg))
            .flatten();
        if let Some(diagnostic) = ctx.report_arg(out, "NGX008", id, arg, message) {
            diagnostic.fix = fix;
        }
    }
}

/// The argument of a directive that nginx writes into a header or a request, per gixy: a
/// `return` redirect's URL, `proxy_pass`'s URL, the value of `rewrite`, `add_header`,
/// `proxy_set_header`.
fn splitting_sink(d: &crate::nginx::model::Directive) -> Option<usize> {
    match d.name() {
        "return" => match d.args.len() {
            1 => {
                let v = d.arg(0)?;
                (v.starts_with("http://") || v.starts_with("https://") || v.starts_with("$scheme"))
                    .then_some(0)
            }
            2 => {
                let code = d.arg(0)?.trim_start_matches('0');
                ["301", "302", "303", "307", "308"]
                    .contains(&code)
                    .then_some(1)
            }
            _ => None,
        },
        "proxy_pass" => (!d.args.is_empty()).then_some(0),
        "rewrite" | "add_header" | "proxy_set_header" => (d.args.len() >= 2).then_some(1),
        _ => None,
    }
}

/// `$uri` (and `$uri$is_args$args`) replaced with `$request_uri` in a `return` redirect.
fn uri_to_request_uri_fix(ctx: &Ctx<'_>, id: DirId, arg: usize) -> Option<crate::diagnostic::Fix> {
    let a = ctx.config.get(id).args.get(arg)?;
    if !ctx.config.is_local(id) {
        return None;
    }
    let raw = ctx.text.get(a.range.start..a.range.end)?;
    let parts = pieces(raw);
    let mut text = String::new();
    let mut i = 0;
    while i < parts.len() {
        match parts[i] {
            Piece::Var(n) if ["uri", "document_uri"].contains(&n.to_ascii_lowercase().as_str()) => {
                // `$uri$is_args$args` is `$request_uri` already
                let with_args = matches!(
                    (parts.get(i + 1), parts.get(i + 2)),
                    (Some(Piece::Var(a)), Some(Piece::Var(b)))
                        if a.eq_ignore_ascii_case("is_args") && b.eq_ignore_ascii_case("args")
                );
                if with_args {
                    i += 2;
                }
                let glued = match parts.get(i + 1) {
                    Some(Piece::Literal(next)) => next
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_'),
                    _ => false,
                };
                text.push_str(if glued {
                    "${request_uri}"
                } else {
                    "$request_uri"
                });
            }
            Piece::Var(n) => {
                let original = if raw.contains(&format!("${{{n}}}")) {
                    format!("${{{n}}}")
                } else {
                    format!("${n}")
                };
                text.push_str(&original);
            }
            Piece::Literal(l) => text.push_str(l),
        }
        i += 1;
    }
    let mut fix = ctx.replace_arg(id, arg, &text, "Redirect to `$request_uri`")?;
    // the redirect now keeps the query string: a change to review
    fix.safe = false;
    Some(fix)
}

/// gixy's `_proxy_uri_safe`: whether every rewrite path through the location of `proxy_pass`
/// leaves `$uri` without `ch` (a `rewrite ^ $request_uri break;` first, say).
fn proxy_uri_safe(ctx: &Ctx<'_>, vars: &Vars<'_>, pass: DirId, ch: char) -> bool {
    let config = ctx.config;
    let Some(location) = config
        .get(pass)
        .parent
        .filter(|&p| config.get(p).is("location"))
    else {
        return false;
    };
    // (safe alphabet, rewrite phase stopped by break, pending implicit redirect)
    let mut states: HashSet<(bool, bool, bool)> = [(false, false, false)].into_iter().collect();
    for &node in config.get(location).children() {
        let n = config.get(node);
        match n.name() {
            "rewrite" => {
                let (Some(regex), Some(replacement)) = (n.arg(0), n.arg(1)) else {
                    continue;
                };
                let flag = n.arg(2);
                let mut next = HashSet::default();
                for &(safe, stopped, pending) in &states {
                    if stopped {
                        next.insert((safe, stopped, pending));
                        continue;
                    }
                    if regex != "^" {
                        next.insert((safe, false, pending));
                    }
                    let replacement_safe = replacement_safe(vars, pass, replacement, ch, safe);
                    match flag {
                        Some("redirect" | "permanent") => {}
                        Some("last") => {
                            next.insert((false, true, true));
                        }
                        Some("break") => {
                            next.insert((replacement_safe, true, false));
                        }
                        None => {
                            next.insert((replacement_safe, false, true));
                        }
                        Some(_) => {
                            next.insert((false, false, true));
                        }
                    }
                }
                states = next;
            }
            "return" => states.retain(|s| s.1),
            name if name == "if"
                || name == "try_files"
                || name == "error_page"
                || name.starts_with("rewrite_by_")
                || name.starts_with("access_by_")
                || (name == "set" && matches!(n.arg(0), Some("$uri" | "$document_uri"))) =>
            {
                states = states.iter().map(|&(_, s, p)| (false, s, p)).collect();
            }
            _ => {}
        }
    }
    states.iter().all(|&(safe, _, pending)| safe && !pending)
}

fn replacement_safe(
    vars: &Vars<'_>,
    at: DirId,
    replacement: &str,
    ch: char,
    current: bool,
) -> bool {
    pieces(replacement).into_iter().all(|piece| match piece {
        Piece::Literal(text) => !text.contains(ch),
        Piece::Var(name) => match name.to_ascii_lowercase().as_str() {
            "uri" | "document_uri" => current,
            "request_uri" => vars
                .variable("request_uri", at)
                .is_some_and(|v| !v.can_contain(ch)),
            _ => false,
        },
    })
}

// ----- NGX056 -----

/// NGX056: hostnames resolved once at startup, or variables resolved without a `resolver`
/// (gixy's missing_resolver).
fn missing_resolver(
    ctx: &Ctx<'_>,
    vars: &Vars<'_>,
    lookup: &Lookup<'_>,
    out: &mut Vec<Diagnostic>,
) {
    for id in ctx.config.walk() {
        let d = ctx.config.get(id);
        if !PASSES.contains(&d.name()) {
            continue;
        }
        let Some(target) = d.arg(0) else { continue };
        if target.contains("unix:") {
            continue;
        }
        let Some(host) = resolver_host(target) else {
            continue;
        };
        let Some(resolved) = resolve_host(vars, host, id) else {
            continue;
        };
        if resolved.is_empty() || is_ip(&resolved) {
            continue;
        }
        let name = d.name();
        if let Some(servers) = upstream_servers(ctx, lookup, id, &resolved) {
            let stale: Vec<(String, Option<&str>)> = servers
                .into_iter()
                .filter_map(|server| stale_upstream_server(ctx, server))
                .collect();
            if stale.is_empty() {
                continue;
            }
            let hosts: Vec<String> = stale
                .iter()
                .map(|(h, cloud)| match cloud {
                    Some(provider) => format!("`{h}` ({provider})"),
                    None => format!("`{h}`"),
                })
                .collect();
            let message = format!(
                "upstream `{resolved}` has servers resolved once, at startup: {}; if their \
                 addresses change, nginx keeps using the old ones: add `resolve` to them (nginx \
                 1.27.3+, with a `zone`) and a `resolver`",
                hosts.join(", ")
            );
            ctx.report_arg(out, "NGX056", id, 0, message);
            continue;
        }
        if target.contains('$') {
            match lookup.effective(ctx.config.get(id).parent, "resolver") {
                Ok(None) => {}
                _ => continue,
            }
            let host = if resolved.contains('$') {
                "the host".to_owned()
            } else {
                format!("`{resolved}`")
            };
            let message = format!(
                "`{name}` has a variable, so nginx resolves {host} for each request, but no \
                 `resolver` is set: requests fail with 502; add `resolver 127.0.0.53 \
                 valid=30s;` (your DNS server)"
            );
            ctx.report_arg(out, "NGX056", id, 0, message);
            continue;
        }
        let Some(cloud) = external_host(&resolved) else {
            continue;
        };
        let what = match cloud {
            Some(provider) => format!("`{resolved}` ({provider}, whose addresses change often)"),
            None => format!("`{resolved}`"),
        };
        let message = format!(
            "`{name}` resolves {what} once, at startup: when its address changes, nginx keeps \
             sending to the old one until restarted; use `resolver` with `set $backend \
             {resolved};` and `{name} http://$backend;`"
        );
        ctx.report_arg(out, "NGX056", id, 0, message);
    }
}

/// gixy's `^(scheme://)?(\[v6\]|[^/?#:]+)(:port)?`: the host of a pass's target.
fn resolver_host(target: &str) -> Option<&str> {
    let rest = match target.find("://") {
        Some(i)
            if i > 0
                && target[..i].starts_with(|c: char| c.is_ascii_lowercase())
                && target[..i]
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+.-".contains(c))
                && !target[i + 3..].starts_with(['/', '?', '#', ':']) =>
        {
            &target[i + 3..]
        }
        // no host after the scheme: the regex backtracks and reads the scheme as the host
        _ => target,
    };
    if rest.starts_with('[') {
        let end = rest.find(']')?;
        let inside = &rest[1..end];
        if !inside.is_empty()
            && inside
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Some(&rest[..=end]);
        }
    }
    let len = rest.find(['/', '?', '#', ':']).unwrap_or(rest.len());
    (len > 0).then(|| &rest[..len])
}

/// gixy's `_resolve_host`: the host with variables replaced by the literal values the config
/// gives them, the host as written when a variable has no single literal value, `None` when it
/// uses a builtin variable (nothing to say).
fn resolve_host(vars: &Vars<'_>, host: &str, at: DirId) -> Option<String> {
    let parts = pieces(host);
    let mut out = String::new();
    let mut any_known = false;
    for part in &parts {
        match part {
            Piece::Literal(text) => out.push_str(text),
            Piece::Var(name) => {
                if vars.variable(name, at).is_none() {
                    // unknown to Preflight: gixy drops it
                    continue;
                }
                any_known = true;
                if vars.is_builtin_at(name, at) {
                    return None;
                }
                match vars.literal(name, at) {
                    Some(literal) => out.push_str(&literal),
                    None => return Some(host.to_owned()),
                }
            }
        }
    }
    if host.contains('$') && !any_known {
        return None;
    }
    Some(out)
}

fn is_ip(host: &str) -> bool {
    let v6 = host
        .strip_prefix('[')
        .and_then(|h| h.split(']').next())
        .unwrap_or(host);
    if v6.parse::<Ipv6Addr>().is_ok() {
        return true;
    }
    let v4 = host.rsplit_once(':').map_or(host, |(h, _)| h);
    v4.parse::<Ipv4Addr>().is_ok()
}

/// The `server` entries of the upstream named `name` visible from `at`, if there is one.
fn upstream_servers(
    ctx: &Ctx<'_>,
    lookup: &Lookup<'_>,
    at: DirId,
    name: &str,
) -> Option<Vec<DirId>> {
    let config = ctx.config;
    for scope in config.scope_chain(config.get(at).parent) {
        for upstream in lookup.direct(scope, "upstream") {
            let u = config.get(upstream);
            if u.args.len() == 1 && u.arg(0) == Some(name) {
                return Some(lookup.direct(Some(upstream), "server"));
            }
        }
    }
    None
}

/// An upstream server resolved only at startup and not internal: its host and cloud provider.
fn stale_upstream_server(ctx: &Ctx<'_>, server: DirId) -> Option<(String, Option<&'static str>)> {
    let s = ctx.config.get(server);
    let target = s.arg(0).unwrap_or("");
    if s.values().any(|v| v == "resolve") || target.contains("unix:") {
        return None;
    }
    let host = resolver_host(target)?;
    if is_ip(host) {
        return None;
    }
    let cloud = external_host(host)?;
    Some((host.to_owned(), cloud))
}

/// RFC 2606/6761 top-level domains that are never public.
const RESERVED_TLDS: &[&str] = &[
    "test",
    "example",
    "invalid",
    "localhost",
    "local",
    "onion",
    "arpa",
];

/// Suffixes of internal names (enterprise, Kubernetes, Docker, Consul, cloud-internal).
const INTERNAL_SUFFIXES: &[&str] = &[
    ".internal",
    ".intranet",
    ".private",
    ".corp",
    ".corporate",
    ".home",
    ".lan",
    ".localdomain",
    ".office",
    ".company",
    ".dev.local",
    ".staging.local",
    ".prod.local",
    ".cluster.local",
    ".svc",
    ".pod",
    ".docker",
    ".docker.localhost",
    ".consul",
    ".vault",
    ".nomad",
    ".mesos",
    ".dcos",
    ".cattle-system",
    ".internal.cloudapp.net",
    ".novalocal",
    ".openstacklocal",
];

/// Single words used as internal service names (`backend.prod`).
const INTERNAL_WORDS: &[&str] = &[
    "activemq",
    "apache",
    "api",
    "app",
    "backend",
    "cache",
    "consul",
    "database",
    "db",
    "elasticsearch",
    "etcd",
    "frontend",
    "gateway",
    "grafana",
    "kafka",
    "kibana",
    "lb",
    "loadbalancer",
    "localhost",
    "logstash",
    "mariadb",
    "master",
    "memcached",
    "minio",
    "mongo",
    "mongodb",
    "mysql",
    "nats",
    "nginx",
    "node",
    "postgres",
    "postgresql",
    "primary",
    "prometheus",
    "proxy",
    "queue",
    "rabbitmq",
    "redis",
    "replica",
    "server",
    "service",
    "slave",
    "storage",
    "vault",
    "web",
    "worker",
    "zookeeper",
];

/// Cloud endpoints whose addresses change often (gixy-ng's list).
const CLOUD_PATTERNS: &[(&str, &str)] = &[
    (r"\.elb\.amazonaws\.com$", "AWS ELB"),
    (
        r"\.elb\.[a-z]+-[a-z]+-\d+\.amazonaws\.com$",
        "AWS Regional ELB",
    ),
    (
        r"[a-z0-9]+-[a-z0-9]+\.elb\.amazonaws\.com$",
        "AWS Classic ELB",
    ),
    (r"\.elasticbeanstalk\.com$", "AWS Elastic Beanstalk"),
    (r"\.cloudfront\.net$", "AWS CloudFront"),
    (
        r"\.execute-api\.[a-z]+-[a-z]+-\d+\.amazonaws\.com$",
        "AWS API Gateway",
    ),
    (
        r"\.lambda-url\.[a-z]+-[a-z]+-\d+\.on\.aws$",
        "AWS Lambda URL",
    ),
    (r"\.s3\.amazonaws\.com$", "AWS S3"),
    (
        r"\.s3-[a-z]+-[a-z]+-\d+\.amazonaws\.com$",
        "AWS S3 Regional",
    ),
    (
        r"\.s3\.[a-z]+-[a-z]+-\d+\.amazonaws\.com$",
        "AWS S3 Regional",
    ),
    (r"\.amplifyapp\.com$", "AWS Amplify"),
    (r"\.awsglobalaccelerator\.com$", "AWS Global Accelerator"),
    (r"\.run\.app$", "Google Cloud Run"),
    (r"\.cloudfunctions\.net$", "Google Cloud Functions"),
    (r"\.appspot\.com$", "Google App Engine"),
    (r"\.googleapis\.com$", "Google APIs"),
    (r"\.web\.app$", "Firebase Hosting"),
    (r"\.firebaseapp\.com$", "Firebase Hosting"),
    (r"\.azurewebsites\.net$", "Azure App Service"),
    (r"\.azure-api\.net$", "Azure API Management"),
    (r"\.cloudapp\.azure\.com$", "Azure Cloud Service"),
    (r"\.blob\.core\.windows\.net$", "Azure Blob Storage"),
    (r"\.azureedge\.net$", "Azure CDN"),
    (r"\.trafficmanager\.net$", "Azure Traffic Manager"),
    (r"\.azurefd\.net$", "Azure Front Door"),
    (r"\.azurestaticapps\.net$", "Azure Static Web Apps"),
    (r"\.azure\.com$", "Azure Service"),
    (r"\.workers\.dev$", "Cloudflare Workers"),
    (r"\.pages\.dev$", "Cloudflare Pages"),
    (r"\.r2\.dev$", "Cloudflare R2"),
    (r"\.herokuapp\.com$", "Heroku"),
    (r"\.vercel\.app$", "Vercel"),
    (r"\.now\.sh$", "Vercel (legacy)"),
    (r"\.netlify\.app$", "Netlify"),
    (r"\.netlify\.com$", "Netlify"),
    (r"\.railway\.app$", "Railway"),
    (r"\.onrender\.com$", "Render"),
    (r"\.render\.com$", "Render"),
    (r"\.fly\.dev$", "Fly.io"),
    (r"\.deno\.dev$", "Deno Deploy"),
    (r"\.supabase\.co$", "Supabase"),
    (r"\.neon\.tech$", "Neon Database"),
    (r"\.planetscale\.com$", "PlanetScale"),
    (r"\.ondigitalocean\.app$", "DigitalOcean App Platform"),
    (r"\.digitaloceanspaces\.com$", "DigitalOcean Spaces"),
    (r"\.linode\.com$", "Linode"),
    (r"\.vultr\.com$", "Vultr"),
    (r"\.scaleway\.com$", "Scaleway"),
    (r"\.hetzner\.cloud$", "Hetzner Cloud"),
    (r"\.upcloud\.com$", "UpCloud"),
    (r"\.akamaihd\.net$", "Akamai CDN"),
    (r"\.akamaized\.net$", "Akamai CDN"),
    (r"\.akamaitechnologies\.com$", "Akamai"),
    (r"\.fastly\.net$", "Fastly CDN"),
    (r"\.fastlylb\.net$", "Fastly Load Balancer"),
    (r"\.cdn77\.org$", "CDN77"),
    (r"\.stackpathdns\.com$", "StackPath CDN"),
    (r"\.stackpathcdn\.com$", "StackPath CDN"),
    (r"\.kxcdn\.com$", "KeyCDN"),
    (r"\.bunnycdn\.com$", "BunnyCDN"),
    (r"\.b-cdn\.net$", "BunnyCDN"),
    (r"\.cdn\.[a-z]+\.[a-z]+$", "CDN endpoint"),
    (r"-lb\.", "Load balancer"),
    (r"\.lb\.", "Load balancer"),
    (r"\.loadbalancer\.", "Load balancer"),
    (r"-elb\.", "Elastic Load Balancer"),
    (r"-alb\.", "Application Load Balancer"),
    (r"-nlb\.", "Network Load Balancer"),
];

fn cloud_patterns() -> &'static [(Regex, &'static str)] {
    static PATTERNS: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        CLOUD_PATTERNS
            .iter()
            .filter_map(|(p, name)| Some((compile(p, true)?, *name)))
            .collect()
    })
}

/// gixy's classification of a hostname: `None` when internal, else `Some(cloud provider)`.
fn external_host(host: &str) -> Option<Option<&'static str>> {
    let host = host.to_ascii_lowercase();
    let host = host.trim_matches('.');
    if let Some((_, provider)) = cloud_patterns()
        .iter()
        .find(|(re, _)| re.is_match(host).unwrap_or(false))
    {
        return Some(Some(provider));
    }
    if !host.contains('.') {
        return None;
    }
    let tld = host.rsplit('.').next().unwrap_or("");
    if RESERVED_TLDS.contains(&tld) || INTERNAL_SUFFIXES.iter().any(|s| host.ends_with(s)) {
        return None;
    }
    if let Some((first, second)) = host.split_once('.')
        && !second.contains('.')
        && INTERNAL_WORDS.contains(&first)
        && second.len() <= 12
        && !second.is_empty()
        && second.chars().all(|c| c.is_alphabetic())
    {
        return None;
    }
    let pod_ip = host.split('.').next().is_some_and(|label| {
        let parts: Vec<&str> = label.split('-').collect();
        host.contains('.')
            && parts.len() >= 4
            && parts[..4]
                .iter()
                .all(|p| (1..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()))
            && parts.len() == 4
    });
    if pod_ip {
        return None;
    }
    Some(None)
}

// ----- NGX057 -----

/// NGX057: a URI part in `proxy_pass` (nginx sends the decoded, normalised path), or
/// `rewrite ^ $request_uri;` without a capture in `proxy_pass` (gixy's proxy_pass_normalized).
fn proxy_pass_normalized(ctx: &Ctx<'_>, lookup: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in config.walk() {
        let d = config.get(id);
        if !d.is("proxy_pass") {
            continue;
        }
        let Some(parent) = d.parent else { continue };
        let location = if config.get(parent).is("location") {
            parent
        } else if config.get(parent).is("if") || config.get(parent).is("limit_except") {
            match config.get(parent).parent {
                Some(l) if config.get(l).is("location") => l,
                _ => continue,
            }
        } else {
            continue;
        };
        let location_pattern = pattern(config.get(location));
        if location_pattern
            .as_ref()
            .is_some_and(|p| p.modifier == Modifier::Exact)
        {
            continue;
        }
        let Some(target) = d.arg(0) else { continue };
        if target.starts_with('$') && !target.contains('/') {
            continue;
        }
        let (host, path) = host_and_path(target);
        let mut rewrite_fail = false;
        let mut exempt = false;
        for scope in config.scope_chain(Some(parent)) {
            let Some(&rewrite) = lookup.direct(scope, "rewrite").first() else {
                continue;
            };
            let r = config.get(rewrite);
            if r.arg(0) == Some("^") && r.arg(1) == Some("$request_uri") {
                let part = if path.is_empty() { host } else { path };
                if part.contains("$uri") || has_numbered_capture(part) {
                    exempt = true;
                } else {
                    rewrite_fail = true;
                }
                break;
            }
        }
        if exempt || (path.is_empty() && !rewrite_fail) {
            continue;
        }
        let message = if rewrite_fail {
            format!(
                "`rewrite ^ $request_uri;` with `proxy_pass {target}` sends the path \
                 encoded twice: use `$1` or `$uri` in `proxy_pass`, or drop the rewrite"
            )
        } else {
            format!(
                "`proxy_pass` with the URI part `{path}` sends Django the decoded, normalised \
                 path (`%2F` becomes `/`, `..` is resolved), not the one the client sent: drop \
                 the URI part"
            )
        };
        let fix = (!rewrite_fail && parent == location)
            .then(|| drop_uri_part_fix(ctx, id, target, path, location_pattern.as_ref()))
            .flatten();
        if let Some(diagnostic) = ctx.report_arg(out, "NGX057", id, 0, message) {
            diagnostic.fix = fix;
        }
    }
}

fn has_numbered_capture(s: &str) -> bool {
    s.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'$' && w[1].is_ascii_digit())
}

/// The host and the path of a `proxy_pass` URL, as Python's `urlparse` splits it (a variable
/// scheme, `$scheme://`, counts as a scheme, and `http://unix:/socket:/path` has the path
/// after the socket).
fn host_and_path(target: &str) -> (&str, &str) {
    let rest = match target.find(':') {
        Some(i)
            if (target[..i].starts_with(|c: char| c.is_ascii_alphabetic())
                && target[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
                || (target[..i].starts_with('$')
                    && matches!(&pieces(&target[..i])[..], [Piece::Var(_)])
                    && target[i..].starts_with("://")) =>
        {
            &target[i + 1..]
        }
        _ => target,
    };
    let (host, after) = match rest.strip_prefix("//") {
        Some(r) => {
            let end = r.find(['/', '?', '#']).unwrap_or(r.len());
            (&r[..end], &r[end..])
        }
        None => ("", rest),
    };
    let mut path = &after[..after.find(['?', '#']).unwrap_or(after.len())];
    // urlparse's `;params` on the last segment
    let params = match path.rfind('/') {
        Some(slash) => path[slash..].find(';').map(|i| slash + i),
        None => path.find(';'),
    };
    if let Some(i) = params {
        path = &path[..i];
    }
    if host == "unix:" {
        return match path.split_once(':') {
            Some((socket, uri)) => (socket, uri),
            None => (path, ""),
        };
    }
    (host, path)
}

/// Drops a URI part that repeats the location's prefix: the same mapping of paths, without
/// nginx's normalisation.
fn drop_uri_part_fix(
    ctx: &Ctx<'_>,
    id: DirId,
    target: &str,
    path: &str,
    location: Option<&crate::nginx::location::Pattern>,
) -> Option<crate::diagnostic::Fix> {
    let location = location?;
    if !location.modifier.is_prefix() || location.uri != path || path.contains('$') {
        return None;
    }
    let mut without = target.strip_suffix(path)?;
    if without.contains("unix:") {
        without = without.strip_suffix(':').unwrap_or(without);
    }
    let quoted = ctx.config.get(id).args.first()?.quoted;
    let text = if quoted {
        format!("\"{without}\"")
    } else {
        without.to_owned()
    };
    let mut fix = ctx.replace_arg(id, 0, &text, "Drop the URI part of `proxy_pass`")?;
    fix.safe = false;
    Some(fix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::nginx::testing::*;

    fn site(code: &str, text: &str) -> Vec<(usize, String)> {
        findings(&check_site(text), code, text)
            .into_iter()
            .map(|(l, t)| (l, t.to_owned()))
            .collect()
    }

    fn lines(code: &str, text: &str) -> Vec<usize> {
        site(code, text).into_iter().map(|(l, _)| l).collect()
    }

    // ----- NGX007 -----

    #[test]
    fn ssrf_from_query_arguments_captures_and_sets() {
        let text = "server {\n\
            location /proxy/ {\n\
                proxy_pass $arg_some;\n\
            }\n\
            location ~ /proxy/(.*)/(.*)/(.*)$ {\n\
                set $scheme $1;\n\
                set $host $2;\n\
                set $path $3;\n\
                proxy_pass $scheme://$host/$path;\n\
            }\n\
            location /h/ {\n\
                proxy_pass http://$http_x_backend$request_uri;\n\
            }\n\
        }\n";
        assert_eq!(
            site("NGX007", text),
            [
                (3, "$arg_some".into()),
                (9, "$scheme://$host/$path".into()),
                (12, "http://$http_x_backend$request_uri".into())
            ]
        );
        let d = check_site(text);
        let first = d.iter().find(|d| d.code == "NGX007").unwrap();
        assert_eq!(
            first.references.get("gixy").map(String::as_str),
            Some("ssrf")
        );
        assert!(first.message.contains("`$arg_some` (the query string)"));
    }

    #[test]
    fn no_ssrf_for_fixed_hosts_paths_and_internal_locations() {
        let text = "server {\n\
            location / { proxy_pass http://app$request_uri; }\n\
            location /a/ { proxy_pass http://backend/$arg_x; }\n\
            location ~ ^/b/([a-z0-9-]+)$ { proxy_pass http://$1.internal; }\n\
            location /c/ { internal; proxy_pass $arg_url; }\n\
            location /d/ { proxy_pass $uri; }\n\
            location /e/ { proxy_pass http://$host; }\n\
            location /f/ { set $t backend; proxy_pass http://$t; }\n\
            location /g/ { uwsgi_pass unix:/run/uwsgi.sock; }\n\
        }\n";
        assert_eq!(lines("NGX007", text), Vec::<usize>::new());
    }

    #[test]
    fn ssrf_through_maps_and_other_passes() {
        let text = "map $http_x_target $target {\n    default app;\n    ~^(?<t>.+)$ $t;\n}\n\
            server {\n    location / { fastcgi_pass $target:9000; }\n    location /x { grpc_pass grpc://$arg_h; }\n}\n";
        assert_eq!(lines("NGX007", text), [6, 7]);
        // a map to fixed backends is the fix
        let text = "map $arg_b $target {\n    default app;\n    blue blue.internal;\n}\n\
            server {\n    location / { proxy_pass http://$target; }\n}\n";
        assert_eq!(lines("NGX007", text), Vec::<usize>::new());
    }

    // ----- NGX008 -----

    #[test]
    fn http_splitting_in_headers_redirects_and_proxying() {
        let text = "server {\n\
            rewrite ^ http://$host$uri;\n\
            return 301 http://$host$uri;\n\
            location / {\n\
                proxy_set_header X-Original-Uri $uri;\n\
                proxy_pass http://upstream$document_uri;\n\
                add_header X-Uri $document_uri;\n\
            }\n\
            location ~ /proxy/(a|b)/(\\W*)$ {\n\
                set $path $2;\n\
                proxy_pass http://storage/$path;\n\
            }\n\
        }\n";
        assert_eq!(lines("NGX008", text), [2, 3, 5, 6, 7, 11]);
        let d = check_site(text);
        let splitting: Vec<&Diagnostic> = d.iter().filter(|d| d.code == "NGX008").collect();
        assert!(
            splitting[1]
                .message
                .contains("`$uri` (the decoded request path)")
        );
        assert_eq!(
            splitting[1].references.get("gixy").map(String::as_str),
            Some("http_splitting")
        );
    }

    #[test]
    fn no_http_splitting_for_request_uri_bodies_and_escaped_rewrites() {
        let text = "server {\n\
            return 301 https://$host$request_uri;\n\
            return 200 $uri;\n\
            rewrite ^/old/(.*)$ /new/$1 permanent;\n\
            location ~ ^/(\\w+)/ { add_header X-Name $1; }\n\
            location /a/ { rewrite ^ $request_uri break; proxy_pass http://b$uri; }\n\
            location /b/ { proxy_set_header X-A $http_x_a; }\n\
            location ~ ^/(.*)$ { proxy_pass http://b/$1; }\n\
        }\n";
        // `.` does not match a line feed, and a carriage return only matters in responses
        assert_eq!(lines("NGX008", text), Vec::<usize>::new());
        let text = "server {\n    location ~ ^/(.*)$ { add_header X $1; }\n}\n";
        assert_eq!(lines("NGX008", text), [2]);
    }

    #[test]
    fn http_splitting_fix_redirects_to_request_uri() {
        let text = "server {\n    return 301 https://$host$uri$is_args$args;\n    location /x { return 302 \"https://$host${uri}x\"; }\n}\n";
        let d = check_site(text);
        assert_eq!(lines("NGX008", text), [2, 3]);
        let fixed_text = fixed(&d, "NGX008", text);
        assert!(fixed_text.contains("return 301 https://$host$request_uri;"));
        let d2 = check_site(&fixed_text);
        assert_eq!(findings(&d2, "NGX008", &fixed_text).len(), 1);
        let fixed_again = fixed(&d2, "NGX008", &fixed_text);
        assert!(fixed_again.contains("return 302 \"https://$host${request_uri}x\";"));
        assert!(findings(&check_site(&fixed_again), "NGX008", &fixed_again).is_empty());
        assert!(
            !d.iter()
                .find(|d| d.code == "NGX008")
                .unwrap()
                .fix
                .as_ref()
                .unwrap()
                .safe
        );
    }

    // ----- NGX056 -----

    #[test]
    fn missing_resolver_cases() {
        let text = "upstream ext {\n    server api.example.com:443;\n    server 10.0.0.1;\n}\n\
            upstream local { server unix:/run/app.sock; server app:8000; }\n\
            server {\n\
                location /a { proxy_pass https://api.stripe.com; }\n\
                location /b { proxy_pass http://my-lb.elb.amazonaws.com; }\n\
                location /c { proxy_pass http://localhost:8000$request_uri; }\n\
                location /d { proxy_pass http://ext; }\n\
                location /e { proxy_pass http://local; }\n\
                location /f { proxy_pass http://app:8000; }\n\
                location /g { proxy_pass http://127.0.0.1:8000; }\n\
                location /h { set $b backend.svc.cluster.local; proxy_pass http://$b; }\n\
                location /i { proxy_pass http://gunicorn.lan$request_uri; }\n\
            }\n";
        let d = check_site(text);
        assert_eq!(lines("NGX056", text), [7, 8, 9, 10, 14]);
        let messages: Vec<&str> = d
            .iter()
            .filter(|d| d.code == "NGX056")
            .map(|d| d.message.as_str())
            .collect();
        assert!(messages[1].contains("AWS ELB"));
        assert!(messages[2].contains("no `resolver` is set"));
        assert!(messages[3].contains("`api.example.com`"));
    }

    #[test]
    fn a_resolver_in_scope_satisfies_variables() {
        let text = "resolver 127.0.0.53;\nserver {\n    location / { set $b api.example.com; proxy_pass https://$b; }\n}\n";
        assert_eq!(lines("NGX056", text), Vec::<usize>::new());
        let text =
            "server {\n    location / { set $b api.example.com; proxy_pass https://$b; }\n}\n";
        assert_eq!(lines("NGX056", text), [2]);
    }

    #[test]
    fn host_classification() {
        assert_eq!(external_host("app"), None);
        assert_eq!(external_host("db.prod"), None);
        assert_eq!(external_host("10-0-0-1.default.pod.cluster.local"), None);
        assert_eq!(external_host("x.example"), None);
        assert_eq!(external_host("api.github.com"), Some(None));
        assert_eq!(external_host("x.herokuapp.com"), Some(Some("Heroku")));
        assert!(is_ip("[::1]") && is_ip("10.0.0.1:80") && !is_ip("app"));
        assert_eq!(resolver_host("http://[::1]:80/x"), Some("[::1]"));
        assert_eq!(resolver_host("app:9000"), Some("app"));
        assert_eq!(resolver_host("http:///x"), Some("http"));
    }

    // ----- NGX057 -----

    #[test]
    fn proxy_pass_with_a_uri_part() {
        let text = "server {\n\
            location / { proxy_pass http://app/; }\n\
            location /api/ { proxy_pass http://app/v1/; }\n\
            location /s/ { proxy_pass http://unix:/run/g.sock:/s/; }\n\
            location /t/ { if ($a) { proxy_pass http://app/t/; } }\n\
            location /ok/ { proxy_pass http://app; }\n\
            location /sock/ { proxy_pass http://unix:/run/gunicorn.sock; }\n\
            location = /exact { proxy_pass http://app/x; }\n\
            location /v { proxy_pass $backend; }\n\
            location /w { proxy_pass $scheme://$host; }\n\
            location /x { rewrite ^ $request_uri; proxy_pass http://app; }\n\
            location /y { rewrite ^ $request_uri; rewrite ^/y(/.*) $1 break; proxy_pass http://app$1; }\n\
            location /z { proxy_pass http://app$request_uri; }\n\
        }\n";
        assert_eq!(lines("NGX057", text), [2, 3, 4, 5, 11]);
        let d = check_site(text);
        let first = d.iter().find(|d| d.code == "NGX057").unwrap();
        assert_eq!(
            first.references.get("gixy").map(String::as_str),
            Some("proxy_pass_normalized")
        );
    }

    #[test]
    fn dropping_a_uri_part_that_repeats_the_prefix() {
        let text =
            "server {\n    location / {\n        proxy_pass http://127.0.0.1:8000/;\n    }\n}\n";
        let d = check_site(text);
        let after = fixed(&d, "NGX057", text);
        assert!(after.contains("proxy_pass http://127.0.0.1:8000;"));
        assert!(lines("NGX057", &after).is_empty());
        let text = "server {\n    location /s/ { proxy_pass http://unix:/run/g.sock:/s/; }\n}\n";
        let after = fixed(&check_site(text), "NGX057", text);
        assert!(after.contains("proxy_pass http://unix:/run/g.sock;"));
        // a different path would change the mapping: no fix
        let text = "server {\n    location /api/ { proxy_pass http://app/v1/; }\n}\n";
        assert!(
            check_site(text)
                .iter()
                .find(|d| d.code == "NGX057")
                .unwrap()
                .fix
                .is_none()
        );
    }

    #[test]
    fn url_splitting() {
        assert_eq!(host_and_path("http://b/x?y#z"), ("b", "/x"));
        assert_eq!(host_and_path("http://unix:/s.sock:/u"), ("/s.sock", "/u"));
        assert_eq!(host_and_path("$scheme://$host"), ("$host", ""));
        assert_eq!(host_and_path("$b/"), ("", "$b/"));
        assert_eq!(host_and_path("http://b/a;p"), ("b", "/a"));
        assert_eq!(scheme_and_host("$s://$h/x"), Some((Some("$s://"), "$h")));
        assert_eq!(scheme_and_host("http:///x"), Some((None, "http:")));
        assert_eq!(scheme_and_host("/x"), None);
    }

    fn statement() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "location ~ ^/(.*)/([^/]+)$ {",
            "location /a/ {",
            "location = /x {",
            "if ($arg_a ~ (?<n>\\w+)) {",
            "if ($uri ~* ^/(.+)) {",
            "limit_except GET {",
            "}",
            "set $v $1;",
            "set $w \"$v$arg_x\";",
            "rewrite ^/(.*)$ /b/$1;",
            "rewrite ^ $request_uri break;",
            "return 301 https://$host$uri;",
            "return 302 \"$scheme://$n$2\";",
            "add_header X $w;",
            "proxy_set_header Host $http_host;",
            "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
            "proxy_set_header X-Forwarded-Host $http_x_forwarded_host;",
            "proxy_buffering off;",
            "proxy_request_buffering off;",
            "proxy_pass http://app/;",
            "proxy_pass http://$w$1;",
            "proxy_pass https://api.example.com;",
            "proxy_pass http://unix:/run/g.sock:/a/;",
            "uwsgi_pass app;",
            "include proxy_params;",
            "include missing/*.conf.d/x;",
            "resolver 127.0.0.53;",
            "set_real_ip_from 10.0.0.0/8;",
            "internal;",
            "map $http_x $m { default a; ~^(?<z>.*)$ $z; }",
            "upstream app { server unix:/run/gunicorn.sock; server a.example.com; }",
            "server {",
            "# comment",
        ])
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]
        /// Any mix of the constructs these rules read: no panic, ranges and fix edits inside
        /// the text, fixes that apply.
        #[test]
        fn any_config_is_checked_without_panicking(
            parts in proptest::collection::vec(statement(), 0..40),
        ) {
            let text = format!("server {{\n{}\n}}\n", parts.join("\n"));
            for d in check_site(&text) {
                proptest::prop_assert!(d.range.start <= d.range.end && d.range.end <= text.len());
                if let Some(fix) = &d.fix {
                    for e in &fix.edits {
                        proptest::prop_assert!(e.range.end <= text.len());
                        proptest::prop_assert!(text.is_char_boundary(e.range.start));
                    }
                    let _ = crate::diagnostic::apply_edits(&text, &fix.edits);
                }
            }
        }
    }
}
