// The in-extension-host tests, run by test/e2e.mjs inside a real VS Code (code-server's) with the
// packaged extension installed: for the fixture project (tests/fixtures/vscode), what VS Code shows
// must be what the `preflight` CLI says about the same files (the oracle; nothing is hard-coded).
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as vscode from "vscode";

import type { PreflightApi } from "../extension";

interface JsonEdit {
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  new_text: string;
}

interface JsonFinding {
  path: string;
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  severity: "error" | "warning" | "information" | "hint";
  code: string;
  message: string;
  fix: { title: string; edits: JsonEdit[] } | null;
}

const SETTINGS = "shop/settings.py";
const GUNICORN = "gunicorn.conf.py";
const NGINX = "deploy/nginx/shop.conf";
const TIMEOUT_MS = 30_000;

const log: string[] = [];
function say(line: string): void {
  log.push(line);
  console.log(line);
  if (process.env.PREFLIGHT_E2E_LOG) {
    fs.appendFileSync(process.env.PREFLIGHT_E2E_LOG, line + "\n");
  }
}

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, "the test opens a workspace folder");
  return folder.uri.fsPath;
}

let api: PreflightApi;

/** Runs the same preflight binary the extension started: the CLI is the oracle. */
function cli(args: string[], cwd: string): string {
  const binary = api.binary?.path;
  assert.ok(binary, "the extension resolved a binary");
  const result = spawnSync(binary, args, { cwd, encoding: "utf8" });
  assert.ok(result.status === 0 || result.status === 1, `preflight ${args.join(" ")}: exit ${result.status}\n${result.stderr}`);
  return result.stdout;
}

function cliFindings(relative: string, cwd = workspaceRoot()): JsonFinding[] {
  const findings = JSON.parse(cli(["check", "--format", "json", relative], cwd)) as JsonFinding[];
  return findings.filter((f) => path.resolve(cwd, f.path) === path.resolve(cwd, relative));
}

/** A 1-based column counting Unicode characters -> a 0-based UTF-16 column (what VS Code uses). */
function utf16Column(lineText: string, column: number): number {
  return Array.from(lineText).slice(0, column - 1).join("").length;
}

function toRange(lines: string[], f: { line: number; column: number; end_line: number; end_column: number }): vscode.Range {
  return new vscode.Range(
    f.line - 1,
    utf16Column(lines[f.line - 1] ?? "", f.column),
    f.end_line - 1,
    utf16Column(lines[f.end_line - 1] ?? "", f.end_column),
  );
}

const SEVERITY: Record<JsonFinding["severity"], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

interface Shown {
  code: string;
  range: string;
  severity: vscode.DiagnosticSeverity;
  message: string;
}

function rangeText(r: vscode.Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

function diagnosticCode(d: vscode.Diagnostic): string {
  return typeof d.code === "object" ? String(d.code.value) : String(d.code);
}

function shown(uri: vscode.Uri): Shown[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === "preflight")
    .map((d) => ({ code: diagnosticCode(d), range: rangeText(d.range), severity: d.severity, message: d.message }))
    .sort(compareShown);
}

function compareShown(a: Shown, b: Shown): number {
  return (a.range + a.code).localeCompare(b.range + b.code);
}

function expected(findings: JsonFinding[], text: string): Shown[] {
  const lines = text.split(/\r?\n/);
  return findings
    .map((f) => ({ code: f.code, range: rangeText(toRange(lines, f)), severity: SEVERITY[f.severity], message: f.message }))
    .sort(compareShown);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `check` passes (diagnostics arrive asynchronously), then runs it once more to fail with its message. */
async function eventually(check: () => void, timeout = TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    try {
      check();
      return;
    } catch {
      await sleep(100);
    }
  }
  check();
}

async function open(relative: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(path.join(workspaceRoot(), relative));
  return vscode.window.showTextDocument(document, { preview: false });
}

