//! Checklist rule tests on in-memory settings modules: each rule fires on the idioms of real
//! projects (star-import chains, env helpers, branches, local overrides) and stays quiet on the
//! safe spelling, on unknown values and in open modules; fixes are applied and re-checked.

use std::path::Path;

use crate::analysis::Options;
use crate::diagnostic::{Diagnostic, Severity, apply_edits};
use crate::django_version::DjangoVersion;
use crate::python::{ModuleCache, analyze_module};
use crate::source::MemoryLoader;
use crate::syntax::python_tree;

const SETTINGS: &str = "/p/mysite/settings.py";
const STRONG_KEY: &str = "k3JHd9+Vq@1zX#pL0wR!eT5yU7iO2aS4dF6gH8jK0lZ9xC1vB3nM5qW7eR9tY2uI4o";

/// A production module that passes every checklist rule: tests add one thing at a time.
const CLEAN: &str = r#"import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["example.com"]
INSTALLED_APPS = ["django.contrib.staticfiles"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "site",
        "PASSWORD": os.environ["DATABASE_PASSWORD"],
        "CONN_MAX_AGE": 60,
    }
}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
}
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = BASE_DIR / "media"
LOGGING = {"version": 1}
"#;

type Files = MemoryLoader;

trait FilesExt {
    fn check(&self, path: &str, version: DjangoVersion) -> Vec<Diagnostic>;
}

impl FilesExt for Files {
    fn check(&self, path: &str, version: DjangoVersion) -> Vec<Diagnostic> {
        let text = self.text(path);
        let tree = python_tree(&text);
        let model = analyze_module(
            Path::new(path),
            &text,
            &tree,
            self,
            &mut ModuleCache::default(),
        );
        assert!(model.syntax_error.is_none(), "does not parse:\n{text}");
        let options = Options {
            django_version: version,
            ..Options::default()
        };
        let mut found = super::super::check(&model, &text, &options);
        found.retain(|d| d.code >= "DJ100");
        found
    }
}

fn check_version(text: &str, version: DjangoVersion) -> Vec<Diagnostic> {
    Files::default()
        .with(SETTINGS, text)
        .check(SETTINGS, version)
}

fn check(text: &str) -> Vec<Diagnostic> {
    check_version(text, DjangoVersion::NEWEST)
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    let mut codes: Vec<_> = diagnostics.iter().map(|d| d.code).collect();
    codes.sort();
    codes.dedup();
    codes
}

fn find<'d>(diagnostics: &'d [Diagnostic], code: &str) -> &'d Diagnostic {
    diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:#?}", diagnostics))
}

/// CLEAN plus `extra` at the end.
fn clean_plus(extra: &str) -> String {
    format!("{CLEAN}{extra}\n")
}

fn fires(text: &str, code: &str) -> bool {
    codes(&check(text)).contains(&code)
}

/// Applies the fix of `code`, asserts the rule no longer fires and returns the new text.
fn assert_fix_clears(text: &str, code: &str) -> String {
    let d = check(text);
    let fix = find(&d, code)
        .fix
        .as_ref()
        .unwrap_or_else(|| panic!("{code} offers no fix"));
    let after = apply_edits(text, &fix.edits);
    assert!(
        !fires(&after, code),
        "{code} still fires after its fix:\n{after}"
    );
    after
}

#[test]
fn clean_settings_pass_every_checklist_rule() {
    assert_eq!(codes(&check(CLEAN)), Vec::<&str>::new());
}

#[test]
fn literal_secret_key_is_committed_even_when_strong() {
    let text = CLEAN.replace(
        "os.environ[\"DJANGO_SECRET_KEY\"]",
        &format!("\"{STRONG_KEY}\""),
    );
    let d = check(&text);
    let f = find(&d, "DJ101");
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.contains("literal secret"));
    assert!(!f.message.contains(STRONG_KEY));
    assert!(f.references.is_empty());
    let after = assert_fix_clears(&text, "DJ101");
    assert!(after.contains("SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]"));
    // both branches literal: still committed
    let text = CLEAN.replace(
        "SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]",
        "import sys\nif sys.argv:\n    SECRET_KEY = 'a' * 60\nelse:\n    SECRET_KEY = 'b' * 60",
    );
    assert!(fires(&text, "DJ101"));
}

#[test]
fn secret_key_env_default_is_a_committed_fallback() {
    for read in [
        "os.environ.get(\"SECRET_KEY\", \"dev-only-key\")",
        "os.getenv(\"SECRET_KEY\", \"dev-only-key\")",
    ] {
        let text = CLEAN.replace("os.environ[\"DJANGO_SECRET_KEY\"]", read);
        let d = check(&text);
        let f = find(&d, "DJ102");
        assert!(!f.message.contains("dev-only-key"), "{}", f.message);
        assert!(!codes(&d).contains(&"DJ101"), "{read}");
        let after = assert_fix_clears(&text, "DJ102");
        assert!(
            after.contains("SECRET_KEY = os.environ[\"SECRET_KEY\"]"),
            "{after}"
        );
    }
    // no default, or an empty one (Django's W009 reports that): nothing to say here
    for read in [
        "os.environ.get(\"SECRET_KEY\")",
        "os.environ.get(\"SECRET_KEY\", \"\")",
    ] {
        let text = CLEAN.replace("os.environ[\"DJANGO_SECRET_KEY\"]", read);
        assert_eq!(codes(&check(&text)), Vec::<&str>::new(), "{read}");
    }
}

