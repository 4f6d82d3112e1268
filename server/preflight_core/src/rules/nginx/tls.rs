//! TLS: protocols, ciphers, curves, HSTS, OCSP stapling and the deprecated `ssl on;`.

use rustc_hash::FxHashSet as HashSet;

use crate::diagnostic::Severity::{Error, Information, Warning};
use crate::diagnostic::{Diagnostic, Edit};
use crate::nginx::listen::listens;
use crate::nginx::model::DirId;
use crate::nginx::values::flag;
use crate::rules::RuleMeta;

use super::ciphers::{self, MOZILLA_INTERMEDIATE, Verdict};
use super::lookup::Lookup;
use super::placement::{self, fix};
use super::servers::{dedup_from, is_tls, reject_handshake};
use super::{Ctx, Reach};

pub static RULES: [RuleMeta; 7] = [
    RuleMeta {
        code: "NGX009",
        name: "old-tls-protocols",
        severity: Error,
        summary: "TLS servers accept SSLv3, TLS 1.0 or TLS 1.1",
        django: None,
        gixy: Some("weak_ssl_tls"),
        docs: "SSLv3, TLS 1.0 and TLS 1.1 are broken or deprecated (POODLE, BEAST; RFC 8996) and \
no current browser needs them. A client forced down to them exposes the session cookie and \
CSRF token Django relies on. Reported at `ssl_protocols` values that include them, and (as a \
warning) at TLS servers without any `ssl_protocols` in effect: nginx's default depends on \
its version, and older releases such as the 1.22 of Debian 12 enable TLS 1.0 and 1.1 (as \
does the `ssl_protocols` line of Debian's and Ubuntu's stock `nginx.conf`).\n\n\
**Fix:** `ssl_protocols TLSv1.2 TLSv1.3;` (Mozilla intermediate). The quick-fix drops the old \
protocols, or adds the line to the `http` block of a main config (to the server in a site \
file).",
    },
    RuleMeta {
        code: "NGX010",
        name: "weak-ciphers",
        severity: Error,
        summary: "`ssl_ciphers` allows weak or non-AEAD cipher suites",
        django: None,
        gixy: Some("weak_ssl_tls"),
        docs: "RC4, 3DES, NULL, export and anonymous suites are broken; CBC suites and suites \
without forward secrecy (`HIGH`, nginx's default `HIGH:!aNULL:!MD5`, `AES256+EECDH`) are \
what Mozilla's intermediate profile leaves out. Reported at an `ssl_ciphers` value that \
enables any of them (skipped when only TLS 1.3 is enabled, which `ssl_ciphers` does not \
affect), at one that names only TLS 1.3 suites (OpenSSL then matches nothing and nginx does \
not start), as a warning at TLS servers without `ssl_ciphers` in effect, and as information \
at `ssl_prefer_server_ciphers on` (with an all-AEAD list, let clients that lack AES \
hardware pick ChaCha20; Mozilla recommends `off`).\n\n\
**Fix:** the Mozilla intermediate list:\n\n\
```nginx\nssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305;\nssl_prefer_server_ciphers off;\n```",
    },
    RuleMeta {
        code: "NGX015",
        name: "missing-hsts",
        severity: Warning,
        summary: "A TLS server sends no Strict-Transport-Security header, or a weak one",
        django: None,
        gixy: Some("hsts_header"),
        docs: "Without HSTS a browser tries `http://` first whenever the user types the domain, \
and an attacker on the network can keep it on plain HTTP (SSL stripping) and read the \
session cookie. Reported at TLS servers whose `add_header`s in effect (a server with any \
`add_header` of its own drops the `http` block's) have no `Strict-Transport-Security`, at a \
`max-age` under six months (15768000 seconds), and, as information, at one without `always` \
(then error responses go without it). Servers that reject the handshake or answer `444` \
send no headers and are skipped; `more_set_headers` and `security_headers on` count. \
Django's `SECURE_HSTS_SECONDS` sends the header for the responses Django makes, not for \
the files nginx serves; this rule does not see the settings.\n\n\
**Fix:** in the server (the quick-fix, which also repeats the `add_header`s the server would \
stop inheriting):\n\n\
```nginx\nadd_header Strict-Transport-Security \"max-age=63072000; includeSubDomains\" always;\n```\n\n\
Review it before applying: browsers remember HSTS for `max-age` seconds, and \
`includeSubDomains` covers every subdomain.",
    },
    RuleMeta {
        code: "NGX031",
        name: "ocsp-stapling-letsencrypt",
        severity: Information,
        summary: "OCSP stapling is on for a Let's Encrypt certificate",
        django: None,
        gixy: Some("ssl_stapling_letsencrypt"),
        docs: "Let's Encrypt stopped putting OCSP URLs in its certificates in 2025 and shut its \
OCSP responders down on 2025-08-06. `ssl_stapling on` for such a certificate staples nothing \
and only adds a warning at startup.\n\n**Fix:** `ssl_stapling off;` (the quick-fix) or remove \
the `ssl_stapling*` lines for this server.",
    },
    RuleMeta {
        code: "NGX034",
        name: "ssl-on",
        severity: Information,
        summary: "`ssl on;` is deprecated and gone since nginx 1.25.1",
        django: None,
        gixy: None,
        docs: "`ssl on;` was deprecated in nginx 1.15.0 and removed in 1.25.1: a newer nginx \
refuses to start with it. It also makes every `listen` of the server TLS, including a port \
80 one.\n\n**Fix:** add `ssl` to the server's `listen` directives and remove `ssl on;` (the \
quick-fix, for a server-level `ssl`).",
    },
    RuleMeta {
        code: "NGX035",
        name: "ssl-stapling-no-resolver",
        severity: Information,
        summary: "OCSP stapling is on but no resolver is set",
        django: None,
        gixy: Some("ssl_stapling_without_resolver"),
        docs: "To staple, nginx must resolve the OCSP responder's host name, which needs a \
`resolver` in the server or above. Without one, stapling silently fails and clients query \
the CA themselves (slower, and a privacy leak).\n\n**Fix:** add a local `resolver` (e.g. \
`resolver 127.0.0.1;`, or `127.0.0.53` with systemd-resolved) to the server or `http`, or \
turn stapling off. The quick-fix adds `resolver 127.0.0.1;` (review the address).",
    },
    RuleMeta {
        code: "NGX060",
        name: "ssl-ecdh-curve",
        severity: Error,
        summary: "`ssl_ecdh_curve` names a post-quantum group old OpenSSL rejects",
        django: None,
        gixy: Some("ssl_ecdh_curve"),
        docs: "nginx hands `ssl_ecdh_curve` to OpenSSL, which rejects the whole list when it \
does not know one group, and nginx then does not start. Post-quantum groups \
(`X25519MLKEM768`, `SecP256r1MLKEM768`, the `X25519Kyber768` drafts) need OpenSSL 3.5; \
Debian 12, Ubuntu 24.04 and RHEL 9 ship 3.0 to 3.2.\n\n\
**Fix:** on OpenSSL 3.5 or later keep them; otherwise drop them (the quick-fix, leaving \
`X25519:prime256v1:secp384r1` when nothing else remains). With OpenSSL 3.3 or later, a `?` \
prefix (`?X25519MLKEM768`) makes OpenSSL skip a group it does not know (offered as an \
alternative; OpenSSL 3.0 rejects the `?` itself).",
    },
];

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let from = out.len();
    let lookup = ctx.lookup();
    if ctx.runs(Reach::Server) {
        old_protocols(ctx, out);
        weak_ciphers(ctx, lookup, out);
        prefer_server_ciphers(ctx, lookup, out);
        missing_protocols_and_ciphers(ctx, lookup, out);
        ssl_on(ctx, out);
        ecdh_curve(ctx, out);
    }
    // under both reaches: a header or setting in a server is judged with it, one outside by
    // all servers
    missing_hsts(ctx, lookup, out);
    stapling(ctx, lookup, out);
    dedup_from(out, from);
}

