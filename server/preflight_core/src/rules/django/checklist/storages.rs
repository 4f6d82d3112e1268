//! The migration of STATICFILES_STORAGE / DEFAULT_FILE_STORAGE (deprecated in 4.2, removed in
//! 5.1) to STORAGES, as a quick-fix for DJ121.

use super::super::context::Ctx;
use super::super::fixes;
use super::{occurrences, own_expr};
use crate::diagnostic::{Edit, Fix};
use crate::python::value::python_str_literal;
use crate::text::TextRange;

/// The old settings, the STORAGES alias each became, and Django's default backend for it.
const OLD_SETTINGS: [(&str, &str, &str); 2] = [
    (
        "DEFAULT_FILE_STORAGE",
        "default",
        "django.core.files.storage.FileSystemStorage",
    ),
    (
        "STATICFILES_STORAGE",
        "staticfiles",
        "django.contrib.staticfiles.storage.StaticFilesStorage",
    ),
];

pub(super) fn is_old_storage_setting(name: &str) -> bool {
    OLD_SETTINGS.iter().any(|(n, _, _)| *n == name)
}

/// Replaces the old settings with one STORAGES dict holding their backends (Django's defaults
/// for the one not set). STORAGES takes the place of the last old statement, so every name its
/// expressions use is bound by then. Refused when STORAGES is already set or an old setting is
/// imported, assigned or read more than once, or not a whole top-level statement.
pub(super) fn migrate_fix(ctx: &Ctx<'_>) -> Option<Fix> {
    if ctx.model.get("STORAGES").is_some() {
        return None;
    }
    let mut backends = Vec::new();
    let mut statements: Vec<(TextRange, Edit)> = Vec::new();
    for (name, alias, default) in OLD_SETTINGS {
        let Some(binding) = ctx.model.get(name) else {
            backends.push((alias, python_str_literal(default)));
            continue;
        };
        // assigned once and never read: replacing the statement replaces the setting
        if occurrences(ctx.text, name) != 1 {
            return None;
        }
        let expr = own_expr(ctx, binding)?;
        statements.push((
            binding.site.stmt,
            fixes::remove_statement(ctx, binding.site.stmt)?,
        ));
        backends.push((alias, ctx.text.get(expr.start..expr.end)?.to_string()));
    }
    statements.sort_by_key(|(stmt, _)| stmt.start);
    let (last, _) = statements.pop()?;
    let eol = crate::text::eol(ctx.text);
    let entries: String = backends
        .iter()
        .map(|(alias, backend)| format!("    \"{alias}\": {{\"BACKEND\": {backend}}},{eol}"))
        .collect();
    let mut edits: Vec<Edit> = statements.into_iter().map(|(_, removal)| removal).collect();
    edits.push(Edit::replace(
        last,
        format!("STORAGES = {{{eol}{entries}}}"),
    ));
    Some(fixes::fix("Migrate to STORAGES", edits, false))
}
