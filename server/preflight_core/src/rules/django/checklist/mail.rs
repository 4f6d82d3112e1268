//! Email: a development EMAIL_BACKEND (DJ112; MAILERS' is mail.E001), sender addresses left at
//! Django's localhost defaults while errors are mailed to ADMINS (DJ113), nobody to mail errors
//! to (DJ120), and Django 6.1's refusal to start with both MAILERS and the old EMAIL_* settings
//! (DJ127).

use super::super::context::{Ctx, Finding};
use super::super::fixes;
use super::{missing, value_or};
use crate::diagnostic::Diagnostic;
use crate::django_version::DjangoVersion;
use crate::python::value::python_str_literal;
use crate::python::{Tri, Value};

const DEVELOPMENT_BACKENDS: [&str; 4] = [
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
];
const SMTP_BACKEND: &str = "django.core.mail.backends.smtp.EmailBackend";
/// Django 6.1's `DEPRECATED_EMAIL_SETTINGS`: not allowed together with MAILERS.
const DEPRECATED_EMAIL_SETTINGS: [&str; 11] = [
    "EMAIL_BACKEND",
    "EMAIL_FILE_PATH",
    "EMAIL_HOST",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_HOST_USER",
    "EMAIL_PORT",
    "EMAIL_SSL_CERTFILE",
    "EMAIL_SSL_KEYFILE",
    "EMAIL_TIMEOUT",
    "EMAIL_USE_SSL",
    "EMAIL_USE_TLS",
];
/// Settings whose presence says the site sends email.
const EMAIL_CONFIGURED: [&str; 3] = ["MAILERS", "EMAIL_BACKEND", "EMAIL_HOST"];
const SENDERS: [(&str, &str); 2] = [
    ("DEFAULT_FROM_EMAIL", "webmaster@localhost"),
    ("SERVER_EMAIL", "root@localhost"),
];

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let findings = development_backend(ctx)
        .into_iter()
        .chain(localhost_senders(ctx))
        .chain(no_admins(ctx))
        .chain(mailers_conflict(ctx));
    findings.for_each(|f| ctx.emit(out, f));
}

/// DJ112: EMAIL_BACKEND is a backend that never delivers (when MAILERS does not replace it).
fn development_backend(ctx: &Ctx<'_>) -> Option<Finding> {
    if ctx.model.get("MAILERS").is_some() {
        return None;
    }
    let backend = ctx.model.get("EMAIL_BACKEND")?.value.as_str()?;
    if !DEVELOPMENT_BACKENDS.contains(&backend) {
        return None;
    }
    let migrate = if ctx.version >= DjangoVersion::V6_1 {
        " (Django 6.1 deprecates EMAIL_BACKEND: MAILERS replaces it)"
    } else {
        ""
    };
    let fix = fixes::set_fix(
        ctx,
        "EMAIL_BACKEND",
        &python_str_literal(SMTP_BACKEND),
        &[],
        false,
    );
    Some(Finding {
        code: "DJ112",
        message: format!(
            "EMAIL_BACKEND is a development-only backend ({backend}): password resets and error reports \
are never delivered. Use a production backend such as SMTP{migrate}."
        ),
        anchor: ctx.anchor(&["EMAIL_BACKEND"]),
        fixes: fix.into_iter().collect(),
    })
}

/// DJ113: ADMINS receive error mail, but it comes from a localhost address that mail servers
/// reject or that cannot be replied to.
fn localhost_senders(ctx: &Ctx<'_>) -> Vec<Finding> {
    if value_or(ctx, "ADMINS", Value::List(Vec::new())).truthy() != Tri::Yes {
        return Vec::new();
    }
    SENDERS
        .into_iter()
        .filter(|(name, default)| {
            value_or(ctx, name, Value::str(*default)).eq_str(default) == Tri::Yes
        })
        .map(|(name, default)| Finding {
            code: "DJ113",
            message: format!(
                "{name} is Django's default {default} while ADMINS are set: mail servers often reject a \
localhost sender, so error reports may never arrive. Set it to an address of your domain."
            ),
            anchor: ctx.anchor(&[name, "ADMINS"]),
            fixes: Vec::new(),
        })
        .collect()
}

/// DJ120: email is configured but nobody receives the 500-error reports.
fn no_admins(ctx: &Ctx<'_>) -> Option<Finding> {
    let configured = EMAIL_CONFIGURED
        .iter()
        .find(|n| ctx.model.get(n).is_some())?;
    let admins = value_or(ctx, "ADMINS", Value::List(Vec::new()));
    if admins.truthy() != Tri::No {
        return None;
    }
    let state = if missing(ctx, "ADMINS") {
        "not set"
    } else {
        "empty"
    };
    Some(Finding {
        code: "DJ120",
        message: format!(
            "ADMINS is {state} while email is configured ({configured}): nobody is emailed when the site \
raises a server error. List the people to notify in ADMINS."
        ),
        anchor: ctx.anchor(&["ADMINS", configured]),
        fixes: Vec::new(),
    })
}

/// DJ127 (Django 6.1+): MAILERS with a deprecated EMAIL_* setting makes Django raise
/// ImproperlyConfigured at startup.
fn mailers_conflict(ctx: &Ctx<'_>) -> Option<Finding> {
    ctx.model.get("MAILERS")?;
    let found: Vec<&str> = DEPRECATED_EMAIL_SETTINGS
        .into_iter()
        .filter(|n| ctx.model.get(n).is_some())
        .collect();
    let first = *found.first()?;
    Some(Finding {
        code: "DJ127",
        message: format!(
            "MAILERS is set together with {}: Django refuses to start (\"Deprecated email settings are not \
allowed when MAILERS is defined\"). Move their values into MAILERS' OPTIONS and remove them.",
            found.join(", ")
        ),
        anchor: ctx.anchor(&[first]),
        fixes: Vec::new(),
    })
}
