//! Which files nginx serves from disk: `alias` and `root` mappings, directory listings, hidden
//! files, referer checks and the cost of `try_files`.

use crate::diagnostic::Severity::{Error, Warning};
use crate::diagnostic::{Diagnostic, Edit, Fix, Related};
use crate::nginx::location::{Modifier, Route, pattern};
use crate::nginx::model::{Config, DirId};
use crate::nginx::regex::captures;
use crate::nginx::values::flag;
use crate::rules::RuleMeta;

use super::app::is_media_location;
use super::regex::facts::Facts;
use super::variables::{Piece, pieces};
use super::{Ctx, Reach};

pub static RULES: [RuleMeta; 6] = [
    RuleMeta {
        code: "NGX005",
        name: "alias-traversal",
        severity: Error,
        summary: "An `alias` lets requests reach files outside its folder",
        django: None,
        gixy: Some("alias_traversal"),
        docs: "With `location /media { alias /srv/app/media/; }` a request for \
`/media../settings.py` is mapped to `/srv/app/media/../settings.py`: the location matches any \
URI that *starts with* `/media`, and nginx replaces just that part with the alias (the \
\"off-by-slash\" traversal). Whatever sits next to the media folder (the project's code, \
`.env`, the database file) can be downloaded. When neither ends in `/`, requests reach \
sibling folders (`/media-old`) instead. Regex locations have the same problem when a capture \
is glued to the alias without a `/` on both sides (`location ~ ^/files(.*)$ { alias \
/srv/files/$1; }`), or when the alias starts with a capture. The finding is an error when \
`..` can climb out of the folder, a warning when only siblings are reachable.\n\n**Fix:** end \
the location and the alias with `/` together: `location /media/ { alias /srv/app/media/; }` \
(the quick-fix for prefix locations; review it: `/media` itself no longer matches). A \
location for one file (`location /favicon.ico { alias .../favicon.ico; }`) becomes an exact \
one: `location = /favicon.ico` (the quick-fix there). In a regex location, put a `/` before the capture in the regex (`^/files/(.*)$`) and after the folder in \
the alias.",
    },
    RuleMeta {
        code: "NGX016",
        name: "autoindex-on",
        severity: Warning,
        summary: "`autoindex on` lists the files of a folder to anyone",
        django: None,
        gixy: None,
        docs: "`autoindex on` answers a request for a folder with a listing of its files. On \
`STATIC_ROOT` it reveals every file `collectstatic` gathered (including admin and third-party \
assets that tell an attacker which versions you run); on `MEDIA_ROOT` it lists every file your \
users uploaded, private ones included, to anyone who asks for `/media/`.\n\n**Fix:** \
`autoindex off;` (the quick-fix; it is the default, so deleting the line works too).",
    },
    RuleMeta {
        code: "NGX021",
        name: "hidden-files-served",
        severity: Warning,
        summary: "Hidden files (`.git`, `.env`) under the served root are downloadable",
        django: None,
        gixy: None,
        docs: "Preflight asks nginx's location choice where `/.git/config` and `/.env` would \
go: when a location (or the server itself) serves them from a `root` or `alias` and nothing \
denies dot files, they are downloadable whenever they exist under that folder. A `root` that \
covers the project (a common shortcut to serve `static/`) then gives away the repository \
(`/.git/`) and the secrets in `.env`. Locations that pass requests on (`proxy_pass`, \
`uwsgi_pass`, ...), `return`, or `deny all` are not affected. The CIS NGINX Benchmark (2.5.3) \
and h5bp's `security_file_access.conf` recommend the same rule.\n\n**Fix:** add `location ~ \
/\\.(?!well-known/) { deny all; }` to the server (the quick-fix puts it first, so it wins over \
the other regex locations; review it: it also refuses dot paths your app may answer), and \
point `root` at a folder that holds only public files.",
    },
    RuleMeta {
        code: "NGX022",
        name: "root-exposes-code",
        severity: Warning,
        summary: "`root` or `alias` maps requests onto the whole filesystem",
        django: None,
        gixy: Some("filesystem_root_exposure"),
        docs: "`root /;` (or `alias /;`, or a path such as `/srv/..` that resolves to `/`) \
makes every file nginx can read reachable wherever the location serves files: `/etc/passwd`, \
the project's settings and `.env`, private keys. Preflight does not yet know the project's \
directory from the Django settings, so a `root` pointing at the project folder (the one with \
`manage.py`) is not reported by this rule; `hidden-files-served` (NGX021) covers part of it.\
\n\n**Fix:** point `root` at the folder to publish (`STATIC_ROOT`, `MEDIA_ROOT`, or a \
dedicated `public/`), never at `/` or the project.",
    },
    RuleMeta {
        code: "NGX050",
        name: "valid-referers-none",
        severity: Error,
        summary: "`valid_referers none` accepts requests that send no Referer",
        django: None,
        gixy: Some("valid_referers"),
        docs: "`valid_referers` guards resources (hot-linking, sometimes access control) by the \
`Referer` header, and `none` accepts requests without one. Any client can leave the header \
out (`curl`, `<meta name=\"referrer\" content=\"no-referrer\">`, `rel=\"noreferrer\"` links), \
so the check protects nothing.\n\n**Fix:** remove `none` (the quick-fix; review it: visitors \
who type the URL or whose browser strips the Referer are refused too). Use signed URLs \
(`secure_link`) or Django's authentication for real access control.",
    },
    RuleMeta {
        code: "NGX061",
        name: "try-files-without-cache",
        severity: Warning,
        summary: "`try_files` checks the disk on every request without `open_file_cache`",
        django: None,
        gixy: Some("try_files_is_evil_too"),
        docs: "`try_files $uri $uri/ @django;` makes nginx look each candidate up on disk \
(`stat`/`open` system calls) for every request, including every request that ends up at \
Django. Without `open_file_cache` nothing of that is cached, which costs throughput under \
load.\n\n**Fix:** `open_file_cache max=1000 inactive=20s;` in the same block or an enclosing \
one (the quick-fix adds it after `try_files`; review it: nginx then notices files that \
appear or disappear only after `open_file_cache_valid`, 60 seconds by default), or serve \
static files from a dedicated location without `try_files`.",
    },
];

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if ctx.runs(Reach::Server) {
        alias_traversal(ctx, out);
        autoindex(ctx, out);
        hidden_files(ctx, out);
        filesystem_root(ctx, out);
        valid_referers(ctx, out);
        try_files(ctx, out);
    }
}

