//! User uploads (Django's MEDIA_ROOT) served by nginx: they must never reach a script handler,
//! and the browser must treat them as inert files.

use rustc_hash::FxHashSet as HashSet;

use crate::diagnostic::Severity::{Error, Information, Warning};
use crate::diagnostic::{Diagnostic, Edit, Fix, Related};
use crate::nginx::location::{Modifier, Route, pattern};
use crate::nginx::model::{Config, Context, DirId, Inheritance};
use crate::rules::RuleMeta;

use super::app::{app_pass, app_servers, is_media_location};
use super::headers::{level_name, statement};
use super::{Ctx, Reach};

pub static RULES: [RuleMeta; 3] = [
    RuleMeta {
        code: "NGX004",
        name: "media-executable",
        severity: Error,
        summary: "Uploaded files can reach a script handler (`fastcgi_pass`, `*_by_lua`, ...)",
        django: None,
        gixy: None,
        docs: "nginx picks a regex location over a plain prefix location: with `location \
/media/ { alias ...; }` and `location ~ \\.php$ { fastcgi_pass ...; }` in the same server, a \
request for `/media/avatar.php` goes to PHP, and a user who uploads `avatar.php` (or an image \
with PHP inside, requested as `/media/avatar.jpg/x.php`) runs code on your server. Preflight \
asks nginx's location choice where `/media/upload.php`, `.phtml`, `.py`, `.pl`, `.cgi`, `.sh`, \
`.jsp`, `.asp(x)`, `.lua`, `.shtml` ... would go, and reports the media location when one of \
them reaches a location that passes requests to a script runner (`fastcgi_pass`, `scgi_pass`, \
`*_by_lua*`; `proxy_pass`, `uwsgi_pass` and `grpc_pass` only when the location handles script \
extensions but not images), or when such a handler sits inside the media location itself. \
Media locations are found by name (`/media/`, `/uploads/`, ...) or by the folder they serve.\n\n\
**Fix:** `location ^~ /media/` (the quick-fix, when the media location is a plain prefix \
location: `^~` stops nginx from trying regex locations for its URLs; review it, since regex \
locations that set caching headers for images no longer apply to media), and remove script \
handlers from inside the media location.",
    },
    RuleMeta {
        code: "NGX017",
        name: "media-nosniff",
        severity: Warning,
        summary: "User uploads are served without `X-Content-Type-Options: nosniff`",
        django: None,
        gixy: None,
        docs: "Django's `SECURE_CONTENT_TYPE_NOSNIFF` adds `X-Content-Type-Options: nosniff` to \
the responses *Django* sends; files nginx serves from MEDIA_ROOT never pass through Django. \
Without the header a browser may sniff an uploaded \"image\" as HTML or JavaScript and run it \
on your domain (stored XSS). Preflight checks the headers nginx really sends for the media \
location: its own `add_header` directives, or the enclosing blocks' when it has none.\n\n\
**Fix:** `add_header X-Content-Type-Options nosniff always;` in the media location (the \
quick-fix; when the location had no `add_header` of its own, it also copies the inherited ones, \
since nginx would otherwise drop them there).",
    },
    RuleMeta {
        code: "NGX018",
        name: "media-sandbox-csp",
        severity: Information,
        summary: "User uploads are served on the app's domain without a sandboxing CSP",
        django: None,
        gixy: None,
        docs: "An uploaded HTML or SVG file served from the app's own domain runs with the app's \
origin: its scripts can read the user's pages and send requests with their session (Django's \
security documentation on user-uploaded content). A `Content-Security-Policy` with `sandbox` on \
the media location makes browsers treat every such file as coming from a unique, powerless \
origin. Reported for media locations of servers that also pass requests to the app.\n\n\
**Fix:** `add_header Content-Security-Policy \"default-src 'none'; sandbox\" always;` in the \
media location (the quick-fix, copying inherited headers like `media-nosniff`; review it: \
some browsers then refuse to show PDFs inline), or serve MEDIA_URL from a separate \
registrable domain.",
    },
];