const INSECURE: &[&str] = &["SSLv2", "SSLv3", "TLSv1", "TLSv1.1"];

fn insecure(protocol: &str) -> bool {
    INSECURE.iter().any(|p| p.eq_ignore_ascii_case(protocol))
}

/// The TLS servers of the config.
fn tls_servers(lookup: &Lookup<'_>) -> Vec<DirId> {
    lookup
        .config
        .servers()
        .filter(|&s| is_tls(lookup, s))
        .collect()
}

/// A `flag` directive in effect in `block` that is on.
fn effective_on(lookup: &Lookup<'_>, block: DirId, name: &'static str) -> Option<DirId> {
    lookup
        .effective(Some(block), name)
        .ok()
        .flatten()
        .filter(|&d| lookup.config.get(d).arg(0).and_then(flag) == Some(true))
}

// ----- NGX009 -----

/// NGX009: `ssl_protocols` with SSLv3, TLS 1.0 or 1.1.
fn old_protocols(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in config.walk() {
        let d = config.get(id);
        if !d.is("ssl_protocols") {
            continue;
        }
        let Some(first_bad) = d.args.iter().position(|a| insecure(&a.value)) else {
            continue;
        };
        let old: Vec<&str> = d.values().filter(|p| insecure(p)).collect();
        let mut kept: Vec<&str> = d.values().filter(|p| !insecure(p)).collect();
        if kept.is_empty() {
            kept = vec!["TLSv1.2", "TLSv1.3"];
        }
        let statement = format!("ssl_protocols {};", kept.join(" "));
        let message = format!(
            "`ssl_protocols` enables {}: use `ssl_protocols TLSv1.2 TLSv1.3;`",
            old.join(", ")
        );
        let fix = ctx.replace_directive(id, &statement, "Enable only TLS 1.2 and 1.3");
        if let Some(diagnostic) = ctx.report_arg(out, "NGX009", id, first_bad, message) {
            diagnostic.fix = fix;
        }
    }
}

