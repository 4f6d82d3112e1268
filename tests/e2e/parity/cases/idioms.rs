//! How settings compute values: operators, branches, mutation, comprehensions, helpers.

use super::*;
use crate::parity::settings::*;

/// How values are computed: the evaluator must agree with Python.
pub(super) fn evaluator_idioms(cases: &mut Vec<Case>) {
    let b = Settings::baseline;
    let idioms: Vec<(&str, Settings)> = vec![
        ("a name defined earlier", b().define("_HSTS", "0").set("SECURE_HSTS_SECONDS", "_HSTS")),
        ("chained assignment False", b().remove("SESSION_COOKIE_SECURE").set("SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE", "False")),
        ("chained assignment True", b().remove("SESSION_COOKIE_SECURE").set("SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE", "True")),
        ("int arithmetic", b().set("SECURE_HSTS_SECONDS", "60 * 60 * 24 * 365")),
        ("int arithmetic to zero", b().set("SECURE_HSTS_SECONDS", "3600 - 60 * 60")),
        ("str concatenation DENY", b().set("X_FRAME_OPTIONS", r#""DE" + "NY""#)),
        ("str concatenation SAMEORIGIN", b().set("X_FRAME_OPTIONS", r#""SAME" + "ORIGIN""#)),
        ("str repetition key", b().set("SECRET_KEY", r#""abcdefghij" * 6"#)),
        ("str repetition weak key", b().set("SECRET_KEY", r#""abcd" * 20"#)),
        (
            "list concatenation",
            b().set("MIDDLEWARE", &format!("{} + {}", str_seq(&[SECURITY], false), str_seq(&middleware_without(&[SECURITY]), false))),
        ),
        (
            "tuple concatenation without XFrame",
            b().set("MIDDLEWARE", &format!("{} + {}", str_seq(&[SECURITY, SESSION], true), str_seq(&[CSRF, AUTH], true))),
        ),
        ("not True", b().set("DEBUG", "not True")),
        ("not empty string", b().set("DEBUG", r#"not """#)),
        ("comparison", b().set("DEBUG", "1 > 2")),
        ("comparison true", b().set("DEBUG", "2 >= 2")),
        ("not DEBUG", b().set("SECURE_SSL_REDIRECT", "not DEBUG")),
        ("DEBUG and True", b().set("SESSION_COOKIE_SECURE", "DEBUG and True")),
        ("DEBUG or True", b().set("SESSION_COOKIE_SECURE", "DEBUG or True")),
        ("or returns an operand", b().set("DEBUG", r#""" or "yes""#)),
        ("and returns an operand", b().set("SECURE_SSL_REDIRECT", "True and 1")),
        ("conditional expression", b().set("SECURE_HSTS_SECONDS", "0 if DEBUG else 3600")),
        ("conditional expression taken", b().set("DEBUG", "True").set("SECURE_HSTS_SECONDS", "0 if DEBUG else 3600")),
        ("is None comparison", b().set("SECURE_REFERRER_POLICY", r#"None if SECRET_KEY is None else "same-origin""#)),
        ("in comparison", b().set("DEBUG", r#""staging" in ["dev", "staging"]"#)),
        (
            "if/else on a known condition",
            b().remove("SECURE_SSL_REDIRECT").then("if DEBUG:\n    SECURE_SSL_REDIRECT = False\nelse:\n    SECURE_SSL_REDIRECT = True"),
        ),
        (
            "if/else on a known condition taken",
            b().set("DEBUG", "True")
                .remove("SECURE_SSL_REDIRECT")
                .then("if DEBUG:\n    SECURE_SSL_REDIRECT = False\nelse:\n    SECURE_SSL_REDIRECT = True"),
        ),
        ("if not DEBUG", b().set("SECURE_HSTS_SECONDS", "0").then("if not DEBUG:\n    SECURE_HSTS_SECONDS = 3600")),
        (
            "elif",
            b().define("_ENV", r#""production""#)
                .then("if _ENV == \"dev\":\n    DEBUG = True\nelif _ENV == \"production\":\n    X_FRAME_OPTIONS = \"SAMEORIGIN\"\nelse:\n    DEBUG = True"),
        ),
        ("MIDDLEWARE +=", b().middleware(&middleware_without(&[XFRAME])).then(&format!("MIDDLEWARE += [{}]", py_str(XFRAME)))),
        ("MIDDLEWARE += tuple", b().set("MIDDLEWARE", &str_seq(&middleware_without(&[CSRF]), true)).then(&format!("MIDDLEWARE += ({},)", py_str(CSRF)))),
        ("MIDDLEWARE.append", b().middleware(&middleware_without(&[CSRF])).then(&format!("MIDDLEWARE.append({})", py_str(CSRF)))),
        ("MIDDLEWARE.insert", b().middleware(&middleware_without(&[SECURITY])).then(&format!("MIDDLEWARE.insert(0, {})", py_str(SECURITY)))),
        ("MIDDLEWARE.extend", b().middleware(&middleware_without(&[CSRF, XFRAME])).then(&format!("MIDDLEWARE.extend([{}, {}])", py_str(CSRF), py_str(XFRAME)))),
        ("MIDDLEWARE.remove", b().then(&format!("MIDDLEWARE.remove({})", py_str(XFRAME)))),
        ("tuple(MIDDLEWARE)", b().define("_MW", &str_seq(&middleware_without(&[SECURITY]), false)).set("MIDDLEWARE", "tuple(_MW)")),
        ("list(MIDDLEWARE)", b().define("_MW", &str_seq(BASELINE_MIDDLEWARE, true)).set("MIDDLEWARE", "list(_MW)")),
        ("subscript assignment into a dict setting", b().then(r#"TEMPLATES[0]["OPTIONS"]["debug"] = True"#)),
        ("DATABASES item assignment", b().then(r#"DATABASES["default"]["CONN_MAX_AGE"] = 60"#)),
        ("augmented int", b().set("SECURE_HSTS_SECONDS", "0").then("SECURE_HSTS_SECONDS += 3600")),
        ("augmented str", b().set("X_FRAME_OPTIONS", r#""SAME""#).then(r#"X_FRAME_OPTIONS += "ORIGIN""#)),
        ("reassigned later", b().then("DEBUG = True")),
        ("deleted", b().then("del SECURE_SSL_REDIRECT")),
        ("annotated assignment", b().remove("DEBUG").then("DEBUG: bool = True")),
        ("tuple unpacking", b().remove("DEBUG").remove("SECURE_SSL_REDIRECT").then("DEBUG, SECURE_SSL_REDIRECT = False, False")),
        ("f-string key", b().define("_PART", r#""abcdefghij""#).set("SECRET_KEY", r#"f"{_PART}{_PART}{_PART}{_PART}{_PART}x""#)),
        ("str method", b().set("X_FRAME_OPTIONS", r#""deny".upper()"#)),
        ("str method lower", b().set("X_FRAME_OPTIONS", r#""DENY".lower()"#)),
        ("len in a condition", b().remove("DEBUG").then("DEBUG = len(ALLOWED_HOSTS) == 0")),
    ];
    for (label, settings) in idioms {
        cases.push(single(format!("idiom: {label}"), settings));
    }
}

/// Idioms from real projects where a guess would go wrong.
pub(super) fn traps(cases: &mut Vec<Case>) {
    let b = Settings::baseline;
    let os_path_base = || {
        b().set("BASE_DIR", "os.path.dirname(os.path.dirname(os.path.abspath(__file__)))")
            .set("STATIC_ROOT", r#"os.path.join(BASE_DIR, "static")"#)
            .set("MEDIA_ROOT", r#"os.path.join(BASE_DIR, "media")"#)
            .set("DATABASES", r#"{"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(BASE_DIR, "db.sqlite3")}}"#)
    };
    let file_cache = |location: &str| {
        format!(
            r#"{{"default": {{"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": {location}}}}}"#
        )
    };
    // (label, settings, environment for Django)
    type Trap<'a> = (&'a str, Settings, &'a [(&'a str, &'a str)]);
    let traps: Vec<Trap> = vec![
        ("bool of a string", b().set("DEBUG", r#"bool("False")"#), &[]),
        ("int of a string", b().set("SECURE_HSTS_SECONDS", r#"int("0")"#), &[]),
        (
            "get_random_secret_key",
            b().import("from django.core.management.utils import get_random_secret_key").set("SECRET_KEY", "get_random_secret_key()"),
            &[],
        ),
        ("join of one character", b().set("SECRET_KEY", r#""".join(["a"] * 60)"#), &[]),
        ("percent formatting", b().set("SECRET_KEY", r#""django-insecure-%s" % ("k2" * 30)"#), &[]),
        ("list comprehension filter", b().then(r#"MIDDLEWARE = [m for m in MIDDLEWARE if "clickjacking" not in m]"#), &[]),
        ("slice", b().then("MIDDLEWARE = MIDDLEWARE[1:]"), &[]),
        ("hosts only when debugging", b().set("ALLOWED_HOSTS", r#"["localhost"] if DEBUG else []"#), &[]),
        (
            "branch on a variable that is set",
            b().remove("DEBUG").then("if os.environ[\"DJANGO_ENV\"] == \"production\":\n    DEBUG = False\nelse:\n    DEBUG = True"),
            &[("DJANGO_ENV", "production")],
        ),
        ("or False", b().set("DEBUG", r#"os.environ.get("DJANGO_DEBUG", "0") == "1" or False"#), &[]),
        ("HTTPS default on", b().set("SESSION_COOKIE_SECURE", r#"os.environ.get("HTTPS", "on") == "on""#), &[]),
        ("fallbacks split of an empty default", b().set("SECRET_KEY_FALLBACKS", r#"os.environ.get("OLD_SECRET_KEYS", "").split(",")"#), &[]),
        (
            "fallbacks only when set",
            b().set("SECRET_KEY_FALLBACKS", r#"[k for k in os.environ.get("OLD_SECRET_KEYS", "").split(",") if k]"#),
            &[],
        ),
        ("key default empty", b().set("SECRET_KEY", r#"os.environ.get("DJANGO_SECRET_KEY", "")"#), &[]),
        ("referrer policy from env default", b().set("SECURE_REFERRER_POLICY", r#"os.environ.get("REFERRER_POLICY", "no-referer")"#), &[]),
        ("dict update", b().then(r#"TEMPLATES[0]["OPTIONS"].update({"debug": True})"#), &[]),
        ("os.path BASE_DIR with a file cache in MEDIA_ROOT", os_path_base().set("CACHES", &file_cache(r#"os.path.join(MEDIA_ROOT, "cache")"#)), &[]),
        ("os.path BASE_DIR with a file cache elsewhere", os_path_base().set("CACHES", &file_cache(r#"os.path.join(BASE_DIR, "cache")"#)), &[]),
        (
            "absolute str roots with a file cache inside",
            b().set("MEDIA_ROOT", r#""/srv/site/media""#).set("STATIC_ROOT", r#""/srv/site/static""#).set("CACHES", &file_cache(r#""/srv/site/static/cache""#)),
            &[],
        ),
        (
            "file cache next to the roots",
            b().set("MEDIA_ROOT", r#""/srv/site/media""#).set("CACHES", &file_cache(r#""/srv/site/media-cache""#)),
            &[],
        ),
        ("STATICFILES_DIRS as str", b().set("STATICFILES_DIRS", r#"[str(BASE_DIR / "assets")]"#).set("CACHES", &file_cache(r#"BASE_DIR / "assets""#)), &[]),
        ("X_FRAME_OPTIONS via dict lookup", b().define("_HEADERS", r#"{"frame": "SAMEORIGIN"}"#).set("X_FRAME_OPTIONS", r#"_HEADERS["frame"]"#), &[]),
        ("dict get with default", b().define("_HEADERS", "{}").set("X_FRAME_OPTIONS", r#"_HEADERS.get("frame", "DENY")"#), &[]),
        ("helper function", b().define("_flag", "None").then("def envbool(name, default=False):\n    return os.environ.get(name, str(default)).lower() in (\"1\", \"true\")\n\nDEBUG = envbool(\"DJANGO_DEBUG\", True)"), &[]),
        ("helper function default off", b().then("def envbool(name, default=False):\n    return os.environ.get(name, str(default)).lower() in (\"1\", \"true\")\n\nDEBUG = envbool(\"DJANGO_DEBUG\")"), &[]),
        ("getattr of a config module", b().then("import types\nconfiguration = types.SimpleNamespace()\nDEBUG = getattr(configuration, \"DEBUG\", True)"), &[]),
    ];
    for (label, settings, env) in traps {
        let mut case = single(format!("trap: {label}"), settings);
        for (k, v) in env {
            case = case.env(k, v);
        }
        if label == "STATICFILES_DIRS as str" {
            case.files.push(("assets/.keep".into(), String::new()));
        }
        cases.push(case);
    }
    let mailers_from_env = Settings::baseline().set(
        "MAILERS",
        r#"{"default": {"BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}}"#,
    );
    cases.push(single("trap: MAILERS backend from env default", mailers_from_env).also_on_5_2());
    cases.push(
        single(
            "trap: MAILERS built by item assignment",
            Settings::baseline().set("MAILERS", "{}").then(r#"MAILERS["default"] = {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}"#),
        )
        .also_on_5_2(),
    );
}

/// Lists and dicts built the ways real settings build them.
pub(super) fn list_and_dict_building(cases: &mut Vec<Case>) {
    let b = Settings::baseline;
    let no_xframe = || b().middleware(&middleware_without(&[XFRAME]));
    let whitenoise = "\"whitenoise.middleware.WhiteNoiseMiddleware\"";
    let building: Vec<(&str, Settings)> = vec![
        ("MIDDLEWARE = MIDDLEWARE + [...]", no_xframe().then(&format!("MIDDLEWARE = MIDDLEWARE + [{}]", py_str(XFRAME)))),
        (
            "insert after the index of SecurityMiddleware",
            no_xframe().then(&format!("MIDDLEWARE.insert(MIDDLEWARE.index({}) + 1, {whitenoise})", py_str(SECURITY))),
        ),
        ("list unpacking", no_xframe().then(&format!("MIDDLEWARE = [*MIDDLEWARE, {}]", py_str(XFRAME)))),
        ("list unpacking without XFrame", b().define("_BASE_MW", &str_seq(&middleware_without(&[XFRAME]), false)).set("MIDDLEWARE", &format!("[{whitenoise}, *_BASE_MW]"))),
        ("chained assignment of an expression", b().then("SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG")),
        ("chained assignment of an expression, debugging", b().set("DEBUG", "True").then("SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG")),
        ("ALLOWED_HOSTS.append", b().set("ALLOWED_HOSTS", "[]").then(r#"ALLOWED_HOSTS.append("www.example.com")"#)),
        ("ALLOWED_HOSTS += env split", b().set("ALLOWED_HOSTS", "[]").then(r#"ALLOWED_HOSTS += os.environ.get("EXTRA_HOSTS", "").split(",")"#)),
        (
            "ALLOWED_HOSTS comprehension of an empty default",
            b().set("ALLOWED_HOSTS", r#"[h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]"#),
        ),
        ("X_FRAME_OPTIONS with a trailing space", b().set("X_FRAME_OPTIONS", r#""DENY ""#)),
        ("X_FRAME_OPTIONS stripped", b().set("X_FRAME_OPTIONS", r#"" DENY ".strip()"#)),
        (
            "dict unpacking into a file cache",
            b().define("_FILE_CACHE", r#"{"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"}"#)
                .set("CACHES", r#"{"default": {**_FILE_CACHE, "LOCATION": BASE_DIR / "media"}}"#),
        ),
        (
            "dict() call with a file cache",
            b().set("CACHES", r#"dict(default=dict(BACKEND="django.core.cache.backends.filebased.FileBasedCache", LOCATION=BASE_DIR / "staticfiles"))"#),
        ),
        ("float HSTS", b().set("SECURE_HSTS_SECONDS", "0.0 + 0")),
        ("HSTS from timedelta", b().import("from datetime import timedelta").set("SECURE_HSTS_SECONDS", "int(timedelta(days=0).total_seconds())")),
        ("SILENCED_SYSTEM_CHECKS appended", b().set("SECURE_SSL_REDIRECT", "False").set("SILENCED_SYSTEM_CHECKS", "[]").then(r#"SILENCED_SYSTEM_CHECKS.append("security.W008")"#)),
        ("SILENCED_SYSTEM_CHECKS from env split", b().set("SECURE_SSL_REDIRECT", "False").set("SILENCED_SYSTEM_CHECKS", r#"os.environ.get("SILENCED", "security.W008,security.W004").split(",")"#)),
    ];
    for (label, settings) in building {
        cases.push(single(format!("building: {label}"), settings));
    }
    let with_csp = Settings::baseline()
        .import("from django.utils.csp import CSP")
        .middleware(&[BASELINE_MIDDLEWARE, &[CSP_MW][..]].concat())
        .set("SECURE_CSP", r#"{"script-src": [CSP.SELF, CSP.NONCE]}"#);
    cases.push(single(
        "building: csp context processor added with +=",
        with_csp.clone().then(r#"TEMPLATES[0]["OPTIONS"]["context_processors"] += ["django.template.context_processors.csp"]"#),
    ));
    cases.push(single(
        "building: TEMPLATES rebuilt with the csp context processor",
        with_csp.then(
            "_CP = TEMPLATES[0][\"OPTIONS\"][\"context_processors\"]\nTEMPLATES[0][\"OPTIONS\"][\"context_processors\"] = [*_CP, \"django.template.context_processors.csp\"]",
        ),
    ));
}
