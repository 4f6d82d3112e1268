//! Servers and the sockets they listen on: which server gets the requests whose Host no
//! `server_name` matches (the default server of each socket), whether Django is reachable over
//! plain HTTP, and how `listen` spells HTTP/2.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::diagnostic::Severity::{Error, Information};
use crate::diagnostic::{Diagnostic, Edit};
use crate::nginx::listen::{self, Listen, Socket, flag_arg, listens, sockets};
use crate::nginx::location::{Modifier, compile, pattern};
use crate::nginx::model::{Config, DirId};
use crate::rules::RuleMeta;

use super::app::{app_locations, app_pass};
use super::lookup::Lookup;
use super::placement::{self, fix};
use super::{Ctx, Reach};

pub static RULES: [RuleMeta; 5] = [
    RuleMeta {
        code: "NGX002",
        name: "no-catch-all-default-server",
        severity: Error,
        summary: "No catch-all default server rejects requests for unknown hosts on a socket",
        django: None,
        gixy: Some("default_server_flag"),
        docs: "For every address and port it listens on, nginx sends the requests whose `Host` \
matches no `server_name` to that socket's default server: the one whose `listen` says \
`default_server`, else the first one in the config. When that is the server proxying to \
Django, every scanner and bot that sends a made-up `Host` reaches Django, which rejects it \
with a 400 and logs (and e-mails ADMINS) an `Invalid HTTP_HOST header` error; worse, a \
mistake in `ALLOWED_HOSTS` becomes a host header injection (password reset links pointing at \
the attacker's domain). Django's deployment checklist and gunicorn's nginx example both put \
a catch-all server first.\n\n\
Reported at the first `listen` of a socket whose default server is not a catch-all (a \
server-level `return` 4xx/444, `deny all`, or for TLS `ssl_reject_handshake on`) and either \
passes requests to the app or is only the default because it comes first among several \
servers (the latter as information: gixy-ng's `default_server_flag`). A server that itself \
checks `$host` with `if (...) { return 444; }` counts as guarded. When the app's server is \
explicitly `default_server`, NGX003 reports it instead. A catch-all in another file (e.g. \
Debian's `sites-enabled/default` for port 80) is invisible when a site file is checked on \
its own: suppress the finding there.\n\n\
**Fix:** add a catch-all default server (the quick-fix inserts it before the first server):\n\n\
```nginx\nserver {\n    listen 80 default_server;\n    server_name _;\n    return 444;\n}\n```\n\n\
For a TLS socket add `ssl` to `listen` and `ssl_reject_handshake on;` (nginx >= 1.19.4; no \
certificate needed), so unknown names fail the handshake instead of seeing your certificate.",
    },
    RuleMeta {
        code: "NGX003",
        name: "app-server-is-default",
        severity: Error,
        summary: "The server that proxies to Django is the default server or has no real server_name",
        django: None,
        gixy: None,
        docs: "A server marked `default_server`, or whose `server_name` is missing, `_`, `\"\"` \
or a regex that matches anything, answers requests for every Host nobody else claims. When \
it passes them to Django, `ALLOWED_HOSTS` is the only thing between a forged `Host` and the \
absolute URLs Django builds (password reset e-mails, redirects), and every stray request \
becomes an `Invalid HTTP_HOST header` error report.\n\n\
**Fix:** name the app's domains in `server_name` and give `default_server` to a catch-all \
`server { listen 80 default_server; return 444; }` (with `ssl_reject_handshake on;` for TLS). \
When the server already has an explicit name, the quick-fix moves `default_server` to a new \
catch-all (review it: unknown hosts then get no answer).",
    },
    RuleMeta {
        code: "NGX011",
        name: "no-https-redirect",
        severity: Error,
        summary: "Django is served over plain HTTP for a name that has an HTTPS server",
        django: None,
        gixy: None,
        docs: "When the port 80 server of a site proxies to Django instead of redirecting to \
HTTPS, a user who types the domain (or follows an old `http://` link) uses the whole site \
unencrypted: session cookies without `Secure` travel in clear text, and HSTS is never \
learned. Django's `SECURE_SSL_REDIRECT` can redirect too, but then every plain request \
reaches gunicorn first, and `X-Forwarded-Proto` must be right for it to work at all.\n\n\
Reported at the plain `listen` of a server that passes requests to the app while a TLS \
server (the same one or another) exists for one of its names, unless the server redirects \
first (a server-level `return`, or `if ($scheme = http) { return 301 ...; }`).\n\n\
**Fix:** let the port 80 server only redirect:\n\n\
```nginx\nserver {\n    listen 80;\n    server_name example.com;\n    return 301 https://$host$request_uri;\n}\n```\n\n\
The quick-fix inserts the `return` (or, in a server that also listens with TLS, an \
`if ($scheme = http) { ... }` around it); review it, the locations below stop answering \
plain HTTP.",
    },
    RuleMeta {
        code: "NGX030",
        name: "deprecated-listen-http2",
        severity: Information,
        summary: "`listen ... http2` is deprecated since nginx 1.25.1",
        django: None,
        gixy: None,
        docs: "Since nginx 1.25.1 HTTP/2 is switched on with the `http2 on;` directive and the \
`http2` parameter of `listen` makes `nginx -t` warn. Older nginx (Debian 12 ships 1.22, \
Ubuntu 24.04 1.24) knows only the `listen` parameter and refuses `http2 on;`, so this is \
reported only when the config itself shows a newer nginx (it uses `http2 on|off`, `http3` or \
a `quic` listen).\n\n**Fix:** drop `http2` from `listen` and write `http2 on;` in the server \
(the quick-fix).",
    },
    RuleMeta {
        code: "NGX053",
        name: "http2-misdirected-request",
        severity: Information,
        summary: "A TLS default server that rejects handshakes has no `return 421` for HTTP/2 requests",
        django: None,
        gixy: Some("http2_misdirected_request"),
        docs: "`ssl_reject_handshake on` in a default server stops TLS clients that ask for an \
unknown name. With HTTP/2, a browser may reuse a connection made for one of your names for \
another name the certificate covers; such a request can still land in the default server, \
which then serves whatever its locations do. `421 Misdirected Request` makes the browser \
retry on a new connection.\n\n**Fix:** `location / { return 421; }` in that server (the \
quick-fix).",
    },
];

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let from = out.len();
    let lookup = ctx.lookup();
    if ctx.runs(Reach::Server) {
        http2_misdirected_request(ctx, lookup, out);
    }
    if ctx.runs(Reach::Config) {
        default_servers(ctx, lookup, out);
        app_server_is_default(ctx, out);
        no_https_redirect(ctx, lookup, out);
        deprecated_listen_http2(ctx, lookup, out);
    }
    dedup_from(out, from);
}

