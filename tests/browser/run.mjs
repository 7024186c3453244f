// Browser checks for tests/browser.rs, in Debian's Chromium driven by playwright-core.
//
//   node run.mjs <chromium> <artefact dir> <built output dir> <injection output dir> <small seminar dir> <focus seminar dir> <builtins explorer> <small explorer> <large explorer> <docs dir or "-">
//
// <built output dir> is a `policygraph build` of the shipped data; <injection output
// dir> holds `explorer.html` and `seminar/` built from tests/data/injection; <small
// seminar dir> is the seminar of a small collection (tests/data/policy); <focus seminar
// dir> the shipped data's seminar around one node (a small chart); <builtins explorer>
// an explorer whose ids name JavaScript built-ins (tests/data/builtins); <small
// explorer> the explorer of a small collection (tests/data/policy); <large explorer>
// one whose lineage is too large for the overview (700 bodies). With a docs dir,
// the explorer's screenshots for the README are written there too. Prints one line
// per check; exits 1 on the first failure, with what was expected and found.
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [exe, artefacts, built, injected, small, focus, builtins, smallExplorer, largeExplorer, docs] = process.argv.slice(2);
const url = (p) => pathToFileURL(path.resolve(p)).href;

function check(ok, what, found) {
  if (!ok) {
    console.error(`FAIL: ${what}${found === undefined ? "" : ` (found: ${JSON.stringify(found)})`}`);
    process.exit(1);
  }
  console.log(`ok: ${what}`);
}

const browser = await chromium.launch({
  executablePath: exe,
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});

// Every page is watched for console errors, uncaught exceptions, dialogs (an injected
// alert) and requests that leave the file system (the pages must work offline).
async function open(file, hash = "", viewport = { width: 1600, height: 1000 }) {
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  page.on("dialog", async (d) => { problems.push(`dialog: ${d.message()}`); await d.dismiss(); });
  page.on("request", (r) => { if (!/^(file|data|blob):/.test(r.url())) problems.push(`network: ${r.url()}`); });
  await page.goto(url(file) + hash);
  return { page, problems };
}

