//! Registry entries of the Django rules: one per `check --deploy` id they mirror.

use crate::diagnostic::Severity::{Error, Information, Warning};
use crate::django_version::DjangoVersion;
use crate::rules::RuleMeta;

/// The first Django release that has the check, for checks newer than the oldest supported.
const SINCE: &[(&str, DjangoVersion)] = &[
    ("DJ026", DjangoVersion::V6_0),
    ("DJ027", DjangoVersion::V6_1),
    ("DJ030", DjangoVersion::V6_1),
    ("DJ031", DjangoVersion::V6_1),
    ("DJ127", DjangoVersion::V6_1),
];

/// The first Django release with the check, when it is newer than the oldest supported.
pub(super) fn since(code: &str) -> Option<DjangoVersion> {
    SINCE.iter().find(|(c, _)| *c == code).map(|(_, v)| *v)
}

/// Whether the Django `version` has the check this rule mirrors.
pub(super) fn applies(code: &str, version: DjangoVersion) -> bool {
    since(code).is_none_or(|since| version >= since)
}

/// The registry entry of a Django rule code (rules only emit codes listed here).
pub(super) fn rule(code: &str) -> &'static RuleMeta {
    RULES
        .iter()
        .find(|r| r.code == code)
        .expect("every emitted Django rule code is registered")
}

