// Browser checks for tests/browser.rs, in Debian's Chromium driven by playwright-core.
//
//   node run.mjs <chromium> <artefact dir> <built output dir> <injection output dir> <small seminar dir> <focus seminar dir> <builtins explorer>
//
// <built output dir> is a `policygraph build` of the shipped data; <injection output
// dir> holds `explorer.html` and `seminar/` built from tests/data/injection; <small
// seminar dir> is the seminar of a small collection (tests/data/policy); <focus seminar
// dir> the shipped data's seminar around one node (a small chart); <builtins explorer>
// an explorer whose ids name JavaScript built-ins (tests/data/builtins). Prints one
// line per check; exits 1 on the first failure, with what was expected and found.
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [exe, artefacts, built, injected, small, focus, builtins] = process.argv.slice(2);
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
async function open(file, hash = "") {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  page.on("dialog", async (d) => { problems.push(`dialog: ${d.message()}`); await d.dismiss(); });
  page.on("request", (r) => { if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) problems.push(`network: ${r.url()}`); });
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

const hidden = (page, id) =>
  page.evaluate((id) => {
    const el = document.getElementById(id);
    return el === null ? "missing" : getComputedStyle(el).display === "none";
  }, id);

try {
  // 1. The explorer of the shipped data.
  {
    const { page, problems } = await open(path.join(built, "explorer.html"));
    await page.fill("#search", "Better Care Fund");
    const first = page.locator("#results li").first();
    check((await first.textContent()).includes("Better Care Fund"), "search lists the Better Care Fund", await first.textContent());
    await first.click();
    const name = await page.textContent("#details h2");
    check(name === "Better Care Fund", "clicking the result shows its details", name);
    const sources = await page.locator("#details ul.sources li").allTextContents();
    check(sources.length > 0 && sources.every((s) => /, \S/.test(s)), "the details panel lists its sources with locators", sources);
    const edges = await page.locator("#details ul.edges li").count();
    check(edges > 0, "the details panel lists its edges", edges);
    // Clicking a node in the diagram itself.
    await page.locator('[id="node-primary-care-trusts"]').click();
    check(await page.textContent("#details h2") === "Primary care trusts", "clicking a node in the diagram selects it");
    // The year slider: in 2000 primary care trusts had just begun and integrated care
    // boards did not exist; in 2022 it is the other way round.
    await page.fill("#year", "2000");
    check(await page.textContent("#year-label") === "2000", "the slider reads 2000");
    check(await hidden(page, "node-integrated-care-boards") === true, "as of 2000, integrated care boards are hidden");
    check(await hidden(page, "node-primary-care-trusts") === false, "as of 2000, primary care trusts are shown");
    await page.fill("#year", "2022");
    check(await hidden(page, "node-integrated-care-boards") === false, "as of 2022, integrated care boards are shown");
    check(await hidden(page, "node-primary-care-trusts") === true, "as of 2022, primary care trusts are hidden");
    const count = await page.textContent("#count");
    check(/^showing \d+ of 233 nodes; \d+ faded: started earlier, end not recorded$/.test(count), "the count follows the slider and names the faded ones", count);
    const hazClass = await page.getAttribute("#node-health-action-zones", "class");
    check(/pg-unknown/.test(hazClass || ""), "as of 2022, Health Action Zones (end not recorded) are faded, not shown as running", hazClass);
    // Filters: unticking `finding` hides findings.
    await page.fill("#year", await page.getAttribute("#year", "max"));
    await page.uncheck('input[name=kind][value=finding]');
    const findingHidden = await page.evaluate(() => {
      const data = JSON.parse(document.getElementById("policygraph-data").textContent);
      const f = data.nodes.find((n) => n.kind === "finding");
      return getComputedStyle(document.getElementById("node-" + f.id)).display === "none";
    });
    check(findingHidden, "unticking a kind hides its nodes");
    await page.check('input[name=kind][value=finding]');
    // Eras: the Coalition (2010 to 2015) shows primary care trusts (to 2013), not the
    // Department of Health and Social Security (to 1988).
    await page.selectOption("#era", { label: "Coalition" });
    check(await hidden(page, "node-primary-care-trusts") === false, "the Coalition era shows primary care trusts");
    check(await hidden(page, "node-department-of-health-and-social-security") === true, "the Coalition era hides the DHSS");
    await page.selectOption("#era", "");
    // Relations: unticking `cites` hides every cites edge.
    await page.uncheck("input[name=relation][value=cites]");
    const citesHidden = await page.evaluate(() => {
      const data = JSON.parse(document.getElementById("policygraph-data").textContent);
      return data.edges.filter((e) => e.relation === "cites")
        .every((e) => getComputedStyle(document.getElementById(e.svg)).display === "none");
    });
    check(citesHidden, "unticking a relation hides its edges");
    await page.check("input[name=relation][value=cites]");
    await page.locator("#details").screenshot({ path: path.join(artefacts, "explorer-details.png") });
    await page.screenshot({ path: path.join(artefacts, "explorer.png") });
    check(problems.length === 0, "the explorer logs no errors and makes no network requests", problems);
    await page.close();
  }

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
    const { page, problems } = await open(builtins, "#node-constructor");
    const name = await page.textContent("#details h2");
    check(name === "Constructor body", "#node-constructor opens the node with id constructor", name);
    const edges = await page.locator("#details ul.edges li").allTextContents();
    check(edges.some((t) => t.includes("Prototype body")), "its edges list what replaced it", edges);
    const sources = await page.locator("#details ul.sources li").allTextContents();
    check(sources.some((t) => t.includes("A document with a built-in's id")), "its source, a document with id tostring, is named", sources);
    await page.fill("#search", "has-own");
    await page.locator("#results li").first().click();
    check(await page.textContent("#details h2") === "Has-own-property programme", "search finds the node with id hasownproperty");
    await page.locator("#era").selectOption({ index: 0 });
    check(problems.length === 0, "built-in ids raise no errors", problems);
    await page.close();
    for (const hash of ["#node-__proto__", "#node-%", "#node-toString", "#node-%E0%A4%A"]) {
      const { page, problems } = await open(builtins, hash);
      const shown = await page.locator("#details h2").count();
      check(shown === 0 && problems.length === 0, `the address ${hash} selects nothing and throws nothing`, problems);
      await page.close();
    }
  }

  // A document with a DOI links to doi.org: the link checked when the page was made
  // (src/weblink.rs).
  {
    const { page, problems } = await open(path.join(built, "explorer.html"), "#node-miller-glasby-dickinson-2021");
    const doi = await page.getAttribute("#details a", "href");
    check(doi === "https://doi.org/10.5334/ijic.5666", "a document's DOI is its link", doi);
    check(problems.length === 0, "the explorer opened at a document throws nothing", problems);
    await page.close();
  }

  // 3. Injection: hostile names are literal text everywhere.
  const IMG = "<img src=x onerror=alert(1)>";
  {
    const { page, problems } = await open(path.join(injected, "explorer.html"));
    await page.fill("#search", "img src");
    await page.locator("#results li").first().click();
    const name = await page.textContent("#details h2");
    check(name === IMG, "the explorer shows the img-tag name as text", name);
    const injectedElements = await page.evaluate(() =>
      document.querySelectorAll("img, iframe, b, u, em, a[href^=javascript]").length + document.scripts.length - 2);
    check(injectedElements === 0, "no element comes from data text in the explorer", injectedElements);
    await page.fill("#search", "review");
    await page.locator("#results li").first().click();
    const links = await page.locator("#details a").count();
    check(links === 0, "a javascript: URL is not made a link", links);
    const era = await page.locator("#era option").nth(1).textContent();
    check(era === "</title><script>alert('era')</script>", "an era name is literal text", era);
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
