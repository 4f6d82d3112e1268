//! Limits and operations: request limits (GUN009), the worker timeout (GUN010), the access log
//! (GUN016), worker recycling (GUN017).

use super::context::Ctx;
use super::fixes;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::Severity::{Information, Warning};
use crate::gunicorn::settings;

/// G9.
pub(super) fn request_limits(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    type Problem = fn(i64) -> Option<&'static str>;
    let checks: [(&str, Problem); 3] = [
        ("limit_request_line", |n| {
            (n == 0).then_some("0 lifts the limit on the request line")
        }),
        ("limit_request_field_size", |n| {
            (n == 0).then_some("0 is documented as unlimited header field size")
        }),
        ("limit_request_fields", |n| match n {
            0 => Some("0 means gunicorn's maximum, 32768 header fields"),
            n if n > 100 => Some("more than 100 header fields per request"),
            _ => None,
        }),
    ];
    for (name, problem) in checks {
        let Some((binding, _)) = ctx.set(name) else {
            continue;
        };
        let Some(n) = ctx.config.int(name) else {
            continue;
        };
        let Some(why) = problem(n) else {
            continue;
        };
        let default = match settings::setting(name).map(|s| s.default) {
            Some(settings::Default::Int(d)) => d,
            _ => continue,
        };
        let mut d = ctx.at_setting(
            "GUN009",
            name,
            binding,
            format!("`{name} = {n}`: {why}, which opens up denial of service; keep gunicorn's default {default}"),
        );
        d.fix = ctx.replace_fix(
            format!("Restore the default `{name} = {default}`"),
            binding,
            &default.to_string(),
            false,
        );
        out.push(d);
    }
}

/// G10.
pub(super) fn timeout(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some((binding, _)) = ctx.set("timeout") else {
        return;
    };
    let Some(t) = ctx.config.timeout() else {
        return;
    };
    let (message, severity) = if t == 0 {
        (
            "`timeout = 0` disables the worker timeout: a stuck request holds its worker forever; keep 30-60 seconds".to_string(),
            Warning,
        )
    } else if t > 120 && ctx.config.worker_class().as_deref() == Some("sync") {
        (
            format!(
                "`timeout = {t}` with sync workers lets a few slow requests occupy every worker; keep 30-60 seconds (or use gthread/gevent workers for long requests)"
            ),
            Information,
        )
    } else {
        return;
    };
    let mut d = ctx.at_setting("GUN010", "timeout", binding, message);
    d.severity = severity;
    d.fix = ctx.replace_fix(
        "Set `timeout = 30` (raise nginx `proxy_read_timeout` consistently)".into(),
        binding,
        "30",
        false,
    );
    out.push(d);
}

/// G16.
pub(super) fn no_access_log(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if ctx.config.is_set("accesslog") || ctx.config.module().open {
        return;
    }
    let mut d = ctx.diagnostic(
        "GUN016",
        ctx.end_range(),
        "No access log: `accesslog` is not set, so gunicorn logs no requests; add `accesslog = \"-\"` (stdout)".into(),
    );
    d.fix = Some(fixes::fix(
        "Add `accesslog = \"-\"`",
        vec![fixes::append_line(ctx.text, "accesslog = \"-\"")],
        false,
    ));
    out.push(d);
}

/// G17.
pub(super) fn max_requests_jitter(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some((binding, _)) = ctx.set("max_requests") else {
        return;
    };
    let (Some(max), Some(0)) = (
        ctx.config.int("max_requests"),
        ctx.config.int("max_requests_jitter"),
    ) else {
        return;
    };
    if max == 0 {
        return;
    }
    let jitter = (max / 20).clamp(1, 100).min(50);
    let mut d = ctx.at_setting(
        "GUN017",
        "max_requests",
        binding,
        format!("`max_requests = {max}` without `max_requests_jitter`: workers started together restart together; add `max_requests_jitter = {jitter}`"),
    );
    let edit = match ctx.config.setting("max_requests_jitter") {
        Some(j) => fixes::replace_value(ctx.text, j, &jitter.to_string()),
        None => fixes::insert_after(
            ctx.text,
            binding,
            &format!("max_requests_jitter = {jitter}"),
        ),
    };
    d.fix = edit.map(|e| {
        fixes::fix(
            format!("Add `max_requests_jitter = {jitter}`"),
            vec![e],
            false,
        )
    });
    out.push(d);
}
