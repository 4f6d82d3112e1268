// "Preflight: Show deployment checklist": asks the server for the checklist Markdown
// (`preflight.checklist`, the report `preflight checklist` prints) and renders it in a webview
// with VS Code's own Markdown renderer.
import * as vscode from "vscode";
import { ExecuteCommandRequest, LanguageClient } from "vscode-languageclient/node";

export interface ShownChecklist {
  target: string;
  markdown: string;
  html: string;
  panel: vscode.WebviewPanel;
}

let panel: vscode.WebviewPanel | undefined;

/** The document or folder the checklist is about: the active file, else the first workspace folder. */
export function checklistTarget(): vscode.Uri | undefined {
  const document = vscode.window.activeTextEditor?.document;
  if (document && document.uri.scheme === "file") {
    return document.uri;
  }
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

export async function fetchChecklist(client: LanguageClient, target: vscode.Uri | undefined): Promise<string> {
  const result: unknown = await client.sendRequest(ExecuteCommandRequest.type, {
    command: "preflight.checklist",
    arguments: target ? [target.toString()] : [],
  });
  if (typeof result !== "string") {
    throw new Error(`the server answered preflight.checklist with ${JSON.stringify(result)}, not Markdown`);
  }
  return result;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The report's `[ ]`/`[x]` items as check boxes, and its "(failed)" marks in the error colour.
 * (VS Code's renderer adds attributes such as `data-line` and `dir` to the `<li>`.) */
function decorate(html: string): string {
  return html
    .replace(/<li([^>]*)>(\s*(?:<p[^>]*>)?\s*)\[([ xX])\]\s*/g, (_whole, attributes: string, opening: string, mark: string) => {
      const ticked = mark !== " ";
      const box = ticked
        ? '<span class="box" aria-label="ticked">\u2611</span> '
        : '<span class="box" aria-label="not ticked">\u2610</span> ';
      return `<li class="item${ticked ? " passed" : ""}"${attributes}>${opening}${box}`;
    })
    .replace(/<strong>\(failed\)<\/strong>/g, '<strong class="failed">(failed)</strong>');
}

async function renderMarkdown(markdown: string): Promise<string> {
  try {
    // The built-in Markdown extension's renderer (the one its preview uses).
    const html = await vscode.commands.executeCommand<string>("markdown.api.render", markdown);
    if (typeof html === "string") {
      return decorate(html);
    }
  } catch {
    // No Markdown extension (disabled): show the text as it is.
  }
  return `<pre>${escapeHtml(markdown)}</pre>`;
}

function page(body: string, nonce: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; img-src https: data:;">
<style nonce="${nonce}">
  body { font-family: var(--vscode-markdown-font-family, var(--vscode-font-family)); font-size: var(--vscode-markdown-font-size, 14px);
         line-height: 1.6; color: var(--vscode-foreground); padding: 0 26px 26px; max-width: 980px; }
  a { color: var(--vscode-textLink-foreground); }
  code { font-family: var(--vscode-editor-font-family); font-size: 0.95em; background: var(--vscode-textCodeBlock-background); padding: 1px 4px; border-radius: 3px; }
  pre { background: var(--vscode-textCodeBlock-background); padding: 10px; overflow-x: auto; }
  table { border-collapse: collapse; } th, td { border: 1px solid var(--vscode-panel-border); padding: 4px 8px; }
  li { margin: 2px 0; }
  li.item { list-style: none; margin-left: -1.2em; }
  li.item ul li { list-style: disc; }
  .box { font-size: 1.1em; }
  li.passed > .box { color: var(--vscode-testing-iconPassed, #73c991); }
  .failed { color: var(--vscode-errorForeground, #f14c4c); }
</style></head><body>${body}</body></html>`;
}

export async function showChecklist(client: LanguageClient): Promise<ShownChecklist> {
  const target = checklistTarget();
  const markdown = await fetchChecklist(client, target);
  const html = await renderMarkdown(markdown);
  if (!panel) {
    panel = vscode.window.createWebviewPanel(
      "preflight.checklist",
      "Deployment checklist",
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: false, enableFindWidget: true },
    );
    panel.onDidDispose(() => (panel = undefined));
  } else {
    panel.reveal(vscode.ViewColumn.Beside, true);
  }
  const nonce = Math.random().toString(36).slice(2) + Date.now().toString(36);
  panel.webview.html = page(html, nonce);
  return { target: target?.toString() ?? "", markdown, html, panel };
}
