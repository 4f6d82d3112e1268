//! The model of one gunicorn config file: for each setting the binding the file makes (value and
//! site) or the table's default, the module-level names gunicorn ignores, the hooks, and the
//! parsed `bind` addresses. Rules and the stack ask this model; they never walk a syntax tree.

use std::path::Path;
use std::sync::Arc;

use super::bind::{Bind, BindAddress, parse_bind};
use super::command_line::Invocation;
use super::settings::{self, Setting};
use crate::project::Project;
use crate::python::{Binding, Function, LiteralKind, ModuleModel, NumKind, Tri, Value};

/// A hook the config file defines: a module-level `def` named like a hook setting.
#[derive(Debug, Clone, Copy)]
pub struct Hook<'a> {
    pub setting: &'static Setting,
    pub function: &'a Function,
}

/// Settings whose default is not assumed when how gunicorn is started is not known: a config
/// without `bind` is usually started with `-b` by a unit file or script kept elsewhere, and
/// nginx proxying to that address is no mismatch. (Other defaults still apply: they only decide
/// which of two codes reports the same thing, e.g. NGX014 or STK012 for sync workers.)
const LAUNCH_SETTINGS: &[&str] = &["bind"];

/// A gunicorn config file as gunicorn would load it.
#[derive(Debug, Clone)]
pub struct GunicornConfig {
    module: Arc<ModuleModel>,
    /// The command lines that start gunicorn with this file: their flags win over it.
    invocations: Vec<Invocation>,
    /// Whether how gunicorn is started is known (a command line in the project, or the file
    /// alone as `gunicorn -c FILE app` runs it).
    launch_known: bool,
    binds: Option<Vec<BindAddress>>,
}

impl GunicornConfig {
    /// The file as `gunicorn -c FILE app` loads it (nothing on the command line).
    pub fn new(module: Arc<ModuleModel>) -> Self {
        Self::started_by(module, Vec::new(), true)
    }

    /// A config of `project`: started by the project's command lines that load it; when none
    /// is found, how gunicorn is started is not known and the default `bind` is not assumed.
    pub fn in_project(module: Arc<ModuleModel>, project: &Project) -> Self {
        let invocations: Vec<Invocation> = project
            .gunicorn_invocations_of(&module.path)
            .into_iter()
            .cloned()
            .collect();
        let known = !invocations.is_empty();
        Self::started_by(module, invocations, known)
    }

    /// gunicorn started by a command line that loads no config file: its flags and
    /// gunicorn's defaults (the module is empty, at the path of the file the command is in).
    pub fn command_line_only(invocation: Invocation) -> Self {
        let module = Arc::new(ModuleModel::empty(&invocation.source));
        Self::started_by(module, vec![invocation], true)
    }

    fn started_by(
        module: Arc<ModuleModel>,
        invocations: Vec<Invocation>,
        launch_known: bool,
    ) -> Self {
        let mut config = Self {
            module,
            invocations,
            launch_known,
            binds: None,
        };
        config.binds = config.parse_binds();
        config
    }

    /// The same launch with another version of the file.
    pub fn with_module(&self, module: Arc<ModuleModel>) -> Self {
        Self::started_by(module, self.invocations.clone(), self.launch_known)
    }

    /// The value the command lines give a setting (one of several when they disagree), and the
    /// deployment file of the first that gives it.
    pub fn command_line(&self, name: &str) -> Option<(Value, &Path)> {
        let mut values: Vec<Value> = Vec::new();
        let mut source = None;
        for invocation in &self.invocations {
            if let Some(v) = invocation.value(name) {
                source.get_or_insert(invocation.source.as_path());
                if !values.contains(&v) {
                    values.push(v);
                }
            }
        }
        let value = match values.len() {
            0 => return None,
            1 => values.remove(0),
            _ => Value::OneOf(values),
        };
        Some((value, source?))
    }

    /// The evaluated module.
    pub fn module(&self) -> &ModuleModel {
        &self.module
    }

    /// The binding the file makes for a setting (`None` when unset or not a setting).
    pub fn setting(&self, name: &str) -> Option<&Binding> {
        settings::setting(name)?;
        self.module.get(name)
    }

