//! Cookie flags: security.W010/W011/W012 (SESSION_COOKIE_SECURE), W013/W014/W015
//! (SESSION_COOKIE_HTTPONLY) and W016 (CSRF_COOKIE_SECURE). All test `is True`, so `1` or
//! `"True"` do not count.

use super::context::{CSRF_MW, Ctx, Finding, SESSION_MW, found};
use super::fixes;
use crate::diagnostic::Diagnostic;
use crate::python::Tri;

const SESSIONS_APP: &str = "django.contrib.sessions";

/// A session cookie flag and the three ids Django splits its warning into.
struct SessionFlag {
    setting: &'static str,
    /// Sessions app only, middleware only, both.
    codes: [&'static str; 3],
    why: &'static str,
}

const SESSION_FLAGS: [SessionFlag; 2] = [
    SessionFlag {
        setting: "SESSION_COOKIE_SECURE",
        codes: ["DJ010", "DJ011", "DJ012"],
        why: "Using a secure-only session cookie makes it more difficult for network traffic sniffers to \
hijack user sessions.",
    },
    SessionFlag {
        setting: "SESSION_COOKIE_HTTPONLY",
        codes: ["DJ013", "DJ014", "DJ015"],
        why: "Using an HttpOnly session cookie makes it more difficult for cross-site scripting attacks to \
hijack user sessions.",
    },
];

const NEAR_COOKIES: &[&str] = &["SESSION_COOKIE", "SESSION_", "CSRF_", "SECURE_"];

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let findings = SESSION_FLAGS
        .iter()
        .map(|flag| session_flag(ctx, flag))
        .chain([csrf_cookie(ctx)]);
    findings.flatten().for_each(|f| ctx.emit(out, f));
}

/// The sessions app only (W010/W013), the middleware only (W011/W014), or both (W012/W015).
fn session_flag(ctx: &Ctx<'_>, flag: &SessionFlag) -> Option<Finding> {
    let setting = ctx.setting(flag.setting);
    if setting.value.is_true() != Tri::No {
        return None;
    }
    let app = ctx
        .setting("INSTALLED_APPS")
        .value
        .contains_str(SESSIONS_APP);
    let middleware = ctx.has_middleware(SESSION_MW);
    let name = flag.setting;
    let (code, opening, cause) = match (app, middleware) {
        (Tri::Yes, Tri::No) => (
            flag.codes[0],
            format!(
                "You have '{SESSIONS_APP}' in your INSTALLED_APPS, but you have not set {name} to True"
            ),
            "INSTALLED_APPS",
        ),
        (Tri::No, Tri::Yes) => (
            flag.codes[1],
            format!(
                "You have '{SESSION_MW}' in your MIDDLEWARE, but you have not set {name} to True"
            ),
            "MIDDLEWARE",
        ),
        (Tri::Yes, Tri::Yes) => (
            flag.codes[2],
            format!("{name} is not set to True"),
            "MIDDLEWARE",
        ),
        _ => return None,
    };
    let mut anchor = ctx.anchor(&[name, cause]);
    if setting.binding.is_some() {
        anchor
            .related
            .extend(ctx.related(cause, format!("sessions are enabled in {cause} here")));
    }
    Some(Finding {
        code,
        message: format!("{opening} ({}). {}", found(&setting), flag.why),
        anchor,
        fixes: fixes::set_fix(ctx, name, "True", NEAR_COOKIES, true)
            .into_iter()
            .collect(),
    })
}

/// security.W016: CsrfViewMiddleware is on, the token is in a cookie (not the session), and
/// CSRF_COOKIE_SECURE is not True.
fn csrf_cookie(ctx: &Ctx<'_>) -> Option<Finding> {
    let secure = ctx.setting("CSRF_COOKIE_SECURE");
    let in_cookie = ctx.setting("CSRF_USE_SESSIONS").value.truthy().negate();
    let fires = in_cookie
        .and(ctx.has_middleware(CSRF_MW))
        .and(secure.value.is_true().negate());
    if fires != Tri::Yes {
        return None;
    }
    Some(Finding {
        code: "DJ016",
        message: format!(
            "You have '{CSRF_MW}' in your MIDDLEWARE, but you have not set CSRF_COOKIE_SECURE to True ({}). \
Using a secure-only CSRF cookie makes it more difficult for network traffic sniffers to steal the CSRF \
token.",
            found(&secure)
        ),
        anchor: ctx.anchor(&["CSRF_COOKIE_SECURE", "MIDDLEWARE"]),
        fixes: fixes::set_fix(
            ctx,
            "CSRF_COOKIE_SECURE",
            "True",
            &["CSRF_", "SESSION_", "SECURE_"],
            true,
        )
        .into_iter()
        .collect(),
    })
}
