//! The cache checks `check --deploy` prints: caches.W002 (a file-based cache directory that
//! matches, is inside or contains MEDIA_ROOT, STATIC_ROOT or a STATICFILES_DIRS entry),
//! caches.W003 (a relative file-based cache LOCATION) and caches.E001 (no default cache). Only
//! absolute paths are compared: Django resolves relative ones against the working directory,
//! which a static check cannot know.

use super::context::{Ctx, Finding};
use crate::diagnostic::Diagnostic;
use crate::python::{Tri, Value};

const FILE_BASED_CACHE: &str = "django.core.cache.backends.filebased.FileBasedCache";
const DEFAULT_ALIAS: &str = "default";
const EXPOSED: [&str; 3] = ["MEDIA_ROOT", "STATIC_ROOT", "STATICFILES_DIRS"];

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let caches = ctx.setting("CACHES");
    if let Some(f) = no_default_cache(ctx, &caches.value) {
        ctx.emit(out, f);
    }
    let Value::Dict(aliases) = &*caches.value else {
        return;
    };
    for (alias, config) in aliases {
        if let (Some(alias), Tri::Yes) = (alias.as_str(), relative_location(config)) {
            ctx.emit(out, relative(ctx, alias));
        }
    }
    let cache_dirs: Vec<(String, Vec<String>)> = aliases
        .iter()
        .filter_map(|(alias, config)| Some((alias.as_str()?.to_string(), file_cache_dir(config)?)))
        .collect();
    for name in EXPOSED {
        let Some(paths) = exposed_paths(ctx, name) else {
            continue;
        };
        for (alias, dir) in &cache_dirs {
            if let Some(relation) = relation(dir, &paths) {
                ctx.emit(out, finding(ctx, alias, relation, name));
            }
        }
    }
}

/// caches.E001: CACHES has no "default" alias.
fn no_default_cache(ctx: &Ctx<'_>, caches: &Value) -> Option<Finding> {
    if caches.contains_str(DEFAULT_ALIAS) != Tri::No {
        return None;
    }
    Some(Finding {
        code: "DJ034",
        message: format!("You must define a '{DEFAULT_ALIAS}' cache in your CACHES setting."),
        anchor: ctx.anchor(&["CACHES"]),
        fixes: Vec::new(),
    })
}

/// Whether a FileBasedCache configuration has a relative LOCATION (Django's
/// `Path(LOCATION).is_absolute()`; a missing or non-path LOCATION makes Django raise).
fn relative_location(config: &Value) -> Tri {
    let Some(Value::Str(backend)) = config.dict_get("BACKEND") else {
        return Tri::Unknown;
    };
    if backend != FILE_BASED_CACHE {
        return Tri::No;
    }
    match config.dict_get("LOCATION") {
        Some(Value::Str(location) | Value::Path(location)) => {
            Tri::from_bool(!location.starts_with('/'))
        }
        _ => Tri::Unknown,
    }
}

/// caches.W003.
fn relative(ctx: &Ctx<'_>, alias: &str) -> Finding {
    Finding {
        code: "DJ033",
        message: format!(
            "Your '{alias}' cache LOCATION path is relative. Use an absolute path instead: a relative one \
depends on the working directory of each process."
        ),
        anchor: ctx.anchor(&["CACHES"]),
        fixes: Vec::new(),
    }
}

fn finding(ctx: &Ctx<'_>, alias: &str, relation: &str, name: &'static str) -> Finding {
    let mut anchor = ctx.anchor(&["CACHES"]);
    anchor
        .related
        .extend(ctx.related(name, format!("{name} is set here")));
    Finding {
        code: "DJ032",
        message: format!(
            "Your '{alias}' cache configuration might expose your cache or lead to corruption of your data \
because its LOCATION {relation} {name}. Move the cache to a directory of its own."
        ),
        anchor,
        fixes: Vec::new(),
    }
}

/// The directory of a FileBasedCache configuration, as path components.
fn file_cache_dir(config: &Value) -> Option<Vec<String>> {
    if config.dict_get("BACKEND")?.as_str()? != FILE_BASED_CACHE {
        return None;
    }
    absolute(config.dict_get("LOCATION")?)
}

/// The directories a setting names, when it is truthy (Django skips falsy ones). Entries that
/// cannot be resolved are left out: they cannot add a warning.
fn exposed_paths(ctx: &Ctx<'_>, name: &'static str) -> Option<Vec<Vec<String>>> {
    let setting = ctx.setting(name);
    if setting.value.truthy() != Tri::Yes {
        return None;
    }
    let paths = match (name, &*setting.value) {
        ("STATICFILES_DIRS", v) => v
            .as_seq()?
            .iter()
            .filter_map(|entry| absolute(staticfiles_dir(entry)))
            .collect(),
        (_, v) => absolute(v).into_iter().collect(),
    };
    Some(paths)
}

/// A STATICFILES_DIRS entry is a path or a (prefix, path) pair.
fn staticfiles_dir(entry: &Value) -> &Value {
    match entry {
        Value::List(pair) | Value::Tuple(pair) if pair.len() == 2 => &pair[1],
        other => other,
    }
}

/// "matches", "is inside" or "contains", in Django's order of precedence.
fn relation(cache: &[String], paths: &[Vec<String>]) -> Option<&'static str> {
    if paths.iter().any(|p| p == cache) {
        Some("matches")
    } else if paths
        .iter()
        .any(|p| p.len() < cache.len() && cache.starts_with(p))
    {
        Some("is inside")
    } else if paths
        .iter()
        .any(|p| cache.len() < p.len() && p.starts_with(cache))
    {
        Some("contains")
    } else {
        None
    }
}

/// An absolute POSIX path, normalised into components (`.` and `..` resolved).
fn absolute(value: &Value) -> Option<Vec<String>> {
    let path = match value {
        Value::Str(s) | Value::Path(s) => s,
        _ => return None,
    };
    if !path.starts_with('/') {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p.to_string()),
        }
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Vec<String> {
        absolute(&Value::str(s)).unwrap()
    }

    #[test]
    fn relations_follow_djangos_precedence() {
        assert_eq!(
            relation(&p("/srv/media/"), &[p("/srv/media")]),
            Some("matches")
        );
        assert_eq!(
            relation(&p("/srv/media/cache"), &[p("/srv/media")]),
            Some("is inside")
        );
        assert_eq!(
            relation(&p("/srv"), &[p("/srv/./static/../media")]),
            Some("contains")
        );
        assert_eq!(relation(&p("/srv/cache"), &[p("/srv/media")]), None);
        assert_eq!(absolute(&Value::str("cache")), None);
    }
}
