//! gunicorn rules (`GUN###`): small functions over the config model ([`GunicornConfig`]) that
//! report through [`Ctx`]. The codes follow the checks of gunicorn.md (G1 -> GUN001, ...).
//!
//! Not here: G2 `public-bind` needs the nginx side and is reported by the stack family (STK004),
//! so GUN002 is not assigned; `forwarded_allow_ips = "*"` while gunicorn binds publicly is the
//! stack's STK014 (GUN001 covers the other binds). Both use [`GunicornConfig::binds_publicly`].

mod fixes;
mod names;

#[cfg(test)]
mod tests;

use std::path::Path;

use crate::diagnostic::{Diagnostic, Edit, Fix, Related, Severity};
use crate::gunicorn::bind::Bind;
use crate::gunicorn::settings::{self, Setting};
use crate::gunicorn::validate::{self, Rejection, Verdict};
use crate::gunicorn::{GunicornConfig, validate::check_hook};
use crate::python::{Binding, LiteralKind, Tri, Value};
use crate::rules::RuleMeta;
use crate::text::TextRange;
use Severity::{Error, Hint, Information, Warning};

pub static RULES: [RuleMeta; 20] = [
    RuleMeta {
        code: "GUN000",
        name: "gunicorn-syntax-error",
        severity: Error,
        summary: "The gunicorn config file does not parse",
        django: None,
        gixy: None,
        docs: "gunicorn executes its config file as Python: a syntax error stops it with \"Failed to \
               read config file\" before it serves anything. Nothing else in the file can be checked \
               until it parses; the diagnostic sits on the first error.",
    },
    RuleMeta {
        code: "GUN001",
        name: "forwarded-allow-all",
        severity: Warning,
        summary: "`forwarded_allow_ips = \"*\"` trusts forwarded headers from any peer",
        django: None,
        gixy: None,
        docs: "gunicorn believes `X-Forwarded-Proto` (the `secure_scheme_headers`) and the \
               `forwarder_headers` only from the addresses in `forwarded_allow_ips`. With `*` any \
               peer can claim the request came over HTTPS or from another client, and Django (with \
               `SECURE_PROXY_SSL_HEADER`) believes it. This rule reports `*` (also as the default of an \
               environment read) when gunicorn is not bound publicly: on loopback any local process \
               can spoof the scheme, and with only unix sockets the setting does nothing today (their \
               peers are always trusted) but becomes a hole when a TCP bind is added. When gunicorn \
               binds a public address the stack family reports it as an error (STK014).\n\n\
               **Fix:** list the proxy's address: `forwarded_allow_ips = \"127.0.0.1,::1\"` (the \
               quick-fix; not applied by `--fix`, since it changes which peers are trusted).",
    },
    RuleMeta {
        code: "GUN003",
        name: "unknown-setting",
        severity: Warning,
        summary: "A module-level name is not a gunicorn setting, so gunicorn ignores it",
        django: None,
        gixy: None,
        docs: "gunicorn reads every module-level name of its config file and silently skips those that \
               are not settings: `proxy_allow_from = \"*\"` (the flag is `--proxy-allow-from`, the \
               setting `proxy_allow_ips`), `preload = True` (`preload_app`), `WORKERS = 4` (names are \
               lower-case), `worker = 4`, `max_request_size = ...` (no such setting) all do nothing. \
               Preflight suggests the setting from gunicorn's own table: the config-file name of a \
               command-line flag, the lower-case name, or the closest name; a `def` close to a hook \
               name is a misspelt hook. Imports, private names (`_x`) and names not close to any \
               setting (your own constants and helpers) are left alone.\n\n**Fix:** rename to the \
               suggested setting (the quick-fix does when the name is used nowhere else in the file; \
               not applied by `--fix`, since the setting then takes effect).",
    },
    RuleMeta {
        code: "GUN004",
        name: "invalid-type",
        severity: Error,
        summary: "A value gunicorn's validator rejects: gunicorn will not start",
        django: None,
        gixy: None,
        docs: "gunicorn validates each setting when it loads the config file and exits on the first bad \
               one (\"Invalid value for workers: ...\"). The classic is `workers = \
               multiprocessing.cpu_count() / 2`: `/` makes a float and `validate_pos_int` refuses it. \
               Preflight evaluates the file statically (`cpu_count()` is an int of unknown size) and \
               applies the validator of gunicorn 27.0.1: ints (`int(value, 0)` for strings, not \
               negative), bools (`True`/`False` or the strings \"true\"/\"false\", not `1`), strings \
               (not a `Path`), lists of strings, dicts, choices (`header_map`, `proxy_protocol`, \
               `reload_engine`, ...), IP address lists (`forwarded_allow_ips`, `proxy_allow_ips`), and \
               the number of positional parameters of each hook.\n\n**Fix:** use `//` or wrap in \
               `int(...)`; `str(...)` around a `Path`; `True`/`False` for `1`/`0` (quick-fixes, not \
               applied by `--fix`).",
    },
    RuleMeta {
        code: "GUN005",
        name: "reload-in-prod",
        severity: Warning,
        summary: "`reload = True` restarts workers when code changes: development only",
        django: None,
        gixy: None,
        docs: "`reload` watches the source files and restarts workers on every change. In production it \
               costs CPU (polling), restarts workers mid-deploy, and is incompatible with \
               `preload_app`. Keep it for development (`gunicorn --reload` on the command line).\n\n\
               **Fix:** remove `reload` (the quick-fix; not applied by `--fix`).",
    },
    RuleMeta {
        code: "GUN006",
        name: "reload-with-preload",
        severity: Warning,
        summary: "`reload` and `preload_app` are both on, which gunicorn does not support",
        django: None,
        gixy: None,
        docs: "With `preload_app` the application is imported once in the master before the workers \
               fork, so reloading workers does not reload the code: gunicorn's docs call the two \
               incompatible. Choose one: `preload_app` in production, `reload` in development.\n\n\
               **Fix:** remove `reload` (the quick-fix; not applied by `--fix`).",
    },
    RuleMeta {
        code: "GUN007",
        name: "spew-enabled",
        severity: Error,
        summary: "`spew = True` traces every executed line",
        django: None,
        gixy: None,
        docs: "`spew` installs a trace function that prints every line the server executes (gunicorn's \
               docs: \"the nuclear option\"). It makes the server extremely slow and writes request \
               data to the logs.\n\n**Fix:** remove `spew` (the quick-fix; not applied by `--fix`).",
    },
    RuleMeta {
        code: "GUN008",
        name: "debug-loglevel",
        severity: Information,
        summary: "`loglevel = \"debug\"` is noisy and can log sensitive data",
        django: None,
        gixy: None,
        docs: "At debug level gunicorn logs every request's headers and more; in production that floods \
               the logs and can record cookies and tokens. Use `info` or `warning`.\n\n**Fix:** \
               `loglevel = \"info\"` (the quick-fix; not applied by `--fix`).",
    },
    RuleMeta {
        code: "GUN009",
        name: "unlimited-request-limits",
        severity: Warning,
        summary: "A request limit is turned off or raised above gunicorn's default",
        django: None,
        gixy: None,
        docs: "`limit_request_line = 0` lifts the limit on the request line (method, URI, version); \
               `limit_request_field_size = 0` is documented as unlimited header fields; \
               `limit_request_fields` above 100 (or 0, which means gunicorn's maximum, 32768) lets a \
               client send thousands of headers. gunicorn's docs warn that very high or unlimited \
               values open up denial of service.\n\n**Fix:** restore the defaults 4094 / 8190 / 100 \
               (the quick-fix; not applied by `--fix`).",
    },
    RuleMeta {
        code: "GUN010",
        name: "timeout-disabled",
        severity: Warning,
        summary: "The worker timeout is disabled, or very long with sync workers",
        django: None,
        gixy: None,
        docs: "`timeout = 0` disables the timeout that kills a stuck worker: a hung request then holds \
               its worker forever. With the default sync workers a timeout above 120 seconds lets a \
               few slow requests occupy every worker (reported as information). Keep 30-60 seconds \
               and raise nginx's `proxy_read_timeout` consistently.\n\n**Fix:** `timeout = 30` (the \
               quick-fix; not applied by `--fix`).",
    },
    RuleMeta {
        code: "GUN011",
        name: "daemon-under-supervisor",
        severity: Warning,
        summary: "`daemon = True` detaches gunicorn from its process manager",
        django: None,
        gixy: None,
        docs: "systemd, supervisor, Docker and Kubernetes start gunicorn in the foreground and watch \
               that process. With `daemon = True` it forks into the background: the manager sees the \
               process exit, restarts it or gives up, and output goes nowhere (gunicorn's deployment \
               guide: \"Do not enable Gunicorn's daemon mode when using process monitors\").\n\n\
               **Fix:** remove `daemon` (the quick-fix; not applied by `--fix`).",
    },
    RuleMeta {
        code: "GUN012",
        name: "proxy-protocol-any",
        severity: Error,
        summary: "PROXY protocol is accepted from any address",
        django: None,
        gixy: None,
        docs: "With `proxy_protocol` on, gunicorn takes the client address from a PROXY header sent by \
               the peer. `proxy_allow_ips = \"*\"` accepts that header from anyone, so any client can \
               claim any address (rate limits, logs, allow-lists). Restrict it to the load \
               balancer's address.",
    },
    RuleMeta {
        code: "GUN013",
        name: "unsafe-http-parsing",
        severity: Warning,
        summary: "A relaxed HTTP parsing option invites request smuggling",
        django: None,
        gixy: None,
        docs: "`strip_header_spaces`, `permit_obsolete_folding`, `permit_unconventional_http_method`, \
               `permit_unconventional_http_version`, `casefold_http_method` and `header_map = \
               \"dangerous\"` make gunicorn accept requests a proxy in front of it may parse \
               differently: the desynchronisation behind request smuggling (gunicorn's docs link \
               PortSwigger's research). Leave them off.\n\n**Fix:** remove the setting (the \
               quick-fix; not applied by `--fix`).",
    },
    RuleMeta {
        code: "GUN014",
        name: "socket-umask",
        severity: Information,
        summary: "A unix socket is created with umask 0: any local user can connect",
        django: None,
        gixy: None,
        docs: "gunicorn creates its unix socket with the process umask (`umask`, default 0), so the \
               socket is world-writable: every local user and process can talk to the application \
               directly, around nginx. Set `umask = 0o007` and put nginx's user in gunicorn's group \
               (or let systemd create the socket with `SocketMode=0660`).\n\n**Fix:** `umask = \
               0o007` (the quick-fix; not applied by `--fix`).",
    },
    RuleMeta {
        code: "GUN015",
        name: "root-user",
        severity: Error,
        summary: "Workers run as root",
        django: None,
        gixy: None,
        docs: "`user`/`group` name the account the workers switch to. `root` (or 0) keeps them \
               privileged: any code execution in the application owns the machine. Run workers as an \
               unprivileged user (e.g. `www-data`); only the master needs root, to bind ports below \
               1024.",
    },
    RuleMeta {
        code: "GUN016",
        name: "no-access-log",
        severity: Hint,
        summary: "No access log: `accesslog` is not set",
        django: None,
        gixy: None,
        docs: "gunicorn writes no access log unless `accesslog` names a file or `-` (stdout). Without it \
               requests that nginx does not log (or that bypass it) leave no trace.\n\n**Fix:** \
               `accesslog = \"-\"` (the quick-fix; not applied by `--fix`).",
    },
    RuleMeta {
        code: "GUN017",
        name: "max-requests-no-jitter",
        severity: Hint,
        summary: "`max_requests` without `max_requests_jitter` restarts all workers together",
        django: None,
        gixy: None,
        docs: "Workers started together reach `max_requests` together and restart at the same moment, \
               which briefly leaves no worker to serve. `max_requests_jitter` adds a random number of \
               requests to each worker's limit.\n\n**Fix:** `max_requests_jitter = 50` (the \
               quick-fix; not applied by `--fix`).",
    },
    RuleMeta {
        code: "GUN018",
        name: "deprecated-ssl-version",
        severity: Information,
        summary: "`ssl_version` is deprecated and ignored",
        django: None,
        gixy: None,
        docs: "gunicorn ignores `ssl_version` since 21.0 and prints a warning: the setting does not \
               restrict TLS versions. Use the `ssl_context` hook to configure TLS, or terminate TLS \
               in nginx.\n\n**Fix:** remove `ssl_version` (a safe quick-fix: gunicorn ignores it).",
    },
    RuleMeta {
        code: "GUN019",
        name: "secrets-in-raw-env",
        severity: Warning,
        summary: "`raw_env` puts a literal secret into the config file",
        django: None,
        gixy: None,
        docs: "`raw_env = [\"DJANGO_SECRET_KEY=...\"]` writes the secret into a file that is usually \
               committed, and into the environment of every worker. Entries whose name contains \
               SECRET, PASSWORD, TOKEN or ends in KEY are reported (the value is never shown). Load \
               secrets from the environment or a secrets manager instead.",
    },
    RuleMeta {
        code: "GUN900",
        name: "gunicorn-unused-suppression",
        severity: Hint,
        summary: "A `# preflight: ignore[...]` comment in a gunicorn config suppresses nothing",
        django: None,
        gixy: None,
        docs: "The code named in the comment is not reported on that line (or, for `ignore-file`, in the \
               file): the problem was fixed, or the comment is on the wrong line. Remove the code from the \
               comment so that stale suppressions cannot hide a future finding.",
    },
];