// ----- NGX010 -----

/// Whether only TLS 1.3 is enabled in `block` (then `ssl_ciphers` does not matter).
fn tls13_only(lookup: &Lookup<'_>, block: Option<DirId>) -> bool {
    let Ok(Some(protocols)) = lookup.effective(block, "ssl_protocols") else {
        return false;
    };
    let d = lookup.config.get(protocols);
    !d.args.is_empty() && d.values().all(|p| p.eq_ignore_ascii_case("TLSv1.3"))
}

/// NGX010: `ssl_ciphers` with weak or non-AEAD suites.
fn weak_ciphers(ctx: &Ctx<'_>, lookup: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in config.walk() {
        let d = config.get(id);
        if !d.is("ssl_ciphers") || tls13_only(lookup, d.parent) {
            continue;
        }
        let Some(list) = d.arg(0) else { continue };
        let (message, safe) = match ciphers::assess(list) {
            Verdict::Strong => continue,
            Verdict::Weak(families) => (
                format!(
                    "`ssl_ciphers` lets weak suites through ({}): use the Mozilla intermediate list",
                    families.join(", ")
                ),
                true,
            ),
            Verdict::NotAead(commands) => (
                format!(
                    "`{}` in `ssl_ciphers` adds suites without AEAD or forward secrecy: use the \
                     Mozilla intermediate list",
                    commands.join(":")
                ),
                false,
            ),
            Verdict::NoTls12Cipher => (
                "`ssl_ciphers` names only TLS 1.3 suites, which it does not set: OpenSSL matches \
                 no cipher and nginx does not start; use the Mozilla intermediate list"
                    .to_owned(),
                true,
            ),
        };
        let fix = ctx
            .replace_arg(
                id,
                0,
                MOZILLA_INTERMEDIATE,
                "Use the Mozilla intermediate ciphers",
            )
            .map(|mut f| {
                f.safe = safe;
                f
            });
        if let Some(diagnostic) = ctx.report_arg(out, "NGX010", id, 0, message) {
            diagnostic.fix = fix;
        }
    }
}

