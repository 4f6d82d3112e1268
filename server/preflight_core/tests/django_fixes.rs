//! Every Django quick-fix, judged by the real tools: for each fixable rule, a settings module that
//! triggers it is fixed with the rule's own edits, then Python's parser must accept the result
//! and the real `django-admin check --deploy` (tests/oracle/django_check.py) must no longer report
//! the id. Preflight must agree with Django on the fixed module too.
//!
//! Needs the oracle venvs: run tests/oracle/setup.sh.

mod common;

use common::{preflight, python_parses};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use preflight_core::rules::django;
use preflight_core::{Diagnostic, apply_edits};

const STRONG_KEY: &str = "k3JHd9+Vq@1zX#pL0wR!eT5yU7iO2aS4dF6gH8jK0lZ9xC1vB3nM5qW7eR9tY2uI4o";

/// Settings that pass every deploy check; cases edit them.
fn secure() -> String {
    format!(
        r#"SECRET_KEY = "{STRONG_KEY}"
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
"#
    )
}

/// `secure()` with one `NAME = value` line replaced, or removed when `value` is None.
fn secure_with(name: &str, value: Option<&str>) -> String {
    let prefix = format!("{name} = ");
    let text = secure();
    let line = text
        .lines()
        .find(|l| l.starts_with(&prefix))
        .map(str::to_string);
    match (line, value) {
        (Some(l), Some(v)) => text.replacen(&l, &format!("{prefix}{v}"), 1),
        (Some(l), None) => text.replacen(&format!("{l}\n"), "", 1),
        (None, Some(v)) => format!("{text}{prefix}{v}\n"),
        (None, None) => text,
    }
}

const MIDDLEWARE_BLOCK: &str = r#"MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
"#;

/// `secure()` with MIDDLEWARE replaced by `replacement` (a whole statement, or "").
fn secure_middleware(replacement: &str) -> String {
    secure().replacen(MIDDLEWARE_BLOCK, replacement, 1)
}