/// The hint for an unused suppression in a gunicorn config (its registry entry is in [`RULES`]).
pub const UNUSED_SUPPRESSION: &str = "GUN900";

/// `docs/rules/CODE.md` of a gunicorn rule.
pub fn doc(rule: &RuleMeta) -> String {
    format!(
        "# {code}: {name}\n\n**Severity:** {severity}\n\n{summary}.\n\n{docs}\n\n\
         Suppress one finding with `# preflight: ignore[{code}]` on the line (or the line above), \
         or turn the rule off in `[tool.preflight]` with `ignore = [\"{code}\"]`.\n",
        code = rule.code,
        name = rule.name,
        severity = rule.severity.as_str(),
        summary = rule.summary,
        docs = rule.docs,
    )
}

/// What a rule needs: the model, the file, and the file's text (for fixes).
pub struct Ctx<'a> {
    pub config: &'a GunicornConfig,
    pub path: &'a Path,
    pub text: &'a str,
}

impl Ctx<'_> {
    fn diagnostic(&self, code: &'static str, range: TextRange, message: String) -> Diagnostic {
        let severity = RULES
            .iter()
            .find(|r| r.code == code)
            .map_or(Warning, |r| r.severity);
        Diagnostic {
            path: self.path.to_path_buf(),
            range,
            severity,
            code,
            message,
            references: Default::default(),
            related: Vec::new(),
            fix: None,
            alternatives: Vec::new(),
        }
    }

    /// A diagnostic on a setting's assignment (its name); for a value that came through an
    /// import, on the import, with the assignment in the other module as related information.
    fn at_setting(
        &self,
        code: &'static str,
        name: &str,
        binding: &Binding,
        message: String,
    ) -> Diagnostic {
        let mut d = self.diagnostic(code, binding.site.focus, message);
        if let Some(origin) = &binding.origin {
            d.related.push(Related {
                path: origin.path.to_path_buf(),
                range: origin.focus,
                message: format!("{name} is set here"),
            });
        }
        d
    }

    /// The binding and value of a setting the file sets.
    fn set(&self, name: &str) -> Option<(&Binding, &Value)> {
        self.config.setting(name).map(|b| (b, &b.value))
    }

    /// Where a missing setting is reported: the last non-blank line.
    fn end_range(&self) -> TextRange {
        let trimmed = self.text.trim_end();
        let start = trimmed.rfind('\n').map_or(0, |i| i + 1);
        let line = &trimmed[start..];
        let indent = line.len() - line.trim_start().len();
        TextRange::new(start + indent, trimmed.len())
    }

    fn replace_fix(&self, title: String, binding: &Binding, expr: &str, safe: bool) -> Option<Fix> {
        fixes::replace_value(self.text, binding, expr).map(|e| fixes::fix(title, vec![e], safe))
    }

    fn remove_fix(&self, name: &str, binding: &Binding, why: &str, safe: bool) -> Option<Fix> {
        fixes::remove_statement(self.text, binding)
            .map(|e| fixes::fix(format!("Remove `{name}` ({why})"), vec![e], safe))
    }
}

