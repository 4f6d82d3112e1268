//! Unit tests of the stack rules on projects written to a temporary folder: the deployment is
//! found as in a real project (production settings through wsgi.py, nginx files by a walk).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::{Options, analyze_python};
use crate::diagnostic::{Diagnostic, apply_edits};
use crate::nginx::analyze_nginx;
use crate::project::Project;
use crate::python::ModuleCache;
use crate::source::DiskLoader;
use crate::syntax::{nginx_tree, python_tree};

pub(crate) const SETTINGS: &str = "settings/production.py";
pub(crate) const SITE: &str = "deploy/nginx/site.conf";
pub(crate) const GUNICORN: &str = "gunicorn.conf.py";

/// A consistent deployment: every stack rule is silent on it.
pub(crate) fn base() -> Vec<(&'static str, String)> {
    vec![
        (
            GUNICORN,
            "bind = \"127.0.0.1:8000\"\nworkers = 3\ntimeout = 30\naccesslog = \"-\"\n".to_owned(),
        ),
        (
            "manage.py",
            "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"settings.production\")\n".to_owned(),
        ),
        // how gunicorn is started: with ./gunicorn.conf.py and nothing else on its command line
        ("Procfile", "web: gunicorn wsgi:application\n".to_owned()),
        ("settings/__init__.py", String::new()),
        (
            "settings/base.py",
            "from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\nSTATIC_URL = \"/static/\"\nSTATIC_ROOT = BASE_DIR / \"staticfiles\"\nMEDIA_URL = \"/media/\"\nMEDIA_ROOT = BASE_DIR / \"media\"\nMIDDLEWARE = [\n    \"django.middleware.security.SecurityMiddleware\",\n    \"django.contrib.sessions.middleware.SessionMiddleware\",\n]\n".to_owned(),
        ),
        (
            SETTINGS,
            "from .base import *\n\nDEBUG = False\nALLOWED_HOSTS = [\"example.com\", \"www.example.com\"]\nSECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")\nSECURE_SSL_REDIRECT = True\nSECURE_HSTS_SECONDS = 31536000\n".to_owned(),
        ),
        (
            SITE,
            "upstream app {\n    server 127.0.0.1:8000 fail_timeout=0;\n}\n\nserver {\n    listen 80 default_server;\n    server_name _;\n    return 444;\n}\n\nserver {\n    listen 80;\n    server_name example.com www.example.com;\n    client_max_body_size 10m;\n    add_header Strict-Transport-Security \"max-age=31536000\" always;\n\n    location /static/ {\n        alias /srv/app/staticfiles/;\n    }\n\n    location /media/ {\n        alias /srv/app/media/;\n    }\n\n    location / {\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-Proto $scheme;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_pass http://app;\n    }\n}\n".to_owned(),
        ),
    ]
}

/// Writes the files into a fresh folder.
pub(crate) fn project(name: &str, files: &[(&str, String)]) -> PathBuf {
    let root = std::env::temp_dir().join(format!("preflight-stack-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for (rel, text) in files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    root
}

/// The base with `from` replaced by `to` in file `rel`.
pub(crate) fn with(rel: &str, from: &str, to: &str) -> Vec<(&'static str, String)> {
    let mut files = base();
    let file = files.iter_mut().find(|(r, _)| *r == rel).unwrap();
    assert!(file.1.contains(from), "{from:?} is not in {rel}");
    file.1 = file.1.replacen(from, to, 1);
    files
}

/// Every finding of the file at `rel` (all rule families), as the analysis reports them.
pub(crate) fn analyze(root: &Path, rel: &str) -> Vec<Diagnostic> {
    let project = Arc::new(Project::load(root, &DiskLoader));
    let options = Options::for_project(project);
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    if rel.ends_with(".py") {
        let tree = python_tree(&text);
        analyze_python(
            &path,
            &text,
            &tree,
            &DiskLoader,
            &mut ModuleCache::default(),
            &options,
        )
        .1
    } else {
        let tree = nginx_tree(&text);
        analyze_nginx(
            &path,
            &text,
            &tree,
            &DiskLoader,
            &mut ModuleCache::default(),
            &options,
        )
    }
}

fn stack(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    diagnostics
        .iter()
        .filter(|d| d.code.starts_with("STK"))
        .collect()
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code).collect()
}

/// The text `d` points at in `text`.
fn at<'t>(text: &'t str, d: &Diagnostic) -> &'t str {
    &text[d.range.start..d.range.end]
}

