//! The checklist rules (DJ101..) judged by the real tools. Django is no oracle for whether these
//! rules fire, but it is one for everything around them:
//! - the setting-name tables behind DJ121/DJ122 equal `django.conf.global_settings` of each
//!   oracle venv, so they cannot drift;
//! - every checklist quick-fix, applied to a settings module, leaves a module Python parses,
//!   Django still loads, and `check --deploy` reports no id it did not report before (and
//!   Preflight no longer reports the rule);
//! - the Django behaviour a rule claims is real: `4_0.E001` for CSRF_TRUSTED_ORIGINS without a
//!   scheme (DJ125), and 6.1 refusing to start with MAILERS and EMAIL_* settings (DJ127).
//!
//! Needs the oracle venvs: run tests/oracle/setup.sh.

mod common;

use common::{oracle_python, preflight, python_parses};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use preflight_core::apply_edits;

const STRONG_KEY: &str = "k3JHd9+Vq@1zX#pL0wR!eT5yU7iO2aS4dF6gH8jK0lZ9xC1vB3nM5qW7eR9tY2uI4o";
const VERSIONS: [&str; 2] = ["5.2", "6.1"];

#[test]
fn setting_name_tables_match_global_settings_of_each_oracle() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules/django/checklist/data");
    for version in VERSIONS {
        let out = Command::new(oracle_python(version))
            .args([
                "-c",
                "import django.conf.global_settings as g; print('\\n'.join(sorted(n for n in dir(g) if n.isupper())))",
            ])
            .output()
            .expect("the oracle runs");
        assert!(out.status.success());
        let real: BTreeSet<String> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        let ours: BTreeSet<String> =
            std::fs::read_to_string(data.join(format!("django-{version}.txt")))
                .unwrap()
                .lines()
                .map(str::to_string)
                .collect();
        assert!(real.len() > 100, "global_settings of {version} looks wrong");
        assert_eq!(
            ours, real,
            "data/django-{version}.txt differs from Django {version}'s global_settings"
        );
    }
}

/// What Django said about one settings module.
#[derive(Debug, Clone, PartialEq)]
enum Verdict {
    Ids(BTreeSet<String>),
    Error(String),
}

/// One module for the oracle: the folder on sys.path, the dotted module, the environment.
type OracleCase<'a> = (PathBuf, &'a str, Vec<(&'a str, &'a str)>);

