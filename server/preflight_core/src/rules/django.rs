//! Django settings rules: parity with `manage.py check --deploy` (one rule per Django check id,
//! `DJ0NN` for `security.W0NN`/`E0NN`, `DJ030..DJ032` for the mail and cache checks).
//!
//! Each family module holds small functions over the settings model ([`context::Ctx`]); fixes
//! are built by [`fixes`]. Django's own semantics are mirrored exactly: exact middleware paths,
//! `is True` against truthiness, Django's defaults for missing settings, `SILENCED_SYSTEM_CHECKS`,
//! and the Django version that decides which checks exist. Unknown values never warn.
//!
//! The deployment checklist beyond `check --deploy` (`DJ101..`) lives in [`checklist`]: the same
//! context, its own registry entries, no Django id (except `4_0.E001`, which `check` prints).

mod caches;
mod checklist;
mod context;
mod cookies;
mod csp;
mod defaults;
mod deployment;
mod fixes;
pub(crate) mod for_stack;
mod headers;
mod mail;
mod middleware;
mod registry;
mod secret_key;

#[cfg(test)]
mod tests;

pub use registry::RULES;

use crate::analysis::Options;
use crate::diagnostic::Diagnostic;
use crate::python::ModuleModel;
use context::Ctx;

/// Runs every Django rule on a settings module whose source text is `text`.
pub fn check(model: &ModuleModel, text: &str, options: &Options) -> Vec<Diagnostic> {
    let ctx = Ctx::new(model, text, options.django_version);
    let mut out = Vec::new();
    middleware::check(&ctx, &mut out);
    headers::check(&ctx, &mut out);
    secret_key::check(&ctx, &mut out);
    deployment::check(&ctx, &mut out);
    cookies::check(&ctx, &mut out);
    csp::check(&ctx, &mut out);
    mail::check(&ctx, &mut out);
    caches::check(&ctx, &mut out);
    checklist::check(&ctx, &mut out);
    out.sort_by_key(|d| (d.range.start, d.code));
    out
}