    /// The value gunicorn uses for a setting: the file's, else the table's default
    /// (`Value::Unknown` for a computed default); `None` when `name` is not a setting. Hooks
    /// are not values: see [`GunicornConfig::hooks`].
    pub fn value(&self, name: &str) -> Option<Value> {
        let setting = settings::setting(name)?;
        if let Some((value, _)) = self.command_line(name) {
            return Some(value);
        }
        Some(match self.module.get(name) {
            Some(b) => b.value.clone(),
            None if !self.launch_known && LAUNCH_SETTINGS.contains(&name) => Value::Unknown,
            None => setting.default.value().unwrap_or(Value::Unknown),
        })
    }

    /// Whether the file sets `name` (to anything).
    pub fn is_set(&self, name: &str) -> bool {
        self.setting(name).is_some()
    }

    /// Every setting the file assigns, with its binding, in gunicorn's table order.
    pub fn set_settings(&self) -> impl Iterator<Item = (&'static Setting, &Binding)> + '_ {
        settings::SETTINGS
            .iter()
            .filter_map(|s| self.module.get(s.name).map(|b| (s, b)))
    }

    /// Module-level names gunicorn ignores: not a setting, not bound by an import, not a
    /// dunder. Helper functions are included (a rule decides what to say about them).
    pub fn unknown_names(&self) -> impl Iterator<Item = (&str, &Binding)> + '_ {
        self.module.bindings.iter().filter_map(|(name, b)| {
            let skip = settings::setting(name).is_some()
                || self.module.imported_names.contains(name)
                || (name.starts_with("__") && name.ends_with("__"));
            (!skip).then_some((name.as_str(), b))
        })
    }

    /// The hooks the file defines with a plain `def` (their arity is known).
    pub fn hooks(&self) -> impl Iterator<Item = Hook<'_>> + '_ {
        settings::SETTINGS.iter().filter_map(|s| {
            if !s.is_hook() {
                return None;
            }
            let function = self.module.function(s.name)?;
            Some(Hook {
                setting: s,
                function,
            })
        })
    }

    /// The addresses gunicorn binds (its default `127.0.0.1:8000` when unset); `None` when
    /// the value is not known statically. Addresses gunicorn would refuse are left out.
    pub fn binds(&self) -> Option<&[BindAddress]> {
        self.binds.as_deref()
    }

    /// Whether gunicorn listens on a TCP address other machines can reach (a wildcard or a
    /// non-loopback host): `Unknown` when the bind is not known. The one definition behind
    /// GUN001 and the stack's public-bind checks.
    pub fn binds_publicly(&self) -> Tri {
        match self.binds() {
            Some(binds) => Tri::from_bool(binds.iter().any(|b| b.bind.is_public_tcp())),
            None => Tri::Unknown,
        }
    }

    /// Whether an address list setting (`forwarded_allow_ips`, `proxy_allow_ips`,
    /// `uwsgi_allow_ips`) lets any peer in: its value (the file's, an environment read's
    /// default, or gunicorn's default) lists `*`. The one definition behind GUN001, GUN012 and
    /// the stack's STK014.
    pub fn allows_any_peer(&self, name: &str) -> Tri {
        match self.value(name) {
            Some(v) => v.map_tri(|v| match v {
                Value::Str(s) => Tri::from_bool(s.split(',').any(|e| e.trim() == "*")),
                _ => Tri::No,
            }),
            None => Tri::No,
        }
    }

    /// The worker class as gunicorn resolves it: `sync` with `threads > 1` runs `gthread`.
    /// `None` when not known (a class object, an unknown value).
    pub fn worker_class(&self) -> Option<String> {
        let class = match self.value("worker_class")? {
            Value::Str(s) => s.trim().to_string(),
            _ => return None,
        };
        let is_sync = class == "sync" || class.ends_with("SyncWorker");
        if is_sync {
            // an unknown thread count leaves the class unknown
            return match self.int("threads")? {
                t if t > 1 => Some("gthread".into()),
                _ => Some(class),
            };
        }
        Some(class)
    }

    /// The worker timeout in seconds (`0` disables it); `None` when not known.
    pub fn timeout(&self) -> Option<i64> {
        self.int("timeout")
    }

    /// A `validate_pos_int` setting's value when it is known: an int, a bool, or a str that
    /// `int(val, 0)` reads.
    pub fn int(&self, name: &str) -> Option<i64> {
        pos_int(&self.value(name)?)
    }

    /// Whether a setting's value is a number of known type int but unknown magnitude
    /// (`multiprocessing.cpu_count() * 2 + 1`).
    pub fn is_symbolic_int(&self, name: &str) -> bool {
        matches!(self.value(name), Some(Value::Symbolic(s)) if s.kind == NumKind::Int)
    }