/// NGX010 (information): `ssl_prefer_server_ciphers on` without `PrioritizeChaCha`.
fn prefer_server_ciphers(ctx: &Ctx<'_>, lookup: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in config.walk() {
        let d = config.get(id);
        if !d.is("ssl_prefer_server_ciphers") || d.arg(0).and_then(flag) != Some(true) {
            continue;
        }
        let chacha = lookup.chain(d.parent, "ssl_conf_command").iter().any(|&c| {
            let c = config.get(c);
            c.arg(0) == Some("Options")
                && c.arg(1)
                    .is_some_and(|o| o.split(',').any(|o| o.trim() == "PrioritizeChaCha"))
        });
        if chacha {
            continue;
        }
        let fix = ctx.replace_arg(id, 0, "off", "Let clients choose the cipher");
        if let Some(diagnostic) = ctx.report_arg(
            out,
            "NGX010",
            id,
            0,
            "`ssl_prefer_server_ciphers on` keeps clients without AES hardware from choosing \
             ChaCha20: set it `off` (Mozilla intermediate)",
        ) {
            diagnostic.severity = Information;
            diagnostic.fix = fix;
        }
    }
}

/// NGX009/NGX010 (warnings): TLS servers with nginx's default protocols or ciphers.
fn missing_protocols_and_ciphers(ctx: &Ctx<'_>, lookup: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for server in tls_servers(lookup) {
        let block = placement::setting_block(ctx, server);
        let in_http = block != server;
        if lookup.effective(Some(server), "ssl_protocols") == Ok(None) {
            let message = "No `ssl_protocols` for this TLS server: nginx's default (or that of \
                           Debian's nginx.conf) may enable TLS 1.0 and 1.1; set \
                           `ssl_protocols TLSv1.2 TLSv1.3;`";
            let edit = placement::into_block(
                ctx,
                block,
                &placement::flat(&["ssl_protocols TLSv1.2 TLSv1.3;"]),
            );
            if let Some(d) = ctx.report(out, "NGX009", server, message) {
                d.severity = Warning;
                d.fix = edit.map(|e| {
                    fix(
                        if in_http {
                            "Add `ssl_protocols TLSv1.2 TLSv1.3;` to the http block"
                        } else {
                            "Add `ssl_protocols TLSv1.2 TLSv1.3;`"
                        },
                        vec![e],
                        true,
                    )
                });
            }
        }
        if !tls13_only(lookup, Some(server))
            && lookup.effective(Some(server), "ssl_ciphers") == Ok(None)
        {
            let message = "No `ssl_ciphers` for this TLS server: nginx's default \
                           `HIGH:!aNULL:!MD5` includes CBC suites without forward secrecy; set \
                           the Mozilla intermediate list";
            let statement = format!("ssl_ciphers {MOZILLA_INTERMEDIATE};");
            let edit = placement::into_block(ctx, block, &placement::flat(&[&statement]));
            if let Some(d) = ctx.report(out, "NGX010", server, message) {
                d.severity = Warning;
                d.fix = edit.map(|e| fix("Add the Mozilla intermediate ciphers", vec![e], false));
            }
        }
    }
}

// ----- NGX015 -----

const HSTS: &str = "Strict-Transport-Security";
const HSTS_VALUE: &str = "\"max-age=63072000; includeSubDomains\"";
const SIX_MONTHS: u64 = 15_768_000;

/// Whether a headers-more or security-headers module sends HSTS for the server.
fn hsts_by_module(lookup: &Lookup<'_>, server: DirId) -> bool {
    let config = lookup.config;
    lookup.on(server, "security_headers")
        || lookup
            .chain(Some(server), "more_set_headers")
            .iter()
            .any(|&d| {
                config
                    .get(d)
                    .values()
                    .filter(|v| !v.starts_with('-'))
                    .any(|v| {
                        v.split(':')
                            .next()
                            .is_some_and(|name| name.trim().eq_ignore_ascii_case(HSTS))
                    })
            })
}

