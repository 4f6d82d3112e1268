//! Which requests and origins the site trusts: ALLOWED_HOSTS wildcards (DJ106, DJ128), CORS
//! open to every origin (DJ123), SameSite=None cookies without Secure (DJ124), and
//! CSRF_TRUSTED_ORIGINS without a scheme (DJ125, Django's `4_0.E001`).

use super::super::context::{Ctx, Finding};
use super::super::fixes;
use super::from_env;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::python::{Binding, Tri, Value};
use crate::text::TextRange;

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let findings = allowed_hosts(ctx)
        .into_iter()
        .chain(cors_allow_all(ctx))
        .chain(samesite_none(ctx))
        .chain(trusted_origins(ctx));
    findings.for_each(|f| ctx.emit(out, f));
}

/// DJ106 (`"*"`) and DJ128 (`.example.com` entries).
fn allowed_hosts(ctx: &Ctx<'_>) -> Vec<Finding> {
    let Some(binding) = ctx.model.get("ALLOWED_HOSTS") else {
        return Vec::new();
    };
    let Some(hosts) = binding.value.as_seq() else {
        return Vec::new();
    };
    let hosts: Vec<&str> = hosts.iter().filter_map(Value::as_str).collect();
    let source = if from_env(binding) {
        " (the default of an environment read, used when the variable is not set)"
    } else {
        ""
    };
    let mut out = Vec::new();
    if hosts.contains(&"*") {
        out.push(Finding {
            code: "DJ106",
            message: format!(
                "ALLOWED_HOSTS accepts any host (\"*\"){source}: Host-header attacks can poison password-reset \
links and caches. List the site's domain names."
            ),
            anchor: ctx.anchor(&["ALLOWED_HOSTS"]),
            fixes: Vec::new(),
        });
    }
    let subdomains: Vec<&str> = hosts.into_iter().filter(|h| h.starts_with('.')).collect();
    if !subdomains.is_empty() {
        out.push(Finding {
            code: "DJ128",
            message: format!(
                "ALLOWED_HOSTS accepts every subdomain of {}{source}: make sure no subdomain is served by \
someone else, or list the exact names.",
                subdomains.join(", ")
            ),
            anchor: ctx.anchor(&["ALLOWED_HOSTS"]),
            fixes: Vec::new(),
        });
    }
    out
}

/// DJ123: django-cors-headers allows every origin (its current and its pre-3.5 name).
fn cors_allow_all(ctx: &Ctx<'_>) -> Vec<Finding> {
    let credentials = ctx
        .model
        .get("CORS_ALLOW_CREDENTIALS")
        .is_some_and(|b| b.value.truthy() == Tri::Yes);
    let note = if credentials {
        " With CORS_ALLOW_CREDENTIALS on, any site can make authenticated requests as your users."
    } else {
        ""
    };
    ["CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"]
        .into_iter()
        .filter(|name| ctx.model.get(name).is_some_and(|b| b.value.truthy() == Tri::Yes))
        .map(|name| Finding {
            code: "DJ123",
            message: format!(
                "{name} lets every website read your responses from a visitor's browser.{note} List the \
allowed origins in CORS_ALLOWED_ORIGINS instead."
            ),
            anchor: ctx.anchor(&[name]),
            fixes: Vec::new(),
        })
        .collect()
}

/// DJ124: browsers reject a `SameSite=None` cookie that is not `Secure`.
fn samesite_none(ctx: &Ctx<'_>) -> Vec<Finding> {
    [
        ("SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_SECURE"),
        ("CSRF_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE"),
    ]
    .into_iter()
    .filter(|(samesite, _)| {
        ctx.model
            .get(samesite)
            .is_some_and(|b| b.value.eq_str("None") == Tri::Yes)
    })
    .filter(|(_, secure)| ctx.setting(secure).value.is_true() == Tri::No)
    .map(|(samesite, secure)| Finding {
        code: "DJ124",
        message: format!(
            "{samesite} is \"None\" but {secure} is not True: browsers reject SameSite=None cookies that \
are not Secure, so the cookie is dropped. Set {secure} = True."
        ),
        anchor: ctx.anchor(&[samesite]),
        fixes: fixes::set_fix(ctx, secure, "True", &[secure, samesite], false)
            .into_iter()
            .collect(),
    })
    .collect()
}

/// DJ125 (`4_0.E001`): a CSRF_TRUSTED_ORIGINS entry without a scheme, once per entry as Django
/// reports it. Origins are not secrets: Django prints them too.
fn trusted_origins(ctx: &Ctx<'_>) -> Vec<Finding> {
    let setting = ctx.setting("CSRF_TRUSTED_ORIGINS");
    let (Some(binding), Some(origins)) = (setting.binding, setting.value.as_seq()) else {
        return Vec::new();
    };
    origins
        .iter()
        .enumerate()
        .filter_map(|(i, origin)| Some((i, origin.as_str()?)))
        .filter(|(_, origin)| !origin.contains("://"))
        .map(|(i, origin)| {
            let element = element_range(ctx, binding, i, origins.len());
            let mut anchor = ctx.anchor(&["CSRF_TRUSTED_ORIGINS"]);
            anchor.range = element.unwrap_or(anchor.range);
            Finding {
                code: "DJ125",
                message: format!(
                    "As of Django 4.0, the values in the CSRF_TRUSTED_ORIGINS setting must start with a \
scheme (usually http:// or https://) but found {origin}. See the release notes for details."
                ),
                anchor,
                fixes: element.and_then(|e| https_fix(ctx, e)).into_iter().collect(),
            }
        })
        .collect()
}

/// The entry's range in this module's literal, when the literal still holds every entry.
fn element_range(ctx: &Ctx<'_>, binding: &Binding, index: usize, len: usize) -> Option<TextRange> {
    let literal = binding
        .literal
        .as_ref()
        .filter(|l| !binding.mutated && !binding.is_imported() && l.elements.len() == len)?;
    literal
        .elements
        .get(index)
        .copied()
        .filter(|e| e.end <= ctx.text.len())
}

/// Prefixes the entry with `https://`, when it is a plain quoted string.
fn https_fix(ctx: &Ctx<'_>, element: TextRange) -> Option<Fix> {
    let text = ctx.text.get(element.start..element.end)?;
    if !text.starts_with(['"', '\'']) || text.starts_with("\"\"\"") || text.starts_with("'''") {
        return None;
    }
    let edit = Edit::insert(element.start + 1, "https://");
    Some(fixes::fix("Add the https:// scheme", vec![edit], false))
}
