//! The deployment checklist (the user's own list, ../shared/checklist.md) and the report that
//! ticks it from the same findings the rules produce.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::project::ProductionSource;
use crate::text::LineIndex;

/// One item of the checklist.
#[derive(Debug, Clone, Copy)]
pub struct Item {
    pub id: &'static str,
    /// As the checklist names it, e.g. "`SECRET_KEY`".
    pub title: &'static str,
    pub text: &'static str,
    /// The settings it is about (for hover).
    pub settings: &'static [&'static str],
    /// Rule codes whose findings fail the item; empty for a manual item.
    pub codes: &'static [&'static str],
}

pub const SECTION: &str = "Django Checklist";

pub const ITEMS: &[Item] = &[
    Item {
        id: "secret-key",
        title: "`SECRET_KEY`",
        text: "Make sure that the key used in production isn't used anywhere else and avoid committing it to source control. This reduces the number of vectors from which an attacker may acquire the key.",
        settings: &["SECRET_KEY", "SECRET_KEY_FALLBACKS"],
        codes: &["DJ009", "DJ025", "DJ101", "DJ102", "DJ103"],
    },
    Item {
        id: "debug",
        title: "`DEBUG`",
        text: "You must never enable debug in production.",
        settings: &["DEBUG"],
        codes: &["DJ018", "DJ104", "DJ105", "DJ118"],
    },
    Item {
        id: "allowed-hosts",
        title: "`ALLOWED_HOSTS`",
        text: "When DEBUG = False, Django doesn't work at all without a suitable value for ALLOWED_HOSTS. You should also configure the Web server that sits in front of Django to validate the host. It should respond with a static error page or ignore requests for incorrect hosts instead of forwarding the request to Django.",
        settings: &["ALLOWED_HOSTS"],
        // STK007/STK008: the web server in front validates the host (or does not)
        codes: &["DJ020", "DJ106", "DJ128", "STK007", "STK008"],
    },
    Item {
        id: "caches",
        title: "`CACHES`",
        text: "If you're using a cache, connection parameters may be different in development and in production. Django defaults to per-process local-memory caching which may not be desirable. Cache servers often have weak authentication. Make sure they only accept connections from your application servers.",
        settings: &["CACHES"],
        codes: &["DJ032", "DJ033", "DJ034", "DJ107", "DJ108"],
    },
    Item {
        id: "databases",
        title: "`DATABASES`",
        text: "Database connection parameters are probably different in development and in production. Database passwords are very sensitive. You should protect them exactly like SECRET_KEY.",
        settings: &["DATABASES"],
        codes: &["DJ109", "DJ110"],
    },
    Item {
        id: "email",
        title: "`EMAIL_BACKEND`",
        text: "and related settings. If your site sends emails, these values need to be set correctly.",
        settings: &[
            "EMAIL_BACKEND",
            "MAILERS",
            "DEFAULT_FROM_EMAIL",
            "SERVER_EMAIL",
        ],
        codes: &["DJ030", "DJ031", "DJ112", "DJ113", "DJ127"],
    },
    Item {
        id: "static",
        title: "`STATIC_ROOT and STATIC_URL`",
        text: "Static files are automatically served by the development server. In production, you must define a STATIC_ROOT directory where collectstatic will copy them.",
        settings: &["STATIC_ROOT", "STATIC_URL"],
        codes: &["DJ114"],
    },
    Item {
        id: "media",
        title: "`MEDIA_ROOT and MEDIA_URL`",
        text: "Media files are uploaded by your users. They're untrusted! Make sure your web server never attempts to interpret them. For instance, if a user uploads a .php file, the web server shouldn't execute it.",
        settings: &["MEDIA_ROOT", "MEDIA_URL"],
        codes: &["DJ115"],
    },
    Item {
        id: "csrf-cookie-secure",
        title: "`CSRF_COOKIE_SECURE`",
        text: "Set this to True to avoid transmitting the CSRF cookie over HTTP accidentally.",
        settings: &["CSRF_COOKIE_SECURE"],
        codes: &["DJ016", "DJ125", "DJ123"],
    },
    Item {
        id: "session-cookie-secure",
        title: "`SESSION_COOKIE_SECURE`",
        text: "Set this to True to avoid transmitting the session cookie over HTTP accidentally.",
        settings: &[
            "SESSION_COOKIE_SECURE",
            "SESSION_COOKIE_HTTPONLY",
            "SESSION_COOKIE_SAMESITE",
        ],
        codes: &[
            "DJ010", "DJ011", "DJ012", "DJ013", "DJ014", "DJ015", "DJ124",
        ],
    },
    Item {
        id: "sessions",
        title: "Sessions",
        text: "Consider using cached sessions to improve performance. If using database-backed sessions, regularly clear old sessions to avoid storing unnecessary data.",
        settings: &["SESSION_ENGINE"],
        codes: &["DJ116"],
    },
    Item {
        id: "conn-max-age",
        title: "`CONN_MAX_AGE`",
        text: "This helps a lot on virtualized hosts with limited network performance.",
        settings: &["CONN_MAX_AGE"],
        codes: &["DJ111"],
    },
    Item {
        id: "templates",
        title: "`TEMPLATES`",
        text: "Enabling the cached template loader often improves performance drastically, as it avoids compiling each template every time it needs to be rendered.",
        settings: &["TEMPLATES"],
        codes: &["DJ117", "DJ118"],
    },
    Item {
        id: "logging",
        title: "`LOGGING`",
        text: "Review your logging configuration before putting your website in production, and check that it works as expected as soon as you have received some traffic.",
        settings: &["LOGGING"],
        codes: &["DJ119"],
    },
    Item {
        id: "admins",
        title: "`ADMINS`",
        text: "should/must be notified of 500 errors by email.",
        settings: &["ADMINS", "MANAGERS"],
        codes: &["DJ120"],
    },
    Item {
        id: "security-settings",
        title: "Security settings",
        text: "HTTPS redirects, HSTS, the security middleware, clickjacking and referrer protection: what `check --deploy` looks at, plus settings that are misspelled, removed from Django or commented out.",
        settings: &[
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SECURE_HSTS_PRELOAD",
            "SECURE_CONTENT_TYPE_NOSNIFF",
            "SECURE_REFERRER_POLICY",
            "SECURE_CROSS_ORIGIN_OPENER_POLICY",
            "X_FRAME_OPTIONS",
            "MIDDLEWARE",
            "SILENCED_SYSTEM_CHECKS",
            "SECURE_CSP",
            "SECURE_CSP_REPORT_ONLY",
        ],
        codes: &[
            "DJ001", "DJ002", "DJ003", "DJ004", "DJ005", "DJ006", "DJ008", "DJ019", "DJ021",
            "DJ022", "DJ023", "DJ024", "DJ026", "DJ027", "DJ121", "DJ122", "DJ126",
        ],
    },
    Item {
        id: "check-deploy",
        title: "Run `manage.py check --deploy`",
        text: "to check if there is something fishy. Preflight mirrors every check of check --deploy; run the real command once against production settings too.",
        settings: &[],
        codes: &[],
    },
    Item {
        id: "backups",
        title: "Backups",
        text: "Make sure you have your backups. It is your insurance.",
        settings: &[],
        codes: &[],
    },
];

