//! `preflight checklist`: the user's deployment checklist for one project, ticked from the
//! findings of its production settings modules (or, when none is known, of every checked
//! settings module), analysed exactly as `preflight check` analyses them.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use preflight_core::checklist::{self, Coverage, ItemReport, Status};
use preflight_core::project::{Project, find_root};
use preflight_core::python::ModuleCache;
use preflight_core::source::DiskLoader;
use preflight_core::{Diagnostic, Severity};
use serde_json::json;

use crate::analyze::{Outcome, analyze_all, read_text};
use crate::args::{ChecklistArgs, ChecklistFormat};
use crate::check::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, report_skipped};
use crate::output::Sources;
use crate::projects::Projects;
use crate::walk::{Target, collect, describe_io_error, display_path};

pub fn run(args: ChecklistArgs) -> u8 {
    let cwd = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .unwrap_or_default();
    match checklist(&args, &cwd) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("preflight: {message}");
            EXIT_ERROR
        }
    }
}

/// Analyses the project, prints the report; returns the exit code.
fn checklist(args: &ChecklistArgs, cwd: &Path) -> Result<u8, String> {
    let given = std::fs::canonicalize(&args.path)
        .map_err(|e| format!("{}: {}", args.path.display(), describe_io_error(&e)))?;
    let root = find_root(&given, &DiskLoader);
    let project = Project::load(&root, &DiskLoader);
    let production_known = !project.production.is_empty();
    let targets = if production_known {
        project
            .production
            .iter()
            .map(|path| Target {
                path: path.clone(),
                explicit: true,
            })
            .collect()
    } else {
        collect(std::slice::from_ref(&root))?
    };
    let projects = Projects::load(&targets, args.django_version);
    let outcome = analyze_all(&targets, &projects);
    let skipped_in_error = report_skipped(&outcome, cwd);
    report_config_problems(&outcome.diagnostics, cwd);

    let modules = if production_known {
        project.production.clone()
    } else {
        checked_settings_modules(&outcome, &targets, &projects)
    };
    if modules.is_empty() {
        return Err(format!(
            "{}: no Django settings module found in this project",
            shown(&root, cwd)
        ));
    }
    let findings: Vec<Diagnostic> = outcome
        .diagnostics
        .into_iter()
        .filter(|d| modules.contains(&d.path))
        .collect();
    refuse_unparsable(&findings, cwd)?;

    let items = checklist::report(&findings, &|path| read_text(path).ok());
    let coverage = Coverage {
        project: root,
        production: project.production.clone(),
        source: project.production_source.clone(),
        modules,
    };
    let rendered = match args.format {
        ChecklistFormat::Markdown => checklist::document(&coverage, &items, Some(cwd)),
        ChecklistFormat::Json => to_json(&coverage, &items, cwd) + "\n",
    };
    // a closed pipe (`preflight checklist | head`) is not an error worth a panic
    let _ = std::io::stdout().lock().write_all(rendered.as_bytes());

    Ok(if skipped_in_error {
        EXIT_ERROR
    } else if items.iter().any(|i| i.status == Status::Failed) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

/// The settings modules among the analysed files that the rules report on (development and
/// test settings are quiet, so they do not tick the list).
fn checked_settings_modules(
    outcome: &Outcome,
    targets: &[Target],
    projects: &Projects,
) -> Vec<PathBuf> {
    let mut cache = ModuleCache::default();
    targets
        .iter()
        .filter(|t| outcome.settings_modules.binary_search(&t.path).is_ok())
        .filter(|t| {
            projects
                .options(t)
                .project
                .as_ref()
                .is_none_or(|project| project.role(&t.path, &mut cache, &DiskLoader).is_checked())
        })
        .map(|t| t.path.clone())
        .collect()
}

/// The configuration decides what is reported: its problems are worth knowing about here too.
fn report_config_problems(diagnostics: &[Diagnostic], cwd: &Path) {
    let mut sources = Sources::new(cwd.to_path_buf());
    for d in diagnostics.iter().filter(|d| d.code.starts_with("CFG")) {
        let (start, _) = sources.span(&d.path, d.range);
        eprintln!(
            "preflight: {}:{}:{}: {} {}",
            sources.display(&d.path),
            start.line,
            start.column,
            d.code,
            d.message
        );
    }
}

/// A module that does not parse cannot be checked: ticking items from it would be a lie.
fn refuse_unparsable(findings: &[Diagnostic], cwd: &Path) -> Result<(), String> {
    let Some(d) = findings
        .iter()
        .find(|d| d.code.ends_with("000") && d.severity == Severity::Error)
    else {
        return Ok(());
    };
    let mut sources = Sources::new(cwd.to_path_buf());
    let (start, _) = sources.span(&d.path, d.range);
    Err(format!(
        "{}:{}:{}: {} (the checklist needs it)",
        sources.display(&d.path),
        start.line,
        start.column,
        d.message
    ))
}

/// `{ project, production, covers, modules, items }`, paths shown as `check` shows them.
fn to_json(coverage: &Coverage, items: &[ItemReport], cwd: &Path) -> String {
    let paths = |list: &[PathBuf]| -> Vec<String> { list.iter().map(|p| shown(p, cwd)).collect() };
    let items: Vec<ItemReport> = items
        .iter()
        .cloned()
        .map(|mut item| {
            for f in &mut item.failures {
                f.path = PathBuf::from(shown(&f.path, cwd));
                if let Some(cause) = &mut f.cause {
                    cause.path = PathBuf::from(shown(&cause.path, cwd));
                }
            }
            item
        })
        .collect();
    let covers = if coverage.production.is_empty() {
        "settings-modules"
    } else {
        "production"
    };
    let value = json!({
        "project": shown(&coverage.project, cwd),
        "production": paths(&coverage.production),
        "covers": covers,
        "modules": paths(&coverage.modules),
        "items": items,
    });
    serde_json::to_string_pretty(&value).expect("JSON values always serialise")
}

/// A path relative to the working directory when under it (`.` for the directory itself).
fn shown(path: &Path, cwd: &Path) -> String {
    match display_path(path, cwd) {
        s if s.is_empty() => ".".to_owned(),
        s => s,
    }
}
