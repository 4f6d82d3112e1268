//! Configuration: `[tool.preflight]` in pyproject.toml or a `preflight.toml`. One discovery
//! function serves the CLI and the language server, so the two never disagree.
//!
//! Precedence: the nearest folder (from the checked file upward) that has a `preflight.toml`, or
//! a `pyproject.toml` with a `[tool.preflight]` table, wins; in one folder `preflight.toml` beats
//! `pyproject.toml`. Settings are not merged across files (as in ruff).

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Severity;
use crate::django_version::DjangoVersion;
use crate::source::SourceLoader;
use crate::text::TextRange;

mod editor;
pub use editor::{ConfigurationPreference, EditorSettings};

pub const PREFLIGHT_TOML: &str = "preflight.toml";
pub const PYPROJECT_TOML: &str = "pyproject.toml";

/// How many folders above a file discovery looks at (never the whole file system).
const MAX_LEVELS: usize = 32;

/// A project helper that reads the environment like `os.environ.get`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvHelper {
    /// The function's name as called in settings, e.g. `get_env` or `env_bool`.
    pub name: String,
    /// The 0-based position of the default argument (also accepted as `default=`).
    pub default_arg: usize,
    /// What the helper returns when the variable is set: "str", "bool", "int", "list".
    pub cast: String,
}

#[derive(Debug, Clone)]
pub struct PerFileIgnore {
    pub pattern: String,
    matcher: GlobMatcher,
    pub codes: Vec<String>,
}

/// The effective configuration for a file.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it was read from (None: defaults).
    pub path: Option<PathBuf>,
    /// Codes or code prefixes to report (None: all).
    pub select: Option<Vec<String>>,
    /// Codes or code prefixes never to report.
    pub ignore: Vec<String>,
    /// Severity overrides per code.
    pub severity: BTreeMap<String, Severity>,
    pub per_file_ignores: Vec<PerFileIgnore>,
    /// Production settings modules: dotted module names or paths relative to the config file.
    pub production: Vec<String>,
    /// Development settings modules (quiet), in addition to the usual names.
    pub development: Vec<String>,
    pub django_version: Option<DjangoVersion>,
    pub env_helpers: Vec<EnvHelper>,
    /// Globs (relative to the configuration file) of files that are nginx configs whatever
    /// their name or content, e.g. `deploy/templates/*.tmpl`.
    pub nginx: Vec<GlobMatcher>,
    /// Globs (relative to the configuration file) of Python files that are gunicorn configs
    /// whatever their name or content, e.g. `deploy/gunicorn/*.py`.
    pub gunicorn: Vec<GlobMatcher>,
}

/// A problem in a configuration file, reported as a diagnostic in that file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub range: TextRange,
    /// `CFG000` does not parse, `CFG001` unknown key, `CFG002` invalid value.
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, Default)]
pub struct LoadedConfig {
    pub config: Config,
    pub problems: Vec<ConfigProblem>,
}

impl Config {
    /// The folder relative paths in the configuration are resolved from.
    pub fn base_dir(&self) -> Option<&Path> {
        self.path.as_deref().and_then(Path::parent)
    }

    /// Whether a rule is reported at all for `path`.
    pub fn enabled(&self, code: &str, path: &Path) -> bool {
        let selected = self
            .select
            .as_ref()
            .is_none_or(|s| s.iter().any(|p| matches_code(p, code)));
        selected
            && !self.ignore.iter().any(|p| matches_code(p, code))
            && !self.ignored_for_file(code, path)
    }

    /// Whether the configuration declares the file at `path` an nginx config (`nginx = [...]`).
    pub fn declares_nginx(&self, path: &Path) -> bool {
        let relative = self.relative(path);
        self.nginx
            .iter()
            .any(|m| m.is_match(relative) || m.is_match(path))
    }

    /// Whether the configuration declares the file at `path` a gunicorn config
    /// (`gunicorn = [...]`).
    pub fn declares_gunicorn(&self, path: &Path) -> bool {
        let relative = self.relative(path);
        self.gunicorn
            .iter()
            .any(|m| m.is_match(relative) || m.is_match(path))
    }