/// Runs every gunicorn rule on a config file.
pub fn check(config: &GunicornConfig, path: &Path, text: &str) -> Vec<Diagnostic> {
    let ctx = Ctx { config, path, text };
    let mut out = Vec::new();
    forwarded_allow_all(&ctx, &mut out);
    unknown_settings(&ctx, &mut out);
    invalid_values(&ctx, &mut out);
    reload(&ctx, &mut out);
    spew(&ctx, &mut out);
    debug_loglevel(&ctx, &mut out);
    request_limits(&ctx, &mut out);
    timeout(&ctx, &mut out);
    daemon(&ctx, &mut out);
    proxy_protocol_any(&ctx, &mut out);
    unsafe_http_parsing(&ctx, &mut out);
    socket_umask(&ctx, &mut out);
    root_user(&ctx, &mut out);
    no_access_log(&ctx, &mut out);
    max_requests_jitter(&ctx, &mut out);
    ssl_version(&ctx, &mut out);
    raw_env_secrets(&ctx, &mut out);
    out.sort_by_key(|d| (d.range.start, d.code));
    out
}

/// Whether gunicorn's `validate_bool` makes the value True (True, or the str "true").
fn is_on(v: &Value) -> Tri {
    v.map_tri(|v| match v {
        Value::Bool(b) => Tri::from_bool(*b),
        Value::Str(s) => Tri::from_bool(s.trim().eq_ignore_ascii_case("true")),
        _ => Tri::No,
    })
}

