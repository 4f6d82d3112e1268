//! Rule tests on in-memory settings modules: each rule fires on what Django flags (typing traps
//! included) and stays quiet otherwise; fixes are applied and the module re-checked.

use std::path::Path;

use crate::analysis::Options;
use crate::diagnostic::{Diagnostic, apply_edits};
use crate::django_version::DjangoVersion;
use crate::python::{ModuleCache, analyze_module};
use crate::source::MemoryLoader;
use crate::syntax::python_tree;

const SETTINGS: &str = "/p/mysite/settings.py";

/// Settings that pass every deploy check: tests change one thing at a time.
const SECURE: &str = r#"SECRET_KEY = "k3JHd9+Vq@1zX#pL0wR!eT5yU7iO2aS4dF6gH8jK0lZ9xC1vB3nM5qW7eR9tY2uI4o"
DEBUG = False
ALLOWED_HOSTS = ["example.com"]
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
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
        assert!(
            model.syntax_error.is_none(),
            "test settings do not parse:\n{text}"
        );
        // parity tests: the checklist rules (no Django id) are tested in checklist/tests.rs
        let mut found = super::check(
            &model,
            &text,
            &Options {
                django_version: version,
                ..Options::default()
            },
        );
        found.retain(|d| d.references.contains_key("django"));
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
    codes
}

fn find<'d>(diagnostics: &'d [Diagnostic], code: &str) -> &'d Diagnostic {
    diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:#?}", codes(diagnostics)))
}

/// SECURE with `NAME = ...` lines replaced (or appended when absent); `None` removes the line.
fn secure_with(changes: &[(&str, Option<&str>)]) -> String {
    let mut lines: Vec<String> = SECURE.lines().map(str::to_string).collect();
    for (name, value) in changes {
        let prefix = format!("{name} = ");
        let at = lines.iter().position(|l| l.starts_with(&prefix));
        match (at, value) {
            (Some(i), Some(v)) if lines[i].ends_with('[') => {
                let end = i + lines[i..].iter().position(|l| l == "]").unwrap();
                lines.splice(i..=end, [format!("{prefix}{v}")]);
            }
            (Some(i), Some(v)) => lines[i] = format!("{prefix}{v}"),
            (Some(i), None) if lines[i].ends_with('[') => {
                let end = i + lines[i..].iter().position(|l| l == "]").unwrap();
                lines.drain(i..=end);
            }
            (Some(i), None) => {
                lines.remove(i);
            }
            (None, Some(v)) => lines.push(format!("{prefix}{v}")),
            (None, None) => {}
        }
    }
    lines.join("\n") + "\n"
}

fn codes_with(changes: &[(&str, Option<&str>)]) -> Vec<&'static str> {
    codes(&check(&secure_with(changes)))
}

/// Applies the diagnostic's fix and returns the new text.
fn fixed(text: &str, d: &Diagnostic) -> String {
    let fix = d
        .fix
        .as_ref()
        .unwrap_or_else(|| panic!("{} offers no fix", d.code));
    apply_edits(text, &fix.edits)
}

/// Applies the fix of `code` and asserts that the rule no longer fires.
fn assert_fix_clears(text: &str, code: &str) -> String {
    let d = check(text);
    let after = fixed(text, find(&d, code));
    let again = check(&after);
    assert!(
        !codes(&again).contains(&code),
        "{code} still fires after its fix:\n{after}"
    );
    after
}

#[test]
fn secure_settings_pass_every_check() {
    assert_eq!(codes(&check(SECURE)), Vec::<&str>::new());
}

#[test]
fn middleware_rules_use_exact_paths() {
    assert_eq!(
        codes_with(&[("MIDDLEWARE", Some("[]"))]),
        ["DJ001", "DJ002", "DJ003"]
    );
    let custom = r#"["myapp.middleware.SecurityMiddleware", "django.middleware.clickjacking.XFrameOptionsMiddleware", "django.middleware.csrf.CsrfViewMiddleware"]"#;
    assert_eq!(codes_with(&[("MIDDLEWARE", Some(custom))]), ["DJ001"]);
    // a tuple is fine
    let tuple = r#"("django.middleware.security.SecurityMiddleware", "django.middleware.clickjacking.XFrameOptionsMiddleware", "django.middleware.csrf.CsrfViewMiddleware")"#;
    assert_eq!(
        codes_with(&[("MIDDLEWARE", Some(tuple))]),
        Vec::<&str>::new()
    );
}

#[test]
fn missing_middleware_uses_djangos_empty_default() {
    let found = codes_with(&[("MIDDLEWARE", None)]);
    // no middleware: nothing that depends on one fires, but the sessions app still does not
    assert_eq!(found, ["DJ001", "DJ002", "DJ003"]);
    let d = check(&secure_with(&[("MIDDLEWARE", None)]));
    assert!(find(&d, "DJ001").message.contains("MIDDLEWARE is not set"));
}