/** `text` with the CLI's JSON edits applied (1-based lines, columns in Unicode characters). */
function applyJsonEdits(text: string, edits: JsonEdit[]): string {
  const lines = text.split("\n");
  const offset = (line: number, column: number): number => {
    let result = 0;
    for (let i = 0; i < line - 1; i++) {
      result += lines[i].length + 1;
    }
    return result + utf16Column(lines[line - 1] ?? "", column);
  };
  const sorted = [...edits].sort((a, b) => offset(b.line, b.column) - offset(a.line, a.column));
  let result = text;
  for (const e of sorted) {
    result = result.slice(0, offset(e.line, e.column)) + e.new_text + result.slice(offset(e.end_line, e.end_column));
  }
  return result;
}

/** What `preflight check --fix` makes of `relative` in a copy of the workspace as it is on disk,
 * and what `preflight check --format json` then reports in that file. */
function fixedByCli(relative: string): { text: string; findings: JsonFinding[] } {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "preflight-fix-"));
  fs.cpSync(workspaceRoot(), copy, { recursive: true });
  cli(["check", "--fix", relative], copy);
  const result = { text: fs.readFileSync(path.join(copy, relative), "utf8"), findings: cliFindings(relative, copy) };
  fs.rmSync(copy, { recursive: true, force: true });
  return result;
}

async function applyCodeAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit) {
    assert.ok(await vscode.workspace.applyEdit(action.edit), `VS Code applied "${action.title}"`);
  }
  if (action.command) {
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
}

const tests: [string, () => Promise<void>][] = [];
function test(name: string, body: () => Promise<void>): void {
  tests.push([name, body]);
}

test("the installed extension starts the bundled binary", async () => {
  const extension = vscode.extensions.getExtension<PreflightApi>("preflight.preflight");
  assert.ok(extension, "preflight.preflight is installed");
  // Opening a Python file activates it (onLanguage:python).
  await open(SETTINGS);
  api = await extension.activate();
  await api.ready();
  assert.ok(api.client?.isRunning(), "the language client is running");
  const want = process.env.PREFLIGHT_E2E_BINARY_SOURCE ?? "bundled";
  assert.strictEqual(api.binary?.source, want, `the ${want} binary is used`);
  if (want === "bundled") {
    assert.strictEqual(api.binary?.path, path.join(extension.extensionPath, "bin", "preflight"));
  }
  say(`  extension at ${extension.extensionPath}, server ${api.binary?.path}`);
});

for (const relative of [SETTINGS, GUNICORN, NGINX]) {
  test(`diagnostics of ${relative} equal preflight check --format json`, async () => {
    const editor = await open(relative);
    const findings = cliFindings(relative);
    assert.ok(findings.length > 0, `the CLI reports findings in ${relative}`);
    const want = expected(findings, editor.document.getText());
    await eventually(() => assert.deepStrictEqual(shown(editor.document.uri), want));
    // Source, code and its documentation link (a page that exists in the repository).
    const repo = process.env.PREFLIGHT_REPO;
    for (const d of vscode.languages.getDiagnostics(editor.document.uri)) {
      assert.strictEqual(d.source, "preflight");
      assert.ok(typeof d.code === "object" && d.code.target, `${diagnosticCode(d)} has a documentation link`);
      const href = d.code.target.toString(true);
      assert.ok(href.endsWith(`/docs/rules/${diagnosticCode(d)}.md`), href);
      if (repo) {
        assert.ok(fs.existsSync(path.join(repo, "docs", "rules", `${diagnosticCode(d)}.md`)), `${href} exists`);
      }
    }
    say(`  ${want.length} diagnostics: ${want.map((d) => `${d.code}@${d.range}`).join(" ")}`);
  });
}

