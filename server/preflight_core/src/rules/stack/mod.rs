//! Stack rules (`STK###`): the Django settings, gunicorn and nginx of one deployment checked
//! together (`rules/stack.md`). Each rule reports in the file where the fix belongs, with
//! related information pointing at the other layer(s).
//!
//! [`check`] is asked by each per-file analysis (a production settings module, an nginx
//! file) and returns the findings located in that file.

mod files;
mod gunicorn;
mod hosts;
mod limits;
mod proxy;
mod registry;

#[cfg(test)]
mod tests;

pub use registry::RULES;

use std::path::Path;

use crate::analysis::Options;
use crate::diagnostic::{Diagnostic, Related};
use crate::nginx::model::{Config, DirId};
use crate::rules::RuleMeta;
use crate::rules::nginx::Ctx as NginxCtx;
use crate::stack::{Deployment, SettingsLayer};
use crate::text::TextRange;

/// Pairs (stack rule, rule it supersedes): where the stack rule reports at the same range,
/// the other finding is dropped (one finding, never two codes).
pub const SUPERSEDES: &[(&str, &str)] = &[
    ("STK001", "NGX001"),
    ("STK009", "NGX013"),
    ("STK008", "DJ106"),
];

/// The stack findings located in the file at `path`.
pub fn check(deployment: &Deployment, path: &Path, options: &Options) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for layer in deployment.settings.iter().filter(|s| s.path == path) {
        proxy::check_settings(deployment, layer, &mut out);
        hosts::check_settings(deployment, layer, &mut out);
    }
    for layer in deployment.nginx.iter().filter(|n| n.path == path) {
        let Some(file) = layer.config.files.get(layer.config.analysed) else {
            continue;
        };
        let text = file.text.clone();
        let ctx = NginxCtx::new(&layer.config, path, &text, options);
        let side = NginxSide {
            ctx: &ctx,
            deployment,
        };
        proxy::check_nginx(&side, &mut out);
        hosts::check_nginx(&side, &mut out);
        files::check_nginx(&side, &mut out);
        limits::check_nginx(&side, &mut out);
        gunicorn::check_nginx(&side, &mut out);
    }
    for layer in deployment.gunicorn.iter().filter(|g| g.path == path) {
        gunicorn::check_gunicorn(deployment, layer, &mut out);
    }
    out.retain(|d| d.path == path);
    out.sort_by(|a, b| {
        (a.range.start, a.code, &a.message).cmp(&(b.range.start, b.code, &b.message))
    });
    out.dedup_by(|a, b| a.range == b.range && a.code == b.code && a.message == b.message);
    out
}

/// Whether the deployment's gunicorn worker class is known: NGX014 then defers to STK012.
pub fn knows_worker_class(deployment: &Deployment) -> bool {
    gunicorn::knows_worker_class(deployment)
}

/// Drops the findings a stack finding supersedes (same range, see [`SUPERSEDES`]).
pub fn drop_superseded(diagnostics: &mut Vec<Diagnostic>) {
    let winners: Vec<(&'static str, TextRange)> = diagnostics
        .iter()
        .filter_map(|d| {
            SUPERSEDES
                .iter()
                .find(|(stack, _)| *stack == d.code)
                .map(|(_, loser)| (*loser, d.range))
        })
        .collect();
    if winners.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        !winners
            .iter()
            .any(|(code, range)| d.code == *code && d.range == *range)
    });
}

/// The registry entry of a stack rule code.
pub(crate) fn rule(code: &str) -> &'static RuleMeta {
    RULES
        .iter()
        .find(|r| r.code == code)
        .expect("every emitted stack rule code is registered")
}

/// `docs/rules/CODE.md` of a stack rule.
pub fn doc(rule: &RuleMeta) -> String {
    format!(
        "# {code}: {name}\n\n**Severity:** {severity} · **Layers:** Django settings, gunicorn, \
         nginx\n\n{summary}.\n\n{docs}\n\nSuppress one finding with `# preflight: \
         ignore[{code}]` on the line (or the line above), or turn the rule off in \
         `[tool.preflight]` with `ignore = [\"{code}\"]`.\n",
        code = rule.code,
        name = rule.name,
        severity = rule.severity.as_str(),
        summary = rule.summary,
        docs = rule.docs,
    )
}

/// A stack diagnostic in `path`.
pub(super) fn diagnostic(
    code: &'static str,
    path: &Path,
    range: TextRange,
    message: String,
    related: Vec<Related>,
) -> Diagnostic {
    let rule = rule(code);
    Diagnostic {
        path: path.to_path_buf(),
        range,
        severity: rule.severity,
        code: rule.code,
        message,
        references: Default::default(),
        related,
        fix: None,
        alternatives: Vec::new(),
    }
}

/// An nginx file being checked, with the deployment it belongs to.
pub(super) struct NginxSide<'a> {
    pub ctx: &'a NginxCtx<'a>,
    pub deployment: &'a Deployment,
}

impl<'a> NginxSide<'a> {
    pub fn config(&self) -> &'a Config {
        self.ctx.config
    }

    /// Reports at directive `id` (a block's head), or at the include it came through.
    pub fn report<'o>(
        &self,
        out: &'o mut Vec<Diagnostic>,
        code: &'static str,
        id: DirId,
        message: String,
        related: Vec<Related>,
    ) -> Option<&'o mut Diagnostic> {
        let config = self.config();
        let anchor = config.anchor(id)?;
        out.push(diagnostic(
            code,
            self.ctx.path,
            self.ctx.focus(anchor),
            message,
            related,
        ));
        out.last_mut()
    }

    /// Reports at argument `arg` of `id` (at the directive when it is not in this file).
    pub fn report_arg<'o>(
        &self,
        out: &'o mut Vec<Diagnostic>,
        code: &'static str,
        id: DirId,
        arg: usize,
        message: String,
        related: Vec<Related>,
    ) -> Option<&'o mut Diagnostic> {
        let config = self.config();
        match config.get(id).args.get(arg) {
            Some(a) if config.is_local(id) => {
                out.push(diagnostic(code, self.ctx.path, a.range, message, related));
                out.last_mut()
            }
            _ => self.report(out, code, id, message, related),
        }
    }
}

/// Related information at the setting `name` of a settings module (where it is assigned),
/// or at the module's last line when Django's default applies.
pub(super) fn setting_related(layer: &SettingsLayer, name: &str, message: String) -> Related {
    match layer.model.get(name) {
        Some(b) => Related {
            path: b.cause().path.to_path_buf(),
            range: b.cause().focus,
            message,
        },
        None => {
            let trimmed = layer.text.trim_end();
            let start = trimmed.rfind('\n').map_or(0, |i| i + 1);
            Related {
                path: layer.path.clone(),
                range: TextRange::new(start, trimmed.len()),
                message: format!("{message} (not set here: Django's default applies)"),
            }
        }
    }
}

/// Related information at an nginx directive (at the include that brings a built-in file).
pub(super) fn nginx_related(config: &Config, id: DirId, message: String) -> Related {
    let mut at = id;
    let d = config.get(id);
    if config.files.get(d.file).is_some_and(|f| f.builtin)
        && let Some(anchor) = config.anchor(id)
    {
        at = anchor;
    }
    let d = config.get(at);
    let range = if d.body.is_some() {
        d.head_range()
    } else {
        d.range
    };
    Related {
        path: config.path_of(at).to_path_buf(),
        range,
        message,
    }
}
