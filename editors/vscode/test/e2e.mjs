// Drives a headless chromium to a VS Code server's workbench with the in-extension-host tests in
// the URL payload (extensionTestsPath), and exits with the code the workbench reports through
// codeAutomationExit (0: run() resolved, otherwise it failed). Started by scripts/e2e.sh, which
// owns the server and the run folder.
//   node test/e2e.mjs <port> <workspace> <extensionDevelopmentPath> <extensionTestsPath> <browser-profile> <timeout-seconds>
import { createRequire } from "module";
import path from "path";

const [port, workspace, developmentPath, testsPath, profile, timeoutSeconds] = process.argv.slice(2);
const oracle = process.env.PREFLIGHT_VSCODE_ORACLE;
if (!oracle || !timeoutSeconds) {
  console.error("usage: PREFLIGHT_VSCODE_ORACLE=... node e2e.mjs PORT WS EXT TESTS PROFILE TIMEOUT");
  process.exit(2);
}
const { chromium } = createRequire(path.join(oracle, "package.json"))("playwright-core");

const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
const payload = [
  ["extensionDevelopmentPath", remote(developmentPath)],
  ["extensionTestsPath", remote(testsPath)],
];
const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
  ],
});
let code;
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  const exited = new Promise((resolve) => page.exposeFunction("codeAutomationExit", (c) => resolve(c)));
  page.on("console", (message) => {
    const text = message.text();
    // The extension host's console (the tests' lines) and the workbench's errors.
    const noise = /Failed to load resource|Manifest fetch|ServiceWorker|ERR_NAME_NOT_RESOLVED/;
    if ((message.type() === "error" || text.includes("[Extension Host]")) && !noise.test(text)) {
      console.log(`[browser ${message.type()}] ${text}`);
    }
  });
  page.on("pageerror", (error) => console.log(`[page error] ${error.message}`));
  await page.goto(url);
  const timeout = new Promise((resolve) =>
    setTimeout(() => resolve("timeout"), Number(timeoutSeconds) * 1000).unref(),
  );
  code = await Promise.race([exited, timeout]);
  if (code === "timeout") {
    console.error(`e2e: the workbench did not report an exit code within ${timeoutSeconds} s`);
    await page.screenshot({ path: path.join(profile, "..", "timeout.png") }).catch(() => {});
    code = 1;
  }
} finally {
  await browser.close().catch(() => {});
}
process.exit(Number(code) === 0 ? 0 : 1);