test("findings after non-ASCII text cover the same characters as the CLI's", async () => {
  // The fixture puts an emoji (two UTF-16 units) and accents before a finding on one line of the
  // settings module and of the nginx site: VS Code must underline the characters the CLI names.
  let checked = 0;
  for (const relative of [SETTINGS, NGINX]) {
    const editor = await open(relative);
    for (const f of cliFindings(relative)) {
      const line = editor.document.lineAt(f.line - 1).text;
      if (f.line !== f.end_line || Array.from(line).length === line.length) {
        continue;
      }
      const want = Array.from(line).slice(f.column - 1, f.end_column - 1).join("");
      const d = vscode.languages.getDiagnostics(editor.document.uri).find((x) => diagnosticCode(x) === f.code);
      assert.ok(d, `VS Code shows ${f.code}`);
      assert.strictEqual(editor.document.getText(d.range), want, `${f.code} in ${relative}`);
      say(`  ${relative}:${f.line} ${f.code} covers ${JSON.stringify(want)} after ${JSON.stringify(line.slice(0, d.range.start.character))}`);
      checked += 1;
    }
  }
  assert.ok(checked >= 2, "the fixture has findings after characters outside the BMP in both files");
});

test("the status bar item counts the active document's findings", async () => {
  const editor = await open(GUNICORN);
  await eventually(() => assert.strictEqual(api.statusText, `$(warning) Preflight: ${shown(editor.document.uri).length}`));
  say(`  status bar: ${api.statusText}`);
});

test("Show deployment checklist shows what preflight checklist prints", async () => {
  await open(SETTINGS);
  const result = (await vscode.commands.executeCommand("preflight.showChecklist")) as
    | { markdown: string; html: string; panel: vscode.WebviewPanel }
    | undefined;
  assert.ok(result, "the command showed a checklist");
  const want = cli(["checklist", workspaceRoot()], workspaceRoot());
  assert.strictEqual(result.markdown, want);
  assert.ok(result.panel.visible, "the checklist webview is visible");
  // Rendered, not raw: every item is a list element of the webview's HTML.
  const items = want.split("\n").filter((l) => l.startsWith("- ["));
  assert.ok(items.length > 5, "the checklist has items");
  assert.strictEqual((result.html.match(/<li/g) ?? []).length >= items.length, true, "the items are rendered as a list");
  assert.ok(result.panel.webview.html.includes(result.html), "the webview shows the rendered checklist");
  const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;
  assert.strictEqual(count(result.html, /class="item passed"/g), count(want, /^- \[x\]/gm), "ticked items are ticked");
  assert.strictEqual(count(result.html, /class="failed"/g), count(want, /\*\*\(failed\)\*\*/g), "failed items are marked");
  say(`  ${items.length} items, ${items.filter((l) => l.includes("**(failed)**")).length} failed`);
});

test("preflight.ignore in the workspace settings hides DJ018", async () => {
  const editor = await open(SETTINGS);
  const uri = editor.document.uri;
  const all = expected(cliFindings(SETTINGS), editor.document.getText());
  assert.ok(all.some((d) => d.code === "DJ018"), "DJ018 is reported before");
  const config = vscode.workspace.getConfiguration("preflight");
  await config.update("ignore", ["DJ018"], vscode.ConfigurationTarget.Workspace);
  try {
    await eventually(() => assert.deepStrictEqual(shown(uri), all.filter((d) => d.code !== "DJ018")));
  } finally {
    await config.update("ignore", undefined, vscode.ConfigurationTarget.Workspace);
  }
  await eventually(() => assert.deepStrictEqual(shown(uri), all));
});