// ----- NGX005 alias-traversal -----

fn alias_traversal(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in config.walk() {
        let d = config.get(id);
        if !d.is("alias") {
            continue;
        }
        let Some(alias) = d.arg(0) else { continue };
        let Some(location) = config.enclosing(id, "location") else {
            continue;
        };
        let Some(p) = pattern(config.get(location)) else {
            continue;
        };
        let finding = match p.modifier {
            Modifier::Prefix | Modifier::PrefixStop => prefix_traversal(&p.uri, alias),
            Modifier::Regex { .. } => regex_traversal(&p.uri, alias),
            Modifier::Exact | Modifier::Named => None,
        };
        let Some((severity, message)) = finding else {
            continue;
        };
        let fix = if p.modifier.is_prefix() && !alias.ends_with('/') && names_a_file(&p.uri) {
            exact_fix(ctx, location, &p)
        } else if p.modifier.is_prefix() {
            slash_fix(ctx, location, p.arg, id, alias.ends_with('/'))
        } else {
            None
        };
        if let Some(diagnostic) = ctx.report(out, "NGX005", id, message) {
            diagnostic.severity = severity;
            diagnostic.fix = fix;
        }
    }
}

/// `location /x { alias /y/; }`: the prefix has no trailing slash.
fn prefix_traversal(uri: &str, alias: &str) -> Option<(crate::diagnostic::Severity, String)> {
    if uri.is_empty() || uri.ends_with('/') {
        return None;
    }
    Some(if alias.ends_with('/') {
        (
            Error,
            format!(
                "`location {uri}` has no trailing `/` but its alias does, so `{uri}../` reaches \
                 the folder above `{alias}`: write `location {uri}/`"
            ),
        )
    } else if names_a_file(uri) {
        (
            Warning,
            format!(
                "`location {uri}` also matches `{uri}-other`, which this alias maps to the \
                 sibling `{alias}-other`: write `location = {uri}`"
            ),
        )
    } else {
        (
            Warning,
            format!(
                "`location {uri}` also matches `{uri}-other`, which this alias maps to the \
                 sibling `{alias}-other`: end both with `/` (`location {uri}/`, `alias {alias}/`)"
            ),
        )
    })
}

