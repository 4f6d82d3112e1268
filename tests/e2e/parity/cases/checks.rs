//! The rows of the `check --deploy` table (rules/django.md section 1): every setting on both
//! sides of its condition, with and without the middleware that gates it.

use super::*;
use crate::parity::settings::*;

/// Each setting with values on both sides of its condition (typing traps included), and unset.
pub(super) fn value_tables(cases: &mut Vec<Case>) {
    let table: &[(&str, &[&str])] = &[
        (
            "DEBUG",
            &[
                "True",
                "False",
                r#""False""#,
                r#""""#,
                "0",
                "1",
                "None",
                "[]",
                "[0]",
            ],
        ),
        (
            "SECURE_HSTS_SECONDS",
            &[
                "0", "3600", r#""0""#, r#""""#, "None", "False", "True", "0.0", "-1",
            ],
        ),
        ("SECURE_HSTS_INCLUDE_SUBDOMAINS", BOOLISH),
        ("SECURE_HSTS_PRELOAD", BOOLISH),
        ("SECURE_CONTENT_TYPE_NOSNIFF", BOOLISH),
        ("SECURE_SSL_REDIRECT", BOOLISH),
        ("CSRF_COOKIE_SECURE", BOOLISH),
        ("SESSION_COOKIE_SECURE", BOOLISH),
        ("SESSION_COOKIE_HTTPONLY", BOOLISH),
        (
            "X_FRAME_OPTIONS",
            &[r#""DENY""#, r#""deny""#, r#""SAMEORIGIN""#, r#""""#, "None"],
        ),
        (
            "ALLOWED_HOSTS",
            // a str or None is refused at startup (ImproperlyConfigured), not a check: not here
            &[
                "[]",
                r#"["*"]"#,
                r#"[""]"#,
                "()",
                r#"[".example.com"]"#,
                r#"("www.example.com",)"#,
            ],
        ),
    ];
    for (setting, values) in table {
        for value in *values {
            cases.push(single(
                format!("{setting}={value}"),
                Settings::baseline().set(setting, value),
            ));
        }
        cases.push(single(
            format!("{setting} unset"),
            Settings::baseline().remove(setting),
        ));
    }
    // W005/W021 only apply when HSTS is on: both sides with HSTS off
    for setting in ["SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD"] {
        for value in ["False", "True"] {
            cases.push(single(
                format!("{setting}={value} with HSTS off"),
                Settings::baseline()
                    .set("SECURE_HSTS_SECONDS", "0")
                    .set(setting, value),
            ));
        }
    }
    // W016 is skipped when the CSRF token lives in the session
    for uses_sessions in ["True", "False", "1", r#""""#] {
        cases.push(single(
            format!("CSRF_USE_SESSIONS={uses_sessions} with an insecure CSRF cookie"),
            Settings::baseline()
                .set("CSRF_COOKIE_SECURE", "False")
                .set("CSRF_USE_SESSIONS", uses_sessions),
        ));
    }
}

/// The checks gated on a middleware: each with the middleware present and absent.
pub(super) fn middleware_gates(cases: &mut Vec<Case>) {
    let gated: &[(&str, &str, &str)] = &[
        (SECURITY, "SECURE_HSTS_SECONDS", "0"),
        (SECURITY, "SECURE_HSTS_INCLUDE_SUBDOMAINS", "False"),
        (SECURITY, "SECURE_HSTS_PRELOAD", "False"),
        (SECURITY, "SECURE_CONTENT_TYPE_NOSNIFF", "False"),
        (SECURITY, "SECURE_SSL_REDIRECT", "False"),
        (SECURITY, "SECURE_REFERRER_POLICY", "None"),
        (SECURITY, "SECURE_REFERRER_POLICY", r#""bogus""#),
        (SECURITY, "SECURE_CROSS_ORIGIN_OPENER_POLICY", r#""bogus""#),
        (XFRAME, "X_FRAME_OPTIONS", r#""SAMEORIGIN""#),
        (CSRF, "CSRF_COOKIE_SECURE", "False"),
    ];
    for (mw, setting, value) in gated {
        let short = mw.rsplit('.').next().unwrap_or(mw);
        cases.push(single(
            format!("{setting}={value} without {short}"),
            Settings::baseline()
                .middleware(&middleware_without(&[mw]))
                .set(setting, value),
        ));
    }
    for mw in BASELINE_MIDDLEWARE {
        let short = mw.rsplit('.').next().unwrap_or(mw);
        cases.push(single(
            format!("MIDDLEWARE without {short}"),
            Settings::baseline().middleware(&middleware_without(&[mw])),
        ));
    }
    cases.push(single(
        "MIDDLEWARE empty",
        Settings::baseline().set("MIDDLEWARE", "[]"),
    ));
    cases.push(single(
        "MIDDLEWARE unset",
        Settings::baseline().remove("MIDDLEWARE"),
    ));
    cases.push(single(
        "MIDDLEWARE as a tuple",
        Settings::baseline().set("MIDDLEWARE", &str_seq(BASELINE_MIDDLEWARE, true)),
    ));
    cases.push(single(
        "MIDDLEWARE tuple without Security",
        Settings::baseline().set(
            "MIDDLEWARE",
            &str_seq(&middleware_without(&[SECURITY]), true),
        ),
    ));
    // exact paths only: a subclass or a re-export does not count
    cases.push(single(
        "MIDDLEWARE with a lookalike SecurityMiddleware",
        Settings::baseline().middleware(
            &[
                &["myapp.middleware.SecurityMiddleware"][..],
                &middleware_without(&[SECURITY])[..],
            ]
            .concat(),
        ),
    ));
}

pub(super) fn secret_keys(cases: &mut Vec<Case>) {
    let fifty_five_unique = "abcde".repeat(10);
    let forty_nine = &STRONG_KEY[..49];
    let fifty = &STRONG_KEY[..50];
    let insecure = format!("django-insecure-{}", &STRONG_KEY[..45]);
    let four_unique = "abcd".repeat(15);
    let keys = [
        ("short", py_str("short-key")),
        ("49 chars", py_str(forty_nine)),
        ("50 chars", py_str(fifty)),
        ("50 chars 5 unique", py_str(&fifty_five_unique)),
        ("60 chars 4 unique", py_str(&four_unique)),
        ("django-insecure- prefix", py_str(&insecure)),
        ("empty", py_str("")),
        ("None", "None".to_string()),
    ];
    for (label, expr) in &keys {
        cases.push(single(
            format!("SECRET_KEY {label}"),
            Settings::baseline().set("SECRET_KEY", expr),
        ));
    }
    cases.push(single(
        "SECRET_KEY unset",
        Settings::baseline().remove("SECRET_KEY"),
    ));
    // W025 checks each fallback the same way
    let fallbacks = [
        ("empty list", "[]".to_string()),
        ("strong", format!("[{}]", py_str(STRONG_KEY))),
        ("one short", r#"["short"]"#.to_string()),
        (
            "strong then insecure",
            format!("[{}, {}]", py_str(STRONG_KEY), py_str(&insecure)),
        ),
        ("tuple of one weak", format!("({},)", py_str(&four_unique))),
        ("two weak", r#"["a", "b"]"#.to_string()),
    ];
    for (label, expr) in &fallbacks {
        cases.push(single(
            format!("SECRET_KEY_FALLBACKS {label}"),
            Settings::baseline().set("SECRET_KEY_FALLBACKS", expr),
        ));
    }
}

pub(super) fn referrer_and_coop(cases: &mut Vec<Case>) {
    let policies = [
        "None",
        r#""same-origin""#,
        r#""no-referrer, strict-origin-when-cross-origin""#,
        r#""same-origin,unsafe-url""#,
        r#"" origin ""#,
        r#""no-referer""#,
        r#""SAME-ORIGIN""#,
        r#""""#,
        r#"["origin", "same-origin"]"#,
        r#"("bad",)"#,
        "[]",
        r#"{"strict-origin"}"#,
        r#""same-origin,""#,
    ];
    for policy in policies {
        cases.push(single(
            format!("SECURE_REFERRER_POLICY={policy}"),
            Settings::baseline().set("SECURE_REFERRER_POLICY", policy),
        ));
    }
    let coops = [
        "None",
        r#""same-origin""#,
        r#""same-origin-allow-popups""#,
        r#""unsafe-none""#,
        r#""bogus""#,
        r#""Same-Origin""#,
        r#""""#,
    ];
    for coop in coops {
        cases.push(single(
            format!("SECURE_CROSS_ORIGIN_OPENER_POLICY={coop}"),
            Settings::baseline().set("SECURE_CROSS_ORIGIN_OPENER_POLICY", coop),
        ));
    }
}

/// W010/W011/W012 and W013/W014/W015: the cookie setting x the sessions app x the middleware.
pub(super) fn session_matrix(cases: &mut Vec<Case>) {
    for (setting, values) in [
        ("SESSION_COOKIE_SECURE", ["True", "False", "1"]),
        ("SESSION_COOKIE_HTTPONLY", ["True", "False", "1"]),
    ] {
        for value in values {
            for app in [true, false] {
                for mw in [true, false] {
                    let mut settings = Settings::baseline().set(setting, value);
                    if !app {
                        settings = settings.set(
                            "INSTALLED_APPS",
                            &str_seq(
                                &[
                                    "django.contrib.auth",
                                    "django.contrib.contenttypes",
                                    "django.contrib.staticfiles",
                                ],
                                false,
                            ),
                        );
                    }
                    if !mw {
                        settings = settings.middleware(&middleware_without(&[SESSION]));
                    }
                    cases.push(single(
                        format!("{setting}={value} app={app} middleware={mw}"),
                        settings,
                    ));
                }
            }
        }
    }
    cases.push(single(
        "both session cookies insecure",
        Settings::baseline()
            .set("SESSION_COOKIE_SECURE", "False")
            .set("SESSION_COOKIE_HTTPONLY", "False"),
    ));
}

/// E026 (6.0+) and W027 (6.1+).
pub(super) fn csp(cases: &mut Vec<Case>) {
    let types = [
        ("SECURE_CSP", r#""default-src 'self'""#),
        ("SECURE_CSP", "{}"),
        ("SECURE_CSP", "None"),
        ("SECURE_CSP", r#"["default-src 'self'"]"#),
        ("SECURE_CSP_REPORT_ONLY", r#"{"default-src": ["'self'"]}"#),
        ("SECURE_CSP_REPORT_ONLY", r#"("default-src",)"#),
    ];
    for (setting, value) in types {
        cases.push(
            single(
                format!("{setting}={value}"),
                Settings::baseline().set(setting, value),
            )
            .also_on_5_2(),
        );
    }
    let with_csp_mw = || {
        Settings::baseline()
            .import("from django.utils.csp import CSP")
            .middleware(&[BASELINE_MIDDLEWARE, &[CSP_MW][..]].concat())
    };
    let policies = [
        (
            "nonce in a list",
            "SECURE_CSP",
            r#"{"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.NONCE]}"#,
        ),
        (
            "nonce as the value",
            "SECURE_CSP",
            r#"{"script-src": CSP.NONCE}"#,
        ),
        (
            "nonce inside a string",
            "SECURE_CSP",
            r#"{"script-src": "'self' " + CSP.NONCE}"#,
        ),
        (
            "nonce in report-only",
            "SECURE_CSP_REPORT_ONLY",
            r#"{"script-src": [CSP.NONCE]}"#,
        ),
        ("no nonce", "SECURE_CSP", r#"{"script-src": [CSP.SELF]}"#),
    ];
    for (label, setting, value) in policies {
        cases.push(single(
            format!("W027 {label}"),
            with_csp_mw().set(setting, value),
        ));
    }
    cases.push(single(
        "W027 nonce with the csp context processor",
        with_csp_mw().set("SECURE_CSP", r#"{"script-src": [CSP.NONCE]}"#).then(
            r#"TEMPLATES[0]["OPTIONS"]["context_processors"].append("django.template.context_processors.csp")"#,
        ),
    ));
    cases.push(single(
        "W027 nonce without the csp middleware",
        Settings::baseline()
            .import("from django.utils.csp import CSP")
            .set("SECURE_CSP", r#"{"script-src": [CSP.NONCE]}"#),
    ));
}

/// mail.E001 and mail.W001 (6.1+); 5.2 ignores MAILERS.
pub(super) fn mailers(cases: &mut Vec<Case>) {
    let mailers = [
        (
            "console",
            r#"{"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}"#,
        ),
        (
            "dummy",
            r#"{"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}"#,
        ),
        (
            "filebased",
            r#"{"default": {"BACKEND": "django.core.mail.backends.filebased.EmailBackend", "OPTIONS": {"file_path": "/tmp/mail"}}}"#,
        ),
        (
            "locmem",
            r#"{"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}"#,
        ),
        (
            "smtp",
            r#"{"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}"#,
        ),
        ("no BACKEND", r#"{"default": {}}"#),
        ("empty", "{}"),
        (
            "no default",
            r#"{"bulk": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}"#,
        ),
        (
            "console besides smtp default",
            r#"{"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}, "debug": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}"#,
        ),
    ];
    for (label, value) in mailers {
        cases.push(
            single(
                format!("MAILERS {label}"),
                Settings::baseline().set("MAILERS", value),
            )
            .also_on_5_2(),
        );
    }
    cases.push(
        single(
            "MAILERS backend set by item assignment",
            Settings::baseline()
                .set("MAILERS", r#"{"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}"#)
                .then(r#"MAILERS["default"]["BACKEND"] = "django.core.mail.backends.console.EmailBackend""#),
        )
        .also_on_5_2(),
    );
    cases.push(
        single(
            "EMAIL_BACKEND console without MAILERS",
            Settings::baseline().set(
                "EMAIL_BACKEND",
                r#""django.core.mail.backends.console.EmailBackend""#,
            ),
        )
        .also_on_5_2(),
    );
}

/// caches.W002: a FileBasedCache LOCATION against MEDIA_ROOT, STATIC_ROOT and STATICFILES_DIRS.
pub(super) fn file_caches(cases: &mut Vec<Case>) {
    let cache = |location: &str| {
        format!(
            r#"{{"default": {{"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": {location}}}}}"#
        )
    };
    let locations = [
        ("matches MEDIA_ROOT", r#"BASE_DIR / "media""#),
        ("inside MEDIA_ROOT", r#"BASE_DIR / "media" / "cache""#),
        ("contains the roots", "BASE_DIR"),
        (
            "matches STATIC_ROOT via os.path.join",
            r#"os.path.join(BASE_DIR, "staticfiles")"#,
        ),
        (
            "inside STATIC_ROOT as str",
            r#"str(BASE_DIR / "staticfiles" / "cache")"#,
        ),
        ("elsewhere", r#"BASE_DIR / "cache""#),
        ("absolute elsewhere", r#""/var/tmp/preflight-parity-cache""#),
        (
            "trailing slash on MEDIA_ROOT",
            r#"str(BASE_DIR / "media") + "/""#,
        ),
        (
            "dotdot into MEDIA_ROOT",
            r#"BASE_DIR / "cache" / ".." / "media""#,
        ),
    ];
    for (label, location) in locations {
        cases.push(single(
            format!("FileBasedCache {label}"),
            Settings::baseline().set("CACHES", &cache(location)),
        ));
    }
    // the STATICFILES_DIRS folders exist, as in a real checkout (else staticfiles.W004)
    let with_dirs = |mut case: Case| {
        for dir in ["assets", "vendor"] {
            case.files.push((format!("{dir}/.keep"), String::new()));
        }
        case
    };
    cases.push(with_dirs(single(
        "FileBasedCache inside STATICFILES_DIRS",
        Settings::baseline()
            .set("STATICFILES_DIRS", r#"[BASE_DIR / "assets"]"#)
            .set("CACHES", &cache(r#"BASE_DIR / "assets" / "cache""#)),
    )));
    cases.push(with_dirs(single(
        "FileBasedCache inside a prefixed STATICFILES_DIRS entry",
        Settings::baseline()
            .set(
                "STATICFILES_DIRS",
                r#"[("vendor", os.path.join(BASE_DIR, "vendor"))]"#,
            )
            .set(
                "CACHES",
                &cache(r#"os.path.join(BASE_DIR, "vendor", "cache")"#),
            ),
    )));
    cases.push(single(
        "FileBasedCache with MEDIA_ROOT empty",
        Settings::baseline()
            .set("MEDIA_ROOT", r#""""#)
            .set("CACHES", &cache(r#"BASE_DIR / "media""#)),
    ));
    cases.push(single(
        "LocMemCache inside MEDIA_ROOT",
        Settings::baseline().set(
            "CACHES",
            r#"{"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "media"}}"#,
        ),
    ));
    cases.push(single(
        "FileBasedCache as a second alias",
        Settings::baseline().set(
            "CACHES",
            r#"{"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, "files": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": BASE_DIR / "staticfiles"}}"#,
        ),
    ));
    cases.push(single(
        "FileBasedCache LOCATION set by item assignment",
        Settings::baseline()
            .set("CACHES", &cache(r#"BASE_DIR / "cache""#))
            .then(r#"CACHES["default"]["LOCATION"] = MEDIA_ROOT"#),
    ));
    cases.push(single(
        "FileBasedCache relative LOCATION",
        Settings::baseline().set("CACHES", &cache(r#""django_cache""#)),
    ));
}

pub(super) fn silenced(cases: &mut Vec<Case>) {
    let variants = [
        (
            "W004 silenced",
            "SECURE_HSTS_SECONDS",
            "0",
            r#"["security.W004"]"#,
        ),
        ("W018 silenced", "DEBUG", "True", r#"["security.W018"]"#),
        (
            "another id silenced",
            "DEBUG",
            "True",
            r#"["security.W004"]"#,
        ),
        (
            "W012 silenced as a tuple",
            "SESSION_COOKIE_SECURE",
            "False",
            r#"("security.W012",)"#,
        ),
        (
            "W020 silenced",
            "ALLOWED_HOSTS",
            "[]",
            r#"["security.W020", "security.W999"]"#,
        ),
    ];
    for (label, setting, value, silenced) in variants {
        cases.push(single(
            format!("SILENCED_SYSTEM_CHECKS {label}"),
            Settings::baseline()
                .set(setting, value)
                .set("SILENCED_SYSTEM_CHECKS", silenced),
        ));
    }
}
