//! Hover text for a setting: its effective value in production, where that value comes from
//! (file, line, environment variable and default), and the checklist's words about it. Secret
//! values are never shown.

use std::fmt::Write as _;
use std::path::Path;

use crate::checklist;
use crate::python::{Binding, ModuleModel, Value};
use crate::redact::is_secret_name;
use crate::text::LineIndex;

/// Markdown for hovering `name`. `production` is the model of the production settings module,
/// when it is known and is not `here`; `text_of` reads a file (for line numbers).
pub fn setting_hover(
    name: &str,
    here: &ModuleModel,
    production: Option<&ModuleModel>,
    text_of: &dyn Fn(&Path) -> Option<String>,
) -> Option<String> {
    let here_binding = here.get(name);
    let prod_binding = production.and_then(|p| p.get(name));
    if here_binding.is_none()
        && prod_binding.is_none()
        && checklist::item_for_setting(name).is_none()
    {
        return None;
    }
    let mut out = format!("**{name}**\n\n");
    match (production, prod_binding) {
        (Some(p), Some(b)) => {
            let _ = writeln!(
                out,
                "In production (`{}`): {}",
                file_name(&p.path),
                describe(name, b)
            );
            let _ = writeln!(out, "\n{}", provenance(name, b, &here.path, text_of));
        }
        (Some(p), None) if !p.open => {
            let _ = writeln!(
                out,
                "Not set in production (`{}`): Django's default applies.",
                file_name(&p.path)
            );
        }
        _ => {}
    }
    if let Some(b) = here_binding
        && (production.is_none() || prod_binding.is_none())
    {
        let _ = writeln!(
            out,
            "Here: {}\n\n{}",
            describe(name, b),
            provenance(name, b, &here.path, text_of)
        );
    }
    if let Some(item) = checklist::item_for_setting(name) {
        let _ = write!(out, "\n---\nChecklist, {}: {}", item.title, item.text);
    }
    Some(out)
}

