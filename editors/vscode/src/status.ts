// The status bar item: the server's state and the active document's Preflight findings.
import * as vscode from "vscode";

export type ServerState = "starting" | "running" | "stopped" | "error";

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private state: ServerState = "starting";
  private detail = "";
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.item = vscode.window.createStatusBarItem("preflight.status", vscode.StatusBarAlignment.Left, 10);
    this.item.name = "Preflight";
    this.subscriptions.push(
      vscode.languages.onDidChangeDiagnostics(() => this.render()),
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
    );
    this.render();
    this.item.show();
  }

  setState(state: ServerState, detail = ""): void {
    this.state = state;
    this.detail = detail;
    this.render();
  }

  /** What the item shows now (the e2e test reads it). */
  get text(): string {
    return this.item.text;
  }

  private findings(): number | undefined {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      return undefined;
    }
    return vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === "preflight").length;
  }

  private render(): void {
    const item = this.item;
    item.backgroundColor = undefined;
    switch (this.state) {
      case "starting":
        item.text = "$(loading~spin) Preflight";
        item.tooltip = "Preflight: starting the language server";
        item.command = "preflight.showOutput";
        return;
      case "stopped":
        item.text = "$(circle-slash) Preflight";
        item.tooltip = "Preflight: the language server is stopped. Click for its output.";
        item.command = "preflight.showOutput";
        return;
      case "error":
        item.text = "$(error) Preflight";
        item.tooltip = `Preflight: ${this.detail || "the language server stopped with an error"}. Click for its output.`;
        item.backgroundColor = new vscode.ThemeColor("statusBarItem.errorBackground");
        item.command = "preflight.showOutput";
        return;
      case "running": {
        const count = this.findings();
        if (count === undefined) {
          item.text = "$(checklist) Preflight";
          item.tooltip = "Preflight is running. Click for the deployment checklist.";
        } else if (count === 0) {
          item.text = "$(check) Preflight";
          item.tooltip = "Preflight: no findings in this file. Click for the deployment checklist.";
        } else {
          item.text = `$(warning) Preflight: ${count}`;
          item.tooltip = `Preflight: ${count} finding${count === 1 ? "" : "s"} in this file. Click for the deployment checklist.`;
        }
        item.command = "preflight.showChecklist";
        return;
      }
    }
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.item.dispose();
  }
}