/// Media locations checked per server at most (each costs a few routings).
const MAX_MEDIA_LOCATIONS: usize = 256;

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if !ctx.runs(Reach::Server) {
        return;
    }
    let config = ctx.config;
    let apps = app_servers(config);
    for server in config.servers() {
        for media in outermost_media(config, server)
            .into_iter()
            .take(MAX_MEDIA_LOCATIONS)
        {
            executable(ctx, server, media, out);
            for served in serving_blocks(config, media) {
                nosniff(ctx, served, out);
                if apps.contains(&server) {
                    sandbox(ctx, served, out);
                }
            }
        }
    }
}

/// The media locations of `server` not nested in another one (whose checks cover them), in
/// one pass: a location is covered when its parent is.
fn outermost_media(config: &Config, server: DirId) -> Vec<DirId> {
    let mut covered: HashSet<DirId> = HashSet::default();
    let mut outermost = Vec::new();
    for location in config.locations(server) {
        if config
            .get(location)
            .parent
            .is_some_and(|p| covered.contains(&p))
        {
            covered.insert(location);
        } else if is_media_location(config, location) {
            covered.insert(location);
            outermost.push(location);
        }
    }
    outermost
}

// ----- NGX004 media-executable -----

/// Extensions script runners execute.
const SCRIPT_EXTENSIONS: &[&str] = &[
    "php", "phtml", "php5", "php7", "phar", "py", "pl", "cgi", "sh", "jsp", "asp", "aspx", "lua",
    "shtml",
];

/// Handlers that run the file a request names.
const SCRIPT_RUNNERS: &[&str] = &["fastcgi_pass", "scgi_pass"];
/// Handlers that pass a request on to another server, which may run it.
const FORWARDERS: &[&str] = &["proxy_pass", "uwsgi_pass", "grpc_pass"];

/// The directive of `location` (directly or in an `if` in it) that hands requests to a script
/// runner or another server, and whether it runs scripts itself.
fn handler(config: &Config, location: DirId) -> Option<(DirId, bool)> {
    let find = |block: DirId| {
        config.children_of(Some(block)).iter().find_map(|&c| {
            let name = config.get(c).name();
            if SCRIPT_RUNNERS.contains(&name) || name.contains("_by_lua") {
                Some((c, true))
            } else if FORWARDERS.contains(&name) {
                Some((c, false))
            } else {
                None
            }
        })
    };
    find(location).or_else(|| config.direct(Some(location), "if").find_map(find))
}

fn executable(ctx: &Ctx<'_>, server: DirId, media: DirId, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    let Some(p) = pattern(config.get(media)) else {
        return;
    };
    if !p.modifier.is_prefix()
        || config
            .scopes(Some(media))
            .take_while(|&s| s != config.get(server).parent)
            .any(|s| config.has_unresolved_include(s))
    {
        return;
    }
    let base = if p.uri.ends_with('/') {
        p.uri.clone()
    } else {
        format!("{}/", p.uri)
    };
    let route = |uri: &str| ctx.router().route(server, uri);
    let Route::Location(image_goes_to) = route(&format!("{base}upload.jpg")) else {
        return;
    };
    for extension in SCRIPT_EXTENSIONS {
        let uri = format!("{base}upload.{extension}");
        let location = match route(&uri) {
            Route::Location(Some(location)) => location,
            Route::Location(None) => continue,
            Route::Unknown => return,
        };
        let Some((pass, runs_scripts)) = handler(config, location) else {
            continue;
        };
        // a location that forwards images too is a proxy for the whole folder (object
        // storage, the app), not a script handler
        if !runs_scripts && image_goes_to == Some(location) {
            continue;
        }
        if config.has_unresolved_include(Some(location)) {
            return;
        }
        let inside = location == media || config.ancestors(location).any(|a| a == media);
        report_executable(ctx, server, media, location, pass, &uri, inside, out);
        return;
    }
}

