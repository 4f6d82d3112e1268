// `preflight.trace.server` (off | messages | verbose) as users expect it: vscode-languageclient
// traces only when its trace channel's log level is Trace (set by hand per channel), then reads
// the setting. This channel's log level follows the setting instead, and it writes the trace
// into the Preflight output at the Info level, so the setting alone turns tracing on and off.
import * as vscode from "vscode";

function traceWanted(): boolean {
  return vscode.workspace.getConfiguration("preflight").get<string>("trace.server", "off") !== "off";
}

export class SettingTraceChannel implements vscode.LogOutputChannel {
  private readonly levelChanged = new vscode.EventEmitter<vscode.LogLevel>();
  private readonly subscription: vscode.Disposable;
  private level: vscode.LogLevel;

  constructor(private readonly channel: vscode.LogOutputChannel) {
    this.level = this.currentLevel();
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("preflight.trace.server")) {
        this.level = this.currentLevel();
        this.levelChanged.fire(this.level);
      }
    });
  }

  private currentLevel(): vscode.LogLevel {
    return traceWanted() ? vscode.LogLevel.Trace : vscode.LogLevel.Info;
  }

  get name(): string {
    return this.channel.name;
  }
  get logLevel(): vscode.LogLevel {
    return this.level;
  }
  get onDidChangeLogLevel(): vscode.Event<vscode.LogLevel> {
    return this.levelChanged.event;
  }
  trace(message: string, ...args: unknown[]): void {
    if (this.level === vscode.LogLevel.Trace) {
      this.channel.info(message, ...args);
    }
  }
  debug(message: string, ...args: unknown[]): void {
    this.channel.debug(message, ...args);
  }
  info(message: string, ...args: unknown[]): void {
    this.channel.info(message, ...args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(message, ...args);
  }
  error(error: string | Error, ...args: unknown[]): void {
    this.channel.error(error, ...args);
  }
  append(value: string): void {
    this.channel.append(value);
  }
  appendLine(value: string): void {
    this.channel.appendLine(value);
  }
  replace(value: string): void {
    this.channel.replace(value);
  }
  clear(): void {
    this.channel.clear();
  }
  show(preserveFocus?: boolean): void;
  show(column?: vscode.ViewColumn, preserveFocus?: boolean): void;
  show(first?: boolean | vscode.ViewColumn, preserveFocus?: boolean): void {
    if (typeof first === "boolean" || first === undefined) {
      this.channel.show(first);
    } else {
      this.channel.show(first, preserveFocus);
    }
  }
  hide(): void {
    this.channel.hide();
  }
  dispose(): void {
    this.subscription.dispose();
    this.levelChanged.dispose();
  }
}
