//! DJ126: a security setting left commented out (`# SECURE_SSL_REDIRECT = True`) while the
//! effective value is the unsafe one.

use super::super::context::{Anchor, Ctx, Finding};
use super::super::fixes;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::python::{Tri, Value};
use crate::text::TextRange;

/// Whether a value of a setting is the safe one.
type IsSafe = fn(&Value) -> bool;

/// Security settings and their safe values.
const SECURITY_SETTINGS: &[(&str, IsSafe)] = &[
    ("DEBUG", |v| matches!(v, Value::Bool(false))),
    (
        "SECURE_HSTS_SECONDS",
        |v| matches!(v, Value::Int(i) if *i > 0),
    ),
    ("X_FRAME_OPTIONS", |v| v.as_str() == Some("DENY")),
    ("SECURE_SSL_REDIRECT", is_true),
    ("SESSION_COOKIE_SECURE", is_true),
    ("CSRF_COOKIE_SECURE", is_true),
    ("SESSION_COOKIE_HTTPONLY", is_true),
    ("CSRF_COOKIE_HTTPONLY", is_true),
    ("SECURE_HSTS_INCLUDE_SUBDOMAINS", is_true),
    ("SECURE_HSTS_PRELOAD", is_true),
    ("SECURE_CONTENT_TYPE_NOSNIFF", is_true),
];

fn is_true(value: &Value) -> bool {
    matches!(value, Value::Bool(true))
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    ctx.model
        .comments
        .iter()
        .filter_map(|(range, body)| commented_out(ctx, *range, body))
        .for_each(|f| ctx.emit(out, f));
}

/// A commented-out `NAME = literal`: the name, the value, and the statement's text.
fn parse_commented(body: &str) -> Option<(&str, Value, &str)> {
    let statement = body.trim_start();
    let code = statement.split('#').next()?.trim_end();
    let (name, value) = code.split_once('=')?;
    let (name, value) = (name.trim(), value.trim());
    let quoted = |q: char| value.len() >= 2 && value.starts_with(q) && value.ends_with(q);
    let value = match value {
        "True" => Value::Bool(true),
        "False" => Value::Bool(false),
        _ if quoted('"') || quoted('\'') => Value::str(&value[1..value.len() - 1]),
        _ => Value::Int(value.replace('_', "").parse().ok()?),
    };
    Some((name, value, statement))
}

/// The comment sets a security setting to its safe value, no later assignment in this module
/// would override the uncommented line, and the effective value is certainly not safe.
fn commented_out(ctx: &Ctx<'_>, range: TextRange, body: &str) -> Option<Finding> {
    let (name, value, statement) = parse_commented(body)?;
    let &(name, is_safe) = SECURITY_SETTINGS.iter().find(|(n, _)| *n == name)?;
    if !is_safe(&value) {
        return None;
    }
    let binding = ctx.model.get(name);
    if binding.is_some_and(|b| !b.is_imported() && b.site.stmt.start > range.start) {
        return None;
    }
    let effective = ctx.setting(name).value;
    if effective.map_tri(|v| Tri::from_bool(is_safe(v))) != Tri::No {
        return None;
    }
    Some(Finding {
        code: "DJ126",
        message: format!(
            "{name} is commented out here, so the safe value it shows is not in effect. Uncomment it if it \
should apply in production."
        ),
        anchor: Anchor {
            range,
            related: Vec::new(),
        },
        fixes: uncomment_fix(ctx, range, statement).into_iter().collect(),
    })
}

/// Uncomments a whole-line comment at column 0, so the statement lands at the top level.
fn uncomment_fix(ctx: &Ctx<'_>, range: TextRange, statement: &str) -> Option<Fix> {
    let line_start = ctx
        .text
        .get(..range.start)?
        .rfind('\n')
        .map_or(0, |i| i + 1);
    if line_start != range.start {
        return None;
    }
    let edit = Edit::replace(range, statement);
    Some(fixes::fix("Uncomment it", vec![edit], false))
}