// Every slide of a deck at 1920x1080: on a step, each node label inside the camera is
// at least 18 px tall, no two labels overlap, what is new lies wholly in the frame, the
// drawing spans at least 60 % of the slide's width or height, and dimmed nodes are
// told apart from new ones; on other slides, no text is under 18 px.
async function legibility(file, name, minCoverage = 0.6) {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const problems = [];
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  await page.goto(url(file));
  const total = await page.locator(".slide").count();
  let steps = 0;
  let smallest = Infinity;
  for (let i = 0; i < total; i++) {
    if (i > 0) await page.keyboard.press("ArrowRight");
    await page.waitForFunction(() => { const p = document.getElementById("pg-story"); return !p || !p.hasAttribute("data-moving"); });
    const m = await page.evaluate(() => {
      const slide = document.querySelector(".slide:not([hidden])");
      const title = slide.querySelector("h1").textContent;
      const svg = slide.querySelector("#pg-story");
      if (!svg) {
        const sizes = Array.from(slide.querySelectorAll("h1, p, li, th, td, span"))
          .filter((e) => e.offsetParent !== null && e.textContent.trim() !== "" && !e.closest(".notes"))
          .map((e) => parseFloat(getComputedStyle(e).fontSize));
        return { title, step: false, minFont: Math.min(...sizes) };
      }
      const box = svg.getBoundingClientRect();
      const inside = (r) => r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
      const meets = (r) => r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom;
      const labels = [];
      let newOutside = [];
      for (const g of svg.querySelectorAll("g.node:not(.pg-hidden)")) {
        const isNew = g.classList.contains("pg-new");
        for (const t of g.querySelectorAll("text")) {
          const r = t.getBoundingClientRect();
          if (isNew && !inside(r)) newOutside.push(t.textContent);
          if (inside(r)) labels.push({ id: g.id, text: t.textContent, r: { left: r.left, right: r.right, top: r.top, bottom: r.bottom, height: r.height } });
        }
      }
      const overlaps = [];
      for (let a = 0; a < labels.length; a++) {
        for (let b = a + 1; b < labels.length; b++) {
          const p = labels[a], q = labels[b];
          if (p.id === q.id) continue;
          const w = Math.min(p.r.right, q.r.right) - Math.max(p.r.left, q.r.left);
          const h = Math.min(p.r.bottom, q.r.bottom) - Math.max(p.r.top, q.r.top);
          if (w > 1 && h > 1) overlaps.push(`${p.text} / ${q.text}`);
        }
      }
      let l = Infinity, r = -Infinity, t = Infinity, b = -Infinity;
      for (const g of svg.querySelectorAll("g.node:not(.pg-hidden), g.edge:not(.pg-hidden)")) {
        const x = g.getBoundingClientRect();
        if (!meets(x)) continue;
        l = Math.min(l, Math.max(x.left, box.left)); r = Math.max(r, Math.min(x.right, box.right));
        t = Math.min(t, Math.max(x.top, box.top)); b = Math.max(b, Math.min(x.bottom, box.bottom));
      }
      const dim = svg.querySelector("g.node.pg-dim");
      const fresh = svg.querySelector("g.node.pg-new");
      const look = (g) => g && {
        opacity: parseFloat(getComputedStyle(g).opacity),
        stroke: getComputedStyle(g.querySelector("rect, path")).stroke,
        weight: getComputedStyle(g.querySelector("text")).fontWeight,
      };
      return {
        title, step: true, labels: labels.length,
        minHeight: Math.min(...labels.map((x) => x.r.height)),
        overlaps, newOutside,
        coverage: Math.max((r - l) / window.innerWidth, (b - t) / window.innerHeight),
        dim: look(dim), fresh: look(fresh),
      };
    });
    const where = `${name} deck, slide ${i + 1} (${m.title})`;
    if (!m.step) {
      check(m.minFont >= 18, `${where}: all text at least 18 px`, m.minFont);
      continue;
    }
    steps++;
    smallest = Math.min(smallest, m.minHeight);
    check(m.labels > 0 && m.minHeight >= 18, `${where}: ${m.labels} labels, the smallest ${m.minHeight.toFixed(1)} px tall`, m.minHeight);
    check(m.overlaps.length === 0, `${where}: no labels overlap`, m.overlaps);
    check(m.newOutside.length === 0, `${where}: what is new is wholly in the frame`, m.newOutside);
    check(m.coverage >= minCoverage, `${where}: the drawing spans ${(100 * m.coverage).toFixed(0)} % of the slide`, m.coverage);
    if (m.dim && m.fresh) {
      const apart = m.dim.opacity <= 0.5 && m.fresh.opacity === 1 && m.fresh.stroke !== m.dim.stroke && Number(m.fresh.weight) >= 600;
      check(apart, `${where}: dimmed and new nodes look different`, [m.dim, m.fresh]);
    }
    await page.screenshot({ path: path.join(artefacts, `${name}-slide-${String(i + 1).padStart(2, "0")}.png`) });
  }
  check(steps > 0, `${name} deck: ${steps} step slides checked, smallest label ${smallest.toFixed(1)} px`);
  check(problems.length === 0, `${name} deck: no errors`, problems);
  await page.close();
}

const LAPTOP = { width: 1366, height: 768 };
const PROJECTOR = { width: 1920, height: 1080 };

// Waits until the explorer has drawn and no layout or animation runs.
async function settled(page) {
  await page.waitForSelector("body[data-ready]");
  await page.waitForFunction(() => !document.getElementById("graph").hasAttribute("data-busy"));
}

// Clicks an export button and returns the downloaded file (as text, or a Buffer).
async function saved(page, button, binary = false) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  const file = await download.path();
  const fs = await import("node:fs");
  return binary ? fs.readFileSync(file) : fs.readFileSync(file, "utf8");
}

