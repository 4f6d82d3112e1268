//! Which hosts reach Django: ALLOWED_HOSTS against the app servers' `server_name` (STK007),
//! and `"*"` without a catch-all default server in nginx (STK008).

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Edit, Fix, Related};
use crate::nginx::listen::{Socket, listens, sockets};
use crate::nginx::model::{Config, DirId};
use crate::rules::nginx::stack_support::{guards_host, names, serves_app};
use crate::stack::hosts::{
    NginxName, django_accepts, django_covers_some_of, is_internal, nginx_accepts,
};
use crate::stack::{Deployment, SettingsLayer};

use super::{NginxSide, diagnostic, nginx_related, setting_related};

/// The servers of a config that pass requests to the app.
fn app_servers(config: &Config) -> Vec<DirId> {
    config
        .servers()
        .filter(|&s| serves_app(config, s))
        .collect()
}

/// The names of a server, parsed.
fn server_names(config: &Config, server: DirId) -> Vec<NginxName> {
    names(config, server)
        .iter()
        .map(|n| NginxName::parse(n))
        .collect()
}

/// Whether a server answers for hosts nobody else claims: `default_server`, or only
/// placeholder names.
fn takes_any_host(config: &Config, server: DirId) -> bool {
    listens(config, server)
        .iter()
        .any(|(_, l)| l.default_server)
        || server_names(config, server)
            .iter()
            .all(|n| *n == NginxName::Placeholder)
}

/// Related information at a server's `server_name` (or its head).
fn server_related(config: &Config, server: DirId, message: &str) -> Related {
    let at = config.first(Some(server), "server_name").unwrap_or(server);
    nginx_related(config, at, message.to_owned())
}

pub(super) fn check_settings(
    deployment: &Deployment,
    layer: &SettingsLayer,
    out: &mut Vec<Diagnostic>,
) {
    let Some(allowed) = layer.allowed_hosts() else {
        return;
    };
    if allowed.iter().any(|h| h == "*") {
        no_host_validation(deployment, layer, &allowed, out);
    } else {
        names_django_rejects(deployment, layer, &allowed, out);
    }
}

pub(super) fn check_nginx(side: &NginxSide<'_>, out: &mut Vec<Diagnostic>) {
    for layer in &side.deployment.settings {
        let Some(allowed) = layer.allowed_hosts() else {
            continue;
        };
        if !allowed.iter().any(|h| h == "*") {
            names_nginx_lacks(side, layer, &allowed, out);
        }
    }
}

// ----- STK007 -----

/// STK007 (settings): names the app servers serve that ALLOWED_HOSTS rejects.
fn names_django_rejects(
    deployment: &Deployment,
    layer: &SettingsLayer,
    allowed: &[String],
    out: &mut Vec<Diagnostic>,
) {
    let mut missing: Vec<String> = Vec::new();
    let mut related = Vec::new();
    for nginx in &deployment.nginx {
        let config = &nginx.config;
        for server in app_servers(config) {
            let mut here = false;
            for name in server_names(config, server) {
                let entry = match &name {
                    NginxName::Exact(h) if !is_internal(h) && !django_accepts(allowed, h) => {
                        Some(h.clone())
                    }
                    NginxName::Subdomains(d) | NginxName::DomainAndSubdomains(d)
                        if !django_covers_some_of(allowed, d) =>
                    {
                        name.as_django()
                    }
                    _ => None,
                };
                if let Some(entry) = entry {
                    here = true;
                    if !missing.contains(&entry) {
                        missing.push(entry);
                    }
                }
            }
            if here {
                related.push(server_related(
                    config,
                    server,
                    "nginx passes requests for these names to Django",
                ));
            }
        }
    }
    if missing.is_empty() {
        return;
    }
    let view = layer.view();
    let (range, mut all_related) = view.anchor(&["ALLOWED_HOSTS"]);
    all_related.extend(related);
    let list = missing.join(", ");
    let message = format!(
        "nginx passes requests for {list} to Django, but ALLOWED_HOSTS does not accept \
         {}: those requests get 400 Bad Request",
        if missing.len() == 1 { "it" } else { "them" }
    );
    let items: Vec<String> = missing
        .iter()
        .map(|m| view.quoted("ALLOWED_HOSTS", m))
        .collect();
    let fix = view.append_elements_fix(
        "ALLOWED_HOSTS",
        &items,
        format!("Add {list} to ALLOWED_HOSTS"),
    );
    let mut d = diagnostic("STK007", &layer.path, range, message, all_related);
    d.fix = fix;
    out.push(d);
}