#[test]
fn middleware_fixes_insert_at_the_right_place() {
    let text = secure_with(&[(
        "MIDDLEWARE",
        Some(
            "[\n    \"django.contrib.sessions.middleware.SessionMiddleware\",\n    \"django.middleware.common.CommonMiddleware\",\n]",
        ),
    )]);
    let after = assert_fix_clears(&text, "DJ001");
    assert!(after.contains("MIDDLEWARE = [\n    \"django.middleware.security.SecurityMiddleware\",\n    \"django.contrib.sessions"));
    let after = assert_fix_clears(&text, "DJ003");
    assert!(
        after
            .contains("CommonMiddleware\",\n    \"django.middleware.csrf.CsrfViewMiddleware\",\n]")
    );
    let after = assert_fix_clears(&text, "DJ002");
    assert!(after.contains("\"django.middleware.clickjacking.XFrameOptionsMiddleware\",\n]"));
    let d = check(&text);
    assert!(find(&d, "DJ001").fix.as_ref().unwrap().safe);
    assert!(!find(&d, "DJ003").fix.as_ref().unwrap().safe);
}

#[test]
fn middleware_fix_in_single_line_and_empty_literals() {
    let text = secure_with(&[(
        "MIDDLEWARE",
        Some("('django.contrib.sessions.middleware.SessionMiddleware',)"),
    )]);
    let after = assert_fix_clears(&text, "DJ003");
    assert!(after.contains(
        "MIDDLEWARE = ('django.contrib.sessions.middleware.SessionMiddleware', 'django.middleware.csrf.CsrfViewMiddleware',)"
    ));
    let after = assert_fix_clears(&secure_with(&[("MIDDLEWARE", Some("()"))]), "DJ002");
    assert!(
        after
            .contains("MIDDLEWARE = (\"django.middleware.clickjacking.XFrameOptionsMiddleware\",)")
    );
    let after = assert_fix_clears(&secure_with(&[("MIDDLEWARE", Some("[\"a.B\"]"))]), "DJ001");
    assert!(
        after.contains("MIDDLEWARE = [\"django.middleware.security.SecurityMiddleware\", \"a.B\"]")
    );
}

#[test]
fn hsts_uses_truthiness_and_flags_use_is_true() {
    assert_eq!(codes_with(&[("SECURE_HSTS_SECONDS", Some("0"))]), ["DJ004"]);
    assert_eq!(codes_with(&[("SECURE_HSTS_SECONDS", None)]), ["DJ004"]);
    // the string "0" is truthy: Django passes it, and the flags then apply
    assert_eq!(
        codes_with(&[("SECURE_HSTS_SECONDS", Some("\"0\""))]),
        Vec::<&str>::new()
    );
    assert_eq!(
        codes_with(&[("SECURE_HSTS_INCLUDE_SUBDOMAINS", Some("1"))]),
        ["DJ005"]
    );
    assert_eq!(
        codes_with(&[("SECURE_HSTS_PRELOAD", Some("\"True\""))]),
        ["DJ021"]
    );
    // HSTS off: the flags do not matter
    assert_eq!(
        codes_with(&[
            ("SECURE_HSTS_SECONDS", Some("0")),
            ("SECURE_HSTS_PRELOAD", Some("False"))
        ]),
        ["DJ004"]
    );
    // no SecurityMiddleware: none of its settings are checked
    let no_security = r#"["django.middleware.clickjacking.XFrameOptionsMiddleware", "django.middleware.csrf.CsrfViewMiddleware"]"#;
    assert_eq!(
        codes_with(&[
            ("MIDDLEWARE", Some(no_security)),
            ("SECURE_HSTS_SECONDS", None),
            ("SECURE_SSL_REDIRECT", None)
        ]),
        ["DJ001"]
    );
}

#[test]
fn hsts_message_names_the_value_and_anchors_on_it() {
    let text = secure_with(&[("SECURE_HSTS_SECONDS", Some("0"))]);
    let d = check(&text);
    let w004 = find(&d, "DJ004");
    assert!(
        w004.message.starts_with("SECURE_HSTS_SECONDS is 0, so"),
        "{}",
        w004.message
    );
    assert!(w004.message.ends_with("(security.W004)"));
    assert_eq!(
        &text[w004.range.start..w004.range.end],
        "SECURE_HSTS_SECONDS"
    );
    assert_eq!(w004.references["django"], "security.W004");
    // absent: anchored on MIDDLEWARE, Django's wording
    let text = secure_with(&[("SECURE_HSTS_SECONDS", None)]);
    let d = check(&text);
    let w004 = find(&d, "DJ004");
    assert!(
        w004.message
            .starts_with("You have not set a value for the SECURE_HSTS_SECONDS setting.")
    );
    assert_eq!(&text[w004.range.start..w004.range.end], "MIDDLEWARE");
    let after = assert_fix_clears(&text, "DJ004");
    // inserted after the last HSTS setting
    assert!(
        after.contains("SECURE_HSTS_PRELOAD = True\nSECURE_HSTS_SECONDS = 3600\n"),
        "{after}"
    );
}

