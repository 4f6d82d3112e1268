use std::collections::HashMap;
use std::path::PathBuf;

use preflight_core::analysis::Options;
use preflight_core::python::ModuleCache;
use preflight_core::text::{Encoding, LineCol};
use preflight_lsp::analysis::analyze;
use preflight_lsp::document::{Change, Document, Language};
use preflight_lsp::loader::OverlayLoader;

pub const LINES: usize = 3_000;

/// A large but ordinary settings module: the usual settings, then many app settings, dicts
/// and lists, with some non-ASCII text, totalling `LINES` lines.
pub fn settings_module() -> String {
    let mut text = String::from(
        "import os\n\
from pathlib import Path\n\
\n\
BASE_DIR = Path(__file__).resolve().parent.parent\n\
SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', 'django-insecure-change-me')\n\
DEBUG = True\n\
ALLOWED_HOSTS = ['example.com']\n\
INSTALLED_APPS = [\n\
    'django.contrib.admin',\n\
    'django.contrib.auth',\n\
    'django.contrib.contenttypes',\n\
    'django.contrib.sessions',\n\
]\n\
MIDDLEWARE = [\n\
    'django.middleware.security.SecurityMiddleware',\n\
    'django.contrib.sessions.middleware.SessionMiddleware',\n\
    'django.middleware.common.CommonMiddleware',\n\
    'django.middleware.csrf.CsrfViewMiddleware',\n\
]\n\
DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}\n",
    );
    let mut i = 0;
    while text.lines().count() < LINES - 4 {
        text.push_str(&format!(
            "# réglage {i} ✓\nAPP_SETTING_{i} = {{\n    'enabled': {},\n    'name': 'app-{i}',\n    'hosts': ['a{i}.example.com', 'b{i}.example.com'],\n}}\n",
            if i % 2 == 0 { "True" } else { "False" }
        ));
        i += 1;
    }
    while text.lines().count() < LINES {
        text.push_str("X = 1\n");
    }
    text
}

/// A 3,000-line nginx main config, as scripts/bench-nginx.sh generates it: one http block, an
/// upstream, and Django sites (TLS servers with static, media, admin and app locations).
pub fn nginx_config() -> String {
    let mut out: Vec<String> = [
        "worker_processes auto;",
        "",
        "events {",
        "    worker_connections 1024;",
        "}",
        "",
        "http {",
        "    server_tokens off;",
        "    client_max_body_size 20m;",
        "",
        "    upstream django {",
        "        server unix:/run/gunicorn.sock fail_timeout=0;",
        "    }",
        "",
        "    server {",
        "        listen 80 default_server;",
        "        server_name _;",
        "        return 444;",
        "    }",
        "",
    ]
    .map(String::from)
    .to_vec();
    let mut site = 0;
    while out.len() < 2990 {
        site += 1;
        let name = format!("site{site}.example.com");
        out.extend([
            "    server {".to_owned(),
            "        listen 443 ssl;".to_owned(),
            format!("        server_name {name} www.{name};"),
            format!("        ssl_certificate /etc/letsencrypt/live/{name}/fullchain.pem;"),
            format!("        ssl_certificate_key /etc/letsencrypt/live/{name}/privkey.pem;"),
            "        ssl_protocols TLSv1.2 TLSv1.3;".to_owned(),
            "        add_header Strict-Transport-Security \"max-age=63072000; includeSubDomains\" always;".to_owned(),
            String::new(),
            "        location /static/ {".to_owned(),
            format!("            alias /srv/site{site}/staticfiles/;"),
            "            expires 30d;".to_owned(),
            "        }".to_owned(),
            String::new(),
            "        location /media {".to_owned(),
            format!("            alias /srv/site{site}/media/;"),
            "        }".to_owned(),
            String::new(),
            "        location ~* \\.(php|asp)$ {".to_owned(),
            "            return 404;".to_owned(),
            "        }".to_owned(),
            String::new(),
            "        location /admin/ {".to_owned(),
            "            allow 10.0.0.0/8;".to_owned(),
            "            proxy_pass http://django;".to_owned(),
            "            proxy_set_header Host $http_host;".to_owned(),
            "        }".to_owned(),
            String::new(),
            "        location / {".to_owned(),
            "            proxy_pass http://django;".to_owned(),
            "            proxy_set_header Host $host;".to_owned(),
            "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;".to_owned(),
            "            proxy_set_header X-Forwarded-Proto $scheme;".to_owned(),
            "        }".to_owned(),
            "    }".to_owned(),
            String::new(),
        ]);
    }
    out.push("}".to_owned());
    out.join("\n") + "\n"
}