/// STK007 (nginx): public names ALLOWED_HOSTS accepts that no app server serves.
fn names_nginx_lacks(
    side: &NginxSide<'_>,
    layer: &SettingsLayer,
    allowed: &[String],
    out: &mut Vec<Diagnostic>,
) {
    let config = side.config();
    let local: Vec<DirId> = app_servers(config);
    let Some(&first) = local
        .iter()
        .find(|&&s| config.first(Some(s), "server_name").is_some())
    else {
        return;
    };
    // every app server of the deployment, and whether one takes any host anyway
    let mut all_names: Vec<NginxName> = Vec::new();
    for nginx in &side.deployment.nginx {
        let c = &nginx.config;
        for server in app_servers(c) {
            if takes_any_host(c, server) || c.has_unresolved_include(Some(server)) {
                return;
            }
            all_names.extend(server_names(c, server));
        }
    }
    let missing: Vec<&String> = allowed
        .iter()
        .filter(|e| !is_internal(e))
        .filter(|e| match e.strip_prefix('.') {
            Some(domain) => !all_names.iter().any(|n| match n {
                NginxName::Exact(h) => h == domain || h.ends_with(&format!(".{domain}")),
                NginxName::Subdomains(d) | NginxName::DomainAndSubdomains(d) => {
                    d == domain || d.ends_with(&format!(".{domain}"))
                }
                other => other.matches(domain).unwrap_or(true),
            }),
            None => !nginx_accepts(&all_names, &e.to_ascii_lowercase()),
        })
        .collect();
    if missing.is_empty() {
        return;
    }
    let Some(server_name) = config.first(Some(first), "server_name") else {
        return;
    };
    let list: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
    let message = format!(
        "ALLOWED_HOSTS accepts {}, but no server that proxies to Django serves {}: requests \
         for {} never reach the app",
        list.join(", "),
        if list.len() == 1 { "it" } else { "them" },
        if list.len() == 1 { "it" } else { "them" },
    );
    let related = vec![setting_related(
        layer,
        "ALLOWED_HOSTS",
        "Django accepts these hosts".to_owned(),
    )];
    let fix = append_names(side, server_name, &list);
    if let Some(d) = side.report(out, "STK007", server_name, message, related) {
        d.fix = fix;
    }
}

/// Appends names to a `server_name` of the analysed file (not applied automatically).
fn append_names(side: &NginxSide<'_>, server_name: DirId, names: &[&str]) -> Option<Fix> {
    let config = side.config();
    if !config.is_local(server_name) {
        return None;
    }
    let d = config.get(server_name);
    let end = d.args.last().map_or(d.name.range.end, |a| a.range.end);
    let text: String = names.iter().map(|n| format!(" {n}")).collect();
    Some(Fix {
        title: format!("Add {} to `server_name`", names.join(" ")),
        edits: vec![Edit::insert(end, text)],
        safe: false,
    })
}

// ----- STK008 -----

/// The default server of each socket of a config: the explicit `default_server`, else the
/// first server on it (`explicit`: whether a `default_server` says so). Computed once per
/// config: configs may hold thousands of servers.
fn default_servers(config: &Config) -> HashMap<Socket, (DirId, bool)> {
    let mut out: HashMap<Socket, (DirId, bool)> = HashMap::new();
    for server in config.servers() {
        for l in sockets(config, server) {
            match out.get(&l.socket) {
                Some((_, true)) => {}
                Some((_, false)) if !l.default_server => {}
                _ => {
                    out.insert(l.socket, (server, l.default_server));
                }
            }
        }
    }
    out
}

