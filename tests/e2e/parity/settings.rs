//! Builds settings modules as Python source: a secure baseline plus edits.

/// Middleware paths, as Django spells them.
pub const SECURITY: &str = "django.middleware.security.SecurityMiddleware";
pub const SESSION: &str = "django.contrib.sessions.middleware.SessionMiddleware";
pub const COMMON: &str = "django.middleware.common.CommonMiddleware";
pub const CSRF: &str = "django.middleware.csrf.CsrfViewMiddleware";
pub const AUTH: &str = "django.contrib.auth.middleware.AuthenticationMiddleware";
pub const MESSAGES: &str = "django.contrib.messages.middleware.MessageMiddleware";
pub const XFRAME: &str = "django.middleware.clickjacking.XFrameOptionsMiddleware";
pub const CSP_MW: &str = "django.middleware.csp.ContentSecurityPolicyMiddleware";
pub const SESSIONS_APP: &str = "django.contrib.sessions";

/// A strong secret key: 60 characters, many unique, no `django-insecure-` prefix.
pub const STRONG_KEY: &str = "p9Vt4kQ2zL7mX1cR8wN3bJ6hY0sD5fG2aK9eU4iO7rT1yW3qZ8xC6vB0nM5l";

/// The middleware of a startproject project.
pub const BASELINE_MIDDLEWARE: &[&str] = &[SECURITY, SESSION, COMMON, CSRF, AUTH, MESSAGES, XFRAME];

/// Python source for a list (or tuple) of string literals.
pub fn str_seq(items: &[&str], tuple: bool) -> String {
    let inner: Vec<String> = items.iter().map(|s| py_str(s)).collect();
    match (tuple, inner.len()) {
        (true, 1) => format!("({},)", inner[0]),
        (true, _) => format!("({})", inner.join(", ")),
        (false, _) => format!("[{}]", inner.join(", ")),
    }
}

/// A Python string literal.
pub fn py_str(s: &str) -> String {
    format!("{s:?}")
}

/// The baseline middleware without some entries.
pub fn middleware_without(removed: &[&str]) -> Vec<&'static str> {
    BASELINE_MIDDLEWARE
        .iter()
        .copied()
        .filter(|m| !removed.contains(m))
        .collect()
}

/// A settings module: imports, then `NAME = expr` lines in order, then free code.
#[derive(Debug, Clone)]
pub struct Settings {
    prelude: Vec<String>,
    items: Vec<(String, String)>,
    epilogue: Vec<String>,
}

impl Settings {
    pub fn empty() -> Self {
        Self {
            prelude: Vec::new(),
            items: Vec::new(),
            epilogue: Vec::new(),
        }
    }

    /// Passes `check --deploy` with no finding on every supported Django version.
    pub fn baseline() -> Self {
        Self::empty()
            .import("import os")
            .import("from pathlib import Path")
            .set("BASE_DIR", "Path(__file__).resolve().parent.parent")
            .set("SECRET_KEY", &py_str(STRONG_KEY))
            .set("DEBUG", "False")
            .set("ALLOWED_HOSTS", r#"["www.example.com"]"#)
            .set(
                "INSTALLED_APPS",
                &str_seq(
                    &[
                        "django.contrib.auth",
                        "django.contrib.contenttypes",
                        SESSIONS_APP,
                        "django.contrib.staticfiles",
                    ],
                    false,
                ),
            )
            .set("MIDDLEWARE", &str_seq(BASELINE_MIDDLEWARE, false))
            .set(
                "TEMPLATES",
                r#"[
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ],
        },
    },
]"#,
            )
            .set(
                "DATABASES",
                r#"{"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}"#,
            )
            .set("STATIC_URL", r#""static/""#)
            .set("STATIC_ROOT", r#"BASE_DIR / "staticfiles""#)
            .set("MEDIA_URL", r#""media/""#)
            .set("MEDIA_ROOT", r#"BASE_DIR / "media""#)
            .set("SECURE_HSTS_SECONDS", "31536000")
            .set("SECURE_HSTS_INCLUDE_SUBDOMAINS", "True")
            .set("SECURE_HSTS_PRELOAD", "True")
            .set("SECURE_SSL_REDIRECT", "True")
            .set("SESSION_COOKIE_SECURE", "True")
            .set("CSRF_COOKIE_SECURE", "True")
            .set("X_FRAME_OPTIONS", r#""DENY""#)
            .set("DEFAULT_AUTO_FIELD", r#""django.db.models.BigAutoField""#)
    }

    /// Adds an import line (once).
    pub fn import(mut self, line: &str) -> Self {
        if !self.prelude.iter().any(|l| l == line) {
            self.prelude.push(line.to_string());
        }
        self
    }

    /// Sets `name = expr`, in place when the name is already assigned.
    pub fn set(mut self, name: &str, expr: &str) -> Self {
        match self.items.iter_mut().find(|(n, _)| n == name) {
            Some(item) => item.1 = expr.to_string(),
            None => self.items.push((name.to_string(), expr.to_string())),
        }
        self
    }

    /// Defines a helper name before every setting (after `BASE_DIR`), where later settings can
    /// use it.
    pub fn define(mut self, name: &str, expr: &str) -> Self {
        self.items.retain(|(n, _)| n != name);
        let at = self
            .items
            .iter()
            .position(|(n, _)| n == "BASE_DIR")
            .map_or(0, |i| i + 1);
        self.items.insert(at, (name.to_string(), expr.to_string()));
        self
    }

    pub fn remove(mut self, name: &str) -> Self {
        self.items.retain(|(n, _)| n != name);
        self
    }

    /// Appends free code after the assignments.
    pub fn then(mut self, code: &str) -> Self {
        self.epilogue.push(code.to_string());
        self
    }

    pub fn middleware(self, items: &[&str]) -> Self {
        self.set("MIDDLEWARE", &str_seq(items, false))
    }

    pub fn render(&self) -> String {
        let mut out = String::from("# generated by tests/e2e/django_parity.rs\n");
        for line in &self.prelude {
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
        for (name, expr) in &self.items {
            out.push_str(&format!("{name} = {expr}\n"));
        }
        for code in &self.epilogue {
            out.push('\n');
            out.push_str(code.trim_end());
            out.push('\n');
        }
        out
    }
}