/// The real `check --deploy` per case: the ids it printed, or why the settings did not load.
fn django(version: &str, cases: &[OracleCase<'_>]) -> Vec<Verdict> {
    let cases = cases
        .iter()
        .map(|(dir, module, env)| (dir.as_path(), *module, env.as_slice()));
    common::django_check(version, cases)
        .into_iter()
        .map(|r| match r {
            serde_json::Value::Array(ids) => Verdict::Ids(
                ids.into_iter()
                    .map(|i| i.as_str().unwrap().to_string())
                    .collect(),
            ),
            other => Verdict::Error(other.to_string()),
        })
        .collect()
}

/// Production settings that Django and the checklist both accept; cases edit them.
fn base() -> String {
    format!(
        r#"import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "{STRONG_KEY}"
DEBUG = False
ALLOWED_HOSTS = ["example.com"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
DATABASES = {{
    "default": {{
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "site",
    }}
}}
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
"#
    )
}

/// `base()` with `from` replaced by `to` (which must occur).
fn edit(from: &str, to: &str) -> String {
    let text = base();
    assert!(text.contains(from), "{from:?} is not in the base settings");
    text.replacen(from, to, 1)
}

/// A checklist fix to judge: the settings text, the rule, the environment both versions run
/// with (a fix that requires a variable makes it mandatory), and the Django id the fix must
/// clear, when the finding has one Django can see.
struct Case {
    name: &'static str,
    code: &'static str,
    text: String,
    env: Vec<(&'static str, &'static str)>,
    clears: Option<&'static str>,
}

fn case(name: &'static str, code: &'static str, text: String) -> Case {
    Case {
        name,
        code,
        text,
        env: Vec::new(),
        clears: None,
    }
}

fn cases() -> Vec<Case> {
    let key = format!("SECRET_KEY = \"{STRONG_KEY}\"");
    vec![
        Case {
            env: vec![("DJANGO_SECRET_KEY", STRONG_KEY)],
            ..case("literal-secret-key", "DJ101", base())
        },
        Case {
            env: vec![("SECRET_KEY", STRONG_KEY)],
            ..case(
                "secret-key-env-default",
                "DJ102",
                edit(
                    &key,
                    "SECRET_KEY = os.getenv(\"SECRET_KEY\", \"a-committed-fallback-key-that-is-long-enough-0123456789\")",
                ),
            )
        },
        Case {
            env: vec![("DJANGO_SECRET_KEY", STRONG_KEY)],
            ..case(
                "secret-key-generated",
                "DJ103",
                edit(
                    &key,
                    "from django.core.management.utils import get_random_secret_key\nSECRET_KEY = get_random_secret_key()",
                ),
            )
        },
        // the variable set to "False": Django sees a true DEBUG until the fix converts it
        Case {
            env: vec![("DEBUG", "False")],
            clears: Some("security.W018"),
            ..case(
                "debug-raw-string",
                "DJ104",
                edit("DEBUG = False", "DEBUG = os.environ.get(\"DEBUG\", False)"),
            )
        },
        Case {
            env: vec![("DEBUG", "False")],
            clears: Some("security.W018"),
            ..case(
                "debug-raw-string-environ",
                "DJ104",
                edit(
                    "DEBUG = False",
                    "import environ\nenv = environ.Env()\nDEBUG = env(\"DEBUG\", default=\"\")",
                ),
            )
        },
        Case {
            env: vec![("DEBUG", "False")],
            clears: Some("security.W018"),
            ..case(
                "debug-raw-string-decouple",
                "DJ104",
                edit(
                    "DEBUG = False",
                    "from decouple import config\nDEBUG = config(\"DEBUG\", default=False)",
                ),
            )
        },
        Case {
            env: vec![("DEBUG", "False")],
            clears: Some("security.W018"),
            ..case(
                "debug-raw-string-getenv",
                "DJ104",
                edit("import os\n", "from os import getenv\n").replacen(
                    "DEBUG = False",
                    "DEBUG = getenv(\"DEBUG\")",
                    1,
                ),
            )
        },
        Case {
            clears: Some("security.W018"),
            ..case(
                "debug-default-on",
                "DJ105",
                edit(
                    "DEBUG = False",
                    "import environ\nenv = environ.Env()\nDEBUG = env.bool(\"DJANGO_DEBUG\", default=True)",
                ),
            )
        },
        Case {
            clears: Some("security.W018"),
            ..case(
                "debug-default-on-comparison",
                "DJ105",
                edit(
                    "DEBUG = False",
                    "DEBUG = os.environ.get(\"DEBUG\", \"True\") == \"True\"",
                ),
            )
        },
        case("conn-max-age", "DJ111", base()),
        case(
            "email-console",
            "DJ112",
            base() + "EMAIL_BACKEND = \"django.core.mail.backends.console.EmailBackend\"\n",
        ),
        case(
            "static-root",
            "DJ114",
            edit("STATIC_ROOT = BASE_DIR / \"staticfiles\"\n", ""),
        ),
        case("database-sessions", "DJ116", base()),
        case(
            "xss-filter",
            "DJ121",
            base() + "SECURE_BROWSER_XSS_FILTER = True\n",
        ),
        case(
            "staticfiles-storage",
            "DJ121",
            base()
                + "STATICFILES_STORAGE = \"django.contrib.staticfiles.storage.ManifestStaticFilesStorage\"\n",
        ),
        Case {
            clears: Some("security.W020"),
            ..case(
                "misspelled-hosts",
                "DJ122",
                edit("ALLOWED_HOSTS =", "ALLOWED_HOST ="),
            )
        },
        case(
            "samesite-none",
            "DJ124",
            edit(
                "SESSION_COOKIE_SECURE = True\n",
                "SESSION_COOKIE_SAMESITE = \"None\"\n",
            ),
        ),
        Case {
            clears: Some("4_0.E001"),
            ..case(
                "trusted-origins",
                "DJ125",
                base()
                    + "CSRF_TRUSTED_ORIGINS = [\n    \"https://ok.example.com\",\n    \"example.com\",\n]\n",
            )
        },
        Case {
            clears: Some("security.W008"),
            ..case(
                "commented-out-ssl-redirect",
                "DJ126",
                edit(
                    "SECURE_SSL_REDIRECT = True\n",
                    "# SECURE_SSL_REDIRECT = True  # once TLS works\n",
                ),
            )
        },
    ]
}

/// Writes the case as `<root>/<name>/before.py`, fixes it into `after.py` next to it, and
/// checks the result with Python's parser and Preflight.
fn fix_case(root: &Path, version: &str, case: &Case) -> Result<(PathBuf, String), String> {
    let dir = root.join(case.name);
    std::fs::create_dir_all(&dir).unwrap();
    let before = dir.join("before.py");
    std::fs::write(&before, &case.text).unwrap();
    let diagnostics = preflight(&before, version);
    let d = diagnostics
        .iter()
        .find(|d| d.code == case.code)
        .ok_or_else(|| format!("{}: Preflight does not report {}", case.name, case.code))?;
    let fix = d
        .fix
        .as_ref()
        .ok_or_else(|| format!("{}: {} offers no fix", case.name, case.code))?;
    let fixed = apply_edits(&case.text, &fix.edits);
    let after = dir.join("after.py");
    std::fs::write(&after, &fixed).unwrap();
    if !python_parses(&after) {
        return Err(format!(
            "{}: the fixed module does not parse:\n{fixed}",
            case.name
        ));
    }
    if preflight(&after, version)
        .iter()
        .any(|d| d.code == case.code)
    {
        return Err(format!(
            "{}: {} still fires after its fix:\n{fixed}",
            case.name, case.code
        ));
    }
    Ok((dir, fixed))
}

fn judge(version: &str) {
    let root = std::env::temp_dir().join(format!(
        "preflight-checklist-fixes-{version}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&root);
    let cases = cases();
    let fixed: Vec<(PathBuf, String)> = cases
        .iter()
        .map(|c| fix_case(&root, version, c))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}"));
    let run = |module: &'static str| {
        let input: Vec<_> = cases
            .iter()
            .zip(&fixed)
            .map(|(c, (dir, _))| (dir.clone(), module, c.env.clone()))
            .collect();
        django(version, &input)
    };
    let before = run("before");
    let after = run("after");
    let mut failures = Vec::new();
    for (((case, (_, text)), before), after) in cases.iter().zip(&fixed).zip(before).zip(after) {
        match (before, after) {
            (Verdict::Ids(before), Verdict::Ids(after)) => {
                let new: Vec<_> = after.difference(&before).collect();
                let cleared = case
                    .clears
                    .is_none_or(|id| before.contains(id) && !after.contains(id));
                if !cleared {
                    failures.push(format!(
                        "{}: Django {version} should report {:?} before the fix only: before {before:?}, after {after:?}",
                        case.name, case.clears
                    ));
                }
                if !new.is_empty() {
                    failures.push(format!(
                        "{}: the fix introduces {new:?} under Django {version}:\n{text}",
                        case.name
                    ));
                }
            }
            (before, after) => failures.push(format!(
                "{}: Django {version} could not load the settings: before {before:?}, after {after:?}",
                case.name
            )),
        }
    }
    let _ = std::fs::remove_dir_all(&root);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_checklist_fix_keeps_python_and_django_6_1_happy() {
    judge("6.1");
}

#[test]
fn every_checklist_fix_keeps_python_and_django_5_2_happy() {
    judge("5.2");
}

/// Writes one settings module per text and asks Django `version` about each.
fn verdicts(version: &str, texts: &[String]) -> Vec<Verdict> {
    verdicts_with(version, texts, &[])
}

fn verdicts_with(
    version: &str,
    texts: &[String],
    env: &[(&'static str, &'static str)],
) -> Vec<Verdict> {
    // tests run in parallel threads of one process: each call gets its own folder
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let root = std::env::temp_dir().join(format!(
        "preflight-checklist-claims-{version}-{}-{}",
        std::process::id(),
        CALLS.fetch_add(1, Ordering::Relaxed)
    ));
    let input: Vec<_> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let dir = root.join(i.to_string());
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("settings_under_test.py"), text).unwrap();
            (dir, "settings_under_test", env.to_vec())
        })
        .collect();
    let out = django(version, &input);
    let _ = std::fs::remove_dir_all(&root);
    out
}