fn run(name: &str, files: &[(&str, String)], rel: &str) -> (PathBuf, String, Vec<Diagnostic>) {
    let root = project(name, files);
    let all = analyze(&root, rel);
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    (root, text, all)
}

#[test]
fn a_consistent_deployment_has_no_stack_finding() {
    let files = base();
    let root = project("clean", &files);
    let project = Project::load(&root, &DiskLoader);
    assert_eq!(project.gunicorn, vec![root.join(GUNICORN)]);
    assert_eq!(project.nginx_files, vec![root.join(SITE)]);
    for rel in [SETTINGS, SITE, GUNICORN] {
        let all = analyze(&root, rel);
        assert!(stack(&all).is_empty(), "{rel}: {:#?}", stack(&all));
    }
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn stk001_location_without_the_trusted_header() {
    let files = with(
        SITE,
        "        proxy_set_header X-Forwarded-Proto $scheme;\n",
        "",
    );
    let (root, text, all) = run("stk001", &files, SITE);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK001").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(at(&text, found[0]), "location /");
    // NGX001 reports the same location otherwise: superseded
    assert!(!codes(&all).contains(&"NGX001"), "{all:#?}");
    assert_eq!(found[0].related[0].path, root.join(SETTINGS));
    let fixed = apply_edits(&text, &found[0].fix.as_ref().unwrap().edits);
    assert!(fixed.contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_set_header X-Forwarded-Proto $scheme;"), "{fixed}");
    // the header is set from the client's own value
    let files = with(
        SITE,
        "X-Forwarded-Proto $scheme",
        "X-Forwarded-Proto $http_x_forwarded_proto",
    );
    let (_, text, all) = run("stk001b", &files, SITE);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK001").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(at(&text, found[0]), "$http_x_forwarded_proto");
    // without SECURE_PROXY_SSL_HEADER there is nothing to trust: NGX001 is nginx's own rule
    let mut files = with(
        SITE,
        "        proxy_set_header X-Forwarded-Proto $scheme;\n",
        "",
    );
    let settings = files.iter_mut().find(|(r, _)| *r == SETTINGS).unwrap();
    settings.1 = settings.1.replace("SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")\nSECURE_SSL_REDIRECT = True\n", "");
    let (_, _, all) = run("stk001c", &files, SITE);
    assert!(
        !codes(&all).contains(&"STK001") && codes(&all).contains(&"NGX001"),
        "{all:#?}"
    );
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn stk001_an_unknown_setting_never_warns() {
    let files = with(
        SETTINGS,
        "SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")",
        "import os\nSECURE_PROXY_SSL_HEADER = os.environ[\"PROXY_HEADER\"]",
    );
    let files: Vec<(&str, String)> = files
        .into_iter()
        .map(|(r, t)| {
            if r == SITE {
                (
                    r,
                    t.replace("        proxy_set_header X-Forwarded-Proto $scheme;\n", ""),
                )
            } else {
                (r, t)
            }
        })
        .collect();
    let (_, _, all) = run("stk001-unknown", &files, SITE);
    assert!(!codes(&all).contains(&"STK001"), "{all:#?}");
}

#[test]
fn stk002_ssl_redirect_without_the_proxy_header() {
    let files = with(
        SETTINGS,
        "SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")\n",
        "",
    );
    let (root, text, all) = run("stk002", &files, SETTINGS);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK002").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(at(&text, found[0]), "SECURE_SSL_REDIRECT");
    assert!(
        found[0].related.iter().any(|r| r.path == root.join(SITE)),
        "{:#?}",
        found[0].related
    );
    let fix = found[0].fix.as_ref().unwrap();
    assert!(!fix.safe);
    let fixed = apply_edits(&text, &fix.edits);
    assert!(
        fixed.contains("SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")"),
        "{fixed}"
    );
    // without the redirect there is no loop
    let files = with(
        SETTINGS,
        "SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")\nSECURE_SSL_REDIRECT = True\n",
        "",
    );
    let (_, _, all) = run("stk002-none", &files, SETTINGS);
    assert!(!codes(&all).contains(&"STK002"), "{all:#?}");
    // without SecurityMiddleware nothing redirects
    let files = with(
        "settings/base.py",
        "    \"django.middleware.security.SecurityMiddleware\",\n",
        "",
    );
    let files: Vec<(&str, String)> = files
        .into_iter()
        .map(|(r, t)| match r {
            SETTINGS => (
                r,
                t.replace(
                    "SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")\n",
                    "",
                ),
            ),
            _ => (r, t),
        })
        .collect();
    let (_, _, all) = run("stk002-no-middleware", &files, SETTINGS);
    assert!(!codes(&all).contains(&"STK002"), "{all:#?}");
}