#[test]
fn nosniff_referrer_and_coop() {
    assert_eq!(
        codes_with(&[("SECURE_CONTENT_TYPE_NOSNIFF", Some("1"))]),
        ["DJ006"]
    );
    assert_eq!(
        codes_with(&[("SECURE_CONTENT_TYPE_NOSNIFF", Some("True"))]),
        Vec::<&str>::new()
    );
    assert_eq!(
        codes_with(&[("SECURE_REFERRER_POLICY", Some("None"))]),
        ["DJ022"]
    );
    assert_eq!(
        codes_with(&[(
            "SECURE_REFERRER_POLICY",
            Some("\"same-origin, strict-origin\"")
        )]),
        Vec::<&str>::new()
    );
    assert_eq!(
        codes_with(&[(
            "SECURE_REFERRER_POLICY",
            Some("[\"origin\", \"unsafe-url\"]")
        )]),
        Vec::<&str>::new()
    );
    assert_eq!(
        codes_with(&[("SECURE_REFERRER_POLICY", Some("\"same-origin,nope\""))]),
        ["DJ023"]
    );
    assert_eq!(
        codes_with(&[("SECURE_REFERRER_POLICY", Some("\"Same-Origin\""))]),
        ["DJ023"]
    );
    assert_eq!(
        codes_with(&[("SECURE_CROSS_ORIGIN_OPENER_POLICY", Some("None"))]),
        Vec::<&str>::new()
    );
    assert_eq!(
        codes_with(&[("SECURE_CROSS_ORIGIN_OPENER_POLICY", Some("\"same-site\""))]),
        ["DJ024"]
    );
    let d = check(&secure_with(&[(
        "SECURE_REFERRER_POLICY",
        Some("\"same-origin,nope\""),
    )]));
    assert!(
        find(&d, "DJ023")
            .message
            .contains("\"nope\" is not a referrer policy")
    );
    assert_eq!(
        find(&d, "DJ023").severity,
        crate::diagnostic::Severity::Error
    );
    for (name, value, code) in [
        ("SECURE_CONTENT_TYPE_NOSNIFF", "0", "DJ006"),
        ("SECURE_REFERRER_POLICY", "None", "DJ022"),
        ("SECURE_REFERRER_POLICY", "'bogus'", "DJ023"),
        ("SECURE_CROSS_ORIGIN_OPENER_POLICY", "'bogus'", "DJ024"),
    ] {
        assert_fix_clears(&secure_with(&[(name, Some(value))]), code);
    }
}

#[test]
fn ssl_redirect_fix_is_not_automatic() {
    let text = secure_with(&[("SECURE_SSL_REDIRECT", Some("False"))]);
    let d = check(&text);
    let fix = find(&d, "DJ008").fix.as_ref().unwrap();
    assert!(!fix.safe);
    assert_fix_clears(&text, "DJ008");
}

#[test]
fn secret_key_strength_and_no_leak() {
    let secret = "django-insecure-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ";
    let text = secure_with(&[("SECRET_KEY", Some(&format!("\"{secret}\"")))]);
    let d = check(&text);
    let w009 = find(&d, "DJ009");
    assert!(
        !w009.message.contains("abcdefgh"),
        "the key leaked: {}",
        w009.message
    );
    assert!(w009.message.contains("prefixed with 'django-insecure-'"));
    assert_eq!(codes_with(&[("SECRET_KEY", Some("\"short\""))]), ["DJ009"]);
    assert_eq!(
        codes_with(&[("SECRET_KEY", Some(&format!("\"{}\"", "ab".repeat(40))))]),
        ["DJ009"]
    );
    assert_eq!(codes_with(&[("SECRET_KEY", Some("\"\""))]), ["DJ009"]);
    assert_eq!(codes_with(&[("SECRET_KEY", None)]), ["DJ009"]);
    // from the environment without a default: nothing to decide
    assert_eq!(
        codes_with(&[("SECRET_KEY", Some("__import__('os').environ['SECRET_KEY']"))]),
        Vec::<&str>::new()
    );
}