#[test]
fn csrf_trusted_origins_parity_with_4_0_e001() {
    let without = base() + "CSRF_TRUSTED_ORIGINS = [\"example.com\"]\n";
    let with =
        base() + "CSRF_TRUSTED_ORIGINS = [\"https://example.com\", \"https://*.example.com\"]\n";
    for version in VERSIONS {
        let verdicts = verdicts(version, &[without.clone(), with.clone()]);
        for (text, verdict) in [&without, &with].into_iter().zip(verdicts) {
            let Verdict::Ids(ids) = verdict else {
                panic!("Django {version} could not load:\n{text}\n{verdict:?}");
            };
            let path = std::env::temp_dir().join(format!(
                "preflight-dj125-{}-{version}.py",
                std::process::id()
            ));
            std::fs::write(&path, text).unwrap();
            let ours = preflight(&path, version).iter().any(|d| d.code == "DJ125");
            let _ = std::fs::remove_file(&path);
            assert_eq!(
                ours,
                ids.contains("4_0.E001"),
                "Django {version}: {ids:?}\n{text}"
            );
        }
    }
}

#[test]
fn mailers_with_email_settings_stop_django_6_1_only() {
    let both = base()
        + "MAILERS = {\"default\": {\"BACKEND\": \"django.core.mail.backends.smtp.EmailBackend\"}}\nEMAIL_HOST = \"smtp.example.com\"\n";
    let path = std::env::temp_dir().join(format!("preflight-dj127-{}.py", std::process::id()));
    std::fs::write(&path, &both).unwrap();
    for version in VERSIONS {
        let ours = preflight(&path, version).iter().any(|d| d.code == "DJ127");
        let verdict = verdicts(version, std::slice::from_ref(&both)).remove(0);
        let refused = matches!(&verdict, Verdict::Error(e) if e.contains("Deprecated email settings are not allowed"));
        assert_eq!(ours, refused, "Django {version}: {verdict:?}");
        assert_eq!(refused, version == "6.1");
    }
    let _ = std::fs::remove_file(&path);
}

