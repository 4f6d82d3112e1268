//! The SecurityMiddleware and XFrameOptionsMiddleware header settings: security.W004, W005,
//! W006, W008, W019, W021, W022, E023, E024. Each fires only while its middleware is enabled.

use super::context::{Ctx, Finding, SECURITY_MW, XFRAME_MW, found, shown};
use super::fixes;
use crate::diagnostic::Diagnostic;
use crate::python::{Tri, Value};

const NEAR_SECURE: &[&str] = &["SECURE_HSTS", "SECURE_", "SESSION_", "CSRF_"];

const REFERRER_POLICY_VALUES: [&str; 8] = [
    "no-referrer",
    "no-referrer-when-downgrade",
    "origin",
    "origin-when-cross-origin",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
];
const CROSS_ORIGIN_OPENER_POLICY_VALUES: [&str; 3] =
    ["same-origin", "same-origin-allow-popups", "unsafe-none"];

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if ctx.has_middleware(SECURITY_MW) == Tri::Yes {
        let findings = [
            hsts_seconds(ctx),
            hsts_flag(
                ctx,
                "DJ005",
                "SECURE_HSTS_INCLUDE_SUBDOMAINS",
                HSTS_SUBDOMAINS,
            ),
            hsts_flag(ctx, "DJ021", "SECURE_HSTS_PRELOAD", HSTS_PRELOAD),
            nosniff(ctx),
            ssl_redirect(ctx),
            referrer_policy_unset(ctx),
            referrer_policy_invalid(ctx),
            cross_origin_opener_policy(ctx),
        ];
        findings
            .into_iter()
            .flatten()
            .for_each(|f| ctx.emit(out, f));
    }
    if ctx.has_middleware(XFRAME_MW) == Tri::Yes
        && let Some(f) = x_frame_options(ctx)
    {
        ctx.emit(out, f);
    }
}

/// security.W004: SECURE_HSTS_SECONDS is falsy (Django tests truthiness: `"0"` passes).
fn hsts_seconds(ctx: &Ctx<'_>) -> Option<Finding> {
    let seconds = ctx.setting("SECURE_HSTS_SECONDS");
    if seconds.value.truthy() != Tri::No {
        return None;
    }
    let opening = match seconds.binding {
        Some(_) => format!(
            "{}, so HTTP Strict Transport Security is off.",
            found(&seconds)
        ),
        None => "You have not set a value for the SECURE_HSTS_SECONDS setting.".to_string(),
    };
    Some(Finding {
        code: "DJ004",
        message: format!(
            "{opening} If your entire site is served only over SSL, you may want to consider setting a \
value and enabling HTTP Strict Transport Security. Be sure to read the documentation first; enabling \
HSTS carelessly can cause serious, irreversible problems."
        ),
        anchor: ctx.anchor(&["SECURE_HSTS_SECONDS", "MIDDLEWARE"]),
        // start small, as Django's docs advise: a long max-age cannot be taken back
        fixes: fixes::set_fix(ctx, "SECURE_HSTS_SECONDS", "3600", NEAR_SECURE, false)
            .into_iter()
            .collect(),
    })
}

const HSTS_SUBDOMAINS: &str = "Without this, your site is potentially vulnerable to attack via an insecure \
connection to a subdomain. Only set this to True if you are certain that all subdomains of your domain \
should be served exclusively via SSL.";
const HSTS_PRELOAD: &str =
    "Without this, your site cannot be submitted to the browser preload list.";

/// security.W005 and W021: HSTS is on but a flag is not `True`.
fn hsts_flag(ctx: &Ctx<'_>, code: &'static str, name: &'static str, why: &str) -> Option<Finding> {
    let hsts_on = ctx.setting("SECURE_HSTS_SECONDS").value.truthy();
    let flag = ctx.setting(name);
    if hsts_on.and(flag.value.is_true().negate()) != Tri::Yes {
        return None;
    }
    Some(Finding {
        code,
        message: format!(
            "You have not set the {name} setting to True ({}). {why}",
            found(&flag)
        ),
        anchor: ctx.anchor(&[name, "SECURE_HSTS_SECONDS"]),
        fixes: fixes::set_fix(ctx, name, "True", NEAR_SECURE, false)
            .into_iter()
            .collect(),
    })
}