#[test]
fn secret_key_generated_at_import() {
    let text = CLEAN.replace(
        "SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]",
        "from django.core.management.utils import get_random_secret_key\nSECRET_KEY = os.environ.get(\"SECRET_KEY\", get_random_secret_key())",
    );
    let d = check(&text);
    assert_eq!(codes(&d), ["DJ103"]);
    assert!(
        find(&d, "DJ103")
            .message
            .contains("when SECRET_KEY is not set")
    );
    assert_fix_clears(&text, "DJ103");
    let text = CLEAN.replace(
        "SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]",
        "import secrets\nSECRET_KEY = secrets.token_urlsafe(50)",
    );
    assert_eq!(codes(&check(&text)), ["DJ103"]);
}

#[test]
fn secret_key_from_a_star_imported_base_anchors_on_the_import() {
    let files = Files::default()
        .with(
            "/p/mysite/settings/base.py",
            &format!("SECRET_KEY = \"{STRONG_KEY}\"\n"),
        )
        .with("/p/mysite/settings/__init__.py", "")
        .with(
            "/p/mysite/settings/prod.py",
            &CLEAN.replace(
                "SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\n",
                "from .base import *  # noqa\n",
            ),
        );
    let d = files.check("/p/mysite/settings/prod.py", DjangoVersion::NEWEST);
    let f = find(&d, "DJ101");
    assert_eq!(f.related.len(), 1);
    assert!(f.related[0].path.ends_with("base.py"));
    // overridden in production: the effective value is what counts
    let files = files.with(
        "/p/mysite/settings/prod.py",
        &CLEAN.replace(
            "SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\n",
            "from .base import *  # noqa\nSECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\n",
        ),
    );
    let d = files.check("/p/mysite/settings/prod.py", DjangoVersion::NEWEST);
    assert_eq!(codes(&d), Vec::<&str>::new());
}

#[test]
fn star_import_chains_carry_findings_to_production() {
    let files = Files::default()
        .with("/p/mysite/settings/__init__.py", "")
        .with(
            "/p/mysite/settings/common.py",
            "import os\nDEBUG = os.environ.get(\"DEBUG\", False)\n",
        )
        .with("/p/mysite/settings/base.py", "from .common import *\n")
        .with(
            "/p/mysite/settings/prod.py",
            &CLEAN.replace("DEBUG = False\n", "from .base import *\n"),
        );
    let d = files.check("/p/mysite/settings/prod.py", DjangoVersion::NEWEST);
    let f = find(&d, "DJ104");
    assert!(f.related[0].path.ends_with("common.py"), "{f:?}");
    assert!(f.fix.is_none(), "the read is in another file");
    // a production override after the chain wins
    let files = files.with(
        "/p/mysite/settings/prod.py",
        &CLEAN.replace("DEBUG = False\n", "from .base import *\nDEBUG = False\n"),
    );
    let d = files.check("/p/mysite/settings/prod.py", DjangoVersion::NEWEST);
    assert_eq!(codes(&d), Vec::<&str>::new());
}

#[test]
fn debug_read_as_a_raw_string() {
    let text = CLEAN.replace("DEBUG = False", "DEBUG = os.environ.get(\"DEBUG\", False)");
    let d = check(&text);
    assert_eq!(codes(&d), ["DJ104"]);
    let after = assert_fix_clears(&text, "DJ104");
    assert!(after.contains(
        "DEBUG = os.environ.get(\"DEBUG\", \"\").lower() in (\"1\", \"true\", \"yes\", \"on\")"
    ));
    // `from os import getenv`: the fix imports os
    let bare = CLEAN
        .replace("import os\n", "from os import environ, getenv\n")
        .replace("os.environ[", "environ[")
        .replace("DEBUG = False", "DEBUG = getenv(\"DEBUG\")");
    let after = assert_fix_clears(&bare, "DJ104");
    assert!(
        after.contains("from pathlib import Path\nimport os\n"),
        "{after}"
    );
    // converted reads are fine
    for read in [
        "os.environ.get(\"DEBUG\", \"False\").lower() == \"true\"",
        "bool(int(os.environ.get(\"DEBUG\", \"0\")))",
    ] {
        let text = CLEAN.replace("DEBUG = False", &format!("DEBUG = {read}"));
        assert_eq!(codes(&check(&text)), Vec::<&str>::new(), "{read}");
    }
}

#[test]
fn debug_raw_string_fix_keeps_the_readers_idiom() {
    let environ = CLEAN.replace(
        "DEBUG = False",
        "import environ\nenv = environ.Env()\nDEBUG = env(\"DEBUG\", default=\"\")",
    );
    let after = assert_fix_clears(&environ, "DJ104");
    assert!(
        after.contains("DEBUG = env.bool(\"DEBUG\", default=\"\")"),
        "{after}"
    );
    // django-environ casts to the default's type: a bool default reads a real bool
    let smart = environ.replace("default=\"\"", "default=False");
    assert!(!fires(&smart, "DJ104"));
    let decouple = CLEAN.replace(
        "DEBUG = False",
        "from decouple import config\nDEBUG = config(\"DEBUG\", default=False)",
    );
    let after = assert_fix_clears(&decouple, "DJ104");
    assert!(
        after.contains("DEBUG = config(\"DEBUG\", default=False, cast=bool)"),
        "{after}"
    );
}