/// One fix to judge: the files of a project, the settings module to fix, the rule whose fix is
/// applied, and the environment the fixed settings run with.
struct Case {
    name: &'static str,
    code: &'static str,
    version: &'static str,
    /// (path relative to the case dir, text); the first is the module fixed.
    files: Vec<(&'static str, String)>,
    env: Vec<(&'static str, &'static str)>,
}

impl Case {
    fn new(name: &'static str, code: &'static str, settings: String) -> Self {
        Self {
            name,
            code,
            version: "6.1",
            files: vec![("settings.py", settings)],
            env: Vec::new(),
        }
    }
    fn module(&self) -> String {
        self.files[0].0.trim_end_matches(".py").replace('/', ".")
    }
}

fn cases() -> Vec<Case> {
    let mut cases = vec![
        Case::new(
            "security-middleware-multiline",
            "DJ001",
            secure_middleware(
                "MIDDLEWARE = [\n    \"django.contrib.sessions.middleware.SessionMiddleware\",\n    \"django.middleware.csrf.CsrfViewMiddleware\",\n    \"django.middleware.clickjacking.XFrameOptionsMiddleware\",\n]\n",
            ),
        ),
        Case::new(
            "xframe-middleware-single-line-tuple",
            "DJ002",
            secure_middleware(
                "MIDDLEWARE = ('django.middleware.security.SecurityMiddleware', 'django.middleware.csrf.CsrfViewMiddleware')\n",
            ),
        ),
        Case::new(
            "csrf-middleware-without-trailing-comma",
            "DJ003",
            secure_middleware(
                "MIDDLEWARE = [\n    \"django.middleware.security.SecurityMiddleware\",\n    \"django.contrib.sessions.middleware.SessionMiddleware\",\n    \"django.middleware.clickjacking.XFrameOptionsMiddleware\"  # last\n]\n",
            ),
        ),
        Case::new("middleware-missing-silenced", "DJ002", secure_middleware("")),
        Case::new("hsts-missing", "DJ004", secure_with("SECURE_HSTS_SECONDS", None)),
        Case::new("hsts-zero", "DJ004", secure_with("SECURE_HSTS_SECONDS", Some("0"))),
        Case::new("hsts-subdomains", "DJ005", secure_with("SECURE_HSTS_INCLUDE_SUBDOMAINS", Some("1"))),
        Case::new("nosniff", "DJ006", secure_with("SECURE_CONTENT_TYPE_NOSNIFF", Some("False"))),
        Case::new("ssl-redirect", "DJ008", secure_with("SECURE_SSL_REDIRECT", None)),
        Case::new("preload", "DJ021", secure_with("SECURE_HSTS_PRELOAD", Some("\"True\""))),
        Case::new("referrer-none", "DJ022", secure_with("SECURE_REFERRER_POLICY", Some("None"))),
        Case::new("referrer-invalid", "DJ023", secure_with("SECURE_REFERRER_POLICY", Some("'same-origin, nope'"))),
        Case::new("coop-invalid", "DJ024", secure_with("SECURE_CROSS_ORIGIN_OPENER_POLICY", Some("'same-site'"))),
        Case::new("x-frame-options", "DJ019", secure_with("X_FRAME_OPTIONS", Some("'SAMEORIGIN'"))),
        Case::new("debug-string", "DJ018", secure_with("DEBUG", Some("\"False\""))),
        Case::new("debug-chained", "DJ018", secure_with("DEBUG", Some("TEMPLATE_DEBUG = True"))),
        Case::new("session-secure-both", "DJ012", secure_with("SESSION_COOKIE_SECURE", Some("1"))),
        Case::new(
            "session-secure-app",
            "DJ010",
            secure_middleware("MIDDLEWARE = ['django.middleware.security.SecurityMiddleware', 'django.middleware.csrf.CsrfViewMiddleware', 'django.middleware.clickjacking.XFrameOptionsMiddleware']\n")
                .replace("SESSION_COOKIE_SECURE = True\n", ""),
        ),
        Case::new(
            "session-secure-middleware",
            "DJ011",
            secure_with("INSTALLED_APPS", Some("[]")).replace("SESSION_COOKIE_SECURE = True\n", ""),
        ),
        Case::new("session-httponly-both", "DJ015", secure_with("SESSION_COOKIE_HTTPONLY", Some("False"))),
        Case::new(
            "session-httponly-app",
            "DJ013",
            secure_middleware("MIDDLEWARE = ['django.middleware.security.SecurityMiddleware', 'django.middleware.csrf.CsrfViewMiddleware', 'django.middleware.clickjacking.XFrameOptionsMiddleware']\n")
                + "SESSION_COOKIE_HTTPONLY = 0\n",
        ),
        Case::new(
            "session-httponly-middleware",
            "DJ014",
            secure_with("INSTALLED_APPS", Some("[]")) + "SESSION_COOKIE_HTTPONLY = None\n",
        ),
        Case::new("csrf-cookie", "DJ016", secure_with("CSRF_COOKIE_SECURE", None)),
        Case::new(
            "mailers-console",
            "DJ030",
            secure() + "MAILERS = {\n    'default': {\n        'BACKEND': 'django.core.mail.backends.console.EmailBackend',\n    },\n}\n",
        ),
        Case::new(
            "csp-nonce-context-processor",
            "DJ027",
            format!(
                "from django.utils.csp import CSP\n{}{}",
                secure(),
                r#"MIDDLEWARE.append("django.middleware.csp.ContentSecurityPolicyMiddleware")
SECURE_CSP = {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.NONCE]}
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
            ],
        },
    },
]
"#
            ),
        ),
        Case::new("crlf-csrf-cookie", "DJ016", secure_with("CSRF_COOKIE_SECURE", Some("0")).replace('\n', "\r\n")),
    ];
    cases.push(Case::new(
        "debug-in-every-branch",
        "DJ018",
        "import sys\n".to_string()
            + &secure_with("DEBUG", None)
            + "if sys.argv[1:]:\n    DEBUG = True\nelse:\n    DEBUG = 'yes'\nLOGGING = {}",
    ));
    let mut key = Case::new(
        "secret-key-insecure",
        "DJ009",
        "import sys\n".to_string()
            + &secure_with(
                "SECRET_KEY",
                Some("\"django-insecure-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH\""),
            ),
    );
    key.env = vec![("DJANGO_SECRET_KEY", STRONG_KEY)];
    cases.push(key);
    let mut key = Case::new(
        "secret-key-missing",
        "DJ009",
        secure_with("SECRET_KEY", None),
    );
    key.env = vec![("DJANGO_SECRET_KEY", STRONG_KEY)];
    cases.push(key);
    let mut key = Case::new(
        "secret-key-env-default",
        "DJ009",
        "import os\n".to_string()
            + &secure_with("SECRET_KEY", Some("os.environ.get('APP_SECRET', 'dev')")),
    );
    key.env = vec![("APP_SECRET", STRONG_KEY)];
    cases.push(key);
    cases.extend(imported_cases());
    cases
}

