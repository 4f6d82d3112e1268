//! `preflight check`: find files, optionally fix them, analyse, print, choose the exit code.

use std::io::Write as _;

use crate::analyze::{Outcome, Unreadable, analyze_all};
use crate::args::{CheckArgs, Format};
use crate::fix::apply_safe_fixes;
use crate::output::{Sources, Summary, github, json, sarif, text};
use crate::projects::Projects;
use crate::walk::{Target, collect};

/// Exit codes of the contract in DEVELOPERS.md.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

pub fn run(args: CheckArgs) -> u8 {
    let cwd = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .unwrap_or_default();
    let targets = match collect(&args.paths) {
        Ok(targets) => targets,
        Err(message) => {
            eprintln!("preflight: {message}");
            return EXIT_ERROR;
        }
    };
    if targets.is_empty() {
        eprintln!("preflight: warning: no files to check under the given paths");
    }
    let projects = Projects::load(&targets, args.django_version);

    let fixed = if args.fix {
        let report = apply_safe_fixes(&targets, &projects);
        for failure in &report.failures {
            eprintln!("preflight: {failure}");
        }
        report.fixed
    } else {
        0
    };

    let outcome = analyze_all(&targets, &projects);
    let skipped_in_error = report_skipped(&outcome, &cwd);

    let mut sources = Sources::new(cwd);
    let rendered = match args.format {
        Format::Json => json::render(&outcome.diagnostics, &mut sources) + "\n",
        Format::Sarif => sarif::render(&outcome.diagnostics, &mut sources),
        Format::Github => github::render(&outcome.diagnostics, &mut sources),
        Format::Text => text::render(
            &outcome.diagnostics,
            Summary::of(&outcome.diagnostics, fixed),
            &mut sources,
        ),
    };
    // a closed pipe (`preflight check | head`) is not an error worth a panic
    let _ = std::io::stdout().lock().write_all(rendered.as_bytes());

    exit_code(&outcome, skipped_in_error)
}

/// Prints why files were skipped; returns whether that is an error (exit 2): a file named on the
/// command line could not be read, or the analysis of any file failed. Unreadable files found
/// by walking are only warned about.
pub fn report_skipped(outcome: &Outcome, cwd: &std::path::Path) -> bool {
    let mut error = false;
    for skipped in &outcome.skipped {
        let Target { path, explicit } = &skipped.target;
        eprintln!(
            "preflight: {}: skipped: {}",
            crate::walk::display_path(path, cwd),
            skipped.reason
        );
        error |= *explicit || skipped.reason == Unreadable::Crashed;
    }
    error
}

fn exit_code(outcome: &Outcome, skipped_in_error: bool) -> u8 {
    if skipped_in_error {
        EXIT_ERROR
    } else if outcome.diagnostics.iter().any(|d| d.severity.is_failure()) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