#[allow(clippy::too_many_arguments)]
fn report_executable(
    ctx: &Ctx<'_>,
    server: DirId,
    media: DirId,
    location: DirId,
    pass: DirId,
    uri: &str,
    inside: bool,
    out: &mut Vec<Diagnostic>,
) {
    let config = ctx.config;
    let media_name = level_name(config, Some(media));
    let pass_name = config.get(pass).name();
    let message = if inside {
        format!(
            "`{uri}` is handed to `{pass_name}` inside {media_name}, so an uploaded script can run: \
             remove the script handler from the media location"
        )
    } else {
        format!(
            "`{uri}` goes to {} and its `{pass_name}`, so an uploaded script can run: make the \
             media location `^~` so regex locations never see its URLs",
            level_name(config, Some(location))
        )
    };
    let fix = if inside {
        None
    } else {
        prefix_stop_fix(ctx, server, media)
    };
    if let Some(diagnostic) = ctx.report(out, "NGX004", media, message) {
        diagnostic.related = vec![Related {
            path: config.path_of(pass).to_path_buf(),
            range: config.get(pass).range,
            message: format!("`{pass_name}` handles `{uri}` here"),
        }];
        diagnostic.fix = fix;
    }
}

/// `location /media/` -> `location ^~ /media/`, when that keeps every regex location away:
/// the enclosing locations (if any) must stop the regex search too.
fn prefix_stop_fix(ctx: &Ctx<'_>, server: DirId, media: DirId) -> Option<Fix> {
    let config = ctx.config;
    let p = pattern(config.get(media))?;
    let enclosing_stop = config
        .ancestors(media)
        .take_while(|&a| a != server)
        .all(|a| pattern(config.get(a)).is_some_and(|p| p.modifier == Modifier::PrefixStop));
    if p.modifier != Modifier::Prefix || !enclosing_stop || !config.is_local(media) {
        return None;
    }
    let arg = config.get(media).args.get(p.arg)?;
    Some(Fix {
        title: format!("Use `location ^~ {}`", p.uri),
        edits: vec![Edit::insert(arg.range.start, "^~ ")],
        safe: false,
    })
}

// ----- NGX017 media-nosniff, NGX018 media-sandbox-csp -----

/// The blocks whose headers media responses get: the media location, and the locations nested
/// in it that set their own headers. Locations that pass requests on are left out: what they
/// reach (the app, object storage) sets its own headers.
fn serving_blocks(config: &Config, media: DirId) -> Vec<DirId> {
    std::iter::once(media)
        .chain(config.descendants(media).filter(|&l| {
            config.get(l).is("location")
                && config.get(l).body.is_some()
                && config.first(Some(l), "add_header").is_some()
        }))
        .filter(|&l| app_pass(config, l).is_none() && handler(config, l).is_none())
        .collect()
}

/// Whether the headers in effect in `block` include `name` with a value `accepts`
/// (`add_header`, or headers-more's `more_set_headers` anywhere in scope). `None`: unknown.
fn sends_header(
    config: &Config,
    block: DirId,
    name: &str,
    accepts: impl Fn(&str) -> bool,
) -> Option<bool> {
    let headers = config.effective_array(Some(block), "add_header").ok()?;
    let added = headers.directives.iter().any(|&h| {
        let d = config.get(h);
        d.arg(0).is_some_and(|n| n.eq_ignore_ascii_case(name)) && d.arg(1).is_some_and(&accepts)
    });
    let more = config.scopes(Some(block)).any(|scope| {
        config.direct(scope, "more_set_headers").any(|m| {
            config.get(m).values().any(|arg| {
                arg.split_once(':')
                    .is_some_and(|(n, v)| n.trim().eq_ignore_ascii_case(name) && accepts(v.trim()))
            })
        })
    });
    Some(added || more)
}