#[test]
fn secret_key_fix_reads_the_environment() {
    let text = format!(
        "import sys\n{}",
        secure_with(&[("SECRET_KEY", Some("\"short\""))])
    );
    let after = assert_fix_clears(&text, "DJ009");
    assert!(
        after
            .starts_with("import sys\nimport os\nSECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\n"),
        "{after}"
    );
    // without imports: `import os` goes first; an existing env var name is kept
    let text = secure_with(&[("SECRET_KEY", None)]);
    let after = assert_fix_clears(&text, "DJ009");
    assert!(after.starts_with("import os\n"), "{after}");
    let text = "import os\n".to_string()
        + &secure_with(&[("SECRET_KEY", Some("os.environ.get(\"APP_KEY\", \"dev\")"))]);
    let after = assert_fix_clears(&text, "DJ009");
    assert!(
        after.contains("SECRET_KEY = os.environ[\"APP_KEY\"]\n"),
        "{after}"
    );
    assert_eq!(after.matches("import os").count(), 1);
}

#[test]
fn secret_key_fallbacks_are_checked_per_entry() {
    let strong = "k3JHd9+Vq@1zX#pL0wR!eT5yU7iO2aS4dF6gH8jK0lZ9xC1vB3nM5qW7eR9tY2uI4o";
    let text = secure_with(&[(
        "SECRET_KEY_FALLBACKS",
        Some(&format!("[\"{strong}\", \"old\", \"\"]")),
    )]);
    let d = check(&text);
    let w025: Vec<_> = d.iter().filter(|d| d.code == "DJ025").collect();
    assert_eq!(w025.len(), 2);
    assert!(w025[0].message.contains("SECRET_KEY_FALLBACKS[1]"));
    assert!(w025[1].message.contains("SECRET_KEY_FALLBACKS[2]"));
    assert_eq!(&text[w025[0].range.start..w025[0].range.end], "\"old\"");
    assert!(!w025[0].message.contains("\"old\""));
    assert_eq!(
        codes_with(&[("SECRET_KEY_FALLBACKS", Some(&format!("[\"{strong}\"]")))]),
        Vec::<&str>::new()
    );
}

#[test]
fn debug_is_truthiness() {
    assert_eq!(codes_with(&[("DEBUG", Some("True"))]), ["DJ018"]);
    assert_eq!(codes_with(&[("DEBUG", Some("\"False\""))]), ["DJ018"]);
    assert_eq!(codes_with(&[("DEBUG", Some("0"))]), Vec::<&str>::new());
    assert_eq!(codes_with(&[("DEBUG", None)]), Vec::<&str>::new());
    let text = secure_with(&[("DEBUG", Some("\"False\""))]);
    let d = check(&text);
    assert!(
        find(&d, "DJ018")
            .message
            .contains("DEBUG is \"False\": a non-empty string is true")
    );
    let after = assert_fix_clears(&text, "DJ018");
    assert!(after.contains("\nDEBUG = False\n"));
    assert!(find(&d, "DJ018").fix.as_ref().unwrap().safe);
}

#[test]
fn allowed_hosts_empty() {
    assert_eq!(codes_with(&[("ALLOWED_HOSTS", Some("[]"))]), ["DJ020"]);
    assert_eq!(codes_with(&[("ALLOWED_HOSTS", None)]), ["DJ020"]);
    assert_eq!(
        codes_with(&[("ALLOWED_HOSTS", Some("['*']"))]),
        Vec::<&str>::new()
    );
    assert_eq!(
        codes_with(&[("ALLOWED_HOSTS", Some("''.split(',')"))]),
        Vec::<&str>::new()
    );
}

#[test]
fn x_frame_options_is_case_sensitive() {
    assert_eq!(
        codes_with(&[("X_FRAME_OPTIONS", Some("\"deny\""))]),
        ["DJ019"]
    );
    assert_eq!(
        codes_with(&[("X_FRAME_OPTIONS", Some("\"SAMEORIGIN\""))]),
        ["DJ019"]
    );
    assert_eq!(
        codes_with(&[("X_FRAME_OPTIONS", Some("\"DENY\""))]),
        Vec::<&str>::new()
    );
    assert_fix_clears(
        &secure_with(&[("X_FRAME_OPTIONS", Some("'SAMEORIGIN'"))]),
        "DJ019",
    );
}