/// One document open in the server and one small edit applied back and forth: each `step`
/// rewrites one character (rope edit, `Tree::edit`, incremental re-parse), analyses the
/// snapshot (every rule, suppressions) and converts the diagnostics to LSP positions, which is
/// what one keystroke costs the server.
pub struct EditLoop {
    path: PathBuf,
    doc: Document,
    loader: OverlayLoader,
    cache: ModuleCache,
    options: Options,
    at: LineCol,
    chars: [String; 2],
    version: i32,
}

impl EditLoop {
    /// `text` open as `path`; the edit rewrites the first character of `needle` (on the first
    /// line at or after the middle that contains it, an ASCII line) to `replacement` and back.
    pub fn new(
        language: Language,
        path: &str,
        text: &str,
        needle: &str,
        replacement: &str,
    ) -> Self {
        let lines = text.lines().count();
        let (line, l) = text
            .lines()
            .enumerate()
            .skip(lines / 2)
            .find(|(_, l)| l.contains(needle))
            .expect("the needle is in the second half");
        assert!(
            l.is_ascii(),
            "columns are UTF-16 units: the edited line is ASCII"
        );
        let col = l.find(needle).unwrap() as u32;
        EditLoop {
            path: PathBuf::from(path),
            doc: Document::new(language, 0, text),
            loader: OverlayLoader::new(HashMap::new()),
            cache: ModuleCache::for_editing(),
            options: Options::default(),
            at: LineCol {
                line: line as u32,
                col,
            },
            chars: [replacement.to_owned(), needle[..1].to_owned()],
            version: 0,
        }
    }

    /// The edit (alternately to the replacement and back), then the analysis; returns the
    /// number of LSP diagnostics.
    pub fn step(&mut self) -> usize {
        self.apply_edit();
        // as the server does: the analysis parses the snapshot, the document keeps that parse
        let mut snapshot = self.doc.snapshot();
        let diagnostics = analyze(
            &self.path,
            &mut snapshot,
            &self.loader,
            &mut self.cache,
            &self.options,
            Encoding::Utf16,
        )
        .lsp
        .len();
        self.doc.adopt(&snapshot);
        diagnostics
    }

    /// The edit and the incremental re-parse alone (the server's share, without the analysis).
    #[allow(dead_code)] // edit_percentiles' only
    pub fn edit(&mut self) {
        self.apply_edit();
        self.doc.parse_now();
    }

    fn apply_edit(&mut self) {
        self.version += 1;
        let ch = self.chars[(self.version % 2 == 0) as usize].clone();
        let end = LineCol {
            line: self.at.line,
            col: self.at.col + 1,
        };
        self.doc.apply_changes(
            self.version,
            [Change {
                range: Some((self.at, end)),
                text: ch,
            }],
            Encoding::Utf16,
        );
    }
}

/// The 3,000-line settings module, edited in the middle (`'enabled': True` -> `Xrue` and back).
pub fn settings_edit() -> EditLoop {
    EditLoop::new(
        Language::Python,
        "/nonexistent-preflight-bench/mysite/settings.py",
        &settings_module(),
        "True",
        "X",
    )
}

/// The ~3,000-line nginx config, edited in the middle (`expires 30d` -> `expires 40d` and back).
pub fn nginx_edit() -> EditLoop {
    EditLoop::new(
        Language::Nginx,
        "/nonexistent-preflight-bench/etc/nginx/nginx.conf",
        &nginx_config(),
        "30d",
        "4",
    )
}