    /// `path` relative to the configuration file's folder (as globs are written).
    fn relative<'p>(&self, path: &'p Path) -> &'p Path {
        self.base_dir()
            .and_then(|b| path.strip_prefix(b).ok())
            .unwrap_or(path)
    }

    fn ignored_for_file(&self, code: &str, path: &Path) -> bool {
        let relative = self.relative(path);
        self.per_file_ignores.iter().any(|p| {
            (p.matcher.is_match(relative) || p.matcher.is_match(path))
                && p.codes.iter().any(|c| matches_code(c, code))
        })
    }

    /// The severity to report a rule at (`default` unless overridden).
    pub fn severity_of(&self, code: &str, default: Severity) -> Severity {
        self.severity.get(code).copied().unwrap_or(default)
    }
}

/// `DJ` selects every Django rule, `DJ0` the parity rules, `DJ004` one rule; `ALL` everything.
fn matches_code(pattern: &str, code: &str) -> bool {
    pattern.eq_ignore_ascii_case("ALL") || code.starts_with(&pattern.to_ascii_uppercase())
}

/// The configuration file that applies to `start` (a file or a folder), if any.
pub fn find_config_file(start: &Path, loader: &dyn SourceLoader) -> Option<PathBuf> {
    let mut dir = if loader.is_dir(start) {
        Some(start)
    } else {
        start.parent()
    };
    for _ in 0..MAX_LEVELS {
        let d = dir?;
        let own = d.join(PREFLIGHT_TOML);
        if loader.read(&own).is_some() {
            return Some(own);
        }
        let pyproject = d.join(PYPROJECT_TOML);
        if loader
            .read(&pyproject)
            .is_some_and(|t| has_preflight_table(&t))
        {
            return Some(pyproject);
        }
        dir = d.parent();
    }
    None
}

fn has_preflight_table(pyproject: &str) -> bool {
    #[derive(Deserialize)]
    struct Doc {
        tool: Option<BTreeMap<String, toml::Value>>,
    }
    toml::from_str::<Doc>(pyproject)
        .ok()
        .and_then(|d| d.tool)
        .is_some_and(|t| t.contains_key("preflight"))
}

/// The configuration for `start` (a file or folder): discovered, read and validated. A file that
/// cannot be read or does not parse yields the defaults plus a problem.
pub fn discover(start: &Path, loader: &dyn SourceLoader) -> LoadedConfig {
    match find_config_file(start, loader) {
        Some(path) => match loader.read(&path) {
            Some(text) => load(&path, &text),
            None => LoadedConfig::default(),
        },
        None => LoadedConfig::default(),
    }
}

type Table = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

/// Reads one configuration file (`preflight.toml`, or the `[tool.preflight]` table of a
/// pyproject.toml).
pub fn load(path: &Path, text: &Arc<str>) -> LoadedConfig {
    let mut out = LoadedConfig {
        config: Config {
            path: Some(path.to_path_buf()),
            ..Config::default()
        },
        problems: Vec::new(),
    };
    let table = if path.file_name().is_some_and(|n| n == PYPROJECT_TOML) {
        #[derive(Deserialize)]
        struct Tool {
            preflight: Option<Table>,
        }
        #[derive(Deserialize)]
        struct Doc {
            tool: Option<Tool>,
        }
        toml::from_str::<Doc>(text).map(|d| d.tool.and_then(|t| t.preflight).unwrap_or_default())
    } else {
        toml::from_str::<Table>(text)
    };
    let table = match table {
        Ok(t) => t,
        Err(e) => {
            let range = e
                .span()
                .map_or(TextRange::new(0, text.len().min(1)), to_range);
            out.problems.push(ConfigProblem {
                range,
                code: "CFG000",
                message: format!("This configuration file is not valid TOML: {}", e.message()),
            });
            return out;
        }
    };
    for (key, value) in &table {
        apply_key(&mut out, key, value);
    }
    out
}

fn to_range(r: Range<usize>) -> TextRange {
    TextRange::new(r.start, r.end.max(r.start))
}

