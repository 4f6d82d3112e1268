//! How nginx proxies to the app: the headers Django's request depends on.

use crate::diagnostic::Diagnostic;
use crate::diagnostic::Severity::Warning;
use crate::rules::RuleMeta;

use super::Ctx;

pub static RULES: [RuleMeta; 1] = [RuleMeta {
    code: "NGX012",
    name: "host-from-http-host",
    severity: Warning,
    summary: "The proxied `Host` header is the client's `Host` header unchecked",
    django: None,
    gixy: Some("host_spoofing"),
    docs: "`proxy_set_header Host $http_host;` forwards whatever `Host` the client sent (or the \
value of a query argument, with `$arg_*`). `$host` is nginx's normalised host: the request \
line's host, else the `Host` header, else the `server_name` that matched, lower-cased and \
without the port. Django builds absolute URLs (password reset links, redirects) from the host \
it receives and validates it against `ALLOWED_HOSTS`; with `$http_host` a mistake in \
ALLOWED_HOSTS becomes a host header injection. Debian's `proxy_params` uses `$http_host`: \
set the header after including it.\n\n**Fix:** `proxy_set_header Host $host;` (the quick-fix).",
}];

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    host_from_client(ctx, out);
}

/// NGX012: `proxy_set_header Host $http_host` (or `$arg_*`).
fn host_from_client(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for id in ctx.config.walk() {
        let d = ctx.config.get(id);
        if !d.is("proxy_set_header") || !d.arg(0).is_some_and(|h| h.eq_ignore_ascii_case("host")) {
            continue;
        }
        let Some(value) = d.arg(1) else { continue };
        let message = if value == "$http_host" {
            "`Host $http_host` passes the client's Host header to Django unchecked: use `$host`"
                .to_owned()
        } else if value.starts_with("$arg_") {
            format!("`Host {value}` lets any client choose the Host Django sees: use `$host`")
        } else {
            continue;
        };
        let fix = ctx.replace_arg(id, 1, "$host", "Use `$host`");
        if let Some(diagnostic) = ctx.report_arg(out, "NGX012", id, 1, message) {
            diagnostic.fix = fix;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::nginx::testing::*;
    use crate::source::MemoryLoader;

    #[test]
    fn host_from_http_host_is_reported_at_the_value_with_a_fix() {
        let text = "server {\n    location / {\n        proxy_pass http://app;\n        proxy_set_header Host $http_host;\n    }\n}\n";
        let d = only(check_site(text), "NGX012");
        assert_eq!(findings(&d, "NGX012", text), [(4, "$http_host")]);
        let d: Vec<_> = d.into_iter().filter(|d| d.code == "NGX012").collect();
        assert_eq!(
            d[0].references.get("gixy").map(String::as_str),
            Some("host_spoofing")
        );
        assert!(fixed(&d, "NGX012", text).contains("proxy_set_header Host $host;"));
        assert!(
            check_site(&fixed(&d, "NGX012", text))
                .iter()
                .all(|d| d.code != "NGX012")
        );
    }

    #[test]
    fn host_from_a_query_argument_is_reported_and_host_is_not() {
        let text = "server { location / { proxy_set_header HOST $arg_h; } location /b { proxy_set_header Host $host; proxy_set_header X-Host $http_host; } }";
        assert_eq!(findings(&check_site(text), "NGX012", text), [(1, "$arg_h")]);
    }

    #[test]
    fn a_main_config_is_checked_at_every_level() {
        let text = "events {}\nhttp {\n    proxy_set_header Host $http_host;\n}\n";
        assert_eq!(
            findings(&check_main(text), "NGX012", text),
            [(3, "$http_host")]
        );
    }

    #[test]
    fn debians_proxy_params_is_reported_at_the_include() {
        let text = "server {\n    location / {\n        include proxy_params;\n        proxy_pass http://app;\n    }\n}\n";
        let d = only(check_site(text), "NGX012");
        assert_eq!(findings(&d, "NGX012", text), [(3, "include proxy_params;")]);
        let d: Vec<_> = d.into_iter().filter(|d| d.code == "NGX012").collect();
        assert!(d[0].message.contains("proxy_params"));
        assert!(d[0].fix.is_none());
        // the project's own proxy_params wins over the built-in one
        let loader = MemoryLoader::default()
            .with("/srv/site/proxy_params", "proxy_set_header Host $host;\n");
        let d = check_with("/srv/site/sites-available/app", text, &loader);
        assert!(findings(&d, "NGX012", text).is_empty());
    }
}
