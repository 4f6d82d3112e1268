//! What gunicorn does with the file's names and values: names it ignores (GUN003), values its
//! validators reject at start-up (GUN004), a setting it ignores (`ssl_version`, GUN018).

use super::context::Ctx;
use super::{fixes, names};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::gunicorn::settings::Setting;
use crate::gunicorn::validate::{self, Rejection, Verdict, check_hook};
use crate::python::{Binding, Value};

/// G3: module-level names gunicorn ignores.
pub(super) fn unknown_settings(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
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
pub(super) fn invalid_values(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
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

/// G18 (first half).
pub(super) fn ssl_version(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
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
