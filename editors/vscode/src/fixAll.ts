// "Preflight: Fix all": the server's `source.fixAll.preflight` code action on the active
// document (every safe fix of the document), applied as one edit.
import * as vscode from "vscode";

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append("preflight");

/** Applies Preflight's fix-all action to `document`; returns how many actions were applied. */
export async function fixAll(document: vscode.TextDocument): Promise<number> {
  const whole = new vscode.Range(document.lineAt(0).range.start, document.lineAt(document.lineCount - 1).range.end);
  const actions =
    (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      "vscode.executeCodeActionProvider",
      document.uri,
      whole,
      FIX_ALL_KIND.value,
    )) ?? [];
  let applied = 0;
  for (const action of actions) {
    // Other extensions may answer the same request: only Preflight's own action counts.
    if (!("kind" in action) || !action.kind || !FIX_ALL_KIND.contains(action.kind)) {
      continue;
    }
    if (action.edit && !(await vscode.workspace.applyEdit(action.edit))) {
      throw new Error("VS Code refused Preflight's fix-all edit (the document changed meanwhile?)");
    }
    if (action.command) {
      await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
    }
    applied += 1;
  }
  return applied;
}
