//! nginx configs: which files are nginx, the model (directives, contexts, includes,
//! inheritance, location matching), and one file in, diagnostics out.

pub mod build;
mod detect;
pub mod include;
pub mod listen;
pub mod location;
pub mod lowered;
pub mod model;
pub mod regex;
mod syntax_errors;
pub mod values;

#[cfg(test)]
mod robustness;

use std::path::Path;

use tree_sitter::{Node, Tree};

use crate::analysis::{Options, configure_and_suppress};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceLoader;
use crate::text::TextRange;

pub use build::{build, build_for};
pub use detect::{is_nginx_file, is_nginx_path, is_site_path, looks_like_nginx};
pub use lowered::LoweredServers;
pub use model::Config;
pub use syntax_errors::quote_regex;

/// Analyses an nginx config whose tree is already parsed; included files are read through
/// `loader`, and the project's settings modules (for the stack rules) through `cache`. Only
/// diagnostics located in this file are returned.
pub fn analyze_nginx(
    path: &Path,
    text: &str,
    tree: &Tree,
    loader: &dyn SourceLoader,
    cache: &mut crate::python::ModuleCache,
    options: &Options,
) -> Vec<Diagnostic> {
    let mut diagnostics = syntax_errors::check(path, text, tree.root_node());
    // rules on a half-parsed file would report what the user is still typing
    if diagnostics.is_empty() {
        let root = options.project.as_ref().map(|p| p.root.as_path());
        let memo = cache.nginx_findings();
        let mut config = build_for(
            path,
            text,
            tree,
            loader,
            root,
            memo.lowered_servers(path, text),
        );
        include_problems(&config, path, &mut diagnostics);
        let findings = memo.check(&mut config, path, text, options);
        diagnostics.extend(findings);
        let config = std::sync::Arc::new(config);
        stack_findings(path, &config, loader, cache, options, &mut diagnostics);
    }
    // comments are collected only when a suppression may be among them
    let comments = if text.contains("preflight:") {
        comments(text, tree.root_node())
    } else {
        Vec::new()
    };
    configure_and_suppress(
        path,
        text,
        Some(&comments),
        "NGX900",
        options,
        &mut diagnostics,
    );
    diagnostics
}

/// The stack rules' findings in this file (when it belongs to a project), and the nginx
/// findings they supersede dropped.
fn stack_findings(
    path: &Path,
    config: &std::sync::Arc<Config>,
    loader: &dyn SourceLoader,
    cache: &mut crate::python::ModuleCache,
    options: &Options,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let known = crate::stack::Known::Nginx(path, config);
    let Some(deployment) = options.deployment(loader, cache, known) else {
        return;
    };
    if !deployment.has_layers() {
        return;
    }
    diagnostics.extend(crate::rules::stack::check(&deployment, path, options));
    crate::rules::stack::drop_superseded(diagnostics);
    // with gunicorn's worker class known, STK012 decides what NGX014 assumed
    if crate::rules::stack::knows_worker_class(&deployment) {
        diagnostics.retain(|d| d.code != "NGX014");
    }
}

/// NGX901/NGX902 at the includes of this file.
fn include_problems(config: &Config, path: &Path, out: &mut Vec<Diagnostic>) {
    use model::IncludeProblem;
    for problem in &config.include_problems {
        let (include, code, severity, message) = match problem {
            IncludeProblem::NotFound { include, pattern } => (
                *include,
                "NGX901",
                Severity::Warning,
                format!(
                    "`include {pattern}`: no such file next to this config (nginx will not start \
                     without it); rules that need what it defines are skipped here"
                ),
            ),
            IncludeProblem::Cycle { include, chain } => {
                let names: Vec<String> = chain
                    .iter()
                    .map(|p| {
                        p.file_name()
                            .unwrap_or_default()
                            .to_string_lossy()
                            .into_owned()
                    })
                    .collect();
                (
                    *include,
                    "NGX902",
                    Severity::Error,
                    format!("Include cycle: {}", names.join(" -> ")),
                )
            }
            IncludeProblem::Limit { include, what } => (
                *include,
                "NGX902",
                Severity::Error,
                format!("Includes not followed further: {what}"),
            ),
        };
        let Some(anchor) = config.anchor(include) else {
            continue;
        };
        let d = config.get(anchor);
        out.push(Diagnostic {
            path: path.to_path_buf(),
            range: d.range,
            severity,
            code,
            message,
            references: Default::default(),
            related: Vec::new(),
            fix: None,
            alternatives: Vec::new(),
        });
    }
    out.dedup_by(|a, b| a.code == b.code && a.range == b.range);
}

/// Every comment's range and body (without the `#`), in document order.
pub fn comments(text: &str, root: Node<'_>) -> Vec<(TextRange, String)> {
    let mut out = Vec::new();
    let mut cursor = root.walk();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "comment" {
            let range = TextRange::new(node.start_byte(), node.end_byte());
            let body = text[range.start..range.end].trim_start_matches('#');
            out.push((range, body.to_string()));
        } else if node.child_count() > 0 {
            let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
            stack.extend(children.into_iter().rev());
        }
    }
    out
}