/// The checklist item a setting belongs to.
pub fn item_for_setting(name: &str) -> Option<&'static Item> {
    ITEMS.iter().find(|i| i.settings.contains(&name))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Passed,
    Failed,
    Manual,
}

/// A finding that fails an item, located for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub path: PathBuf,
    /// 1-based.
    pub line: usize,
    pub code: String,
    pub message: String,
    /// Where the cause is when it lies in another file (a setting the production module
    /// star-imports from base.py is reported at the import).
    pub cause: Option<Location>,
}

/// A place in a file, for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub path: PathBuf,
    /// 1-based.
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemReport {
    pub id: &'static str,
    pub title: &'static str,
    pub text: &'static str,
    pub status: Status,
    pub failures: Vec<Failure>,
}

/// Ticks the checklist from the findings of a project's production settings. `text_of` gives a
/// file's text (to turn offsets into lines).
pub fn report(
    findings: &[Diagnostic],
    text_of: &dyn Fn(&Path) -> Option<String>,
) -> Vec<ItemReport> {
    ITEMS
        .iter()
        .map(|item| {
            let line_of = |path: &Path, offset| {
                text_of(path).map_or(1, |t| LineIndex::new(&t).line_of(offset) + 1)
            };
            let failures: Vec<Failure> = findings
                .iter()
                .filter(|d| item.codes.contains(&d.code))
                .map(|d| Failure {
                    path: d.path.clone(),
                    line: line_of(&d.path, d.range.start),
                    code: d.code.to_string(),
                    message: d.message.clone(),
                    cause: d
                        .related
                        .iter()
                        .find(|r| r.path != d.path)
                        .map(|r| Location {
                            path: r.path.clone(),
                            line: line_of(&r.path, r.range.start),
                        }),
                })
                .collect();
            let status = if item.codes.is_empty() {
                Status::Manual
            } else if failures.is_empty() {
                Status::Passed
            } else {
                Status::Failed
            };
            ItemReport {
                id: item.id,
                title: item.title,
                text: item.text,
                status,
                failures,
            }
        })
        .collect()
}