/// Whether requests with an unknown Host on `socket` reach Django: the socket's default server
/// passes requests to the app without checking the host. `None` when the config has no server
/// on the socket (with `explicit_only`: no explicit `default_server` for it).
fn unknown_hosts_reach_app(
    config: &Config,
    defaults: &HashMap<Socket, (DirId, bool)>,
    socket: &Socket,
    explicit_only: bool,
) -> Option<bool> {
    let &(server, explicit) = defaults.get(socket)?;
    if explicit_only && !explicit {
        return None;
    }
    Some(serves_app(config, server) && !guards_host(config, server))
}

/// STK008: `"*"` in ALLOWED_HOSTS while some socket of an app server has no catch-all default.
fn no_host_validation(
    deployment: &Deployment,
    layer: &SettingsLayer,
    allowed: &[String],
    out: &mut Vec<Diagnostic>,
) {
    let mut unguarded: Vec<Related> = Vec::new();
    let mut names_served: Vec<String> = Vec::new();
    let mut any_app = false;
    let defaults: Vec<HashMap<Socket, (DirId, bool)>> = deployment
        .nginx
        .iter()
        .map(|n| default_servers(&n.config))
        .collect();
    for (i, nginx) in deployment.nginx.iter().enumerate() {
        let config = &nginx.config;
        let servers_unknown = config
            .servers()
            .any(|s| config.has_unresolved_include(config.get(s).parent));
        for server in app_servers(config) {
            any_app = true;
            if servers_unknown || config.has_unresolved_include(Some(server)) {
                return;
            }
            for name in server_names(config, server) {
                if let Some(entry) = name.as_django()
                    && !names_served.contains(&entry)
                {
                    names_served.push(entry);
                }
            }
            for l in sockets(config, server) {
                // an explicit default server in another file (Debian's sites-enabled/default)
                let elsewhere = deployment.nginx.iter().enumerate().any(|(j, other)| {
                    j != i
                        && unknown_hosts_reach_app(&other.config, &defaults[j], &l.socket, true)
                            == Some(false)
                });
                let explicit_here =
                    unknown_hosts_reach_app(config, &defaults[i], &l.socket, true).is_some();
                let reach = unknown_hosts_reach_app(config, &defaults[i], &l.socket, false)
                    == Some(true)
                    && (explicit_here || !elsewhere);
                if reach {
                    unguarded.push(server_related(
                        config,
                        server,
                        &format!(
                            "requests with any Host on `listen {}` reach Django through this \
                             server (it is the default server there)",
                            l.socket
                        ),
                    ));
                    break;
                }
            }
        }
    }
    if !any_app || unguarded.is_empty() {
        return;
    }
    let view = layer.view();
    let (range, mut related) = view.anchor(&["ALLOWED_HOSTS"]);
    related.extend(unguarded);
    let message = "ALLOWED_HOSTS accepts any host (\"*\") and nginx has no catch-all default \
                   server that rejects unknown hosts: nothing validates the Host header, so \
                   password reset links and cached pages can point at any domain"
        .to_owned();
    let star = allowed.iter().position(|h| h == "*");
    let fix = star.and_then(|i| {
        let items: Vec<String> = names_served
            .iter()
            .map(|n| view.quoted("ALLOWED_HOSTS", n))
            .collect();
        view.replace_element_fix(
            "ALLOWED_HOSTS",
            i,
            allowed.len(),
            &items,
            format!(
                "Replace \"*\" with the names nginx serves ({})",
                names_served.join(", ")
            ),
        )
    });
    let mut d = diagnostic("STK008", &layer.path, range, message, related);
    d.fix = fix;
    out.push(d);
}
