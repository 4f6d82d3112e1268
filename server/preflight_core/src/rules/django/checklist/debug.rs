//! DEBUG read from the environment: DJ104 a raw string (any set value, even "False", is true)
//! and DJ105 a default that turns debug on when the variable is missing.

use super::super::context::{Ctx, Finding};
use super::super::fixes;
use super::{from_env, own_expr};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::python::value::python_str_literal;
use crate::python::{Binding, EnvCast, EnvRead, Tri, Value};
use crate::text::TextRange;

/// What a boolean environment variable means, as the fix spells it.
const TRUE_WORDS: &str = "(\"1\", \"true\", \"yes\", \"on\")";

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(binding) = ctx.model.get("DEBUG") else {
        return;
    };
    [raw_string(ctx, binding), default_on(ctx, binding)]
        .into_iter()
        .flatten()
        .for_each(|f| ctx.emit(out, f));
}

/// DJ104: `DEBUG = os.environ.get("DEBUG", False)`: the read returns a string when set.
fn raw_string(ctx: &Ctx<'_>, binding: &Binding) -> Option<Finding> {
    let read = binding
        .direct_env()
        .filter(|r| r.cast == EnvCast::Str && !smart_cast(r))?;
    let var = read.var.as_deref().unwrap_or("the variable");
    Some(Finding {
        code: "DJ104",
        message: format!(
            "DEBUG is the raw string of {var} when it is set: every non-empty value, \"False\" and \"0\" \
included, turns debug on. Convert it to a boolean."
        ),
        anchor: ctx.anchor(&["DEBUG"]),
        fixes: boolean_fix(ctx, binding, read).into_iter().collect(),
    })
}

/// django-environ's `env("X", default=D)` casts to `type(D)` (its `smart_cast`): a bool default
/// makes it parse the variable as a bool.
fn smart_cast(read: &EnvRead) -> bool {
    read.reader == "env"
        && read
            .default
            .as_deref()
            .is_some_and(|d| !matches!(d, Value::Str(_) | Value::None))
}

/// Converts the read to a real boolean, in the reader's own idiom: `env.bool(...)` for
/// django-environ, `cast=bool` for decouple, a comparison for `os.environ`.
fn boolean_fix(ctx: &Ctx<'_>, binding: &Binding, read: &EnvRead) -> Option<Fix> {
    let expr = own_expr(ctx, binding)?;
    let call = ctx.text.get(expr.start..expr.end)?;
    let edits = match read.reader.as_str() {
        "os.environ.get" | "os.getenv" => {
            let var = python_str_literal(read.var.as_deref()?);
            let new = format!("os.environ.get({var}, \"\").lower() in {TRUE_WORDS}");
            // `from os import getenv` binds no `os`
            let import = fixes::import_os(ctx, expr.start);
            import
                .into_iter()
                .chain([Edit::replace(expr, new)])
                .collect()
        }
        "env" => {
            let open = call.find('(')?;
            let callee = &call[..open];
            if callee.is_empty() || !callee.chars().all(|c| c.is_alphanumeric() || c == '_') {
                return None;
            }
            vec![Edit::insert(expr.start + open, ".bool")]
        }
        "config" => {
            let close = call.rfind(')')?;
            let before = call[..close].trim_end();
            let sep = if before.ends_with(',') || before.ends_with('(') {
                " "
            } else {
                ", "
            };
            let sep = if before.ends_with('(') { "" } else { sep };
            vec![Edit::insert(
                expr.start + before.len(),
                format!("{sep}cast=bool"),
            )]
        }
        _ => return None,
    };
    Some(fixes::fix("Read DEBUG as a boolean", edits, false))
}

/// DJ105: DEBUG is on in the production world (the variable unset): the default enables it.
fn default_on(ctx: &Ctx<'_>, binding: &Binding) -> Option<Finding> {
    if !from_env(binding) || binding.value.truthy() != Tri::Yes {
        return None;
    }
    let var = binding
        .env
        .iter()
        .find_map(|r| r.var.as_deref())
        .unwrap_or("the variable");
    Some(Finding {
        code: "DJ105",
        message: format!(
            "DEBUG defaults to on when {var} is not set: a server started without it runs in debug mode. \
Make the default off and enable debug explicitly in development."
        ),
        anchor: ctx.anchor(&["DEBUG"]),
        fixes: default_off_fix(ctx, binding).into_iter().collect(),
    })
}

/// Flips the one truthy default written in the read (`True`, `"True"`, `"1"`...) to its off
/// spelling; the variable's name (the first argument) is never touched.
fn default_off_fix(ctx: &Ctx<'_>, binding: &Binding) -> Option<Fix> {
    let [read] = binding.env.as_slice() else {
        return None;
    };
    if binding.is_imported() || read.range.end > ctx.text.len() {
        return None;
    }
    let call = ctx.text.get(read.range.start..read.range.end)?;
    let args_from = call.find(',')? + 1;
    let hits: Vec<(usize, &str, &str)> = DEFAULT_FLIPS
        .iter()
        .flat_map(|(on, off)| {
            token_positions(&call[args_from..], on)
                .into_iter()
                .map(move |at| (args_from + at, *on, *off))
        })
        .collect();
    let [(at, on, off)] = hits[..] else {
        return None;
    };
    let start = read.range.start + at;
    let edit = Edit::replace(TextRange::new(start, start + on.len()), off);
    Some(fixes::fix("Make DEBUG default to off", vec![edit], false))
}

/// Truthy defaults and their off spellings.
const DEFAULT_FLIPS: &[(&str, &str)] = &[
    ("True", "False"),
    ("\"True\"", "\"False\""),
    ("'True'", "'False'"),
    ("\"true\"", "\"false\""),
    ("'true'", "'false'"),
    ("\"1\"", "\"0\""),
    ("'1'", "'0'"),
    ("\"yes\"", "\"no\""),
    ("'yes'", "'no'"),
    ("\"on\"", "\"off\""),
    ("'on'", "'off'"),
];

/// Where `token` occurs in `text` as a whole token (not inside a longer identifier).
fn token_positions(text: &str, token: &str) -> Vec<usize> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(token)
        .map(|(i, _)| i)
        .filter(|&i| {
            let before = text[..i].chars().next_back();
            let after = text[i + token.len()..].chars().next();
            let word = token.starts_with(ident);
            // a bare word inside quotes is part of a string token, counted as that one
            let quote = |c: char| ident(c) || c == '"' || c == '\'';
            !word || (!before.is_some_and(quote) && !after.is_some_and(quote))
        })
        .collect()
}
