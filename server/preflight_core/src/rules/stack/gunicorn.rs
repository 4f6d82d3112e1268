//! Where nginx meets gunicorn: the address (STK003, STK004), the timeout (STK011), buffering in
//! front of sync workers (STK012) and trusted forwarders (STK014).

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Edit, Fix, Related};
use crate::gunicorn::bind::is_loopback_host;
use crate::gunicorn::{Bind, BindAddress};
use crate::nginx::model::{Config, DirId};
use crate::nginx::values::{flag, time_ms};
use crate::python::Tri;
use crate::rules::nginx::app::app_pass;
use crate::rules::nginx::stack_support::buffering_fix;
use crate::stack::{Deployment, GunicornLayer};
use crate::text::TextRange;

use super::{NginxSide, diagnostic, nginx_related};

/// Where nginx sends the app's requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    Unix(String),
    Tcp { host: String, port: u16 },
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Unix(p) => write!(f, "unix:{p}"),
            Target::Tcp { host, port } if host.contains(':') => write!(f, "[{host}]:{port}"),
            Target::Tcp { host, port } => write!(f, "{host}:{port}"),
        }
    }
}

/// One app target: the location that passes, the directive naming the address (the pass, or
/// an upstream `server`), and the address.
#[derive(Debug, Clone)]
pub(super) struct AppTarget {
    pub location: DirId,
    pub pass: DirId,
    pub at: DirId,
    pub target: Target,
}

/// An address as nginx writes it (`unix:/p`, `host:port`, `host`, `[::1]:8000`).
fn parse_address(address: &str, default_port: u16) -> Option<Target> {
    if address.contains('$') {
        return None;
    }
    if let Some(path) = address.strip_prefix("unix:") {
        // `http://unix:/run/app.sock:/uri`: the path ends at the next colon
        let path = path.split(':').next().unwrap_or(path);
        return (!path.is_empty()).then(|| Target::Unix(path.to_owned()));
    }
    let (host, port) = if let Some(rest) = address.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().ok()?,
            None => default_port,
        };
        (host.to_owned(), port)
    } else {
        match address.rsplit_once(':') {
            Some((h, p)) => (h.to_owned(), p.parse().ok()?),
            None => (address.to_owned(), default_port),
        }
    };
    (!host.is_empty()).then(|| Target::Tcp {
        host: host.to_ascii_lowercase(),
        port,
    })
}

/// The app targets of a config; `None` when one cannot be known (a variable, an upstream
/// Preflight cannot see).
pub(super) fn app_targets(config: &Config) -> Option<Vec<AppTarget>> {
    use std::collections::HashMap;
    // looked up once: configs may hold thousands of locations
    let mut upstreams: HashMap<&str, DirId> = HashMap::new();
    let mut http_unresolved = config.has_unresolved_include(None);
    for id in config.walk() {
        let d = config.get(id);
        if d.is("upstream") && d.body.is_some() {
            if let Some(name) = d.arg(0) {
                upstreams.entry(name).or_insert(id);
            }
        } else if d.is("http") && config.has_unresolved_include(Some(id)) {
            http_unresolved = true;
        }
    }
    let mut out = Vec::new();
    let locations = config
        .walk()
        .filter(|&id| config.get(id).is("location") && config.get(id).body.is_some());
    for location in locations {
        let Some(pass) = app_pass(config, location) else {
            continue;
        };
        let target = config.get(pass).arg(0)?;
        let (scheme, rest) = match target.split_once("://") {
            Some((s, r)) => (s.to_ascii_lowercase(), r),
            None => (String::new(), target),
        };
        let default_port = if scheme == "https" { 443 } else { 80 };
        let address = if rest.starts_with("unix:") {
            rest
        } else {
            rest.split('/').next().unwrap_or(rest)
        };
        match upstreams.get(address) {
            Some(&u) => {
                for server in config.direct(Some(u), "server") {
                    let addr = config.get(server).arg(0)?;
                    out.push(AppTarget {
                        location,
                        pass,
                        at: server,
                        target: parse_address(addr, 80)?,
                    });
                }
            }
            None => {
                // a bare name may be an upstream defined where Preflight cannot see (an
                // unresolved include, or nginx.conf's conf.d when a site is checked alone)
                let bare = !address.contains([':', '.']) && !address.starts_with("unix:");
                if bare
                    && (http_unresolved
                        || (address != "localhost"
                            && config.root != crate::nginx::model::Context::Main))
                {
                    return None;
                }
                out.push(AppTarget {
                    location,
                    pass,
                    at: pass,
                    target: parse_address(address, default_port)?,
                });
            }
        }
    }
    Some(out)
}

