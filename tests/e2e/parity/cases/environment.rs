//! Environment reads: os.environ/os.getenv, django-environ and python-decouple, with and
//! without defaults.

use super::*;
use crate::parity::settings::*;

/// Environment reads: with defaults (unset in production) and without (provided; Django gets a
/// good value).
pub(super) fn environment(cases: &mut Vec<Case>) {
    let b = Settings::baseline;
    let with_default: Vec<(&str, Settings)> = vec![
        (
            "environ.get lower == true",
            b().set(
                "DEBUG",
                r#"os.environ.get("DJANGO_DEBUG", "False").lower() == "true""#,
            ),
        ),
        (
            "getenv == True default True",
            b().set("DEBUG", r#"os.getenv("DJANGO_DEBUG", "True") == "True""#),
        ),
        (
            "string default False is truthy",
            b().set("DEBUG", r#"os.environ.get("DJANGO_DEBUG", "False")"#),
        ),
        (
            "bool default False",
            b().set("DEBUG", r#"os.environ.get("DJANGO_DEBUG", False)"#),
        ),
        (
            "int default zero",
            b().set(
                "SECURE_HSTS_SECONDS",
                r#"int(os.environ.get("HSTS_SECONDS", "0"))"#,
            ),
        ),
        (
            "int default 3600",
            b().set(
                "SECURE_HSTS_SECONDS",
                r#"int(os.environ.get("HSTS_SECONDS", 3600))"#,
            ),
        ),
        (
            "bool(int()) default 0",
            b().set(
                "SECURE_SSL_REDIRECT",
                r#"bool(int(os.getenv("SSL_REDIRECT", "0")))"#,
            ),
        ),
        (
            "bool(int()) default 1",
            b().set(
                "SECURE_SSL_REDIRECT",
                r#"bool(int(os.getenv("SSL_REDIRECT", "1")))"#,
            ),
        ),
        (
            "split of an empty default",
            b().set(
                "ALLOWED_HOSTS",
                r#"os.environ.get("ALLOWED_HOSTS", "").split(",")"#,
            ),
        ),
        (
            "split of a default",
            b().set(
                "ALLOWED_HOSTS",
                r#"os.environ.get("ALLOWED_HOSTS", "a.example.com,b.example.com").split(",")"#,
            ),
        ),
        (
            "weak key default",
            b().set(
                "SECRET_KEY",
                r#"os.environ.get("DJANGO_SECRET_KEY", "dev")"#,
            ),
        ),
        (
            "strong key default",
            b().set(
                "SECRET_KEY",
                &format!(
                    r#"os.environ.get("DJANGO_SECRET_KEY", {})"#,
                    py_str(STRONG_KEY)
                ),
            ),
        ),
        (
            "== 'True' default True",
            b().set(
                "SECURE_SSL_REDIRECT",
                r#"os.environ.get("SSL_REDIRECT", "True") == "True""#,
            ),
        ),
        (
            "in a tuple of truthy strings",
            b().set(
                "DEBUG",
                r#"os.getenv("DJANGO_DEBUG", "0").lower() in ("1", "true", "yes")"#,
            ),
        ),
        (
            "environ.setdefault",
            b().set("DEBUG", r#"os.environ.setdefault("DJANGO_DEBUG", "")"#),
        ),
        (
            "x-frame from env default",
            b().set(
                "X_FRAME_OPTIONS",
                r#"os.environ.get("X_FRAME", "SAMEORIGIN")"#,
            ),
        ),
    ];
    for (label, settings) in with_default {
        cases.push(single(format!("env with default: {label}"), settings));
    }
    let without_default: Vec<(&str, Settings, &str, &str)> = vec![
        (
            "environ[] key",
            b().set("SECRET_KEY", r#"os.environ["DJANGO_SECRET_KEY"]"#),
            "DJANGO_SECRET_KEY",
            STRONG_KEY,
        ),
        (
            "getenv key",
            b().set("SECRET_KEY", r#"os.getenv("DJANGO_SECRET_KEY")"#),
            "DJANGO_SECRET_KEY",
            STRONG_KEY,
        ),
        (
            "environ[] == '1'",
            b().set("DEBUG", r#"os.environ["DJANGO_DEBUG"] == "1""#),
            "DJANGO_DEBUG",
            "0",
        ),
        (
            "environ.get bool",
            b().set(
                "SESSION_COOKIE_SECURE",
                r#"os.environ.get("COOKIE_SECURE") == "1""#,
            ),
            "COOKIE_SECURE",
            "1",
        ),
        (
            "int(environ[])",
            b().set("SECURE_HSTS_SECONDS", r#"int(os.environ["HSTS_SECONDS"])"#),
            "HSTS_SECONDS",
            "31536000",
        ),
        (
            "split(environ[])",
            b().set("ALLOWED_HOSTS", r#"os.environ["ALLOWED_HOSTS"].split(",")"#),
            "ALLOWED_HOSTS",
            "www.example.com",
        ),
    ];
    for (label, settings, var, value) in without_default {
        cases.push(single(format!("env without default: {label}"), settings).env(var, value));
    }
    // django-environ
    let environ = || {
        Settings::baseline()
            .import("import environ")
            .define("env", "environ.Env(DEBUG=(bool, False), HSTS=(int, 0))")
    };
    let environ_cases: Vec<(&str, Settings)> = vec![
        (
            "schema default False",
            environ().set("DEBUG", r#"env("DEBUG")"#),
        ),
        (
            "schema int default 0",
            environ().set("SECURE_HSTS_SECONDS", r#"env("HSTS")"#),
        ),
        (
            "env.bool default False",
            environ().set(
                "SECURE_SSL_REDIRECT",
                r#"env.bool("SSL_REDIRECT", default=False)"#,
            ),
        ),
        (
            "env.bool default True",
            environ().set(
                "SECURE_SSL_REDIRECT",
                r#"env.bool("SSL_REDIRECT", default=True)"#,
            ),
        ),
        (
            "env.int default 0",
            environ().set(
                "SECURE_HSTS_SECONDS",
                r#"env.int("HSTS_SECONDS", default=0)"#,
            ),
        ),
        (
            "env.list default empty",
            environ().set("ALLOWED_HOSTS", r#"env.list("ALLOWED_HOSTS", default=[])"#),
        ),
        (
            "env.str weak default",
            environ().set("SECRET_KEY", r#"env.str("SECRET_KEY", default="dev")"#),
        ),
        (
            "env() default True",
            environ().set("DEBUG", r#"env("DJANGO_DEBUG", default=True)"#),
        ),
    ];
    for (label, settings) in environ_cases {
        cases.push(single(format!("django-environ: {label}"), settings));
    }
    cases.push(
        single(
            "django-environ: env() without default",
            environ().set("SECRET_KEY", r#"env("SECRET_KEY")"#),
        )
        .env("SECRET_KEY", STRONG_KEY),
    );
    // python-decouple
    let decouple = || Settings::baseline().import("from decouple import Csv, config");
    let decouple_cases: Vec<(&str, Settings)> = vec![
        (
            "cast bool default True",
            decouple().set("DEBUG", r#"config("DEBUG", default=True, cast=bool)"#),
        ),
        (
            "cast bool default False",
            decouple().set("DEBUG", r#"config("DEBUG", default=False, cast=bool)"#),
        ),
        (
            "cast bool default 'False'",
            decouple().set("DEBUG", r#"config("DEBUG", default="False", cast=bool)"#),
        ),
        (
            "cast int default 0",
            decouple().set(
                "SECURE_HSTS_SECONDS",
                r#"config("HSTS_SECONDS", default=0, cast=int)"#,
            ),
        ),
        (
            "Csv of an empty default",
            decouple().set(
                "ALLOWED_HOSTS",
                r#"config("ALLOWED_HOSTS", default="", cast=Csv())"#,
            ),
        ),
        (
            "Csv default",
            decouple().set(
                "ALLOWED_HOSTS",
                r#"config("ALLOWED_HOSTS", default="www.example.com", cast=Csv())"#,
            ),
        ),
        (
            "no cast string default",
            decouple().set("DEBUG", r#"config("DEBUG", default="False")"#),
        ),
    ];
    for (label, settings) in decouple_cases {
        cases.push(single(format!("decouple: {label}"), settings));
    }
    cases.push(
        single(
            "decouple: without default",
            decouple().set("SECRET_KEY", r#"config("SECRET_KEY")"#),
        )
        .env("SECRET_KEY", STRONG_KEY),
    );
}