/// The `max-age` of an HSTS value.
fn max_age(value: &str) -> Option<u64> {
    value.split(';').find_map(|part| {
        let (key, v) = part.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("max-age")
            .then(|| v.trim().trim_matches('"').parse().ok())
            .flatten()
    })
}

/// NGX015: TLS servers without HSTS, or with a weak one.
fn missing_hsts(ctx: &Ctx<'_>, lookup: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    let is_hsts = |h: DirId| {
        config
            .get(h)
            .arg(0)
            .is_some_and(|name| name.eq_ignore_ascii_case(HSTS))
    };
    // outside the servers, only a header some TLS server sends is judged
    if !ctx.runs(Reach::Server)
        && !ctx
            .owned()
            .any(|d| config.get(d).is("add_header") && is_hsts(d))
    {
        return;
    }
    let mut seen = HashSet::default();
    for server in tls_servers(lookup) {
        let silent = config
            .first(Some(server), "return")
            .is_some_and(|r| config.get(r).arg(0) == Some("444"));
        if reject_handshake(lookup, server) || silent || hsts_by_module(lookup, server) {
            continue;
        }
        let Ok(inherited) = lookup.effective_array(Some(server), "add_header") else {
            continue;
        };
        // an unreadable include next to the add_headers in effect may add HSTS
        let unknown = config
            .scope_chain(Some(server))
            .into_iter()
            .take_while(|&level| level != inherited.level)
            .chain([inherited.level])
            .any(|level| lookup.unresolved(level));
        if unknown {
            continue;
        }
        let hsts = inherited.directives.iter().copied().find(|&h| is_hsts(h));
        let Some(hsts) = hsts else {
            if ctx.owns(server) {
                report_missing_hsts(ctx, out, server, &inherited.directives, inherited.level);
            }
            continue;
        };
        if !ctx.owns(hsts) || !seen.insert(hsts) {
            continue;
        }
        let d = config.get(hsts);
        let Some(value) = d.arg(1) else { continue };
        if let Some(age) = max_age(value).filter(|&a| a < SIX_MONTHS) {
            let message = format!(
                "HSTS `max-age={age}` is under six months: use `max-age=63072000` (two years)"
            );
            let fix = ctx
                .replace_arg(
                    hsts,
                    1,
                    &format!("\"{}\"", with_max_age(value, 63_072_000)),
                    "Set max-age to two years",
                )
                .map(|mut f| {
                    f.safe = false;
                    f
                });
            if let Some(diagnostic) = ctx.report_arg(out, "NGX015", hsts, 1, message) {
                diagnostic.fix = fix;
            }
        }
        if !d.values().skip(2).any(|v| v == "always") {
            let fix = placement::append_arg(ctx, hsts, "always")
                .map(|e| fix("Send HSTS on every response", vec![e], true));
            if let Some(diagnostic) = ctx.report(
                out,
                "NGX015",
                hsts,
                "HSTS without `always` is not sent with error responses: add `always`",
            ) {
                diagnostic.severity = Information;
                diagnostic.fix = fix;
            }
        }
    }
}

