// Which `preflight` binary the extension starts: the `preflight.path` setting, else the binary
// bundled in the extension's bin/ folder, else `preflight` on PATH.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as vscode from "vscode";

export type BinarySource = "setting" | "bundled" | "PATH";

export interface Binary {
  path: string;
  source: BinarySource;
}

const exe = process.platform === "win32" ? "preflight.exe" : "preflight";

function isExecutable(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) {
      return false;
    }
    if (process.platform !== "win32") {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** `${workspaceFolder}`, `${workspaceFolder:name}`, `${userHome}` and a leading `~`. */
export function expandVariables(value: string): string {
  const folders = vscode.workspace.workspaceFolders ?? [];
  let result = value.replace(/\$\{workspaceFolder(?::([^}]+))?\}/g, (whole, name: string | undefined) => {
    const folder = name === undefined ? folders[0] : folders.find((f) => f.name === name);
    return folder ? folder.uri.fsPath : whole;
  });
  result = result.replace(/\$\{userHome\}/g, os.homedir());
  if (result === "~" || result.startsWith("~/")) {
    result = path.join(os.homedir(), result.slice(1));
  }
  return result;
}

function onPath(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir !== "" && isExecutable(path.join(dir, exe))) {
      return path.join(dir, exe);
    }
  }
  return undefined;
}

export class BinaryNotFound extends Error {}

/** The binary to start, or `BinaryNotFound` with a message that says what was tried. */
export function resolveBinary(extensionPath: string): Binary {
  const configured = vscode.workspace.getConfiguration("preflight").get<string>("path", "").trim();
  if (configured !== "") {
    let file = expandVariables(configured);
    if (!path.isAbsolute(file) && vscode.workspace.workspaceFolders?.length) {
      file = path.join(vscode.workspace.workspaceFolders[0].uri.fsPath, file);
    }
    if (isExecutable(file)) {
      return { path: file, source: "setting" };
    }
    throw new BinaryNotFound(`The setting preflight.path is "${configured}", but ${file} is not an executable file.`);
  }
  const bundled = path.join(extensionPath, "bin", exe);
  if (isExecutable(bundled)) {
    return { path: bundled, source: "bundled" };
  }
  const found = onPath();
  if (found) {
    return { path: found, source: "PATH" };
  }
  throw new BinaryNotFound(
    "No preflight binary: this extension has none bundled for your platform, preflight.path is not set " +
      "and `preflight` is not on PATH. Install it (`cargo install --path server/preflight`) or set preflight.path.",
  );
}