#[test]
fn stk005_static_root_is_not_what_nginx_serves() {
    let files = with(
        SITE,
        "alias /srv/app/staticfiles/;",
        "alias /srv/app/static/;",
    );
    let (_, text, all) = run("stk005", &files, SITE);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK005").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(at(&text, found[0]), "/srv/app/static/");
    // whitenoise: Django serves static files itself
    let mut files = files;
    let base = files
        .iter_mut()
        .find(|(r, _)| *r == "settings/base.py")
        .unwrap();
    base.1 = base.1.replace(
        "MIDDLEWARE = [\n",
        "MIDDLEWARE = [\n    \"whitenoise.middleware.WhiteNoiseMiddleware\",\n",
    );
    let (_, _, all) = run("stk005-whitenoise", &files, SITE);
    assert!(!codes(&all).contains(&"STK005"), "{all:#?}");
    // an absolute root outside the project is compared exactly, and fixed
    let files = with(
        "settings/base.py",
        "MEDIA_ROOT = BASE_DIR / \"media\"",
        "MEDIA_ROOT = \"/var/www/uploads\"",
    );
    let (_, text, all) = run("stk005-abs", &files, SITE);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK005").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(at(&text, found[0]), "/srv/app/media/");
    let fixed = apply_edits(&text, &found[0].fix.as_ref().unwrap().edits);
    assert!(fixed.contains("alias /var/www/uploads/;"), "{fixed}");
}

#[test]
fn stk006_the_folder_is_served_under_another_url() {
    let files = with(
        "settings/base.py",
        "STATIC_URL = \"/static/\"",
        "STATIC_URL = \"assets/\"",
    );
    let (_, text, all) = run("stk006", &files, SITE);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK006").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(at(&text, found[0]), "/static/");
    let fixed = apply_edits(&text, &found[0].fix.as_ref().unwrap().edits);
    assert!(fixed.contains("location /assets/ {"), "{fixed}");
    assert!(!codes(&all).contains(&"STK005"));
}

#[test]
fn stk007_names_on_one_side_only() {
    let files = with(
        SETTINGS,
        "[\"example.com\", \"www.example.com\"]",
        "[\"example.com\"]",
    );
    let (_, text, all) = run("stk007", &files, SETTINGS);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK007").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(at(&text, found[0]), "ALLOWED_HOSTS");
    assert!(found[0].message.contains("www.example.com"));
    let fixed = apply_edits(&text, &found[0].fix.as_ref().unwrap().edits);
    assert!(
        fixed.contains("ALLOWED_HOSTS = [\"example.com\", \"www.example.com\"]"),
        "{fixed}"
    );
    // the reverse: a public name Django accepts that no app server serves
    let files = with(
        SETTINGS,
        "[\"example.com\", \"www.example.com\"]",
        "[\"example.com\", \"www.example.com\", \"api.example.com\", \"localhost\"]",
    );
    let (_, text, all) = run("stk007-rev", &files, SITE);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK007").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(
        at(&text, found[0]),
        "server_name example.com www.example.com;"
    );
    assert!(
        found[0].message.contains("api.example.com") && !found[0].message.contains("localhost")
    );
    // Django's `.example.com` covers nginx's `*.example.com`
    let files = with(
        SETTINGS,
        "[\"example.com\", \"www.example.com\"]",
        "[\".example.com\"]",
    );
    let files: Vec<(&str, String)> = files
        .into_iter()
        .map(|(r, t)| {
            if r == SITE {
                (
                    r,
                    t.replace(
                        "server_name example.com www.example.com;",
                        "server_name example.com *.example.com;",
                    ),
                )
            } else {
                (r, t)
            }
        })
        .collect();
    let root = project("stk007-wild", &files);
    for rel in [SETTINGS, SITE] {
        assert!(!codes(&analyze(&root, rel)).contains(&"STK007"), "{rel}");
    }
}