/// Drops repeated findings from `from` on: servers of one included file are all reported at
/// its `include`, with the same message.
pub(super) fn dedup_from(out: &mut Vec<Diagnostic>, from: usize) {
    let mut seen = HashSet::default();
    let new = out.split_off(from.min(out.len()));
    out.extend(
        new.into_iter()
            .filter(|d| seen.insert((d.code, d.range, d.message.clone()))),
    );
}

// ----- what a server is -----

/// Whether the server passes requests to the app (and does not answer everything with a
/// server-level `return` first).
pub(super) fn serves_app(config: &Config, server: DirId) -> bool {
    (app_pass(config, server).is_some() || !app_locations(config, server).is_empty())
        && config.first(Some(server), "return").is_none()
}

/// The status code of a `return`.
fn return_code(config: &Config, id: DirId) -> Option<u16> {
    config.get(id).arg(0)?.parse().ok()
}

fn rejects(config: &Config, id: DirId) -> bool {
    return_code(config, id).is_some_and(|c| (400..500).contains(&c))
}

/// Whether the server answers every request with an error: a server-level `return 4xx`,
/// `deny all`, only locations that return 4xx, or (on a TLS socket) `ssl_reject_handshake on`.
pub(super) fn is_catch_all(lookup: &Lookup<'_>, server: DirId, tls: bool) -> bool {
    let config = lookup.config;
    if config
        .first(Some(server), "return")
        .is_some_and(|r| rejects(config, r))
    {
        return true;
    }
    if config
        .direct(Some(server), "deny")
        .any(|d| config.get(d).arg(0) == Some("all"))
    {
        return true;
    }
    if tls && reject_handshake(lookup, server) {
        return true;
    }
    let locations: Vec<DirId> = config
        .direct(Some(server), "location")
        .filter(|&l| config.get(l).body.is_some())
        .collect();
    let covers_all = locations
        .iter()
        .any(|&l| pattern(config.get(l)).is_some_and(|p| p.modifier.is_prefix() && p.uri == "/"));
    covers_all
        && app_pass(config, server).is_none()
        && locations.iter().all(|&l| {
            config
                .first(Some(l), "return")
                .is_some_and(|r| rejects(config, r))
        })
}