#[test]
fn session_cookie_split_by_app_and_middleware() {
    let only_app = r#"["django.middleware.security.SecurityMiddleware", "django.middleware.csrf.CsrfViewMiddleware", "django.middleware.clickjacking.XFrameOptionsMiddleware"]"#;
    assert_eq!(
        codes_with(&[("SESSION_COOKIE_SECURE", Some("1"))]),
        ["DJ012"]
    );
    assert_eq!(
        codes_with(&[
            ("SESSION_COOKIE_SECURE", Some("1")),
            ("MIDDLEWARE", Some(only_app))
        ]),
        ["DJ010"]
    );
    assert_eq!(
        codes_with(&[
            ("SESSION_COOKIE_SECURE", None),
            ("INSTALLED_APPS", Some("[]"))
        ]),
        ["DJ011"]
    );
    assert_eq!(
        codes_with(&[
            ("SESSION_COOKIE_SECURE", None),
            ("INSTALLED_APPS", Some("[]")),
            ("MIDDLEWARE", Some(only_app))
        ]),
        Vec::<&str>::new()
    );
    assert_eq!(
        codes_with(&[("SESSION_COOKIE_HTTPONLY", Some("\"True\""))]),
        ["DJ015"]
    );
    assert_eq!(
        codes_with(&[
            ("SESSION_COOKIE_HTTPONLY", Some("False")),
            ("MIDDLEWARE", Some(only_app))
        ]),
        ["DJ013"]
    );
    assert_eq!(
        codes_with(&[
            ("SESSION_COOKIE_HTTPONLY", Some("0")),
            ("INSTALLED_APPS", Some("[]"))
        ]),
        ["DJ014"]
    );
    let text = secure_with(&[("SESSION_COOKIE_SECURE", Some("1"))]);
    let d = check(&text);
    let w012 = find(&d, "DJ012");
    assert!(w012.message.contains("(SESSION_COOKIE_SECURE is 1)"));
    assert_eq!(w012.related.len(), 1);
    assert_fix_clears(&text, "DJ012");
    assert_fix_clears(
        &secure_with(&[("SESSION_COOKIE_HTTPONLY", Some("0"))]),
        "DJ015",
    );
}

#[test]
fn csrf_cookie() {
    assert_eq!(codes_with(&[("CSRF_COOKIE_SECURE", None)]), ["DJ016"]);
    assert_eq!(
        codes_with(&[
            ("CSRF_COOKIE_SECURE", None),
            ("CSRF_USE_SESSIONS", Some("True"))
        ]),
        Vec::<&str>::new()
    );
    assert_fix_clears(
        &secure_with(&[("CSRF_COOKIE_SECURE", Some("\"yes\""))]),
        "DJ016",
    );
    let after = assert_fix_clears(&secure_with(&[("CSRF_COOKIE_SECURE", None)]), "DJ016");
    assert!(after.ends_with("CSRF_COOKIE_SECURE = True\n"), "{after}");
}

#[test]
fn csp_settings_by_version() {
    let text = secure_with(&[("SECURE_CSP", Some("\"default-src 'self'\""))]);
    assert_eq!(codes(&check_version(&text, DjangoVersion::V6_1)), ["DJ026"]);
    assert_eq!(codes(&check_version(&text, DjangoVersion::V6_0)), ["DJ026"]);
    assert_eq!(
        codes(&check_version(&text, DjangoVersion::V5_2)),
        Vec::<&str>::new()
    );
    assert_eq!(
        codes_with(&[("SECURE_CSP_REPORT_ONLY", Some("None"))]),
        Vec::<&str>::new()
    );
    let nonce = r#"
from django.utils.csp import CSP
MIDDLEWARE.append("django.middleware.csp.ContentSecurityPolicyMiddleware")
SECURE_CSP = {"script-src": [CSP.SELF, CSP.NONCE]}
"#;
    let with_nonce = SECURE.to_string() + nonce;
    assert_eq!(
        codes(&check_version(&with_nonce, DjangoVersion::V6_1)),
        ["DJ027"]
    );
    assert_eq!(
        codes(&check_version(&with_nonce, DjangoVersion::V6_0)),
        Vec::<&str>::new()
    );
    let templates = r#"TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "OPTIONS": {"context_processors": ["django.template.context_processors.csp"]}}]"#;
    assert_eq!(
        codes(&check(&format!("{with_nonce}{templates}\n"))),
        Vec::<&str>::new()
    );
}

