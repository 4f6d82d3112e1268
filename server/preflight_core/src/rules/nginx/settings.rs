//! Server-wide settings: version disclosure, body size and timeouts, logging, header names,
//! DNS resolvers, keep-alive, worker limits and QUIC.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::diagnostic::Diagnostic;
use crate::diagnostic::Severity::{Error, Hint, Information, Warning};
use crate::nginx::listen::{Listen, listens};
use crate::nginx::model::{Config, Context, DirId};
use crate::nginx::values::{flag, size, time_ms};
use crate::rules::RuleMeta;

use super::app::{app_locations, app_pass};
use super::lookup::Lookup;
use super::placement::{self, fix};
use super::servers::{dedup_from, serves_app};
use super::{Ctx, Reach};

pub static RULES: [RuleMeta; 9] = [
    RuleMeta {
        code: "NGX020",
        name: "server-tokens-on",
        severity: Warning,
        summary: "nginx announces its version (`server_tokens` on or unset)",
        django: None,
        gixy: Some("version_disclosure"),
        docs: "With `server_tokens on` (the default) or `build`, nginx puts its version in the \
`Server` header and on its error pages, which tells a scanner which known vulnerabilities to \
try. Reported at `server_tokens on|build`, and at each server without `server_tokens` in \
effect: in a main config when the `http` block does not set it, in a site file when \
neither the file nor the server does (Debian's and Ubuntu's `nginx.conf` leave it \
commented out).\n\n**Fix:** `server_tokens off;` in the `http` block (the quick-fix, in a \
main config) or in each server (in a site file).",
    },
    RuleMeta {
        code: "NGX023",
        name: "client-max-body-size",
        severity: Warning,
        summary: "`client_max_body_size` is unlimited, or unset for the app",
        django: None,
        gixy: None,
        docs: "`client_max_body_size 0` lets any client stream an unlimited body to gunicorn \
(Django's `DATA_UPLOAD_MAX_MEMORY_SIZE` only limits what it reads into memory, not file \
uploads): a warning. Unset, nginx's default of 1 MB rejects larger uploads with a 413 \
before Django sees them, which is safe but often breaks file fields: a hint, once per \
server that proxies to the app.\n\n**Fix:** set a limit that matches what the app accepts, \
e.g. `client_max_body_size 25m;` (compare Django's `DATA_UPLOAD_MAX_MEMORY_SIZE` and \
`FILE_UPLOAD_MAX_MEMORY_SIZE`).",
    },
    RuleMeta {
        code: "NGX028",
        name: "timeouts-too-long",
        severity: Information,
        summary: "Client timeouts are at nginx's long defaults or longer",
        django: None,
        gixy: None,
        docs: "`client_header_timeout`, `client_body_timeout` and `send_timeout` default to 60 \
seconds: a slow client (slowloris) holds a connection that long between two packets. \
Reported at values over 60 seconds, at `keepalive_timeout` 0 (keep-alive off) or over 75 \
seconds, and once per server that proxies to the app when any of the three is unset (CIS \
NGINX Benchmark 2.4.3, 5.2.1).\n\n**Fix:** `client_body_timeout 15s; client_header_timeout \
15s; send_timeout 15s;` (the quick-fix adds the unset ones to the `http` block of a main \
config, to the server in a site file). Large uploads over slow links need a longer \
`client_body_timeout`: it limits the gap between two reads, not the whole upload.",
    },
    RuleMeta {
        code: "NGX044",
        name: "error-log-off",
        severity: Warning,
        summary: "`error_log off` writes the error log to a file named `off`",
        django: None,
        gixy: Some("error_log_off"),
        docs: "`error_log` has no `off`: nginx logs to a file called `off` in its prefix \
directory, where nobody looks, and the errors that explain a failing deployment (upstream \
timeouts from gunicorn, permission problems on the socket) are lost.\n\n**Fix:** a real \
path, e.g. `error_log /var/log/nginx/error.log;` (the quick-fix), or `error_log /dev/null \
crit;` to really discard them.",
    },
    RuleMeta {
        code: "NGX045",
        name: "underscores-in-headers",
        severity: Hint,
        summary: "`underscores_in_headers on` lets clients send headers that collide in Django's META",
        django: None,
        gixy: None,
        docs: "WSGI turns a header name into a `request.META` key by upper-casing it and \
replacing `-` with `_`, so `X-Forwarded-For` and `X_Forwarded_For` both become \
`HTTP_X_FORWARDED_FOR`. nginx drops header names with underscores by default; with \
`underscores_in_headers on` a client's `X_Forwarded_For` (or `X_Forwarded_Proto`) reaches \
gunicorn next to the one nginx sets, and which one Django sees depends on the server. \
Anything that trusts these headers (`SECURE_PROXY_SSL_HEADER`, rate limiting by client IP) \
can be fooled.\n\n**Fix:** `underscores_in_headers off;` (the default; review clients that \
send such headers).",
    },
    RuleMeta {
        code: "NGX046",
        name: "resolver-external",
        severity: Error,
        summary: "`resolver` uses a public DNS server",
        django: None,
        gixy: Some("resolver_external"),
        docs: "nginx's resolver has no protection against spoofed answers beyond a random \
query id: with a public DNS server across the internet an attacker can poison its cache and \
have nginx proxy requests (and their cookies) to a host of their choice. Reported at the \
first public address of `resolver` (anything but loopback, private and link-local \
addresses, single-label names and names under `.internal`, `.local`, `.lan` and the like).\n\n\
**Fix:** a resolver on the host or in the private network, e.g. `resolver 127.0.0.53;` \
(systemd-resolved) or `resolver 127.0.0.11;` (Docker). The quick-fix puts in \
`127.0.0.1` (review the address).",
    },
    RuleMeta {
        code: "NGX055",
        name: "low-keepalive-requests",
        severity: Information,
        summary: "`keepalive_requests` is under 1000",
        django: None,
        gixy: Some("low_keepalive_requests"),
        docs: "After `keepalive_requests` requests nginx closes a keep-alive connection. \
Below 1000 (nginx's default since 1.19.10), busy HTTP/1.1 and HTTP/2 clients reconnect \
often, and an upstream `keepalive` pool to gunicorn churns.\n\n**Fix:** \
`keepalive_requests 1000;` (the quick-fix) or more.",
    },
    RuleMeta {
        code: "NGX058",
        name: "quic-bpf-reuseport",
        severity: Error,
        summary: "`quic_bpf on` with a `reuseport` QUIC listener can drop connections on reload",
        django: None,
        gixy: Some("quic_bpf_reuseport"),
        docs: "With `quic_bpf on`, several worker processes and a `listen ... quic reuseport`, \
nginx before 1.31.7 can keep stale BPF maps after `nginx -s reload` and drop QUIC (HTTP/3) \
connections (nginx/nginx#425).\n\n**Fix:** upgrade to nginx 1.31.7 or a build with the fix, \
or set `quic_bpf off;` (the quick-fix; review: QUIC connection migration then relies on the \
kernel's socket choice).",
    },
    RuleMeta {
        code: "NGX063",
        name: "worker-rlimit-nofile",
        severity: Warning,
        summary: "`worker_rlimit_nofile` is unset or below twice `worker_connections`",
        django: None,
        gixy: Some("worker_rlimit_nofile_vs_connections"),
        docs: "A proxied request takes two file descriptors per worker (client and upstream \
connection), so each worker needs at least twice `worker_connections`. Below that (or at \
the system's default limit, often 1024, when `worker_rlimit_nofile` is unset), nginx fails \
with `Too many open files` under load.\n\n**Fix:** `worker_rlimit_nofile` of at least twice \
`worker_connections` in the main context (the quick-fix).",
    },
];

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let from = out.len();
    let lookup = ctx.lookup();
    if ctx.runs(Reach::Server) {
        server_tokens(ctx, lookup, out);
        client_max_body_size(ctx, lookup, out);
        timeouts(ctx, lookup, out);
        error_log_off(ctx, out);
        underscores_in_headers(ctx, out);
        resolver_external(ctx, out);
        keepalive_requests(ctx, out);
        worker_rlimit_nofile(ctx, out);
    }
    if ctx.runs(Reach::Config) {
        quic_bpf_reuseport(ctx, out);
    }
    dedup_from(out, from);
}