#[test]
fn debug_default_on_when_the_variable_is_unset() {
    for (read, flipped) in [
        (
            "env.bool(\"DEBUG\", default=True)",
            "env.bool(\"DEBUG\", default=False)",
        ),
        (
            "os.environ.get(\"DEBUG\", \"True\") == \"True\"",
            "os.environ.get(\"DEBUG\", \"False\") == \"True\"",
        ),
        (
            "config(\"DEBUG\", default=True, cast=bool)",
            "config(\"DEBUG\", default=False, cast=bool)",
        ),
    ] {
        let text = CLEAN.replace(
            "DEBUG = False",
            &format!(
                "import environ\nfrom decouple import config\nenv = environ.Env()\nDEBUG = {read}"
            ),
        );
        let d = check(&text);
        assert_eq!(codes(&d), ["DJ105"], "{read}");
        let after = assert_fix_clears(&text, "DJ105");
        assert!(after.contains(&format!("DEBUG = {flipped}")), "{after}");
    }
    // a one-line project helper around getenv is inlined
    let helper = CLEAN.replace(
        "DEBUG = False",
        "def envbool(name, default):\n    return os.environ.get(name, str(default)).lower() in (\"1\", \"true\")\n\nDEBUG = envbool(\"DEBUG\", True)",
    );
    assert!(fires(&helper, "DJ105"));
    assert!(!fires(
        &helper.replace("envbool(\"DEBUG\", True)", "envbool(\"DEBUG\", False)"),
        "DJ105"
    ));
    // literal DEBUG = True is Django's W018, not an environment default
    assert!(!fires(
        &CLEAN.replace("DEBUG = False", "DEBUG = True"),
        "DJ105"
    ));
}

#[test]
fn allowed_hosts_wildcards() {
    let star = CLEAN.replace("[\"example.com\"]", "[\"*\"]");
    let d = check(&star);
    assert_eq!(codes(&d), ["DJ106"]);
    let env = CLEAN.replace(
        "ALLOWED_HOSTS = [\"example.com\"]",
        "ALLOWED_HOSTS = os.environ.get(\"ALLOWED_HOSTS\", \"*\").split(\",\")",
    );
    assert!(
        find(&check(&env), "DJ106")
            .message
            .contains("default of an environment read")
    );
    let required = CLEAN.replace(
        "ALLOWED_HOSTS = [\"example.com\"]",
        "ALLOWED_HOSTS = os.environ[\"ALLOWED_HOSTS\"].split(\",\")",
    );
    assert_eq!(codes(&check(&required)), Vec::<&str>::new());
    let dot = CLEAN.replace("[\"example.com\"]", "[\".example.com\"]");
    let d = check(&dot);
    assert_eq!(codes(&d), ["DJ128"]);
    assert_eq!(find(&d, "DJ128").severity, Severity::Information);
}

#[test]
fn caches_per_process_and_passwords() {
    let no_caches = CLEAN.replace(
        "CACHES = {\n    \"default\": {\n        \"BACKEND\": \"django.core.cache.backends.redis.RedisCache\",\n        \"LOCATION\": os.environ[\"REDIS_URL\"],\n    }\n}\n",
        "",
    );
    assert_ne!(no_caches, CLEAN);
    let d = check(&no_caches);
    assert_eq!(codes(&d), ["DJ107"]);
    assert_eq!(find(&d, "DJ107").severity, Severity::Information);
    // an open module may inject CACHES: never claim it is missing
    assert!(!fires(
        &format!("{no_caches}globals().update({{}})\n"),
        "DJ107"
    ));
    let locmem = CLEAN.replace("redis.RedisCache", "locmem.LocMemCache");
    assert!(fires(&locmem, "DJ107"));
    let dummy = CLEAN.replace("redis.RedisCache", "dummy.DummyCache");
    assert!(fires(&dummy, "DJ107"));
    let url = CLEAN.replace(
        "os.environ[\"REDIS_URL\"]",
        "\"redis://:s3cr3t-pass@cache:6379/0\"",
    );
    let d = check(&url);
    assert_eq!(codes(&d), ["DJ108"]);
    assert!(!find(&d, "DJ108").message.contains("s3cr3t"));
    let no_password = CLEAN.replace("os.environ[\"REDIS_URL\"]", "\"redis://cache:6379/0\"");
    assert_eq!(codes(&check(&no_password)), Vec::<&str>::new());
    let env_default = CLEAN.replace(
        "os.environ[\"REDIS_URL\"]",
        "os.environ.get(\"REDIS_URL\", \"redis://user:pw@cache:6379\")",
    );
    assert!(fires(&env_default, "DJ108"));
}