fn is_wildcard_host(host: &str) -> bool {
    matches!(host, "0.0.0.0" | "::" | "" | "*")
}

/// Whether nginx's target reaches gunicorn's bind.
pub(super) fn reaches(target: &Target, bind: &Bind) -> bool {
    match (target, bind) {
        (Target::Unix(a), Bind::Unix(b)) => a == b,
        (Target::Tcp { host, port }, Bind::Tcp { host: h, port: p }) => {
            port == p
                && (is_wildcard_host(h)
                    || host == h
                    || (is_loopback_host(host) && is_loopback_host(h)))
        }
        _ => false,
    }
}

/// Every bind of the deployment's gunicorn configs; `None` when one is not known (or is an
/// inherited fd, which only the process manager knows).
fn all_binds(deployment: &Deployment) -> Option<Vec<(&GunicornLayer, &BindAddress)>> {
    let mut out = Vec::new();
    for layer in &deployment.gunicorn {
        for b in layer.config.binds()? {
            if matches!(b.bind, Bind::Fd(_)) {
                return None;
            }
            out.push((layer, b));
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Where a bind is written (its string, else the `bind` assignment, else the file's start).
fn bind_range(layer: &GunicornLayer, bind: &BindAddress) -> TextRange {
    if layer.config.command_line("bind").is_some() {
        // the command line overrides the file's `bind`
        return TextRange::empty(0);
    }
    bind.range
        .or_else(|| layer.config.setting("bind").map(|b| b.site.focus))
        .unwrap_or(TextRange::empty(0))
}

fn bind_related(layer: &GunicornLayer, bind: &BindAddress) -> Related {
    if let Some((_, source)) = layer.config.command_line("bind") {
        return Related {
            path: source.to_path_buf(),
            range: TextRange::empty(0),
            message: format!("gunicorn binds {} (its command line here)", bind.text),
        };
    }
    let default = if layer.config.is_set("bind") {
        ""
    } else {
        " (gunicorn's default: `bind` is not set)"
    };
    Related {
        path: layer.path.clone(),
        range: bind_range(layer, bind),
        message: format!("gunicorn binds {}{default}", bind.text),
    }
}

/// Related information at a gunicorn setting, or the file's start when it is not set.
fn setting_related(layer: &GunicornLayer, name: &str, message: String) -> Related {
    match layer.config.setting(name) {
        Some(b) => Related {
            path: b.cause().path.to_path_buf(),
            range: b.cause().focus,
            message,
        },
        None => Related {
            path: layer.path.clone(),
            range: TextRange::empty(0),
            message: format!("{message} (`{name}` is not set: gunicorn's default)"),
        },
    }
}

pub(super) fn check_nginx(side: &NginxSide<'_>, out: &mut Vec<Diagnostic>) {
    if side.deployment.gunicorn.is_empty() {
        return;
    }
    let config = side.config();
    let Some(targets) = app_targets(config) else {
        return;
    };
    if let Some(binds) = all_binds(side.deployment) {
        upstream_mismatch(side, &targets, &binds, out);
    }
    // the `proxy_pass` locations whose target is gunicorn (all of them when that is unknown)
    let gunicorn = gunicorn_locations(side);
    let mut seen = HashSet::new();
    let app: Vec<DirId> = targets
        .iter()
        .filter(|t| config.get(t.pass).is("proxy_pass"))
        .filter(|t| gunicorn.as_ref().is_none_or(|g| g.contains(&t.location)))
        .filter(|t| seen.insert(t.location))
        .map(|t| t.location)
        .collect();
    for layer in &side.deployment.gunicorn {
        timeout_mismatch(side, layer, &app, out);
        buffering_off_sync(side, layer, &app, out);
    }
}

/// The locations of the analysed file that pass requests to gunicorn, when that can be told:
/// the deployment's binds and the file's targets are known and some target reaches a bind.
/// `None` otherwise (every proxying location is then taken to be the app, as the nginx rules
/// do). A location proxying to another local service is not the app.
pub(super) fn gunicorn_locations(side: &NginxSide<'_>) -> Option<HashSet<DirId>> {
    let binds = all_binds(side.deployment)?;
    let targets = app_targets(side.config())?;
    let reaching: HashSet<DirId> = targets
        .iter()
        .filter(|t| binds.iter().any(|(_, b)| reaches(&t.target, &b.bind)))
        .map(|t| t.location)
        .collect();
    (!reaching.is_empty()).then_some(reaching)
}

pub(super) fn check_gunicorn(
    deployment: &Deployment,
    layer: &GunicornLayer,
    out: &mut Vec<Diagnostic>,
) {
    public_bind(deployment, layer, out);
    forwarded_allow_all(layer, out);
}

/// Whether the deployment's gunicorn worker class is known (NGX014 then defers to STK012).
pub(super) fn knows_worker_class(deployment: &Deployment) -> bool {
    !deployment.gunicorn.is_empty()
        && deployment
            .gunicorn
            .iter()
            .all(|g| g.config.worker_class().is_some())
}

// ----- STK003 -----

/// STK003: no app target of the file reaches any bind.
fn upstream_mismatch(
    side: &NginxSide<'_>,
    targets: &[AppTarget],
    binds: &[(&GunicornLayer, &BindAddress)],
    out: &mut Vec<Diagnostic>,
) {
    if targets.is_empty()
        || targets
            .iter()
            .any(|t| binds.iter().any(|(_, b)| reaches(&t.target, &b.bind)))
    {
        return;
    }
    let first = binds[0].1;
    let bound: Vec<&str> = binds.iter().map(|(_, b)| b.text.as_str()).collect();
    let mut seen = HashSet::new();
    for t in targets.iter().filter(|t| seen.insert(t.at)) {
        let message = format!(
            "nginx passes the app's requests to {}, but gunicorn binds {}: every request \
             ends in 502 Bad Gateway",
            t.target,
            bound.join(", ")
        );
        let related = binds.iter().map(|(l, b)| bind_related(l, b)).collect();
        let fix = target_fix(side, t, &first.bind);
        if let Some(d) = side.report_arg(out, "STK003", t.at, 0, message, related) {
            d.fix = fix;
        }
    }
}

/// The address nginx should use for a bind (a wildcard is reached on loopback).
fn nginx_address(bind: &Bind) -> Option<String> {
    match bind {
        Bind::Unix(p) => Some(format!("unix:{p}")),
        Bind::Tcp { host, port } if is_wildcard_host(host) => Some(format!("127.0.0.1:{port}")),
        Bind::Tcp { host, port } if host.contains(':') => Some(format!("[{host}]:{port}")),
        Bind::Tcp { host, port } => Some(format!("{host}:{port}")),
        Bind::Fd(_) => None,
    }
}

fn target_fix(side: &NginxSide<'_>, target: &AppTarget, bind: &Bind) -> Option<Fix> {
    let config = side.config();
    let address = nginx_address(bind)?;
    let d = config.get(target.at);
    let new = if d.is("server") {
        address.clone()
    } else {
        let value = d.arg(0)?;
        let (scheme, rest) = value.split_once("://")?;
        // keep a URI part only for TCP targets (`http://unix:/p:/uri` spells it differently)
        if rest.starts_with("unix:") || rest.contains('/') {
            return None;
        }
        format!("{scheme}://{address}")
    };
    let mut fix = side
        .ctx
        .replace_arg(target.at, 0, &new, &format!("Proxy to {address}"))?;
    fix.safe = false;
    Some(fix)
}

// ----- STK004 -----

/// STK004: a wildcard bind while nginx reaches gunicorn locally.
fn public_bind(deployment: &Deployment, layer: &GunicornLayer, out: &mut Vec<Diagnostic>) {
    let Some(binds) = layer.config.binds() else {
        return;
    };
    let mut targets: Vec<(&Config, AppTarget)> = Vec::new();
    for nginx in &deployment.nginx {
        let Some(ts) = app_targets(&nginx.config) else {
            return;
        };
        targets.extend(ts.into_iter().map(|t| (&*nginx.config, t)));
    }
    let reaching: Vec<&(&Config, AppTarget)> = targets
        .iter()
        .filter(|(_, t)| binds.iter().any(|b| reaches(&t.target, &b.bind)))
        .collect();
    let local = |t: &Target| match t {
        Target::Unix(_) => true,
        Target::Tcp { host, .. } => is_loopback_host(host),
    };
    if reaching.is_empty() || !reaching.iter().all(|(_, t)| local(&t.target)) {
        return;
    }
    let Some((config, first)) = reaching.first().map(|r| (r.0, &r.1)) else {
        return;
    };
    for bind in binds.iter().filter(|b| b.bind.is_wildcard()) {
        let Bind::Tcp { port, .. } = &bind.bind else {
            continue;
        };
        let message = format!(
            "gunicorn binds {} (every interface) while nginx reaches it at {}: the app is also \
             reachable around nginx (no TLS, no Host validation); bind to the address nginx uses",
            bind.text, first.target
        );
        let related = vec![nginx_related(
            config,
            first.at,
            "nginx passes the app's requests here".to_owned(),
        )];
        let mut d = diagnostic(
            "STK004",
            &layer.path,
            bind_range(layer, bind),
            message,
            related,
        );
        let address = match &first.target {
            Target::Unix(p) => format!("unix:{p}"),
            Target::Tcp { .. } => format!("127.0.0.1:{port}"),
        };
        d.fix = replace_string(layer, bind.range, &address, &format!("Bind to {address}"));
        out.push(d);
    }
}

/// Replaces a string literal of the gunicorn file with `value` (not applied automatically).
fn replace_string(
    layer: &GunicornLayer,
    range: Option<TextRange>,
    value: &str,
    title: &str,
) -> Option<Fix> {
    let range = range?;
    let raw = layer.text.get(range.start..range.end)?;
    let quote = raw.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        return None;
    }
    Some(Fix {
        title: title.to_owned(),
        edits: vec![Edit::replace(range, format!("{quote}{value}{quote}"))],
        safe: false,
    })
}

// ----- STK011 -----

/// STK011: `proxy_read_timeout` below gunicorn's timeout, or more than twice it.
fn timeout_mismatch(
    side: &NginxSide<'_>,
    layer: &GunicornLayer,
    app: &[DirId],
    out: &mut Vec<Diagnostic>,
) {
    let Some(timeout) = layer.config.timeout().filter(|t| *t > 0) else {
        return;
    };
    let config = side.config();
    let gunicorn_ms = timeout as u64 * 1000;
    let mut seen = HashSet::new();
    for &location in app {
        let Ok(found) = side
            .ctx
            .lookup()
            .effective(Some(location), "proxy_read_timeout")
        else {
            continue;
        };
        let nginx_ms = match found {
            Some(d) => match config.get(d).arg(0).and_then(time_ms) {
                Some(ms) => ms,
                None => continue,
            },
            None => 60_000,
        };
        let shorter = nginx_ms < gunicorn_ms;
        if !shorter && nginx_ms <= 2 * gunicorn_ms {
            continue;
        }
        if !seen.insert(found.unwrap_or(location)) {
            continue;
        }
        let shown = match found {
            Some(d) => format!(
                "`proxy_read_timeout {}`",
                config.get(d).arg(0).unwrap_or_default()
            ),
            None => "nginx's default `proxy_read_timeout` (60s)".to_owned(),
        };
        let message = if shorter {
            format!(
                "{shown} is shorter than gunicorn's `timeout` ({timeout}s): nginx answers 504 \
                 while gunicorn still works on the request"
            )
        } else {
            format!(
                "{shown} is far longer than gunicorn's `timeout` ({timeout}s): gunicorn kills the \
                 worker first and the client waits for a 502"
            )
        };
        let related = vec![setting_related(
            layer,
            "timeout",
            format!("gunicorn kills workers silent for {timeout}s"),
        )];
        let value = format!("{}s", timeout + 5);
        let title = format!("Set `proxy_read_timeout {value};`");
        let fix = match found {
            Some(d) => side.ctx.replace_arg(d, 0, &value, &title),
            None => side.ctx.insert_in_block(
                location,
                &[&format!("proxy_read_timeout {value};")],
                &title,
            ),
        }
        .map(|mut f| {
            f.safe = false;
            f
        });
        let reported = match found {
            Some(d) => side.report_arg(out, "STK011", d, 0, message, related),
            None => side.report(out, "STK011", location, message, related),
        };
        if let Some(diag) = reported {
            diag.fix = fix;
        }
    }
}

// ----- STK012 -----

/// STK012: buffering off in front of sync workers.
fn buffering_off_sync(
    side: &NginxSide<'_>,
    layer: &GunicornLayer,
    app: &[DirId],
    out: &mut Vec<Diagnostic>,
) {
    let Some(class) = layer.config.worker_class() else {
        return;
    };
    if class != "sync" && !class.ends_with("SyncWorker") {
        return;
    }
    let config = side.config();
    let mut seen = HashSet::new();
    for &location in app {
        for name in ["proxy_buffering", "proxy_request_buffering"] {
            let Ok(Some(d)) = side.ctx.lookup().effective(Some(location), name) else {
                continue;
            };
            if config.get(d).arg(0).and_then(flag) != Some(false) || !seen.insert(d) {
                continue;
            }
            let what = if name == "proxy_buffering" {
                "every slow reader holds a worker for the whole response"
            } else {
                "every slow upload holds a worker until its last byte"
            };
            let message = format!(
                "`{name} off` in front of gunicorn's sync workers (one request at a time): \
                 {what}; remove it or use gthread/async workers"
            );
            let related = vec![setting_related(
                layer,
                "worker_class",
                "gunicorn runs sync workers".to_owned(),
            )];
            let fix = buffering_fix(side.ctx, d, name);
            if let Some(diag) = side.report(out, "STK012", d, message, related) {
                diag.fix = fix;
            }
        }
    }
}

// ----- STK014 -----

/// STK014: `forwarded_allow_ips = "*"` with a public bind.
fn forwarded_allow_all(layer: &GunicornLayer, out: &mut Vec<Diagnostic>) {
    let config = &layer.config;
    if config.binds_publicly() != Tri::Yes {
        return;
    }
    let Some(binding) = config.setting("forwarded_allow_ips") else {
        return;
    };
    if config.allows_any_peer("forwarded_allow_ips") != Tri::Yes {
        return;
    }
    let Some(public) = config
        .binds()
        .and_then(|b| b.iter().find(|b| b.bind.is_public_tcp()))
    else {
        return;
    };
    let message = format!(
        "forwarded_allow_ips = \"*\" while gunicorn binds {} (reachable from other machines): \
         any client can connect directly and claim HTTPS or any IP address in \
         X-Forwarded-Proto / X-Forwarded-For",
        public.text
    );
    let related = vec![bind_related(layer, public)];
    let mut d = diagnostic("STK014", &layer.path, binding.site.focus, message, related);
    let literal = binding
        .literal
        .as_ref()
        .filter(|_| !binding.mutated && !binding.is_imported())
        .map(|l| l.range);
    d.fix = replace_string(
        layer,
        literal,
        "127.0.0.1,::1",
        "Trust only the local proxy: forwarded_allow_ips = \"127.0.0.1,::1\"",
    );
    out.push(d);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nginx_addresses_and_gunicorn_binds() {
        let t = parse_address("unix:/run/gunicorn.sock:", 80).unwrap();
        assert_eq!(t, Target::Unix("/run/gunicorn.sock".into()));
        assert!(reaches(&t, &Bind::Unix("/run/gunicorn.sock".into())));
        assert!(!reaches(&t, &Bind::Unix("/tmp/gunicorn.sock".into())));
        let web = parse_address("web:8000", 80).unwrap();
        let any = Bind::Tcp {
            host: "0.0.0.0".into(),
            port: 8000,
        };
        assert!(reaches(&web, &any));
        let lo = Bind::Tcp {
            host: "127.0.0.1".into(),
            port: 8000,
        };
        assert!(!reaches(&web, &lo));
        assert!(reaches(&parse_address("localhost:8000", 80).unwrap(), &lo));
        assert!(!reaches(&parse_address("127.0.0.1:8001", 80).unwrap(), &lo));
        assert_eq!(
            parse_address("[::1]:8000", 80),
            Some(Target::Tcp {
                host: "::1".into(),
                port: 8000
            })
        );
        assert_eq!(parse_address("$backend", 80), None);
    }
}