fn problem(out: &mut LoadedConfig, span: Range<usize>, code: &'static str, message: String) {
    out.problems.push(ConfigProblem {
        range: to_range(span),
        code,
        message,
    });
}

const KNOWN_KEYS: &[&str] = &[
    "select",
    "ignore",
    "severity",
    "per-file-ignores",
    "production",
    "development",
    "django-version",
    "env-helpers",
    "nginx",
    "gunicorn",
];

fn apply_key(out: &mut LoadedConfig, key: &Spanned<String>, value: &Spanned<toml::Value>) {
    let span = value.span();
    match key.get_ref().as_str() {
        "select" => {
            if let Some(v) = string_list(out, value, "select") {
                out.config.select = Some(v);
            }
        }
        "ignore" => {
            if let Some(v) = string_list(out, value, "ignore") {
                out.config.ignore = v;
            }
        }
        "production" => {
            if let Some(v) = string_list(out, value, "production") {
                out.config.production = v;
            }
        }
        "development" => {
            if let Some(v) = string_list(out, value, "development") {
                out.config.development = v;
            }
        }
        "django-version" => match value.get_ref().as_str().and_then(DjangoVersion::parse) {
            Some(v) => out.config.django_version = Some(v),
            None => problem(
                out,
                span,
                "CFG002",
                "`django-version` must be a string such as \"5.2\"".into(),
            ),
        },
        "severity" => apply_severity(out, value),
        "per-file-ignores" => apply_per_file_ignores(out, value),
        "env-helpers" => apply_env_helpers(out, value),
        "nginx" => {
            let globs = glob_list(out, value, "nginx");
            out.config.nginx = globs;
        }
        "gunicorn" => {
            let globs = glob_list(out, value, "gunicorn");
            out.config.gunicorn = globs;
        }
        other => {
            let hint = did_you_mean(other, KNOWN_KEYS)
                .map(|k| format!(": did you mean `{k}`?"))
                .unwrap_or_else(|| format!(" (known keys: {})", KNOWN_KEYS.join(", ")));
            problem(
                out,
                key.span(),
                "CFG001",
                format!("Unknown Preflight setting `{other}`{hint}"),
            );
        }
    }
}

/// A list of glob patterns; each invalid one is a problem (the others still apply).
fn glob_list(out: &mut LoadedConfig, value: &Spanned<toml::Value>, key: &str) -> Vec<GlobMatcher> {
    let mut globs = Vec::new();
    for pattern in string_list(out, value, key).unwrap_or_default() {
        match Glob::new(&pattern) {
            Ok(glob) => globs.push(glob.compile_matcher()),
            Err(e) => problem(
                out,
                value.span(),
                "CFG002",
                format!("invalid glob `{pattern}`: {e}"),
            ),
        }
    }
    globs
}