#[test]
fn database_password_sqlite_and_connections() {
    let literal = CLEAN.replace("os.environ[\"DATABASE_PASSWORD\"]", "\"hunter2-db\"");
    let d = check(&literal);
    assert_eq!(codes(&d), ["DJ109"]);
    assert!(!find(&d, "DJ109").message.contains("hunter2"));
    let empty = CLEAN.replace("os.environ[\"DATABASE_PASSWORD\"]", "\"\"");
    assert_eq!(codes(&check(&empty)), Vec::<&str>::new());
    // subscript mutation in a production module
    let mutated = clean_plus("DATABASES[\"default\"][\"PASSWORD\"] = \"hunter2-db\"");
    assert!(fires(&mutated, "DJ109"));

    let sqlite = CLEAN
        .replace(
            "django.db.backends.postgresql",
            "django.db.backends.sqlite3",
        )
        .replace("        \"CONN_MAX_AGE\": 60,\n", "");
    assert_eq!(codes(&check(&sqlite)), ["DJ110"]);

    let no_age = CLEAN.replace("        \"CONN_MAX_AGE\": 60,\n", "");
    let d = check(&no_age);
    assert_eq!(codes(&d), ["DJ111"]);
    assert_eq!(find(&d, "DJ111").severity, Severity::Information);
    let after = assert_fix_clears(&no_age, "DJ111");
    assert!(
        after.contains("}\nDATABASES[\"default\"][\"CONN_MAX_AGE\"] = 60\n"),
        "{after}"
    );
    assert!(fires(
        &CLEAN.replace("\"CONN_MAX_AGE\": 60", "\"CONN_MAX_AGE\": 0"),
        "DJ111"
    ));
    // set by mutation later: fine
    assert!(!fires(
        &clean_plus(
            "DATABASES[\"default\"][\"CONN_MAX_AGE\"] = 0\nDATABASES[\"default\"][\"CONN_MAX_AGE\"] = 600"
        ),
        "DJ111"
    ));
}

#[test]
fn email_backend_and_senders() {
    let console = clean_plus(
        "EMAIL_BACKEND = \"django.core.mail.backends.console.EmailBackend\"\nADMINS = [(\"Ops\", \"ops@example.com\")]\nSERVER_EMAIL = \"errors@example.com\"\nDEFAULT_FROM_EMAIL = \"site@example.com\"",
    );
    let d = check(&console);
    assert_eq!(codes(&d), ["DJ112"]);
    assert!(find(&d, "DJ112").message.contains("MAILERS"));
    assert!(
        !find(&check_version(&console, DjangoVersion::V5_2), "DJ112")
            .message
            .contains("MAILERS")
    );
    assert_fix_clears(&console, "DJ112");
    let smtp = console.replace("console", "smtp");
    assert_eq!(codes(&check(&smtp)), Vec::<&str>::new());

    // ADMINS set, senders left at Django's localhost defaults
    let senders =
        clean_plus("EMAIL_HOST = \"smtp.example.com\"\nADMINS = [(\"Ops\", \"ops@example.com\")]");
    let d = check(&senders);
    assert_eq!(codes(&d), ["DJ113"]);
    assert_eq!(d.iter().filter(|x| x.code == "DJ113").count(), 2);
    let explicit = senders.clone()
        + "SERVER_EMAIL = \"root@localhost\"\nDEFAULT_FROM_EMAIL = \"site@example.com\"\n";
    assert_eq!(
        check(&explicit)
            .iter()
            .filter(|x| x.code == "DJ113")
            .count(),
        1
    );

    // email configured, nobody to notify
    let no_admins = clean_plus("EMAIL_HOST = \"smtp.example.com\"");
    let d = check(&no_admins);
    assert_eq!(codes(&d), ["DJ120"]);
    assert_eq!(find(&d, "DJ120").severity, Severity::Information);
    assert_eq!(
        codes(&check(CLEAN)),
        Vec::<&str>::new(),
        "no email configured: quiet"
    );
}

#[test]
fn mailers_with_deprecated_email_settings_from_6_1() {
    let both = clean_plus(
        "MAILERS = {\"default\": {\"BACKEND\": \"django.core.mail.backends.smtp.EmailBackend\"}}\nEMAIL_HOST = \"smtp.example.com\"\nADMINS = [\"ops@example.com\"]\nSERVER_EMAIL = \"e@example.com\"\nDEFAULT_FROM_EMAIL = \"e@example.com\"",
    );
    let d = check(&both);
    assert_eq!(codes(&d), ["DJ127"]);
    assert_eq!(find(&d, "DJ127").severity, Severity::Error);
    assert!(!fires_version(&both, "DJ127", DjangoVersion::V5_2));
    // MAILERS takes over: a console EMAIL_BACKEND is then a startup error, not DJ112
    let console = both.replace(
        "EMAIL_HOST = \"smtp.example.com\"",
        "EMAIL_BACKEND = \"django.core.mail.backends.console.EmailBackend\"",
    );
    assert_eq!(codes(&check(&console)), ["DJ127"]);
}

fn fires_version(text: &str, code: &str, version: DjangoVersion) -> bool {
    codes(&check_version(text, version)).contains(&code)
}