/** What the CLI reports in `relative` when the workspace (a copy) has `config` in `file`. */
function cliWithConfig(relative: string, file: string, config: string): JsonFinding[] {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "preflight-config-"));
  try {
    fs.cpSync(workspaceRoot(), copy, { recursive: true });
    fs.rmSync(path.join(copy, ".vscode"), { recursive: true, force: true });
    fs.writeFileSync(path.join(copy, file), config);
    return cliFindings(relative, copy);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

test("preflight.select and preflight.severity act as the same keys in preflight.toml do", async () => {
  const editor = await open(SETTINGS);
  const uri = editor.document.uri;
  const text = editor.document.getText();
  const config = vscode.workspace.getConfiguration("preflight");
  const want = expected(cliWithConfig(SETTINGS, "preflight.toml", 'select = ["DJ0"]\n\n[severity]\nDJ018 = "error"\n'), text);
  assert.notDeepStrictEqual(want, expected(cliFindings(SETTINGS), text), "the configuration changes what the CLI reports");
  await config.update("select", ["DJ0"], vscode.ConfigurationTarget.Workspace);
  await config.update("severity", { DJ018: "error" }, vscode.ConfigurationTarget.Workspace);
  try {
    await eventually(() => assert.deepStrictEqual(shown(uri), want));
  } finally {
    await config.update("select", undefined, vscode.ConfigurationTarget.Workspace);
    await config.update("severity", undefined, vscode.ConfigurationTarget.Workspace);
  }
  await eventually(() => assert.deepStrictEqual(shown(uri), expected(cliFindings(SETTINGS), text)));
});

test("preflight.configurationPreference decides between pyproject.toml and the settings", async () => {
  const editor = await open(SETTINGS);
  const uri = editor.document.uri;
  const text = editor.document.getText();
  const config = vscode.workspace.getConfiguration("preflight");
  const pyproject = path.join(workspaceRoot(), "pyproject.toml");
  const fileSays = '[tool.preflight]\nignore = ["DJ016"]\n';
  const editorSays = '[tool.preflight]\nignore = ["DJ012"]\n';
  const fileWins = expected(cliWithConfig(SETTINGS, "pyproject.toml", fileSays), text);
  const editorWins = expected(cliWithConfig(SETTINGS, "pyproject.toml", editorSays), text);
  assert.notDeepStrictEqual(fileWins, editorWins);
  fs.writeFileSync(pyproject, fileSays);
  try {
    await eventually(() => assert.deepStrictEqual(shown(uri), fileWins), TIMEOUT_MS);
    await config.update("ignore", ["DJ012"], vscode.ConfigurationTarget.Workspace);
    // filesystemFirst (the default): the file's ignore wins.
    await sleep(500);
    await eventually(() => assert.deepStrictEqual(shown(uri), fileWins));
    await config.update("configurationPreference", "editorFirst", vscode.ConfigurationTarget.Workspace);
    await eventually(() => assert.deepStrictEqual(shown(uri), editorWins));
    await config.update("configurationPreference", "editorOnly", vscode.ConfigurationTarget.Workspace);
    await eventually(() => assert.deepStrictEqual(shown(uri), editorWins));
  } finally {
    await config.update("ignore", undefined, vscode.ConfigurationTarget.Workspace);
    await config.update("configurationPreference", undefined, vscode.ConfigurationTarget.Workspace);
    fs.rmSync(pyproject, { force: true });
  }
  await eventually(() => assert.deepStrictEqual(shown(uri), expected(cliFindings(SETTINGS), text)));
});

test("the quick-fix for NGX012 edits as the CLI's fix says, and the finding goes", async () => {
  const editor = await open(NGINX);
  const document = editor.document;
  const finding = cliFindings(NGINX).find((f) => f.code === "NGX012");
  assert.ok(finding?.fix, "the CLI has a fix for NGX012");
  const before = document.getText();
  const diagnostic = vscode.languages.getDiagnostics(document.uri).find((d) => diagnosticCode(d) === "NGX012");
  assert.ok(diagnostic, "VS Code shows NGX012");
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      "vscode.executeCodeActionProvider",
      document.uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    )) ?? [];
  const action = actions.find((a) => a.title === finding.fix?.title);
  assert.ok(action, `a quick-fix titled "${finding.fix.title}" among ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.ok(
    actions.some((a) => a.title === "Ignore NGX012 on this line"),
    `an ignore-on-this-line action too, among ${JSON.stringify(actions.map((a) => a.title))}`,
  );
  await applyCodeAction(action);
  assert.strictEqual(document.getText(), applyJsonEdits(before, finding.fix.edits));
  // Saved, the CLI is the oracle again: what VS Code re-publishes equals what it reports now.
  assert.ok(!document.isDirty || (await document.save()), "saved");
  const after = cliFindings(NGINX);
  assert.ok(!after.some((f) => f.code === "NGX012"), "the CLI agrees the fix removes NGX012");
  await eventually(() => assert.deepStrictEqual(shown(document.uri), expected(after, document.getText())));
});

for (const relative of [SETTINGS, NGINX, GUNICORN]) {
  test(`Fix all on ${relative} leaves what preflight check --fix makes`, async () => {
    const editor = await open(relative);
    const document = editor.document;
    const want = fixedByCli(relative);
    const before = document.getText();
    const applied = (await vscode.commands.executeCommand("preflight.fixAll")) as number;
    assert.strictEqual(document.getText(), want.text);
    // The re-published diagnostics are what the CLI reports in the fixed copy.
    await eventually(() => assert.deepStrictEqual(shown(document.uri), expected(want.findings, want.text)));
    assert.ok(!document.isDirty || (await document.save()), "saved");
    say(`  ${applied} fix-all action(s); the document ${before === want.text ? "needed no change" : "changed"}`);
  });
}

test("preflight.path: a missing binary is an error in the status bar; ${workspaceFolder} is expanded", async () => {
  const editor = await open(SETTINGS);
  const config = vscode.workspace.getConfiguration("preflight");
  const bundled = api.binary?.path;
  assert.ok(bundled, "a binary was running");
  try {
    // A path that names no file: the server stops, the status item says so.
    await config.update("path", "${workspaceFolder}/no/such/preflight", vscode.ConfigurationTarget.Workspace);
    await eventually(() => assert.match(api.statusText, /^\$\(error\) Preflight/));
    assert.strictEqual(api.client, undefined, "no client without a binary");
    // A path through ${workspaceFolder}: the server starts again with that binary.
    const tools = path.join(workspaceRoot(), ".tools");
    fs.mkdirSync(tools, { recursive: true });
    fs.symlinkSync(bundled, path.join(tools, "preflight"));
    await config.update("path", "${workspaceFolder}/.tools/preflight", vscode.ConfigurationTarget.Workspace);
    await eventually(() => assert.ok(api.client?.isRunning(), "running again"));
    await api.ready();
    assert.deepStrictEqual(api.binary, { path: path.join(tools, "preflight"), source: "setting" });
    await eventually(() => assert.deepStrictEqual(shown(editor.document.uri), expected(cliFindings(SETTINGS), editor.document.getText())));
  } finally {
    await config.update("path", undefined, vscode.ConfigurationTarget.Workspace);
  }
  await eventually(() => assert.strictEqual(api.binary?.source, "bundled"));
});

test("preflight.trace.server verbose traces the LSP messages into the Preflight output", async () => {
  const editor = await open(GUNICORN);
  const config = vscode.workspace.getConfiguration("preflight");
  const logFile = () => {
    const dir = api.logUri.fsPath;
    const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith(".log")) : [];
    return names.map((n) => fs.readFileSync(path.join(dir, n), "utf8")).join("\n");
  };
  const hover = () =>
    vscode.commands.executeCommand("vscode.executeHoverProvider", editor.document.uri, new vscode.Position(1, 2));
  await hover();
  await sleep(1500);
  const hoverTraces = () => (logFile().match(/Sending request 'textDocument\/hover/g) ?? []).length;
  assert.strictEqual(hoverTraces(), 0, "no trace while preflight.trace.server is off");
  await config.update("trace.server", "verbose", vscode.ConfigurationTarget.Workspace);
  try {
    await hover();
    await eventually(() => assert.ok(hoverTraces() > 0, "the hover request is traced"));
    // verbose: the parameters too.
    await eventually(() => assert.match(logFile(), /Params: \{[\s\S]*"position"/));
  } finally {
    await config.update("trace.server", undefined, vscode.ConfigurationTarget.Workspace);
  }
  const before = hoverTraces();
  await hover();
  await sleep(1500);
  assert.strictEqual(hoverTraces(), before, "off again: no more traces");
});

export async function run(): Promise<void> {
  let failed = 0;
  for (const [name, body] of tests) {
    const started = Date.now();
    try {
      await body();
      say(`ok   ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed += 1;
      say(`FAIL ${name} (${Date.now() - started} ms)\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  say(`${tests.length - failed} passed, ${failed} failed`);
  if (failed > 0) {
    throw new Error(`${failed} of ${tests.length} tests failed`);
  }
}
