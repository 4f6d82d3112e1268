//! Whom gunicorn trusts and who can reach it: forwarded headers (GUN001), the PROXY protocol
//! (GUN012), relaxed HTTP parsing (GUN013), the socket's permissions (GUN014), root workers
//! (GUN015) and secrets in `raw_env` (GUN019).

use super::context::{Ctx, is_on};
use super::fixes;
use crate::diagnostic::{Diagnostic, Related};
use crate::gunicorn::bind::Bind;
use crate::python::{LiteralKind, Tri, Value};

/// G1: `forwarded_allow_ips = "*"` when the bind is not public TCP (STK014 covers public).
pub(super) fn forwarded_allow_all(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(binding) = ctx.config.setting("forwarded_allow_ips") else {
        return;
    };
    if !ctx.config.allows_any_peer("forwarded_allow_ips").is_yes()
        || ctx.config.binds_publicly() == Tri::Yes
    {
        return;
    }
    let binds = ctx.config.binds();
    let only_unix =
        binds.is_some_and(|b| !b.is_empty() && b.iter().all(|a| matches!(a.bind, Bind::Unix(_))));
    let why = if only_unix {
        "it does nothing while gunicorn binds only unix sockets (their peers are always trusted), but any TCP bind added later trusts every client"
    } else if binds.is_some() {
        "any local process (or a proxy that passes client headers through) can spoof the scheme and the client address"
    } else {
        "if gunicorn is reachable from the network, any client can spoof the scheme and the client address"
    };
    let mut d = ctx.at_setting(
        "GUN001",
        "forwarded_allow_ips",
        binding,
        format!("`forwarded_allow_ips = \"*\"` trusts X-Forwarded-Proto and X-Forwarded-For from every peer: {why}; list the proxy's address instead"),
    );
    d.fix = ctx.replace_fix(
        "Restrict to the proxy: `forwarded_allow_ips = \"127.0.0.1,::1\"`".into(),
        binding,
        "\"127.0.0.1,::1\"",
        false,
    );
    out.push(d);
}

/// G12.
pub(super) fn proxy_protocol_any(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(binding) = ctx.config.setting("proxy_allow_ips") else {
        return;
    };
    if !ctx.config.allows_any_peer("proxy_allow_ips").is_yes() {
        return;
    }
    let enabled = ctx
        .config
        .value("proxy_protocol")
        .map_or(Tri::Unknown, |v| {
            v.map_tri(|v| match v {
                Value::Bool(b) => Tri::from_bool(*b),
                Value::None => Tri::No,
                Value::Str(s) => Tri::from_bool(!matches!(
                    s.trim().to_lowercase().as_str(),
                    "off" | "false" | "0" | "none"
                )),
                _ => Tri::Unknown,
            })
        });
    if !enabled.is_yes() {
        return;
    }
    let mut d = ctx.at_setting(
        "GUN012",
        "proxy_allow_ips",
        binding,
        "PROXY protocol is on and `proxy_allow_ips = \"*\"` accepts its header from any peer: any client can claim any address; restrict it to the load balancer's address".into(),
    );
    if let Some(pp) = ctx.config.setting("proxy_protocol") {
        d.related.push(Related {
            path: pp.cause().path.to_path_buf(),
            range: pp.cause().focus,
            message: "proxy_protocol is turned on here".into(),
        });
    }
    out.push(d);
}

