//! security.W009 and W025: a weak SECRET_KEY or SECRET_KEY_FALLBACKS entry. Messages say why
//! a key is weak but never print it.

use std::collections::BTreeSet;

use super::context::{Anchor, Ctx, Finding};
use super::fixes;
use crate::diagnostic::{Diagnostic, Fix};
use crate::python::{Tri, Value};

const MIN_LENGTH: usize = 50;
const MIN_UNIQUE: usize = 5;
const INSECURE_PREFIX: &str = "django-insecure-";
const ENV_VAR: &str = "DJANGO_SECRET_KEY";

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if let Some(f) = secret_key(ctx) {
        ctx.emit(out, f);
    }
    fallbacks(ctx).into_iter().for_each(|f| ctx.emit(out, f));
}

/// Django's `_check_secret_key` failing: why a key is weak, or None when it is strong. Unknown
/// for a value that is not a string (Django would raise).
fn weakness(value: &Value) -> Result<Option<String>, ()> {
    let Value::Str(key) = value else {
        return Err(());
    };
    let length = key.chars().count();
    let unique = key.chars().collect::<BTreeSet<_>>().len();
    Ok(if key.starts_with(INSECURE_PREFIX) {
        Some(format!("is prefixed with '{INSECURE_PREFIX}'"))
    } else if length < MIN_LENGTH {
        Some(format!("has {length} characters"))
    } else if unique < MIN_UNIQUE {
        Some(format!("has {unique} unique characters"))
    } else {
        None
    })
}

fn is_weak(value: &Value) -> Tri {
    value.map_tri(|v| match weakness(v) {
        Ok(w) => Tri::from_bool(w.is_some()),
        Err(()) => Tri::Unknown,
    })
}

/// Django's message for a weak key named `what`, with the reason found.
fn message(what: &str, reason: Option<String>) -> String {
    let found = reason.map(|r| format!(" (it {r})")).unwrap_or_default();
    format!(
        "Your {what} has less than {MIN_LENGTH} characters, less than {MIN_UNIQUE} unique characters, or \
it's prefixed with '{INSECURE_PREFIX}' indicating that it was generated automatically by Django{found}. \
Please generate a long and random value, otherwise many of Django's security-critical features will be \
vulnerable to attack."
    )
}

/// security.W009. An empty (any falsy) SECRET_KEY makes Django raise on access: it fails too.
fn secret_key(ctx: &Ctx<'_>) -> Option<Finding> {
    let key = ctx.setting("SECRET_KEY");
    let weak = key.value.map_tri(|v| {
        if v.truthy() == Tri::No {
            Tri::Yes
        } else {
            is_weak(v)
        }
    });
    if weak != Tri::Yes {
        return None;
    }
    let reason = match (&*key.value, key.binding) {
        (_, None) => Some("is not set".to_string()),
        (v, _) if v.truthy() == Tri::No => Some("is empty".to_string()),
        (v, _) => weakness(v).ok().flatten(),
    };
    Some(Finding {
        code: "DJ009",
        message: message("SECRET_KEY", reason),
        anchor: ctx.anchor(&["SECRET_KEY"]),
        fixes: from_environment(ctx).into_iter().collect(),
    })
}

/// Reads SECRET_KEY from the environment (the variable it already reads, if any). Not safe: the
/// process then needs the variable set.
fn from_environment(ctx: &Ctx<'_>) -> Option<Fix> {
    let var = ctx
        .model
        .get("SECRET_KEY")
        .and_then(|b| b.env.iter().find_map(|e| e.var.clone()))
        .unwrap_or_else(|| ENV_VAR.to_string());
    let expr = format!(
        "os.environ[{}]",
        crate::python::value::python_str_literal(&var)
    );
    let mut edits = fixes::set_setting(ctx, "SECRET_KEY", &expr, &["SECRET_KEY", "DEBUG"])?;
    if let Some(import) = fixes::import_os(ctx, edits[0].range.start) {
        edits.insert(0, import);
    }
    Some(fixes::fix(
        format!("Read SECRET_KEY from the environment variable {var}"),
        edits,
        false,
    ))
}

/// security.W025, once per weak entry of SECRET_KEY_FALLBACKS.
fn fallbacks(ctx: &Ctx<'_>) -> Vec<Finding> {
    let setting = ctx.setting("SECRET_KEY_FALLBACKS");
    let Some(binding) = setting.binding else {
        return Vec::new();
    };
    let entries = match &*setting.value {
        Value::List(items) | Value::Tuple(items) => items,
        _ => return Vec::new(),
    };
    entries
        .iter()
        .enumerate()
        .filter(|(_, key)| is_weak(key) == Tri::Yes)
        .map(|(i, key)| Finding {
            code: "DJ025",
            message: message(
                &format!("SECRET_KEY_FALLBACKS[{i}]"),
                weakness(key).ok().flatten(),
            ),
            anchor: entry_anchor(ctx, binding, i, entries.len()),
            fixes: Vec::new(),
        })
        .collect()
}

/// The entry itself when this module's literal still holds it, else the assignment.
fn entry_anchor(
    ctx: &Ctx<'_>,
    binding: &crate::python::Binding,
    index: usize,
    len: usize,
) -> Anchor {
    let literal = binding
        .literal
        .as_ref()
        .filter(|l| !binding.mutated && !binding.is_imported() && l.elements.len() == len);
    let mut anchor = ctx.anchor_at("SECRET_KEY_FALLBACKS", binding);
    if let Some(range) = literal.and_then(|l| l.elements.get(index)) {
        anchor.range = *range;
    }
    anchor
}
