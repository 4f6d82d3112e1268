//! security.W018 (DEBUG on) and W020 (ALLOWED_HOSTS empty): plain truthiness, as in Django.

use super::context::{Ctx, Finding, found};
use super::fixes;
use crate::diagnostic::Diagnostic;
use crate::python::{Tri, Value};

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    [debug(ctx), allowed_hosts(ctx)]
        .into_iter()
        .flatten()
        .for_each(|f| ctx.emit(out, f));
}

/// security.W018: DEBUG is truthy, e.g. `True`, `1` or the string `"False"`.
fn debug(ctx: &Ctx<'_>) -> Option<Finding> {
    let debug = ctx.setting("DEBUG");
    if debug.value.truthy() != Tri::Yes {
        return None;
    }
    let why = match &*debug.value {
        Value::Bool(true) => String::new(),
        Value::Str(_) => format!(" ({}: a non-empty string is true)", found(&debug)),
        _ => format!(" ({}, which is true)", found(&debug)),
    };
    // replacing an environment read also drops the variable: not automatic then
    let safe = debug.binding.is_some_and(|b| b.env.is_empty());
    Some(Finding {
        code: "DJ018",
        message: format!("You should not have DEBUG set to True in deployment{why}."),
        anchor: ctx.anchor(&["DEBUG"]),
        fixes: fixes::set_fix(ctx, "DEBUG", "False", &["DEBUG"], safe)
            .into_iter()
            .collect(),
    })
}

/// security.W020: ALLOWED_HOSTS is falsy. No fix: only the user knows the host names.
fn allowed_hosts(ctx: &Ctx<'_>) -> Option<Finding> {
    let hosts = ctx.setting("ALLOWED_HOSTS");
    if hosts.value.truthy() != Tri::No {
        return None;
    }
    Some(Finding {
        code: "DJ020",
        message: format!(
            "ALLOWED_HOSTS must not be empty in deployment ({}).",
            found(&hosts)
        ),
        anchor: ctx.anchor(&["ALLOWED_HOSTS", "DEBUG"]),
        fixes: Vec::new(),
    })
}
