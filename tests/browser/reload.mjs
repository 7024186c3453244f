// Live reload of pages written by `build --watch`, opened from files (no server), for
// tests/browser.rs:
//
//   node reload.mjs <chromium> <watched output dir> <data file>
//
// For the explorer and the deck: the page loads its stamp, and reloads when the stamp
// is rewritten. Then, end to end, an edit of the data file (a body's new name) makes the
// running watcher rebuild, and the open explorer reloads itself and shows the new name.
// Prints one line per check; exits 1 on the first failure.
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import fs from "node:fs";
import path from "node:path";

const [exe, out, dataFile] = process.argv.slice(2);
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
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});

async function open(file) {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const problems = [];
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("request", (r) => { if (!/^(file|data|blob):/.test(r.url())) problems.push(`network: ${r.url()}`); });
  await page.goto(url(file));
  // The first poll has read the stamp.
  await page.waitForFunction(() => typeof window.policygraphBuild === "string", null, { timeout: 10000 });
  await page.evaluate(() => { window.notReloaded = true; });
  return { page, problems };
}

const reloaded = (page, timeout) =>
  page.waitForFunction(() => window.notReloaded === undefined && typeof window.policygraphBuild === "string", null, { timeout })
    .then(() => true, () => false);

let n = 0;
for (const file of ["explorer.html", "seminar/index.html"]) {
  const { page, problems } = await open(path.join(out, file));
  const stamp = path.join(out, path.dirname(file), "build-stamp.js");
  const same = fs.readFileSync(stamp, "utf8");
  // The same stamp again: no reload.
  fs.writeFileSync(stamp, same);
  await page.waitForTimeout(2500);
  check(await page.evaluate(() => window.notReloaded === true), `${file}: an unchanged stamp does not reload`);
  fs.writeFileSync(stamp, `window.policygraphBuild = "rewritten-${++n}";\n`);
  check(await reloaded(page, 10000), `${file}: a rewritten stamp reloads the page from file://`);
  check(problems.length === 0, `${file}: no errors or network requests`, problems);
  fs.writeFileSync(stamp, same);
  await page.close();
}

// End to end: the data changes, the watcher rebuilds, the open page shows it.
{
  const { page, problems } = await open(path.join(out, "explorer.html"));
  const before = await page.content();
  check(before.includes("Primary care trusts") && !before.includes("Primary care groups"), "the explorer shows the old name");
  const text = fs.readFileSync(dataFile, "utf8");
  // Saved as an editor saves: written beside it, then renamed over it.
  fs.writeFileSync(dataFile + ".new", text.replace('name = "Primary care trusts"', 'name = "Primary care groups"'));
  fs.renameSync(dataFile + ".new", dataFile);
  check(await reloaded(page, 30000), "an edit of the data reloads the open explorer");
  const after = await page.content();
  check(after.includes("Primary care groups"), "the reloaded explorer shows the new name");
  check(problems.length === 0, "no errors or network requests", problems);
}

await browser.close();
console.log("all reload checks passed");