/// Whether a location URI names one file (`/favicon.ico`, `/robots.txt`) rather than a folder.
fn names_a_file(uri: &str) -> bool {
    uri.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

/// `location ~ ^/files(.*)$ { alias /srv/files/$1; }`: a capture that can climb out, gixy's
/// cases: the alias starts with a capture (error); no `/` before the capture in the regex and
/// the capture can start with `.` after the alias' `/` (error when it can also hold `/`,
/// else warning); no `/` before the capture on either side (warning); a `/` in the regex but
/// none in the alias (warning). Unlike gixy, a capture of fixed words (`\.(jpg|png)` glued to
/// `$1.`) is not a sibling path.
fn regex_traversal(regex: &str, alias: &str) -> Option<(crate::diagnostic::Severity, String)> {
    let groups = captures(regex);
    let mut previous: Option<Piece<'_>> = None;
    let mut worst: Option<(crate::diagnostic::Severity, String)> = None;
    for part in pieces(alias) {
        let Piece::Var(name) = part else {
            previous = Some(part);
            continue;
        };
        let group = match name.parse::<usize>() {
            Ok(number) => groups.iter().find(|g| g.number == number),
            Err(_) => groups.iter().find(|g| g.name.as_deref() == Some(name)),
        };
        let Some(group) = group else {
            previous = Some(part);
            continue;
        };
        let content = regex.get(group.content.clone()).unwrap_or_default();
        let Some(facts) = Facts::of(content) else {
            previous = Some(part);
            continue;
        };
        let slash_in_regex = regex[..group.open].ends_with('/') || facts.must_start_with('/');
        let alias_slash = match previous {
            Some(Piece::Literal(text)) => text.ends_with('/'),
            Some(Piece::Var(_)) => false,
            None => false,
        };
        let found = match previous {
            None => Some((
                Error,
                format!(
                    "`alias {alias}` starts with the capture `${name}`, so the request chooses \
                     the path on disk: start the alias with a fixed folder"
                ),
            )),
            Some(_) if !slash_in_regex && alias_slash => facts.can_start_with('.').then(|| {
                (
                    if facts.can_contain('/') {
                        Error
                    } else {
                        Warning
                    },
                    format!(
                        "The capture `${name}` of `location ~ {regex}` can start with `..`, \
                         which `alias {alias}` turns into a step out of its folder: put a `/` \
                         before the group in the regex"
                    ),
                )
            }),
            // a capture of a few fixed words (`(jpg|png)`) reaches no siblings
            Some(_) if facts.is_fixed_set() => None,
            Some(_) if !slash_in_regex => Some((
                Warning,
                format!(
                    "`alias {alias}` glues the capture `${name}` to the folder without a `/`, \
                     so requests reach its siblings: put a `/` before the group in the regex \
                     and before `${name}` in the alias"
                ),
            )),
            Some(_) if !alias_slash && !facts.must_start_with('/') => Some((
                Warning,
                format!(
                    "`alias {alias}` glues the capture `${name}` to the folder without a `/`, \
                     so requests reach its siblings: write `/${name}`"
                ),
            )),
            Some(_) => None,
        };
        if let Some(found) = found
            && worst.as_ref().is_none_or(|(s, _)| found.0 < *s)
        {
            worst = Some(found);
        }
        previous = Some(part);
    }
    worst
}

/// Ends the prefix location's URI (and the alias, when `alias_has_slash` is false) with `/`,
/// unless a sibling location already has that URI.
fn slash_fix(
    ctx: &Ctx<'_>,
    location: DirId,
    uri_arg: usize,
    alias: DirId,
    alias_has_slash: bool,
) -> Option<Fix> {
    let config = ctx.config;
    if !config.is_local(location) || !config.is_local(alias) {
        return None;
    }
    let uri = pattern(config.get(location))?.uri;
    let wanted = format!("{uri}/");
    let clash = config
        .children_of(config.get(location).parent)
        .iter()
        .filter_map(|&s| pattern(config.get(s)))
        .any(|p| p.modifier.is_prefix() && p.uri == wanted);
    if clash {
        return None;
    }
    let slash_at = |id: DirId, arg: usize| -> Option<Edit> {
        let a = config.get(id).args.get(arg)?;
        let end = if a.quoted {
            a.range.end - 1
        } else {
            a.range.end
        };
        Some(Edit::insert(end, "/"))
    };
    let mut edits = vec![slash_at(location, uri_arg)?];
    if !alias_has_slash {
        edits.push(slash_at(alias, 0)?);
    }
    Some(Fix {
        title: format!("End the location with `/`: `location {wanted}`"),
        edits,
        safe: false,
    })
}

/// `location /favicon.ico` -> `location = /favicon.ico` (the location serves one file), unless
/// a sibling already is that exact location.
fn exact_fix(ctx: &Ctx<'_>, location: DirId, p: &crate::nginx::location::Pattern) -> Option<Fix> {
    let config = ctx.config;
    let d = config.get(location);
    if !config.is_local(location) {
        return None;
    }
    let clash = config
        .children_of(d.parent)
        .iter()
        .filter_map(|&s| pattern(config.get(s)))
        .any(|s| s.modifier == Modifier::Exact && s.uri == p.uri);
    if clash {
        return None;
    }
    let uri = d.args.get(p.arg)?;
    let edit = match p.modifier {
        // `^~ /x`: the modifier is replaced; `^~/x`: its two characters are
        Modifier::PrefixStop if p.arg == 1 => Edit::replace(d.args.first()?.range, "="),
        Modifier::PrefixStop => Edit::replace(
            crate::text::TextRange::new(uri.range.start, uri.range.start + 2),
            "= ",
        ),
        _ => Edit::insert(uri.range.start, "= "),
    };
    Some(Fix {
        title: format!("Match only `{}`: `location = {}`", p.uri, p.uri),
        edits: vec![edit],
        safe: false,
    })
}

// ----- NGX016 autoindex-on -----

fn autoindex(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in config.walk() {
        let d = config.get(id);
        if !d.is("autoindex") || d.arg(0).and_then(flag) != Some(true) {
            continue;
        }
        let media = config
            .enclosing(id, "location")
            .is_some_and(|l| is_media_location(config, l));
        let message = if media {
            "`autoindex on` lists every uploaded file to anyone who asks for the folder: set \
             `autoindex off`"
        } else {
            "`autoindex on` lists the folder's files to anyone: set `autoindex off`"
        };
        let fix = ctx.replace_arg(id, 0, "off", "Set `autoindex off`");
        if let Some(diagnostic) = ctx.report_arg(out, "NGX016", id, 0, message) {
            diagnostic.fix = fix;
        }
    }
}

// ----- NGX021 hidden-files-served -----

/// Dot files whose download gives a Django project away.
const HIDDEN_PROBES: &[&str] = &["/.git/config", "/.env"];

/// Directives after which a location does not serve files from disk.
const NOT_FROM_DISK: &[&str] = &[
    "proxy_pass",
    "fastcgi_pass",
    "uwsgi_pass",
    "scgi_pass",
    "grpc_pass",
    "memcached_pass",
    "return",
    "stub_status",
    "empty_gif",
    "js_content",
    "perl",
    "internal",
];

pub(super) const DENY_HIDDEN: &str = "location ~ /\\.(?!well-known/) { deny all; }";

fn hidden_files(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    'servers: for server in config.servers() {
        if config.has_unresolved_include(Some(server))
            || config.first(Some(server), "return").is_some()
        {
            continue;
        }
        let mut served = Vec::new();
        let mut source = None;
        let mut fixable = true;
        for uri in HIDDEN_PROBES {
            let location = match ctx.router().route(server, uri) {
                Route::Location(location) => location,
                Route::Unknown => continue 'servers,
            };
            let block = location.unwrap_or(server);
            let Some(from) = serves_from_disk(config, server, block) else {
                continue;
            };
            served.push(*uri);
            source.get_or_insert(from);
            // a regex location put first in the server only wins over plain prefixes
            fixable &= location.is_none_or(|l| {
                std::iter::once(l)
                    .chain(config.ancestors(l))
                    .take_while(|&a| a != server)
                    .all(|a| pattern(config.get(a)).is_some_and(|p| p.modifier == Modifier::Prefix))
            });
        }
        let Some(from) = source else { continue };
        let d = config.get(from);
        let folder = d.arg(0).unwrap_or_default();
        let list = served
            .iter()
            .map(|u| format!("`{u}`"))
            .collect::<Vec<_>>()
            .join(" and ");
        let message = format!(
            "This server serves {list} from `{} {folder}` when they exist: add `{DENY_HIDDEN}`",
            d.name()
        );
        let fix = fixable
            .then(|| ctx.insert_in_block(server, &[DENY_HIDDEN], "Deny hidden files"))
            .flatten()
            .map(|mut f| {
                f.safe = false;
                f
            });
        if let Some(diagnostic) = ctx.report(out, "NGX021", server, message) {
            diagnostic.related = vec![Related {
                path: config.path_of(from).to_path_buf(),
                range: d.range,
                message: "the folder served".to_owned(),
            }];
            diagnostic.fix = fix;
        }
    }
}

