//! What Django trusts from nginx: the scheme header (STK001, STK002) and the forwarded host
//! (STK009).

use crate::diagnostic::{Diagnostic, Related};
use crate::nginx::model::{Config, DirId};
use crate::python::Tri;
use crate::rules::nginx::Lookup;
use crate::rules::nginx::stack_support::{
    Piece, add_header_fix, is_client_builtin, pieces, proxied_locations,
};
use crate::stack::settings::meta_name;
use crate::stack::{Deployment, SettingsLayer};

use super::{NginxSide, diagnostic, nginx_related, setting_related};

const HEADER: &str = "proxy_set_header";

/// The `proxy_set_header` of `name` among `set` (the last one wins in nginx).
fn find_header(config: &Config, set: &[DirId], name: &str) -> Option<DirId> {
    set.iter().rev().copied().find(|&d| {
        config
            .get(d)
            .arg(0)
            .is_some_and(|h| h.eq_ignore_ascii_case(name))
    })
}

/// The client-controlled variable a header value takes, if any (`$http_host`, `$arg_x`).
fn client_variable(value: &str) -> Option<String> {
    pieces(value).iter().find_map(|p| match p {
        Piece::Var(name) if is_client_builtin(name) => Some((*name).to_owned()),
        _ => None,
    })
}

pub(super) fn check_nginx(side: &NginxSide<'_>, out: &mut Vec<Diagnostic>) {
    let app = app_locations(side);
    for layer in &side.deployment.settings {
        ssl_header_not_set(side, layer, &app, out);
        forwarded_host_unchecked(side, layer, &app, out);
    }
}

/// The locations that proxy to the app: every `proxy_pass` location, or only those that reach
/// gunicorn when the deployment tells (see [`super::gunicorn::gunicorn_locations`]).
fn app_locations(side: &NginxSide<'_>) -> Vec<(DirId, DirId)> {
    let all = proxied_locations(side.config());
    match super::gunicorn::gunicorn_locations(side) {
        Some(gunicorn) => all
            .into_iter()
            .filter(|(l, _)| gunicorn.contains(l))
            .collect(),
        None => all,
    }
}

pub(super) fn check_settings(
    deployment: &Deployment,
    layer: &SettingsLayer,
    out: &mut Vec<Diagnostic>,
) {
    ssl_header_missing(deployment, layer, out);
}

// ----- STK001 -----

/// STK001: an app location that does not set the header SECURE_PROXY_SSL_HEADER names.
fn ssl_header_not_set(
    side: &NginxSide<'_>,
    layer: &SettingsLayer,
    app: &[(DirId, DirId)],
    out: &mut Vec<Diagnostic>,
) {
    let Some(Some((header, expected))) = layer.proxy_ssl_header() else {
        return;
    };
    let config = side.config();
    let lookup = side.ctx.lookup();
    let variable = match expected.as_str() {
        "https" => Some("$scheme"),
        "on" => Some("$https"),
        _ => None,
    };
    for &(location, pass) in app {
        let Ok(set) = lookup.effective_array(config.get(pass).parent, HEADER) else {
            continue;
        };
        let related = || {
            vec![setting_related(
                layer,
                "SECURE_PROXY_SSL_HEADER",
                format!("SECURE_PROXY_SSL_HEADER trusts `{header}: {expected}` here"),
            )]
        };
        if let Some(d) = find_header(config, &set.directives, &header) {
            let Some(value) = config.get(d).arg(1) else {
                continue;
            };
            let Some(client) = client_variable(value) else {
                continue;
            };
            let message = format!(
                "`{header}` is `${client}`, a value the client chose, and \
                 SECURE_PROXY_SSL_HEADER makes Django trust it: any client can claim HTTPS"
            );
            let fix = variable.and_then(|v| side.ctx.replace_arg(d, 1, v, &format!("Use `{v}`")));
            if let Some(diag) = side.report_arg(out, "STK001", d, 1, message, related()) {
                diag.fix = fix;
            }
            continue;
        }
        // a level that drops an inherited header is NGX006's
        if let Some(level) = set.level {
            let inherited = lookup.effective_array(config.get(level).parent, HEADER);
            if inherited.is_ok_and(|i| find_header(config, &i.directives, &header).is_some()) {
                continue;
            }
        }
        let message = format!(
            "SECURE_PROXY_SSL_HEADER makes Django trust `{header}`, but this location proxies \
             to the app without setting it: a client's own `{header}: {expected}` reaches Django \
             (any request can claim HTTPS), and real HTTPS looks like HTTP"
        );
        let fix = variable.and_then(|v| {
            let line = format!("proxy_set_header {header} {v};");
            add_header_fix(side.ctx, location, &set, &line, &format!("Add `{line}`"))
        });
        if let Some(diag) = side.report(out, "STK001", location, message, related()) {
            diag.fix = fix;
        }
    }
}