pub static RULES: [RuleMeta; 58] = [
    RuleMeta {
        code: "DJ001",
        name: "security-middleware-missing",
        severity: Warning,
        summary: "SecurityMiddleware is not in MIDDLEWARE",
        django: Some("security.W001"),
        gixy: None,
        docs: "Without `django.middleware.security.SecurityMiddleware` in `MIDDLEWARE`, the \
SECURE_HSTS_SECONDS, SECURE_CONTENT_TYPE_NOSNIFF, SECURE_REFERRER_POLICY, \
SECURE_CROSS_ORIGIN_OPENER_POLICY and SECURE_SSL_REDIRECT settings have no effect.\n\n\
Django checks the exact dotted path: a subclass or a re-export does not count.\n\n\
**Fix:** add it as the first entry of MIDDLEWARE (the quick-fix does). If the project deliberately does without it (an API-only project, a custom replacement), \
add the id to `SILENCED_SYSTEM_CHECKS`: Preflight honours it, as Django does (a quick-fix \
can add it).",
    },
    RuleMeta {
        code: "DJ002",
        name: "xframe-options-middleware-missing",
        severity: Warning,
        summary: "XFrameOptionsMiddleware is not in MIDDLEWARE",
        django: Some("security.W002"),
        gixy: None,
        docs: "Without `django.middleware.clickjacking.XFrameOptionsMiddleware`, pages are served \
without an `X-Frame-Options` header, so other sites can frame them (clickjacking).\n\n\
**Fix:** add it to MIDDLEWARE, conventionally last (the quick-fix does). If the project deliberately does without it (an API-only project, a custom replacement), \
add the id to `SILENCED_SYSTEM_CHECKS`: Preflight honours it, as Django does (a quick-fix \
can add it).",
    },
    RuleMeta {
        code: "DJ003",
        name: "csrf-middleware-missing",
        severity: Warning,
        summary: "CsrfViewMiddleware is not in MIDDLEWARE",
        django: Some("security.W003"),
        gixy: None,
        docs: "Without `django.middleware.csrf.CsrfViewMiddleware`, no view is protected against \
cross-site request forgery unless each one is decorated.\n\n\
**Fix:** add it after SessionMiddleware and CommonMiddleware (the quick-fix does; it is not \
applied automatically because it starts rejecting POSTs that carry no token). If the project deliberately does without it (an API-only project, a custom replacement), \
add the id to `SILENCED_SYSTEM_CHECKS`: Preflight honours it, as Django does (a quick-fix \
can add it).",
    },
    RuleMeta {
        code: "DJ004",
        name: "hsts-seconds-not-set",
        severity: Warning,
        summary: "SECURE_HSTS_SECONDS is not set (HSTS is off)",
        django: Some("security.W004"),
        gixy: None,
        docs: "With SecurityMiddleware enabled and a falsy SECURE_HSTS_SECONDS, responses carry no \
`Strict-Transport-Security` header, so browsers will still try plain HTTP first. Django tests \
truthiness: `0` fires, the string `\"0\"` does not.\n\n\
**Fix:** once the whole site is served over HTTPS, set SECURE_HSTS_SECONDS, starting small \
(e.g. 3600) and raising it to a year (31536000). Browsers remember the header: enabling it \
carelessly is hard to undo, so the quick-fix is never applied automatically.",
    },
    RuleMeta {
        code: "DJ005",
        name: "hsts-include-subdomains-not-true",
        severity: Warning,
        summary: "SECURE_HSTS_INCLUDE_SUBDOMAINS is not True while HSTS is on",
        django: Some("security.W005"),
        gixy: None,
        docs: "With HSTS on but SECURE_HSTS_INCLUDE_SUBDOMAINS not `True` (Django tests `is True`), \
a subdomain can still be reached over plain HTTP and used to attack the main site.\n\n\
**Fix:** set `SECURE_HSTS_INCLUDE_SUBDOMAINS = True` once every subdomain serves HTTPS only.",
    },
    RuleMeta {
        code: "DJ006",
        name: "content-type-nosniff-not-true",
        severity: Warning,
        summary: "SECURE_CONTENT_TYPE_NOSNIFF is not True",
        django: Some("security.W006"),
        gixy: None,
        docs: "Without `X-Content-Type-Options: nosniff`, browsers may guess content types, e.g. run \
an uploaded file as a script. Django's default is `True`; only an explicit non-`True` value fires.\n\n\
**Fix:** set `SECURE_CONTENT_TYPE_NOSNIFF = True` (or remove the setting).",
    },
    RuleMeta {
        code: "DJ008",
        name: "ssl-redirect-not-true",
        severity: Warning,
        summary: "SECURE_SSL_REDIRECT is not True",
        django: Some("security.W008"),
        gixy: None,
        docs: "Without SECURE_SSL_REDIRECT (tested with `is True`), Django serves plain-HTTP requests \
instead of redirecting them to HTTPS.\n\n\
**Fix:** set `SECURE_SSL_REDIRECT = True`, or, if a load balancer or reverse proxy already \
redirects to HTTPS (a common, valid setup), silence `security.W008` in SILENCED_SYSTEM_CHECKS. \
With a proxy, also set SECURE_PROXY_SSL_HEADER, or the redirect loops.",
    },
    RuleMeta {
        code: "DJ009",
        name: "weak-secret-key",
        severity: Warning,
        summary: "SECRET_KEY is short, repetitive, empty or generated by startproject",
        django: Some("security.W009"),
        gixy: None,
        docs: "Django signs sessions, password-reset tokens and messages with SECRET_KEY. Django warns \
when it has fewer than 50 characters, fewer than 5 distinct characters, starts with \
`django-insecure-` (the key `startproject` writes), or is empty/missing. Preflight never \
prints the key.\n\n\
**Fix:** read it from the environment, e.g. `SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]`, \
and generate a value with `django.core.management.utils.get_random_secret_key()`.",
    },
    RuleMeta {
        code: "DJ010",
        name: "session-cookie-insecure-app",
        severity: Warning,
        summary: "SESSION_COOKIE_SECURE is not True with django.contrib.sessions installed",
        django: Some("security.W010"),
        gixy: None,
        docs: "`django.contrib.sessions` is in INSTALLED_APPS but SESSION_COOKIE_SECURE is not `True`, \
so the session cookie is also sent over plain HTTP, where it can be sniffed and the session \
hijacked.\n\n\
**Fix:** `SESSION_COOKIE_SECURE = True` (a value like `1` or `\"True\"` does not count).",
    },
    RuleMeta {
        code: "DJ011",
        name: "session-cookie-insecure-middleware",
        severity: Warning,
        summary: "SESSION_COOKIE_SECURE is not True with SessionMiddleware enabled",
        django: Some("security.W011"),
        gixy: None,
        docs: "SessionMiddleware is in MIDDLEWARE but SESSION_COOKIE_SECURE is not `True`, so the \
session cookie is also sent over plain HTTP.\n\n\
**Fix:** `SESSION_COOKIE_SECURE = True`.",
    },
    RuleMeta {
        code: "DJ012",
        name: "session-cookie-insecure",
        severity: Warning,
        summary: "SESSION_COOKIE_SECURE is not True (sessions app and middleware in use)",
        django: Some("security.W012"),
        gixy: None,
        docs: "Sessions are in use (both the app and the middleware) but SESSION_COOKIE_SECURE is not \
`True`, so the session cookie is also sent over plain HTTP.\n\n\
**Fix:** `SESSION_COOKIE_SECURE = True`.",
    },
    RuleMeta {
        code: "DJ013",
        name: "session-cookie-not-httponly-app",
        severity: Warning,
        summary: "SESSION_COOKIE_HTTPONLY is not True with django.contrib.sessions installed",
        django: Some("security.W013"),
        gixy: None,
        docs: "SESSION_COOKIE_HTTPONLY is not `True` (its default), so JavaScript, including injected \
scripts, can read the session cookie.\n\n\
**Fix:** `SESSION_COOKIE_HTTPONLY = True` (or remove the setting).",
    },
    RuleMeta {
        code: "DJ014",
        name: "session-cookie-not-httponly-middleware",
        severity: Warning,
        summary: "SESSION_COOKIE_HTTPONLY is not True with SessionMiddleware enabled",
        django: Some("security.W014"),
        gixy: None,
        docs: "SESSION_COOKIE_HTTPONLY is not `True`, so scripts can read the session cookie.\n\n\
**Fix:** `SESSION_COOKIE_HTTPONLY = True` (or remove the setting).",
    },
    RuleMeta {
        code: "DJ015",
        name: "session-cookie-not-httponly",
        severity: Warning,
        summary: "SESSION_COOKIE_HTTPONLY is not True (sessions app and middleware in use)",
        django: Some("security.W015"),
        gixy: None,
        docs: "SESSION_COOKIE_HTTPONLY is not `True`, so scripts can read the session cookie.\n\n\
**Fix:** `SESSION_COOKIE_HTTPONLY = True` (or remove the setting).",
    },
    RuleMeta {
        code: "DJ016",
        name: "csrf-cookie-insecure",
        severity: Warning,
        summary: "CSRF_COOKIE_SECURE is not True with CsrfViewMiddleware enabled",
        django: Some("security.W016"),
        gixy: None,
        docs: "CsrfViewMiddleware is enabled, CSRF_USE_SESSIONS is off and CSRF_COOKIE_SECURE is not \
`True`, so the CSRF token cookie is also sent over plain HTTP.\n\n\
**Fix:** `CSRF_COOKIE_SECURE = True`.",
    },
    RuleMeta {
        code: "DJ018",
        name: "debug-enabled",
        severity: Warning,
        summary: "DEBUG is truthy",
        django: Some("security.W018"),
        gixy: None,
        docs: "With DEBUG on, error pages show source code, settings and request data to anyone, and \
Django keeps every SQL query in memory. Django tests truthiness: `DEBUG = \"False\"` is a \
non-empty string and counts as on.\n\n\
**Fix:** `DEBUG = False` in production (read an environment variable with a safe default, \
converted to a real boolean).",
    },
    RuleMeta {
        code: "DJ019",
        name: "x-frame-options-not-deny",
        severity: Warning,
        summary: "X_FRAME_OPTIONS is not 'DENY'",
        django: Some("security.W019"),
        gixy: None,
        docs: "XFrameOptionsMiddleware is enabled but X_FRAME_OPTIONS is not exactly `'DENY'` (the \
comparison is case-sensitive), so pages may be framed by your own site.\n\n\
**Fix:** `X_FRAME_OPTIONS = \"DENY\"`, unless the site really frames its own pages.",
    },
    RuleMeta {
        code: "DJ020",
        name: "allowed-hosts-empty",
        severity: Warning,
        summary: "ALLOWED_HOSTS is empty",
        django: Some("security.W020"),
        gixy: None,
        docs: "With DEBUG off and an empty ALLOWED_HOSTS, Django rejects every request with 400.\n\n\
**Fix:** list the host names the site is served under, e.g. `ALLOWED_HOSTS = [\"example.com\"]`. \
There is no quick-fix: only you know the names.",
    },
    RuleMeta {
        code: "DJ021",
        name: "hsts-preload-not-true",
        severity: Warning,
        summary: "SECURE_HSTS_PRELOAD is not True while HSTS is on",
        django: Some("security.W021"),
        gixy: None,
        docs: "With HSTS on but SECURE_HSTS_PRELOAD not `True`, the site cannot be submitted to the \
browsers' HSTS preload list, so a first visit can still go over plain HTTP.\n\n\
**Fix:** `SECURE_HSTS_PRELOAD = True`, after reading the preload list's requirements (removal \
from it takes months).",
    },
    RuleMeta {
        code: "DJ022",
        name: "referrer-policy-not-set",
        severity: Warning,
        summary: "SECURE_REFERRER_POLICY is None",
        django: Some("security.W022"),
        gixy: None,
        docs: "With SECURE_REFERRER_POLICY set to None, no `Referrer-Policy` header is sent and full \
URLs may leak to other sites. Django's default is `\"same-origin\"`.\n\n\
**Fix:** `SECURE_REFERRER_POLICY = \"same-origin\"` (or remove the setting).",
    },
    RuleMeta {
        code: "DJ023",
        name: "referrer-policy-invalid",
        severity: Error,
        summary: "SECURE_REFERRER_POLICY has an invalid value",
        django: Some("security.E023"),
        gixy: None,
        docs: "Each value of SECURE_REFERRER_POLICY (a comma-separated string or an iterable) must be \
one of: no-referrer, no-referrer-when-downgrade, origin, origin-when-cross-origin, same-origin, \
strict-origin, strict-origin-when-cross-origin, unsafe-url. Browsers ignore unknown values.\n\n\
**Fix:** correct the value; the quick-fix offers `\"same-origin\"`.",
    },
    RuleMeta {
        code: "DJ024",
        name: "cross-origin-opener-policy-invalid",
        severity: Error,
        summary: "SECURE_CROSS_ORIGIN_OPENER_POLICY has an invalid value",
        django: Some("security.E024"),
        gixy: None,
        docs: "SECURE_CROSS_ORIGIN_OPENER_POLICY must be None or one of same-origin, \
same-origin-allow-popups, unsafe-none.\n\n\
**Fix:** correct the value; the quick-fix offers Django's default `\"same-origin\"`.",
    },
    RuleMeta {
        code: "DJ025",
        name: "weak-secret-key-fallback",
        severity: Warning,
        summary: "An entry of SECRET_KEY_FALLBACKS is weak",
        django: Some("security.W025"),
        gixy: None,
        docs: "Every key in SECRET_KEY_FALLBACKS still validates signatures, so a weak one (fewer than \
50 characters, fewer than 5 distinct characters, or `django-insecure-`) weakens the site as \
much as a weak SECRET_KEY. Preflight never prints the key.\n\n\
**Fix:** remove fallbacks once sessions signed with them have expired, and read them from the \
environment.",
    },
    RuleMeta {
        code: "DJ026",
        name: "csp-setting-not-dict",
        severity: Error,
        summary: "SECURE_CSP or SECURE_CSP_REPORT_ONLY is not a dict",
        django: Some("security.E026"),
        gixy: None,
        docs: "Since Django 6.0, SECURE_CSP and SECURE_CSP_REPORT_ONLY map directives to values, e.g. \
`{\"default-src\": [CSP.SELF]}`; any other type (a header string, a list) is an error.\n\n\
**Fix:** write the policy as a dict, or None to disable it.",
    },
    RuleMeta {
        code: "DJ027",
        name: "csp-nonce-without-context-processor",
        severity: Warning,
        summary: "CSP.NONCE is used but the csp context processor is not configured",
        django: Some("security.W027"),
        gixy: None,
        docs: "With ContentSecurityPolicyMiddleware and a policy containing `CSP.NONCE`, templates need \
`django.template.context_processors.csp` to render the nonce; without it the header carries \
a nonce no script has, and nonce-based scripts are blocked (Django 6.1+).\n\n\
**Fix:** add `\"django.template.context_processors.csp\"` to the `context_processors` option \
of a TEMPLATES backend.",
    },
    RuleMeta {
        code: "DJ030",
        name: "development-email-backend",
        severity: Error,
        summary: "MAILERS['default'] uses a development-only email backend",
        django: Some("mail.E001"),
        gixy: None,
        docs: "The console, dummy, file-based and locmem email backends never deliver mail: password \
resets and error reports are lost. Django 6.1's `startproject` writes the console backend into \
MAILERS.\n\n\
**Fix:** use a production backend such as `django.core.mail.backends.smtp.EmailBackend` with \
its OPTIONS (the quick-fix switches the BACKEND; the SMTP options are yours to add).",
    },
    RuleMeta {
        code: "DJ031",
        name: "mailers-default-missing",
        severity: Warning,
        summary: "MAILERS has no 'default' entry",
        django: Some("mail.W001"),
        gixy: None,
        docs: "Django 6.1 sends email through `MAILERS[\"default\"]` unless code passes `using=`; \
without that entry, sending email fails.\n\n\
**Fix:** add a `\"default\"` entry to MAILERS.",
    },
    RuleMeta {
        code: "DJ032",
        name: "cache-location-exposed",
        severity: Warning,
        summary: "A file-based cache LOCATION overlaps MEDIA_ROOT, STATIC_ROOT or STATICFILES_DIRS",
        django: Some("caches.W002"),
        gixy: None,
        docs: "A FileBasedCache whose LOCATION matches, is inside or contains MEDIA_ROOT, STATIC_ROOT \
or a STATICFILES_DIRS entry may be served to the public (cache contents are pickles) or \
corrupted by collectstatic and uploads.\n\n\
**Fix:** move the cache to a directory of its own, outside any served or collected directory.",
    },
    RuleMeta {
        code: "DJ033",
        name: "cache-location-relative",
        severity: Warning,
        summary: "A file-based cache LOCATION is a relative path",
        django: Some("caches.W003"),
        gixy: None,
        docs: "A FileBasedCache LOCATION is resolved against the working directory of the process, \
which differs between the server, management commands and cron jobs, so they end up using \
different caches (or writing where they should not).\n\n\
**Fix:** use an absolute path, e.g. `BASE_DIR / \"cache\"` or `\"/var/cache/mysite\"`.",
    },
    RuleMeta {
        code: "DJ034",
        name: "default-cache-missing",
        severity: Error,
        summary: "CACHES has no 'default' entry",
        django: Some("caches.E001"),
        gixy: None,
        docs: "Django uses `CACHES[\"default\"]` for the cache framework, sessions with the cache \
backend and more; CACHES without it is an error.\n\n\
**Fix:** add a `\"default\"` entry to CACHES (or remove CACHES to get Django's local-memory \
default).",
    },
    // The checklist beyond `check --deploy` (rules/django/checklist).
    RuleMeta {
        code: "DJ101",
        name: "secret-key-committed",
        severity: Warning,
        summary: "SECRET_KEY is a literal committed with the code",
        django: None,
        gixy: None,
        docs: "A SECRET_KEY written in the settings is in every clone, backup and CI log of the repository, however strong it is. Anyone who has it can forge sessions, password-reset links and anything else Django signs. Django's own check (security.W009) only judges the key's strength.\n\n\
**Fix:** read it from the environment, `SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]` (the quick-fix does; it is not applied automatically because the variable must then be set), rotate the committed key, and keep the old one in SECRET_KEY_FALLBACKS only until old sessions expire.",
    },
    RuleMeta {
        code: "DJ102",
        name: "secret-key-env-default",
        severity: Warning,
        summary: "SECRET_KEY falls back to a literal when the environment variable is missing",
        django: None,
        gixy: None,
        docs: "`SECRET_KEY = os.environ.get(\"SECRET_KEY\", \"dev-key\")` uses the committed fallback whenever the variable is missing: a misconfigured server starts happily with a key everyone can read. The same holds for `env(\"SECRET_KEY\", default=...)` and `config(\"SECRET_KEY\", default=...)`.\n\n\
**Fix:** require the variable, `os.environ[\"SECRET_KEY\"]`, so a missing key stops the start (the quick-fix does). Keep a development key in a development settings module or a local `.env` file.",
    },
    RuleMeta {
        code: "DJ103",
        name: "secret-key-generated-at-import",
        severity: Warning,
        summary: "SECRET_KEY is generated when the settings are imported",
        django: None,
        gixy: None,
        docs: "`SECRET_KEY = get_random_secret_key()` (or `secrets.token_urlsafe()`, also as the default of an environment read) gives every worker process and every restart a different key: sessions, password-reset links and signed cookies made by one process are rejected by the next. Django's W009 cannot see it, because the generated key is strong.\n\n\
**Fix:** generate a key once, store it in the environment or a secrets store, and read it: `SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]` (the quick-fix).",
    },
    RuleMeta {
        code: "DJ104",
        name: "debug-env-string",
        severity: Warning,
        summary: "DEBUG is read from the environment as a raw string",
        django: None,
        gixy: None,
        docs: "`DEBUG = os.environ.get(\"DEBUG\", False)` is `False` only while the variable is unset; once it is set, DEBUG is a string, and every non-empty string, `\"False\"` and `\"0\"` included, is true. Django checks truthiness (security.W018), so the server runs in debug mode.\n\n\
**Fix:** convert the value to a boolean. The quick-fix uses the reader's own idiom: `os.environ.get(\"DEBUG\", \"\").lower() in (\"1\", \"true\", \"yes\", \"on\")`, `env.bool(\"DEBUG\", ...)` for django-environ, `config(\"DEBUG\", ..., cast=bool)` for python-decouple.",
    },
    RuleMeta {
        code: "DJ105",
        name: "debug-env-default-true",
        severity: Warning,
        summary: "DEBUG is on when the environment variable is not set",
        django: None,
        gixy: None,
        docs: "An environment read whose default turns DEBUG on (`env.bool(\"DEBUG\", default=True)`, `os.environ.get(\"DEBUG\", \"True\") == \"True\"`) makes debug mode the state of any server started without the variable: error pages then show code, settings and request data. Django reports the resulting value (security.W018); this rule points at the default that causes it.\n\n\
**Fix:** make the default off and switch debug on explicitly in development (the quick-fix flips the default).",
    },
    RuleMeta {
        code: "DJ106",
        name: "allowed-hosts-wildcard",
        severity: Warning,
        summary: "ALLOWED_HOSTS accepts any host (\"*\")",
        django: None,
        gixy: None,
        docs: "With `\"*\"` in ALLOWED_HOSTS (also as the default of an environment read, e.g. `os.environ.get(\"ALLOWED_HOSTS\", \"*\").split(\",\")`), Django accepts any Host header, so attackers can make it build password-reset links and cache entries for their own domain. Django's check (security.W020) only flags an empty list.\n\n\
When the project's nginx lets unknown hosts reach Django as well, STK008 reports the same line as an error, with a quick-fix that lists the names nginx serves.\n\n\
**Fix:** list the site's domain names, and make the web server reject unknown hosts too (nginx: a default server that returns 444). There is no quick-fix here: only you know the names.",
    },
    RuleMeta {
        code: "DJ107",
        name: "cache-local-memory",
        severity: Information,
        summary: "The default cache is per-process (local memory or dummy)",
        django: None,
        gixy: None,
        docs: "Without CACHES, or with the LocMem or Dummy backend, each worker process has its own cache (or none): cached pages, rate limits, cached sessions and locks are not shared between workers and vanish on every restart.\n\n\
**Fix:** in production, use a shared cache such as Redis (`django.core.cache.backends.redis.RedisCache`) or Memcached, and make sure it only accepts connections from your application servers. A single-process site may keep the local-memory cache on purpose.",
    },
    RuleMeta {
        code: "DJ108",
        name: "cache-url-password",
        severity: Warning,
        summary: "A cache LOCATION URL or OPTIONS carries a literal password",
        django: None,
        gixy: None,
        docs: "A password inside a literal cache URL (`redis://:password@host:6379/0`) or in OPTIONS[\"PASSWORD\"] is committed with the code; cache servers often have weak authentication otherwise, so this password is all that protects them. Preflight never prints it.\n\n\
**Fix:** read the URL or the password from the environment, e.g. `\"LOCATION\": os.environ[\"REDIS_URL\"]`.",
    },
    RuleMeta {
        code: "DJ109",
        name: "database-password-literal",
        severity: Warning,
        summary: "A DATABASES entry has a literal PASSWORD",
        django: None,
        gixy: None,
        docs: "Database passwords are as sensitive as SECRET_KEY. A literal PASSWORD (or a literal default of an environment read) is in every clone of the repository. Preflight never prints it.\n\n\
**Fix:** `\"PASSWORD\": os.environ[\"DATABASE_PASSWORD\"]`, or a database URL read from the environment (dj-database-url, django-environ's `env.db()`).",
    },
    RuleMeta {
        code: "DJ110",
        name: "database-sqlite",
        severity: Warning,
        summary: "The default database is SQLite",
        django: None,
        gixy: None,
        docs: "SQLite keeps the database in one file on one machine and allows one writer at a time: several servers cannot share it, and a container's file system loses it on redeploy. It can serve small sites when that is a deliberate choice.\n\n\
**Fix:** use a database server such as PostgreSQL in production; if SQLite is intended, keep the file on persistent, backed-up storage and suppress this rule.",
    },
    RuleMeta {
        code: "DJ111",
        name: "conn-max-age",
        severity: Information,
        summary: "Database connections are not reused (CONN_MAX_AGE is 0 or not set)",
        django: None,
        gixy: None,
        docs: "With CONN_MAX_AGE at its default of 0, Django opens a new database connection for every request, which costs a lot on virtualised hosts with slow networks. SQLite entries are not reported.\n\n\
**Fix:** keep connections for a while, e.g. `CONN_MAX_AGE = 60`, together with `CONN_HEALTH_CHECKS = True` (the quick-fix adds `DATABASES[\"default\"][\"CONN_MAX_AGE\"] = 60`). With a connection pooler (PgBouncer) or psycopg's pool, leave it at 0.",
    },
    RuleMeta {
        code: "DJ112",
        name: "email-backend-development",
        severity: Warning,
        summary: "EMAIL_BACKEND is a development-only backend",
        django: None,
        gixy: None,
        docs: "The console, dummy, file-based and locmem backends never deliver mail: password resets and error reports are lost. Since Django 6.1, MAILERS replaces EMAIL_BACKEND (its development backends are mail.E001, DJ030); EMAIL_BACKEND still applies while MAILERS is not set.\n\n\
**Fix:** use a production backend such as `django.core.mail.backends.smtp.EmailBackend` with its host and credentials (the quick-fix switches the backend; the rest is yours to add).",
    },
    RuleMeta {
        code: "DJ113",
        name: "default-from-email",
        severity: Warning,
        summary: "DEFAULT_FROM_EMAIL or SERVER_EMAIL is left at its localhost default while ADMINS are set",
        django: None,
        gixy: None,
        docs: "Error reports to ADMINS come from SERVER_EMAIL (default `root@localhost`) and other mail from DEFAULT_FROM_EMAIL (default `webmaster@localhost`). Mail servers commonly reject or junk such senders, so the reports never arrive.\n\n\
**Fix:** set both to addresses of your own domain, e.g. `SERVER_EMAIL = \"errors@example.com\"`.",
    },
    RuleMeta {
        code: "DJ114",
        name: "static-root-missing",
        severity: Warning,
        summary: "STATIC_ROOT is not set while django.contrib.staticfiles is installed",
        django: None,
        gixy: None,
        docs: "The development server serves static files itself; in production `collectstatic` copies them into STATIC_ROOT for the web server, and without it the command fails with ImproperlyConfigured.\n\n\
**Fix:** set STATIC_ROOT to a directory of its own, e.g. `STATIC_ROOT = BASE_DIR / \"staticfiles\"` (the quick-fix, when the project defines BASE_DIR), and serve it from the web server or WhiteNoise.",
    },
    RuleMeta {
        code: "DJ115",
        name: "media-static-collision",
        severity: Warning,
        summary: "MEDIA_ROOT and STATIC_ROOT overlap, or MEDIA_URL equals STATIC_URL",
        django: None,
        gixy: None,
        docs: "Media files are uploaded by users and are untrusted. When MEDIA_ROOT is STATIC_ROOT, or one contains the other, an upload can replace a static file (a script every page loads) and `collectstatic --clear` can delete uploads; when MEDIA_URL equals STATIC_URL, uploads are served as your own files. Django's staticfiles app refuses to work (ImproperlyConfigured) when the two roots or the two URLs are equal.\n\n\
**Fix:** give media and static files separate directories and URLs, and make sure the web server never executes anything under MEDIA_ROOT.",
    },
    RuleMeta {
        code: "DJ116",
        name: "session-database-backend",
        severity: Information,
        summary: "Sessions are stored in the database",
        django: None,
        gixy: None,
        docs: "The default session engine reads a database row on every request that uses the session, and expired sessions stay in the table until `manage.py clearsessions` removes them.\n\n\
**Fix:** consider `SESSION_ENGINE = \"django.contrib.sessions.backends.cached_db\"` (the quick-fix) with a shared cache, and schedule `manage.py clearsessions` (e.g. daily).",
    },
    RuleMeta {
        code: "DJ117",
        name: "templates-no-cached-loader",
        severity: Information,
        summary: "TEMPLATES lists loaders without the cached loader",
        django: None,
        gixy: None,
        docs: "Django wraps its template loaders in the cached loader only when OPTIONS has no \"loaders\" key. An explicit list without `django.template.loaders.cached.Loader` reads and compiles every template on each render, which is often drastically slower.\n\n\
**Fix:** wrap the list, `\"loaders\": [(\"django.template.loaders.cached.Loader\", [...])]`, or remove \"loaders\" to get Django's cached default.",
    },
    RuleMeta {
        code: "DJ118",
        name: "templates-debug-option",
        severity: Warning,
        summary: "A template engine has \"debug\": True in its OPTIONS",
        django: None,
        gixy: None,
        docs: "The template engine's `debug` option defaults to DEBUG. Setting it to True explicitly keeps template debug information (source excerpts of failing templates) and its overhead in production even with DEBUG off.\n\n\
**Fix:** remove the option, or tie it to DEBUG.",
    },
    RuleMeta {
        code: "DJ119",
        name: "logging-missing",
        severity: Information,
        summary: "LOGGING is not configured",
        django: None,
        gixy: None,
        docs: "Without LOGGING, Django's defaults apply: with DEBUG off, errors are mailed to ADMINS and little reaches the server's logs, so problems go unnoticed.\n\n\
**Fix:** configure LOGGING, e.g. warnings and errors of the `django` logger to the console (collected by systemd, Docker or the platform), review it before going live and check it works once the site gets traffic.",
    },
    RuleMeta {
        code: "DJ120",
        name: "admins-empty",
        severity: Information,
        summary: "ADMINS is empty while email is configured",
        django: None,
        gixy: None,
        docs: "Django mails the details of every server error (500) to ADMINS. With email configured but ADMINS empty, nobody hears about errors.\n\n\
**Fix:** list the people to notify, e.g. `ADMINS = [(\"Ops\", \"ops@example.com\")]` (Django 6.x also accepts plain addresses), or rely on an error tracker and suppress this rule.",
    },
    RuleMeta {
        code: "DJ121",
        name: "dead-setting",
        severity: Warning,
        summary: "A setting Django removed or deprecated",
        django: None,
        gixy: None,
        docs: "Django ignores settings it removed: `MIDDLEWARE_CLASSES` (2.0), `SECURE_BROWSER_XSS_FILTER` (4.0), `STATICFILES_STORAGE` and `DEFAULT_FILE_STORAGE` (5.1; use STORAGES), the `TEMPLATE_*` settings (1.10) and others. A project that still sets them believes in a protection or a backend it does not have. For the project's Django version, deprecated settings are reported before they stop working.\n\n\
**Fix:** migrate to the replacement named in the message; a removed setting that has no effect can simply be deleted (the quick-fix, safe because Django ignores it).",
    },
    RuleMeta {
        code: "DJ122",
        name: "misspelled-setting",
        severity: Warning,
        summary: "A setting name one typo away from a real Django setting",
        django: None,
        gixy: None,
        docs: "Django silently ignores unknown settings, so `ALLOWED_HOST`, `SECURE_SSL_REDIRCT` or `SESSION_COOKIE_SECUR` leave the real setting at its default. Preflight compares upper-case names assigned in the module with Django's setting names for the project's version (from `django/conf/global_settings.py`) and suggests the closest one; names that the module reads again are treated as helper variables.\n\n\
**Fix:** rename the assignment (the quick-fix, offered when the real name is not set too).",
    },
    RuleMeta {
        code: "DJ123",
        name: "cors-allow-all",
        severity: Warning,
        summary: "django-cors-headers allows every origin",
        django: None,
        gixy: None,
        docs: "`CORS_ALLOW_ALL_ORIGINS = True` (or the old `CORS_ORIGIN_ALLOW_ALL`) lets any website read your API's responses from a visitor's browser; with CORS_ALLOW_CREDENTIALS, as that visitor.\n\n\
**Fix:** list the allowed origins in `CORS_ALLOWED_ORIGINS` (or `CORS_ALLOWED_ORIGIN_REGEXES`).",
    },
    RuleMeta {
        code: "DJ124",
        name: "samesite-none-without-secure",
        severity: Warning,
        summary: "A cookie is SameSite=None without Secure",
        django: None,
        gixy: None,
        docs: "Browsers reject cookies with `SameSite=None` that are not also `Secure`: with SESSION_COOKIE_SAMESITE (or CSRF_COOKIE_SAMESITE) set to \"None\" and the matching *_COOKIE_SECURE not True, logins and CSRF tokens silently stop working in cross-site contexts.\n\n\
**Fix:** set `SESSION_COOKIE_SECURE = True` (or `CSRF_COOKIE_SECURE = True`), which the quick-fix does, and serve the site over HTTPS.",
    },
    RuleMeta {
        code: "DJ125",
        name: "csrf-trusted-origin-without-scheme",
        severity: Error,
        summary: "A CSRF_TRUSTED_ORIGINS entry has no scheme",
        django: Some("4_0.E001"),
        gixy: None,
        docs: "Since Django 4.0, CSRF_TRUSTED_ORIGINS holds origins with a scheme (`https://example.com`, `https://*.example.com`); an entry without one never matches, and Django reports the error 4_0.E001 in every `check`, including `check --deploy`.\n\n\
**Fix:** add the scheme, usually `https://` (the quick-fix).",
    },
    RuleMeta {
        code: "DJ126",
        name: "commented-out-security-setting",
        severity: Information,
        summary: "A security setting is commented out",
        django: None,
        gixy: None,
        docs: "A line like `# SECURE_SSL_REDIRECT = True` shows the intent to harden the site, but the setting is not in effect: the effective value is still the unsafe one. Reported only when the commented value is the safe one and nothing later in the module sets the setting.\n\n\
**Fix:** uncomment it (the quick-fix, for a comment at the start of a line), or delete the comment if the setting is off on purpose.",
    },
    RuleMeta {
        code: "DJ127",
        name: "email-settings-with-mailers",
        severity: Error,
        summary: "MAILERS is set together with deprecated EMAIL_* settings",
        django: None,
        gixy: None,
        docs: "Django 6.1 replaces EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL, EMAIL_SSL_CERTFILE, EMAIL_SSL_KEYFILE, EMAIL_TIMEOUT and EMAIL_FILE_PATH with MAILERS, and refuses to start (ImproperlyConfigured) when a module sets both.\n\n\
**Fix:** move the values into the OPTIONS of the MAILERS entries and remove the EMAIL_* settings.",
    },
    RuleMeta {
        code: "DJ128",
        name: "allowed-hosts-subdomain-wildcard",
        severity: Information,
        summary: "ALLOWED_HOSTS accepts every subdomain of a domain",
        django: None,
        gixy: None,
        docs: "An ALLOWED_HOSTS entry starting with a dot (`.example.com`) matches the domain and every subdomain. That is fine when you control all of them; if any subdomain points elsewhere (a SaaS CNAME, a wildcard DNS record), its Host header is accepted too.\n\n\
**Fix:** list the exact host names if you can, or make sure every subdomain is yours.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_names_and_severities_follow_the_django_ids() {
        for rule in RULES.iter().filter(|r| r.code < "DJ100") {
            let id = rule.django.expect("every parity rule mirrors a Django id");
            let num = &id[id.len() - 3..];
            let expected_code = match id {
                "mail.E001" => "DJ030".to_string(),
                "mail.W001" => "DJ031".to_string(),
                "caches.W002" => "DJ032".to_string(),
                "caches.W003" => "DJ033".to_string(),
                "caches.E001" => "DJ034".to_string(),
                _ => format!("DJ{num}"),
            };
            assert_eq!(rule.code, expected_code);
            let error = id.contains(".E");
            assert_eq!(rule.severity == Error, error, "{}", rule.code);
            assert!(
                rule.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                rule.name
            );
            assert!(!rule.docs.is_empty() && !rule.summary.is_empty());
        }
        assert!(applies("DJ004", DjangoVersion::V4_2));
        assert!(!applies("DJ027", DjangoVersion::V6_0));
        assert!(applies("DJ026", DjangoVersion::V6_0));
    }

    #[test]
    fn checklist_rules_are_numbered_and_named() {
        let checklist: Vec<_> = RULES.iter().filter(|r| r.code >= "DJ100").collect();
        for (i, rule) in checklist.iter().enumerate() {
            assert_eq!(rule.code, format!("DJ{}", 101 + i), "codes are consecutive");
            assert!(
                rule.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                rule.name
            );
            assert!(rule.docs.contains("**Fix:**"), "{}", rule.code);
            // only Django's own checks are errors or carry its id
            let mirrors = rule.django.is_some();
            assert_eq!(mirrors, rule.code == "DJ125", "{}", rule.code);
        }
        assert_eq!(rule("DJ125").django, Some("4_0.E001"));
        assert!(!applies("DJ127", DjangoVersion::V5_2));
    }
}
