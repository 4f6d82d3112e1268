//! The `preflight.checklist` command (`workspace/executeCommand`): a project's deployment
//! checklist as Markdown, the document `preflight checklist` prints. The modules are analysed
//! as the published diagnostics are (open documents as the editor has them, the rest from
//! the disk), so the list agrees with what the editor shows.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use preflight_core::FileKind;
use preflight_core::checklist::{self, Coverage};
use preflight_core::diagnostic::{Diagnostic, Severity};
use preflight_core::project::Project;
use preflight_core::project::production;
use preflight_core::python::ModuleCache;
use preflight_core::source::SourceLoader;
use preflight_core::text::LineIndex;
use serde_json::Value;
use tower_lsp_server::ls_types::Uri;

use crate::analysis::core_diagnostics;
use crate::convert::uri_to_path;
use crate::document::Language;
use crate::loader::OverlayLoader;
use crate::projects::Projects;

pub const COMMAND: &str = "preflight.checklist";

/// The path the command is about: its argument (a document or folder URI, given as a string or
/// as `{"uri": ...}`), else the first workspace folder, else the first open document. `Err`
/// for an argument that is not a URI.
pub fn target(
    arguments: &[Value],
    roots: &[PathBuf],
    open: &[PathBuf],
) -> Result<Option<PathBuf>, String> {
    let Some(argument) = arguments.first().filter(|a| !a.is_null()) else {
        return Ok(roots.first().or(open.first()).cloned());
    };
    let text = argument
        .as_str()
        .or_else(|| argument.get("uri").and_then(Value::as_str))
        .ok_or_else(|| format!("{COMMAND} takes a document or folder URI, not {argument}"))?;
    let uri: Uri = text
        .parse()
        .map_err(|_| format!("{COMMAND}: `{text}` is not a URI"))?;
    Ok(Some(uri_to_path(&uri)))
}

/// The checklist of the project `path` (a file or folder) belongs to, as Markdown, and the
/// projects loaded just now (the client is told about those as after an analysis).
pub fn markdown(
    path: &Path,
    projects: &Projects,
    loader: &OverlayLoader,
    cache: &mut ModuleCache,
) -> (String, Vec<Arc<Project>>) {
    let mut loaded = Vec::new();
    let markdown = render(path, projects, loader, cache, &mut loaded);
    (markdown, loaded)
}

fn render(
    path: &Path,
    projects: &Projects,
    loader: &OverlayLoader,
    cache: &mut ModuleCache,
    loaded: &mut Vec<Arc<Project>>,
) -> String {
    let (options, just_loaded) = projects.options_for(path, true, loader);
    loaded.extend(just_loaded);
    let Some(project) = options.project else {
        return format!(
            "`{}` is not a file or folder on disk: it belongs to no project.\n",
            path.display()
        );
    };
    let root = project.root.clone();
    let production_known = !project.production.is_empty();
    let candidates = if production_known {
        project.production.clone()
    } else {
        production::survey(&root).python_files
    };
    let mut modules = Vec::new();
    let mut findings = Vec::new();
    for module in candidates {
        let Some(text) = loader.read(&module) else {
            continue;
        };
        let (options, just_loaded) = projects.options_for(&module, true, loader);
        loaded.extend(just_loaded);
        let (kind, diagnostics) = core_diagnostics(
            &module,
            &Language::Python,
            &text,
            None,
            loader,
            cache,
            &options,
        );
        // without known production, every settings module the rules report on counts
        let counts = production_known
            || kind == Some(FileKind::DjangoSettings)
                && options
                    .project
                    .as_ref()
                    .is_none_or(|p| p.role(&module, cache, loader).is_checked());
        if counts {
            modules.push(module);
            findings.extend(diagnostics);
        }
    }
    if let Some(unparsable) = unparsable(&findings) {
        let line = loader.read(&unparsable.path).map_or(1, |t| {
            LineIndex::new(&t).line_of(unparsable.range.start) + 1
        });
        let shown = unparsable
            .path
            .strip_prefix(&root)
            .unwrap_or(&unparsable.path);
        return format!(
            "# Deployment checklist: `{}`\n\n`{}:{line}`: {} (the checklist needs it).\n",
            root.display(),
            shown.display(),
            unparsable.message
        );
    }
    let items = checklist::report(&findings, &|p| loader.read(p).map(|t| t.to_string()));
    let coverage = Coverage {
        project: root.clone(),
        production: project.production.clone(),
        source: project.production_source.clone(),
        modules,
    };
    checklist::document(&coverage, &items, Some(&root))
}

/// A module that does not parse cannot tick anything.
fn unparsable(findings: &[Diagnostic]) -> Option<&Diagnostic> {
    findings
        .iter()
        .find(|d| d.code.ends_with("000") && d.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_argument_a_folder_or_an_open_document_decides_the_target() {
        let roots = [PathBuf::from("/work/site")];
        let open = [PathBuf::from("/other/settings.py")];
        let given = [json!("file:///work/site/mysite/settings.py")];
        assert_eq!(
            target(&given, &roots, &open),
            Ok(Some(PathBuf::from("/work/site/mysite/settings.py")))
        );
        let object = [json!({"uri": "file:///tmp/x"})];
        assert_eq!(
            target(&object, &roots, &open),
            Ok(Some(PathBuf::from("/tmp/x")))
        );
        assert_eq!(target(&[], &roots, &open), Ok(Some(roots[0].clone())));
        assert_eq!(
            target(&[Value::Null], &[], &open),
            Ok(Some(open[0].clone()))
        );
        assert_eq!(target(&[], &[], &[]), Ok(None));
        assert!(target(&[json!(42)], &roots, &open).is_err());
    }
}