/// The report as Markdown, in the shape of the user's checklist: `- [x]` passed, `- [ ]` failed
/// (with file:line below) or manual.
pub fn to_markdown(items: &[ItemReport], relative_to: Option<&Path>) -> String {
    let mut out = format!("## {SECTION}\n\n");
    for item in items {
        let mark = if item.status == Status::Passed {
            "x"
        } else {
            " "
        };
        let note = match item.status {
            Status::Passed => "",
            Status::Failed => " **(failed)**",
            Status::Manual => " *(manual)*",
        };
        let _ = writeln!(out, "- [{mark}] {} -- {}{note}", item.title, item.text);
        for f in &item.failures {
            let cause = f.cause.as_ref().map_or(String::new(), |c| {
                let path = shown_path(&c.path, relative_to).display();
                format!(" (from `{path}:{}`)", c.line)
            });
            let _ = writeln!(
                out,
                "  - `{}:{}`{cause} {} {}",
                shown_path(&f.path, relative_to).display(),
                f.line,
                f.code,
                f.message
            );
        }
    }
    out
}

/// Which settings modules a report covers, for its heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub project: PathBuf,
    /// The production settings modules (empty: none is known).
    pub production: Vec<PathBuf>,
    /// Where they were learned from.
    pub source: Option<ProductionSource>,
    /// The modules whose findings tick the list: the production ones or, when none is known,
    /// every checked settings module.
    pub modules: Vec<PathBuf>,
}

/// The whole report as one Markdown document: the project, the modules it covers (saying so
/// when production is unknown), a count, then the checklist. The CLI prints it and the server
/// returns it, so the two read the same.
pub fn document(coverage: &Coverage, items: &[ItemReport], relative_to: Option<&Path>) -> String {
    let shown = |p: &Path| format!("`{}`", shown_path(p, relative_to).display());
    let list = |paths: &[PathBuf]| {
        paths
            .iter()
            .map(|p| shown(p))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = format!(
        "# Deployment checklist: `{}`\n\n",
        project_name(&coverage.project, relative_to).display()
    );
    if coverage.modules.is_empty() {
        out.push_str("No Django settings module was found in this project: nothing to tick.\n");
        return out;
    }
    if coverage.production.is_empty() {
        let _ = writeln!(
            out,
            "No production settings module is known, so this report covers every checked settings \
             module: {}. Name the production settings with `production = [...]` in \
             `[tool.preflight]` to check only those.",
            list(&coverage.modules)
        );
    } else {
        let from = match &coverage.source {
            Some(ProductionSource::Config(path)) => format!(" (configured in {})", shown(path)),
            Some(ProductionSource::Deployment(path)) => format!(" (named by {})", shown(path)),
            Some(ProductionSource::Name) => " (recognised by name)".to_owned(),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "Production settings: {}{from}.",
            list(&coverage.production)
        );
    }
    let count = |status| items.iter().filter(|i| i.status == status).count();
    let _ = writeln!(
        out,
        "\n{} failed, {} passed, {} to check by hand.\n",
        count(Status::Failed),
        count(Status::Passed),
        count(Status::Manual)
    );
    out + &to_markdown(items, relative_to)
}

/// The project as the heading names it: relative to `relative_to` when inside it, its folder's
/// name when it is that folder (the CLI run in the project, or the editor's project root),
/// else its full path.
fn project_name<'a>(project: &'a Path, relative_to: Option<&Path>) -> &'a Path {
    match relative_to.and_then(|r| project.strip_prefix(r).ok()) {
        Some(inside) if inside.as_os_str().is_empty() => {
            project.file_name().map_or(project, Path::new)
        }
        Some(inside) => inside,
        None => project,
    }
}