/// DJ104's claim, asked of Django: with the variable set to "False", a raw-string read leaves
/// DEBUG true (security.W018), a converted one does not.
#[test]
fn debug_raw_string_claims_match_django() {
    let reads = [
        "os.environ.get(\"DEBUG\", False)",
        "os.getenv(\"DEBUG\")",
        "env(\"DEBUG\", default=False)",
        "env(\"DEBUG\")",
        "env.bool(\"DEBUG\", default=False)",
        "config(\"DEBUG\", default=False)",
        "config(\"DEBUG\", default=False, cast=bool)",
        "os.environ.get(\"DEBUG\", \"\").lower() in (\"1\", \"true\")",
    ];
    let texts: Vec<String> = reads
        .iter()
        .map(|read| {
            edit(
                "DEBUG = False",
                &format!("import environ\nfrom decouple import config\nenv = environ.Env()\nDEBUG = {read}"),
            )
        })
        .collect();
    let path = std::env::temp_dir().join(format!("preflight-dj104-{}.py", std::process::id()));
    let verdicts = verdicts_with("6.1", &texts, &[("DEBUG", "False")]);
    for ((read, text), verdict) in reads.iter().zip(&texts).zip(verdicts) {
        let Verdict::Ids(ids) = verdict else {
            panic!("Django could not load {read}: {verdict:?}");
        };
        std::fs::write(&path, text).unwrap();
        let ours = preflight(&path, "6.1").iter().any(|d| d.code == "DJ104");
        assert_eq!(
            ours,
            ids.contains("security.W018"),
            "{read}: Django says {ids:?}"
        );
    }
    let _ = std::fs::remove_file(&path);
}

/// The claims of DJ114 and DJ115, asked of Django: without STATIC_ROOT, or with media and
/// static files sharing a directory or URL, the staticfiles storage `collectstatic` writes
/// through refuses to work; otherwise it resolves paths.
#[test]
fn static_and_media_claims_match_django() {
    const PROBE: &str = "import django, sys\ndjango.setup()\nfrom django.contrib.staticfiles.storage import staticfiles_storage\ntry:\n    staticfiles_storage.path('x.css')\nexcept Exception as e:\n    print(type(e).__name__)\n    sys.exit(0)\nprint('ok')";
    let root = std::env::temp_dir().join(format!("preflight-dj114-{}", std::process::id()));
    std::fs::create_dir_all(&root).unwrap();
    let media = "MEDIA_URL = \"media/\"\nMEDIA_ROOT = BASE_DIR / \"media\"\n";
    let cases = [
        (base() + media, None),
        (
            edit("STATIC_ROOT = BASE_DIR / \"staticfiles\"\n", ""),
            Some("DJ114"),
        ),
        (
            base() + &media.replace("\"media/\"", "\"static/\""),
            Some("DJ115"),
        ),
        (
            base() + &media.replace("\"media\"", "\"staticfiles\""),
            Some("DJ115"),
        ),
    ];
    for (i, (text, code)) in cases.iter().enumerate() {
        let module = format!("settings_{i}");
        let path = root.join(format!("{module}.py"));
        std::fs::write(&path, text).unwrap();
        for version in VERSIONS {
            let out = Command::new(oracle_python(version))
                .args(["-c", PROBE])
                .env("DJANGO_SETTINGS_MODULE", &module)
                .env("PYTHONPATH", &root)
                .output()
                .expect("the oracle runs");
            let said = String::from_utf8_lossy(&out.stdout).trim().to_string();
            assert_eq!(
                said,
                if code.is_some() {
                    "ImproperlyConfigured"
                } else {
                    "ok"
                },
                "Django {version} on:\n{text}"
            );
            let ours: Vec<_> = preflight(&path, version)
                .into_iter()
                .filter(|d| d.code == "DJ114" || d.code == "DJ115")
                .map(|d| d.code)
                .collect();
            assert_eq!(
                ours,
                code.iter().copied().collect::<Vec<_>>(),
                "Django {version} on:\n{text}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&root);
}