/// The `root` or `alias` a request ending in `block` (a location, or the server itself) is
/// served from, when nothing in the way passes it on, refuses it or might (an unresolved
/// include).
fn serves_from_disk(config: &Config, server: DirId, block: DirId) -> Option<DirId> {
    let mut chain = vec![block];
    if block != server {
        chain.extend(config.ancestors(block).take_while(|&a| a != server));
        chain.push(server);
    }
    if chain
        .iter()
        .any(|&b| config.has_unresolved_include(Some(b)))
    {
        return None;
    }
    let handled = config.children_of(Some(block)).iter().any(|&c| {
        let d = config.get(c);
        NOT_FROM_DISK.contains(&d.name())
            || d.name().contains("_by_lua")
            // a conditional handler or refusal may be what guards these files
            || (d.is("if") && d.body.is_some())
    });
    if handled {
        return None;
    }
    // `try_files /maintenance.html @app` never serves the URI itself
    if let Some(t) = config.first(Some(block), "try_files") {
        let args = &config.get(t).args;
        let candidates = &args[..args.len().saturating_sub(1)];
        if !candidates.iter().any(|a| a.value.contains('$')) {
            return None;
        }
    }
    if refused(config, block) {
        return None;
    }
    if let Some(alias) = config.first(Some(block), "alias") {
        return Some(alias);
    }
    config.effective(Some(block), "root").ok().flatten()
}