#[test]
fn stk008_any_host_without_a_catch_all() {
    let files = with(
        SETTINGS,
        "[\"example.com\", \"www.example.com\"]",
        "[\"*\"]",
    );
    let files: Vec<(&str, String)> = files
        .into_iter()
        .map(|(r, t)| if r == SITE { (r, t.replace("server {\n    listen 80 default_server;\n    server_name _;\n    return 444;\n}\n\n", "")) } else { (r, t) })
        .collect();
    let (_, text, all) = run("stk008", &files, SETTINGS);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK008").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert!(
        !codes(&all).contains(&"DJ106"),
        "DJ106 is superseded: {all:#?}"
    );
    // the deployment checklist's ALLOWED_HOSTS item still fails, now through STK008
    let items = crate::checklist::report(&all, &|_| Some(text.clone()));
    let hosts = items.iter().find(|i| i.id == "allowed-hosts").unwrap();
    assert!(
        hosts.failures.iter().any(|f| f.code == "STK008"),
        "{:?}",
        hosts.failures
    );
    let fixed = apply_edits(&text, &found[0].fix.as_ref().unwrap().edits);
    assert!(
        fixed.contains("ALLOWED_HOSTS = [\"example.com\", \"www.example.com\"]"),
        "{fixed}"
    );
    // with the catch-all, DJ106 alone says that "*" is risky
    let files = with(
        SETTINGS,
        "[\"example.com\", \"www.example.com\"]",
        "[\"*\"]",
    );
    let (_, _, all) = run("stk008-guarded", &files, SETTINGS);
    assert!(
        !codes(&all).contains(&"STK008") && codes(&all).contains(&"DJ106"),
        "{all:#?}"
    );
}

#[test]
fn stk009_forwarded_host_from_the_client() {
    let files = with(
        SETTINGS,
        "DEBUG = False\n",
        "DEBUG = False\nUSE_X_FORWARDED_HOST = True\n",
    );
    let (_, text, all) = run("stk009", &files, SITE);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK009").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(at(&text, found[0]), "location /");
    let fixed = apply_edits(&text, &found[0].fix.as_ref().unwrap().edits);
    assert!(
        fixed.contains("proxy_set_header X-Forwarded-Host $host;"),
        "{fixed}"
    );
    // from $http_host: STK009 at the value, NGX013 silent
    let mut files = files;
    let site = files.iter_mut().find(|(r, _)| *r == SITE).unwrap();
    site.1 = site.1.replace(
        "proxy_set_header Host $host;",
        "proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-Host $http_host;",
    );
    let (_, text, all) = run("stk009b", &files, SITE);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK009").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(at(&text, found[0]), "$http_host");
    assert!(!codes(&all).contains(&"NGX013"), "{all:#?}");
    // USE_X_FORWARDED_HOST off: NGX013 is nginx's own finding
    let site = files.iter_mut().find(|(r, _)| *r == SETTINGS).unwrap();
    site.1 = site.1.replace("USE_X_FORWARDED_HOST = True\n", "");
    let (_, _, all) = run("stk009c", &files, SITE);
    assert!(
        !codes(&all).contains(&"STK009") && codes(&all).contains(&"NGX013"),
        "{all:#?}"
    );
}

#[test]
fn stk010_body_size_below_django() {
    let files = with(
        SITE,
        "client_max_body_size 10m;",
        "client_max_body_size 2m;",
    );
    let (_, text, all) = run("stk010", &files, SITE);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK010").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(at(&text, found[0]), "2m");
    let fixed = apply_edits(&text, &found[0].fix.as_ref().unwrap().edits);
    assert!(fixed.contains("client_max_body_size 3m;"), "{fixed}");
    // 0 is NGX023's alone
    let files = with(SITE, "client_max_body_size 10m;", "client_max_body_size 0;");
    let (_, _, all) = run("stk010-zero", &files, SITE);
    assert!(
        !codes(&all).contains(&"STK010") && codes(&all).contains(&"NGX023"),
        "{all:#?}"
    );
}

#[test]
fn stk013_two_hsts_headers() {
    let files = with(SITE, "max-age=31536000", "max-age=600");
    let (_, text, all) = run("stk013", &files, SITE);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK013").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(at(&text, found[0]), "\"max-age=600\"");
    let fixed = apply_edits(&text, &found[0].fix.as_ref().unwrap().edits);
    assert!(fixed.contains("\"max-age=31536000\""), "{fixed}");
}

#[test]
fn stack_rule_docs_match_the_registry() {
    crate::rules::assert_docs_current(RULES_FOR_DOCS.iter(), super::doc);
}

static RULES_FOR_DOCS: &[crate::rules::RuleMeta] = &super::RULES;

