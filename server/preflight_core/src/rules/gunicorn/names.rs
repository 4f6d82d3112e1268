//! GUN003 `unknown-setting`: gunicorn silently ignores module-level names that are not settings,
//! so a misspelt or invented setting does nothing. Suggestions come from the settings table:
//! the config-file names of command-line flags (`--proxy-allow-from` is `proxy_allow_ips`),
//! upper-case setting names, and small edit distances; plus a short list of names seen in the
//! wild for settings gunicorn does not have.

use crate::config::edit_distance;
use crate::gunicorn::GunicornConfig;
use crate::gunicorn::settings::{SETTINGS, Setting, setting};
use crate::python::Binding;

/// What to tell the user about an ignored name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suggestion {
    /// Rename to this setting; `why` says where the name came from.
    Rename { to: &'static str, why: &'static str },
    /// A setting gunicorn does not have; what to do instead.
    NoSuchSetting(&'static str),
}

/// Names seen in gunicorn configs for settings gunicorn does not have.
const NOT_SETTINGS: &[(&str, &str)] = &[
    (
        "debug",
        "gunicorn removed its `debug` setting (use `loglevel`, and `reload` in development only)",
    ),
    (
        "max_request_size",
        "gunicorn has no request-body limit: limit uploads in nginx (`client_max_body_size`) or in Django (`DATA_UPLOAD_MAX_MEMORY_SIZE`)",
    ),
    (
        "max_body_size",
        "gunicorn has no request-body limit: limit uploads in nginx (`client_max_body_size`) or in Django (`DATA_UPLOAD_MAX_MEMORY_SIZE`)",
    ),
    (
        "client_max_body_size",
        "gunicorn has no request-body limit: `client_max_body_size` belongs in nginx",
    ),
];

/// Names that say where to listen; meaningful only as parts of `bind`.
const ADDRESS_PARTS: &[&str] = &["port", "host", "address", "listen"];

/// What to suggest for a module-level name gunicorn ignores; `None` to leave it alone
/// (private names, helpers not close to anything, constants used to build settings).
pub fn suggest(config: &GunicornConfig, name: &str, binding: &Binding) -> Option<Suggestion> {
    if name.starts_with('_') {
        return None;
    }
    let is_function = config.module().function(name).is_some()
        || matches!(&binding.value, crate::python::Value::Object(o) if o.starts_with("function "));
    if is_function {
        // a misspelt hook: close to a hook name only
        return closest(name, SETTINGS.iter().filter(|s| s.is_hook())).map(|to| {
            Suggestion::Rename {
                to,
                why: "a hook name",
            }
        });
    }
    if let Some((_, why)) = NOT_SETTINGS.iter().find(|(n, _)| *n == name) {
        return Some(Suggestion::NoSuchSetting(why));
    }
    if ADDRESS_PARTS.contains(&name) && !config.is_set("bind") {
        return Some(Suggestion::NoSuchSetting(
            "gunicorn listens where `bind` says: `bind = \"HOST:PORT\"`",
        ));
    }
    let values = || SETTINGS.iter().filter(|s| !s.is_hook());
    if let Some(s) = values().find(|s| s.flag_names().any(|f| f == name && usable_flag(s, &f))) {
        return Some(Suggestion::Rename {
            to: s.name,
            why: "the config-file name of a command-line flag",
        });
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        // `WORKERS = 4`; a CamelCase class (`class Config`) is no setting written in capitals
        if name.chars().any(|c| c.is_ascii_lowercase()) {
            return None;
        }
        let lower = name.to_ascii_lowercase();
        return setting(&lower)
            .filter(|s| !s.is_hook() && !config.is_set(s.name))
            .map(|s| Suggestion::Rename {
                to: s.name,
                why: "setting names are lower-case",
            });
    }
    closest(name, values()).map(|to| Suggestion::Rename {
        to,
        why: "the closest setting",
    })
}