/// The servers whose settings this file decides: those of a main config's `http` block, or
/// of a site file.
fn settled_servers(config: &Config) -> Vec<DirId> {
    match config.root {
        Context::Main => config
            .servers()
            .filter(|&s| config.enclosing(s, "http").is_some())
            .collect(),
        Context::Http => config.servers().collect(),
        _ => Vec::new(),
    }
}

/// The directives named `name` anywhere in the config.
fn all<'a>(config: &'a Config, name: &'a str) -> impl Iterator<Item = DirId> + 'a {
    config.walk().filter(move |&id| config.get(id).is(name))
}

// ----- NGX020 -----

/// NGX020: `server_tokens on|build`, or unset.
fn server_tokens(ctx: &Ctx<'_>, lookup: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in all(config, "server_tokens") {
        let Some(value) = config.get(id).arg(0) else {
            continue;
        };
        if !(value.eq_ignore_ascii_case("on") || value.eq_ignore_ascii_case("build")) {
            continue;
        }
        let fix = ctx.replace_arg(id, 0, "off", "Set `server_tokens off`");
        let message =
            format!("`server_tokens {value}` puts nginx's version in every response: set it `off`");
        if let Some(d) = ctx.report_arg(out, "NGX020", id, 0, message) {
            d.fix = fix;
        }
    }
    for server in settled_servers(config) {
        if lookup.effective(Some(server), "server_tokens") != Ok(None) {
            continue;
        }
        let block = placement::setting_block(ctx, server);
        let edit = placement::into_block(ctx, block, &placement::flat(&["server_tokens off;"]));
        let message = if block == server {
            "`server_tokens` is not set for this server: nginx sends its version (the default \
             is `on`); add `server_tokens off;`"
        } else {
            "`server_tokens` is not set for this server: nginx sends its version (the default \
             is `on`); add `server_tokens off;` to the http block"
        };
        if let Some(d) = ctx.report(out, "NGX020", server, message) {
            d.fix = edit.map(|e| fix("Add `server_tokens off;`", vec![e], true));
        }
    }
}

