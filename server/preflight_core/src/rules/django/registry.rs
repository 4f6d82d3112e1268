//! Registry entries of the Django rules: one per `check --deploy` id they mirror.

use crate::diagnostic::Severity::{Error, Warning};
use crate::django_version::DjangoVersion;
use crate::rules::RuleMeta;

/// The first Django release that has the check, for checks newer than the oldest supported.
const SINCE: &[(&str, DjangoVersion)] = &[
    ("DJ026", DjangoVersion::V6_0),
    ("DJ027", DjangoVersion::V6_1),
    ("DJ030", DjangoVersion::V6_1),
    ("DJ031", DjangoVersion::V6_1),
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

pub static RULES: [RuleMeta; 30] = [
    RuleMeta {
        code: "DJ001",
        name: "security-middleware-missing",
        severity: Warning,
        summary: "SecurityMiddleware is not in MIDDLEWARE",
        django: Some("security.W001"),
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
        docs: "SESSION_COOKIE_HTTPONLY is not `True`, so scripts can read the session cookie.\n\n\
**Fix:** `SESSION_COOKIE_HTTPONLY = True` (or remove the setting).",
    },
    RuleMeta {
        code: "DJ015",
        name: "session-cookie-not-httponly",
        severity: Warning,
        summary: "SESSION_COOKIE_HTTPONLY is not True (sessions app and middleware in use)",
        django: Some("security.W015"),
        docs: "SESSION_COOKIE_HTTPONLY is not `True`, so scripts can read the session cookie.\n\n\
**Fix:** `SESSION_COOKIE_HTTPONLY = True` (or remove the setting).",
    },
    RuleMeta {
        code: "DJ016",
        name: "csrf-cookie-insecure",
        severity: Warning,
        summary: "CSRF_COOKIE_SECURE is not True with CsrfViewMiddleware enabled",
        django: Some("security.W016"),
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
        docs: "Django uses `CACHES[\"default\"]` for the cache framework, sessions with the cache \
backend and more; CACHES without it is an error.\n\n\
**Fix:** add a `\"default\"` entry to CACHES (or remove CACHES to get Django's local-memory \
default).",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_names_and_severities_follow_the_django_ids() {
        for rule in &RULES {
            let id = rule.django.expect("every Django rule mirrors a Django id");
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
}