/// A flag whose config-file spelling means the same: `--no-sendfile` sets `sendfile = False`,
/// so `no_sendfile = True` is not a rename of `sendfile`.
fn usable_flag(setting: &Setting, flag: &str) -> bool {
    let inverted = flag.starts_with("no_") && !setting.name.contains("disable");
    flag != setting.name && !inverted
}

/// The setting within a small edit distance (a third of the name, at most 2), when only one
/// is that close.
fn closest<'s>(name: &str, candidates: impl Iterator<Item = &'s Setting>) -> Option<&'static str> {
    let limit = (name.len() / 3).clamp(1, 2);
    let mut best: Option<(usize, &'static str)> = None;
    let mut tie = false;
    for s in candidates {
        let d = edit_distance(name, s.name);
        if d == 0 || d > limit {
            continue;
        }
        match best {
            Some((bd, _)) if d > bd => {}
            Some((bd, _)) if d == bd => tie = true,
            _ => {
                best = Some((d, s.name));
                tie = false;
            }
        }
    }
    if tie { None } else { best.map(|(_, n)| n) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gunicorn::model::tests::config;

    fn suggestion(text: &str, name: &str) -> Option<Suggestion> {
        let c = config(text);
        let binding = c.module().get(name).unwrap().clone();
        suggest(&c, name, &binding)
    }

    fn renamed(text: &str, name: &str) -> Option<&'static str> {
        match suggestion(text, name) {
            Some(Suggestion::Rename { to, .. }) => Some(to),
            _ => None,
        }
    }

    #[test]
    fn flags_upper_case_and_typos_suggest_the_setting() {
        assert_eq!(
            renamed("proxy_allow_from = '*'", "proxy_allow_from"),
            Some("proxy_allow_ips")
        );
        assert_eq!(renamed("preload = True", "preload"), Some("preload_app"));
        assert_eq!(renamed("log_level = 'info'", "log_level"), Some("loglevel"));
        assert_eq!(
            renamed("access_logfile = '-'", "access_logfile"),
            Some("accesslog")
        );
        assert_eq!(renamed("keep_alive = 5", "keep_alive"), Some("keepalive"));
        assert_eq!(
            renamed("no_control_socket = True", "no_control_socket"),
            Some("control_socket_disable")
        );
        assert_eq!(renamed("WORKERS = 4", "WORKERS"), Some("workers"));
        assert_eq!(renamed("worker = 4", "worker"), Some("workers"));
        assert_eq!(
            renamed("worker_connection = 5", "worker_connection"),
            Some("worker_connections")
        );
        assert_eq!(
            renamed("def post_forks(server, worker):\n    pass\n", "post_forks"),
            Some("post_fork")
        );
    }

    #[test]
    fn helpers_constants_and_private_names_are_left_alone() {
        assert_eq!(suggestion("no_sendfile = True", "no_sendfile"), None);
        assert_eq!(
            suggestion("TIMEOUT = 30\ntimeout = TIMEOUT", "TIMEOUT"),
            None,
            "the setting is set too"
        );
        assert_eq!(suggestion("_workers = 3", "_workers"), None);
        assert_eq!(suggestion("APP_ROOT = '/srv'", "APP_ROOT"), None);
        assert_eq!(
            suggestion("def log_request(req):\n    pass\n", "log_request"),
            None
        );
        assert_eq!(suggestion("cores = 4", "cores"), None);
        assert_eq!(suggestion("class Config:\n    pass\n", "Config"), None);
        assert_eq!(
            suggestion("port = 8000\nbind = f'0.0.0.0:{port}'", "port"),
            None
        );
    }

    #[test]
    fn settings_gunicorn_does_not_have_are_explained() {
        assert!(
            matches!(suggestion("max_request_size = 10", "max_request_size"), Some(Suggestion::NoSuchSetting(w)) if w.contains("client_max_body_size"))
        );
        assert!(matches!(
            suggestion("debug = True", "debug"),
            Some(Suggestion::NoSuchSetting(_))
        ));
        assert!(
            matches!(suggestion("port = 8000", "port"), Some(Suggestion::NoSuchSetting(w)) if w.contains("bind"))
        );
    }
}
