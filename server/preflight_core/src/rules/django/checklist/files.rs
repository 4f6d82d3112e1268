//! Static and media files: STATIC_ROOT unset with staticfiles installed (DJ114), and user
//! uploads sharing a directory or URL with the static files (DJ115).

use super::super::context::{Ctx, Finding};
use super::super::fixes;
use super::{installed, value_or};
use crate::diagnostic::{Diagnostic, Fix};
use crate::django_version::DjangoVersion;
use crate::python::{Tri, Value};

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let findings = static_root_missing(ctx).into_iter().chain(collisions(ctx));
    findings.for_each(|f| ctx.emit(out, f));
}

/// DJ114: `collectstatic` has nowhere to copy the files (Django raises ImproperlyConfigured).
fn static_root_missing(ctx: &Ctx<'_>) -> Option<Finding> {
    if !installed(ctx, "django.contrib.staticfiles") {
        return None;
    }
    let root = ctx.setting("STATIC_ROOT");
    if root.value.is_none() != Tri::Yes || !collects_locally(ctx) {
        return None;
    }
    Some(Finding {
        code: "DJ114",
        message: "STATIC_ROOT is not set while django.contrib.staticfiles is installed: `collectstatic` \
fails, and the web server has no directory to serve static files from. Set STATIC_ROOT to a directory \
of its own."
            .to_string(),
        anchor: ctx.anchor(&["STATIC_ROOT", "STATIC_URL", "INSTALLED_APPS"]),
        fixes: static_root_fix(ctx).into_iter().collect(),
    })
}

/// Whether `collectstatic` writes to the local file system: the static files storage is Django's
/// default, one of Django's own or WhiteNoise's. A cloud storage (S3, GCS) needs no STATIC_ROOT.
fn collects_locally(ctx: &Ctx<'_>) -> bool {
    let backend = match ctx.model.get("STORAGES") {
        Some(storages) if matches!(storages.value, Value::Dict(_)) => storages
            .value
            .dict_get("staticfiles")
            .and_then(|s| s.dict_get("BACKEND")),
        // not understood: nothing can be said
        Some(_) => return false,
        // before 5.1 the old setting still chooses the storage
        None if ctx.version < DjangoVersion::new(5, 1) => {
            ctx.model.get("STATICFILES_STORAGE").map(|b| &b.value)
        }
        None => None,
    };
    backend.is_none_or(|b| {
        b.as_str().is_some_and(|b| {
            b.starts_with("django.contrib.staticfiles.storage.") || b.starts_with("whitenoise.")
        })
    })
}

/// `STATIC_ROOT = BASE_DIR / "staticfiles"` when the project has a BASE_DIR to build on.
fn static_root_fix(ctx: &Ctx<'_>) -> Option<Fix> {
    let expr = match &ctx.model.get("BASE_DIR")?.value {
        Value::Path(_) => "BASE_DIR / \"staticfiles\"",
        Value::Str(_) => "os.path.join(BASE_DIR, \"staticfiles\")",
        _ => return None,
    };
    let mut edits = fixes::set_setting(ctx, "STATIC_ROOT", expr, &["STATIC", "BASE_DIR"])?;
    let import = expr
        .starts_with("os.")
        .then(|| fixes::import_os(ctx, edits[0].range.start))
        .flatten();
    if let Some(import) = import {
        edits.insert(0, import);
    }
    Some(fixes::fix(
        format!("Set STATIC_ROOT = {expr}"),
        edits,
        false,
    ))
}

/// DJ115: uploads and static files mixed up, one finding per collision.
fn collisions(ctx: &Ctx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let media_root = path_of(&value_or(ctx, "MEDIA_ROOT", Value::str("")));
    let static_root = path_of(&ctx.setting("STATIC_ROOT").value);
    if let (Some(media), Some(stat)) = (&media_root, &static_root) {
        let relation = if media == stat {
            Some("is the same directory as")
        } else if media.len() > stat.len() && media.starts_with(stat) {
            Some("is inside")
        } else if stat.len() > media.len() && stat.starts_with(media) {
            Some("contains")
        } else {
            None
        };
        if let Some(relation) = relation {
            out.push(finding(
                ctx,
                format!(
                    "MEDIA_ROOT {relation} STATIC_ROOT: `collectstatic` and user uploads write to the same \
place, so an upload can replace a static file (or be deleted by `collectstatic --clear`). Keep them \
in separate directories."
                ),
            ));
        }
    }
    let media_url = value_or(ctx, "MEDIA_URL", Value::str(""));
    let static_url = ctx.setting("STATIC_URL");
    let same_url = match (media_url.as_str(), static_url.value.as_str()) {
        (Some(media), Some(stat)) => {
            !media.is_empty() && media.trim_end_matches('/') == stat.trim_end_matches('/')
        }
        _ => false,
    };
    if same_url {
        out.push(finding(
            ctx,
            "MEDIA_URL and STATIC_URL are the same URL: Django refuses to serve static files this way, \
and user uploads would be served as if they were your own static files. Give them different URLs."
                .to_string(),
        ));
    }
    out
}

fn finding(ctx: &Ctx<'_>, message: String) -> Finding {
    let mut anchor = ctx.anchor(&["MEDIA_ROOT", "MEDIA_URL"]);
    anchor
        .related
        .extend(ctx.related("STATIC_ROOT", "STATIC_ROOT is set here".to_string()));
    Finding {
        code: "DJ115",
        message,
        anchor,
        fixes: Vec::new(),
    }
}

/// A non-empty path, normalised into components (`.`, `..` and repeated `/` resolved); an
/// absolute path keeps a leading "/" component so it never equals a relative one.
fn path_of(value: &Value) -> Option<Vec<String>> {
    let path = match value {
        Value::Str(s) | Value::Path(s) if !s.is_empty() => s,
        _ => return None,
    };
    let mut parts: Vec<String> = Vec::new();
    if path.starts_with('/') {
        parts.push("/".to_string());
    }
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| p != "/" && p != "..") => {
                parts.pop();
            }
            p => parts.push(p.to_string()),
        }
    }
    Some(parts)
}