/// security.W006: SECURE_CONTENT_TYPE_NOSNIFF is not `True` (its default is True).
fn nosniff(ctx: &Ctx<'_>) -> Option<Finding> {
    let nosniff = ctx.setting("SECURE_CONTENT_TYPE_NOSNIFF");
    if nosniff.value.is_true() != Tri::No {
        return None;
    }
    Some(Finding {
        code: "DJ006",
        message: format!(
            "Your SECURE_CONTENT_TYPE_NOSNIFF setting is not set to True ({}), so your pages will not be \
served with an 'X-Content-Type-Options: nosniff' header. You should consider enabling this header to \
prevent the browser from identifying content types incorrectly.",
            found(&nosniff)
        ),
        anchor: ctx.anchor(&["SECURE_CONTENT_TYPE_NOSNIFF", "MIDDLEWARE"]),
        fixes: fixes::set_fix(
            ctx,
            "SECURE_CONTENT_TYPE_NOSNIFF",
            "True",
            NEAR_SECURE,
            true,
        )
        .into_iter()
        .collect(),
    })
}

/// security.W008: SECURE_SSL_REDIRECT is not `True`. Often off on purpose behind a TLS proxy,
/// so silencing is offered next to setting it.
fn ssl_redirect(ctx: &Ctx<'_>) -> Option<Finding> {
    let redirect = ctx.setting("SECURE_SSL_REDIRECT");
    if redirect.value.is_true() != Tri::No {
        return None;
    }
    let fixes = [
        fixes::set_fix(ctx, "SECURE_SSL_REDIRECT", "True", NEAR_SECURE, false),
        fixes::silence(ctx, "security.W008"),
    ];
    Some(Finding {
        code: "DJ008",
        message: format!(
            "Your SECURE_SSL_REDIRECT setting is not set to True ({}). Unless your site should be available \
over both SSL and non-SSL connections, you may want to either set this setting True or configure a load \
balancer or reverse-proxy server to redirect all connections to HTTPS (then silence security.W008).",
            found(&redirect)
        ),
        anchor: ctx.anchor(&["SECURE_SSL_REDIRECT", "MIDDLEWARE"]),
        fixes: fixes.into_iter().flatten().collect(),
    })
}

/// security.W022: SECURE_REFERRER_POLICY is None (its default is "same-origin").
fn referrer_policy_unset(ctx: &Ctx<'_>) -> Option<Finding> {
    let policy = ctx.setting("SECURE_REFERRER_POLICY");
    if policy.value.is_none() != Tri::Yes {
        return None;
    }
    Some(Finding {
        code: "DJ022",
        message: "You have not set the SECURE_REFERRER_POLICY setting (it is None). Without this, your site \
will not send a Referrer-Policy header. You should consider enabling this header to protect user privacy."
            .to_string(),
        anchor: ctx.anchor(&["SECURE_REFERRER_POLICY", "MIDDLEWARE"]),
        fixes: fixes::set_fix(ctx, "SECURE_REFERRER_POLICY", "\"same-origin\"", NEAR_SECURE, true)
            .into_iter()
            .collect(),
    })
}

/// security.E023: a value of SECURE_REFERRER_POLICY (a comma-separated string or an iterable)
/// is not a referrer policy.
fn referrer_policy_invalid(ctx: &Ctx<'_>) -> Option<Finding> {
    let policy = ctx.setting("SECURE_REFERRER_POLICY");
    if policy.value.is_none() != Tri::No
        || policy.value.map_tri(|v| invalid_policy_values(v).0) != Tri::Yes
    {
        return None;
    }
    let culprit = match &*policy.value {
        Value::OneOf(_) => String::new(),
        v => invalid_policy_values(v)
            .1
            .map(|bad| format!(" ({bad} is not a referrer policy)"))
            .unwrap_or_default(),
    };
    Some(Finding {
        code: "DJ023",
        message: format!(
            "You have set the SECURE_REFERRER_POLICY setting to an invalid value{culprit}. Valid values are: {}.",
            REFERRER_POLICY_VALUES.join(", ")
        ),
        anchor: ctx.anchor(&["SECURE_REFERRER_POLICY"]),
        fixes: fixes::set_fix(
            ctx,
            "SECURE_REFERRER_POLICY",
            "\"same-origin\"",
            NEAR_SECURE,
            false,
        )
        .into_iter()
        .collect(),
    })
}

