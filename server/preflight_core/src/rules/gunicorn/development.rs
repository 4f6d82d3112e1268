//! Development settings left on in production: `reload` (GUN005, with `preload_app` GUN006),
//! `spew` (GUN007), debug logging (GUN008), `daemon` (GUN011).

use super::context::{Ctx, is_on};
use crate::diagnostic::{Diagnostic, Related};
use crate::python::Tri;

/// G5 and G6.
pub(super) fn reload(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some((binding, value)) = ctx.set("reload") else {
        return;
    };
    if !is_on(value).is_yes() {
        return;
    }
    let mut d = ctx.at_setting(
        "GUN005",
        "reload",
        binding,
        "`reload = True` restarts workers whenever a source file changes: use it in development only (`gunicorn --reload`)".into(),
    );
    d.fix = ctx.remove_fix("reload", binding, "development only", false);
    out.push(d);
    if let Some((preload, pv)) = ctx.set("preload_app")
        && is_on(pv).is_yes()
    {
        let mut d = ctx.at_setting(
            "GUN006",
            "reload",
            binding,
            "`reload` and `preload_app` are both on: preloaded code is not reloaded (gunicorn calls them incompatible); disable one of them".into(),
        );
        d.related.push(Related {
            path: preload.cause().path.to_path_buf(),
            range: preload.cause().focus,
            message: "preload_app is turned on here".into(),
        });
        d.fix = ctx.remove_fix("reload", binding, "keep `preload_app`", false);
        d.alternatives
            .extend(ctx.remove_fix("preload_app", preload, "keep `reload`", false));
        out.push(d);
    }
}

/// G7.
pub(super) fn spew(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if let Some((binding, value)) = ctx.set("spew")
        && is_on(value).is_yes()
    {
        let mut d = ctx.at_setting(
            "GUN007",
            "spew",
            binding,
            "`spew = True` traces every line the server executes: extremely slow, and it writes request data to the logs; remove it".into(),
        );
        d.fix = ctx.remove_fix("spew", binding, "never in production", false);
        out.push(d);
    }
}

/// G8.
pub(super) fn debug_loglevel(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some((binding, value)) = ctx.set("loglevel") else {
        return;
    };
    let debug = value.map_tri(|v| {
        Tri::from_bool(
            v.as_str()
                .is_some_and(|s| s.trim().eq_ignore_ascii_case("debug")),
        )
    });
    if !debug.is_yes() {
        return;
    }
    let mut d = ctx.at_setting(
        "GUN008",
        "loglevel",
        binding,
        "`loglevel = \"debug\"` is noisy and can log request details such as headers; use \"info\" or \"warning\" in production".into(),
    );
    d.fix = ctx.replace_fix(
        "Set `loglevel = \"info\"`".into(),
        binding,
        "\"info\"",
        false,
    );
    out.push(d);
}

/// G11.
pub(super) fn daemon(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if let Some((binding, value)) = ctx.set("daemon")
        && is_on(value).is_yes()
    {
        let mut d = ctx.at_setting(
            "GUN011",
            "daemon",
            binding,
            "`daemon = True` forks gunicorn into the background, away from systemd, supervisor or the container runtime that watches it; remove it".into(),
        );
        d.fix = ctx.remove_fix(
            "daemon",
            binding,
            "let the process manager run gunicorn",
            false,
        );
        out.push(d);
    }
}