/// G1: `forwarded_allow_ips = "*"` when the bind is not public TCP (STK014 covers public).
fn forwarded_allow_all(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(binding) = ctx.config.setting("forwarded_allow_ips") else {
        return;
    };
    if !ctx.config.allows_any_peer("forwarded_allow_ips").is_yes()
        || ctx.config.binds_publicly() == Tri::Yes
    {
        return;
    }
    let binds = ctx.config.binds();
    let only_unix =
        binds.is_some_and(|b| !b.is_empty() && b.iter().all(|a| matches!(a.bind, Bind::Unix(_))));
    let why = if only_unix {
        "it does nothing while gunicorn binds only unix sockets (their peers are always trusted), but any TCP bind added later trusts every client"
    } else if binds.is_some() {
        "any local process (or a proxy that passes client headers through) can spoof the scheme and the client address"
    } else {
        "if gunicorn is reachable from the network, any client can spoof the scheme and the client address"
    };
    let mut d = ctx.at_setting(
        "GUN001",
        "forwarded_allow_ips",
        binding,
        format!("`forwarded_allow_ips = \"*\"` trusts X-Forwarded-Proto and X-Forwarded-For from every peer: {why}; list the proxy's address instead"),
    );
    d.fix = ctx.replace_fix(
        "Restrict to the proxy: `forwarded_allow_ips = \"127.0.0.1,::1\"`".into(),
        binding,
        "\"127.0.0.1,::1\"",
        false,
    );
    out.push(d);
}