#[test]
fn codes_are_in_table_order_and_names_kebab_case() {
    for (i, rule) in super::RULES.iter().enumerate() {
        assert_eq!(rule.code, format!("STK{:03}", i + 1));
        assert!(
            rule.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        );
        assert!(!rule.summary.ends_with('.'));
    }
}

#[test]
fn stk003_nginx_proxies_where_gunicorn_does_not_bind() {
    let files = with(GUNICORN, "127.0.0.1:8000", "unix:/run/gunicorn.sock");
    let (root, text, all) = run("stk003", &files, SITE);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK003").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(at(&text, found[0]), "127.0.0.1:8000");
    assert_eq!(found[0].related[0].path, root.join(GUNICORN));
    let fixed = apply_edits(&text, &found[0].fix.as_ref().unwrap().edits);
    assert!(
        fixed.contains("server unix:/run/gunicorn.sock fail_timeout=0;"),
        "{fixed}"
    );
    // compose: gunicorn on 0.0.0.0 accepts nginx's `web:8000`
    let files = with(GUNICORN, "127.0.0.1:8000", "0.0.0.0:8000");
    let files: Vec<(&str, String)> = files
        .into_iter()
        .map(|(r, t)| {
            if r == SITE {
                (r, t.replace("server 127.0.0.1:8000", "server web:8000"))
            } else {
                (r, t)
            }
        })
        .collect();
    let root = project("stk003-compose", &files);
    assert!(!codes(&analyze(&root, SITE)).contains(&"STK003"));
    // ... and is not a public bind (nginx reaches it over the container network)
    assert!(!codes(&analyze(&root, GUNICORN)).contains(&"STK004"));
}

#[test]
fn stk003_a_bind_on_the_command_line_overrides_the_file() {
    let files = with(
        "Procfile",
        "gunicorn wsgi",
        "gunicorn --bind unix:/run/app.sock wsgi",
    );
    let (root, text, all) = run("stk003-cli", &files, SITE);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK003").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(at(&text, found[0]), "127.0.0.1:8000");
    assert_eq!(found[0].related[0].path, root.join("Procfile"));
    assert!(
        found[0].message.contains("unix:/run/app.sock"),
        "{}",
        found[0].message
    );
    // nginx proxying to the command line's socket is right, whatever the file says
    let files: Vec<(&str, String)> = files
        .into_iter()
        .map(|(r, t)| match r {
            SITE => (
                r,
                t.replace("server 127.0.0.1:8000", "server unix:/run/app.sock"),
            ),
            _ => (r, t),
        })
        .collect();
    let root = project("stk003-cli-ok", &files);
    assert!(!codes(&analyze(&root, SITE)).contains(&"STK003"));
}

#[test]
fn stk003_gunicorn_started_by_a_command_line_alone() {
    // no gunicorn config file: the Dockerfile's command line is the gunicorn layer
    let files = |cmd: &str| -> Vec<(&'static str, String)> {
        let mut files: Vec<(&'static str, String)> = base()
            .into_iter()
            .filter(|(r, _)| *r != GUNICORN && *r != "Procfile")
            .collect();
        files.push(("Dockerfile", format!("FROM python:3.13\nCMD {cmd}\n")));
        files
    };
    let root = project(
        "stk003-docker",
        &files(r#"["gunicorn", "--bind", "0.0.0.0:9000", "wsgi:application"]"#),
    );
    let found: Vec<Diagnostic> = analyze(&root, SITE)
        .into_iter()
        .filter(|d| d.code == "STK003")
        .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].related[0].path, root.join("Dockerfile"));
    assert!(
        found[0].message.contains("0.0.0.0:9000"),
        "{}",
        found[0].message
    );
    // the port nginx uses, on every interface: reached
    let root = project(
        "stk003-docker-ok",
        &files(r#"["gunicorn", "--bind", "0.0.0.0:8000", "wsgi:application"]"#),
    );
    assert!(!codes(&analyze(&root, SITE)).contains(&"STK003"));
}

#[test]
fn stk003_without_a_known_command_line_an_unset_bind_is_unknown() {
    // gunicorn's default bind is 127.0.0.1:8000, but a config without `bind` is usually
    // started with `-b` by a unit file or script that is not in the repository
    let files: Vec<(&str, String)> = with(GUNICORN, "bind = \"127.0.0.1:8000\"\n", "")
        .into_iter()
        .filter(|(r, _)| *r != "Procfile")
        .map(|(r, t)| match r {
            SITE => (
                r,
                t.replace("server 127.0.0.1:8000", "server unix:/run/app.sock"),
            ),
            _ => (r, t),
        })
        .collect();
    let root = project("stk003-unknown-launch", &files);
    assert!(!codes(&analyze(&root, SITE)).contains(&"STK003"));
    // with the command line known, gunicorn's default applies and disagrees with nginx
    let mut files = files;
    files.push(("Procfile", "web: gunicorn wsgi:application\n".to_owned()));
    let root = project("stk003-default-bind", &files);
    assert!(codes(&analyze(&root, SITE)).contains(&"STK003"));
}

#[test]
fn stk004_public_bind_behind_a_local_proxy() {
    let files = with(GUNICORN, "127.0.0.1:8000", "0.0.0.0:8000");
    let (root, text, all) = run("stk004", &files, GUNICORN);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK004").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(at(&text, found[0]), "\"0.0.0.0:8000\"");
    assert_eq!(found[0].related[0].path, root.join(SITE));
    let fix = found[0].fix.as_ref().unwrap();
    assert!(!fix.safe);
    assert!(apply_edits(&text, &fix.edits).contains("bind = \"127.0.0.1:8000\""));
    // the nginx side is consistent: gunicorn on 0.0.0.0 is reached on 127.0.0.1
    assert!(!codes(&analyze(&root, SITE)).contains(&"STK003"));
}

