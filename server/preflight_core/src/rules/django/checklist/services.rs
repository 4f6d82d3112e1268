//! The services settings point at: a per-process cache (DJ107), SQLite (DJ110), a new
//! database connection per request (DJ111) and database-backed sessions (DJ116).

use super::super::context::{Ctx, Finding};
use super::super::fixes;
use super::secrets::aliases;
use super::{installed, missing, value_or};
use crate::diagnostic::{Diagnostic, Fix};
use crate::python::value::python_str_literal;
use crate::python::{Tri, Value};

const LOCMEM_CACHE: &str = "django.core.cache.backends.locmem.LocMemCache";
const DUMMY_CACHE: &str = "django.core.cache.backends.dummy.DummyCache";
const SQLITE: &str = "django.db.backends.sqlite3";
const DB_SESSIONS: &str = "django.contrib.sessions.backends.db";
const CACHED_DB_SESSIONS: &str = "django.contrib.sessions.backends.cached_db";
/// A connection lifetime that helps without outliving typical server-side timeouts.
const CONN_MAX_AGE: i64 = 60;

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let findings = local_cache(ctx)
        .into_iter()
        .chain(sqlite(ctx))
        .chain(conn_max_age(ctx))
        .chain(database_sessions(ctx));
    findings.for_each(|f| ctx.emit(out, f));
}

/// DJ107: the default cache lives in each process (or caches nothing).
fn local_cache(ctx: &Ctx<'_>) -> Option<Finding> {
    let why = if missing(ctx, "CACHES") {
        "CACHES is not set, so Django uses a local-memory cache".to_string()
    } else {
        let backend = ctx
            .model
            .get("CACHES")?
            .value
            .dict_get("default")?
            .dict_get("BACKEND")?;
        match backend.as_str()? {
            LOCMEM_CACHE => "The default cache is the local-memory cache".to_string(),
            DUMMY_CACHE => "The default cache is the dummy cache, which stores nothing".to_string(),
            _ => return None,
        }
    };
    Some(Finding {
        code: "DJ107",
        message: format!(
            "{why}: every worker process has its own, so cached data, rate limits and cached sessions \
are not shared and vanish on restart. Consider Redis or Memcached in production."
        ),
        anchor: ctx.anchor(&["CACHES"]),
        fixes: Vec::new(),
    })
}

/// DJ110: the default database is SQLite.
fn sqlite(ctx: &Ctx<'_>) -> Option<Finding> {
    let databases = ctx.model.get("DATABASES")?;
    let engine = databases.value.dict_get("default")?.dict_get("ENGINE")?;
    (engine.as_str()? == SQLITE).then(|| Finding {
        code: "DJ110",
        message: "The default database is SQLite: a single file on one machine, with one writer at a time. \
Use a database server such as PostgreSQL in production, or make sure the file is on persistent, \
backed-up storage."
            .to_string(),
        anchor: ctx.anchor(&["DATABASES"]),
        fixes: Vec::new(),
    })
}

/// DJ111: a database server entry whose CONN_MAX_AGE is missing or 0 (one connection per
/// request). SQLite is left out: its connections are cheap.
fn conn_max_age(ctx: &Ctx<'_>) -> Vec<Finding> {
    let Some(databases) = ctx.model.get("DATABASES") else {
        return Vec::new();
    };
    aliases(&databases.value)
        .into_iter()
        .filter(|(_, config)| {
            config
                .dict_get("ENGINE")
                .and_then(Value::as_str)
                .is_some_and(|e| e != SQLITE && !e.ends_with(".dummy"))
        })
        .filter(|(_, config)| match config.dict_get("CONN_MAX_AGE") {
            None => true,
            Some(age) => age.map_tri(|v| Tri::from_bool(matches!(v, Value::Int(0)))) == Tri::Yes,
        })
        .map(|(alias, _)| Finding {
            code: "DJ111",
            message: format!(
                "The '{alias}' database opens a new connection for every request (CONN_MAX_AGE is 0 or not \
set). Persistent connections (e.g. CONN_MAX_AGE = {CONN_MAX_AGE}, with CONN_HEALTH_CHECKS = True) \
save a connection setup per request."
            ),
            anchor: ctx.anchor(&["DATABASES"]),
            fixes: keep_connections(ctx, alias).into_iter().collect(),
        })
        .collect()
}

/// `DATABASES["alias"]["CONN_MAX_AGE"] = 60` after the statement that sets DATABASES.
fn keep_connections(ctx: &Ctx<'_>, alias: &str) -> Option<Fix> {
    let binding = ctx.model.get("DATABASES")?;
    let line = format!(
        "DATABASES[{}][\"CONN_MAX_AGE\"] = {CONN_MAX_AGE}",
        python_str_literal(alias)
    );
    let edit = fixes::insert_after(ctx, binding.site.stmt, &line)?;
    Some(fixes::fix(
        format!("Keep '{alias}' database connections for {CONN_MAX_AGE} seconds"),
        vec![edit],
        false,
    ))
}

/// DJ116: sessions are installed and stored in the database (Django's default engine).
fn database_sessions(ctx: &Ctx<'_>) -> Option<Finding> {
    if !installed(ctx, "django.contrib.sessions") {
        return None;
    }
    let engine = value_or(ctx, "SESSION_ENGINE", Value::str(DB_SESSIONS));
    if engine.eq_str(DB_SESSIONS) != Tri::Yes {
        return None;
    }
    let fix = fixes::set_fix(
        ctx,
        "SESSION_ENGINE",
        &python_str_literal(CACHED_DB_SESSIONS),
        &["SESSION_", "INSTALLED_APPS"],
        false,
    );
    Some(Finding {
        code: "DJ116",
        message: "Sessions are stored in the database: every request reads a row, and expired sessions pile \
up. Consider cached sessions (the cached_db engine) and run `manage.py clearsessions` regularly."
            .to_string(),
        anchor: ctx.anchor(&["SESSION_ENGINE", "INSTALLED_APPS"]),
        fixes: fix.into_iter().collect(),
    })
}