/// G3: module-level names gunicorn ignores.
fn unknown_settings(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for (name, binding) in ctx.config.unknown_names() {
        if binding.is_imported() {
            continue;
        }
        let Some(suggestion) = names::suggest(ctx.config, name, binding) else {
            continue;
        };
        let message = match &suggestion {
            names::Suggestion::Rename { to, why } => format!(
                "`{name}` is not a gunicorn setting, so gunicorn ignores it: did you mean `{to}` ({why})?"
            ),
            names::Suggestion::NoSuchSetting(why) => {
                format!("`{name}` is not a gunicorn setting, so gunicorn ignores it: {why}")
            }
        };
        let mut d = ctx.diagnostic("GUN003", binding.site.focus, message);
        if let names::Suggestion::Rename { to, .. } = suggestion
            && !ctx.config.is_set(to)
            && used_once(ctx.text, name)
        {
            d.fix = Some(fixes::fix(
                format!("Rename to `{to}` (gunicorn ignores unknown names)"),
                vec![Edit::replace(binding.site.focus, to)],
                false,
            ));
        }
        out.push(d);
    }
}

/// Whether `name` occurs once as a whole word in the text (renaming its assignment then leaves
/// no dangling use).
fn used_once(text: &str, name: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(name)
        .filter(|(i, _)| {
            let before = text[..*i].chars().next_back();
            let after = text[i + name.len()..].chars().next();
            !before.is_some_and(is_word) && !after.is_some_and(is_word)
        })
        .count()
        == 1
}

/// G4: values gunicorn's validators reject, and hooks of the wrong arity.
fn invalid_values(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for (setting, binding) in ctx.config.set_settings() {
        let verdict = match ctx.config.module().function(setting.name) {
            Some(function) if setting.is_hook() && binding.site == function.site => {
                check_hook(setting, function)
            }
            _ => validate::check(setting, &binding.value),
        };
        let Verdict::Rejected(rejection) = verdict else {
            continue;
        };
        let message = format!(
            "gunicorn will not start: `{}` {} (gunicorn's `{}`)",
            setting.name,
            rejection.describe(setting),
            setting.validator.python_name()
        );
        let mut d = ctx.at_setting("GUN004", setting.name, binding, message);
        let mut fixes = invalid_value_fixes(ctx, setting, binding, &rejection);
        if !fixes.is_empty() {
            d.fix = Some(fixes.remove(0));
            d.alternatives = fixes;
        }
        out.push(d);
    }
}

fn invalid_value_fixes(
    ctx: &Ctx<'_>,
    setting: &Setting,
    binding: &Binding,
    rejection: &Rejection,
) -> Vec<Fix> {
    let Some(expr) = fixes::own_expr(ctx.text, binding) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    match rejection {
        Rejection::Float => {
            if let Some(e) = fixes::floor_division(ctx.text, expr) {
                out.push(fixes::fix(
                    "Use floor division `//` (an int)",
                    vec![e],
                    false,
                ));
            }
            out.push(fixes::fix(
                "Wrap in `int(...)`",
                fixes::wrap(expr, "int"),
                false,
            ));
        }
        Rejection::Path => {
            out.push(fixes::fix(
                "Wrap in `str(...)`",
                fixes::wrap(expr, "str"),
                false,
            ));
        }
        Rejection::IntForBool => {
            if let Value::Int(i @ (0 | 1)) = binding.value {
                let word = if i == 1 { "True" } else { "False" };
                out.push(fixes::fix(
                    format!("Use `{}= {word}`", setting.name),
                    vec![Edit::replace(expr, word)],
                    false,
                ));
            }
        }
        _ => {}
    }
    out
}

