//! Content Security Policy settings (Django 6.0+): security.E026 (a policy is not a dict) and
//! W027 (a nonce is used but templates cannot render it, 6.1+).

use super::context::{CSP_MW, Ctx, Finding, shown};
use super::fixes;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::python::{LiteralKind, Tri, Value};

const POLICIES: [&str; 2] = ["SECURE_CSP", "SECURE_CSP_REPORT_ONLY"];
/// `django.utils.csp.CSP.NONCE`, a `StrEnum` member equal to this string.
const NONCE: &str = "<CSP_NONCE_SENTINEL>";
const CSP_CONTEXT_PROCESSOR: &str = "django.template.context_processors.csp";

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    POLICIES
        .iter()
        .filter_map(|name| not_a_dict(ctx, name))
        .for_each(|f| ctx.emit(out, f));
    if let Some(f) = nonce_without_context_processor(ctx) {
        ctx.emit(out, f);
    }
}

/// security.E026: a policy that is neither None nor a dict.
fn not_a_dict(ctx: &Ctx<'_>, name: &'static str) -> Option<Finding> {
    let policy = ctx.setting(name);
    let wrong = policy
        .value
        .map_tri(|v| Tri::from_bool(!matches!(v, Value::None | Value::Dict(_))));
    if wrong != Tri::Yes {
        return None;
    }
    Some(Finding {
        code: "DJ026",
        message: format!(
            "The Content Security Policy setting '{name}' must be a dictionary (got {} instead). Map each \
directive to its values, e.g. {{\"default-src\": [CSP.SELF]}}, or use None to disable it.",
            shown(&policy.value)
        ),
        anchor: ctx.anchor(&[name]),
        fixes: Vec::new(),
    })
}

/// security.W027: the CSP middleware is on, a policy uses CSP.NONCE, and no template backend
/// has the csp context processor.
fn nonce_without_context_processor(ctx: &Ctx<'_>) -> Option<Finding> {
    let with_nonce = POLICIES
        .iter()
        .find(|name| policy_has_nonce(&ctx.setting(name).value) == Tri::Yes)?;
    let configured = context_processor_configured(&ctx.setting("TEMPLATES").value);
    if ctx.has_middleware(CSP_MW).and(configured.negate()) != Tri::Yes {
        return None;
    }
    let mut anchor = ctx.anchor(&[with_nonce, "TEMPLATES"]);
    anchor.related.extend(ctx.related(
        "TEMPLATES",
        "the template backends are configured here".to_string(),
    ));
    Some(Finding {
        code: "DJ027",
        message: format!(
            "Your Content Security Policy includes CSP.NONCE ({with_nonce}) and '{CSP_MW}' is enabled, but \
'{CSP_CONTEXT_PROCESSOR}' is not configured. The nonce will appear in the response header but not in \
rendered templates, so nonce-based protection will not take effect. Add '{CSP_CONTEXT_PROCESSOR}' to the \
'context_processors' option of at least one template backend."
        ),
        anchor,
        fixes: add_context_processor(ctx).into_iter().collect(),
    })
}

/// `_csp_policy_contains_nonce`: a dict with a value that is, or contains, CSP.NONCE.
fn policy_has_nonce(policy: &Value) -> Tri {
    policy.map_tri(|p| match p {
        Value::Dict(items) => Tri::any_of(items.iter().map(|(_, v)| value_has_nonce(v))),
        // `policy.values()` raises AttributeError: Django says no
        _ => Tri::No,
    })
}

fn value_has_nonce(value: &Value) -> Tri {
    value.map_tri(|v| match v {
        Value::Str(s) => Tri::from_bool(s.contains(NONCE)),
        Value::List(items) | Value::Tuple(items) | Value::Set(items) => {
            Tri::any_of(items.iter().map(is_nonce))
        }
        Value::Dict(items) => Tri::any_of(items.iter().map(|(k, _)| is_nonce(k))),
        Value::Object(name) => Tri::from_bool(name.ends_with("CSP.NONCE")),
        // `NONCE in value` raises TypeError, which Django ignores
        _ => Tri::No,
    })
}

fn is_nonce(value: &Value) -> Tri {
    value.map_tri(|v| match v {
        Value::Str(s) => Tri::from_bool(s == NONCE),
        Value::Object(name) => Tri::from_bool(name.ends_with("CSP.NONCE")),
        _ => Tri::No,
    })
}

/// `_csp_context_processor_configured`: some dict backend lists the processor in
/// OPTIONS["context_processors"].
fn context_processor_configured(templates: &Value) -> Tri {
    templates.map_tri(|t| match t.as_seq() {
        Some(backends) => Tri::any_of(backends.iter().map(backend_has_processor)),
        None => Tri::Unknown,
    })
}

fn backend_has_processor(backend: &Value) -> Tri {
    backend.map_tri(|b| {
        let Value::Dict(_) = b else { return Tri::No };
        match b.dict_get("OPTIONS") {
            None => Tri::No,
            Some(options) => options.map_tri(|o| match o {
                Value::Dict(_) => o
                    .dict_get("context_processors")
                    .map_or(Tri::No, |p| p.contains_str(CSP_CONTEXT_PROCESSOR)),
                _ => Tri::Unknown,
            }),
        }
    })
}

/// Adds the csp context processor to the one `"context_processors": [...]` list written in this
/// module's TEMPLATES literal, as its first entry. Safe: a context processor only adds
/// `csp_nonce` to template contexts.
fn add_context_processor(ctx: &Ctx<'_>) -> Option<Fix> {
    let binding = ctx
        .model
        .get("TEMPLATES")
        .filter(|b| !b.mutated && !b.is_imported())?;
    let literal = binding
        .literal
        .as_ref()
        .filter(|l| l.kind == LiteralKind::List)?;
    let body = ctx.text.get(literal.range.start..literal.range.end)?;
    let keys: Vec<usize> = ["\"context_processors\"", "'context_processors'"]
        .iter()
        .flat_map(|key| {
            body.match_indices(key)
                .map(|(i, k)| i + k.len())
                .collect::<Vec<_>>()
        })
        .collect();
    let [after_key] = keys[..] else { return None };
    let rest = &body[after_key..];
    let colon = rest.trim_start().strip_prefix(':')?;
    let list = colon.trim_start().strip_prefix('[')?;
    let open = literal.range.start + after_key + (rest.len() - list.len());
    let first = list.trim_start_matches([' ', '\t', '\r', '\n']);
    let first_at = open + (list.len() - first.len());
    let item = if first.starts_with('\'') {
        format!("'{CSP_CONTEXT_PROCESSOR}'")
    } else {
        fixes::quoted(ctx, None, CSP_CONTEXT_PROCESSOR)
    };
    let edit = match first.chars().next()? {
        ']' => Edit::insert(open, item),
        '"' | '\''
            if list.len() != first.len() && list[..list.len() - first.len()].contains('\n') =>
        {
            let indent = &ctx.text[ctx.text[..first_at].rfind('\n').map_or(0, |i| i + 1)..first_at];
            Edit::insert(
                first_at,
                format!("{item},{}{indent}", crate::text::eol(ctx.text)),
            )
        }
        '"' | '\'' => Edit::insert(first_at, format!("{item}, ")),
        _ => return None,
    };
    Some(fixes::fix(
        "Add the csp context processor to TEMPLATES",
        vec![edit],
        true,
    ))
}