#[test]
fn static_root_and_media_collisions() {
    let no_root = CLEAN.replace("STATIC_ROOT = BASE_DIR / \"staticfiles\"\n", "");
    let d = check(&no_root);
    assert_eq!(codes(&d), ["DJ114"]);
    let after = assert_fix_clears(&no_root, "DJ114");
    assert!(
        after.contains("STATIC_URL = \"static/\"\nSTATIC_ROOT = BASE_DIR / \"staticfiles\"\n"),
        "{after}"
    );
    // a cloud storage collects elsewhere; WhiteNoise and Django's own storages collect here
    let s3 = "STORAGES = {\"staticfiles\": {\"BACKEND\": \"storages.backends.s3.S3Storage\"}}\n";
    assert!(!fires(&format!("{no_root}{s3}"), "DJ114"));
    let whitenoise = s3.replace(
        "storages.backends.s3.S3Storage",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    );
    assert!(fires(&format!("{no_root}{whitenoise}"), "DJ114"));
    assert!(fires(
        &format!("{no_root}STORAGES = {{\"default\": {{}}}}\n"),
        "DJ114"
    ));
    assert!(!fires(
        &format!("{no_root}STORAGES = os.environ[\"S\"]\n"),
        "DJ114"
    ));
    let old_setting =
        format!("{no_root}STATICFILES_STORAGE = \"storages.backends.s3.S3Storage\"\n");
    assert!(!fires_version(&old_setting, "DJ114", DjangoVersion::V4_2));
    assert!(
        fires_version(&old_setting, "DJ114", DjangoVersion::V5_2),
        "ignored since 5.1"
    );
    // without staticfiles there is nothing to collect
    assert!(!fires(
        &no_root.replace("[\"django.contrib.staticfiles\"]", "[]"),
        "DJ114"
    ));
    assert!(fires(
        &CLEAN.replace("BASE_DIR / \"staticfiles\"", "None"),
        "DJ114"
    ));

    let same = CLEAN.replace("BASE_DIR / \"media\"", "BASE_DIR / \"staticfiles\"");
    assert!(
        find(&check(&same), "DJ115")
            .message
            .contains("same directory")
    );
    let inside = CLEAN.replace(
        "BASE_DIR / \"media\"",
        "BASE_DIR / \"staticfiles\" / \"uploads\"",
    );
    assert!(find(&check(&inside), "DJ115").message.contains("is inside"));
    let url = CLEAN.replace("MEDIA_URL = \"media/\"", "MEDIA_URL = \"static/\"");
    assert!(
        find(&check(&url), "DJ115")
            .message
            .contains("MEDIA_URL and STATIC_URL")
    );
    let strings = CLEAN
        .replace("BASE_DIR / \"staticfiles\"", "\"/srv/site/static\"")
        .replace("BASE_DIR / \"media\"", "\"/srv/site/media\"");
    assert_eq!(codes(&check(&strings)), Vec::<&str>::new());
}

#[test]
fn database_sessions_are_information() {
    let sessions = CLEAN.replace(
        "[\"django.contrib.staticfiles\"]",
        "[\"django.contrib.sessions\", \"django.contrib.staticfiles\"]",
    );
    let d = check(&sessions);
    assert_eq!(codes(&d), ["DJ116"]);
    assert_eq!(find(&d, "DJ116").severity, Severity::Information);
    let after = assert_fix_clears(&sessions, "DJ116");
    assert!(after.contains("SESSION_ENGINE = \"django.contrib.sessions.backends.cached_db\""));
    let cache = format!("{sessions}SESSION_ENGINE = \"django.contrib.sessions.backends.cache\"\n");
    assert_eq!(codes(&check(&cache)), Vec::<&str>::new());
}

#[test]
fn template_loaders_and_debug_option() {
    let uncached = clean_plus(
        r#"TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "OPTIONS": {"loaders": ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"]},
}]"#,
    );
    let d = check(&uncached);
    assert_eq!(codes(&d), ["DJ117"]);
    assert_eq!(find(&d, "DJ117").severity, Severity::Information);
    let cached = uncached.replace(
        "[\"django.template.loaders.filesystem.Loader\", \"django.template.loaders.app_directories.Loader\"]",
        "[(\"django.template.loaders.cached.Loader\", [\"django.template.loaders.filesystem.Loader\"])]",
    );
    assert_eq!(codes(&check(&cached)), Vec::<&str>::new());
    let default = clean_plus(
        "TEMPLATES = [{\"BACKEND\": \"django.template.backends.django.DjangoTemplates\", \"OPTIONS\": {}}]",
    );
    assert_eq!(codes(&check(&default)), Vec::<&str>::new());
    let debug = clean_plus(
        "TEMPLATES = [{\"BACKEND\": \"django.template.backends.django.DjangoTemplates\", \"OPTIONS\": {\"debug\": True}}]",
    );
    assert_eq!(codes(&check(&debug)), ["DJ118"]);
    let follows = clean_plus(
        "TEMPLATES = [{\"BACKEND\": \"django.template.backends.django.DjangoTemplates\", \"OPTIONS\": {\"debug\": DEBUG}}]",
    );
    assert_eq!(codes(&check(&follows)), Vec::<&str>::new());
}