// ----- NGX023 -----

/// The blocks where requests reach the app in a server: its app locations, or the server.
fn app_blocks(config: &Config, server: DirId) -> Vec<DirId> {
    let mut blocks = app_locations(config, server);
    if app_pass(config, server).is_some() {
        blocks.push(server);
    }
    blocks
}

/// NGX023: `client_max_body_size 0`, or unset where the app is.
fn client_max_body_size(ctx: &Ctx<'_>, lookup: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in all(config, "client_max_body_size") {
        if config.get(id).arg(0).and_then(size) != Some(0) {
            continue;
        }
        let fix = ctx
            .replace_arg(id, 0, "25m", "Limit request bodies to 25 MB")
            .map(|mut f| {
                f.safe = false;
                f
            });
        if let Some(d) = ctx.report_arg(
            out,
            "NGX023",
            id,
            0,
            "`client_max_body_size 0` accepts request bodies of any size: set the largest \
             upload the app accepts, e.g. `25m`",
        ) {
            d.fix = fix;
        }
    }
    for server in settled_servers(config) {
        if !serves_app(config, server) {
            continue;
        }
        let unset = app_blocks(config, server)
            .into_iter()
            .any(|b| lookup.effective(Some(b), "client_max_body_size") == Ok(None));
        if !unset {
            continue;
        }
        let edit = placement::into_block(
            ctx,
            server,
            &placement::flat(&["client_max_body_size 25m;"]),
        );
        if let Some(d) = ctx.report(
            out,
            "NGX023",
            server,
            "`client_max_body_size` is not set where this server proxies to Django: uploads \
             over nginx's 1 MB default fail with 413; set the app's limit, e.g. `25m`",
        ) {
            d.severity = Hint;
            d.fix = edit.map(|e| fix("Set `client_max_body_size 25m;`", vec![e], false));
        }
    }
}