fn shown_path<'a>(path: &'a Path, relative_to: Option<&Path>) -> &'a Path {
    relative_to
        .and_then(|r| path.strip_prefix(r).ok())
        .unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::text::TextRange;

    #[test]
    fn ticks_fails_and_leaves_manual_items() {
        let finding = Diagnostic {
            path: "/p/settings.py".into(),
            range: TextRange::new(6, 10),
            severity: Severity::Warning,
            code: "DJ018",
            message: "DEBUG is on".into(),
            references: Default::default(),
            related: Vec::new(),
            fix: None,
            alternatives: Vec::new(),
        };
        let report = report(&[finding], &|_| Some("A = 1\nDEBUG = True\n".into()));
        let debug = report.iter().find(|i| i.id == "debug").unwrap();
        assert_eq!(debug.status, Status::Failed);
        assert_eq!(debug.failures[0].line, 2);
        assert_eq!(
            report.iter().find(|i| i.id == "secret-key").unwrap().status,
            Status::Passed
        );
        assert_eq!(
            report.iter().find(|i| i.id == "backups").unwrap().status,
            Status::Manual
        );
        let md = to_markdown(&report, Some(Path::new("/p")));
        assert!(
            md.contains("- [ ] `DEBUG` -- You must never enable debug in production. **(failed)**")
        );
        assert!(md.contains("  - `settings.py:2` DJ018 DEBUG is on"));
        assert!(md.contains("- [x] `SECRET_KEY`"));
    }

    #[test]
    fn the_document_says_what_it_covers() {
        let items = report(&[], &|_| None);
        let production = Coverage {
            project: "/work/p".into(),
            production: vec!["/work/p/site/prod.py".into()],
            source: Some(ProductionSource::Deployment("/work/p/site/wsgi.py".into())),
            modules: vec!["/work/p/site/prod.py".into()],
        };
        let md = document(&production, &items, Some(Path::new("/work/p")));
        assert!(md.starts_with("# Deployment checklist: `p`\n\n"), "{md}");
        // the project named from above it, or from elsewhere
        let from_above = document(&production, &items, Some(Path::new("/work")));
        assert!(from_above.starts_with("# Deployment checklist: `p`\n\n"));
        let from_elsewhere = document(&production, &items, Some(Path::new("/srv")));
        assert!(from_elsewhere.starts_with("# Deployment checklist: `/work/p`\n\n"));
        assert!(md.contains("Production settings: `site/prod.py` (named by `site/wsgi.py`)."));
        let manual = ITEMS.iter().filter(|i| i.codes.is_empty()).count();
        let counts = format!(
            "0 failed, {} passed, {manual} to check by hand.",
            ITEMS.len() - manual
        );
        assert!(md.contains(&counts), "{md}");
        assert!(md.ends_with(&to_markdown(&items, Some(Path::new("/p")))));

        let unknown = Coverage {
            production: Vec::new(),
            source: None,
            modules: vec!["/p/a.py".into(), "/p/b.py".into()],
            ..production.clone()
        };
        let md = document(&unknown, &items, Some(Path::new("/p")));
        assert!(md.contains("No production settings module is known, so this report covers every checked settings module: `a.py`, `b.py`."), "{md}");

        let none = Coverage {
            modules: Vec::new(),
            ..unknown
        };
        let md = document(&none, &items, None);
        assert!(md.contains("No Django settings module was found") && !md.contains("- [x]"));
    }
}
