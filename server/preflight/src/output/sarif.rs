//! `--format sarif`: a SARIF 2.1.0 log (for GitHub code scanning and other SARIF viewers) with
//! the metadata of every rule, each finding's place, related places and fix.

use std::collections::HashMap;

use preflight_core::diagnostic::Severity;
use preflight_core::rules::{RuleMeta, docs_url, registry};
use preflight_core::text::TextRange;
use preflight_core::{Diagnostic, Fix, Related};
use serde_json::{Value, json};

use super::Sources;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/preflight-dev/preflight";

pub fn render(diagnostics: &[Diagnostic], sources: &mut Sources) -> String {
    let rules: Vec<&RuleMeta> = registry().collect();
    let index: HashMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.code, i)).collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| result(d, index.get(d.code).copied(), sources))
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "preflight",
                "informationUri": INFORMATION_URI,
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|r| rule(r)).collect::<Vec<Value>>(),
            }},
            // our columns count Unicode characters, as the JSON output's do
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"%SRCROOT%": {"uri": sources.root_uri()}},
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).expect("JSON values always serialise") + "\n"
}

/// SARIF's levels: `note` stands for both information and hints.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

fn rule(r: &RuleMeta) -> Value {
    let mut tags = vec![family(r.code)];
    tags.extend(r.django.map(|id| format!("django:{id}")));
    tags.extend(r.gixy.map(|p| format!("gixy:{p}")));
    json!({
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": plain(r.summary)},
        "fullDescription": {"text": plain(r.docs)},
        "help": {"text": plain(r.docs), "markdown": r.docs},
        "helpUri": docs_url(r.code),
        "defaultConfiguration": {"level": level(r.severity)},
        "properties": {"tags": tags},
    })
}

/// The layer a code belongs to, as a tag.
fn family(code: &str) -> String {
    let letters: String = code.chars().take_while(char::is_ascii_uppercase).collect();
    match letters.as_str() {
        "DJ" => "django",
        "NGX" => "nginx",
        "GUN" => "gunicorn",
        "STK" => "stack",
        _ => "configuration",
    }
    .to_owned()
}

/// Markdown's backticks dropped for plain-text viewers.
fn plain(markdown: &str) -> String {
    markdown.replace('`', "")
}

fn result(d: &Diagnostic, rule_index: Option<usize>, sources: &mut Sources) -> Value {
    let mut result = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": {"text": d.message},
        "locations": [location(&d.path, d.range, sources)],
    });
    if let Some(i) = rule_index {
        result["ruleIndex"] = json!(i);
    }
    if !d.related.is_empty() {
        result["relatedLocations"] = d
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| related(i, r, sources))
            .collect();
    }
    if let Some(fix) = &d.fix {
        result["fixes"] = json!([self::fix(d, fix, sources)]);
    }
    result
}

fn location(path: &std::path::Path, range: TextRange, sources: &mut Sources) -> Value {
    json!({"physicalLocation": physical(path, range, sources)})
}

fn physical(path: &std::path::Path, range: TextRange, sources: &mut Sources) -> Value {
    json!({
        "artifactLocation": artifact(path, sources),
        "region": region(path, range, sources),
    })
}

fn artifact(path: &std::path::Path, sources: &mut Sources) -> Value {
    match sources.relative_uri(path) {
        Some(uri) => json!({"uri": uri, "uriBaseId": "%SRCROOT%"}),
        None => json!({"uri": sources.file_uri(path)}),
    }
}

fn region(path: &std::path::Path, range: TextRange, sources: &mut Sources) -> Value {
    let (start, end) = sources.span(path, range);
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    })
}

fn related(id: usize, r: &Related, sources: &mut Sources) -> Value {
    json!({
        "id": id,
        "physicalLocation": physical(&r.path, r.range, sources),
        "message": {"text": r.message},
    })
}

fn fix(d: &Diagnostic, fix: &Fix, sources: &mut Sources) -> Value {
    let replacements: Vec<Value> = fix
        .edits
        .iter()
        .map(|e| {
            json!({
                "deletedRegion": region(&d.path, e.range, sources),
                "insertedContent": {"text": e.new_text},
            })
        })
        .collect();
    json!({
        "description": {"text": fix.title},
        "artifactChanges": [{
            "artifactLocation": artifact(&d.path, sources),
            "replacements": replacements,
        }],
    })
}
