//! Static files and uploads: the folder nginx serves STATIC_URL / MEDIA_URL from against
//! STATIC_ROOT / MEDIA_ROOT (STK005), and the location serving that folder against the URL
//! (STK006).

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::nginx::location::{Modifier, Route, pattern};
use crate::nginx::model::{Config, DirId};
use crate::python::Tri;
use crate::rules::nginx::app::app_pass;
use crate::rules::nginx::stack_support::serves_app;
use crate::stack::SettingsLayer;
use crate::stack::settings::WHITENOISE_MW;

use super::{NginxSide, setting_related};

/// A file a URL under the prefix could name (the router needs a whole URI).
const PROBE: &str = "preflight-probe.txt";

struct Kind {
    url: &'static str,
    root: &'static str,
    what: &'static str,
}

const KINDS: [Kind; 2] = [
    Kind {
        url: "STATIC_URL",
        root: "STATIC_ROOT",
        what: "static files",
    },
    Kind {
        url: "MEDIA_URL",
        root: "MEDIA_ROOT",
        what: "uploads",
    },
];

pub(super) fn check_nginx(side: &NginxSide<'_>, out: &mut Vec<Diagnostic>) {
    for layer in &side.deployment.settings {
        for kind in &KINDS {
            if kind.url == "STATIC_URL" && layer.has_middleware(WHITENOISE_MW) != Tri::No {
                continue;
            }
            let (Some(url), Some(root)) = (layer.url_prefix(kind.url), layer.root_path(kind.root))
            else {
                continue;
            };
            check_kind(side, layer, kind, &url, &root, out);
        }
    }
}

/// How a served folder compares with the setting's folder: by the path below the project
/// when the setting lies in it (the project is deployed elsewhere), else exactly. `None` when
/// the nginx path holds variables.
fn same_dir(served: &str, setting: &str, project: &Path) -> Option<bool> {
    if served.contains('$') {
        return None;
    }
    let served = normalize(served);
    let setting = normalize(setting);
    let project = normalize(&project.to_string_lossy());
    match setting
        .strip_prefix(&project)
        .filter(|r| r.starts_with('/'))
    {
        Some(relative) => Some(served == relative || served.ends_with(relative)),
        None => Some(served == setting),
    }
}

fn normalize(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for part in path.split('/').filter(|p| !p.is_empty() && *p != ".") {
        out.push('/');
        out.push_str(part);
    }
    out
}

/// The folder a location serves for the URI prefix `prefix` (which the location matches):
/// `alias` replaces the location's prefix, `root` is prefixed to the URI.
fn served_dir(side: &NginxSide<'_>, location: DirId, prefix: &str) -> Option<(DirId, String)> {
    let config = side.config();
    let p = pattern(config.get(location))?;
    if let Some(alias) = config.direct(Some(location), "alias").last() {
        if p.modifier.is_regex() {
            return None;
        }
        let rest = prefix.strip_prefix(p.uri.as_str())?;
        let dir = format!("{}/{rest}", config.get(alias).arg(0)?);
        return Some((alias, dir));
    }
    let root = side.ctx.lookup().effective(Some(location), "root").ok()??;
    Some((root, format!("{}/{prefix}", config.get(root).arg(0)?)))
}

fn check_kind(
    side: &NginxSide<'_>,
    layer: &SettingsLayer,
    kind: &Kind,
    url: &str,
    root: &str,
    out: &mut Vec<Diagnostic>,
) {
    let config = side.config();
    let project = side.deployment.root.as_path();
    for server in config.servers().filter(|&s| serves_app(config, s)) {
        let route = side.ctx.router().route(server, &format!("{url}{PROBE}"));
        let Route::Location(found) = route else {
            continue;
        };
        let served_here = found
            .filter(|&l| app_pass(config, l).is_none())
            .and_then(|l| Some((l, served_dir(side, l, url)?)));
        if let Some((location, (directive, dir))) = served_here {
            if same_dir(&dir, root, project) == Some(false) {
                root_mismatch(side, layer, kind, root, location, directive, &dir, out);
            }
            continue;
        }
        // STATIC_URL reaches the app: is the folder served under another prefix?
        url_mismatch(side, layer, kind, url, root, server, out);
    }
}

