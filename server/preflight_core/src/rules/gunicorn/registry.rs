//! The registry entries of the gunicorn rules (docs, README and SARIF come from them).

use crate::diagnostic::Severity::{Error, Hint, Information, Warning};
use crate::rules::RuleMeta;

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
               until it parses; the diagnostic sits on the first error. The same code, at the start \
               of the file, reports a config Preflight stopped parsing because it took too long (2 s, \
               plus 1 s per megabyte; a long run of consecutive comment lines inside an indented block \
               is slow to parse): \
               it is not checked. Shorten the run of comments.",
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
