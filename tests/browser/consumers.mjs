// Real readers of policygraph's exports, for tests/interchange.rs:
//
//   node consumers.mjs <chromium> <dir>
//
// <dir> holds exports with an expectation beside each (`NAME.expect.json`):
// - `NAME.mmd`: parsed by Mermaid itself (`mermaid.parse`, the pinned mermaid.min.js,
//   in Chromium, as GitHub and wikis run it); the expectation gives the number of
//   edges. The page also reports Mermaid's default limits (maxEdges, maxTextSize),
//   which must be the ones policygraph refuses past (`limits.json`).
// - `NAME.gexf`: parsed by graphology-gexf, the reader of Gephi Lite, in Node; the
//   expectation gives the node and edge counts and, for one node, attributes that
//   must arrive with their values and types.
// Prints one line per check; exits 1 on the first failure.
import { chromium } from "playwright-core";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Graph = require("graphology");
const gexf = require("graphology-gexf");

const [exe, dir] = process.argv.slice(2);

function check(ok, what, found) {
  if (!ok) {
    console.error(`FAIL: ${what}${found === undefined ? "" : ` (found: ${JSON.stringify(found)})`}`);
    process.exit(1);
  }
  console.log(`ok: ${what}`);
}

const files = readdirSync(dir).sort();
const expect = (name) => JSON.parse(readFileSync(path.join(dir, `${name}.expect.json`), "utf8"));

// GEXF through graphology-gexf.
for (const file of files.filter((f) => f.endsWith(".gexf"))) {
  const name = file.slice(0, -5);
  const want = expect(name);
  const graph = gexf.parse(Graph, readFileSync(path.join(dir, file), "utf8"), { allowUndeclaredAttributes: false });
  check(graph.order === want.nodes, `${file}: graphology-gexf reads ${want.nodes} nodes`, graph.order);
  check(graph.size === want.edges, `${file}: graphology-gexf reads ${want.edges} edges`, graph.size);
  check(graph.type === "directed" || graph.type === "mixed", `${file}: the graph is directed`, graph.type);
  if (want.sample) {
    check(graph.hasNode(want.sample.id), `${file}: node ${want.sample.id} arrives`);
    const got = graph.getNodeAttributes(want.sample.id);
    for (const [key, value] of Object.entries(want.sample.attributes)) {
      check(Object.is(got[key], value) || got[key] === value, `${file}: ${want.sample.id}.${key} is ${JSON.stringify(value)} (${typeof value})`, got[key]);
    }
  }
}

// Mermaid in Chromium.
const browser = await chromium.launch({
  executablePath: exe,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const page = await browser.newPage();
const problems = [];
page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
page.on("request", (r) => { if (!/^(file|data|blob|about):/.test(r.url())) problems.push(`network: ${r.url()}`); });
await page.setContent("<!doctype html><meta charset=utf-8><body></body>");
await page.addScriptTag({ path: require.resolve("mermaid/dist/mermaid.min.js") });
await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false }));
const defaults = await page.evaluate(() => {
  const c = window.mermaid.mermaidAPI.getConfig();
  return { maxEdges: c.maxEdges, maxTextSize: c.maxTextSize };
});
const limits = JSON.parse(readFileSync(path.join(dir, "limits.json"), "utf8"));
check(defaults.maxEdges === limits.edges, `Mermaid's default maxEdges is ${limits.edges}, the limit policygraph refuses past`, defaults.maxEdges);
check(defaults.maxTextSize === limits.text, `Mermaid's default maxTextSize is ${limits.text}`, defaults.maxTextSize);
for (const file of files.filter((f) => f.endsWith(".mmd"))) {
  const name = file.slice(0, -4);
  const want = expect(name);
  const text = readFileSync(path.join(dir, file), "utf8");
  const result = await page.evaluate(async (t) => {
    try {
      const parsed = await window.mermaid.parse(t);
      const { svg } = await window.mermaid.render("g" + Math.random().toString(36).slice(2), t);
      const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
      return { ok: !!parsed, type: parsed && parsed.diagramType, edges: doc.querySelectorAll("g.edgePaths > path, g.edgePaths path").length, nodes: doc.querySelectorAll("g.node").length, scripts: doc.querySelectorAll("script").length };
    } catch (e) {
      return { ok: false, error: String(e && e.message || e) };
    }
  }, text);
  check(result.ok, `${file}: mermaid.parse accepts it`, result.error);
  check(result.type === "flowchart-v2" || result.type === "flowchart", `${file}: a flowchart`, result.type);
  check(result.nodes === want.nodes, `${file}: Mermaid draws ${want.nodes} nodes`, result.nodes);
  check(result.edges === want.edges, `${file}: Mermaid draws ${want.edges} edges`, result.edges);
  check(result.scripts === 0, `${file}: no script in the drawing`, result.scripts);
}
check(problems.length === 0, "no page errors and no network requests", problems);
await browser.close();