#[test]
fn stk011_timeouts_that_do_not_fit() {
    let files = with(GUNICORN, "timeout = 30", "timeout = 120");
    let (_, text, all) = run("stk011", &files, SITE);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK011").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(at(&text, found[0]), "location /");
    let fixed = apply_edits(&text, &found[0].fix.as_ref().unwrap().edits);
    assert!(fixed.contains("proxy_read_timeout 125s;"), "{fixed}");
    let files = with(
        SITE,
        "proxy_pass http://app;",
        "proxy_pass http://app;\n        proxy_read_timeout 300s;",
    );
    let (_, text, all) = run("stk011-long", &files, SITE);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK011").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(at(&text, found[0]), "300s");
}

#[test]
fn stk012_buffering_off_with_sync_workers() {
    let files = with(
        SITE,
        "proxy_pass http://app;",
        "proxy_pass http://app;\n        proxy_buffering off;",
    );
    let (root, text, all) = run("stk012", &files, SITE);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK012").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(at(&text, found[0]), "proxy_buffering off;");
    assert!(
        !codes(&all).contains(&"NGX014"),
        "NGX014 defers to STK012: {all:#?}"
    );
    assert_eq!(found[0].related[0].path, root.join(GUNICORN));
    // gthread workers cope: neither rule reports
    let mut files = files;
    let g = files.iter_mut().find(|(r, _)| *r == GUNICORN).unwrap();
    g.1.push_str("worker_class = \"gthread\"\nthreads = 4\n");
    let (_, _, all) = run("stk012-gthread", &files, SITE);
    assert!(
        !codes(&all).contains(&"STK012") && !codes(&all).contains(&"NGX014"),
        "{all:#?}"
    );
    // no gunicorn config, started by the Procfile: its command line says sync workers
    let files: Vec<(&str, String)> = files.into_iter().filter(|(r, _)| *r != GUNICORN).collect();
    let (root, _, all) = run("stk012-procfile", &files, SITE);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK012").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(found[0].related[0].path, root.join("Procfile"));
    assert!(!codes(&all).contains(&"NGX014"), "{all:#?}");
    // nothing says how gunicorn runs: NGX014 assumes sync workers
    let files: Vec<(&str, String)> = files
        .into_iter()
        .filter(|(r, _)| *r != "Procfile")
        .collect();
    let (_, _, all) = run("stk012-none", &files, SITE);
    assert!(
        codes(&all).contains(&"NGX014") && !codes(&all).contains(&"STK012"),
        "{all:#?}"
    );
}

#[test]
fn stk014_forwarded_allow_all_on_a_public_bind() {
    let files = with(
        GUNICORN,
        "bind = \"127.0.0.1:8000\"\n",
        "bind = \"0.0.0.0:8000\"\nforwarded_allow_ips = \"*\"\n",
    );
    let (_, text, all) = run("stk014", &files, GUNICORN);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK014").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(at(&text, found[0]), "forwarded_allow_ips");
    assert!(
        apply_edits(&text, &found[0].fix.as_ref().unwrap().edits)
            .contains("forwarded_allow_ips = \"127.0.0.1,::1\"")
    );
    // on loopback, "*" is GUN001's (the other helper's rule), not this one
    let files = with(
        GUNICORN,
        "bind = \"127.0.0.1:8000\"\n",
        "bind = \"127.0.0.1:8000\"\nforwarded_allow_ips = \"*\"\n",
    );
    let (_, _, all) = run("stk014-local", &files, GUNICORN);
    assert!(!codes(&all).contains(&"STK014"), "{all:#?}");
}

