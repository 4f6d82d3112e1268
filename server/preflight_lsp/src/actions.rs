//! Code actions: a `quickfix` per diagnostic with a sound fix, and `source.fixAll.preflight`.

use std::collections::HashMap;

use preflight_core::diagnostic::{Diagnostic, apply_edits};
use preflight_core::suppression::{Suppression, ignore_fix};
use preflight_core::text::{Encoding, TextRange};
use tower_lsp_server::ls_types::{
    self as lsp, CodeAction, CodeActionKind, CodeActionOrCommand, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, Uri, WorkspaceEdit,
};

use crate::analysis::Analysis;
use crate::convert::Lines;
use crate::document::Language;
use crate::fixes::{adapt_edits, apply_fix, minimal_edit};

pub const FIX_ALL: CodeActionKind = CodeActionKind::new("source.fixAll.preflight");

/// Whether the client asked for actions of `kind` (`only` lists kinds or their parents).
pub fn wanted(only: Option<&[CodeActionKind]>, kind: &CodeActionKind) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|k| {
            let (k, kind) = (k.as_str(), kind.as_str());
            k.is_empty()
                || kind == k
                || kind
                    .strip_prefix(k)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    })
}

/// Whether a diagnostic overlaps the requested range (touching counts: a cursor at either end).
fn overlaps(d: &Diagnostic, wanted: TextRange) -> bool {
    d.range.start <= wanted.end && wanted.start <= d.range.end
}

/// A `quickfix` for each sound fix of the diagnostics overlapping `range`: the preferred fix
/// (marked preferred when it is safe) and the alternatives.
pub fn quick_fixes(
    uri: &Uri,
    language: &Language,
    analysis: &Analysis,
    range: lsp::Range,
    encoding: Encoding,
) -> Vec<CodeActionOrCommand> {
    let lines = &analysis.lines;
    let wanted = lines.text_range(range, encoding);
    let mut actions = Vec::new();
    for (d, converted) in analysis.diagnostics.iter().zip(&analysis.lsp) {
        if !overlaps(d, wanted) {
            continue;
        }
        let preferred = d.fix.iter().map(|f| (f, f.safe));
        let alternatives = d.alternatives.iter().map(|f| (f, false));
        for (fix, is_preferred) in preferred.chain(alternatives) {
            if apply_fix(language, &lines.text, fix).is_none() {
                continue;
            }
            let edits = adapt_edits(&lines.text, fix);
            let edits = edits.iter().map(|e| lines.text_edit(e, encoding)).collect();
            actions.push(quick_fix(uri, &fix.title, converted, edits, is_preferred));
        }
    }
    actions
}

/// "Ignore CODE on this line" (the core's suppression comment) for each diagnostic overlapping
/// `range`, offered only when the comment really silences it: `analyse` re-analyses the
/// commented text.
pub fn ignore_actions(
    uri: &Uri,
    analysis: &Analysis,
    suppressions: &[Suppression],
    range: lsp::Range,
    encoding: Encoding,
    analyse: &mut dyn FnMut(&str) -> Vec<Diagnostic>,
) -> Vec<CodeActionOrCommand> {
    let lines = &analysis.lines;
    let wanted = lines.text_range(range, encoding);
    let count = |ds: &[Diagnostic], code: &str| ds.iter().filter(|d| d.code == code).count();
    let mut actions = Vec::new();
    for (d, converted) in analysis.diagnostics.iter().zip(&analysis.lsp) {
        if !overlaps(d, wanted) {
            continue;
        }
        let fix = ignore_fix(&lines.text, &lines.index, suppressions, d);
        let edits = adapt_edits(&lines.text, &fix);
        let silenced = apply_edits(&lines.text, &edits);
        if count(&analyse(&silenced), d.code) >= count(&analysis.diagnostics, d.code) {
            continue;
        }
        let edits = edits.iter().map(|e| lines.text_edit(e, encoding)).collect();
        actions.push(quick_fix(uri, &fix.title, converted, edits, false));
    }
    actions
}

fn quick_fix(
    uri: &Uri,
    title: &str,
    diagnostic: &lsp::Diagnostic,
    edits: Vec<lsp::TextEdit>,
    is_preferred: bool,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title: title.to_owned(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(workspace_edit(uri, edits)),
        is_preferred: Some(is_preferred),
        ..Default::default()
    })
}

/// The fix-all action, given the text after all safe fixes.
pub fn fix_all_action(
    uri: &Uri,
    lines: &Lines,
    fixed: &str,
    encoding: Encoding,
) -> CodeActionOrCommand {
    let edit = minimal_edit(&lines.text, fixed);
    CodeActionOrCommand::CodeAction(CodeAction {
        title: "Preflight: fix all safe problems".to_owned(),
        kind: Some(FIX_ALL),
        edit: Some(workspace_edit(uri, vec![lines.text_edit(&edit, encoding)])),
        ..Default::default()
    })
}

fn workspace_edit(uri: &Uri, edits: Vec<lsp::TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..Default::default()
    }
}

/// Turns the actions' edits of `uri` into edits of its `version` (`documentChanges`), so that
/// a client whose document has changed since refuses them instead of applying them at stale
/// positions.
pub fn pin_version(actions: &mut [CodeActionOrCommand], uri: &Uri, version: i32) {
    for action in actions {
        let CodeActionOrCommand::CodeAction(CodeAction {
            edit: Some(edit), ..
        }) = action
        else {
            continue;
        };
        let Some(changes) = edit.changes.take() else {
            continue;
        };
        let mut documents: Vec<TextDocumentEdit> = changes
            .into_iter()
            .map(|(edited, edits)| TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    version: (edited == *uri).then_some(version),
                    uri: edited,
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            })
            .collect();
        documents.sort_by(|a, b| {
            a.text_document
                .uri
                .as_str()
                .cmp(b.text_document.uri.as_str())
        });
        edit.document_changes = Some(DocumentChanges::Edits(documents));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_edits_name_the_version_they_were_computed_for() {
        let uri: Uri = "file:///p/settings.py".parse().unwrap();
        let edit = lsp::TextEdit {
            range: lsp::Range::default(),
            new_text: "DEBUG = False\n".into(),
        };
        let mut actions = vec![CodeActionOrCommand::CodeAction(CodeAction {
            title: "fix".into(),
            edit: Some(workspace_edit(&uri, vec![edit.clone()])),
            ..Default::default()
        })];
        pin_version(&mut actions, &uri, 7);
        let CodeActionOrCommand::CodeAction(action) = &actions[0] else {
            panic!("an action")
        };
        let edit_of_action = action.edit.as_ref().unwrap();
        assert_eq!(edit_of_action.changes, None);
        assert_eq!(
            edit_of_action.document_changes,
            Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri,
                    version: Some(7)
                },
                edits: vec![OneOf::Left(edit)],
            }]))
        );
    }

    #[test]
    fn kinds_match_by_prefix() {
        let only = [CodeActionKind::SOURCE_FIX_ALL];
        assert!(wanted(Some(&only), &FIX_ALL));
        assert!(!wanted(Some(&only), &CodeActionKind::QUICKFIX));
        assert!(wanted(None, &CodeActionKind::QUICKFIX));
        assert!(wanted(Some(&[CodeActionKind::SOURCE]), &FIX_ALL));
        assert!(!wanted(
            Some(&[CodeActionKind::new("source.fix")]),
            &FIX_ALL
        ));
    }
}