/// STK005 at the `alias`/`root` serving the URL.
#[allow(clippy::too_many_arguments)]
fn root_mismatch(
    side: &NginxSide<'_>,
    layer: &SettingsLayer,
    kind: &Kind,
    root: &str,
    location: DirId,
    directive: DirId,
    dir: &str,
    out: &mut Vec<Diagnostic>,
) {
    let config = side.config();
    let d = config.get(directive);
    let message = format!(
        "nginx serves {url} ({what}) from `{dir}`, but {root_name} is `{root}`: {what} are \
         collected there and nginx answers 404",
        url = kind.url,
        what = kind.what,
        dir = normalize(dir),
        root_name = kind.root,
    );
    let related = vec![setting_related(
        layer,
        kind.root,
        format!("{} is set here", kind.root),
    )];
    // the exact folder is known only for a root outside the project
    let project = normalize(&side.deployment.root.to_string_lossy());
    let outside = !normalize(root).starts_with(&format!("{project}/"));
    let fix = (outside && d.is("alias"))
        .then(|| {
            let p = pattern(config.get(location))?;
            let url_below = layer.url_prefix(kind.url)?;
            (p.uri == url_below).then_some(())?;
            let slash = if d.arg(0)?.ends_with('/') { "/" } else { "" };
            let mut f = side.ctx.replace_arg(
                directive,
                0,
                &format!("{root}{slash}"),
                &format!("Serve {} from {}", kind.url, kind.root),
            )?;
            f.safe = false;
            Some(f)
        })
        .flatten();
    if let Some(diag) = side.report_arg(out, "STK005", directive, 0, message, related) {
        diag.fix = fix;
    }
}

/// STK006 at a location that serves the setting's folder under another prefix.
fn url_mismatch(
    side: &NginxSide<'_>,
    layer: &SettingsLayer,
    kind: &Kind,
    url: &str,
    root: &str,
    server: DirId,
    out: &mut Vec<Diagnostic>,
) {
    let config: &Config = side.config();
    let project = side.deployment.root.as_path();
    let candidates: Vec<DirId> = config.locations(server).collect();
    for location in candidates {
        let Some(p) = pattern(config.get(location)) else {
            continue;
        };
        if !matches!(p.modifier, Modifier::Prefix | Modifier::PrefixStop) || p.uri == url {
            continue;
        }
        let Some((_, dir)) = served_dir(side, location, &p.uri) else {
            continue;
        };
        if same_dir(&dir, root, project) != Some(true) {
            continue;
        }
        let message = format!(
            "This location serves {root_name} under `{uri}`, but {url_name} is `{url}`: Django \
             links {what} under `{url}`, which nginx passes to the app (404)",
            root_name = kind.root,
            uri = p.uri,
            url_name = kind.url,
            what = kind.what,
        );
        let related = vec![setting_related(
            layer,
            kind.url,
            format!("{} is set here", kind.url),
        )];
        let fix = side
            .ctx
            .replace_arg(location, p.arg, url, &format!("Serve it under {url}"))
            .map(|mut f| {
                f.safe = false;
                f
            });
        if let Some(diag) = side.report_arg(out, "STK006", location, p.arg, message, related) {
            diag.fix = fix;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_compare_below_the_project_or_exactly() {
        let project = Path::new("/home/me/site");
        assert_eq!(
            same_dir(
                "/srv/site/staticfiles/",
                "/home/me/site/staticfiles",
                project
            ),
            Some(true)
        );
        assert_eq!(
            same_dir("/srv/site/static", "/home/me/site/staticfiles", project),
            Some(false)
        );
        assert_eq!(
            same_dir("/var/www/static/", "/var/www/static", project),
            Some(true)
        );
        assert_eq!(
            same_dir("/srv/static/", "/var/www/static", project),
            Some(false)
        );
        assert_eq!(same_dir("$root/static", "/var/www/static", project), None);
    }
}