// ----- NGX028 -----

const CLIENT_TIMEOUTS: &[&str] = &[
    "client_body_timeout",
    "client_header_timeout",
    "send_timeout",
];

/// NGX028: client timeouts over 60s (or unset where the app is), keep-alive off or over 75s.
fn timeouts(ctx: &Ctx<'_>, lookup: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in config.walk() {
        let d = config.get(id);
        let Some(ms) = d.arg(0).and_then(time_ms) else {
            continue;
        };
        let (message, replacement) = if CLIENT_TIMEOUTS.contains(&d.name()) && ms > 60_000 {
            (
                format!(
                    "`{} {}` lets a slow client hold a connection that long between two \
                     packets: use `15s`",
                    d.name(),
                    d.arg(0).unwrap_or_default()
                ),
                "15s",
            )
        } else if d.is("keepalive_timeout") && ms == 0 {
            (
                "`keepalive_timeout 0` turns keep-alive off: every request opens a new \
                 connection (and TLS handshake); use nginx's default `75s`"
                    .to_owned(),
                "75s",
            )
        } else if d.is("keepalive_timeout") && ms > 75_000 {
            (
                format!(
                    "`keepalive_timeout {}` keeps idle connections open longer than nginx's \
                     default: use `75s` or less",
                    d.arg(0).unwrap_or_default()
                ),
                "75s",
            )
        } else {
            continue;
        };
        let fix = ctx
            .replace_arg(id, 0, replacement, &format!("Use `{replacement}`"))
            .map(|mut f| {
                f.safe = false;
                f
            });
        if let Some(diagnostic) = ctx.report_arg(out, "NGX028", id, 0, message) {
            diagnostic.fix = fix;
        }
    }
    for server in settled_servers(config) {
        if !serves_app(config, server) {
            continue;
        }
        let unset: Vec<&str> = CLIENT_TIMEOUTS
            .iter()
            .copied()
            .filter(|name| lookup.effective(Some(server), name) == Ok(None))
            .collect();
        if unset.is_empty() {
            continue;
        }
        let statements: Vec<String> = unset.iter().map(|n| format!("{n} 15s;")).collect();
        let refs: Vec<&str> = statements.iter().map(String::as_str).collect();
        let block = placement::setting_block(ctx, server);
        let edit = placement::into_block(ctx, block, &placement::flat(&refs));
        let names: Vec<String> = unset.iter().map(|n| format!("`{n}`")).collect();
        let message = format!(
            "{} {} unset (60s): slow clients hold connections that long; set {} 15s",
            names.join(", "),
            if unset.len() == 1 { "is" } else { "are" },
            if unset.len() == 1 { "it to" } else { "them to" },
        );
        if let Some(d) = ctx.report(out, "NGX028", server, message) {
            d.fix = edit.map(|e| fix("Set client timeouts to 15s", vec![e], false));
        }
    }
}

// ----- NGX044, NGX045 -----

/// NGX044: `error_log off`.
fn error_log_off(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in all(config, "error_log") {
        if config.get(id).arg(0) != Some("off") {
            continue;
        }
        let primary = ctx
            .replace_arg(
                id,
                0,
                "/var/log/nginx/error.log",
                "Log to /var/log/nginx/error.log",
            )
            .map(|mut f| {
                f.safe = false;
                f
            });
        let discard = ctx
            .replace_arg(id, 0, "/dev/null", "Discard the error log (/dev/null)")
            .map(|mut f| {
                f.safe = false;
                f
            });
        if let Some(d) = ctx.report_arg(
            out,
            "NGX044",
            id,
            0,
            "`error_log off` logs to a file named `off`: give a path such as \
             `/var/log/nginx/error.log` (or `/dev/null` to discard errors)",
        ) {
            d.fix = primary;
            d.alternatives = discard.into_iter().collect();
        }
    }
}