    fn parse_binds(&self) -> Option<Vec<BindAddress>> {
        let from_command_line = self.command_line("bind").map(|(v, _)| v);
        let binding = match from_command_line {
            Some(_) => None,
            None => self.module.get("bind"),
        };
        let value = match (from_command_line, binding) {
            (Some(v), _) => v,
            (None, Some(b)) => b.value.clone(),
            (None, None) if !self.launch_known => return None,
            (None, None) => {
                return Some(vec![BindAddress {
                    bind: Bind::Tcp {
                        host: "127.0.0.1".into(),
                        port: 8000,
                    },
                    text: "127.0.0.1:8000".into(),
                    range: None,
                }]);
            }
        };
        // `validate_list_string`: a falsy value is [], a str is [str]
        let items: Vec<Value> = match &value {
            Value::Str(s) if s.is_empty() => Vec::new(),
            Value::Str(_) => vec![value.clone()],
            Value::None | Value::Bool(false) => Vec::new(),
            Value::List(items) | Value::Tuple(items) | Value::Set(items) => items.clone(),
            _ => return None,
        };
        let literal = binding.and_then(|b| b.literal.as_ref());
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Value::Str(text) = item else {
                return None;
            };
            let text = text.trim();
            let range = literal.and_then(|l| match l.kind {
                LiteralKind::Str => Some(l.range),
                LiteralKind::List | LiteralKind::Tuple => l.elements.get(i).copied(),
                _ => None,
            });
            if let Some(bind) = parse_bind(text) {
                out.push(BindAddress {
                    bind,
                    text: text.to_string(),
                    range,
                });
            }
        }
        Some(out)
    }
}

/// `validate_pos_int` on a known value: the int gunicorn would use, `None` when the value is
/// not known or gunicorn would reject it.
pub fn pos_int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) if *i >= 0 => Some(*i),
        Value::Bool(b) => Some(i64::from(*b)),
        Value::Str(s) => python_int_base0(s).filter(|i| *i >= 0),
        _ => None,
    }
}

/// `int(s, 0)`: a Python integer literal with an optional sign and surrounding whitespace
/// (`0x1F`, `0o17`, `0b1`, `1_000`; no leading zeros on a decimal other than `0`).
pub fn python_int_base0(s: &str) -> Option<i64> {
    let t = s.trim();
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.strip_prefix('_').unwrap_or(d))
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.strip_prefix('_').unwrap_or(d))
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.strip_prefix('_').unwrap_or(d))
    } else {
        if lower.len() > 1
            && lower.starts_with('0')
            && lower.bytes().any(|c| c != b'0' && c != b'_')
        {
            return None;
        }
        (10, lower.as_str())
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    if !clean.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let v = i64::from_str_radix(&clean, radix).ok()?;
    Some(if neg { -v } else { v })
}

