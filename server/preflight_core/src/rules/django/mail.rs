//! MAILERS (Django 6.1+): mail.E001 (a development-only backend as the default mailer) and
//! mail.W001 (no default mailer).

use super::context::{Ctx, Finding};
use super::fixes;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::python::{LiteralKind, Tri, Value};
use crate::text::TextRange;

const DEFAULT: &str = "default";
const DEVELOPMENT_BACKENDS: [&str; 4] = [
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
];
const SMTP_BACKEND: &str = "django.core.mail.backends.smtp.EmailBackend";

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    // Django 6.1 has no MAILERS default: only a module that sets it can fail these checks
    let Some(mailers) = ctx.model.get("MAILERS") else {
        return;
    };
    let findings = [
        development_backend(ctx, &mailers.value),
        no_default(ctx, &mailers.value),
    ];
    findings
        .into_iter()
        .flatten()
        .for_each(|f| ctx.emit(out, f));
}

/// The BACKEND of MAILERS["default"] when it is a development-only backend.
fn development_backend_of(mailers: &Value) -> Option<&str> {
    let backend = mailers.dict_get(DEFAULT)?.dict_get("BACKEND")?.as_str()?;
    DEVELOPMENT_BACKENDS.contains(&backend).then_some(backend)
}

/// mail.E001.
fn development_backend(ctx: &Ctx<'_>, mailers: &Value) -> Option<Finding> {
    let backend = development_backend_of(mailers)?;
    Some(Finding {
        code: "DJ030",
        message: format!(
            "Your MAILERS setting uses a development-only email backend in the '{DEFAULT}' entry ({backend}). \
Use a production-ready email backend, such as the SMTP backend, otherwise email will not be sent."
        ),
        anchor: ctx.anchor(&["MAILERS"]),
        fixes: smtp_fix(ctx, backend).into_iter().collect(),
    })
}

/// Switches the backend string in this module's MAILERS literal to SMTP, when it is written
/// there exactly once. Not safe: SMTP needs host and credentials.
fn smtp_fix(ctx: &Ctx<'_>, backend: &str) -> Option<Fix> {
    let binding = ctx
        .model
        .get("MAILERS")
        .filter(|b| !b.mutated && !b.is_imported())?;
    let literal = binding
        .literal
        .as_ref()
        .filter(|l| l.kind == LiteralKind::Dict)?;
    let body = ctx.text.get(literal.range.start..literal.range.end)?;
    let quoted: Vec<usize> = ['"', '\'']
        .iter()
        .flat_map(|q| {
            body.match_indices(&format!("{q}{backend}{q}"))
                .map(|(i, _)| i + 1)
                .collect::<Vec<_>>()
        })
        .collect();
    let [at] = quoted[..] else { return None };
    let start = literal.range.start + at;
    let edit = Edit::replace(TextRange::new(start, start + backend.len()), SMTP_BACKEND);
    Some(fixes::fix("Use the SMTP email backend", vec![edit], false))
}

/// mail.W001: MAILERS is set but has no "default" entry.
fn no_default(ctx: &Ctx<'_>, mailers: &Value) -> Option<Finding> {
    if mailers.contains_str(DEFAULT) != Tri::No {
        return None;
    }
    let hint = match mailers.truthy() {
        Tri::Yes => {
            format!("Add a '{DEFAULT}' entry to MAILERS, or pass 'using' when sending email.")
        }
        _ => format!("Add a '{DEFAULT}' entry to MAILERS."),
    };
    Some(Finding {
        code: "DJ031",
        message: format!(
            "Your MAILERS setting has no '{DEFAULT}' entry. Sending email without a valid mailer will fail. {hint}"
        ),
        anchor: ctx.anchor(&["MAILERS"]),
        fixes: Vec::new(),
    })
}
