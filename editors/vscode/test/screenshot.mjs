// Takes the README picture in code-server's UI: opens a file, waits for Preflight's squiggles,
// shows the Problems panel and a hover, and saves a PNG. Started by scripts/screenshot.sh.
//   node test/screenshot.mjs <port> <workspace> <relative file> <out.png> <browser-profile>
import { createRequire } from "module";
import path from "path";

const [port, workspace, relative, out, profile] = process.argv.slice(2);
const { chromium } = createRequire(path.join(process.env.PREFLIGHT_VSCODE_ORACLE, "package.json"))("playwright-core");

const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1440, height: 900 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.waitForSelector(".monaco-workbench", { timeout: 60_000 });
  await page.waitForSelector(".explorer-folders-view .monaco-list-row", { timeout: 60_000 });
  // Quick Open the file (the Explorer shows it too).
  await page.keyboard.press("Control+P");
  await page.waitForSelector(".quick-input-widget input", { timeout: 10_000 });
  await page.keyboard.type(relative);
  const result = page.locator(".quick-input-list .monaco-list-row", { hasText: path.basename(relative) }).first();
  await result.waitFor({ timeout: 20_000 });
  await result.click();
  await page.waitForSelector(`.tab[aria-label*="${path.basename(relative)}"]`, { timeout: 20_000 });
  await page.waitForSelector(".squiggly-warning, .squiggly-error", { timeout: 60_000 });
  if (process.env.SHOT === "checklist") {
    // The checklist webview beside the file.
    await page.keyboard.press("F1");
    await page.waitForSelector(".quick-input-widget input", { timeout: 10_000 });
    await page.keyboard.type("Preflight: Show deployment checklist");
    const command = page.locator(".quick-input-list .monaco-list-row", { hasText: "Show deployment checklist" }).first();
    await command.waitFor({ timeout: 20_000 });
    await command.click();
    const frame = page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
    await frame.locator("li").first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: out });
    process.exit(0);
  }
  // The Problems panel.
  await page.keyboard.press("Control+Shift+M");
  await page.waitForSelector(".markers-panel .monaco-list-row", { timeout: 20_000 });
  const rows = await page.$$eval(".markers-panel .monaco-list-row", (r) => r.map((x) => x.textContent));
  console.log(`Problems panel: ${rows.length} rows, e.g. ${rows.slice(0, 3).join(" | ")}`);
  // A hover on DEBUG (line 14 of the example's production settings).
  await page.click(".monaco-editor .view-lines");
  await page.keyboard.press("Control+G");
  await page.keyboard.type(process.env.SHOT_LINE ?? "14");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Home");
  await page.waitForTimeout(300);
  await page.keyboard.press("Control+K");
  await page.keyboard.press("Control+I");
  await page.waitForSelector(".monaco-hover .hover-contents, .monaco-hover .marker", { timeout: 20_000 });
  await page.waitForTimeout(700);
  await page.screenshot({ path: out });
} catch (error) {
  // What the page looked like when it went wrong.
  const failure = process.env.SHOT_FAILURE ?? "/tmp/preflight-screenshot-failure.png";
  await browser.pages()[0]?.screenshot({ path: failure }).catch(() => {});
  console.error(`screenshot: failed (the page as it was: ${failure})`);
  throw error;
} finally {
  await browser.close().catch(() => {});
}