const NOSNIFF: &str = "add_header X-Content-Type-Options nosniff always;";
const SANDBOX: &str = "add_header Content-Security-Policy \"default-src 'none'; sandbox\" always;";

fn nosniff(ctx: &Ctx<'_>, block: DirId, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    let Some(false) = sends_header(config, block, "X-Content-Type-Options", |v| {
        v.to_ascii_lowercase().contains("nosniff")
    }) else {
        return;
    };
    let message = format!(
        "Uploads served by {} lack `X-Content-Type-Options: nosniff`, so a browser may run an \
         uploaded file as HTML or script: add `{NOSNIFF}`",
        level_name(config, Some(block))
    );
    let fix = add_header_fix(ctx, block, NOSNIFF, true);
    if let Some(diagnostic) = ctx.report(out, "NGX017", block, message) {
        diagnostic.fix = fix;
    }
}

fn sandbox(ctx: &Ctx<'_>, block: DirId, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    let Some(false) = sends_header(config, block, "Content-Security-Policy", |v| {
        v.split(';').any(|directive| {
            directive
                .split_whitespace()
                .next()
                .is_some_and(|d| d.eq_ignore_ascii_case("sandbox"))
        })
    }) else {
        return;
    };
    let message = format!(
        "Uploads served by {} run with the app's origin: add `{SANDBOX}` or serve MEDIA_URL \
         from another domain",
        level_name(config, Some(block))
    );
    let fix = add_header_fix(ctx, block, SANDBOX, false);
    if let Some(diagnostic) = ctx.report(out, "NGX018", block, message) {
        diagnostic.fix = fix;
    }
}