/// G5 and G6.
fn reload(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some((binding, value)) = ctx.set("reload") else {
        return;
    };
    if !is_on(value).is_yes() {
        return;
    }
    let mut d = ctx.at_setting(
        "GUN005",
        "reload",
        binding,
        "`reload = True` restarts workers whenever a source file changes: use it in development only (`gunicorn --reload`)".into(),
    );
    d.fix = ctx.remove_fix("reload", binding, "development only", false);
    out.push(d);
    if let Some((preload, pv)) = ctx.set("preload_app")
        && is_on(pv).is_yes()
    {
        let mut d = ctx.at_setting(
            "GUN006",
            "reload",
            binding,
            "`reload` and `preload_app` are both on: preloaded code is not reloaded (gunicorn calls them incompatible); disable one of them".into(),
        );
        d.related.push(Related {
            path: preload.cause().path.to_path_buf(),
            range: preload.cause().focus,
            message: "preload_app is turned on here".into(),
        });
        d.fix = ctx.remove_fix("reload", binding, "keep `preload_app`", false);
        d.alternatives
            .extend(ctx.remove_fix("preload_app", preload, "keep `reload`", false));
        out.push(d);
    }
}

/// G7.
fn spew(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if let Some((binding, value)) = ctx.set("spew")
        && is_on(value).is_yes()
    {
        let mut d = ctx.at_setting(
            "GUN007",
            "spew",
            binding,
            "`spew = True` traces every line the server executes: extremely slow, and it writes request data to the logs; remove it".into(),
        );
        d.fix = ctx.remove_fix("spew", binding, "never in production", false);
        out.push(d);
    }
}

/// G8.
fn debug_loglevel(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some((binding, value)) = ctx.set("loglevel") else {
        return;
    };
    let debug = value.map_tri(|v| {
        Tri::from_bool(
            v.as_str()
                .is_some_and(|s| s.trim().eq_ignore_ascii_case("debug")),
        )
    });
    if !debug.is_yes() {
        return;
    }
    let mut d = ctx.at_setting(
        "GUN008",
        "loglevel",
        binding,
        "`loglevel = \"debug\"` is noisy and can log request details such as headers; use \"info\" or \"warning\" in production".into(),
    );
    d.fix = ctx.replace_fix(
        "Set `loglevel = \"info\"`".into(),
        binding,
        "\"info\"",
        false,
    );
    out.push(d);
}

/// G9.
fn request_limits(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    type Problem = fn(i64) -> Option<&'static str>;
    let checks: [(&str, Problem); 3] = [
        ("limit_request_line", |n| {
            (n == 0).then_some("0 lifts the limit on the request line")
        }),
        ("limit_request_field_size", |n| {
            (n == 0).then_some("0 is documented as unlimited header field size")
        }),
        ("limit_request_fields", |n| match n {
            0 => Some("0 means gunicorn's maximum, 32768 header fields"),
            n if n > 100 => Some("more than 100 header fields per request"),
            _ => None,
        }),
    ];
    for (name, problem) in checks {
        let Some((binding, _)) = ctx.set(name) else {
            continue;
        };
        let Some(n) = ctx.config.int(name) else {
            continue;
        };
        let Some(why) = problem(n) else {
            continue;
        };
        let default = match settings::setting(name).map(|s| s.default) {
            Some(settings::Default::Int(d)) => d,
            _ => continue,
        };
        let mut d = ctx.at_setting(
            "GUN009",
            name,
            binding,
            format!("`{name} = {n}`: {why}, which opens up denial of service; keep gunicorn's default {default}"),
        );
        d.fix = ctx.replace_fix(
            format!("Restore the default `{name} = {default}`"),
            binding,
            &default.to_string(),
            false,
        );
        out.push(d);
    }
}

/// G10.
fn timeout(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some((binding, _)) = ctx.set("timeout") else {
        return;
    };
    let Some(t) = ctx.config.timeout() else {
        return;
    };
    let (message, severity) = if t == 0 {
        (
            "`timeout = 0` disables the worker timeout: a stuck request holds its worker forever; keep 30-60 seconds".to_string(),
            Warning,
        )
    } else if t > 120 && ctx.config.worker_class().as_deref() == Some("sync") {
        (
            format!(
                "`timeout = {t}` with sync workers lets a few slow requests occupy every worker; keep 30-60 seconds (or use gthread/gevent workers for long requests)"
            ),
            Information,
        )
    } else {
        return;
    };
    let mut d = ctx.at_setting("GUN010", "timeout", binding, message);
    d.severity = severity;
    d.fix = ctx.replace_fix(
        "Set `timeout = 30` (raise nginx `proxy_read_timeout` consistently)".into(),
        binding,
        "30",
        false,
    );
    out.push(d);
}

