//! TEMPLATES options: explicit loaders without the cached loader (DJ117) and the template
//! engine's debug option left on (DJ118).

use super::super::context::{Ctx, Finding};
use crate::diagnostic::Diagnostic;
use crate::python::{Tri, Value};

const DJANGO_TEMPLATES: &str = "django.template.backends.django.DjangoTemplates";
const CACHED_LOADER: &str = "django.template.loaders.cached.Loader";

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(binding) = ctx.model.get("TEMPLATES") else {
        return;
    };
    let Some(engines) = binding.value.as_seq() else {
        return;
    };
    for (i, engine) in engines.iter().enumerate() {
        let Some(options) = engine.dict_get("OPTIONS") else {
            continue;
        };
        let findings = [
            uncached(ctx, engine, options, i),
            debug_option(ctx, options, i),
        ];
        findings
            .into_iter()
            .flatten()
            .for_each(|f| ctx.emit(out, f));
    }
}

/// DJ117: Django enables the cached loader only when OPTIONS has no "loaders"; an explicit list
/// must include it.
fn uncached(ctx: &Ctx<'_>, engine: &Value, options: &Value, index: usize) -> Option<Finding> {
    if engine.dict_get("BACKEND")?.as_str()? != DJANGO_TEMPLATES {
        return None;
    }
    let loaders = options.dict_get("loaders")?.as_seq()?;
    let cached = loaders.iter().any(|loader| match loader {
        Value::Str(s) => s == CACHED_LOADER,
        Value::List(pair) | Value::Tuple(pair) => pair
            .first()
            .is_some_and(|l| l.eq_str(CACHED_LOADER) == Tri::Yes),
        _ => true, // unknown entry: could be the cached loader
    });
    (!cached).then(|| Finding {
        code: "DJ117",
        message: format!(
            "TEMPLATES[{index}] lists its loaders without the cached loader, so every template is read \
and compiled again on each render. Wrap them: [(\"{CACHED_LOADER}\", [...])], or remove \"loaders\" \
to get Django's cached default."
        ),
        anchor: ctx.anchor(&["TEMPLATES"]),
        fixes: Vec::new(),
    })
}

/// DJ118: `"debug": True` in a template engine's OPTIONS.
fn debug_option(ctx: &Ctx<'_>, options: &Value, index: usize) -> Option<Finding> {
    if options.dict_get("debug")?.truthy() != Tri::Yes {
        return None;
    }
    Some(Finding {
        code: "DJ118",
        message: format!(
            "TEMPLATES[{index}] has \"debug\" on in its OPTIONS: template errors carry source excerpts \
and rendering is slower. Remove the option (it follows DEBUG by default)."
        ),
        anchor: ctx.anchor(&["TEMPLATES"]),
        fixes: Vec::new(),
    })
}