/// NGX045: `underscores_in_headers on`.
fn underscores_in_headers(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in all(config, "underscores_in_headers") {
        if config.get(id).arg(0).and_then(flag) != Some(true) {
            continue;
        }
        let fix = ctx
            .replace_arg(id, 0, "off", "Drop header names with underscores")
            .map(|mut f| {
                f.safe = false;
                f
            });
        if let Some(d) = ctx.report_arg(
            out,
            "NGX045",
            id,
            0,
            "With `underscores_in_headers on`, a client's `X_Forwarded_For` reaches Django as \
             the same META key as nginx's `X-Forwarded-For`: set it `off`",
        ) {
            d.fix = fix;
        }
    }
}

// ----- NGX046 -----

/// Host-name suffixes of private networks.
const LOCAL_SUFFIXES: &[&str] = &[
    ".intranet",
    ".internal",
    ".private",
    ".corp",
    ".home",
    ".lan",
    ".local",
    ".localhost",
];

fn local_v4(ip: Ipv4Addr) -> bool {
    ip.is_loopback() || ip.is_private() || ip.is_link_local()
}

fn local_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
}

/// Whether a `resolver` address (`1.2.3.4`, `1.2.3.4:53`, `[::1]:53`, `::1`, a name) is on
/// the host or in a private network.
fn local_nameserver(address: &str) -> bool {
    let lower = address.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix('[') {
        return rest
            .split_once(']')
            .and_then(|(ip, _)| ip.parse::<Ipv6Addr>().ok())
            .is_some_and(local_v6);
    }
    if let Ok(ip) = lower.parse::<IpAddr>() {
        return match ip {
            IpAddr::V4(v4) => local_v4(v4),
            IpAddr::V6(v6) => local_v6(v6),
        };
    }
    let host = lower.rsplit_once(':').map_or(lower.as_str(), |(h, _)| h);
    if let Ok(v4) = host.parse::<Ipv4Addr>() {
        return local_v4(v4);
    }
    // a name: single-label names (Docker services, `localhost`) and private suffixes
    host == "localhost" || !host.contains('.') || LOCAL_SUFFIXES.iter().any(|s| host.ends_with(s))
}

/// NGX046: `resolver` with a public address.
fn resolver_external(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in all(config, "resolver") {
        let d = config.get(id);
        let addresses: Vec<(usize, &str)> = d
            .values()
            .enumerate()
            .filter(|(_, v)| !v.contains('='))
            .collect();
        let external: Vec<(usize, &str)> = addresses
            .iter()
            .copied()
            .filter(|(_, a)| !local_nameserver(a))
            .collect();
        let Some(&(first, _)) = external.first() else {
            continue;
        };
        let mut kept: Vec<&str> = addresses
            .iter()
            .filter(|(_, a)| local_nameserver(a))
            .map(|(_, a)| *a)
            .collect();
        if kept.is_empty() {
            kept.push("127.0.0.1");
        }
        kept.extend(d.values().filter(|v| v.contains('=')));
        let statement = format!("resolver {};", kept.join(" "));
        let fix = ctx
            .replace_directive(id, &statement, "Use a local resolver")
            .map(|mut f| {
                f.safe = false;
                f
            });
        let names: Vec<&str> = external.iter().map(|(_, a)| *a).collect();
        let message = format!(
            "`resolver` uses public DNS ({}): spoofed answers can poison nginx's cache; use a \
             resolver on the host or the private network",
            names.join(", ")
        );
        if let Some(diagnostic) = ctx.report_arg(out, "NGX046", id, first, message) {
            diagnostic.fix = fix;
        }
    }
}

// ----- NGX055 -----