/// Adds `line` to `block`. A block without `add_header` of its own inherits its parent's, and
/// would lose them with the first one: the inherited ones are copied along. When they may
/// include headers Preflight cannot see (the `http` block around a site file), the fix is not
/// safe.
fn add_header_fix(ctx: &Ctx<'_>, block: DirId, line: &str, safe: bool) -> Option<Fix> {
    let config = ctx.config;
    let own: Vec<DirId> = config.direct(Some(block), "add_header").collect();
    if let Some(&last) = own.iter().rev().find(|&&h| config.is_local(h)) {
        let mut fix = ctx.insert_after(last, &[line], "Add the header")?;
        fix.safe = safe;
        return Some(fix);
    }
    let inherited = config.effective_array(Some(block), "add_header").ok()?;
    let mut statements: Vec<&str> = Vec::new();
    let mut unseen = false;
    if own.is_empty() && config.array_inheritance(Some(block), "add_header") == Inheritance::On {
        for &h in &inherited.directives {
            statements.push(statement(config, h)?);
        }
        unseen = inherited.level.is_none() && config.root == Context::Http;
    }
    statements.push(line);
    let title = if statements.len() > 1 {
        "Add the header (and repeat the inherited ones)"
    } else {
        "Add the header"
    };
    let mut fix = ctx.insert_in_block(block, &statements, title)?;
    fix.safe = safe && !unseen;
    Some(fix)
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::nginx::testing::*;

    fn lines(text: &str, code: &str) -> Vec<(usize, String)> {
        findings(&check_site(text), code, text)
            .into_iter()
            .map(|(l, t)| (l, t.to_owned()))
            .collect()
    }

    const PHP: &str = "server {\n    listen 80;\n    location /media/ {\n        alias /srv/app/media/;\n    }\n    location ~ \\.php$ {\n        fastcgi_pass unix:/run/php.sock;\n    }\n}\n";

    #[test]
    fn a_php_location_runs_uploads() {
        let d = check_site(PHP);
        assert_eq!(findings(&d, "NGX004", PHP), [(3, "location /media/")]);
        let f = d.iter().find(|d| d.code == "NGX004").unwrap();
        assert_eq!(f.severity, Severity::Error);
        assert!(
            f.message
                .contains("`/media/upload.php` goes to `location ~ \\.php$`"),
            "{}",
            f.message
        );
        assert_eq!(f.related.len(), 1);
        let fix = f.fix.as_ref().unwrap();
        assert!(!fix.safe);
        let fixed = fixed(&d, "NGX004", PHP);
        assert!(fixed.contains("location ^~ /media/ {"));
        assert!(lines(&fixed, "NGX004").is_empty());
    }

    #[test]
    fn handlers_inside_media_and_lua_and_cgi() {
        let text = "server {\n    location /uploads/ {\n        root /srv;\n        location ~ \\.php$ { fastcgi_pass php; }\n    }\n}\n";
        let d = check_site(text);
        assert_eq!(findings(&d, "NGX004", text), [(2, "location /uploads/")]);
        assert!(
            first(&d, "NGX004")
                .message
                .contains("inside `location /uploads/`"),
            "{}",
            first(&d, "NGX004").message
        );
        assert!(first(&d, "NGX004").fix.is_none());
        let text = "server { location /media { alias /m/; } location ~* \\.lua$ { content_by_lua_file $request_filename; } }";
        assert_eq!(lines(text, "NGX004").len(), 1);
        let text = "server { location /media/ { alias /m/; } location ~ \\.(pl|cgi)$ { if ($a) { scgi_pass 127.0.0.1:9000; } } }";
        assert_eq!(lines(text, "NGX004").len(), 1);
    }

    #[test]
    fn safe_media_locations() {
        for text in [
            // `^~` keeps regex locations away
            "server { location ^~ /media/ { alias /m/; } location ~ \\.php$ { fastcgi_pass php; } }",
            // no script handler
            "server { location /media/ { alias /m/; } location ~* \\.(css|js)$ { expires 1d; } }",
            // a proxy for everything, images included (object storage, the app)
            "server { location /media/ { proxy_pass http://minio; } }",
            "server { location /media/ { alias /m/; } location ~ ^/ { proxy_pass http://app; } }",
            // a regex Preflight cannot read decides: silent
            "server { location /media/ { alias /m/; } location ~ (?<=x)\\1 { fastcgi_pass php; } }",
        ] {
            assert!(lines(text, "NGX004").is_empty(), "{text}");
        }
        // a proxy for scripts only is reported
        let text = "server { location /media/ { alias /m/; } location ~ \\.php$ { proxy_pass http://apache; } }";
        assert_eq!(lines(text, "NGX004").len(), 1);
    }

    #[test]
    fn nested_media_locations_get_no_prefix_stop_fix() {
        let text = "server { location / { location /media/ { alias /m/; } } location ~ \\.php$ { fastcgi_pass php; } }";
        let d = check_site(text);
        assert_eq!(lines(text, "NGX004").len(), 1);
        assert!(d.iter().find(|d| d.code == "NGX004").unwrap().fix.is_none());
    }

    #[test]
    fn media_without_nosniff_copies_inherited_headers() {
        let text = "server {\n    add_header Strict-Transport-Security \"max-age=63072000\" always;\n    location /media/ {\n        alias /srv/media/;\n    }\n    location / {\n        proxy_pass http://app;\n    }\n}\n";
        let d = check_site(text);
        assert_eq!(findings(&d, "NGX017", text), [(3, "location /media/")]);
        assert_eq!(findings(&d, "NGX018", text), [(3, "location /media/")]);
        let nosniff = d.iter().find(|d| d.code == "NGX017").unwrap();
        assert!(nosniff.fix.as_ref().unwrap().safe);
        let fixed = fixed(&d, "NGX017", text);
        assert!(fixed.contains("    location /media/ {\n        add_header Strict-Transport-Security \"max-age=63072000\" always;\n        add_header X-Content-Type-Options nosniff always;\n        alias /srv/media/;"), "{fixed}");
        let after = check_site(&fixed);
        assert!(findings(&after, "NGX017", &fixed).is_empty());
        assert!(findings(&after, "NGX019", &fixed).is_empty());
        let fixed = super::super::testing::fixed(&d, "NGX018", text);
        assert!(fixed.contains(
            "add_header Content-Security-Policy \"default-src 'none'; sandbox\" always;"
        ));
        assert!(lines(&fixed, "NGX018").is_empty());
        assert!(
            !d.iter()
                .find(|d| d.code == "NGX018")
                .unwrap()
                .fix
                .as_ref()
                .unwrap()
                .safe
        );
    }

    #[test]
    fn headers_nginx_really_sends() {
        // inherited from the server: fine; dropped by the location's own add_header: reported
        let text = "server {\n    add_header X-Content-Type-Options nosniff;\n    add_header Content-Security-Policy \"sandbox; default-src 'none'\";\n    location /media/ { alias /m/; }\n    location /uploads/ { alias /u/; add_header Cache-Control public; }\n}\n";
        let d = check_site(text);
        assert_eq!(findings(&d, "NGX017", text), [(5, "location /uploads/")]);
        // the media fix adds one line after the location's own headers
        let fixed = fixed(&d, "NGX017", text);
        assert!(fixed.contains("add_header Cache-Control public;\n    add_header X-Content-Type-Options nosniff always;") || fixed.contains("add_header Cache-Control public; add_header X-Content-Type-Options"), "{fixed}");
        // more_set_headers counts; a media location of a server without the app gets no CSP finding
        let text = "server { more_set_headers 'X-Content-Type-Options: nosniff'; location /media/ { alias /m/; } }";
        assert!(lines(text, "NGX017").is_empty());
        assert!(lines(text, "NGX018").is_empty());
        // an unresolved include may set them
        let text = "server { include /nowhere/headers.conf; location /media/ { alias /m/; } location / { proxy_pass http://app; } }";
        assert!(lines(text, "NGX017").is_empty());
        assert!(lines(text, "NGX018").is_empty());
    }

    #[test]
    fn a_site_file_cannot_see_the_http_level_headers() {
        let text = "server { location /media/ { alias /m/; } }";
        let d = check_site(text);
        assert_eq!(lines(text, "NGX017").len(), 1);
        assert!(
            !d.iter()
                .find(|d| d.code == "NGX017")
                .unwrap()
                .fix
                .as_ref()
                .unwrap()
                .safe
        );
        let text = "events {}\nhttp { server { location /media/ { alias /m/; } } }\n";
        let d = check_main(text);
        let f = d.iter().find(|d| d.code == "NGX017").unwrap();
        assert!(f.fix.as_ref().unwrap().safe);
    }

    #[test]
    fn nested_media_locations_are_checked_through_the_outermost() {
        let text = "server {\n    location /media/ {\n        alias /m/;\n        location /media/private/ { alias /p/; }\n    }\n    location ~ \\.php$ { fastcgi_pass php; }\n}\n";
        assert_eq!(lines(text, "NGX004"), [(2, "location /media/".to_owned())]);
        assert_eq!(lines(text, "NGX017"), [(2, "location /media/".to_owned())]);
        // ten thousand of them, nested: one routing per sample URI
        let depth = 10_000;
        let text = format!(
            "server {{\n{}{}location ~ \\.php$ {{ fastcgi_pass php; }}\n}}\n",
            "location /media/ { alias /m/;\n".repeat(depth),
            "}\n".repeat(depth)
        );
        let d = check_site(&text);
        assert_eq!(findings(&d, "NGX004", &text), [(2, "location /media/")]);
        assert!(fixed(&d, "NGX004", &text).starts_with("server {\nlocation ^~ /media/ {"));
    }

    #[test]
    fn nested_locations_with_their_own_headers() {
        let text = "server {\n    location /media/ {\n        alias /m/;\n        add_header X-Content-Type-Options nosniff;\n        location ~* \\.svg$ { add_header Cache-Control public; }\n    }\n}\n";
        assert_eq!(
            lines(text, "NGX017"),
            [(5, "location ~* \\.svg$".to_owned())]
        );
    }
}