// What the explorer shows: the focus, the nodes drawn (data ids), the label size on
// screen, whether every node drawn lies wholly inside the graph's box, and whether the
// legend stays clear of the details panel.
function view(page) {
  return page.evaluate(() => {
    const x = window.policygraphExplorer;
    const cy = x.cy;
    const box = document.getElementById("graph").getBoundingClientRect();
    const outside = [];
    let smallest = Infinity;
    cy.nodes().forEach((n) => {
      const label = n.data("label");
      if (!n.data("of") || !label) return;
      const size = parseFloat(n.style("font-size")) * cy.zoom();
      smallest = Math.min(smallest, size);
      const r = n.renderedBoundingBox({ includeLabels: true });
      if (r.x1 < -0.5 || r.y1 < -0.5 || r.x2 > box.width + 0.5 || r.y2 > box.height + 0.5) outside.push(n.data("of"));
    });
    const legend = document.getElementById("legend").getBoundingClientRect();
    const details = document.getElementById("details").getBoundingClientRect();
    const clear = legend.right <= details.left + 0.5 || legend.bottom <= details.top || legend.width === 0;
    return {
      state: x.state(), hash: location.hash, count: document.getElementById("count").textContent,
      shown: [...new Set(cy.nodes().map((n) => n.data("of")).filter(Boolean))].sort(),
      smallest, outside, legendClear: clear,
    };
  });
}

// The neighbours of a node in the page's own data.
function neighbours(page, id) {
  return page.evaluate((id) => {
    const data = JSON.parse(document.getElementById("policygraph-data").textContent);
    const out = new Set();
    for (const e of data.edges) { if (e.from === id) out.add(e.to); if (e.to === id) out.add(e.from); }
    return [...out].sort();
  }, id);
}

// The checks every collection's explorer passes: opens from a file with no network
// request; a search focuses a node, framed with labels >= 12 px and the legend clear of
// the panel; the address reopens the same view; a stance filter and the slider lay out
// again; PNG export; no console error or warning.
async function everyExplorer(file, name, query) {
  const { page, problems } = await open(file, "", LAPTOP);
  await settled(page);
  await page.fill("#search", query);
  await page.locator("#results li").first().click();
  await settled(page);
  let w = await view(page);
  check(w.count.startsWith("Focus: ") && w.outside.length === 0 && w.smallest >= 12 && w.legendClear,
    `${name}: searching "${query}" focuses ${w.state.focus}, framed, labels ${w.smallest.toFixed(1)} px`, w);
  const again = await browser.newPage({ viewport: LAPTOP });
  await again.goto(url(file) + w.hash);
  await settled(again);
  const reopened = await view(again);
  check(JSON.stringify(reopened.shown) === JSON.stringify(w.shown), `${name}: the address reopens the same view`, [reopened.shown, w.shown]);
  await again.close();
  await page.uncheck("input[name=stance][value=critical]");
  await settled(page);
  await page.fill("#year", await page.getAttribute("#year", "min"));
  await settled(page);
  w = await view(page);
  check(w.hash.includes("stance%3Acritical") && w.outside.length === 0, `${name}: a stance filter and the slider lay the view out again`, w);
  const png = await saved(page, "#export-png", true);
  check(png.subarray(1, 4).toString() === "PNG", `${name}: Save PNG writes a PNG`);
  check(problems.length === 0, `${name}: no errors, warnings or network requests`, problems);
  await page.close();
}