#[test]
fn logging_missing_is_information_and_never_in_open_modules() {
    let text = CLEAN.replace("LOGGING = {\"version\": 1}\n", "");
    let d = check(&text);
    assert_eq!(codes(&d), ["DJ119"]);
    assert_eq!(find(&d, "DJ119").severity, Severity::Information);
    assert!(!fires(&format!("{text}vars().update({{}})\n"), "DJ119"));
}

#[test]
fn dead_settings_by_version() {
    let xss = clean_plus("SECURE_BROWSER_XSS_FILTER = True");
    let d = check(&xss);
    assert_eq!(codes(&d), ["DJ121"]);
    assert!(find(&d, "DJ121").message.contains("removed in Django 4.0"));
    let after = assert_fix_clears(&xss, "DJ121");
    assert_eq!(after, format!("{CLEAN}"));
    assert!(find(&d, "DJ121").fix.as_ref().unwrap().safe);

    let storage = clean_plus(
        "STATICFILES_STORAGE = \"whitenoise.storage.CompressedManifestStaticFilesStorage\"",
    );
    let d = check(&storage);
    assert!(find(&d, "DJ121").message.contains("STORAGES"));
    assert!(find(&d, "DJ121").message.contains("removed in Django 5.1"));
    let after = assert_fix_clears(&storage, "DJ121");
    assert!(
        after.ends_with("STORAGES = {\n    \"default\": {\"BACKEND\": \"django.core.files.storage.FileSystemStorage\"},\n    \"staticfiles\": {\"BACKEND\": \"whitenoise.storage.CompressedManifestStaticFilesStorage\"},\n}\n"),
        "{after}"
    );
    let old = check_version(&storage, DjangoVersion::V4_2);
    let f = find(&old, "DJ121");
    assert!(
        f.message.contains("deprecated since Django 4.2"),
        "{}",
        f.message
    );
    assert_eq!(f.fix.as_ref().unwrap().title, "Migrate to STORAGES");
    // both old settings: one STORAGES where the last one was
    let both = clean_plus(
        "DEFAULT_FILE_STORAGE = \"storages.backends.s3.S3Storage\"\nX = 1\nSTATICFILES_STORAGE = \"whitenoise.storage.CompressedStaticFilesStorage\"",
    );
    let fix = find(&check(&both), "DJ121").fix.clone().unwrap();
    let after = apply_edits(&both, &fix.edits);
    assert!(after.ends_with("X = 1\nSTORAGES = {\n    \"default\": {\"BACKEND\": \"storages.backends.s3.S3Storage\"},\n    \"staticfiles\": {\"BACKEND\": \"whitenoise.storage.CompressedStaticFilesStorage\"},\n}\n"), "{after}");
    assert!(!fires(&after, "DJ121"));
    // STORAGES already set: migrating by hand is the only way
    let set = storage.clone() + "STORAGES = {}\n";
    assert!(find(&check(&set), "DJ121").fix.is_none());
    // a dead setting from a star-imported base is reported through the import, without a fix
    let files = Files::default()
        .with(
            "/p/mysite/settings/base.py",
            "SECURE_BROWSER_XSS_FILTER = True\n",
        )
        .with("/p/mysite/settings/__init__.py", "")
        .with(
            "/p/mysite/settings/prod.py",
            &format!("from .base import *\n{CLEAN}"),
        );
    let d = files.check("/p/mysite/settings/prod.py", DjangoVersion::NEWEST);
    let f = find(&d, "DJ121");
    assert!(f.fix.is_none() && f.related[0].path.ends_with("base.py"));
    // MIDDLEWARE_CLASSES is removable only once MIDDLEWARE carries the middleware
    let classes = clean_plus("MIDDLEWARE_CLASSES = [\"a.B\"]");
    assert!(find(&check(&classes), "DJ121").fix.is_none());
    let both = classes + "MIDDLEWARE = [\"a.B\"]\n";
    assert!(find(&check(&both), "DJ121").fix.is_some());
    // inside a block, removal would leave it empty: no fix
    let block = clean_plus("import sys\nif sys.argv:\n    SECURE_BROWSER_XSS_FILTER = True");
    assert!(find(&check(&block), "DJ121").fix.is_none());
}

#[test]
fn misspelled_settings_get_a_did_you_mean() {
    for (typo, real) in [
        ("ALLOWED_HOST", "ALLOWED_HOSTS"),
        ("SECURE_SSL_REDIRCT", "SECURE_SSL_REDIRECT"),
        ("SESSION_COOKIE_SECUR", "SESSION_COOKIE_SECURE"),
        ("CSRF_COOKIE_SECRUE", "CSRF_COOKIE_SECURE"),
    ] {
        let without_hosts = CLEAN.replace("ALLOWED_HOSTS = [\"example.com\"]\n", "");
        let text = format!("{without_hosts}{typo} = True\n");
        let d = check(&text);
        let f = find(&d, "DJ122");
        assert!(
            f.message.contains(&format!("Did you mean {real}?")),
            "{}",
            f.message
        );
        let after = assert_fix_clears(&text, "DJ122");
        assert!(after.ends_with(&format!("{real} = True\n")), "{after}");
    }
    // real settings, helper variables read again, project constants, short names: quiet
    for extra in [
        "SITE_ID = 1",
        "SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")",
        "DATABASE = {\"ENGINE\": \"x\"}\nDATABASES = {\"default\": DATABASE}",
        "REDIS_URL = \"redis://cache\"",
        "API_KEY_NAME = \"x\"",
        "DEBUGS = True\nX = DEBUGS",
    ] {
        assert!(!fires(&clean_plus(extra), "DJ122"), "{extra}");
    }
    // MAILERS is a setting from 6.1 on, although global_settings only has it commented out
    let mailers = clean_plus(
        "MAILERS = {\"default\": {\"BACKEND\": \"django.core.mail.backends.smtp.EmailBackend\"}}",
    );
    assert!(!fires(&mailers, "DJ122"));
    // renaming onto a setting that is already set: reported, no fix
    let set = CLEAN.replace("ALLOWED_HOSTS = [\"example.com\"]\n", "")
        + "ALLOWED_HOST = [\"x\"]\nALLOWED_HOSTS = [\"y\"]\n";
    assert!(find(&check(&set), "DJ122").fix.is_none());
}