/// Fixes in a production module that star-imports an insecure base.
fn imported_cases() -> Vec<Case> {
    let split = |name, code, base: String, prod: &str| Case {
        name,
        code,
        version: "6.1",
        files: vec![
            ("settings/prod.py", prod.to_string()),
            ("settings/__init__.py", String::new()),
            ("settings/base.py", base),
        ],
        env: Vec::new(),
    };
    let prod = "from .base import *  # noqa\n\nALLOWED_HOSTS = ['example.com']\n";
    vec![
        split(
            "imported-debug",
            "DJ018",
            secure_with("DEBUG", Some("True")),
            prod,
        ),
        split(
            "imported-middleware",
            "DJ001",
            secure_middleware(
                "MIDDLEWARE = ['django.middleware.csrf.CsrfViewMiddleware', 'django.middleware.clickjacking.XFrameOptionsMiddleware']\n",
            ),
            prod,
        ),
        split(
            "imported-hsts",
            "DJ004",
            secure_with("SECURE_HSTS_SECONDS", Some("0")),
            prod,
        ),
        split(
            "imported-in-try-block",
            "DJ016",
            secure_with("CSRF_COOKIE_SECURE", None),
            "try:\n    from .base import *\nexcept ImportError:\n    pass\n",
        ),
    ]
}

/// What the oracle runs: the folder on sys.path, the dotted settings module, the environment.
type OracleCase = (PathBuf, String, Vec<(&'static str, &'static str)>);

/// Runs the real `check --deploy` on each case; one sorted id list per case.
fn django_ids(version: &str, cases: &[OracleCase]) -> Vec<Vec<String>> {
    let results = common::django_check(
        version,
        cases
            .iter()
            .map(|(dir, module, env)| (dir.as_path(), module.as_str(), env.as_slice())),
    );
    results
        .into_iter()
        .zip(cases)
        .map(|(r, (dir, module, _))| match r {
            serde_json::Value::Array(ids) => ids
                .into_iter()
                .map(|id| id.as_str().unwrap().to_string())
                .collect(),
            other => panic!(
                "Django could not load {module} in {}: {other}",
                dir.display()
            ),
        })
        .collect()
}

/// The Django ids Preflight mirrors, as a set.
fn mirrored(ids: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    let known: BTreeSet<&str> = django::RULES.iter().filter_map(|r| r.django).collect();
    ids.into_iter()
        .filter(|id| known.contains(id.as_str()))
        .collect()
}

fn preflight_ids(diagnostics: &[Diagnostic]) -> BTreeSet<String> {
    diagnostics
        .iter()
        .filter_map(|d| d.references.get("django").cloned())
        .collect()
}