/// G11.
fn daemon(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if let Some((binding, value)) = ctx.set("daemon")
        && is_on(value).is_yes()
    {
        let mut d = ctx.at_setting(
            "GUN011",
            "daemon",
            binding,
            "`daemon = True` forks gunicorn into the background, away from systemd, supervisor or the container runtime that watches it; remove it".into(),
        );
        d.fix = ctx.remove_fix(
            "daemon",
            binding,
            "let the process manager run gunicorn",
            false,
        );
        out.push(d);
    }
}

/// G12.
fn proxy_protocol_any(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(binding) = ctx.config.setting("proxy_allow_ips") else {
        return;
    };
    if !ctx.config.allows_any_peer("proxy_allow_ips").is_yes() {
        return;
    }
    let enabled = ctx
        .config
        .value("proxy_protocol")
        .map_or(Tri::Unknown, |v| {
            v.map_tri(|v| match v {
                Value::Bool(b) => Tri::from_bool(*b),
                Value::None => Tri::No,
                Value::Str(s) => Tri::from_bool(!matches!(
                    s.trim().to_lowercase().as_str(),
                    "off" | "false" | "0" | "none"
                )),
                _ => Tri::Unknown,
            })
        });
    if !enabled.is_yes() {
        return;
    }
    let mut d = ctx.at_setting(
        "GUN012",
        "proxy_allow_ips",
        binding,
        "PROXY protocol is on and `proxy_allow_ips = \"*\"` accepts its header from any peer: any client can claim any address; restrict it to the load balancer's address".into(),
    );
    if let Some(pp) = ctx.config.setting("proxy_protocol") {
        d.related.push(Related {
            path: pp.cause().path.to_path_buf(),
            range: pp.cause().focus,
            message: "proxy_protocol is turned on here".into(),
        });
    }
    out.push(d);
}

/// G13.
fn unsafe_http_parsing(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for name in [
        "strip_header_spaces",
        "permit_obsolete_folding",
        "permit_unconventional_http_method",
        "permit_unconventional_http_version",
        "casefold_http_method",
    ] {
        if let Some((binding, value)) = ctx.set(name)
            && is_on(value).is_yes()
        {
            let mut d = ctx.at_setting(
                "GUN013",
                name,
                binding,
                format!("`{name} = True` relaxes HTTP parsing, which invites request smuggling through the proxy; leave it off"),
            );
            d.fix = ctx.remove_fix(name, binding, "request-smuggling risk", false);
            out.push(d);
        }
    }
    if let Some((binding, value)) = ctx.set("header_map")
        && value
            .map_tri(|v| {
                Tri::from_bool(
                    v.as_str()
                        .is_some_and(|s| s.trim().eq_ignore_ascii_case("dangerous")),
                )
            })
            .is_yes()
    {
        let mut d = ctx.at_setting(
            "GUN013",
            "header_map",
            binding,
            "`header_map = \"dangerous\"` maps `X-Forwarded_For` and `X-Forwarded-For` to the same variable, which lets clients smuggle headers past the proxy; keep \"drop\"".into(),
        );
        d.fix = ctx.remove_fix("header_map", binding, "request-smuggling risk", false);
        out.push(d);
    }
}

/// G14.
fn socket_umask(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(binds) = ctx.config.binds() else {
        return;
    };
    let Some(unix) = binds.iter().find(|b| matches!(b.bind, Bind::Unix(_))) else {
        return;
    };
    if ctx.config.int("umask") != Some(0) {
        return;
    }
    let Some(bind) = ctx.config.setting("bind") else {
        return;
    };
    let range = unix
        .range
        .filter(|_| !bind.is_imported())
        .unwrap_or(bind.site.focus);
    let mut d = ctx.diagnostic(
        "GUN014",
        range,
        format!("gunicorn creates `{}` with umask 0, so any local user can connect to the application around nginx; set `umask = 0o007` and give nginx's user gunicorn's group", unix.text),
    );
    let edit = match ctx.config.setting("umask") {
        Some(umask) => fixes::replace_value(ctx.text, umask, "0o007"),
        None => fixes::insert_after(ctx.text, bind, "umask = 0o007"),
    };
    d.fix = edit.map(|e| fixes::fix("Set `umask = 0o007`", vec![e], false));
    out.push(d);
}

