// The HTML report in a real browser (headless Chromium through playwright-core), run by
// .ci/browser-check:
//   node check.mjs PAGE.html SCREENSHOT.png [--node NAME]... [--finding NAME]... [--joins N]
//                  [--max-load-ms N]
// with BROWSER_TOOLS the npm prefix that holds playwright-core and axe-core.
// Fails (exit 1) on a console error, an uncaught exception, any request beyond the page itself
// (the report must be self-contained), an accessibility violation found by axe-core, a missing
// node, a node whose link leads nowhere, a load slower than --max-load-ms, or a printout that
// hides a fix or cuts the graph. Prints one line of figures per page and saves a full-page
// screenshot and the printout as PDF.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";

const require = createRequire(pathToFileURL(`${process.env.BROWSER_TOOLS || "."}/`).href);
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const [page_path, screenshot, ...rest] = process.argv.slice(2);
const nodes = [];
const withFindings = [];
let joins = 0;
let maxLoadMs = Infinity;
for (let i = 0; i < rest.length; i += 2) {
  if (rest[i] === "--node") nodes.push(rest[i + 1]);
  else if (rest[i] === "--finding") withFindings.push(rest[i + 1]);
  else if (rest[i] === "--joins") joins = Number(rest[i + 1]);
  else if (rest[i] === "--max-load-ms") maxLoadMs = Number(rest[i + 1]);
  else throw new Error(`unknown argument ${rest[i]}`);
}

const problems = [];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  // bypassCSP only lets axe-core be injected below; the page's own policy is checked by the
  // request listener: nothing but the page may be requested.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  const url = pathToFileURL(page_path).href;
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  page.on("request", (r) => { if (r.url() !== url) problems.push(`request: ${r.url()}`); });
  await page.goto(url, { waitUntil: "load" });
  const loadMs = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    return nav ? nav.loadEventEnd : performance.now();
  });
  if (loadMs > maxLoadMs) problems.push(`loaded in ${loadMs.toFixed(0)} ms, over ${maxLoadMs} ms`);

  // Every node links to details that exist; the named ones are present.
  const graph = await page.evaluate(() => {
    const out = [];
    for (const a of document.querySelectorAll("a.node")) {
      const id = a.getAttribute("href").slice(1);
      const texts = Array.from(a.querySelectorAll("text")).map((t) => t.textContent);
      // The tooltip holds "kind: whole name"; the drawn label may be cut.
      const title = a.querySelector("title").textContent;
      const name = title.slice(title.indexOf(": ") + 2);
      out.push({ id, texts, name, target: !!document.getElementById(id), cls: a.getAttribute("class") });
    }
    return { nodes: out, joins: document.querySelectorAll("path.e-join").length };
  });
  for (const n of graph.nodes) if (!n.target) problems.push(`node ${n.texts.join(" ")} links to #${n.id}, which does not exist`);
  for (const name of nodes) {
    const n = graph.nodes.find((x) => x.name === name);
    if (!n) { problems.push(`no node '${name}'`); continue; }
    // Following the node's link shows its details.
    await page.click(`a.node[href="#${n.id}"]`);
    const shown = await page.evaluate((id) => {
      const s = document.getElementById(id);
      const r = s.getBoundingClientRect();
      return location.hash === `#${id}` && r.bottom > 0 && r.top < innerHeight;
    }, n.id);
    if (!shown) problems.push(`following node '${name}' does not show its details`);
  }
  for (const name of withFindings) {
    const n = graph.nodes.find((x) => x.name === name);
    if (!n || !/n-(error|warning|note)/.test(n.cls)) problems.push(`node '${name}' carries no finding`);
  }
  if (graph.joins < joins) problems.push(`${graph.joins} join edge(s), expected at least ${joins}`);

  // The table filters without a server.
  const filtered = await page.evaluate(() => {
    const sel = document.getElementById("f-severity");
    if (!sel) return null;
    sel.value = "1";
    sel.dispatchEvent(new Event("input"));
    const rows = Array.from(document.querySelectorAll("#findings-table tbody tr"));
    const visible = rows.filter((r) => !r.hidden);
    const ok = visible.every((r) => r.dataset.severity === "1");
    sel.value = "";
    sel.dispatchEvent(new Event("input"));
    return ok;
  });
  if (filtered === false) problems.push("the severity filter shows other severities");

  // Accessibility: axe-core's WCAG 2 A and AA rules.
  await page.evaluate(axeSource);
  const axe = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] } });
    return r.violations.map((v) => `${v.id}: ${v.help}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  for (const v of axe) problems.push(`axe: ${v}`);

  // Printed (on an A4-wide page): no control, the whole graph within the page width and not
  // cut by its scroll box, every finding's fix and every node's details on paper. A PDF is
  // saved beside the screenshot for review.
  await page.setViewportSize({ width: 700, height: 900 });
  await page.emulateMedia({ media: "print" });
  const printed = await page.evaluate(() => {
    const out = [];
    const graph = document.querySelector(".graph");
    if (graph) {
      if (graph.scrollHeight > graph.clientHeight + 1) out.push("the graph is cut by its scroll box");
      const svg = graph.querySelector("svg");
      if (svg && svg.getBoundingClientRect().right > document.documentElement.clientWidth + 1) {
        out.push("the graph is wider than the page");
      }
    }
    const filters = document.querySelector(".filters");
    if (filters && filters.checkVisibility()) out.push("the filters are printed");
    const hidden = (sel) => Array.from(document.querySelectorAll(sel)).filter((e) => !e.checkVisibility()).length;
    const fixes = hidden("#findings-table .fix");
    if (fixes) out.push(`${fixes} finding fix(es) not printed`);
    const details = hidden(".node-details");
    if (details) out.push(`${details} node details not printed`);
    return out;
  });
  for (const p of printed) problems.push(`print: ${p}`);
  await page.pdf({ path: screenshot.replace(/\.png$/, "") + ".pdf", format: "A4", printBackground: false });
  await page.emulateMedia({ media: null });
  await page.setViewportSize({ width: 1280, height: 900 });

  // Chromium captures at most about 16,000 pixels at once: a taller page is shot from the top.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.screenshot(height < 15000
    ? { path: screenshot, fullPage: true }
    : { path: screenshot, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 15000 } });
  console.log(`${page_path}: ${graph.nodes.length} nodes, ${graph.joins} join edge(s), loaded in ${loadMs.toFixed(0)} ms, ${axe.length} axe violation(s)`);
} finally {
  await browser.close();
}
if (problems.length) {
  for (const p of problems) console.log(`  ${p}`);
  process.exit(1);
}