#[test]
fn mailers_from_django_6_1() {
    let console = r#"{"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}"#;
    let text = secure_with(&[("MAILERS", Some(console))]);
    assert_eq!(codes(&check_version(&text, DjangoVersion::V6_1)), ["DJ030"]);
    assert_eq!(
        codes(&check_version(&text, DjangoVersion::V5_2)),
        Vec::<&str>::new()
    );
    let after = assert_fix_clears(&text, "DJ030");
    assert!(after.contains("django.core.mail.backends.smtp.EmailBackend"));
    assert_eq!(
        codes_with(&[("MAILERS", Some(r#"{"bulk": {}}"#))]),
        ["DJ031"]
    );
    assert_eq!(codes_with(&[("MAILERS", Some("{}"))]), ["DJ031"]);
    assert_eq!(
        codes_with(&[("MAILERS", Some(r#"{"default": {}}"#))]),
        Vec::<&str>::new()
    );
}

#[test]
fn file_cache_inside_served_directories() {
    let caches = r#"{"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": "/srv/site/media/cache"}}"#;
    let text = secure_with(&[
        ("CACHES", Some(caches)),
        ("MEDIA_ROOT", Some("'/srv/site/media'")),
    ]);
    let d = check(&text);
    assert_eq!(codes(&d), ["DJ032"]);
    assert!(
        find(&d, "DJ032")
            .message
            .contains("LOCATION is inside MEDIA_ROOT")
    );
    let text = secure_with(&[
        ("CACHES", Some(caches)),
        ("STATICFILES_DIRS", Some("[('x', '/srv/site/media/cache')]")),
    ]);
    assert!(
        find(&check(&text), "DJ032")
            .message
            .contains("LOCATION matches STATICFILES_DIRS")
    );
    let text = secure_with(&[
        ("CACHES", Some(caches)),
        ("STATIC_ROOT", Some("'/srv/static'")),
    ]);
    assert_eq!(codes(&check(&text)), Vec::<&str>::new());
}

#[test]
fn relative_cache_location_and_missing_default_cache() {
    let relative = r#"{"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": "django_cache"}}"#;
    assert_eq!(codes_with(&[("CACHES", Some(relative))]), ["DJ033"]);
    let absolute = relative.replace("\"django_cache\"", "\"/var/cache/site\"");
    assert_eq!(
        codes_with(&[("CACHES", Some(&absolute))]),
        Vec::<&str>::new()
    );
    assert_eq!(codes_with(&[("CACHES", Some("{}"))]), ["DJ034"]);
    assert_eq!(codes_with(&[("CACHES", Some("{'other': {}}"))]), ["DJ034"]);
    assert_eq!(codes_with(&[("CACHES", None)]), Vec::<&str>::new());
}

#[test]
fn silenced_checks_are_not_reported() {
    let text = secure_with(&[
        ("DEBUG", Some("True")),
        ("SILENCED_SYSTEM_CHECKS", Some("['security.W018']")),
    ]);
    assert_eq!(codes(&check(&text)), Vec::<&str>::new());
    // the silence fix works on a list that exists and on a missing one
    let text = secure_with(&[
        ("SECURE_SSL_REDIRECT", None),
        ("SILENCED_SYSTEM_CHECKS", Some("['x.W001']")),
    ]);
    let d = check(&text);
    let silence = super::fixes::silence(
        &super::context::Ctx::new(
            &{
                let tree = python_tree(&text);
                analyze_module(
                    Path::new(SETTINGS),
                    &text,
                    &tree,
                    &Files::default(),
                    &mut ModuleCache::default(),
                )
            },
            &text,
            DjangoVersion::NEWEST,
        ),
        "security.W008",
    )
    .unwrap();
    assert!(find(&d, "DJ008").fix.is_some());
    let after = apply_edits(&text, &silence.edits);
    assert!(
        after.contains("SILENCED_SYSTEM_CHECKS = ['x.W001', 'security.W008']"),
        "{after}"
    );
    assert_eq!(codes(&check(&after)), Vec::<&str>::new());
}

#[test]
fn imported_settings_anchor_on_the_import() {
    let files = Files::default()
        .with("/p/mysite/settings/__init__.py", "")
        .with(
            "/p/mysite/settings/base.py",
            &secure_with(&[("DEBUG", Some("True"))]),
        )
        .with(
            "/p/mysite/settings/prod.py",
            "from .base import *\nALLOWED_HOSTS = ['example.com']\n",
        );
    let d = files.check("/p/mysite/settings/prod.py", DjangoVersion::NEWEST);
    assert_eq!(codes(&d), ["DJ018"]);
    let w018 = find(&d, "DJ018");
    let prod = "from .base import *\nALLOWED_HOSTS = ['example.com']\n";
    assert_eq!(
        &prod[w018.range.start..w018.range.end],
        ".base",
        "anchored on the star import"
    );
    assert_eq!(w018.related.len(), 1);
    assert_eq!(
        w018.related[0].path,
        Path::new("/p/mysite/settings/base.py")
    );
    assert_eq!(w018.related[0].message, "DEBUG is set here");
    // the fix overrides the value right after the import
    let after = apply_edits(prod, &w018.fix.as_ref().unwrap().edits);
    assert_eq!(
        after,
        "from .base import *\nDEBUG = False\nALLOWED_HOSTS = ['example.com']\n"
    );
    let files = files.with("/p/mysite/settings/prod.py", &after);
    assert_eq!(
        codes(&files.check("/p/mysite/settings/prod.py", DjangoVersion::NEWEST)),
        Vec::<&str>::new()
    );
}

#[test]
fn unknown_values_never_warn() {
    let env = "import os\n".to_string()
        + &secure_with(&[
            ("DEBUG", Some("os.environ['DEBUG']")),
            ("SESSION_COOKIE_SECURE", Some("os.environ['SECURE']")),
            ("ALLOWED_HOSTS", Some("os.environ['HOSTS'].split(',')")),
            ("SECURE_HSTS_SECONDS", Some("int(os.environ['HSTS'])")),
        ]);
    assert_eq!(codes(&check(&env)), Vec::<&str>::new());
    let branches = "import sys\n".to_string()
        + &secure_with(&[("DEBUG", None)])
        + "if sys.argv[1]:\n    DEBUG = True\nelse:\n    DEBUG = False\n";
    assert_eq!(codes(&check(&branches)), Vec::<&str>::new());
}

#[test]
fn open_modules_never_report_missing_settings() {
    let text = "globals().update({'X': 1})\nDEBUG = True\n";
    let d = check(text);
    assert_eq!(codes(&d), ["DJ018"]);
}

#[test]
fn crlf_files_get_crlf_fixes() {
    let text = secure_with(&[("CSRF_COOKIE_SECURE", None)]).replace('\n', "\r\n");
    let d = check(&text);
    let after = fixed(&text, find(&d, "DJ016"));
    assert!(
        after.ends_with("CSRF_COOKIE_SECURE = True\r\n"),
        "{after:?}"
    );
    assert!(!after.replace("\r\n", "").contains('\n'));
}

#[test]
fn fixes_respect_blocks_and_chained_assignments() {
    // a chained assignment is not rewritten: an override line follows it
    let text = secure_with(&[("DEBUG", Some("TEMPLATE_DEBUG = True"))]);
    let after = assert_fix_clears(&text, "DJ018");
    assert!(
        after.contains("DEBUG = TEMPLATE_DEBUG = True\nDEBUG = False\n"),
        "{after}"
    );
    // inside a block, the override keeps the block's indentation
    let text = secure_with(&[("DEBUG", None)]) + "if True:\n    DEBUG = True\nelse:\n    pass\n";
    let after = assert_fix_clears(&text, "DJ018");
    assert!(
        after.contains("if True:\n    DEBUG = False\nelse:"),
        "{after}"
    );
}

/// `docs/rules/CODE.md`, rendered from the registry entry.
fn rule_doc(rule: &crate::rules::RuleMeta) -> String {
    let Some(django) = rule.django.filter(|_| rule.code < "DJ100") else {
        return checklist_doc(rule);
    };
    let since = super::registry::since(rule.code)
        .map(|v| format!(" · **Django:** {v} and later"))
        .unwrap_or_default();
    format!(
        "# {code}: {name}\n\n**Severity:** {severity} · **Mirrors:** `{django}` of `manage.py check --deploy`{since}\n\n{summary}.\n\n{docs}\n\nSilence it like Django does, with `SILENCED_SYSTEM_CHECKS = [\"{django}\"]`, or on one line with `# preflight: ignore[{code}]`.\n",
        code = rule.code,
        name = rule.name,
        severity = rule.severity.as_str(),
        summary = rule.summary,
        docs = rule.docs,
    )
}

/// `docs/rules/CODE.md` of a checklist rule (beyond `check --deploy`).
fn checklist_doc(rule: &crate::rules::RuleMeta) -> String {
    let since = super::registry::since(rule.code)
        .map(|v| format!(" · **Django:** {v} and later"))
        .unwrap_or_default();
    let (reference, silence) = match rule.django {
        Some(id) => (
            format!(
                " · **Mirrors:** `{id}` of `manage.py check` (printed by `check --deploy` too)"
            ),
            format!(
                "Silence it like Django does, with `SILENCED_SYSTEM_CHECKS = [\"{id}\"]`, or on one line with `# preflight: ignore[{}]`.",
                rule.code
            ),
        ),
        None => (
            String::new(),
            format!(
                "Silence it on one line with `# preflight: ignore[{}]`.",
                rule.code
            ),
        ),
    };
    let scope = if rule.django.is_some() {
        "deployment item"
    } else {
        "beyond `manage.py check --deploy`"
    };
    format!(
        "# {code}: {name}\n\n**Severity:** {severity} · **Checklist:** {scope}{reference}{since}\n\n{summary}.\n\n{docs}\n\n{silence}\n",
        code = rule.code,
        name = rule.name,
        severity = rule.severity.as_str(),
        summary = rule.summary,
        docs = rule.docs,
    )
}

/// The rule pages the language server links to are generated from the registry; set
/// PREFLIGHT_UPDATE_DOCS=1 to rewrite them.
#[test]
fn rule_docs_match_the_registry() {
    crate::rules::assert_docs_current(&super::RULES, rule_doc);
}

#[test]
fn fixes_override_values_that_every_branch_sets() {
    let text = "import sys\n".to_string()
        + &secure_with(&[("DEBUG", None)])
        + "if sys.argv[1:]:\n    DEBUG = True\nelse:\n    DEBUG = 1\n";
    let after = assert_fix_clears(&text, "DJ018");
    assert!(after.ends_with("    DEBUG = 1\nDEBUG = False\n"), "{after}");
    // before the next top-level statement, so later code sees the fixed value
    let text = text + "\n# comment\nLOGGING = {}\n";
    let after = assert_fix_clears(&text, "DJ018");
    assert!(
        after.ends_with("    DEBUG = 1\n\n# comment\nDEBUG = False\nLOGGING = {}\n"),
        "{after}"
    );
}

/// Statements in the layouts real settings use, for generated modules.
const FRAGMENTS: &[&str] = &[
    "import os",
    "import sys",
    "from os import path",
    "DEBUG = True",
    "DEBUG = 'False'",
    "DEBUG = TEMPLATE_DEBUG = 1",
    "DEBUG: bool = True  # note",
    "SECRET_KEY = 'short'",
    "SECRET_KEY = os.environ.get('K', 'x')",
    "ALLOWED_HOSTS = []",
    "MIDDLEWARE = []",
    "MIDDLEWARE = ()",
    "MIDDLEWARE = ['a.B']",
    "MIDDLEWARE = [\n    'a.B',\n]",
    "MIDDLEWARE = [\n    'a.B'  # last\n]",
    "MIDDLEWARE = (\n\t\"a.B\",\n\t)",
    "MIDDLEWARE = ['django.contrib.sessions.middleware.SessionMiddleware',\n 'x.Y']",
    "MIDDLEWARE = ['django.middleware.security.SecurityMiddleware', 'django.middleware.clickjacking.XFrameOptionsMiddleware']",
    "MIDDLEWARE += ['z.Z']",
    "if sys.argv:\n    DEBUG = True\nelse:\n    DEBUG = 1",
    "try:\n    SECURE_SSL_REDIRECT = False\nexcept Exception:\n    pass",
    "SESSION_COOKIE_SECURE = 1",
    "CSRF_COOKIE_SECURE = 0",
    "INSTALLED_APPS = ['django.contrib.sessions']",
    "SECURE_HSTS_SECONDS = 0",
    "SECURE_HSTS_SECONDS = 60",
    "SECURE_REFERRER_POLICY = None",
    "SECURE_REFERRER_POLICY = 'bad'",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY = 'bad'",
    "X_FRAME_OPTIONS = 'SAMEORIGIN'",
    "SILENCED_SYSTEM_CHECKS = []",
    "SILENCED_SYSTEM_CHECKS = ('a',)",
    "SILENCED_SYSTEM_CHECKS += ['b']",
    "TEMPLATES = [{'OPTIONS': {'context_processors': []}}]",
    "MAILERS = {'default': {'BACKEND': 'django.core.mail.backends.console.EmailBackend'}}",
    "x = 1; DEBUG = True",
    "def f():\n    return 1",
    "'''doc\nstring'''",
    "# comment",
    "",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Whatever the layout, a fix (and the silence fix of every rule) leaves a module that parses.
    #[test]
    fn fixes_never_break_parsing(
        picks in proptest::collection::vec(0..FRAGMENTS.len(), 0..12),
        crlf in proptest::bool::ANY,
        trailing_newline in proptest::bool::ANY,
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = picks.iter().map(|&i| FRAGMENTS[i]).collect::<Vec<_>>().join("\n").replace('\n', eol);
        if trailing_newline {
            text.push_str(eol);
        }
        let tree = python_tree(&text);
        let model = analyze_module(Path::new(SETTINGS), &text, &tree, &Files::default(), &mut ModuleCache::default());
        proptest::prop_assume!(model.syntax_error.is_none());
        let ctx = super::context::Ctx::new(&model, &text, DjangoVersion::NEWEST);
        let diagnostics = super::check(&model, &text, &Options::default());
        let silence = super::RULES.iter().filter_map(|r| super::fixes::silence(&ctx, r.django?));
        for fix in diagnostics.iter().filter_map(|d| d.fix.clone()).chain(silence) {
            let after = apply_edits(&text, &fix.edits);
            let tree = python_tree(&after);
            proptest::prop_assert!(!tree.root_node().has_error(), "{:?} broke:\n{}\n---\n{}", fix.title, text, after);
        }
    }
}