fn string_list(
    out: &mut LoadedConfig,
    value: &Spanned<toml::Value>,
    key: &str,
) -> Option<Vec<String>> {
    let items = value.get_ref().as_array().and_then(|a| {
        a.iter()
            .map(|i| i.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
    });
    if items.is_none() {
        problem(
            out,
            value.span(),
            "CFG002",
            format!("`{key}` must be a list of strings"),
        );
    }
    items
}

fn apply_severity(out: &mut LoadedConfig, value: &Spanned<toml::Value>) {
    let Some(table) = value.get_ref().as_table() else {
        problem(
            out,
            value.span(),
            "CFG002",
            "`severity` must be a table of rule codes to \"error\", \"warning\", \"information\" or \"hint\"".into(),
        );
        return;
    };
    for (code, level) in table {
        match level.as_str().and_then(parse_severity) {
            Some(s) => {
                out.config.severity.insert(code.to_ascii_uppercase(), s);
            }
            None => problem(
                out,
                value.span(),
                "CFG002",
                format!(
                    "severity of `{code}` must be \"error\", \"warning\", \"information\" or \"hint\""
                ),
            ),
        }
    }
}

/// A severity as configuration files and editor settings write it.
pub fn parse_severity(text: &str) -> Option<Severity> {
    match text {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "information" | "info" => Some(Severity::Information),
        "hint" => Some(Severity::Hint),
        _ => None,
    }
}

fn apply_per_file_ignores(out: &mut LoadedConfig, value: &Spanned<toml::Value>) {
    let Some(table) = value.get_ref().as_table() else {
        problem(
            out,
            value.span(),
            "CFG002",
            "`per-file-ignores` must be a table of glob patterns to lists of codes".into(),
        );
        return;
    };
    for (pattern, codes) in table {
        let codes: Option<Vec<String>> = codes
            .as_array()
            .and_then(|a| a.iter().map(|c| c.as_str().map(str::to_string)).collect());
        match (Glob::new(pattern), codes) {
            (Ok(glob), Some(codes)) => out.config.per_file_ignores.push(PerFileIgnore {
                pattern: pattern.clone(),
                matcher: glob.compile_matcher(),
                codes,
            }),
            (Err(e), _) => problem(
                out,
                value.span(),
                "CFG002",
                format!("invalid glob `{pattern}`: {e}"),
            ),
            (_, None) => problem(
                out,
                value.span(),
                "CFG002",
                format!("the codes for `{pattern}` must be a list of strings"),
            ),
        }
    }
}

fn apply_env_helpers(out: &mut LoadedConfig, value: &Spanned<toml::Value>) {
    let Some(items) = value.get_ref().as_array() else {
        problem(
            out,
            value.span(),
            "CFG002",
            "`env-helpers` must be a list of tables such as { name = \"env_bool\", default-arg = 1, type = \"bool\" }".into(),
        );
        return;
    };
    for item in items {
        let helper = item.as_table().and_then(|t| {
            let name = t.get("name")?.as_str()?.to_string();
            let default_arg = match t.get("default-arg") {
                Some(v) => usize::try_from(v.as_integer()?).ok()?,
                None => 1,
            };
            let cast = match t.get("type") {
                Some(v) => v.as_str()?.to_string(),
                None => "str".to_string(),
            };
            matches!(cast.as_str(), "str" | "bool" | "int" | "float" | "list").then_some(
                EnvHelper {
                    name,
                    default_arg,
                    cast,
                },
            )
        });
        match helper {
            Some(h) => out.config.env_helpers.push(h),
            None => problem(
                out,
                value.span(),
                "CFG002",
                "each env helper needs `name` (string), optional `default-arg` (integer) and `type` (str, bool, int, float or list)".into(),
            ),
        }
    }
}

/// The closest candidate within an edit distance of 2 (or a third of the word).
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (word.len() / 3).clamp(1, 3);
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::MemoryLoader;

    fn files(list: &[(&str, &str)]) -> MemoryLoader {
        list.iter()
            .fold(MemoryLoader::default(), |files, (p, t)| files.with(*p, t))
    }

    #[test]
    fn nginx_globs_declare_files_relative_to_the_config() {
        let text: Arc<str> = Arc::from("nginx = [\"ops/*.tmpl\", \"[\"]\n");
        let loaded = load(Path::new("/p/preflight.toml"), &text);
        assert!(loaded.config.declares_nginx(Path::new("/p/ops/site.tmpl")));
        assert!(!loaded.config.declares_nginx(Path::new("/p/site.tmpl")));
        assert_eq!(loaded.problems.len(), 1);
        assert_eq!(loaded.problems[0].code, "CFG002");
        assert!(loaded.problems[0].message.contains("invalid glob `[`"));
    }

    #[test]
    fn gunicorn_globs_declare_files_relative_to_the_config() {
        let text: Arc<str> = Arc::from("gunicorn = [\"deploy/*.py\", \"[\"]\n");
        let loaded = load(Path::new("/p/preflight.toml"), &text);
        assert!(
            loaded
                .config
                .declares_gunicorn(Path::new("/p/deploy/web.py"))
        );
        assert!(!loaded.config.declares_gunicorn(Path::new("/p/web.py")));
        assert!(!loaded.config.declares_nginx(Path::new("/p/deploy/web.py")));
        assert_eq!(loaded.problems.len(), 1);
        assert_eq!(loaded.problems[0].code, "CFG002");
        assert!(loaded.problems[0].message.contains("invalid glob `[`"));
        let wrong = load(
            Path::new("/p/preflight.toml"),
            &Arc::from("gunicorn = \"x.py\"\n"),
        );
        assert_eq!(wrong.problems[0].code, "CFG002");
        assert!(
            wrong.problems[0]
                .message
                .contains("`gunicorn` must be a list of strings")
        );
    }

    #[test]
    fn nearest_file_wins_and_preflight_toml_beats_pyproject() {
        let f = files(&[
            (
                "/r/pyproject.toml",
                "[tool.preflight]\nignore = [\"DJ008\"]\n",
            ),
            ("/r/app/pyproject.toml", "[tool.black]\nline-length = 100\n"),
            ("/r/app/settings.py", ""),
            ("/r/other/preflight.toml", "ignore = [\"DJ001\"]\n"),
            (
                "/r/other/pyproject.toml",
                "[tool.preflight]\nignore = [\"DJ002\"]\n",
            ),
            ("/r/other/settings.py", ""),
        ]);
        let app = discover(Path::new("/r/app/settings.py"), &f);
        assert_eq!(
            app.config.path.as_deref(),
            Some(Path::new("/r/pyproject.toml")),
            "a pyproject without [tool.preflight] is passed over"
        );
        assert_eq!(app.config.ignore, vec!["DJ008"]);
        let other = discover(Path::new("/r/other/settings.py"), &f);
        assert_eq!(other.config.ignore, vec!["DJ001"]);
        assert!(
            discover(Path::new("/elsewhere/x.py"), &f)
                .config
                .path
                .is_none()
        );
    }

    #[test]
    fn reads_every_key() {
        let text: Arc<str> = Arc::from(
            "select = [\"DJ\"]\nignore = [\"DJ008\"]\ndjango-version = \"5.2\"\nproduction = [\"mysite.settings.prod\"]\n\
             [severity]\nDJ111 = \"warning\"\n[per-file-ignores]\n\"*/dev.py\" = [\"DJ018\"]\n\
             [[env-helpers]]\nname = \"env_bool\"\ntype = \"bool\"\n",
        );
        let loaded = load(Path::new("/r/preflight.toml"), &text);
        assert_eq!(loaded.problems, vec![]);
        let c = loaded.config;
        assert_eq!(c.django_version, Some(DjangoVersion::V5_2));
        assert_eq!(
            c.severity_of("DJ111", Severity::Information),
            Severity::Warning
        );
        assert!(c.enabled("DJ004", Path::new("/r/mysite/settings/prod.py")));
        assert!(!c.enabled("DJ008", Path::new("/r/mysite/settings/prod.py")));
        assert!(!c.enabled("DJ018", Path::new("/r/mysite/settings/dev.py")));
        assert!(c.enabled("DJ018", Path::new("/r/mysite/settings/prod.py")));
        assert!(
            !c.enabled("NGX001", Path::new("/r/x.conf")),
            "select limits to DJ"
        );
        assert_eq!(
            c.env_helpers[0],
            EnvHelper {
                name: "env_bool".into(),
                default_arg: 1,
                cast: "bool".into()
            }
        );
        assert_eq!(c.production, vec!["mysite.settings.prod"]);
    }

    #[test]
    fn unknown_keys_and_invalid_values_are_problems_at_their_place() {
        let text: Arc<str> =
            Arc::from("[tool.preflight]\nignroe = [\"DJ008\"]\ndjango-version = 5\n");
        let loaded = load(Path::new("/r/pyproject.toml"), &text);
        assert_eq!(loaded.problems.len(), 2);
        let unknown = &loaded.problems.iter().find(|p| p.code == "CFG001").unwrap();
        assert_eq!(&text[unknown.range.start..unknown.range.end], "ignroe");
        assert!(
            unknown.message.contains("did you mean `ignore`"),
            "{}",
            unknown.message
        );
        let invalid = loaded.problems.iter().find(|p| p.code == "CFG002").unwrap();
        assert_eq!(&text[invalid.range.start..invalid.range.end], "5");
        let broken = load(Path::new("/r/preflight.toml"), &Arc::from("ignore = [\n"));
        assert_eq!(broken.problems[0].code, "CFG000");
    }
}