/// Markdown for hovering `name` in a gunicorn config: the setting's value (the file's, or
/// gunicorn's default), its flags, its validator and section; `None` for other names.
/// `raw_env` entries are not shown (they often hold secrets).
pub fn gunicorn_hover(
    name: &str,
    here: &ModuleModel,
    text_of: &dyn Fn(&Path) -> Option<String>,
) -> Option<String> {
    use crate::gunicorn::settings::{Default, setting};
    let s = setting(name)?;
    let mut out = format!("**{name}**: gunicorn setting ({})", s.section);
    if !s.cli.is_empty() {
        let flags: Vec<String> = s.cli.iter().map(|f| format!("`{f}`")).collect();
        let _ = write!(out, ", command line {}", flags.join(" / "));
    }
    out.push_str(
        "

",
    );
    match (here.get(name), s.hook_arity()) {
        (Some(b), Some(arity)) => {
            let _ = writeln!(
                out,
                "A hook: gunicorn calls it with {} argument(s).\n\n{}",
                if arity.start() == arity.end() {
                    arity.start().to_string()
                } else {
                    format!("{} to {}", arity.start(), arity.end())
                },
                provenance(name, b, &here.path, text_of)
            );
        }
        (None, Some(_)) => {
            let _ = writeln!(out, "A hook; not defined here (gunicorn's does nothing).");
        }
        (Some(b), None) => {
            let value = match &b.value {
                Value::Symbolic(sym) => format!("`{}` (depends on the machine)", sym.text),
                _ if name == "raw_env" => "set (entries hidden: they may hold secrets)".into(),
                _ => describe(name, b),
            };
            let _ = writeln!(
                out,
                "Here: {value}\n\n{}",
                provenance(name, b, &here.path, text_of)
            );
        }
        (None, None) => {
            let default = match s.default {
                Default::Computed => String::new(),
                d => d.value().map_or_else(String::new, |v| format!(" `{v}`")),
            };
            let _ = write!(out, "Not set here: gunicorn's default{default}");
            if let Some(note) = s.default_note {
                let _ = write!(out, " ({note})");
            }
            out.push_str(".\n");
        }
    }
    let _ = write!(
        out,
        "\n---\ngunicorn validates it with `{}`: {}.",
        s.validator.python_name(),
        crate::gunicorn::validate::expected(s)
    );
    Some(out)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The value, or a mention that it is secret, unknown, or provided by the environment.
fn describe(name: &str, b: &Binding) -> String {
    match &b.value {
        Value::FromEnv(read) => match &read.var {
            Some(v) => format!("provided by the environment variable `{v}` (no default)"),
            None => "provided by the environment (no default)".into(),
        },
        Value::Unknown => "not known statically".into(),
        _ if is_secret_name(name) => "a literal value (hidden: it is a secret)".into(),
        v if holds_secret_like(v) => "a literal value (hidden: it looks like a secret)".into(),
        v => {
            // a URL's user information may be a password or a token (a Sentry DSN's key)
            let mut shown = crate::redact::redact_urls(&v.to_string()).into_owned();
            if shown.chars().count() > 120 {
                shown = shown.chars().take(120).collect::<String>() + "...";
            }
            format!("`{shown}`")
        }
    }
}

/// Whether a value has a string in it that looks like a secret (`redact::looks_like_secret`).
fn holds_secret_like(value: &Value) -> bool {
    match value {
        Value::Str(s) | Value::Path(s) => crate::redact::looks_like_secret(s),
        Value::List(items) | Value::Tuple(items) | Value::Set(items) | Value::OneOf(items) => {
            items.iter().any(holds_secret_like)
        }
        Value::Dict(pairs) => pairs
            .iter()
            .any(|(k, v)| holds_secret_like(k) || holds_secret_like(v)),
        _ => false,
    }
}

/// Where the value was set, and the environment reads behind it.
/// `here`: the hovered file, which places are shown relative to.
fn provenance(
    name: &str,
    b: &Binding,
    here: &Path,
    text_of: &dyn Fn(&Path) -> Option<String>,
) -> String {
    let cause = b.cause();
    let line =
        text_of(&cause.path).map_or(0, |t| LineIndex::new(&t).line_of(cause.focus.start) + 1);
    let mut out = if *cause.path == *here {
        format!("Set on line {line}")
    } else {
        let shown = here
            .parent()
            .and_then(|dir| cause.path.strip_prefix(dir).ok())
            .unwrap_or(&cause.path);
        format!("Set in `{}:{line}`", shown.display())
    };
    for read in &b.env {
        let var = read.var.as_deref().unwrap_or("?");
        match &read.default {
            Some(d) if is_secret_name(var) || is_secret_name(name) || holds_secret_like(d) => {
                let _ = write!(
                    out,
                    "; read from `{var}` by `{}` (with a literal default, hidden)",
                    read.reader
                );
                let _ = d;
            }
            Some(d) => {
                let _ = write!(
                    out,
                    "; read from `{var}` by `{}`, default `{}` when unset",
                    read.reader,
                    crate::redact::redact_urls(&d.to_string())
                );
            }
            None => {
                let _ = write!(out, "; read from `{var}` by `{}`, no default", read.reader);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::{ModuleCache, analyze_module};
    use crate::source::DiskLoader;
    use crate::syntax::python_tree;

    fn model(path: &str, text: &str) -> ModuleModel {
        let tree = python_tree(text);
        analyze_module(
            Path::new(path),
            text,
            &tree,
            &DiskLoader,
            &mut ModuleCache::default(),
        )
    }

    #[test]
    fn a_value_set_in_another_module_is_shown_relative_to_the_hovered_file() {
        let dir = std::env::temp_dir().join(format!("preflight-hover-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("base.py"), "X = 1\nDEBUG = True\n").unwrap();
        let text = "from .base import *\n";
        let prod = dir.join("prod.py");
        let m = model(prod.to_str().unwrap(), text);
        let read = |p: &Path| std::fs::read_to_string(p).ok();
        let hover = setting_hover("DEBUG", &m, None, &read).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(hover.contains("Set in `base.py:2`"), "{hover}");
    }

    #[test]
    fn shows_the_production_value_and_its_source() {
        let text = "import os\nDEBUG = os.environ.get('DJANGO_DEBUG', 'false') == 'true'\n";
        let m = model("/nowhere/prod.py", text);
        let hover = setting_hover("DEBUG", &m, Some(&m), &|_| Some(text.to_string())).unwrap();
        assert!(
            hover.contains("In production (`prod.py`): `False`"),
            "{hover}"
        );
        assert!(hover.contains("Set on line 2"), "{hover}");
        assert!(
            hover.contains(
                "read from `DJANGO_DEBUG` by `os.environ.get`, default `\"false\"` when unset"
            ),
            "{hover}"
        );
        assert!(
            hover.contains("You must never enable debug in production."),
            "{hover}"
        );
    }

    #[test]
    fn never_shows_a_secret() {
        let secret = "k3y-that-must-not-leak-0123456789abcdefghijklmnopqrstuvwxyz";
        let text = format!(
            "import os\nSECRET_KEY = '{secret}'\nDB_PASSWORD = os.environ.get('DB_PASSWORD', '{secret}')\n"
        );
        let m = model("/nowhere/settings.py", &text);
        for name in ["SECRET_KEY", "DB_PASSWORD"] {
            let hover = setting_hover(name, &m, None, &|_| Some(text.clone())).unwrap();
            assert!(!hover.contains(secret), "{hover}");
        }
    }

    #[test]
    fn never_shows_a_value_that_looks_like_a_secret_whatever_its_name() {
        let token = "whsg-K8f3Qz9LmX2vR7tYpB4nW";
        let text = format!(
            "import os\nWEBHOOK = {{'live': '{token}'}}\nSIGNING = os.environ.get('SIGNING', '{token}')\nTIME_ZONE = 'Europe/Amsterdam'\n"
        );
        let m = model("/nowhere/settings.py", &text);
        for name in ["WEBHOOK", "SIGNING"] {
            let hover = setting_hover(name, &m, None, &|_| Some(text.clone())).unwrap();
            assert!(!hover.contains(&token[..8]), "{hover}");
            assert!(hover.contains("hidden"), "{hover}");
        }
        let plain = setting_hover("TIME_ZONE", &m, None, &|_| Some(text.clone())).unwrap();
        assert!(plain.contains("`\"Europe/Amsterdam\"`"), "{plain}");
    }

    #[test]
    fn gunicorn_settings_show_their_value_or_default() {
        let text = "import multiprocessing\nworkers = multiprocessing.cpu_count() * 2 + 1\nraw_env = ['SECRET_KEY=hunter2-never-shown']\ndef post_fork(server, worker):\n    pass\n";
        let m = model("/nowhere/gunicorn.conf.py", text);
        let text_of = |_: &Path| Some(text.to_string());
        let workers = gunicorn_hover("workers", &m, &text_of).unwrap();
        assert!(
            workers.contains("`multiprocessing.cpu_count() * 2 + 1` (depends on the machine)"),
            "{workers}"
        );
        assert!(workers.contains("`-w` / `--workers`"), "{workers}");
        assert!(workers.contains("`validate_pos_int`: an int"), "{workers}");
        let timeout = gunicorn_hover("timeout", &m, &text_of).unwrap();
        assert!(
            timeout.contains("Not set here: gunicorn's default `30`."),
            "{timeout}"
        );
        let bind = gunicorn_hover("bind", &m, &text_of).unwrap();
        assert!(bind.contains("when PORT is set"), "{bind}");
        let raw_env = gunicorn_hover("raw_env", &m, &text_of).unwrap();
        assert!(!raw_env.contains("hunter2"), "{raw_env}");
        let hook = gunicorn_hover("post_fork", &m, &text_of).unwrap();
        assert!(hook.contains("calls it with 2 argument(s)"), "{hook}");
        assert!(gunicorn_hover("worker", &m, &text_of).is_none());
    }
}