/// `ssl_reject_handshake on` in effect in the server.
pub(super) fn reject_handshake(lookup: &Lookup<'_>, server: DirId) -> bool {
    lookup.on(server, "ssl_reject_handshake")
}

/// Whether a server-level `if` checks the Host and rejects what does not match
/// (`if ($host !~ ...) { return 444; }`): unknown hosts do not get past it.
pub(super) fn guards_host(config: &Config, server: DirId) -> bool {
    config.direct(Some(server), "if").any(|i| {
        let d = config.get(i);
        d.values()
            .any(|a| a.contains("$host") || a.contains("$http_host") || a.contains("$server_name"))
            && config
                .first(Some(i), "return")
                .is_some_and(|r| rejects(config, r))
    })
}

/// The TLS servers: a `listen` with `ssl` or `quic`, `ssl on` in effect, or (as gixy-ng
/// reads it) a listen on port 443.
pub(super) fn is_tls(lookup: &Lookup<'_>, server: DirId) -> bool {
    listens(lookup.config, server)
        .iter()
        .any(|(_, l)| l.tls() || l.socket.port == Some(443))
        || ssl_on(lookup, server)
}

/// The deprecated `ssl on;` in effect in the server.
pub(super) fn ssl_on(lookup: &Lookup<'_>, server: DirId) -> bool {
    lookup.on(server, "ssl")
}

/// The names of a server, lower-cased (`""` for a server without `server_name`, which is
/// nginx's default).
pub(super) fn names(config: &Config, server: DirId) -> Vec<String> {
    let mut names: Vec<String> = config
        .direct(Some(server), "server_name")
        .flat_map(|d| config.get(d).values())
        .map(str::to_ascii_lowercase)
        .collect();
    if config.first(Some(server), "server_name").is_none() {
        names.push(String::new());
    }
    names
}

/// A name that stands for no host in particular: `_`, `""`, or a regex that matches any.
fn is_placeholder_name(name: &str) -> bool {
    if name.is_empty() || name == "_" || name == "*" {
        return true;
    }
    if let Some(regex) = name.strip_prefix('~') {
        return compile(regex, true).is_some_and(|r| {
            ["unknown-host.invalid", "x"]
                .iter()
                .all(|h| r.is_match(h).unwrap_or(false))
        });
    }
    false
}

/// How a message names a server: its first `server_name`, else its line.
fn describe(config: &Config, server: DirId) -> String {
    match config
        .first(Some(server), "server_name")
        .and_then(|d| config.get(d).arg(0))
    {
        Some(name) if !name.is_empty() => format!("`{name}`"),
        _ => {
            let d = config.get(server);
            let text = &config.files[d.file].text;
            let line = text[..d.range.start.min(text.len())].matches('\n').count() + 1;
            format!("the server at line {line}")
        }
    }
}

/// A socket as a `listen` for a new server: its address, then `ssl`/`quic`.
fn listen_spec(socket: &Socket, tls: bool) -> String {
    let mut spec = socket.to_string();
    if socket.transport == listen::Transport::Tcp && tls {
        spec.push_str(" ssl");
    }
    spec
}

// ----- NGX002 -----

struct Member {
    server: DirId,
    listen: Option<DirId>,
    default_server: bool,
    tls: bool,
}

