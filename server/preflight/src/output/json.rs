//! `--format json`: one JSON array, exactly as the contract in DEVELOPERS.md says.

use preflight_core::{Diagnostic, Fix, Related};
use serde_json::{Value, json};

use super::Sources;

pub fn render(diagnostics: &[Diagnostic], sources: &mut Sources) -> String {
    let items: Vec<Value> = diagnostics.iter().map(|d| diagnostic(d, sources)).collect();
    serde_json::to_string_pretty(&items).expect("JSON values always serialise")
}

fn diagnostic(d: &Diagnostic, sources: &mut Sources) -> Value {
    let (start, end) = sources.span(&d.path, d.range);
    json!({
        "path": sources.display(&d.path),
        "line": start.line,
        "column": start.column,
        "end_line": end.line,
        "end_column": end.column,
        "severity": d.severity.as_str(),
        "code": d.code,
        "message": d.message,
        "references": d.references,
        "fix": d.fix.as_ref().map(|f| fix(d, f, sources)),
        "related": d.related.iter().map(|r| related(r, sources)).collect::<Vec<Value>>(),
    })
}

/// A place in another (or the same) file that explains the finding (the stack rules point at
/// the other layers), positioned like the finding itself.
fn related(r: &Related, sources: &mut Sources) -> Value {
    let (start, end) = sources.span(&r.path, r.range);
    json!({
        "path": sources.display(&r.path),
        "line": start.line,
        "column": start.column,
        "end_line": end.line,
        "end_column": end.column,
        "message": r.message,
    })
}

fn fix(d: &Diagnostic, fix: &Fix, sources: &mut Sources) -> Value {
    let edits: Vec<Value> = fix
        .edits
        .iter()
        .map(|e| {
            let (start, end) = sources.span(&d.path, e.range);
            json!({
                "line": start.line,
                "column": start.column,
                "end_line": end.line,
                "end_column": end.column,
                "new_text": e.new_text,
            })
        })
        .collect();
    json!({ "title": fix.title, "edits": edits })
}