/// G15.
fn root_user(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for name in ["user", "group"] {
        let Some((binding, value)) = ctx.set(name) else {
            continue;
        };
        let root = value.map_tri(|v| {
            Tri::from_bool(match v {
                Value::Int(0) | Value::Bool(false) => true,
                Value::Str(s) => s == "root" || (!s.is_empty() && s.bytes().all(|b| b == b'0')),
                _ => false,
            })
        });
        if root.is_yes() {
            out.push(ctx.at_setting(
                "GUN015",
                name,
                binding,
                format!("`{name}` makes the workers run as root: any code execution in the application owns the machine; run them as an unprivileged account (e.g. www-data)"),
            ));
        }
    }
}

/// G16.
fn no_access_log(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if ctx.config.is_set("accesslog") || ctx.config.module().open {
        return;
    }
    let mut d = ctx.diagnostic(
        "GUN016",
        ctx.end_range(),
        "No access log: `accesslog` is not set, so gunicorn logs no requests; add `accesslog = \"-\"` (stdout)".into(),
    );
    d.fix = Some(fixes::fix(
        "Add `accesslog = \"-\"`",
        vec![fixes::append_line(ctx.text, "accesslog = \"-\"")],
        false,
    ));
    out.push(d);
}

/// G17.
fn max_requests_jitter(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some((binding, _)) = ctx.set("max_requests") else {
        return;
    };
    let (Some(max), Some(0)) = (
        ctx.config.int("max_requests"),
        ctx.config.int("max_requests_jitter"),
    ) else {
        return;
    };
    if max == 0 {
        return;
    }
    let jitter = (max / 20).clamp(1, 100).min(50);
    let mut d = ctx.at_setting(
        "GUN017",
        "max_requests",
        binding,
        format!("`max_requests = {max}` without `max_requests_jitter`: workers started together restart together; add `max_requests_jitter = {jitter}`"),
    );
    let edit = match ctx.config.setting("max_requests_jitter") {
        Some(j) => fixes::replace_value(ctx.text, j, &jitter.to_string()),
        None => fixes::insert_after(
            ctx.text,
            binding,
            &format!("max_requests_jitter = {jitter}"),
        ),
    };
    d.fix = edit.map(|e| {
        fixes::fix(
            format!("Add `max_requests_jitter = {jitter}`"),
            vec![e],
            false,
        )
    });
    out.push(d);
}

/// G18 (first half).
fn ssl_version(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if let Some((binding, _)) = ctx.set("ssl_version") {
        let mut d = ctx.at_setting(
            "GUN018",
            "ssl_version",
            binding,
            "`ssl_version` is deprecated and ignored since gunicorn 21.0: it restricts nothing; configure TLS with the `ssl_context` hook or in nginx".into(),
        );
        d.fix = ctx.remove_fix(
            "ssl_version",
            binding,
            "gunicorn ignores it; use `ssl_context`",
            true,
        );
        out.push(d);
    }
}

/// G18 (second half): `raw_env` entries that hold literal secrets.
fn raw_env_secrets(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some((binding, value)) = ctx.set("raw_env") else {
        return;
    };
    let items: Vec<Value> = match value {
        Value::Str(_) => vec![value.clone()],
        Value::List(v) | Value::Tuple(v) => v.clone(),
        _ => return,
    };
    let literal = binding
        .literal
        .as_ref()
        .filter(|_| !binding.is_imported() && !binding.mutated);
    for (i, item) in items.iter().enumerate() {
        let Value::Str(entry) = item else { continue };
        let Some((var, secret)) = entry.split_once('=') else {
            continue;
        };
        let upper = var.trim().to_ascii_uppercase();
        let secret_name = ["SECRET", "PASSWORD", "PASSWD", "TOKEN"]
            .iter()
            .any(|w| upper.contains(w))
            || upper.ends_with("KEY");
        let secret = secret.trim();
        if !secret_name || secret.is_empty() || secret.starts_with('$') {
            continue;
        }
        let range = literal
            .and_then(|l| match l.kind {
                LiteralKind::Str => Some(l.range),
                LiteralKind::List | LiteralKind::Tuple => l.elements.get(i).copied(),
                _ => None,
            })
            .unwrap_or(binding.site.focus);
        let mut d = ctx.diagnostic(
            "GUN019",
            range,
            format!("`raw_env` sets {} to a literal secret in the config file: load it from the environment or a secrets manager instead", var.trim()),
        );
        if let Some(origin) = &binding.origin {
            d.related.push(Related {
                path: origin.path.to_path_buf(),
                range: origin.focus,
                message: "raw_env is set here".into(),
            });
        }
        out.push(d);
    }
}