/// The servers of each socket, in config order (sockets in order of their first listen).
fn socket_groups(lookup: &Lookup<'_>) -> Vec<(Socket, Vec<Member>)> {
    let config = lookup.config;
    let mut groups: Vec<(Socket, Vec<Member>)> = Vec::new();
    let mut index: HashMap<Socket, usize> = HashMap::default();
    for server in config.servers() {
        let explicit = listens(config, server);
        let entries: Vec<(Option<DirId>, Listen)> = if explicit.is_empty() {
            sockets(config, server)
                .into_iter()
                .map(|l| (None, l))
                .collect()
        } else {
            explicit.into_iter().map(|(id, l)| (Some(id), l)).collect()
        };
        for (id, l) in entries {
            let member = Member {
                server,
                listen: id,
                default_server: l.default_server,
                tls: l.tls() || ssl_on(lookup, server),
            };
            match index.get(&l.socket).and_then(|&i| groups.get_mut(i)) {
                // a server counts once per socket
                Some((_, members)) if members.last().is_some_and(|m| m.server == server) => {}
                Some((_, members)) => members.push(member),
                None => {
                    index.insert(l.socket.clone(), groups.len());
                    groups.push((l.socket, vec![member]));
                }
            }
        }
    }
    groups
}

/// Whether some block holding servers, or some server, has an include Preflight could not
/// read: a default server may hide there.
fn servers_unknown(config: &Config) -> bool {
    let mut checked = HashSet::default();
    config.servers().any(|s| {
        let parent = config.get(s).parent;
        (checked.insert(parent) && config.has_unresolved_include(parent))
            || config.has_unresolved_include(Some(s))
    })
}

/// NGX002: a socket whose default server is not a catch-all.
fn default_servers(ctx: &Ctx<'_>, lookup: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    if servers_unknown(config) {
        return;
    }
    for (socket, members) in socket_groups(lookup) {
        if members.iter().any(|m| m.default_server) {
            continue;
        }
        let Some(first) = members.first() else {
            continue;
        };
        let tls = members.iter().any(|m| m.tls);
        let several = members.len() > 1;
        let at = first.listen.unwrap_or(first.server);
        let who = describe(config, first.server);
        if is_catch_all(lookup, first.server, tls) {
            if !several {
                continue;
            }
            let message = format!(
                "No server is `default_server` for `listen {socket}`: the catch-all {who} gets \
                 unknown hosts only because it comes first; add `default_server` to its `listen`"
            );
            let edit = first
                .listen
                .and_then(|l| placement::append_arg(ctx, l, "default_server"));
            if let Some(d) = ctx.report(out, "NGX002", at, message) {
                d.severity = Information;
                d.fix = edit.map(|e| fix("Mark the catch-all `default_server`", vec![e], true));
            }
            continue;
        }
        let app = serves_app(config, first.server) && !guards_host(config, first.server);
        let (message, severity) = if app {
            (
                format!(
                    "No catch-all default server for `listen {socket}`: requests with any Host \
                     reach Django through {who}; add a default server that rejects them \
                     (`return 444;`{})",
                    if tls {
                        ", `ssl_reject_handshake on;`"
                    } else {
                        ""
                    }
                ),
                Error,
            )
        } else if several {
            (
                format!(
                    "No server is `default_server` for `listen {socket}`: requests for unknown \
                     hosts go to {who} because it comes first; add a catch-all default server"
                ),
                Information,
            )
        } else {
            continue;
        };
        let lines = placement::catch_all_server(&listen_spec(&socket, tls), tls);
        let edit = placement::new_server(ctx, &lines);
        if let Some(d) = ctx.report(out, "NGX002", at, message) {
            d.severity = severity;
            d.fix = edit.map(|e| {
                fix(
                    &format!("Add a catch-all default server for `listen {socket}`"),
                    vec![e],
                    false,
                )
            });
        }
    }
}

// ----- NGX003 -----

