//! Secrets written into settings: SECRET_KEY (DJ101 a literal, DJ102 a literal fallback of an
//! environment read, DJ103 generated at import), cache URLs (DJ108) and database passwords
//! (DJ109). Messages say "a literal secret" and never print the value.

use super::super::context::{Ctx, Finding};
use super::super::fixes;
use super::{from_env, is_written_secret};
use crate::diagnostic::{Diagnostic, Fix};
use crate::python::value::python_str_literal;
use crate::python::{Binding, Value};

const ENV_VAR: &str = "DJANGO_SECRET_KEY";

/// Functions whose result differs per call: a key made by one changes at every start.
const KEY_GENERATORS: &[&str] = &[
    "get_random_secret_key",
    "get_random_string",
    "token_urlsafe",
    "token_hex",
    "token_bytes",
    "urandom",
    "uuid4",
];

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let key = secret_key(ctx);
    let findings = key
        .into_iter()
        .chain(cache_passwords(ctx))
        .chain(database_passwords(ctx));
    findings.for_each(|f| ctx.emit(out, f));
}

/// DJ101, DJ102 or DJ103: at most one, the most specific.
fn secret_key(ctx: &Ctx<'_>) -> Option<Finding> {
    let binding = ctx.model.get("SECRET_KEY")?;
    let generated = binding.calls.iter().any(|c| {
        KEY_GENERATORS
            .iter()
            .any(|g| c.rsplit('.').next() == Some(*g))
    });
    let (code, message) = if generated {
        ("DJ103", generated_message(binding))
    } else if !is_written_secret(&binding.value) {
        return None;
    } else if from_env(binding) {
        ("DJ102", env_default_message(binding))
    } else {
        (
            "DJ101",
            "SECRET_KEY is a literal secret committed with the code: anyone with the source can forge \
sessions and password-reset links. Read it from the environment or a secrets store."
                .to_string(),
        )
    };
    Some(Finding {
        code,
        message,
        anchor: ctx.anchor(&["SECRET_KEY"]),
        fixes: read_required(ctx, binding).into_iter().collect(),
    })
}

fn variable(binding: &Binding) -> Option<&str> {
    binding.env.iter().find_map(|e| e.var.as_deref())
}

fn env_default_message(binding: &Binding) -> String {
    let var = variable(binding).unwrap_or("the variable");
    format!(
        "SECRET_KEY falls back to a literal secret when {var} is not set: a server started without it \
runs with a key committed to the code. Require the variable (os.environ[\"...\"]) so a missing key \
stops the start instead."
    )
}

fn generated_message(binding: &Binding) -> String {
    let when = match variable(binding) {
        Some(var) => format!(" when {var} is not set"),
        None => String::new(),
    };
    format!(
        "SECRET_KEY is generated at import{when}: every process and every restart gets a different key, \
so sessions, password-reset links and signed data stop validating across workers and deploys. \
Read a fixed key from the environment."
    )
}

/// `SECRET_KEY = os.environ["VAR"]` (the variable already read, if any). Not safe: the process
/// then needs the variable set.
fn read_required(ctx: &Ctx<'_>, binding: &Binding) -> Option<Fix> {
    let var = variable(binding).unwrap_or(ENV_VAR);
    let expr = format!("os.environ[{}]", python_str_literal(var));
    let mut edits = fixes::set_setting(ctx, "SECRET_KEY", &expr, &["SECRET_KEY", "DEBUG"])?;
    if let Some(import) = fixes::import_os(ctx, edits[0].range.start) {
        edits.insert(0, import);
    }
    Some(fixes::fix(
        format!("Require SECRET_KEY from the environment variable {var}"),
        edits,
        false,
    ))
}

/// Whether a URL (`scheme://user:password@host`) carries a non-empty password.
pub(super) fn url_has_password(url: &str) -> bool {
    crate::redact::url_userinfo(url)
        .and_then(|userinfo| userinfo.split_once(':'))
        .is_some_and(|(_, password)| !password.is_empty())
}

/// The string values of a LOCATION: one URL, or a list of them (sharded caches).
fn locations(value: &Value) -> Vec<&str> {
    match value {
        Value::Str(s) => vec![s],
        Value::List(items) | Value::Tuple(items) => {
            items.iter().filter_map(Value::as_str).collect()
        }
        _ => Vec::new(),
    }
}

/// The (alias, config) pairs of a dict setting such as CACHES or DATABASES.
pub(super) fn aliases(value: &Value) -> Vec<(&str, &Value)> {
    match value {
        Value::Dict(items) => items
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?, v)))
            .collect(),
        _ => Vec::new(),
    }
}

/// DJ108: a password in a cache LOCATION URL or a literal OPTIONS["PASSWORD"].
fn cache_passwords(ctx: &Ctx<'_>) -> Vec<Finding> {
    let Some(caches) = ctx.model.get("CACHES") else {
        return Vec::new();
    };
    aliases(&caches.value)
        .into_iter()
        .filter(|(_, config)| {
            let in_url = config
                .dict_get("LOCATION")
                .is_some_and(|l| locations(l).into_iter().any(url_has_password));
            let in_options = config
                .dict_get("OPTIONS")
                .and_then(|o| o.dict_get("PASSWORD"))
                .is_some_and(is_written_secret);
            in_url || in_options
        })
        .map(|(alias, _)| Finding {
            code: "DJ108",
            message: format!(
                "The '{alias}' cache configuration contains a literal secret (a password in its LOCATION \
URL or OPTIONS){}: anyone with the source can reach the cache. Read the URL or password from the \
environment.",
                default_note(caches)
            ),
            anchor: ctx.anchor(&["CACHES"]),
            fixes: Vec::new(),
        })
        .collect()
}

/// DJ109: a literal PASSWORD in a DATABASES entry.
fn database_passwords(ctx: &Ctx<'_>) -> Vec<Finding> {
    let Some(databases) = ctx.model.get("DATABASES") else {
        return Vec::new();
    };
    aliases(&databases.value)
        .into_iter()
        .filter(|(_, config)| config.dict_get("PASSWORD").is_some_and(is_written_secret))
        .map(|(alias, _)| Finding {
            code: "DJ109",
            message: format!(
                "The '{alias}' database PASSWORD is a literal secret{}: protect it like SECRET_KEY and read \
it from the environment, e.g. os.environ[\"DATABASE_PASSWORD\"].",
                default_note(databases)
            ),
            anchor: ctx.anchor(&["DATABASES"]),
            fixes: Vec::new(),
        })
        .collect()
}

/// " (the default of an environment read)" when the value came through one.
fn default_note(binding: &Binding) -> &'static str {
    if from_env(binding) {
        " (the default of an environment read, used when the variable is not set)"
    } else {
        ""
    }
}
