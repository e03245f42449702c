// Every page of the UI for one real Spark application (APP_ID, run by sparkplane up just
// before): each tab of the app, a job page, a stage page, an SQL execution's graph, the
// timeline and the summary, each drawn with content and without any console error, page error
// or dialog. Screenshots go to SCREENSHOTS as real_<page>.png.
const path = require("path");
const { browserTest, check } = require("./harness.cjs");

const BASE = process.env.BASE_URL;
const APP = process.env.APP_ID;
const SHOTS = process.env.SCREENSHOTS;

browserTest(async (page, t) => {
  // Opens a page and waits for it, not for what the page before left on screen: an app tab
  // is ready once its tab is the current one and `ready` is there.
  async function open(hash, ready, name, tab) {
    await page.goto(BASE + hash);
    await page.waitForFunction(([sel, label]) =>
      (!label || document.querySelector("nav.tabs a[aria-current=page]")?.textContent === label) &&
      document.querySelector(sel) !== null, [ready, tab], { timeout: 60000 });
    await page.screenshot({ path: path.join(SHOTS, `real_${name}.png`), fullPage: true });
  }
  const answer = (p) => page.evaluate((u) => fetch(u).then((r) => r.json()), `api/v1/applications/${APP}/${p}`);
  const rows = () => page.locator("main table tbody tr").count();

  await open("#/", "main table tbody tr", "applications");
  check(await page.locator("main table tbody a", { hasText: APP }).count() === 1, "the app is listed");

  await open(`#/apps/${APP}/jobs`, "main table tbody tr", "jobs", "Jobs");
  const jobs = await rows();
  check(jobs >= 4, `its jobs are listed (${jobs})`);
  await page.locator("main table tbody a[href*='/jobs/']").first().click();
  await page.waitForSelector("main table tbody a[href*='/stages/']");
  check(true, "a job page lists its stages");
  await page.locator("main table tbody a[href*='/stages/']").first().click();
  await page.waitForSelector("main div.tasks tbody tr");
  check(await page.locator("main div.tasks tbody tr").count() > 0, "a stage page lists its tasks");

  await open(`#/apps/${APP}/stages`, "main table tbody tr", "stages", "Stages");
  const failed = await page.locator("main table tbody tr", { hasText: "failed" }).count();
  check(failed >= 1, "the stage of the failing job shows its failed task");
  await open(`#/apps/${APP}/executors`, "main table tbody tr", "executors", "Executors");
  check(await rows() >= 1, "executors are listed");
  const rdds = await answer("storage/rdd");
  check(rdds.length >= 1, `the cached DataFrame is in the history (${rdds.length} RDDs)`);
  await open(`#/apps/${APP}/storage`, "main table tbody tr", "storage", "Storage");
  check(await rows() === rdds.length, `storage lists the cached RDDs (${rdds.length})`);
  await page.locator("main table tbody a").first().click();
  await page.waitForSelector("main h1");
  await page.waitForFunction(() => document.querySelectorAll("main table tbody tr").length > 0);
  const rddText = await page.locator("main").textContent();
  check(rddText.includes("Memory") && rddText.includes("rdd_"),
        "an RDD's page shows its storage level and its blocks");
  await page.screenshot({ path: path.join(SHOTS, "real_storage_rdd.png"), fullPage: true });
  await open(`#/apps/${APP}/environment`, "main table tbody tr", "environment", "Environment");
  check((await page.locator("main").textContent()).includes("spark.app.name"), "Spark properties are shown");
  await open(`#/apps/${APP}/sql`, "main table tbody tr", "sql", "SQL");
  check(await rows() >= 1, "SQL executions are listed");
  await page.locator("main table tbody a[href*='/sql/']").last().click();
  await page.waitForSelector("main svg.plan-graph g.plan-node");
  const boxes = await page.locator("main svg.plan-graph g.plan-node").count();
  check(boxes > 3, `an execution's plan is drawn (${boxes} nodes)`);
  const sqlId = decodeURIComponent(page.url().split("/sql/")[1]);
  const execution = await answer(`sql/${sqlId}?details=true&planDescription=false`);
  const stagesOfCodegen = new Set(execution.nodes.map((n) => n.wholeStageCodegenId).filter((id) => id !== undefined));
  const frames = await page.locator("main svg.plan-graph g.plan-codegen").count();
  check(stagesOfCodegen.size > 0 && frames === stagesOfCodegen.size,
        `each WholeStageCodegen stage is framed (${frames} frames, ${stagesOfCodegen.size} stages)`);
  const operators = execution.nodes.filter((n) => !/^WholeStageCodegen \(\d+\)$/.test(n.nodeName)).length;
  check(boxes === operators, `one box per operator, the codegen stages as frames (${boxes} of ${operators})`);
  await page.screenshot({ path: path.join(SHOTS, "real_sql_execution.png"), fullPage: true });
  await open(`#/apps/${APP}/timeline`, "main svg", "timeline", "Timeline");
  check(await page.locator("main svg a").count() >= jobs, "the timeline draws the jobs");
  await open(`#/apps/${APP}/summary`, "main h2", "summary", "Summary");
  const summary = await page.locator("main").textContent();
  check(summary.includes("RuntimeError: failing once on purpose"),
        "the summary names the Python error of the failed task, not its traceback's first line");
  const kinds = await page.locator("main section.finding").evaluateAll(
    (ss) => ss.map((s) => s.dataset.kind));
  for (const kind of ["failed-jobs", "failed-tasks", "skew", "spill"]) {
    check(kinds.includes(kind), `the summary finds ${kind} (${kinds})`);
  }
  const skew = await page.locator("main section.finding[data-kind=skew]").textContent();
  check(skew.startsWith("1 stage with skewed tasks") && skew.includes("(sum at "),
        `the skewed stage is the one with the slow task (${skew})`);
});
