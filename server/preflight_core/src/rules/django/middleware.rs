//! security.W001, W002, W003: Django's protective middleware is not in MIDDLEWARE.

use super::context::{COMMON_MW, CSRF_MW, Ctx, Finding, SECURITY_MW, SESSION_MW, XFRAME_MW};
use super::fixes;
use crate::diagnostic::{Diagnostic, Fix};
use crate::python::{Tri, Value};

/// Where a middleware goes in the list.
#[derive(Clone, Copy)]
enum Position {
    First,
    /// After the last of these that is present, else first.
    After(&'static [&'static str]),
    Last,
}

struct Required {
    code: &'static str,
    path: &'static str,
    position: Position,
    /// Whether adding it can only do what the warning asks (CSRF starts rejecting requests).
    safe: bool,
    message: &'static str,
}

const REQUIRED: [Required; 3] = [
    Required {
        code: "DJ001",
        path: SECURITY_MW,
        position: Position::First,
        safe: true,
        message: "You do not have 'django.middleware.security.SecurityMiddleware' in your MIDDLEWARE so \
the SECURE_HSTS_SECONDS, SECURE_CONTENT_TYPE_NOSNIFF, SECURE_REFERRER_POLICY, \
SECURE_CROSS_ORIGIN_OPENER_POLICY, and SECURE_SSL_REDIRECT settings will have no effect.",
    },
    Required {
        code: "DJ002",
        path: XFRAME_MW,
        position: Position::Last,
        safe: true,
        message: "You do not have 'django.middleware.clickjacking.XFrameOptionsMiddleware' in your \
MIDDLEWARE, so your pages will not be served with an 'x-frame-options' header. Unless there is \
a good reason for your site to be served in a frame, you should consider enabling this header \
to help prevent clickjacking attacks.",
    },
    Required {
        code: "DJ003",
        path: CSRF_MW,
        position: Position::After(&[SECURITY_MW, SESSION_MW, COMMON_MW]),
        safe: false,
        message: "You don't appear to be using Django's built-in cross-site request forgery protection \
via the middleware ('django.middleware.csrf.CsrfViewMiddleware' is not in your MIDDLEWARE). \
Enabling the middleware is the safest approach to ensure you don't leave any holes.",
    },
];

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for required in &REQUIRED {
        if ctx.has_middleware(required.path) == Tri::No {
            ctx.emit(out, finding(ctx, required));
        }
    }
}

fn finding(ctx: &Ctx<'_>, required: &Required) -> Finding {
    let mut message = required.message.to_string();
    if ctx.model.get("MIDDLEWARE").is_none() {
        message.push_str(" MIDDLEWARE is not set, so it is empty.");
    }
    let django_id = super::registry::rule(required.code)
        .django
        .unwrap_or_default();
    let fixes = [
        add_middleware(ctx, required),
        fixes::silence(ctx, django_id),
    ];
    Finding {
        code: required.code,
        message,
        anchor: ctx.anchor(&["MIDDLEWARE"]),
        fixes: fixes.into_iter().flatten().collect(),
    }
}

/// Adds the middleware: into the MIDDLEWARE literal of this module at its position, or, for a
/// value built elsewhere, as an override of the whole list when the position allows it.
fn add_middleware(ctx: &Ctx<'_>, required: &Required) -> Option<Fix> {
    let binding = ctx.model.get("MIDDLEWARE")?;
    let items = binding.value.as_seq()?;
    let editable = binding.literal.as_ref().filter(|lit| {
        !binding.mutated && !binding.is_imported() && lit.elements.len() == items.len()
    });
    let item = fixes::quoted(ctx, editable, required.path);
    let edits = match editable {
        Some(lit) => fixes::insert_element(ctx, lit, index(items, required.position), &item)?,
        None => {
            let list = match required.position {
                Position::First => format!("[{item}, *MIDDLEWARE]"),
                Position::Last => format!("[*MIDDLEWARE, {item}]"),
                Position::After(_) => return None,
            };
            vec![fixes::insert_after(
                ctx,
                binding.site.stmt,
                &format!("MIDDLEWARE = {list}"),
            )?]
        }
    };
    let name = required.path.rsplit('.').next().unwrap_or(required.path);
    Some(fixes::fix(
        format!("Add {name} to MIDDLEWARE"),
        edits,
        required.safe,
    ))
}

fn index(items: &[Value], position: Position) -> usize {
    let position_of = |path: &str| items.iter().rposition(|v| v.as_str() == Some(path));
    match position {
        Position::First => 0,
        Position::Last => items.len(),
        Position::After(anchors) => anchors
            .iter()
            .filter_map(|a| position_of(a))
            .max()
            .map_or(0, |i| i + 1),
    }
}