#[test]
fn stack_findings_obey_suppressions_and_the_configuration() {
    // `# preflight: ignore[STK001]` on the line above the location
    let files = with(
        SITE,
        "        proxy_set_header X-Forwarded-Proto $scheme;\n",
        "",
    );
    let files: Vec<(&str, String)> = files
        .into_iter()
        .map(|(r, t)| {
            if r == SITE {
                (
                    r,
                    t.replace(
                        "    location / {",
                        "    # preflight: ignore[STK001]\n    location / {",
                    ),
                )
            } else {
                (r, t)
            }
        })
        .collect();
    let (_, _, all) = run("stk-suppressed", &files, SITE);
    assert!(!codes(&all).contains(&"STK001"), "{all:#?}");
    assert!(
        !codes(&all).contains(&"NGX900"),
        "the suppression is used: {all:#?}"
    );
    // `ignore = ["STK002"]` in preflight.toml
    let mut files = with(
        SETTINGS,
        "SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")\n",
        "",
    );
    files.push(("preflight.toml", "ignore = [\"STK002\"]\n".to_owned()));
    let (_, _, all) = run("stk-ignored", &files, SETTINGS);
    assert!(!codes(&all).contains(&"STK002"), "{all:#?}");
}

#[test]
fn a_split_production_module_reports_at_the_import() {
    // SECURE_SSL_REDIRECT set in base.py and star-imported: STK002 at the import, related base.py
    let mut files = with(
        SETTINGS,
        "SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")\nSECURE_SSL_REDIRECT = True\n",
        "",
    );
    let base = files
        .iter_mut()
        .find(|(r, _)| *r == "settings/base.py")
        .unwrap();
    base.1.push_str("SECURE_SSL_REDIRECT = True\n");
    let (root, text, all) = run("stk-split", &files, SETTINGS);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK002").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(at(&text, found[0]), ".base");
    assert!(
        found[0]
            .related
            .iter()
            .any(|r| r.path == root.join("settings/base.py"))
    );
}

