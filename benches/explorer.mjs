// Times the explorer in headless Chromium (driven by playwright-core, installed with
// `npm ci --prefix tests/browser`). Called by benches/explorer.py:
//
//   node benches/explorer.mjs <chromium> <explorer.html> <query> <runs>
//
// For each run, in a fresh 1366x768 page: open (from goto until the page marks itself
// ready), search (from typing the query until the first result is listed) and focus
// (from clicking it until its neighbourhood is laid out and framed). Prints one JSON
// object: the times of each run in seconds, the mode the page opened in, the number of
// nodes the focus drew, and any console error, warning or page error.
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "..", "tests", "browser", "package.json"));
const { chromium } = require("playwright-core");
const [exe, file, query, runs] = process.argv.slice(2);

const browser = await chromium.launch({ executablePath: exe, args: ["--no-sandbox", "--disable-gpu"] });
const out = { open: [], search: [], focus: [], mode: null, drawn: null, problems: [] };
try {
  for (let i = 0; i < Number(runs); i++) {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") out.problems.push(m.text()); });
    page.on("pageerror", (e) => out.problems.push(e.message));
    let t = performance.now();
    await page.goto(pathToFileURL(path.resolve(file)).href);
    await page.waitForSelector("body[data-ready]", { timeout: 60000 });
    await page.waitForFunction(() => !document.getElementById("graph").hasAttribute("data-busy"), null, { timeout: 60000 });
    out.open.push((performance.now() - t) / 1000);
    out.mode = (await page.textContent("#count")).startsWith("Overview") ? "overview" : "focus only";
    t = performance.now();
    await page.fill("#search", query);
    await page.waitForSelector("#results li", { timeout: 60000 });
    out.search.push((performance.now() - t) / 1000);
    t = performance.now();
    await page.locator("#results li").first().click();
    await page.waitForFunction(() => document.getElementById("count").textContent.startsWith("Focus") &&
      !document.getElementById("graph").hasAttribute("data-busy"), null, { timeout: 60000 });
    out.focus.push((performance.now() - t) / 1000);
    out.drawn = await page.evaluate(() => window.policygraphExplorer.cy.nodes().length);
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