/// Whether the policy's value set (`{v.strip() for v in s.split(",")}` for a str, `set(value)`
/// otherwise) has a value outside Django's list, and the first such value.
fn invalid_policy_values(value: &Value) -> (Tri, Option<String>) {
    let values: Vec<Value> = match value {
        Value::Str(s) => s.split(',').map(|v| Value::str(v.trim())).collect(),
        Value::List(items) | Value::Tuple(items) | Value::Set(items) => items.clone(),
        Value::Dict(items) => items.iter().map(|(k, _)| k.clone()).collect(),
        // `set(value)` raises: Django never gets to decide
        _ => return (Tri::Unknown, None),
    };
    let verdict = |v: &Value| match v {
        Value::Str(s) => Tri::from_bool(!REFERRER_POLICY_VALUES.contains(&s.as_str())),
        Value::None | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Tuple(_) => {
            Tri::Yes
        }
        _ => Tri::Unknown,
    };
    let bad = values.iter().find(|v| verdict(v) == Tri::Yes).map(shown);
    (Tri::any_of(values.iter().map(verdict)), bad)
}

/// security.E024: SECURE_CROSS_ORIGIN_OPENER_POLICY is neither None nor a valid policy.
fn cross_origin_opener_policy(ctx: &Ctx<'_>) -> Option<Finding> {
    let policy = ctx.setting("SECURE_CROSS_ORIGIN_OPENER_POLICY");
    let invalid = policy.value.map_tri(|v| match v {
        Value::None => Tri::No,
        Value::Str(s) => Tri::from_bool(!CROSS_ORIGIN_OPENER_POLICY_VALUES.contains(&s.as_str())),
        Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Tuple(_) | Value::Path(_) => {
            Tri::Yes
        }
        // unhashable values make `in` raise
        _ => Tri::Unknown,
    });
    if invalid != Tri::Yes {
        return None;
    }
    Some(Finding {
        code: "DJ024",
        message: format!(
            "You have set the SECURE_CROSS_ORIGIN_OPENER_POLICY setting to an invalid value ({}). Valid values \
are: {}.",
            found(&policy),
            CROSS_ORIGIN_OPENER_POLICY_VALUES.join(", ")
        ),
        anchor: ctx.anchor(&["SECURE_CROSS_ORIGIN_OPENER_POLICY"]),
        fixes: fixes::set_fix(
            ctx,
            "SECURE_CROSS_ORIGIN_OPENER_POLICY",
            "\"same-origin\"",
            NEAR_SECURE,
            false,
        )
        .into_iter()
        .collect(),
    })
}

/// security.W019: XFrameOptionsMiddleware is on but X_FRAME_OPTIONS is not exactly "DENY".
fn x_frame_options(ctx: &Ctx<'_>) -> Option<Finding> {
    let option = ctx.setting("X_FRAME_OPTIONS");
    if option.value.eq_str("DENY") != Tri::No {
        return None;
    }
    Some(Finding {
        code: "DJ019",
        message: format!(
            "You have 'django.middleware.clickjacking.XFrameOptionsMiddleware' in your MIDDLEWARE, but \
X_FRAME_OPTIONS is not set to 'DENY' ({}). Unless there is a good reason for your site to serve other \
parts of itself in a frame, you should change it to 'DENY'.",
            found(&option)
        ),
        anchor: ctx.anchor(&["X_FRAME_OPTIONS", "MIDDLEWARE"]),
        fixes: fixes::set_fix(
            ctx,
            "X_FRAME_OPTIONS",
            "\"DENY\"",
            &["X_FRAME", "SECURE_"],
            false,
        )
        .into_iter()
        .collect(),
    })
}