fn write_files(dir: &Path, files: &[(&'static str, String)]) {
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
}

/// A case's fixed project: where it was written, and the fixed module's text.
struct Fixed {
    dir: PathBuf,
    text: String,
}

/// Writes the case, applies the fix of its rule and writes the fixed project next to it.
fn fix_case(root: &Path, case: &Case) -> Result<Fixed, String> {
    let dir = root.join(case.name);
    write_files(&dir, &case.files);
    let diagnostics = preflight(&dir.join(case.files[0].0), case.version);
    let d = diagnostics
        .iter()
        .find(|d| d.code == case.code)
        .ok_or_else(|| format!("{}: Preflight does not report {}", case.name, case.code))?;
    let fix = d
        .fix
        .as_ref()
        .ok_or_else(|| format!("{}: {} offers no fix", case.name, case.code))?;
    let mut files = case.files.clone();
    files[0].1 = apply_edits(&files[0].1, &fix.edits);
    let fixed_dir = root.join(format!("{}-fixed", case.name));
    write_files(&fixed_dir, &files);
    if !python_parses(&fixed_dir.join(case.files[0].0)) {
        return Err(format!(
            "{}: the fixed module does not parse:\n{}",
            case.name, files[0].1
        ));
    }
    Ok(Fixed {
        dir: fixed_dir,
        text: files[0].1.clone(),
    })
}

#[test]
fn every_django_fix_satisfies_python_and_django_6_1() {
    judge("6.1", cases());
}

/// The same fixes under Django 5.2, minus the checks 5.2 does not have.
#[test]
fn every_django_fix_satisfies_django_5_2() {
    let only_6_1 = ["DJ027", "DJ030"];
    let cases = cases()
        .into_iter()
        .filter(|c| !only_6_1.contains(&c.code))
        .map(|c| Case {
            version: "5.2",
            ..c
        })
        .collect();
    judge("5.2", cases);
}

/// Applies each case's fix and asks Python and Django `version` about the result.
fn judge(version: &str, cases: Vec<Case>) {
    let root = std::env::temp_dir().join(format!(
        "preflight-django-fixes-{version}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&root);
    let fixed: Vec<Fixed> = cases
        .iter()
        .map(|c| fix_case(&root, c))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}"));
    // before: the production world (no variables set) must report the id; after: with the
    // variables the fixed module reads, it must not
    let run = |dirs: Vec<PathBuf>, with_env: bool| {
        let input: Vec<_> = cases
            .iter()
            .zip(dirs)
            .map(|(c, dir)| {
                (
                    dir,
                    c.module(),
                    if with_env { c.env.clone() } else { Vec::new() },
                )
            })
            .collect();
        django_ids(version, &input)
    };
    let before = run(cases.iter().map(|c| root.join(c.name)).collect(), false);
    let after = run(fixed.iter().map(|f| f.dir.clone()).collect(), true);
    let mut failures = Vec::new();
    for (((case, fixed), before), after) in cases.iter().zip(&fixed).zip(before).zip(after) {
        let id = django::RULES
            .iter()
            .find(|r| r.code == case.code)
            .and_then(|r| r.django)
            .unwrap();
        if !before.iter().any(|i| i == id) {
            failures.push(format!(
                "{}: Django does not report {id} before the fix: {before:?}",
                case.name
            ));
        }
        if after.iter().any(|i| i == id) {
            failures.push(format!(
                "{}: Django still reports {id} after the fix:\n{}",
                case.name, fixed.text
            ));
        }
        let ours = preflight_ids(&preflight(&fixed.dir.join(case.files[0].0), case.version));
        let theirs = mirrored(after);
        if ours != theirs {
            failures.push(format!(
                "{}: after the fix Preflight says {ours:?}, Django {theirs:?}:\n{}",
                case.name, fixed.text
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&root);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