/// NGX003: the app's server is the default server, or has no name of its own.
fn app_server_is_default(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for server in config.servers().filter(|&s| serves_app(config, s)) {
        let names = names(config, server);
        let named = names.iter().any(|n| !is_placeholder_name(n));
        for (id, l) in listens(config, server) {
            if !l.default_server {
                continue;
            }
            let Some(arg) = flag_arg(config.get(id), &["default_server", "default"]) else {
                continue;
            };
            let message = format!(
                "This server passes requests to Django and is the default server for \
                 `listen {}`: requests with any Host reach Django; move `default_server` to a \
                 catch-all server that returns 444",
                l.socket
            );
            // only with a name of its own can the server stop being the default
            let edits = named
                .then(|| {
                    let lines =
                        placement::catch_all_server(&listen_spec(&l.socket, l.tls()), l.tls());
                    Some(vec![
                        placement::remove_arg(ctx, id, arg)?,
                        placement::new_server(ctx, &lines)?,
                    ])
                })
                .flatten();
            if let Some(d) = ctx.report_arg(out, "NGX003", id, arg, message) {
                d.fix =
                    edits.map(|e| fix("Move `default_server` to a new catch-all server", e, false));
            }
        }
        // an include Preflight cannot read may name it
        if named || config.has_unresolved_include(Some(server)) {
            continue;
        }
        let message = match config.first(Some(server), "server_name") {
            Some(_) => {
                "This server passes requests to Django but its `server_name` names no host: \
                 it answers whatever Host it gets as a default server; list the app's domains"
            }
            None => {
                "This server passes requests to Django but has no `server_name`: it answers \
                 whatever Host it gets as a default server; list the app's domains"
            }
        };
        let at = config.first(Some(server), "server_name").unwrap_or(server);
        ctx.report(out, "NGX003", at, message);
    }
}

// ----- NGX011 -----

/// Whether the server redirects before its locations run: a server-level `return` or
/// `rewrite ... https://...`, or an `if ($scheme ...)` that returns.
fn redirects_first(config: &Config, server: DirId) -> bool {
    if config.first(Some(server), "return").is_some() {
        return true;
    }
    if config.direct(Some(server), "rewrite").any(|r| {
        config
            .get(r)
            .arg(1)
            .is_some_and(|t| t.starts_with("https://"))
    }) {
        return true;
    }
    config.direct(Some(server), "if").any(|i| {
        config
            .get(i)
            .values()
            .any(|a| a.contains("$scheme") || a.contains("$https") || a.contains("$server_port"))
            && (config.first(Some(i), "return").is_some()
                || config.first(Some(i), "rewrite").is_some())
    })
}

/// NGX011: the app is served over plain HTTP for a name that has a TLS server.
fn no_https_redirect(ctx: &Ctx<'_>, lookup: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    let tls_names: HashSet<String> = config
        .servers()
        .filter(|&s| listens(config, s).iter().any(|(_, l)| l.tls()) || ssl_on(lookup, s))
        .flat_map(|s| names(config, s))
        .filter(|n| !n.is_empty() && n != "_")
        .collect();
    if tls_names.is_empty() {
        return;
    }
    for server in config.servers() {
        if !serves_app(config, server)
            || redirects_first(config, server)
            || ssl_on(lookup, server)
            || config.has_unresolved_include(Some(server))
        {
            continue;
        }
        let listens = listens(config, server);
        let plain = listens.iter().find(|(_, l)| !l.tls());
        let implicit = listens.is_empty() && config.first(Some(server), "listen").is_none();
        if plain.is_none() && !implicit {
            continue;
        }
        let Some(name) = names(config, server)
            .into_iter()
            .find(|n| tls_names.contains(n))
        else {
            continue;
        };
        let also_tls = listens.iter().any(|(_, l)| l.tls());
        let redirect = "return 301 https://$host$request_uri;";
        let lines: Vec<(usize, String)> = if also_tls {
            vec![
                (0, "if ($scheme = http) {".to_owned()),
                (1, redirect.to_owned()),
                (0, "}".to_owned()),
            ]
        } else {
            placement::flat(&[redirect])
        };
        let acme = config
            .locations(server)
            .any(|l| config.get(l).values().any(|v| v.contains(".well-known")));
        let edit = (!acme)
            .then(|| placement::into_block(ctx, server, &lines))
            .flatten();
        let message = format!(
            "Django is served over plain HTTP for `{name}`, which has an HTTPS server: redirect \
             with `return 301 https://$host$request_uri;` instead"
        );
        let at = plain.map_or(server, |(id, _)| *id);
        if let Some(d) = ctx.report(out, "NGX011", at, message) {
            d.fix = edit.map(|e| fix("Redirect plain HTTP to HTTPS", vec![e], false));
        }
    }
}