fn with_max_age(value: &str, age: u64) -> String {
    value
        .split(';')
        .map(|part| {
            let trimmed = part.trim();
            if trimmed.to_ascii_lowercase().starts_with("max-age") {
                let lead = &part[..part.len() - part.trim_start().len()];
                format!("{lead}max-age={age}")
            } else {
                part.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn report_missing_hsts(
    ctx: &Ctx<'_>,
    out: &mut Vec<Diagnostic>,
    server: DirId,
    inherited: &[DirId],
    level: Option<DirId>,
) {
    let config = ctx.config;
    // an add_header in the server drops the inherited ones: repeat them
    let mut lines = vec![format!("add_header {HSTS} {HSTS_VALUE} always;")];
    if level != Some(server) {
        for &h in inherited {
            let d = config.get(h);
            let text = &config.files[d.file].text;
            let Some(statement) = text.get(d.range.start..d.range.end) else {
                return;
            };
            lines.push(statement.to_owned());
        }
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let edit = placement::into_block(ctx, server, &placement::flat(&refs));
    let message = if level != Some(server) && !inherited.is_empty() {
        "This TLS server sends no Strict-Transport-Security header: add \
         `add_header Strict-Transport-Security \"max-age=63072000; includeSubDomains\" always;` \
         (and repeat the inherited add_headers here)"
    } else {
        "This TLS server sends no Strict-Transport-Security header: add \
         `add_header Strict-Transport-Security \"max-age=63072000; includeSubDomains\" always;`"
    };
    if let Some(d) = ctx.report(out, "NGX015", server, message) {
        d.fix = edit.map(|e| fix("Add an HSTS header", vec![e], false));
    }
}

// ----- NGX031, NGX035 -----

/// A certificate issued by Let's Encrypt, by certbot's layout.
fn letsencrypt(path: &str) -> bool {
    path.starts_with("/etc/letsencrypt/") || path.contains("/letsencrypt/live/")
}

/// NGX031 and NGX035: OCSP stapling that cannot work.
fn stapling(ctx: &Ctx<'_>, lookup: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    // outside the servers, only a setting some TLS server inherits is judged
    let on = |d: DirId| {
        config.get(d).is("ssl_stapling") && config.get(d).arg(0).and_then(flag) == Some(true)
    };
    if !ctx.runs(Reach::Server) && !ctx.owned().any(on) {
        return;
    }
    let mut seen = HashSet::default();
    for server in config.servers() {
        let tls = listens(config, server).iter().any(|(_, l)| l.tls())
            || super::servers::ssl_on(lookup, server);
        if !tls {
            continue;
        }
        let Some(stapling) = effective_on(lookup, server, "ssl_stapling").filter(|&s| ctx.owns(s))
        else {
            continue;
        };
        let mut certificates: Vec<DirId> = lookup
            .effective_array(Some(server), "ssl_certificate")
            .map(|i| i.directives)
            .unwrap_or_default();
        certificates.extend(
            lookup
                .effective(Some(server), "ssl_trusted_certificate")
                .ok()
                .flatten(),
        );
        let le = certificates
            .iter()
            .flat_map(|&c| config.get(c).values())
            .find(|p| letsencrypt(p));
        let own = config.get(stapling).parent == Some(server);
        let off = || {
            if own {
                ctx.replace_arg(stapling, 0, "off", "Turn OCSP stapling off")
            } else {
                placement::into_block(ctx, server, &placement::flat(&["ssl_stapling off;"]))
                    .map(|e| fix("Turn OCSP stapling off for this server", vec![e], true))
            }
        };
        if let Some(path) = le.filter(|_| seen.insert(("NGX031", stapling))) {
            let message = format!(
                "OCSP stapling for the Let's Encrypt certificate `{path}` staples nothing \
                 (Let's Encrypt has no OCSP responder since 2025-08-06): turn it off"
            );
            let fix = off();
            if let Some(d) = ctx.report(out, "NGX031", stapling, message) {
                d.fix = fix;
            }
        }
        if lookup.effective(Some(server), "resolver") == Ok(None)
            && seen.insert(("NGX035", stapling))
        {
            let edit = if own {
                placement::before(
                    ctx,
                    stapling,
                    &placement::flat(&["resolver 127.0.0.1;"]),
                    false,
                )
            } else {
                placement::into_block(ctx, server, &placement::flat(&["resolver 127.0.0.1;"]))
            };
            if let Some(d) = ctx.report(
                out,
                "NGX035",
                stapling,
                "OCSP stapling needs a `resolver` to reach the CA's responder and none is set: \
                 add a local one (e.g. `resolver 127.0.0.1;`) or turn stapling off",
            ) {
                d.fix = edit.map(|e| fix("Add `resolver 127.0.0.1;`", vec![e], false));
            }
        }
    }
}

// ----- NGX034 -----

/// NGX034: the `ssl` directive.
fn ssl_on(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in config.walk() {
        let d = config.get(id);
        if !d.is("ssl") || d.body.is_some() {
            continue;
        }
        let on = d.arg(0).and_then(flag) == Some(true);
        let server = d.parent.filter(|&p| config.get(p).is("server"));
        let edits: Option<Vec<Edit>> = if on {
            server.and_then(|s| {
                let listens = listens(config, s);
                let mut edits = Vec::new();
                if listens.is_empty() || config.direct(Some(s), "listen").count() != listens.len() {
                    return None;
                }
                for (l, listen) in listens {
                    if !listen.tls() {
                        edits.push(placement::append_arg(ctx, l, "ssl")?);
                    }
                }
                edits.push(placement::remove(ctx, id)?);
                Some(edits)
            })
        } else {
            placement::remove(ctx, id).map(|e| vec![e])
        };
        let message = if on {
            "`ssl on;` is deprecated and nginx 1.25.1 refuses it: add `ssl` to the server's \
             `listen` directives instead"
        } else {
            "The `ssl` directive is deprecated and nginx 1.25.1 refuses it: remove it"
        };
        if let Some(diagnostic) = ctx.report(out, "NGX034", id, message) {
            diagnostic.fix = edits.map(|e| {
                fix(
                    if on {
                        "Use `listen ... ssl`"
                    } else {
                        "Remove `ssl off;`"
                    },
                    e,
                    true,
                )
            });
        }
    }
}

// ----- NGX060 -----

fn post_quantum(group: &str) -> bool {
    let upper = group.to_ascii_uppercase();
    !group.starts_with('?') && (upper.contains("MLKEM") || upper.contains("KYBER"))
}

/// NGX060: post-quantum groups without `?` in `ssl_ecdh_curve`.
fn ecdh_curve(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in config.walk() {
        let d = config.get(id);
        if !d.is("ssl_ecdh_curve") {
            continue;
        }
        let Some(list) = d.arg(0) else { continue };
        let groups: Vec<&str> = list.split(':').filter(|g| !g.is_empty()).collect();
        let risky: Vec<&str> = groups.iter().copied().filter(|g| post_quantum(g)).collect();
        if risky.is_empty() {
            continue;
        }
        let kept: Vec<&str> = groups
            .iter()
            .copied()
            .filter(|g| !post_quantum(g))
            .collect();
        let dropped = if kept.is_empty() {
            "X25519:prime256v1:secp384r1".to_owned()
        } else {
            kept.join(":")
        };
        let tolerant: Vec<String> = groups
            .iter()
            .map(|g| {
                if post_quantum(g) {
                    format!("?{g}")
                } else {
                    (*g).to_owned()
                }
            })
            .collect();
        let message = format!(
            "{} needs OpenSSL 3.5 or later: on older OpenSSL nginx does not start; drop it (or \
             prefix it with `?` on OpenSSL 3.3 or later)",
            risky.join(", ")
        );
        let primary = ctx.replace_arg(id, 0, &dropped, "Drop the post-quantum groups");
        let alternative = ctx.replace_arg(
            id,
            0,
            &tolerant.join(":"),
            "Let OpenSSL skip unknown groups (`?`, OpenSSL 3.3 or later)",
        );
        if let Some(diagnostic) = ctx.report_arg(out, "NGX060", id, 0, message) {
            diagnostic.fix = primary.map(|mut f| {
                f.safe = false;
                f
            });
            diagnostic.alternatives = alternative
                .map(|mut f| {
                    f.safe = false;
                    f
                })
                .into_iter()
                .collect();
        }
    }
}

#[cfg(test)]
mod tests;
