// The Preflight extension: starts `preflight lsp` for Python settings modules, gunicorn configs and
// nginx files, and adds the checklist, fix-all and restart commands and a status bar item.
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from "vscode-languageclient/node";

import { Binary, BinaryNotFound, resolveBinary } from "./binary";
import { ShownChecklist, showChecklist } from "./checklist";
import { fixAll } from "./fixAll";
import { StatusItem } from "./status";
import { SettingTraceChannel } from "./trace";

/** What `activate` returns: used by the e2e tests (and by anyone scripting the extension). */
export interface PreflightApi {
  readonly client: LanguageClient | undefined;
  readonly binary: Binary | undefined;
  readonly statusText: string;
  readonly lastChecklist: ShownChecklist | undefined;
  /** The folder of the Preflight output's log file (Preflight.log). */
  readonly logUri: vscode.Uri;
  /** Resolves once the server is running (or rejects if it could not start). */
  ready(): Promise<void>;
}

/** The rule settings the server reads (not `path` or `trace`, which are the extension's). */
const RULE_SETTINGS = ["select", "ignore", "severity", "configurationPreference"] as const;

export function ruleSettings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration("preflight");
  const settings: Record<string, unknown> = {};
  for (const key of RULE_SETTINGS) {
    settings[key] = config.get(key) ?? null;
  }
  return settings;
}

function pathSetting(): string {
  return vscode.workspace.getConfiguration("preflight").get<string>("path", "");
}

const documentSelector = [
  { scheme: "file", language: "python" },
  { scheme: "file", language: "nginx" },
  // nginx files another extension (or none) gave another language: the server tells by path and content.
  { scheme: "file", pattern: "**/*.{conf,nginx}" },
];

class Extension implements PreflightApi {
  client: LanguageClient | undefined;
  binary: Binary | undefined;
  lastChecklist: ShownChecklist | undefined;
  private starting: Promise<void> = Promise.resolve();
  private restarts: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    private readonly status: StatusItem,
    private readonly trace: SettingTraceChannel,
  ) {}

  get logUri(): vscode.Uri {
    return this.context.logUri;
  }

  get statusText(): string {
    return this.status.text;
  }

  ready(): Promise<void> {
    return this.starting;
  }

  start(): Promise<void> {
    this.starting = this.startClient();
    return this.starting;
  }

  private async startClient(): Promise<void> {
    this.status.setState("starting");
    try {
      this.binary = resolveBinary(this.context.extensionPath);
    } catch (error) {
      this.binary = undefined;
      const message = error instanceof BinaryNotFound ? error.message : String(error);
      this.output.appendLine(message);
      this.status.setState("error", "no preflight binary");
      void vscode.window.showErrorMessage(`Preflight: ${message}`, "Open Settings").then((choice) => {
        if (choice === "Open Settings") {
          void vscode.commands.executeCommand("workbench.action.openSettings", "preflight.path");
        }
      });
      throw error;
    }
    this.output.appendLine(`Starting ${this.binary.path} lsp (the ${this.binary.source} binary)`);
    // No `transport`: vscode-languageclient would add `--stdio`; `preflight lsp` speaks stdio anyway.
    const executable = { command: this.binary.path, args: ["lsp"] };
    const serverOptions: ServerOptions = { run: executable, debug: executable };
    const startedWith = pathSetting();
    const clientOptions: LanguageClientOptions = {
      documentSelector,
      middleware: {
        workspace: {
          // A new preflight.path restarts the server (below): the old client must not send it.
          didChangeConfiguration: (sections, next) =>
            pathSetting() === startedWith ? next(sections) : Promise.resolve(),
        },
      },
      initializationOptions: ruleSettings(),
      synchronize: { configurationSection: "preflight" },
      outputChannel: this.output,
      traceOutputChannel: this.trace,
    };
    const client = new LanguageClient("preflight", "Preflight", serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState((event) => {
      if (event.newState === State.Running) {
        this.status.setState("running");
      } else if (event.newState === State.Starting) {
        this.status.setState("starting");
      } else if (this.client === client) {
        // Not stopped by us (stop() forgets the client first): it failed to start, or crashed
        // more often than vscode-languageclient restarts it.
        this.status.setState(
          "error",
          event.oldState === State.Starting ? "the server did not start" : "the server stopped unexpectedly",
        );
      }
    });
    try {
      await client.start();
      this.status.setState("running");
    } catch (error) {
      this.status.setState("error", `the server did not start: ${String(error)}`);
      throw error;
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      try {
        // dispose, not stop: a stopped client still listens to settings and would start again on the next one.
        await client.dispose(5000);
      } catch (error) {
        this.output.appendLine(`Stopping the server: ${String(error)}`);
      }
    }
    this.status.setState("stopped");
  }

  /** Restarts run one after the other (settings can change twice in a row). */
  restart(): Promise<void> {
    const next = this.restarts.then(async () => {
      await this.stop();
      await this.start();
    });
    this.restarts = next.catch(() => undefined);
    return next;
  }

  async runningClient(): Promise<LanguageClient> {
    try {
      await this.starting;
    } catch {
      // reported when it failed; fall through to the message below
    }
    if (!this.client || !this.client.isRunning()) {
      throw new Error("the Preflight language server is not running (see the Preflight output)");
    }
    return this.client;
  }
}

let extension: Extension | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<PreflightApi> {
  const output = vscode.window.createOutputChannel("Preflight", { log: true });
  const status = new StatusItem();
  const trace = new SettingTraceChannel(output);
  const ext = new Extension(context, output, status, trace);
  extension = ext;
  context.subscriptions.push(
    output,
    trace,
    status,
    vscode.commands.registerCommand("preflight.showOutput", () => output.show(true)),
    vscode.commands.registerCommand("preflight.restartServer", async () => {
      try {
        await ext.restart();
      } catch (error) {
        output.appendLine(`Restart failed: ${String(error)}`);
      }
    }),
    vscode.commands.registerCommand("preflight.showChecklist", async () => {
      try {
        ext.lastChecklist = await showChecklist(await ext.runningClient());
        return ext.lastChecklist;
      } catch (error) {
        void vscode.window.showErrorMessage(`Preflight: the checklist failed: ${errorMessage(error)}`);
        return undefined;
      }
    }),
    vscode.commands.registerCommand("preflight.fixAll", async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage("Preflight: open a settings module, gunicorn config or nginx file first.");
        return 0;
      }
      try {
        await ext.runningClient();
        const applied = await fixAll(editor.document);
        if (applied === 0) {
          void vscode.window.setStatusBarMessage("Preflight: nothing to fix", 3000);
        }
        return applied;
      } catch (error) {
        void vscode.window.showErrorMessage(`Preflight: fix all failed: ${errorMessage(error)}`);
        return 0;
      }
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // The rule settings reach the running server by themselves (didChangeConfiguration);
      // another binary needs another server.
      if (event.affectsConfiguration("preflight.path")) {
        void ext.restart().catch((error) => output.appendLine(`Restart failed: ${String(error)}`));
      }
    }),
  );
  ext.start().catch((error) => output.appendLine(`Preflight did not start: ${errorMessage(error)}`));
  return ext;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function deactivate(): Promise<void> {
  await extension?.stop();
  extension = undefined;
}