// ----- NGX030 -----

/// Whether the config shows an nginx of 1.25.1 or later: it uses the `http2` or `http3`
/// directive, or a `quic` listen (1.25.0).
fn http2_directive_known(config: &Config) -> bool {
    config.walk().any(|id| {
        let d = config.get(id);
        d.is("http2")
            || d.is("http3")
            || d.is("quic_bpf")
            || d.is("quic_retry")
            || (d.is("listen") && Listen::parse(d).is_some_and(|l| l.quic))
    })
}

/// NGX030: `listen ... http2` where nginx has `http2 on;`.
fn deprecated_listen_http2(ctx: &Ctx<'_>, lookup: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    if !http2_directive_known(config) {
        return;
    }
    for server in config.servers() {
        let has_directive = lookup
            .effective(Some(server), "http2")
            .ok()
            .flatten()
            .is_some();
        for (id, _) in listens(config, server) {
            let Some(arg) = flag_arg(config.get(id), &["http2"]) else {
                continue;
            };
            let mut edits: Vec<Edit> = placement::remove_arg(ctx, id, arg).into_iter().collect();
            if !has_directive {
                edits.extend(placement::before(
                    ctx,
                    id,
                    &placement::flat(&["http2 on;"]),
                    false,
                ));
            }
            let complete = edits.len() == if has_directive { 1 } else { 2 };
            if let Some(d) = ctx.report_arg(
                out,
                "NGX030",
                id,
                arg,
                "`listen ... http2` is deprecated (nginx 1.25.1): write `http2 on;` in the server instead",
            ) {
                d.fix = complete.then(|| fix("Use `http2 on;`", edits, true));
            }
        }
    }
}

// ----- NGX053 -----

/// NGX053: a TLS default server rejecting handshakes, with HTTP/2, and no `return 421`.
fn http2_misdirected_request(ctx: &Ctx<'_>, lookup: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for server in config.servers() {
        if !reject_handshake(lookup, server) || config.has_unresolved_include(Some(server)) {
            continue;
        }
        let listens = listens(config, server);
        if !listens.iter().any(|(_, l)| l.default_server) {
            continue;
        }
        let http2 = listens.iter().any(|(_, l)| l.http2) || lookup.on(server, "http2");
        if !http2 {
            continue;
        }
        let root_locations: Vec<DirId> = config
            .locations(server)
            .filter(|&l| {
                pattern(config.get(l))
                    .is_some_and(|p| p.uri == "/" && p.modifier != Modifier::Named)
            })
            .collect();
        // a server-level return answers before any location
        let has_421 = match config.first(Some(server), "return") {
            Some(r) => return_code(config, r) == Some(421),
            None => root_locations.iter().any(|&l| {
                config
                    .direct(Some(l), "return")
                    .any(|r| return_code(config, r) == Some(421))
            }),
        };
        if has_421 {
            continue;
        }
        let edit = if let Some(r) = config.first(Some(server), "return") {
            // a server-level return answers first: make it the 421
            config
                .get(r)
                .args
                .first()
                .filter(|_| config.is_local(r))
                .map(|a| Edit::replace(a.range, "421"))
        } else if let Some(&root) = root_locations
            .iter()
            .find(|&&l| pattern(config.get(l)).is_some_and(|p| p.modifier == Modifier::Prefix))
        {
            placement::into_block(ctx, root, &placement::flat(&["return 421;"]))
        } else {
            placement::into_block(
                ctx,
                server,
                &[
                    (0, "location / {".to_owned()),
                    (1, "return 421;".to_owned()),
                    (0, "}".to_owned()),
                ],
            )
        };
        if let Some(d) = ctx.report(
            out,
            "NGX053",
            server,
            "This TLS default server rejects handshakes but may still get HTTP/2 requests for \
             other names on a reused connection: add `location / { return 421; }`",
        ) {
            d.fix = edit.map(|e| fix("Return 421 Misdirected Request", vec![e], true));
        }
    }
}

#[cfg(test)]
mod tests;