#[cfg(test)]
pub(crate) mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::python::{ModuleCache, analyze_module};
    use crate::source::MemoryLoader;
    use crate::syntax::python_tree;

    pub(crate) fn config(text: &str) -> GunicornConfig {
        let tree = python_tree(text);
        let module = analyze_module(
            Path::new("/p/gunicorn.conf.py"),
            text,
            &tree,
            &MemoryLoader::default(),
            &mut ModuleCache::default(),
        );
        GunicornConfig::new(Arc::new(module))
    }

    fn hosts(c: &GunicornConfig) -> Vec<(Bind, Option<&str>)> {
        c.binds()
            .unwrap()
            .iter()
            .map(|b| (b.bind.clone(), b.range.map(|_| b.text.as_str())))
            .collect()
    }

    #[test]
    fn values_are_the_files_or_the_defaults() {
        let c = config(
            "import multiprocessing\nworkers = multiprocessing.cpu_count() * 2 + 1\ntimeout = '0x10'\nloglevel = 'debug'\nworker = 4\n",
        );
        assert!(c.is_symbolic_int("workers"));
        assert_eq!(c.int("workers"), None);
        assert_eq!(c.timeout(), Some(16));
        assert_eq!(c.value("loglevel"), Some(Value::str("debug")));
        assert_eq!(c.value("keepalive"), Some(Value::Int(2)));
        assert_eq!(c.value("user"), Some(Value::Unknown), "computed default");
        assert_eq!(c.value("worker"), None, "not a setting");
        assert!(c.setting("worker").is_none());
        assert!(c.setting("loglevel").is_some());
        let unknown: Vec<&str> = c.unknown_names().map(|(n, _)| n).collect();
        assert_eq!(unknown, ["worker"]);
        let set: Vec<&str> = c.set_settings().map(|(s, _)| s.name).collect();
        assert_eq!(set, ["workers", "timeout", "loglevel"]);
    }

    #[test]
    fn binds_handle_lists_strings_defaults_and_unknowns() {
        let tcp = |h: &str, p| Bind::Tcp {
            host: h.into(),
            port: p,
        };
        assert_eq!(hosts(&config("")), [(tcp("127.0.0.1", 8000), None)]);
        assert_eq!(
            hosts(&config("bind = '0.0.0.0:80'")),
            [(tcp("0.0.0.0", 80), Some("0.0.0.0:80"))]
        );
        assert_eq!(
            hosts(&config("bind = ['unix:/run/g.sock', ' [::]:8000 ']")),
            [
                (Bind::Unix("/run/g.sock".into()), Some("unix:/run/g.sock")),
                (tcp("::", 8000), Some("[::]:8000"))
            ]
        );
        assert_eq!(hosts(&config("bind = []")), []);
        assert_eq!(
            hosts(&config(
                "import os\nbind = os.environ.get('BIND', '127.0.0.1:9000')"
            )),
            [(tcp("127.0.0.1", 9000), None)]
        );
        assert!(
            config("import os\nbind = os.environ['BIND']")
                .binds()
                .is_none()
        );
        assert_eq!(
            config("import os\nbind = os.environ['BIND']").binds_publicly(),
            Tri::Unknown
        );
        assert_eq!(
            config("bind = ['127.0.0.1:1', '0.0.0.0:2']").binds_publicly(),
            Tri::Yes
        );
        assert_eq!(config("bind = 'unix:/x'").binds_publicly(), Tri::No);
        assert_eq!(config("").binds_publicly(), Tri::No);
        assert_eq!(
            config("forwarded_allow_ips = '10.0.0.1, *'").allows_any_peer("forwarded_allow_ips"),
            Tri::Yes
        );
        assert_eq!(config("").allows_any_peer("forwarded_allow_ips"), Tri::No);
        assert_eq!(
            config("import os\nforwarded_allow_ips = os.environ['X']")
                .allows_any_peer("forwarded_allow_ips"),
            Tri::Unknown
        );
    }

    #[test]
    fn worker_class_resolves_threads_like_gunicorn() {
        assert_eq!(config("").worker_class().as_deref(), Some("sync"));
        assert_eq!(
            config("threads = 4").worker_class().as_deref(),
            Some("gthread")
        );
        assert_eq!(
            config("threads = 1").worker_class().as_deref(),
            Some("sync")
        );
        assert_eq!(
            config("worker_class = 'gevent'\nthreads = 4")
                .worker_class()
                .as_deref(),
            Some("gevent")
        );
        assert_eq!(
            config("worker_class = 'gunicorn.workers.sync.SyncWorker'\nthreads = '2'")
                .worker_class()
                .as_deref(),
            Some("gthread")
        );
        assert_eq!(
            config("import os\nthreads = os.cpu_count()").worker_class(),
            None
        );
        assert_eq!(
            config("import os\nworker_class = os.environ['K']").worker_class(),
            None
        );
    }

    #[test]
    fn hooks_are_plain_defs_of_hook_names() {
        let c = config(
            "def on_starting(server):\n    pass\ndef post_fork(server):\n    pass\ndef helper(x):\n    pass\n",
        );
        let hooks: Vec<(&str, usize)> = c
            .hooks()
            .map(|h| (h.setting.name, h.function.positional))
            .collect();
        assert_eq!(hooks, [("on_starting", 1), ("post_fork", 1)]);
    }

    #[test]
    fn pos_int_reads_like_int_val_0() {
        for (s, v) in [
            ("10", Some(10)),
            (" 0x1f ", Some(31)),
            ("0o17", Some(15)),
            ("0b11", Some(3)),
            ("1_000", Some(1000)),
            ("0", Some(0)),
            ("00", Some(0)),
        ] {
            assert_eq!(python_int_base0(s), v, "{s}");
        }
        for s in ["08", "1.5", "", "x", "1__0", "_1", "0x"] {
            assert_eq!(python_int_base0(s), None, "{s}");
        }
        assert_eq!(pos_int(&Value::Int(-1)), None);
        assert_eq!(pos_int(&Value::Bool(true)), Some(1));
        assert_eq!(pos_int(&Value::Float(2.0)), None);
    }
}
