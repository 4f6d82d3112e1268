//! `--fix`: applies safe fixes one at a time, re-analysing after each, because fixes may overlap
//! or make one another unnecessary.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use preflight_core::python::ModuleCache;
use preflight_core::syntax::{nginx_parser, parse_nginx, parse_python, python_parser};
use preflight_core::{Diagnostic, Options, apply_edits};

use crate::analyze::{analyze_text, read_text};
use crate::projects::Projects;
use crate::walk::{Target, is_python};

/// A bound on fixes per file, in case a rule keeps offering a fix that does not stick.
const MAX_FIXES_PER_FILE: usize = 200;

#[derive(Debug, Default)]
pub struct FixReport {
    pub fixed: usize,
    /// Fixes that could not be applied, with why (printed on stderr).
    pub failures: Vec<String>,
}

/// Applies every safe fix the targets' diagnostics offer.
pub fn apply_safe_fixes(targets: &[Target], projects: &Projects) -> FixReport {
    let mut report = FixReport::default();
    for target in targets {
        fix_file(&target.path, projects.options(target), &mut report);
    }
    report
}

fn fix_file(path: &Path, options: &Options, report: &mut FixReport) {
    // a fix that was applied (or refused) and is offered again did not stick: never retry it
    let mut tried: HashSet<(PathBuf, &'static str, String, String)> = HashSet::new();
    for _ in 0..MAX_FIXES_PER_FILE {
        let Ok(text) = read_text(path) else { return };
        // fresh cache: the previous fix may have changed a module this one imports
        let diagnostics = analyze_text(path, &text, &mut ModuleCache::default(), options);
        let next = diagnostics.into_iter().find_map(|d| {
            let fix = d.fix.as_ref().filter(|f| f.safe)?;
            let key = (d.path.clone(), d.code, d.message.clone(), fix.title.clone());
            tried.insert(key).then_some(d)
        });
        let Some(diagnostic) = next else { return };
        match apply_one(&diagnostic) {
            Ok(true) => report.fixed += 1,
            Ok(false) => {}
            Err(why) => report.failures.push(why),
        }
    }
}

/// Applies one diagnostic's fix to its file. `Ok(false)` when it changed nothing.
fn apply_one(d: &Diagnostic) -> Result<bool, String> {
    let fix = d
        .fix
        .as_ref()
        .expect("only diagnostics with a fix are applied");
    let text = read_text(&d.path).map_err(|e| format!("{}: cannot fix: {e}", d.path.display()))?;
    let fixed = apply_edits(&text, &fix.edits);
    if fixed == text {
        return Ok(false);
    }
    if parses(&d.path, &text) && !parses(&d.path, &fixed) {
        return Err(format!(
            "{}: {} fix \"{}\" would leave the file unparsable; not applied",
            d.path.display(),
            d.code,
            fix.title
        ));
    }
    std::fs::write(&d.path, fixed)
        .map_err(|e| format!("{}: cannot write: {e}", d.path.display()))?;
    Ok(true)
}

/// Whether a checked file's text parses (as Python or, the other kind checked, nginx) within
/// the parse budget.
fn parses(path: &Path, text: &str) -> bool {
    let tree = if is_python(path) {
        parse_python(&mut python_parser(), text, None)
    } else {
        parse_nginx(&mut nginx_parser(), text, None)
    };
    tree.is_ok_and(|tree| !tree.root_node().has_error())
}