/// Whether access to `block` is restricted: `deny all` in the allow/deny rules in effect, or
/// authentication.
fn refused(config: &Config, block: DirId) -> bool {
    for scope in config.scopes(Some(block)) {
        // a level with any allow/deny replaces the enclosing levels' rules
        if config.direct(scope, "allow").next().is_some()
            || config.direct(scope, "deny").next().is_some()
        {
            if config
                .direct(scope, "deny")
                .any(|r| config.get(r).arg(0) == Some("all"))
            {
                return true;
            }
            break;
        }
    }
    let auth_basic = config
        .effective(Some(block), "auth_basic")
        .ok()
        .flatten()
        .is_some_and(|a| config.get(a).arg(0) != Some("off"));
    let auth_request = config
        .effective(Some(block), "auth_request")
        .ok()
        .flatten()
        .is_some_and(|a| config.get(a).arg(0) != Some("off"));
    auth_basic || auth_request
}

// ----- NGX022 root-exposes-code -----

/// Whether a path without variables resolves to `/` (POSIX `normpath`).
fn is_filesystem_root(path: &str) -> bool {
    if path.contains('$') || !path.starts_with('/') {
        return false;
    }
    let mut depth: usize = 0;
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => depth = depth.saturating_sub(1),
            _ => depth += 1,
        }
    }
    depth == 0
}

fn filesystem_root(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in config.walk() {
        let d = config.get(id);
        if !(d.is("root") || d.is("alias")) || !d.arg(0).is_some_and(is_filesystem_root) {
            continue;
        }
        let message = format!(
            "`{} {}` lets requests reach any file nginx can read: point it at the folder to \
             publish (STATIC_ROOT, MEDIA_ROOT)",
            d.name(),
            d.arg(0).unwrap_or_default()
        );
        ctx.report_arg(out, "NGX022", id, 0, message);
    }
}

// ----- NGX050 valid-referers-none -----

fn valid_referers(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in config.walk() {
        let d = config.get(id);
        if !d.is("valid_referers") {
            continue;
        }
        let nones: Vec<usize> = (0..d.args.len())
            .filter(|&i| d.arg(i) == Some("none"))
            .collect();
        let Some(&first) = nones.first() else {
            continue;
        };
        let fix = (nones.len() < d.args.len() && config.is_local(id)).then(|| {
            let edits = nones
                .iter()
                .map(|&i| {
                    let start = match i {
                        0 => d.name.range.end,
                        _ => d.args[i - 1].range.end,
                    };
                    Edit::replace(crate::text::TextRange::new(start, d.args[i].range.end), "")
                })
                .collect();
            Fix {
                title: "Remove `none`".to_owned(),
                edits,
                safe: false,
            }
        });
        let message = "`none` accepts requests without a Referer, which any client can send: \
                       remove it";
        if let Some(diagnostic) = ctx.report_arg(out, "NGX050", id, first, message) {
            diagnostic.fix = fix;
        }
    }
}