/// G13.
pub(super) fn unsafe_http_parsing(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for name in [
        "strip_header_spaces",
        "permit_obsolete_folding",
        "permit_unconventional_http_method",
        "permit_unconventional_http_version",
        "casefold_http_method",
    ] {
        if let Some((binding, value)) = ctx.set(name)
            && is_on(value).is_yes()
        {
            let mut d = ctx.at_setting(
                "GUN013",
                name,
                binding,
                format!("`{name} = True` relaxes HTTP parsing, which invites request smuggling through the proxy; leave it off"),
            );
            d.fix = ctx.remove_fix(name, binding, "request-smuggling risk", false);
            out.push(d);
        }
    }
    if let Some((binding, value)) = ctx.set("header_map")
        && value
            .map_tri(|v| {
                Tri::from_bool(
                    v.as_str()
                        .is_some_and(|s| s.trim().eq_ignore_ascii_case("dangerous")),
                )
            })
            .is_yes()
    {
        let mut d = ctx.at_setting(
            "GUN013",
            "header_map",
            binding,
            "`header_map = \"dangerous\"` maps `X-Forwarded_For` and `X-Forwarded-For` to the same variable, which lets clients smuggle headers past the proxy; keep \"drop\"".into(),
        );
        d.fix = ctx.remove_fix("header_map", binding, "request-smuggling risk", false);
        out.push(d);
    }
}

/// G14.
pub(super) fn socket_umask(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(binds) = ctx.config.binds() else {
        return;
    };
    let Some(unix) = binds.iter().find(|b| matches!(b.bind, Bind::Unix(_))) else {
        return;
    };
    if ctx.config.int("umask") != Some(0) {
        return;
    }
    let Some(bind) = ctx.config.setting("bind") else {
        return;
    };
    let range = unix
        .range
        .filter(|_| !bind.is_imported())
        .unwrap_or(bind.site.focus);
    let mut d = ctx.diagnostic(
        "GUN014",
        range,
        format!("gunicorn creates `{}` with umask 0, so any local user can connect to the application around nginx; set `umask = 0o007` and give nginx's user gunicorn's group", unix.text),
    );
    let edit = match ctx.config.setting("umask") {
        Some(umask) => fixes::replace_value(ctx.text, umask, "0o007"),
        None => fixes::insert_after(ctx.text, bind, "umask = 0o007"),
    };
    d.fix = edit.map(|e| fixes::fix("Set `umask = 0o007`", vec![e], false));
    out.push(d);
}

/// G15.
pub(super) fn root_user(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for name in ["user", "group"] {
        let Some((binding, value)) = ctx.set(name) else {
            continue;
        };
        let root = value.map_tri(|v| {
            Tri::from_bool(match v {
                Value::Int(0) | Value::Bool(false) => true,
                Value::Str(s) => s == "root" || (!s.is_empty() && s.bytes().all(|b| b == b'0')),
                _ => false,
            })
        });
        if root.is_yes() {
            out.push(ctx.at_setting(
                "GUN015",
                name,
                binding,
                format!("`{name}` makes the workers run as root: any code execution in the application owns the machine; run them as an unprivileged account (e.g. www-data)"),
            ));
        }
    }
}

/// G18 (second half): `raw_env` entries that hold literal secrets.
pub(super) fn raw_env_secrets(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some((binding, value)) = ctx.set("raw_env") else {
        return;
    };
    let items: Vec<Value> = match value {
        Value::Str(_) => vec![value.clone()],
        Value::List(v) | Value::Tuple(v) => v.clone(),
        _ => return,
    };
    let literal = binding
        .literal
        .as_ref()
        .filter(|_| !binding.is_imported() && !binding.mutated);
    for (i, item) in items.iter().enumerate() {
        let Value::Str(entry) = item else { continue };
        let Some((var, secret)) = entry.split_once('=') else {
            continue;
        };
        let secret = secret.trim();
        if !crate::redact::is_secret_name(var.trim())
            || secret.is_empty()
            || secret.starts_with('$')
        {
            continue;
        }
        let range = literal
            .and_then(|l| match l.kind {
                LiteralKind::Str => Some(l.range),
                LiteralKind::List | LiteralKind::Tuple => l.elements.get(i).copied(),
                _ => None,
            })
            .unwrap_or(binding.site.focus);
        let mut d = ctx.diagnostic(
            "GUN019",
            range,
            format!("`raw_env` sets {} to a literal secret in the config file: load it from the environment or a secrets manager instead", var.trim()),
        );
        if let Some(origin) = &binding.origin {
            d.related.push(Related {
                path: origin.path.to_path_buf(),
                range: origin.focus,
                message: "raw_env is set here".into(),
            });
        }
        out.push(d);
    }
}