async function explorerChecks() {
  const file = path.join(built, "explorer.html");
  const { page, problems } = await open(file, "", LAPTOP);
  await settled(page);
  let v = await view(page);
  check(v.count.startsWith("Overview, the lineage on its time axis: "), "the explorer opens on the lineage overview", v.count);
  check(v.shown.includes("primary-care-trusts") && v.shown.includes("integrated-care-boards"), "the overview draws the lineage", v.shown.length);
  check(v.smallest >= 12, `overview labels are ${v.smallest.toFixed(1)} px on a laptop`, v.smallest);
  await page.screenshot({ path: path.join(artefacts, "explorer-overview.png") });
  if (docs !== "-") await page.screenshot({ path: path.join(docs, "explorer-overview-1366.png") });

  // Search, focus, and the neighbourhood framed at a readable size.
  await page.fill("#search", "Better Care Fund");
  const first = page.locator("#results li").first();
  check((await first.textContent()).includes("Better Care Fund"), "search lists the Better Care Fund", await first.textContent());
  await first.click();
  await settled(page);
  v = await view(page);
  const expected = [...(await neighbours(page, "better-care-fund")), "better-care-fund"].sort();
  check(v.state.focus === "better-care-fund" && v.count.startsWith("Focus: Better Care Fund, depth 1"), "choosing the result focuses it", v.count);
  check(JSON.stringify(v.shown) === JSON.stringify(expected), `its ${expected.length - 1} neighbours are drawn, and only they`, [v.shown, expected]);
  check(v.outside.length === 0, "the neighbourhood is framed: every node wholly in view", v.outside);
  check(v.smallest >= 12, `focus labels are ${v.smallest.toFixed(1)} px on a laptop`, v.smallest);
  check(v.legendClear, "the legend stays clear of the details panel");
  check(await page.textContent("#details h2") === "Better Care Fund", "the details panel shows the focus");
  const sources = await page.locator("#details ul.sources li").allTextContents();
  check(sources.length > 0 && sources.every((s) => /, \S/.test(s)), "the details panel lists its sources with locators", sources);
  const contested = await page.textContent("#details .contested");
  check(/^Contested: judged critically \d+ times? and supportively \d+ times?/.test(contested), "a subject judged both ways is flagged contested", contested);
  const judgements = await page.locator("#details h3:text('Judgements') + ul li").allTextContents();
  check(judgements.length === 3 && judgements.some((t) => t.startsWith("critical")) && judgements.some((t) => t.startsWith("supportive")), "its three judgements are listed with their stances", judgements);
  await page.screenshot({ path: path.join(artefacts, "explorer-focus.png") });
  if (docs !== "-") await page.screenshot({ path: path.join(docs, "explorer-focus-1366.png") });
  const focusHash = v.hash;

  // Filter by stance: the critical finding goes, the layout is redone.
  await page.uncheck("input[name=stance][value=critical]");
  await settled(page);
  v = await view(page);
  check(!v.shown.includes("nao-2017-integration-slower-than-envisaged") && v.shown.length === expected.length - 1, "unticking critical hides the critical finding", v.shown);
  check(v.hash.includes("hide=stance%3Acritical"), "the filter is in the address", v.hash);
  check(v.outside.length === 0, "the filtered view is framed again", v.outside);
  await page.check("input[name=stance][value=critical]");
  await settled(page);

  // Expand: depth 2 draws more, still readable.
  await page.fill("#depth", "2");
  await page.dispatchEvent("#depth", "change");
  await settled(page);
  v = await view(page);
  check(v.state.depth === 2 && v.shown.length > expected.length, `depth 2 draws ${v.shown.length} nodes`, v.shown.length);
  check(v.smallest >= 12, `depth 2 labels are ${v.smallest.toFixed(1)} px`, v.smallest);
  const depth2 = v.shown;
  const depth2Hash = v.hash;

  // Click a neighbour on the canvas: it becomes the focus; back returns.
  const careAct = await page.evaluate(() => {
    const n = window.policygraphExplorer.cy.nodes().filter((n) => n.data("of") === "care-act-2014")[0];
    const p = n.renderedPosition(), box = document.getElementById("graph").getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  });
  await page.mouse.click(careAct.x, careAct.y);
  await settled(page);
  v = await view(page);
  check(v.state.focus === "care-act-2014", "clicking a node on the graph focuses it", v.state);
  await page.click("#back");
  await settled(page);
  v = await view(page);
  check(v.state.focus === "better-care-fund" && v.state.depth === 2 && JSON.stringify(v.shown) === JSON.stringify(depth2), "Back returns to the Better Care Fund at depth 2", v.state);
  await page.click("#forward");
  await settled(page);
  check((await view(page)).state.focus === "care-act-2014", "Forward goes to the Care Act again");

  // The address alone restores the view.
  const again = await browser.newPage({ viewport: LAPTOP });
  await again.goto(url(file) + depth2Hash);
  await settled(again);
  const restored = await view(again);
  check(restored.state.focus === "better-care-fund" && restored.state.depth === 2 && JSON.stringify(restored.shown) === JSON.stringify(depth2), "opening the address gives the same view", restored.state);
  await again.close();
  check(focusHash.startsWith("#focus=better-care-fund"), "the focus is in the address", focusHash);

  // Export the view.
  const png = await saved(page, "#export-png", true);
  check(png.length > 5000 && png.subarray(1, 4).toString() === "PNG", `Save PNG writes a PNG (${png.length} bytes)`);
  const svg = await saved(page, "#export-svg");
  check(svg.startsWith("<?xml") && svg.includes("<svg") && svg.includes("Care Act 2014"), "Save SVG writes the view as SVG", svg.slice(0, 200));

  // The overview and the year slider: 2000 has primary care trusts, 2022 integrated
  // care boards.
  await page.click("#overview");
  await settled(page);
  await page.fill("#year", "2000");
  await settled(page);
  v = await view(page);
  check(await page.textContent("#year-label") === "2000" && v.hash.includes("year=2000"), "the slider reads 2000, and the address says so", v.hash);
  check(v.shown.includes("primary-care-trusts") && !v.shown.includes("integrated-care-boards"), "as of 2000: primary care trusts, no integrated care boards", v.shown);
  check(v.smallest >= 12, "as of 2000, labels are readable", v.smallest);
  await page.screenshot({ path: path.join(artefacts, "explorer-2000.png") });
  await page.fill("#year", "2022");
  await settled(page);
  v = await view(page);
  check(!v.shown.includes("primary-care-trusts") && v.shown.includes("integrated-care-boards"), "as of 2022: integrated care boards, no primary care trusts", v.shown);
  check(/; \d+ faded: started earlier, end not recorded/.test(v.count), "unknown ends are counted as faded, not as running", v.count);
  const haz = await page.evaluate(() => window.policygraphExplorer.cy.nodes().filter((n) => n.data("of") === "department-for-levelling-up-housing-and-communities").map((n) => n.hasClass("faded")));
  check(haz.length > 0 && haz.every(Boolean), "as of 2022, the Department for Levelling Up, Housing and Communities (from 2021, end not recorded) is faded", haz);
  const dhsc = await page.evaluate(() => window.policygraphExplorer.cy.nodes().filter((n) => n.data("of") === "department-of-health-and-social-care").map((n) => n.hasClass("faded")));
  check(dhsc.length > 0 && !dhsc.some(Boolean), "as of 2022, the Department of Health and Social Care (ongoing) is not faded", dhsc);
  await page.screenshot({ path: path.join(artefacts, "explorer-2022.png") });
  if (docs !== "-") await page.screenshot({ path: path.join(docs, "explorer-2022-1366.png") });
  // Play: the years step on by themselves.
  await page.fill("#year", "2010");
  await settled(page);
  await page.click("#play");
  await page.waitForFunction(() => parseInt(document.getElementById("year-label").textContent, 10) >= 2012, null, { timeout: 5000 });
  await page.click("#play");
  const played = await page.textContent("#year-label");
  check(parseInt(played, 10) >= 2012 && await page.getAttribute("#play", "aria-pressed") === "false", "Play steps through the years, and pauses", played);
  // An era: the Coalition (2010 to 2015) has primary care trusts (to 2013), not the DHSS.
  await page.fill("#year", await page.getAttribute("#year", "max"));
  await settled(page);
  await page.selectOption("#era", { label: "Coalition" });
  await settled(page);
  v = await view(page);
  check(v.shown.includes("primary-care-trusts") && !v.shown.includes("department-of-health-and-social-security"), "the Coalition era shows primary care trusts, not the DHSS", v.shown);
  await page.selectOption("#era", "");
  await settled(page);

  // The evidence of a finding: its stance, what it judges, where it is made and reported.
  await page.fill("#search", "far from universal");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await settled(page);
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.tagName);
  check(await page.textContent("#details h2") === "Integrated working succeeds in places but is far from universal", "the keyboard alone reaches a search result and focuses it", focused);
  const heads = await page.locator("#details h3").allTextContents();
  check(["Judges", "Made in", "Reported in", "Sources"].every((h) => heads.includes(h)), "a finding's panel says what it judges, where it is made and who reported it", heads);
  check((await page.textContent("#details .meta")).includes("mixed"), "a finding's panel gives its stance");
  await page.screenshot({ path: path.join(artefacts, "explorer-finding.png") });
  // At depth 2 the hubs past the finding (the policy as a whole, the 2021 paper) are
  // drawn but not walked through; Expand walks one.
  await page.fill("#depth", "2");
  await page.dispatchEvent("#depth", "change");
  await settled(page);
  v = await view(page);
  const hubs = await page.locator("#details h3:text('Not expanded here') + ul li").allTextContents();
  check(hubs.length > 0 && /hubs? not expanded/.test(v.count) && v.shown.length < 40, `depth 2 leaves ${hubs.length} hubs unexpanded, drawing ${v.shown.length} nodes`, [hubs, v.count]);
  await page.locator("#details button.expand").first().click();
  await settled(page);
  const expanded = await view(page);
  check(expanded.hash.includes("expand=") && expanded.shown.length > v.shown.length, `Expand draws the hub's neighbours too (${expanded.shown.length} nodes)`, expanded);
  await page.fill("#depth", "1");
  await page.dispatchEvent("#depth", "change");
  await settled(page);

  // Keyboard: the controls take focus visibly.
  await page.focus("#play");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  await page.keyboard.press("Tab");
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  check(ring !== "none", "a control reached with Tab shows its focus", [outline, ring]);
  check(problems.length === 0, "the explorer logs no errors or warnings and makes no network requests", problems);
  await page.close();

  // On a projector: the overview at 1920x1080.
  {
    const { page, problems } = await open(file, "", PROJECTOR);
    await settled(page);
    const w = await view(page);
    check(w.smallest >= 12, `overview labels on a projector: ${w.smallest.toFixed(1)} px`, w.smallest);
    if (docs !== "-") await page.screenshot({ path: path.join(docs, "explorer-overview-1920.png") });
    check(problems.length === 0, "the projector view has no errors", problems);
    await page.close();
  }

  // A small second collection: its overview and a focus, the legend clear of the panel.
  {
    const { page, problems } = await open(smallExplorer, "", LAPTOP);
    await settled(page);
    let w = await view(page);
    check(w.shown.length > 0 && w.legendClear && w.smallest >= 12, `the small collection opens on ${w.shown.length} nodes, labels ${w.smallest.toFixed(1)} px`, w);
    const any = await page.evaluate(() => JSON.parse(document.getElementById("policygraph-data").textContent).nodes.find((n) => n.kind === "body").name);
    await page.fill("#search", any);
    await page.locator("#results li").first().click();
    await settled(page);
    w = await view(page);
    check(w.count.startsWith("Focus: ") && w.outside.length === 0 && w.smallest >= 12 && w.legendClear, `the small collection focuses ${any}, framed and readable`, w);
    await page.screenshot({ path: path.join(artefacts, "explorer-small.png") });
    check(problems.length === 0, "the small collection's explorer has no errors", problems);
    await page.close();
  }

  await everyExplorer(file, "shipped data", "primary care trusts");
  await everyExplorer(smallExplorer, "small collection", "Monitor");
  await everyExplorer(builtins, "built-in ids", "constructor");
  await everyExplorer(largeExplorer, "large lineage", "Board 7 stage 6");

  // A lineage too large for the overview: focus mode only, search still works.
  {
    const { page, problems } = await open(largeExplorer, "", LAPTOP);
    await settled(page);
    let w = await view(page);
    check(w.shown.length === 0 && /^This collection's lineage has 700 nodes, more than the overview draws \(600\)/.test(w.count), "a 700-body lineage opens in focus mode only, saying why", w.count);
    check(await page.evaluate(() => document.activeElement.id) === "search", "the search box has the keyboard");
    check(await page.isDisabled("#overview"), "the Overview button is disabled");
    await page.fill("#search", "Board 42 stage 3");
    await page.keyboard.press("Enter");
    await settled(page);
    w = await view(page);
    check(JSON.stringify(w.shown) === JSON.stringify(["body-42-2", "body-42-3", "body-42-4"]) && w.outside.length === 0, "focusing a board there shows its predecessor and successor", w.shown);
    check(problems.length === 0, "the large explorer has no errors", problems);
    await page.close();
  }
}