/// NGX055: `keepalive_requests` under 1000.
fn keepalive_requests(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in all(config, "keepalive_requests") {
        let Some(n) = config.get(id).arg(0).and_then(|v| v.parse::<u64>().ok()) else {
            continue;
        };
        if n >= 1000 {
            continue;
        }
        let fix = ctx.replace_arg(id, 0, "1000", "Set `keepalive_requests 1000`");
        let message = format!(
            "`keepalive_requests {n}` closes keep-alive connections early: use 1000 (nginx's \
             default) or more"
        );
        if let Some(d) = ctx.report_arg(out, "NGX055", id, 0, message) {
            d.fix = fix;
        }
    }
}

// ----- NGX058 -----

/// NGX058: `quic_bpf on`, several workers, and a `quic reuseport` listener.
fn quic_bpf_reuseport(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    if config.root != Context::Main {
        return;
    }
    let Some(quic_bpf) = config
        .direct(None, "quic_bpf")
        .last()
        .filter(|&q| config.get(q).arg(0).and_then(flag) == Some(true))
    else {
        return;
    };
    let several_workers = config
        .direct(None, "worker_processes")
        .last()
        .and_then(|w| config.get(w).arg(0))
        .is_some_and(|n| n != "1");
    if !several_workers {
        return;
    }
    let listener = config.servers().any(|s| {
        listens(config, s)
            .iter()
            .any(|(_, l): &(DirId, Listen)| l.quic && l.reuseport)
    });
    if !listener {
        return;
    }
    let fix = ctx
        .replace_arg(quic_bpf, 0, "off", "Set `quic_bpf off`")
        .map(|mut f| {
            f.safe = false;
            f
        });
    if let Some(d) = ctx.report(
        out,
        "NGX058",
        quic_bpf,
        "`quic_bpf on` with several workers and a `quic reuseport` listener drops QUIC \
         connections after a reload on nginx before 1.31.7: upgrade or set `quic_bpf off`",
    ) {
        d.fix = fix;
    }
}

// ----- NGX063 -----

/// NGX063: `worker_rlimit_nofile` unset or under twice `worker_connections`.
fn worker_rlimit_nofile(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in all(config, "worker_connections") {
        let Some(connections) = config.get(id).arg(0).and_then(|v| v.parse::<u64>().ok()) else {
            continue;
        };
        let wanted = connections.saturating_mul(2);
        let found = config
            .ancestors(id)
            .map(Some)
            .chain([None])
            .find_map(|scope| config.direct(scope, "worker_rlimit_nofile").last());
        match found {
            Some(limit) => {
                let Some(n) = config.get(limit).arg(0).and_then(|v| v.parse::<u64>().ok()) else {
                    continue;
                };
                if n >= wanted {
                    continue;
                }
                let fix = ctx.replace_arg(
                    limit,
                    0,
                    &wanted.to_string(),
                    &format!("Set `worker_rlimit_nofile {wanted}`"),
                );
                let message = format!(
                    "`worker_rlimit_nofile {n}` is under twice `worker_connections \
                     {connections}`: a proxied request needs two descriptors; set it to \
                     {wanted} or more"
                );
                if let Some(d) = ctx.report(out, "NGX063", id, message) {
                    d.fix = fix;
                }
            }
            None => {
                if config
                    .ancestors(id)
                    .any(|a| config.has_unresolved_include(Some(a)))
                    || config.has_unresolved_include(None)
                {
                    continue;
                }
                let top = config.ancestors(id).last().unwrap_or(id);
                let statement = format!("worker_rlimit_nofile {wanted};");
                let edit = placement::before(ctx, top, &placement::flat(&[&statement]), false);
                let message = format!(
                    "`worker_rlimit_nofile` is not set: with `worker_connections {connections}` \
                     the system's open-file limit (often 1024) may run out; set \
                     `worker_rlimit_nofile {wanted};` in the main context"
                );
                if let Some(d) = ctx.report(out, "NGX063", id, message) {
                    d.fix = edit.map(|e| fix("Add `worker_rlimit_nofile`", vec![e], true));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