// ----- NGX061 try-files-without-cache -----

const FILE_CACHE: &str = "max=1000 inactive=20s";

fn try_files(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    let lookup = ctx.lookup();
    for id in config.walk() {
        let d = config.get(id);
        if !d.is("try_files") {
            continue;
        }
        let Ok(cache) = lookup.effective(d.parent, "open_file_cache") else {
            continue;
        };
        if cache.is_some_and(|c| config.get(c).arg(0) != Some("off")) {
            continue;
        }
        let fix = match cache {
            // `off` in the same block: turn it on there (a second one would be a duplicate)
            Some(c) if config.get(c).parent == d.parent => {
                ctx.replace_arg(c, 0, FILE_CACHE, "Turn on `open_file_cache`")
            }
            _ => ctx.insert_after(
                id,
                &[&format!("open_file_cache {FILE_CACHE};")],
                "Add `open_file_cache`",
            ),
        }
        .map(|mut f| {
            f.safe = false;
            f
        });
        let message = format!(
            "`try_files` looks files up on disk for every request and `open_file_cache` is {}: \
             add `open_file_cache {FILE_CACHE};`",
            if cache.is_some() { "off" } else { "not set" }
        );
        if let Some(diagnostic) = ctx.report(out, "NGX061", id, message) {
            diagnostic.fix = fix;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::nginx::testing::*;

    fn lines(text: &str, code: &str) -> Vec<(usize, String)> {
        findings(&check_site(text), code, text)
            .into_iter()
            .map(|(l, t)| (l, t.to_owned()))
            .collect()
    }

    fn severities(text: &str, code: &str) -> Vec<Severity> {
        check_site(text)
            .iter()
            .filter(|d| d.code == code)
            .map(|d| d.severity)
            .collect()
    }

    #[test]
    fn alias_in_a_prefix_location_without_slash() {
        let text = "server {\n    location /media {\n        alias /srv/app/media/;\n    }\n    location ^~ /files {\n        alias /srv/files;\n    }\n    location /static/ {\n        alias /srv/static/;\n    }\n    location = /robots.txt {\n        alias /srv/robots.txt;\n    }\n}\n";
        let d = check_site(text);
        assert_eq!(
            findings(&d, "NGX005", text),
            [(3, "alias /srv/app/media/;"), (6, "alias /srv/files;")]
        );
        assert_eq!(
            severities(text, "NGX005"),
            [Severity::Error, Severity::Warning]
        );
        assert_eq!(
            d.iter().find(|d| d.code == "NGX005").unwrap().references["gixy"],
            "alias_traversal"
        );
        let fixed1 = fixed(&d, "NGX005", text);
        assert!(fixed1.contains("location /media/ {\n        alias /srv/app/media/;"));
        assert_eq!(lines(&fixed1, "NGX005").len(), 1);
        let second = d.iter().filter(|d| d.code == "NGX005").nth(1).unwrap();
        let fixed2 = crate::diagnostic::apply_edits(text, &second.fix.as_ref().unwrap().edits);
        assert!(fixed2.contains("location ^~ /files/ {\n        alias /srv/files/;"));
        assert_eq!(lines(&fixed2, "NGX005").len(), 1);
    }

    #[test]
    fn alias_fix_keeps_quotes_and_avoids_duplicate_locations() {
        let text = "server { location \"/m\" { alias \"/srv/m\"; } }";
        let d = check_site(text);
        assert_eq!(
            fixed(&d, "NGX005", text),
            "server { location \"/m/\" { alias \"/srv/m/\"; } }"
        );
        let text = "server { location /m { alias /srv/m/; } location /m/ { } }";
        let d = check_site(text);
        assert_eq!(lines(text, "NGX005").len(), 1);
        assert!(d.iter().find(|d| d.code == "NGX005").unwrap().fix.is_none());
    }

    #[test]
    fn alias_of_one_file_becomes_an_exact_location() {
        let text = "server {\n    location /favicon.ico { alias /srv/static/favicon.ico; }\n    location ^~ /robots.txt { alias /srv/static/robots.txt; }\n}\n";
        let d = check_site(text);
        assert_eq!(lines(text, "NGX005").len(), 2);
        assert!(
            first(&d, "NGX005")
                .message
                .contains("write `location = /favicon.ico`")
        );
        let fixed1 = fixed(&d, "NGX005", text);
        assert!(fixed1.contains("location = /favicon.ico { alias"));
        assert_eq!(lines(&fixed1, "NGX005").len(), 1);
        let second = d.iter().filter(|d| d.code == "NGX005").nth(1).unwrap();
        let fixed2 = crate::diagnostic::apply_edits(text, &second.fix.as_ref().unwrap().edits);
        assert!(fixed2.contains("location = /robots.txt { alias"));
        assert_eq!(lines(&fixed2, "NGX005").len(), 1);
    }

    #[test]
    fn alias_with_captures_of_a_regex_location() {
        let text = r"server {
    location ~ /site/(l\.)(.*) { alias /lol$1/$2; }
    location ~ ^/a(.*)$ { alias /data/$1; }
    location ~ ^/b/(.*)$ { alias /data$1; }
    location ~ ^/c([^/]*)$ { alias /data/$1; }
    location ~ ^/d(.+)$ { alias $1; }
    location ~ ^/e(.*)$ { alias /data$1; }
    location ~ ^/f(?<file>\..*)$ { alias /data/$file; }
    location ~ ^/ok/(.*)$ { alias /data/$1; }
    location ~ ^/ok2(/.*)$ { alias /data$1; }
    location ~ ^/ok3([a-z]+)$ { alias /data/$1; }
    location ~* ^/ok4/(.+)\.(jpg|png)$ { alias /data/$1.$2; }
    location ~ ^/ok5(x|y)$ { alias /data$1; }
}
";
        assert_eq!(
            lines(text, "NGX005")
                .iter()
                .map(|(l, _)| *l)
                .collect::<Vec<_>>(),
            [2, 3, 4, 5, 6, 7, 8]
        );
        assert_eq!(
            severities(text, "NGX005"),
            [
                Severity::Error,
                Severity::Error,
                Severity::Warning,
                Severity::Warning,
                Severity::Error,
                Severity::Warning,
                Severity::Error
            ]
        );
        assert!(
            check_site(text)
                .iter()
                .all(|d| d.fix.is_none() || d.code != "NGX005")
        );
    }

    #[test]
    fn autoindex_on_is_reported_with_a_fix() {
        let text = "server {\n    autoindex off;\n    location /media/ {\n        alias /srv/media/;\n        autoindex on;\n    }\n    location /pub/ { autoindex On; }\n}\n";
        let d = check_site(text);
        assert_eq!(findings(&d, "NGX016", text), [(5, "on"), (7, "On")]);
        assert!(first(&d, "NGX016").message.contains("uploaded"));
        let fixed = fixed(&d, "NGX016", text);
        assert!(fixed.contains("        autoindex off;\n"));
        assert_eq!(lines(&fixed, "NGX016"), [(7, "On".to_owned())]);
    }

    #[test]
    fn hidden_files_under_a_served_root() {
        let text = "server {\n    listen 80;\n    root /srv/app;\n    location / {\n        try_files $uri @django;\n    }\n    location @django {\n        proxy_pass http://app;\n    }\n}\n";
        let d = check_site(text);
        assert_eq!(findings(&d, "NGX021", text), [(1, "server")]);
        let f = d.iter().find(|d| d.code == "NGX021").unwrap();
        assert!(
            f.message.contains("`/.git/config` and `/.env`"),
            "{}",
            f.message
        );
        assert!(f.message.contains("`root /srv/app`"), "{}", f.message);
        let fixed = fixed(&d, "NGX021", text);
        assert!(fixed.starts_with(
            "server {\n    location ~ /\\.(?!well-known/) { deny all; }\n    listen 80;"
        ));
        assert!(lines(&fixed, "NGX021").is_empty());
        // served by the server itself (no location matches)
        let text = "server { root /srv/app; location /static/ { } }";
        assert_eq!(lines(text, "NGX021").len(), 1);
    }

    #[test]
    fn hidden_files_not_served() {
        // proxied, denied, returned, no root, a guard location, a fallback that never serves $uri
        for text in [
            "server { root /srv/app; location / { proxy_pass http://app; } }",
            "server { root /srv/app; location ~ /\\. { deny all; } location / { } }",
            "server { root /srv/app; return 301 https://$host$request_uri; }",
            "server { location / { } }",
            "server { root /srv/app; location / { try_files /maintenance.html @app; } location @app { proxy_pass http://app; } }",
            "server { root /srv/app; deny all; }",
            "server { root /srv/app; location / { auth_basic \"x\"; } }",
            "server { root /srv/app; location / { include /nowhere/x.conf; } }",
            "server { root /srv/app; location / { if ($uri ~ /\\.) { return 404; } } }",
        ] {
            assert!(lines(text, "NGX021").is_empty(), "{text}");
        }
    }

    #[test]
    fn hidden_files_fix_only_where_a_regex_location_would_win() {
        let text = "server { location ^~ / { root /srv/app; } }";
        let d = check_site(text);
        assert_eq!(lines(text, "NGX021").len(), 1);
        assert!(first(&d, "NGX021").fix.is_none());
    }

    #[test]
    fn ten_thousand_nested_locations_are_routed() {
        let depth = 10_000;
        let text = format!(
            "server {{\n root /srv/app;\n{}{}}}\n",
            "location / {\n".repeat(depth),
            "}\n".repeat(depth)
        );
        assert_eq!(lines(&text, "NGX021"), [(1, "server".to_owned())]);
    }

    #[test]
    fn filesystem_root() {
        let text = "server {\n    root /;\n    location /a/ { alias /srv/..//; }\n    location /b/ { root /srv; alias $x; }\n    location /c/ { root //; }\n}\n";
        assert_eq!(
            lines(text, "NGX022"),
            [
                (2, "/".to_owned()),
                (3, "/srv/..//".to_owned()),
                (5, "//".to_owned())
            ]
        );
        assert!(!is_filesystem_root("relative"));
        assert!(!is_filesystem_root("/srv/app/.."));
        assert!(is_filesystem_root("/../.."));
    }

    #[test]
    fn valid_referers_none() {
        let text = "server {\n    location /img/ {\n        valid_referers none blocked server_names;\n    }\n    location /b/ { valid_referers blocked none; }\n    location /c/ { valid_referers none; }\n    location /d/ { valid_referers server_names *.example.com; }\n}\n";
        let d = check_site(text);
        assert_eq!(
            findings(&d, "NGX050", text),
            [(3, "none"), (5, "none"), (6, "none")]
        );
        assert_eq!(first(&d, "NGX050").severity, Severity::Error);
        let fixed1 = fixed(&d, "NGX050", text);
        assert!(fixed1.contains("valid_referers blocked server_names;"));
        let second = d.iter().filter(|d| d.code == "NGX050").nth(1).unwrap();
        let fixed2 = crate::diagnostic::apply_edits(text, &second.fix.as_ref().unwrap().edits);
        assert!(fixed2.contains("valid_referers blocked;"));
        assert_eq!(lines(&fixed2, "NGX050").len(), 2);
        // `none` alone cannot be removed
        assert!(
            d.iter()
                .filter(|d| d.code == "NGX050")
                .nth(2)
                .unwrap()
                .fix
                .is_none()
        );
    }

    #[test]
    fn try_files_without_open_file_cache() {
        let text = "server {\n    location / {\n        try_files $uri @app;\n    }\n    location /s/ {\n        open_file_cache off;\n        try_files $uri =404;\n    }\n}\nserver {\n    open_file_cache max=100;\n    location / { try_files $uri =404; }\n}\n";
        let d = check_site(text);
        assert_eq!(
            findings(&d, "NGX061", text),
            [(3, "try_files $uri @app;"), (7, "try_files $uri =404;")]
        );
        let fixed1 = fixed(&d, "NGX061", text);
        assert!(
            fixed1
                .contains("try_files $uri @app;\n        open_file_cache max=1000 inactive=20s;\n")
        );
        assert_eq!(lines(&fixed1, "NGX061").len(), 1);
        let second = d.iter().filter(|d| d.code == "NGX061").nth(1).unwrap();
        let fixed2 = crate::diagnostic::apply_edits(text, &second.fix.as_ref().unwrap().edits);
        assert!(fixed2.contains("open_file_cache max=1000 inactive=20s;\n        try_files"));
        assert_eq!(lines(&fixed2, "NGX061").len(), 1);
        // an include that may set it: silent
        let text = "server { include /nowhere/cache.conf; location / { try_files $uri =404; } }";
        assert!(lines(text, "NGX061").is_empty());
    }
}