#[test]
fn cors_allow_all() {
    let text = clean_plus("CORS_ALLOW_ALL_ORIGINS = True");
    assert_eq!(codes(&check(&text)), ["DJ123"]);
    let old = clean_plus("CORS_ORIGIN_ALLOW_ALL = True\nCORS_ALLOW_CREDENTIALS = True");
    assert!(
        find(&check(&old), "DJ123")
            .message
            .contains("CORS_ALLOW_CREDENTIALS")
    );
    assert_eq!(
        codes(&check(&clean_plus("CORS_ALLOW_ALL_ORIGINS = False"))),
        Vec::<&str>::new()
    );
    let by_env = clean_plus("CORS_ALLOW_ALL_ORIGINS = os.environ.get(\"CORS_ALL\", \"\") == \"1\"");
    assert_eq!(codes(&check(&by_env)), Vec::<&str>::new());
}

#[test]
fn samesite_none_needs_secure() {
    let text = clean_plus("SESSION_COOKIE_SAMESITE = \"None\"");
    let d = check(&text);
    assert_eq!(codes(&d), ["DJ124"]);
    let after = assert_fix_clears(&text, "DJ124");
    assert!(after.contains("SESSION_COOKIE_SECURE = True"));
    assert!(!fires(
        &clean_plus("SESSION_COOKIE_SAMESITE = \"None\"\nSESSION_COOKIE_SECURE = True"),
        "DJ124"
    ));
    assert!(!fires(
        &clean_plus("SESSION_COOKIE_SAMESITE = None"),
        "DJ124"
    ));
    assert!(fires(
        &clean_plus("CSRF_COOKIE_SAMESITE = \"None\"\nCSRF_COOKIE_SECURE = 1"),
        "DJ124"
    ));
}

#[test]
fn csrf_trusted_origins_need_a_scheme() {
    let text = clean_plus("CSRF_TRUSTED_ORIGINS = [\"https://ok.example.com\", 'example.com']");
    let d = check(&text);
    let f = find(&d, "DJ125");
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message
            .ends_with("but found example.com. See the release notes for details. (4_0.E001)")
    );
    assert_eq!(f.references["django"], "4_0.E001");
    assert_eq!(&text[f.range.start..f.range.end], "'example.com'");
    let after = assert_fix_clears(&text, "DJ125");
    assert!(after.contains("'https://example.com'"));
    let silenced = text.clone() + "SILENCED_SYSTEM_CHECKS = [\"4_0.E001\"]\n";
    assert!(!fires(&silenced, "DJ125"));
}

#[test]
fn commented_out_security_settings() {
    let text = clean_plus(
        "# SECURE_SSL_REDIRECT = True  # behind the proxy?\n#SESSION_COOKIE_SECURE = True",
    );
    let d = check(&text);
    assert_eq!(d.iter().filter(|x| x.code == "DJ126").count(), 2);
    assert_eq!(find(&d, "DJ126").severity, Severity::Information);
    let after = assert_fix_clears(&clean_plus("# SECURE_SSL_REDIRECT = True"), "DJ126");
    assert!(after.ends_with("\nSECURE_SSL_REDIRECT = True\n"), "{after}");
    // the unsafe value commented out, a safe value in effect, a later assignment, prose: quiet
    for extra in [
        "# DEBUG = True",
        "SECURE_SSL_REDIRECT = True\n# SECURE_SSL_REDIRECT = True",
        "# SECURE_SSL_REDIRECT = True\nSECURE_SSL_REDIRECT = False",
        "# set SECURE_SSL_REDIRECT = True when behind TLS",
    ] {
        assert!(!fires(&clean_plus(extra), "DJ126"), "{extra}");
    }
    assert!(fires(
        &clean_plus("# SECURE_HSTS_SECONDS = 31_536_000"),
        "DJ126"
    ));
    // indented comments are reported but not uncommented (the block is unknown)
    let indented = clean_plus("if True:\n    pass\n    # SECURE_SSL_REDIRECT = True");
    assert!(find(&check(&indented), "DJ126").fix.is_none());
}

