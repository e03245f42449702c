// An application's Environment, Storage and SQL tabs in a real browser (Debian's chromium,
// headless, driven by playwright-core) against a history server over the conformance logs,
// reached by clicks from the application list: Spark properties present and filterable, the
// storage list (the conformance apps cache no RDD: its empty state), the SQL executions and
// one execution's plan graph (one SVG box per node of the answer, its edges drawn, a metric
// shown) and plan text, opened with the keyboard. Screenshots go to SCREENSHOTS (tab_*.png).
// Any failed check, page error, console error (a Content-Security-Policy violation is one) or
// dialog fails the run.
//   PLAYWRIGHT_DIR=... CHROMIUM=... BASE_URL=http://127.0.0.1:PORT/ SCREENSHOTS=DIR \
//     node tests/browser/app_tabs_ui.cjs
const path = require("path");
const { browserTest, check } = require("./harness.cjs");

const BASE = process.env.BASE_URL;
const SHOTS = process.env.SCREENSHOTS;
const APP = "app-20200706201101-0003";  // has a SQL execution with a plan graph

async function openTab(page, label) {
  await page.locator("main nav.tabs a", { hasText: new RegExp(`^${label}$`) }).click();
  await page.waitForFunction((t) => document.querySelector("nav.tabs a[aria-current=page]")?.textContent === t, label);
}

async function apiJson(page, p) {
  return page.evaluate(async (url) => (await fetch(url)).json(), `api/v1/applications/${APP}/${p}`);
}

browserTest(async (page, t) => {
  await page.goto(BASE);
  await page.waitForSelector("main table tbody tr");
  await page.locator("main table tbody a", { hasText: APP }).first().click();
  await page.waitForSelector("main nav.tabs");
  const tabs = await page.locator("main nav.tabs a").allTextContents();
  check(["Storage", "Environment", "SQL"].every((t) => tabs.includes(t)), `the app has the new tabs (${tabs.join(", ")})`);

  // Environment: seven sections, each with a filter box and a table.
  await openTab(page, "Environment");
  await page.waitForSelector("#env-spark table tbody tr");
  check(await page.locator("main section.env-section").count() === 7, "seven environment sections");
  const env = await apiJson(page, "environment");
  const spark = page.locator("#env-spark");
  const sparkRows = await spark.locator("tbody tr").count();
  check(sparkRows === Math.min(50, env.sparkProperties.length),
        `Spark properties listed (${sparkRows} of ${env.sparkProperties.length})`);
  check((await spark.locator("tbody td:nth-child(1)").allTextContents()).includes("spark.app.id"),
        "spark.app.id is a Spark property");
  check((await page.locator("#env-runtime tbody").textContent()).includes(env.runtime.javaVersion),
        "the runtime shows the Java version");
  // The filter, reached with Tab from the runtime table's last header and typed into.
  await page.locator("#env-runtime th").last().focus();
  await page.keyboard.press("Tab");
  check(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")) === "Filter Spark Properties",
        "Tab reaches the Spark properties filter");
  await page.keyboard.type("spark.app.id");
  const filtered = await spark.locator("tbody td:nth-child(2)").allTextContents();
  check(filtered.length === 1 && filtered[0] === APP, `the filter narrows to spark.app.id = ${filtered}`);
  await page.keyboard.type("-no-such-property");
  check(await spark.locator("tbody tr").count() === 0, "a filter matching nothing empties the table");
  await spark.locator("input[type=search]").fill("");
  check(await spark.locator("tbody tr").count() === sparkRows, "clearing the filter shows every row again");
  const cp = await page.locator("#env-classpath tbody tr").count();
  check(cp === Math.min(50, env.classpathEntries.length), `classpath entries listed (${cp})`);
  await page.screenshot({ path: path.join(SHOTS, "tab_environment.png"), fullPage: true });

  // Storage: the conformance apps cache no RDD.
  await openTab(page, "Storage");
  const rdds = await apiJson(page, "storage/rdd");
  if (rdds.length === 0) {
    await page.waitForSelector("main p.empty");
    check((await page.locator("main p.empty").textContent()).includes("No cached RDDs"), "no cached RDDs, said so");
  } else {
    await page.waitForSelector("main table tbody tr");
    check(await page.locator("main table tbody tr").count() === rdds.length, "one row per cached RDD");
  }
  await page.screenshot({ path: path.join(SHOTS, "tab_storage.png"), fullPage: true });

  // SQL: the executions, then one opened with the keyboard.
  await openTab(page, "SQL");
  await page.waitForSelector("main table tbody tr");
  const queries = await apiJson(page, "sql");
  check(await page.locator("main table tbody tr").count() === queries.length, `the SQL executions (${queries.length})`);
  const q = queries[0];
  const row = page.locator("main table tbody tr").first();
  check((await row.locator("td:nth-child(5)").textContent()) === q.status, `its status (${q.status})`);
  const jobHrefs = await row.locator("td:nth-child(6) a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  check(jobHrefs.length === q.successJobIds.length && jobHrefs.every((h) => h === `#/apps/${APP}/jobs`),
        `its job ids link to the jobs (${jobHrefs.length})`);
  await page.screenshot({ path: path.join(SHOTS, "tab_sql.png"), fullPage: true });
  await row.locator("td:nth-child(2) a").focus();
  await page.keyboard.press("Enter");
  await page.waitForSelector("main svg.plan-graph");
  check(page.url().endsWith(`#/apps/${APP}/sql/${q.id}`), "the address names the execution");
  const detail = await apiJson(page, `sql/${q.id}?details=true&planDescription=true`);
  const boxes = await page.locator("main svg.plan-graph g.plan-node").count();
  const codegen = (n) => /^WholeStageCodegen \(\d+\)$/.test(n.nodeName);
  const operators = detail.nodes.filter((n) => !codegen(n)).length;
  check(boxes === operators, `one box per operator (${boxes} of ${operators})`);
  const frames = await page.locator("main svg.plan-graph g.plan-codegen").count();
  const stages = new Set(detail.nodes.map((n) => n.wholeStageCodegenId).filter((id) => id !== undefined));
  check(frames === stages.size && frames === detail.nodes.filter(codegen).length,
        `a frame per WholeStageCodegen stage, labelled by its node (${frames})`);
  const edges = await page.locator("main svg.plan-graph path.plan-edge").count();
  check(edges === detail.edges.length && edges > 0, `edges drawn (${edges} of ${detail.edges.length})`);
  const metric = detail.nodes.flatMap((n) => n.metrics).find((m) => m.name === "number of output rows");
  const text = `number of output rows: ${metric.value}`;
  check(await page.locator("main svg.plan-graph text", { hasText: text }).first().isVisible(), `"${text}" is shown`);
  // Layered top to bottom: every edge goes down.
  const down = await page.evaluate(() => [...document.querySelectorAll("path.plan-edge")].every((p) => {
    const n = p.getAttribute("d").match(/-?[\d.]+/g).map(Number);
    return n[n.length - 1] > n[1];
  }));
  check(down, "every edge points down");
  // The plan text, opened with the keyboard.
  const summary = page.locator("main details.plan-text summary");
  await summary.focus();
  await page.keyboard.press("Enter");
  check(await page.locator("main details.plan-text").evaluate((d) => d.open), "Enter opens the plan text");
  check((await page.locator("main details.plan-text pre").textContent()).startsWith("== Physical Plan =="),
        "the plan text is shown");
  await page.screenshot({ path: path.join(SHOTS, "tab_sql_execution.png"), fullPage: true });
});