// ----- STK002 -----

/// The first `proxy_set_header X-Forwarded-Proto $scheme` in effect at an app location of the
/// deployment's nginx files.
fn nginx_sets_proto(deployment: &Deployment) -> Option<Related> {
    for layer in &deployment.nginx {
        let config = &layer.config;
        let lookup = Lookup::new(config);
        for (_, pass) in proxied_locations(config) {
            let Ok(set) = lookup.effective_array(config.get(pass).parent, HEADER) else {
                continue;
            };
            if let Some(d) = find_header(config, &set.directives, "X-Forwarded-Proto")
                && config.get(d).arg(1).is_some_and(|v| v.contains("$scheme"))
            {
                return Some(nginx_related(
                    config,
                    d,
                    "nginx sends the scheme to Django here".to_owned(),
                ));
            }
        }
    }
    None
}

/// STK002: SECURE_SSL_REDIRECT on behind a proxy that sends the scheme, without
/// SECURE_PROXY_SSL_HEADER.
fn ssl_header_missing(deployment: &Deployment, layer: &SettingsLayer, out: &mut Vec<Diagnostic>) {
    if layer.flag("SECURE_SSL_REDIRECT") != Some(true) || layer.proxy_ssl_header() != Some(None) {
        return;
    }
    // without SecurityMiddleware nothing redirects (DJ001 says so)
    if layer.has_middleware("django.middleware.security.SecurityMiddleware") == Tri::No {
        return;
    }
    let Some(related) = nginx_sets_proto(deployment) else {
        return;
    };
    let view = layer.view();
    let (range, mut related_all) = view.anchor(&["SECURE_SSL_REDIRECT"]);
    related_all.push(related);
    let message = "SECURE_SSL_REDIRECT is on behind nginx, which terminates TLS and sends \
                   `X-Forwarded-Proto`, but SECURE_PROXY_SSL_HEADER is not set: Django sees \
                   every request as HTTP and redirects it again (a redirect loop)"
        .to_owned();
    let expr = format!("(\"{}\", \"https\")", meta_name("X-Forwarded-Proto"));
    let fix = view.set_fix(
        "SECURE_PROXY_SSL_HEADER",
        &expr,
        &["SECURE_SSL", "SECURE_"],
        false,
    );
    let mut d = diagnostic("STK002", &layer.path, range, message, related_all);
    d.fix = fix;
    out.push(d);
}

// ----- STK009 -----

/// STK009: USE_X_FORWARDED_HOST on while an app location forwards a client-chosen
/// X-Forwarded-Host.
fn forwarded_host_unchecked(
    side: &NginxSide<'_>,
    layer: &SettingsLayer,
    app: &[(DirId, DirId)],
    out: &mut Vec<Diagnostic>,
) {
    if layer.flag("USE_X_FORWARDED_HOST") != Some(true) {
        return;
    }
    let config = side.config();
    let lookup = side.ctx.lookup();
    let related = || {
        vec![setting_related(
            layer,
            "USE_X_FORWARDED_HOST",
            "USE_X_FORWARDED_HOST makes Django build URLs from X-Forwarded-Host".to_owned(),
        )]
    };
    for &(location, pass) in app {
        let Ok(set) = lookup.effective_array(config.get(pass).parent, HEADER) else {
            continue;
        };
        match find_header(config, &set.directives, "X-Forwarded-Host") {
            Some(d) => {
                let Some(client) = config.get(d).arg(1).and_then(client_variable) else {
                    continue;
                };
                let message = format!(
                    "`X-Forwarded-Host` is `${client}`, a value the client chose, and \
                     USE_X_FORWARDED_HOST = True makes Django build its absolute URLs (password \
                     reset links) from it: use `$host`"
                );
                let fix = side.ctx.replace_arg(d, 1, "$host", "Use `$host`");
                if let Some(diag) = side.report_arg(out, "STK009", d, 1, message, related()) {
                    diag.fix = fix;
                }
            }
            None => {
                let message = "USE_X_FORWARDED_HOST = True, but this location proxies to the \
                               app without setting `X-Forwarded-Host`: a client's own header \
                               reaches Django, which builds its absolute URLs (password reset \
                               links) from it"
                    .to_owned();
                let line = "proxy_set_header X-Forwarded-Host $host;";
                let fix = add_header_fix(side.ctx, location, &set, line, &format!("Add `{line}`"));
                if let Some(diag) = side.report(out, "STK009", location, message, related()) {
                    diag.fix = fix;
                }
            }
        }
    }
}
