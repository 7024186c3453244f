// Times the explorer in headless Chromium (driven by playwright-core, installed with
// `npm ci --prefix tests/browser`). Called by benches/explorer.py:
//
//   node benches/explorer.mjs <chromium> <explorer.html> <runs> <queries.json> [<tests/browser>]
//
// queries.json is a JSON array of {"label", "name"}: nodes to search for by name. For
// each run and each query, in a fresh 1366x768 page: open (from goto until body has
// data-ready and #graph has no data-busy), search (from filling #search with the name
// until a #results li is listed) and focus (from clicking the first result until #count
// starts with "Focus" and #graph has no data-busy). Also records the mode the page
// opened in and its #count text, the JS heap used after opening and after focusing (CDP
// Performance.getMetrics), the nodes drawn, whether the first result was the node asked
// for, the time of the focus's dagre layout alone (rerun unanimated on the drawn
// elements, after the focus has been timed), and every console error, warning and page error. Prints one JSON object.
//
// playwright-core is resolved from <tests/browser> (default: tests/browser beside this
// file's directory), so a git worktree without node_modules can point at the main one.
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const [exe, file, runs, queriesJson, modules] = process.argv.slice(2);
const require = createRequire(path.join(modules || path.join(here, "..", "tests", "browser"), "package.json"));
const { chromium } = require("playwright-core");
const queries = JSON.parse(queriesJson);
const url = pathToFileURL(path.resolve(file)).href;
const LONG = { timeout: 120000 };
const idle = () => !document.getElementById("graph").hasAttribute("data-busy");

async function heapMB(cdp) {
  const { metrics } = await cdp.send("Performance.getMetrics");
  const m = metrics.find((x) => x.name === "JSHeapUsedSize");
  return m ? m.value / 1e6 : null;
}

const browser = await chromium.launch({ executablePath: exe, args: ["--no-sandbox", "--disable-gpu"] });
const out = { open: [], mode: null, count: null, heap_open_mb: [], queries: {}, errors: [], warnings: [] };
for (const q of queries) out.queries[q.label] = { name: q.name, search: [], focus: [], heap_focus_mb: [], dagre: [], drawn: null, count: null, first_is_query: null };
try {
  for (let i = 0; i < Number(runs); i++) {
    for (const q of queries) {
      const r = out.queries[q.label];
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      page.on("console", (m) => {
        if (m.type() === "error") out.errors.push(m.text());
        else if (m.type() === "warning") out.warnings.push(m.text());
      });
      page.on("pageerror", (e) => out.errors.push("pageerror: " + e.message));
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("Performance.enable");

      let t = performance.now();
      await page.goto(url);
      await page.waitForSelector("body[data-ready]", LONG);
      await page.waitForFunction(idle, null, LONG);
      out.open.push((performance.now() - t) / 1000);
      out.count = await page.textContent("#count");
      out.mode = out.count.startsWith("Overview") ? "overview" : "focus only";
      out.heap_open_mb.push(await heapMB(cdp));

      t = performance.now();
      await page.fill("#search", q.name);
      await page.waitForSelector("#results li", LONG);
      r.search.push((performance.now() - t) / 1000);
      r.first_is_query = (await page.textContent("#results li .name")) === q.name;

      t = performance.now();
      await page.locator("#results li").first().click();
      await page.waitForFunction(() => document.getElementById("count").textContent.startsWith("Focus") &&
        !document.getElementById("graph").hasAttribute("data-busy"), null, LONG);
      r.focus.push((performance.now() - t) / 1000);
      r.count = await page.textContent("#count");
      r.drawn = await page.evaluate(() => window.policygraphExplorer.cy.nodes().length);
      r.heap_focus_mb.push(await heapMB(cdp));
      // The layout alone, as the focus runs it but not animated, on what it drew.
      r.dagre.push(await page.evaluate(() => {
        const cy = window.policygraphExplorer.cy, t0 = performance.now();
        cy.layout({ name: "dagre", rankDir: "LR", nodeSep: 16, rankSep: 70, edgeSep: 10,
          ranker: "network-simplex", fit: false, animate: false }).run();
        return (performance.now() - t0) / 1000;
      }));
      await page.close();
    }
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
