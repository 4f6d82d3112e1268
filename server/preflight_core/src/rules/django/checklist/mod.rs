//! The deployment checklist beyond `manage.py check --deploy` (`DJ101..`): committed secrets,
//! environment reads that fail open, development services left in production, dead and
//! misspelled settings. Django is not the oracle for whether these fire, so each one is
//! conservative: a finding needs a known value, and a missing setting is only claimed in a
//! module that cannot inject it (`model.open`). None mirrors `check --deploy`, except DJ125:
//! `4_0.E001`, a compatibility check that `check --deploy` prints too.

mod commented;
mod debug;
mod files;
mod hygiene;
mod mail;
mod names;
mod requests;
mod secrets;
mod services;
mod storages;
mod templates;

#[cfg(test)]
mod tests;

use std::borrow::Cow;

use super::context::Ctx;
use crate::diagnostic::Diagnostic;
use crate::python::{Binding, Tri, Value};

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    secrets::check(ctx, out);
    debug::check(ctx, out);
    requests::check(ctx, out);
    services::check(ctx, out);
    mail::check(ctx, out);
    files::check(ctx, out);
    templates::check(ctx, out);
    hygiene::check(ctx, out);
    commented::check(ctx, out);
}

/// The effective value of a setting with `default` as Django's value when it is missing; Unknown
/// when it is missing from a module that may inject it.
fn value_or<'m>(ctx: &Ctx<'m>, name: &str, default: Value) -> Cow<'m, Value> {
    match ctx.model.get(name) {
        Some(b) => Cow::Borrowed(&b.value),
        None if ctx.model.open => Cow::Owned(Value::Unknown),
        None => Cow::Owned(default),
    }
}

/// Whether `name` is certainly missing (not bound, and the module cannot inject it).
fn missing(ctx: &Ctx<'_>, name: &str) -> bool {
    ctx.model.get(name).is_none() && !ctx.model.open
}

/// Whether INSTALLED_APPS certainly contains `app`.
fn installed(ctx: &Ctx<'_>, app: &str) -> bool {
    ctx.setting("INSTALLED_APPS").value.contains_str(app) == Tri::Yes
}

/// A known, non-empty string in every possibility of `value`: a secret someone wrote down.
fn is_written_secret(value: &Value) -> bool {
    value.map_tri(|v| Tri::from_bool(matches!(v, Value::Str(s) if !s.is_empty()))) == Tri::Yes
}

/// Whether the value of `binding` passed through an environment read.
fn from_env(binding: &Binding) -> bool {
    !binding.env.is_empty()
}

/// The binding's assigned expression, when it is written in this module's text.
fn own_expr(ctx: &Ctx<'_>, binding: &Binding) -> Option<crate::text::TextRange> {
    binding
        .expr
        .filter(|_| !binding.is_imported() && !binding.mutated)
        .filter(|e| e.end <= ctx.text.len())
}

/// How often `name` occurs in the text as a whole word.
fn occurrences(text: &str, name: &str) -> usize {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(name)
        .filter(|(i, _)| {
            !text[..*i].chars().next_back().is_some_and(ident)
                && !text[i + name.len()..].chars().next().is_some_and(ident)
        })
        .count()
}