#[test]
fn local_override_files_are_read_when_present() {
    let prod = CLEAN.replace(
        "LOGGING = {\"version\": 1}\n",
        "LOGGING = {\"version\": 1}\ntry:\n    from .local_settings import *\nexcept ImportError:\n    pass\n",
    );
    let files = Files::default().with("/p/mysite/settings.py", &prod);
    assert_eq!(
        codes(&files.check(SETTINGS, DjangoVersion::NEWEST)),
        Vec::<&str>::new()
    );
    let files = files.with(
        "/p/mysite/local_settings.py",
        "CORS_ALLOW_ALL_ORIGINS = True\n",
    );
    assert_eq!(
        codes(&files.check(SETTINGS, DjangoVersion::NEWEST)),
        ["DJ123"]
    );
}

#[test]
fn open_modules_never_claim_a_setting_is_missing() {
    // each of these fires only because a setting is missing (Django's default applies)
    let missing = CLEAN
        .replace("LOGGING = {\"version\": 1}\n", "")
        .replace("STATIC_ROOT = BASE_DIR / \"staticfiles\"\n", "")
        .replace(
            "[\"django.contrib.staticfiles\"]",
            "[\"django.contrib.staticfiles\", \"django.contrib.sessions\"]",
        )
        + "EMAIL_HOST = \"smtp.example.com\"\n";
    assert_eq!(
        codes(&check(&missing)),
        ["DJ114", "DJ116", "DJ119", "DJ120"]
    );
    let open = format!("{missing}globals().update(json.load(open(\"extra.json\")))\n");
    assert_eq!(codes(&check(&open)), Vec::<&str>::new());
    let admins = format!("{missing}ADMINS = [\"ops@example.com\"]\n");
    assert!(fires(&admins, "DJ113"));
    assert!(!fires(&format!("{admins}vars().update({{}})\n"), "DJ113"));
}

#[test]
fn unknown_values_never_warn() {
    let unknown = clean_plus(
        "import sys\nCORS_ALLOW_ALL_ORIGINS = sys.argv[1] == \"x\"\nSESSION_COOKIE_SAMESITE = os.environ[\"SAMESITE\"]\nTEMPLATES = [{\"BACKEND\": \"django.template.backends.django.DjangoTemplates\", \"OPTIONS\": {\"loaders\": os.environ[\"L\"].split(\",\")}}]",
    );
    assert_eq!(codes(&check(&unknown)), Vec::<&str>::new());
}

/// Statements that trigger the checklist fixes, in the layouts real settings use.
const FRAGMENTS: &[&str] = &[
    "import os",
    "from pathlib import Path",
    "BASE_DIR = Path('/srv/site')",
    "SECRET_KEY = 'x' * 60",
    "SECRET_KEY = os.environ.get('SECRET_KEY', 'dev')",
    "DEBUG = os.environ.get('DEBUG', False)",
    "DEBUG = os.getenv('DEBUG', 'True') == 'True'",
    "INSTALLED_APPS = ['django.contrib.sessions', 'django.contrib.staticfiles']",
    "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}",
    "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.mysql',\n    },\n}",
    "EMAIL_BACKEND = 'django.core.mail.backends.console.EmailBackend'",
    "SESSION_COOKIE_SAMESITE = 'None'",
    "CSRF_TRUSTED_ORIGINS = ['a.example.com',\n    \"b.example.com\"]",
    "SECURE_BROWSER_XSS_FILTER = True",
    "SECURE_BROWSER_XSS_FILTER = True  # old",
    "STATICFILES_STORAGE = 'x.Storage'",
    "DEFAULT_FILE_STORAGE = (\n    'y.Storage'\n)",
    "MIDDLEWARE = []",
    "MIDDLEWARE_CLASSES = ()",
    "ALLOWED_HOST = ['x']",
    "# SECURE_SSL_REDIRECT = True",
    "#SESSION_COOKIE_SECURE = True  # later",
    "#    CSRF_COOKIE_SECURE = True",
    "if os.environ.get('X'):\n    SECURE_BROWSER_XSS_FILTER = True\n    # CSRF_COOKIE_SECURE = True",
    "try:\n    STATICFILES_STORAGE = 'z.S'\nexcept Exception:\n    pass",
    "x = 1; SECURE_BROWSER_XSS_FILTER = False",
    "'''doc\n# SECURE_HSTS_PRELOAD = True\n'''",
    "",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Whatever the layout, every checklist fix leaves a module that parses.
    #[test]
    fn checklist_fixes_never_break_parsing(
        picks in proptest::collection::vec(0..FRAGMENTS.len(), 0..12),
        crlf in proptest::bool::ANY,
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let text = picks.iter().map(|&i| FRAGMENTS[i]).collect::<Vec<_>>().join("\n").replace('\n', eol) + eol;
        let tree = python_tree(&text);
        proptest::prop_assume!(!tree.root_node().has_error());
        let files = Files::default().with(SETTINGS, &text);
        for d in files.check(SETTINGS, DjangoVersion::NEWEST) {
            for fix in d.fix.iter().chain(&d.alternatives) {
                let after = apply_edits(&text, &fix.edits);
                let tree = python_tree(&after);
                proptest::prop_assert!(!tree.root_node().has_error(), "{} {:?} broke:\n{}\n---\n{}", d.code, fix.title, text, after);
            }
        }
    }
}
