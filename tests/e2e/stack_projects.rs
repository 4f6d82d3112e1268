//! The stack fixture projects: `tests/fixtures/stack/consistent`, a deployment with no finding
//! at warning or above, and one project per STK rule made from it with one mistake. The broken
//! projects are written to temporary folders, so the fixtures hold one copy of the deployment.
//! Needs `mod fs_support;` next to it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use crate::fs_support;

pub const NGINX_SITE: &str = "deploy/nginx/mysite.conf";
pub const GUNICORN: &str = "gunicorn.conf.py";
pub const PRODUCTION: &str = "mysite/settings/production.py";
pub const BASE: &str = "mysite/settings/base.py";
/// Stands for the consistent site's catch-all default server (its second paragraph).
const CATCH_ALL: &str = "<the catch-all server>";

/// Edits of the consistent project: (file, old, new).
type Edits = &'static [(&'static str, &'static str, &'static str)];

/// Each broken project: its name and its edits of the consistent one.
pub const BROKEN: &[(&str, Edits)] = &[
    (
        "stk001",
        &[(
            NGINX_SITE,
            "        proxy_set_header X-Forwarded-Proto $scheme;\n",
            "",
        )],
    ),
    (
        "stk002",
        &[(
            PRODUCTION,
            "SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")\n",
            "",
        )],
    ),
    (
        "stk003",
        &[(
            GUNICORN,
            "bind = \"unix:/run/gunicorn/mysite.sock\"",
            "bind = \"unix:/tmp/gunicorn.sock\"",
        )],
    ),
    (
        "stk004",
        &[
            (
                GUNICORN,
                "bind = \"unix:/run/gunicorn/mysite.sock\"",
                "bind = \"0.0.0.0:8000\"",
            ),
            (
                NGINX_SITE,
                "server unix:/run/gunicorn/mysite.sock",
                "server 127.0.0.1:8000",
            ),
        ],
    ),
    (
        "stk005",
        &[(
            NGINX_SITE,
            "alias /srv/mysite/staticfiles/;",
            "alias /srv/mysite/static/;",
        )],
    ),
    (
        "stk005-absolute",
        &[(
            BASE,
            "MEDIA_ROOT = BASE_DIR / \"media\"",
            "MEDIA_ROOT = \"/var/www/mysite/media\"",
        )],
    ),
    (
        "stk006",
        &[(
            BASE,
            "STATIC_URL = \"/static/\"",
            "STATIC_URL = \"/assets/\"",
        )],
    ),
    (
        "stk007",
        &[(
            PRODUCTION,
            "ALLOWED_HOSTS = [\"example.com\", \"www.example.com\"]",
            "ALLOWED_HOSTS = [\"example.com\"]",
        )],
    ),
    (
        "stk007-nginx",
        &[(
            PRODUCTION,
            "ALLOWED_HOSTS = [\"example.com\", \"www.example.com\"]",
            "ALLOWED_HOSTS = [\"example.com\", \"www.example.com\", \"api.example.com\"]",
        )],
    ),
    (
        "stk008",
        &[
            (
                PRODUCTION,
                "ALLOWED_HOSTS = [\"example.com\", \"www.example.com\"]",
                "ALLOWED_HOSTS = [\"*\"]",
            ),
            (NGINX_SITE, CATCH_ALL, ""),
        ],
    ),
    (
        "stk009",
        &[(
            PRODUCTION,
            "DEBUG = False\n",
            "DEBUG = False\nUSE_X_FORWARDED_HOST = True\n",
        )],
    ),
    (
        "stk010",
        &[(
            NGINX_SITE,
            "client_max_body_size 10m;",
            "client_max_body_size 2m;",
        )],
    ),
    ("stk011", &[(GUNICORN, "timeout = 30", "timeout = 120")]),
    (
        "stk012",
        &[(
            NGINX_SITE,
            "        proxy_redirect off;\n",
            "        proxy_redirect off;\n        proxy_buffering off;\n",
        )],
    ),
    (
        "stk013",
        &[(
            NGINX_SITE,
            "    add_header Strict-Transport-Security \"max-age=31536000;",
            "    add_header Strict-Transport-Security \"max-age=600;",
        )],
    ),
    (
        "stk014",
        &[
            (
                GUNICORN,
                "bind = \"unix:/run/gunicorn/mysite.sock\"",
                "bind = \"0.0.0.0:8000\"\nforwarded_allow_ips = \"*\"",
            ),
            (
                NGINX_SITE,
                "server unix:/run/gunicorn/mysite.sock",
                "server 127.0.0.1:8000",
            ),
        ],
    ),
];

/// The consistent deployment (never modified in place).
pub fn consistent() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/stack/consistent")
        .canonicalize()
        .unwrap()
}

/// The broken project `name`, written to a temporary folder.
pub fn broken(name: &str) -> tempfile::TempDir {
    let (_, edits) = BROKEN
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no broken project {name}"));
    let dir = tempfile::tempdir().unwrap();
    fs_support::copy_tree(&consistent(), dir.path());
    for (rel, old, new) in edits.iter() {
        let path = dir.path().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let old = if *old == CATCH_ALL {
            format!("{}\n\n", text.split("\n\n").nth(1).unwrap())
        } else {
            old.to_string()
        };
        assert!(text.contains(&old), "{name}: {old:?} is not in {rel}");
        std::fs::write(&path, text.replacen(&old, new, 1)).unwrap();
    }
    dir
}