try {
  // 1. The explorer of the shipped data, on a 1366x768 laptop.
  await explorerChecks();

  // 2. The seminar deck of the shipped data: title slide, stepping, the inline picture.
  {
    const { page, problems } = await open(path.join(built, "seminar", "index.html"));
    const titles = async () => (await page.locator(".slide:not([hidden]) h1").allTextContents());
    const total = await page.locator(".slide").count();
    check(total >= 6, "the deck has a title slide, a slide per era and critiques slides", total);
    check((await titles()).length === 1, "one slide shows at a time");
    const first = (await titles())[0];
    check(await page.locator(".slide:not([hidden]).title-slide").count() === 1, "the deck opens on its title slide", first);
    const author = await page.textContent(".slide:not([hidden]) .author");
    check(author.startsWith("policygraph contributors"), "the title slide credits the collection's author", author);
    await page.keyboard.press("ArrowRight");
    check((await titles())[0] !== first, "ArrowRight steps on", await titles());
    // An era too full for one slide at a legible size comes in parts: "New Labour (1/3)".
    for (let i = 0; i < total && !(await titles())[0].startsWith("New Labour"); i++) {
      await page.keyboard.press("ArrowRight");
    }
    const second = (await titles())[0];
    check(/^New Labour( \(1\/\d+\))?$/.test(second), "stepping reaches the New Labour era, first part first", second);
    const years = await page.textContent(".slide:not([hidden]) .years");
    check(years === "1997 to 2010", "the slide shows the era's years", years);
    check((await page.title()).startsWith("New Labour") && (await page.title()).endsWith(", 1997 to 2010"), "the page title is the era's name and years", await page.title());
    check(await page.locator(".slide:not([hidden]) .slot svg#pg-story").count() === 1, "the step shows the story's picture inline");
    const before = await page.getAttribute("#pg-story", "viewBox");
    await page.keyboard.press("ArrowRight");
    const moving = await page.evaluate(() => document.getElementById("pg-story").hasAttribute("data-moving"));
    check(moving, "the camera's move to the next step is animated");
    await page.waitForFunction(() => !document.getElementById("pg-story").hasAttribute("data-moving"));
    check(await page.getAttribute("#pg-story", "viewBox") !== before, "the next step moves the camera");
    await page.keyboard.press("n");
    check(await page.locator(".slide:not([hidden]) .notes").isVisible(), "N shows the speaker notes");
    const notes = await page.textContent(".slide:not([hidden]) .notes");
    check(/\[[^\]]+\]/.test(notes), "the notes give the sources of what is new", notes.slice(0, 200));
    await page.keyboard.press("n");
    await page.screenshot({ path: path.join(artefacts, "seminar.png") });
    await page.keyboard.press("Home");
    check((await titles())[0] === first, "Home steps back to the start", await titles());
    await page.keyboard.press("End");
    check(await page.textContent("#counter") === `${total} / ${total}`, "End jumps to the last step");
    check((await titles())[0].startsWith("What the reviews said: "), "the deck ends with what the reviews said", await titles());
    // The presenter view: P opens a second window that follows the deck.
    const [presenter] = await Promise.all([page.waitForEvent("popup"), page.keyboard.press("p")]);
    await presenter.waitForLoadState();
    check(await presenter.locator(".slide:not([hidden]) .notes").isVisible(), "the presenter view shows the notes");
    await page.keyboard.press("Home");
    await presenter.waitForFunction(() => document.getElementById("counter").textContent.startsWith("1 /"));
    check(true, "the presenter view follows the deck");
    await presenter.keyboard.press("ArrowRight");
    await page.waitForFunction(() => document.getElementById("counter").textContent.startsWith("2 /"));
    check(true, "the presenter view drives the deck");
    await presenter.close();
    check(problems.length === 0, "the deck logs no errors", problems);
    await page.close();
  }

  // 2b. Legibility on a 1920x1080 projector, every slide of both decks.
  await legibility(path.join(built, "seminar", "index.html"), "shipped");
  await legibility(path.join(small, "index.html"), "small");
  // Three nodes cannot fill 60 % of a slide at any legible scale; drawn at the largest
  // scale (labels about 50 px) they must still not be a strip.
  await legibility(path.join(focus, "index.html"), "focus", 0.25);

  // 2c. Ids that name JavaScript built-ins are plain keys; a bad address names nothing.
  {
    const { page, problems } = await open(builtins, "#focus=constructor", LAPTOP);
    await settled(page);
    const name = await page.textContent("#details h2");
    check(name === "Constructor body", "#focus=constructor opens the node with id constructor", name);
    const edges = await page.locator("#details ul.edges li").allTextContents();
    check(edges.some((t) => t.includes("Prototype body")), "its edges list what replaced it", edges);
    const sources = await page.locator("#details ul.sources li").allTextContents();
    check(sources.some((t) => t.includes("A document with a built-in's id")), "its source, a document with id tostring, is named", sources);
    const shown = await page.evaluate(() => window.policygraphExplorer.cy.nodes().map((n) => n.data("of")));
    check(shown.includes("constructor") && shown.includes("prototype") && shown.includes("tostring"), "the focus view draws the nodes with ids constructor, prototype and tostring", shown);
    await page.fill("#search", "has-own");
    await page.locator("#results li").first().click();
    await settled(page);
    check(await page.textContent("#details h2") === "Has-own-property programme", "search finds the node with id hasownproperty");
    await page.locator("#era").selectOption({ index: 0 });
    await settled(page);
    check(problems.length === 0, "built-in ids raise no errors", problems);
    await page.close();
    for (const hash of ["#focus=__proto__", "#node-constructor", "#focus=toString", "#node-%", "#focus=%E0%A4%A", "#hide=kind:constructor"]) {
      const { page, problems } = await open(builtins, hash, LAPTOP);
      await settled(page);
      const h2 = await page.locator("#details h2").allTextContents();
      const expected = hash === "#node-constructor" ? ["Constructor body"] : ["Start here"];
      check(JSON.stringify(h2) === JSON.stringify(expected) && problems.length === 0, `the address ${hash} opens ${expected[0]} and throws nothing`, [h2, problems]);
      await page.close();
    }
  }

  // A document with a DOI links to doi.org: the link checked when the page was made
  // (src/weblink.rs).
  {
    const { page, problems } = await open(path.join(built, "explorer.html"), "#focus=miller-glasby-dickinson-2021", LAPTOP);
    await settled(page);
    const doi = await page.getAttribute("#details a", "href");
    check(doi === "https://doi.org/10.5334/ijic.5666", "a document's DOI is its link", doi);
    check(problems.length === 0, "the explorer opened at a document throws nothing", problems);
    await page.close();
  }

  // 3. Injection: hostile names are literal text everywhere.
  const IMG = "<img src=x onerror=alert(1)>";
  {
    const { page, problems } = await open(path.join(injected, "explorer.html"), "", LAPTOP);
    await settled(page);
    await page.fill("#search", "img src");
    await page.locator("#results li").first().click();
    await settled(page);
    const name = await page.textContent("#details h2");
    check(name === IMG, "the explorer shows the img-tag name as text", name);
    const injectedElements = await page.evaluate(() =>
      document.querySelectorAll("img, iframe, b, u, em, a[href^=javascript]").length + document.scripts.length - 3);
    check(injectedElements === 0, "no element comes from data text in the explorer", injectedElements);
    await page.fill("#search", "review");
    await page.locator("#results li").first().click();
    await settled(page);
    const links = await page.locator("#details a").count();
    check(links === 0, "a javascript: URL is not made a link", links);
    const era = await page.locator("#era option").nth(1).textContent();
    check(era === "</title><script>alert('era')</script>", "an era name is literal text", era);
    // The exported SVG carries hostile names as escaped text.
    const svg = await saved(page, "#export-svg");
    check(!/<img|<script/i.test(svg) && svg.includes("&lt;script&gt;"), "the exported SVG escapes hostile names", svg.slice(0, 300));
    check(problems.length === 0, "the hostile explorer runs no injected script", problems);
    await page.close();
  }
  for (const file of ["handout.html", "index.html"]) {
    const { page, problems } = await open(path.join(injected, "seminar", file));
    const text = await page.evaluate(() => document.body.textContent);
    check(text.includes(IMG), `${file} shows the img-tag name as text`);
    const bad = await page.evaluate(() => document.querySelectorAll('img[src="x"], iframe, b, u, em:not(li > em)').length);
    check(bad === 0, `${file} has no element made from data text`, bad);
    check(problems.length === 0, `${file} runs no injected script`, problems);
    await page.close();
  }
} finally {
  await browser.close();
}
console.log("all browser checks passed");
