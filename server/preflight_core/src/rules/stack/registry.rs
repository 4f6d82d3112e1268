//! The registry entries of the stack rules (`STK###`), in the order of the rows of
//! `rules/stack.md`.

use crate::diagnostic::Severity::{Error, Information, Warning};
use crate::rules::RuleMeta;

pub static RULES: [RuleMeta; 14] = [
    RuleMeta {
        code: "STK001",
        name: "proxy-ssl-header-not-set",
        severity: Error,
        summary: "SECURE_PROXY_SSL_HEADER names a header the app's nginx location does not set",
        django: None,
        gixy: None,
        docs: "With `SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")` Django \
believes a request is HTTPS whenever the header says so. Only the proxy may set it: when the \
nginx location that passes requests to the app does not set it (inheritance counts: a \
`proxy_set_header` in the location drops every one from the server), a client can send \
`X-Forwarded-Proto: https` over plain HTTP and Django treats the request as secure (secure \
cookies over HTTP, no HTTPS redirect); and real HTTPS requests look insecure, so \
`SECURE_SSL_REDIRECT` loops. Reported in the nginx file at the location, with the setting as \
related information; NGX001 stays silent where this rule reports (the settings say which \
header matters).\n\n**Fix:** `proxy_set_header X-Forwarded-Proto $scheme;` (the quick-fix, \
with the header the settings name, placed where NGX001's fix puts it).",
    },
    RuleMeta {
        code: "STK002",
        name: "proxy-ssl-header-missing",
        severity: Warning,
        summary: "nginx sets X-Forwarded-Proto and SECURE_SSL_REDIRECT is on, but SECURE_PROXY_SSL_HEADER is unset",
        django: None,
        gixy: None,
        docs: "Behind nginx terminating TLS, Django receives plain HTTP from the proxy. Without \
`SECURE_PROXY_SSL_HEADER` it cannot tell that the client used HTTPS, so `SECURE_SSL_REDIRECT = \
True` redirects every request to HTTPS again: an endless redirect loop. nginx already sends the \
scheme (`proxy_set_header X-Forwarded-Proto $scheme;`); Django only has to read it. Reported in \
the production settings (at SECURE_SSL_REDIRECT), with the nginx line as related \
information.\n\n**Fix:** `SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")` \
(the quick-fix, with the header nginx sets). Only safe because nginx overrides the header: keep \
it that way (STK001).",
    },
    RuleMeta {
        code: "STK003",
        name: "upstream-bind-mismatch",
        severity: Error,
        summary: "nginx proxies to an address gunicorn does not bind",
        django: None,
        gixy: None,
        docs: "nginx's `proxy_pass` (or the `server` of its `upstream`) must reach the socket \
gunicorn binds: the same unix socket path, or the same port on a compatible host (gunicorn on \
`0.0.0.0` or `[::]` accepts any host name, such as compose's `web:8000`). Otherwise every \
request ends in `502 Bad Gateway`. A location that proxies to another local service is not the \
app, so the rule reports only when no app target of the file matches any bind. Reported in \
the nginx file at the target, with gunicorn's `bind` as related information.\n\n**Fix:** point \
`proxy_pass` at the address gunicorn binds (the quick-fix, not applied automatically), or change \
`bind`.",
    },
    RuleMeta {
        code: "STK004",
        name: "public-bind",
        severity: Warning,
        summary: "gunicorn binds every interface while nginx proxies to it locally",
        django: None,
        gixy: None,
        docs: "gunicorn's `bind = \"0.0.0.0:8000\"` (or `[::]`) listens on every interface. When \
nginx reaches it on loopback or through a unix socket, the app is also reachable around the \
proxy: no TLS, no Host validation, no request buffering, no rate limits. This is gunicorn.md's \
`public-bind` check (no GUN code of its own). Reported in the gunicorn config at `bind`, with \
nginx's `proxy_pass`/`upstream` server as related information. In containers (compose's \
`web:8000`) nginx reaches gunicorn over the container network and `0.0.0.0` is needed: that \
case is not reported.\n\n**Fix:** bind to the address nginx uses, e.g. `bind = \"127.0.0.1:8000\"` \
or `bind = \"unix:/run/gunicorn.sock\"` (the quick-fix, not applied automatically).",
    },
    RuleMeta {
        code: "STK005",
        name: "static-root-mismatch",
        severity: Warning,
        summary: "The nginx `alias`/`root` for STATIC_URL (MEDIA_URL) is not STATIC_ROOT (MEDIA_ROOT)",
        django: None,
        gixy: None,
        docs: "`collectstatic` copies files into `STATIC_ROOT` and uploads land in `MEDIA_ROOT`; \
nginx serves `STATIC_URL` and `MEDIA_URL` from the folder its `alias` (or `root` plus the URI) \
names. When the two differ, every static file or upload is a 404 in production. A root under \
the project (`BASE_DIR / \"staticfiles\"`) is compared by its path relative to the project (the \
project lives elsewhere on the server), an absolute root outside it exactly. With whitenoise in \
MIDDLEWARE Django serves static files itself and STATIC_ROOT is not compared. Reported in the \
nginx file at the `alias`/`root`, with the setting as related information.\n\n**Fix:** point \
the `alias` at the setting's folder (the quick-fix for an absolute root outside the project), \
or change the setting.",
    },
    RuleMeta {
        code: "STK006",
        name: "static-url-mismatch",
        severity: Warning,
        summary: "The nginx location that serves STATIC_ROOT (MEDIA_ROOT) is not at STATIC_URL (MEDIA_URL)",
        django: None,
        gixy: None,
        docs: "Django writes links to static files and uploads under `STATIC_URL` and \
`MEDIA_URL`. When nginx serves the collected folder under another prefix (`location /static/` \
while `STATIC_URL = \"/assets/\"`), the links Django writes reach the app instead and 404. \
Reported in the nginx file at the location's URI, with the setting as related \
information.\n\n**Fix:** make the location's prefix the setting's URL (the quick-fix, not \
applied automatically), or change the setting.",
    },
    RuleMeta {
        code: "STK007",
        name: "allowed-hosts-server-name-mismatch",
        severity: Warning,
        summary: "ALLOWED_HOSTS and the app server's `server_name` disagree",
        django: None,
        gixy: None,
        docs: "nginx passes a request to Django only for the names of the server that proxies to \
it, and Django answers only the names in ALLOWED_HOSTS (`.example.com` covers the domain and its \
subdomains; nginx's `*.example.com` only the subdomains, `.example.com` both). A name nginx \
serves but ALLOWED_HOSTS lacks gets `400 Bad Request` from Django (reported in the settings at \
ALLOWED_HOSTS, with the `server_name` as related information; the quick-fix adds the names). A \
public name ALLOWED_HOSTS lists but no app server serves never reaches Django, or reaches it \
only through a default server that validates nothing (reported in nginx at `server_name`; the \
quick-fix adds the names). Internal names (`localhost`, IP addresses, single-label container \
names) are left out: health checks reach gunicorn with them directly. ALLOWED_HOSTS with `\"*\"` \
is STK008's.\n\n**Fix:** list the same public names in both places.",
    },
    RuleMeta {
        code: "STK008",
        name: "no-host-validation",
        severity: Error,
        summary: "ALLOWED_HOSTS is \"*\" and unknown hosts reach Django through nginx's default server",
        django: None,
        gixy: None,
        docs: "With `\"*\"` in ALLOWED_HOSTS, Django accepts any Host header; that is tolerable only \
when nginx already keeps unknown hosts away from it: a catch-all default server (`listen 80 \
default_server; return 444;`, with `ssl_reject_handshake on;` for TLS) answers every name that \
no `server_name` claims. When the default server of a socket the app listens on is the app's \
own server (explicitly `default_server`, or the first server on the socket), nothing validates \
the Host: password reset links and cached pages can be made to point at an attacker's domain. \
A default server in another nginx file of the project counts. Reported in the settings at \
ALLOWED_HOSTS (DJ106 stays silent where this rule reports), with the app servers as related \
information.\n\n**Fix:** list the names nginx serves (the quick-fix replaces `\"*\"` with the \
app servers' `server_name`s, not applied automatically), and add a catch-all default server \
(NGX002's fix).",
    },
    RuleMeta {
        code: "STK009",
        name: "forwarded-host-unchecked",
        severity: Warning,
        summary: "USE_X_FORWARDED_HOST is on while nginx forwards a client-chosen X-Forwarded-Host",
        django: None,
        gixy: None,
        docs: "With `USE_X_FORWARDED_HOST = True`, Django takes the host from `X-Forwarded-Host` \
when present, before `Host`. nginx passes client headers on unless it sets them: a location \
that does not set `X-Forwarded-Host`, or sets it from a client value (`$http_host`, \
`$http_x_forwarded_host`), lets any client choose the host of the absolute URLs Django builds \
(password reset mails). Reported in the nginx file at the location (or at the client-chosen \
value, where NGX013 then stays silent), with the setting as related information.\n\n**Fix:** \
`proxy_set_header X-Forwarded-Host $host;` (the quick-fix), or turn USE_X_FORWARDED_HOST off \
when no proxy in front of nginx needs it.",
    },
    RuleMeta {
        code: "STK010",
        name: "body-size-below-django",
        severity: Information,
        summary: "nginx's `client_max_body_size` is below what Django accepts",
        django: None,
        gixy: None,
        docs: "`DATA_UPLOAD_MAX_MEMORY_SIZE` (2.5 MB by default) is the largest non-file request \
body Django accepts, and `FILE_UPLOAD_MAX_MEMORY_SIZE` the size up to which it keeps uploads in \
memory. When nginx's `client_max_body_size` in front of the app is smaller, such requests end \
in `413 Request Entity Too Large` from nginx before Django sees them, and the Django settings \
are dead letters. An unset or `0` limit is NGX023's. Reported in the nginx file at \
`client_max_body_size`, with the setting as related information.\n\n**Fix:** raise \
`client_max_body_size` to at least the Django limit (the quick-fix, not applied automatically), \
or lower the setting.",
    },
    RuleMeta {
        code: "STK011",
        name: "proxy-timeout-mismatch",
        severity: Information,
        summary: "nginx's `proxy_read_timeout` does not fit gunicorn's `timeout`",
        django: None,
        gixy: None,
        docs: "This is nginx.md's row 29 `proxy-timeout-mismatch` (NGX029 is not assigned: the \
check needs gunicorn's config, so it lives here). gunicorn kills a worker that is silent for \
`timeout` seconds (30 by default); nginx gives up after `proxy_read_timeout` (60 s by default). \
When nginx's is shorter, a slow request gets `504 Gateway Timeout` while gunicorn still works \
on it; when it is far longer (more than twice), the client waits for a worker that was killed \
long ago and gets a 502. Reported in the nginx file at `proxy_read_timeout` (or the app \
location when it is unset), with gunicorn's `timeout` as related information.\n\n**Fix:** set \
`proxy_read_timeout` a little above gunicorn's `timeout` (the quick-fix, not applied \
automatically).",
    },
    RuleMeta {
        code: "STK012",
        name: "proxy-buffering-off-sync",
        severity: Warning,
        summary: "`proxy_buffering off` in front of gunicorn's sync workers",
        django: None,
        gixy: None,
        docs: "gunicorn's `sync` workers (the default `worker_class`) handle one request at a \
time and need nginx to buffer: with `proxy_buffering off` a slow reader holds a worker for the \
whole response, with `proxy_request_buffering off` a slow upload does (gunicorn's deployment \
guide). This rule is NGX014 with the gunicorn config known: when the project has one, NGX014 \
defers to it (silent with async or `gthread` workers, this rule with sync workers). Reported in \
the nginx file at the directive, with gunicorn's `worker_class` as related information.\n\n\
**Fix:** remove the directive (the quick-fix, not applied automatically), or run gunicorn with \
`worker_class = \"gthread\"` or an async worker when the location streams.",
    },
    RuleMeta {
        code: "STK013",
        name: "hsts-max-age-mismatch",
        severity: Information,
        summary: "nginx and Django both send Strict-Transport-Security with different max-age",
        django: None,
        gixy: None,
        docs: "Django's SecurityMiddleware sends `Strict-Transport-Security: max-age=<SECURE_HSTS_SECONDS>` \
and nginx's `add_header Strict-Transport-Security` adds its own: responses from Django then \
carry two HSTS headers, and browsers honour the first one only, so one of the two settings is \
silently ignored. Reported in the nginx file at the `add_header`, with SECURE_HSTS_SECONDS as \
related information.\n\n**Fix:** use one max-age (the quick-fix writes Django's into nginx's \
header), or send HSTS from one place only.",
    },
    RuleMeta {
        code: "STK014",
        name: "forwarded-allow-all-public",
        severity: Error,
        summary: "gunicorn trusts forwarded headers from any address while bound publicly",
        django: None,
        gixy: None,
        docs: "`forwarded_allow_ips = \"*\"` makes gunicorn trust `X-Forwarded-Proto` and \
`X-Forwarded-For` from every peer. Bound to a public address, any client can connect directly \
and claim HTTPS or any IP address. gunicorn's own GUN001 reports `\"*\"` when the bind is not \
public; with a public bind this rule reports it instead (never both). Reported in the gunicorn \
config at `forwarded_allow_ips`, with `bind` as related information.\n\n**Fix:** \
`forwarded_allow_ips = \"127.0.0.1,::1\"` (nginx's address; the quick-fix, not applied \
automatically).",
    },
];