#[test]
fn a_huge_deployment_is_checked_without_stalling() {
    // 3,000 app servers with 4 locations each: lookups per server or location must not be
    // quadratic (upstreams, default servers and inherited headers are looked up once)
    let mut site = String::from("upstream app {\n    server 127.0.0.1:8000;\n}\n");
    for i in 0..3_000 {
        site.push_str(&format!(
            "server {{\n    listen 80;\n    server_name s{i}.example.com;\n    location /static/ {{ alias /srv/app/staticfiles/; }}\n    location /media/ {{ alias /srv/app/media/; }}\n    location /api/ {{ proxy_pass http://app; }}\n    location / {{ proxy_set_header X-Forwarded-Proto $scheme; proxy_pass http://app; }}\n}}\n"
        ));
    }
    let mut files = base();
    files.iter_mut().find(|(r, _)| *r == SITE).unwrap().1 = site;
    let settings = files.iter_mut().find(|(r, _)| *r == SETTINGS).unwrap();
    settings.1 = settings
        .1
        .replace("[\"example.com\", \"www.example.com\"]", "[\"*\"]");
    let root = project("huge", &files);
    let started = std::time::Instant::now();
    let nginx = analyze(&root, SITE);
    let settings = analyze(&root, SETTINGS);
    // /api/ lacks the header in every server; "*" with the first app server as default
    assert_eq!(nginx.iter().filter(|d| d.code == "STK001").count(), 3_000);
    assert!(codes(&settings).contains(&"STK008"));
    eprintln!("huge deployment checked in {:?}", started.elapsed());
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn a_location_proxying_to_another_local_service_is_not_the_app() {
    // Grafana on :3000 next to the app: gunicorn binds :8000, so only `location /` is Django's
    let files = with(
        SITE,
        "    location / {\n",
        "    location /grafana/ {\n        proxy_pass http://127.0.0.1:3000;\n    }\n\n    location / {\n",
    );
    let files: Vec<(&str, String)> = files
        .into_iter()
        .map(|(r, t)| {
            if r == SETTINGS {
                (
                    r,
                    t.replace(
                        "DEBUG = False\n",
                        "DEBUG = False\nUSE_X_FORWARDED_HOST = True\n",
                    ),
                )
            } else {
                (r, t)
            }
        })
        .collect();
    let (_, text, all) = run("other-service", &files, SITE);
    let stk009: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK009").collect();
    assert_eq!(stk009.len(), 1, "{all:#?}");
    assert_eq!(at(&text, stk009[0]), "location /");
    assert!(
        !all.iter()
            .any(|d| d.code.starts_with("STK") && at(&text, d) == "location /grafana/"),
        "{all:#?}"
    );
    // and STK003 stays silent: one app target reaches gunicorn
    assert!(!codes(&all).contains(&"STK003"), "{all:#?}");
}

#[test]
fn the_configuration_names_the_layers() {
    // an nginx template and a gunicorn config under names Preflight would not guess, and the
    // production module named in the configuration
    let mut files: Vec<(&str, String)> = base()
        .into_iter()
        .map(|(r, t)| match r {
            SITE => (
                "ops/site.tmpl",
                t.replace("server 127.0.0.1:8000", "server 127.0.0.1:9000"),
            ),
            GUNICORN => ("ops/serve.py", t),
            // the deployment files would name production otherwise
            "manage.py" => (r, String::new()),
            _ => (r, t),
        })
        .collect();
    files.push((
        "preflight.toml",
        "production = [\"settings.production\"]\nnginx = [\"ops/*.tmpl\"]\ngunicorn = [\"ops/serve.py\"]\n"
            .to_owned(),
    ));
    let root = project("configured", &files);
    let project = Project::load(&root, &DiskLoader);
    assert_eq!(project.production, vec![root.join(SETTINGS)]);
    assert_eq!(project.nginx_files, vec![root.join("ops/site.tmpl")]);
    assert_eq!(project.gunicorn, vec![root.join("ops/serve.py")]);
    let all = analyze(&root, "ops/site.tmpl");
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK003").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(found[0].related[0].path, root.join("ops/serve.py"));
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn stk001_follows_the_header_the_settings_name() {
    // Django trusts `X-Forwarded-Ssl: on`; nginx sets only X-Forwarded-Proto
    let files = with(
        SETTINGS,
        "(\"HTTP_X_FORWARDED_PROTO\", \"https\")",
        "(\"HTTP_X_FORWARDED_SSL\", \"on\")",
    );
    let (_, text, all) = run("stk001-ssl", &files, SITE);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "STK001").collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert!(
        found[0].message.contains("X-Forwarded-Ssl"),
        "{}",
        found[0].message
    );
    let fixed = apply_edits(&text, &found[0].fix.as_ref().unwrap().edits);
    assert!(
        fixed.contains("proxy_set_header X-Forwarded-Ssl $https;"),
        "{fixed}"
    );
    // NGX001 has nothing to say: X-Forwarded-Proto is set
    assert!(!codes(&all).contains(&"NGX001"));
}

/// Counts the reads of each path, to see what an analysis parses.
#[derive(Default)]
struct CountingLoader(std::sync::Mutex<std::collections::HashMap<PathBuf, usize>>);

impl crate::source::SourceLoader for CountingLoader {
    fn read(&self, path: &Path) -> Option<Arc<str>> {
        *self
            .0
            .lock()
            .unwrap()
            .entry(path.to_path_buf())
            .or_default() += 1;
        DiskLoader.read(path)
    }
}

#[test]
fn a_shared_deployment_reuses_the_analysed_module_and_its_imports() {
    let root = project("shared-deployment", &base());
    let loader = CountingLoader::default();
    let project = Arc::new(Project::load(&root, &loader));
    let mut options = Options::for_project(project);
    options.deployment = Some(Arc::new(crate::stack::SharedDeployment::default()));
    loader.0.lock().unwrap().clear();
    let path = root.join(SETTINGS);
    let text = std::fs::read_to_string(&path).unwrap();
    let tree = python_tree(&text);
    let mut cache = ModuleCache::default();
    let (_, diagnostics) = analyze_python(&path, &text, &tree, &loader, &mut cache, &options);
    let reads = loader.0.lock().unwrap().clone();
    std::fs::remove_dir_all(&root).unwrap();
    assert!(stack(&diagnostics).is_empty(), "{diagnostics:#?}");
    // the analysed module came as text and the deployment takes its model: it is never read
    // (a deployment built on its own reads and evaluates it again, and base.py with it)
    assert_eq!(reads.get(&path), None, "{reads:#?}");
}
