// The pages beyond Spark's UI in a real browser (Debian's chromium, headless, driven by
// playwright-core) against a history server over the conformance logs: an app's Summary tab
// (a failed task's finding with its count and message and a link to its stage; a clean app
// says nothing stands out), Compare of two attempts and of two apps (columns, a highlighted
// difference), reached from the app page's "Compare attempts" link and from the list by
// ticking two rows with the keyboard. Any failed check, page error, console error or dialog
// fails the run. Screenshots go to SCREENSHOTS.
//   PLAYWRIGHT_DIR=... CHROMIUM=... BASE_URL=http://127.0.0.1:PORT/ SCREENSHOTS=DIR \
//     node tests/browser/insights_ui.cjs
const path = require("path");
const { browserTest, check } = require("./harness.cjs");

const BASE = process.env.BASE_URL;
const SHOTS = process.env.SCREENSHOTS;

const headers = (page, sel) => page.locator(`${sel} thead th`).allTextContents();

browserTest(async (page, t) => {
  // Summary of an app with a failed job, stage and task, reached by its tab.
  await page.goto(BASE + "#/apps/local-1422981780767/jobs");
  await page.waitForSelector("main nav.tabs");
  await page.locator("main nav.tabs a", { hasText: /^Summary$/ }).click();
  await page.waitForSelector("main .summary-page");
  check(page.url().endsWith("#/apps/local-1422981780767/summary"), "the Summary tab has its address");
  const failed = page.locator("main section.finding[data-kind=failed-tasks]");
  check(await failed.count() === 1, "a failed-task finding is shown");
  const failedText = await failed.textContent();
  check(failedText.includes("1 task failed") && failedText.includes("1 × java.lang.RuntimeException: got a 3, failing"),
        `it gives the count and the message (${failedText.replace(/\s+/g, " ").slice(0, 160)})`);
  check(await failed.locator("a[href$='/stages/2/0']").count() === 1, "and links to the failed stage");
  for (const kind of ["failed-jobs", "failed-stages"]) {
    check(await page.locator(`main section.finding[data-kind=${kind}]`).count() === 1, `a ${kind} finding is shown`);
  }
  check(!(await page.locator("main").textContent()).includes("Nothing stands out"), "it does not say nothing stands out");
  check(await page.locator("main section.finding[data-kind=longest] li").count() > 0, "the longest stages are listed");
  await page.screenshot({ path: path.join(SHOTS, "insights_summary_failed.png"), fullPage: true });
  await failed.locator("a[href$='/stages/2/0']").click();
  await page.waitForSelector("main dl.summary");
  check(page.url().endsWith("#/apps/local-1422981780767/stages/2/0"), "the finding's link opens the stage");

  // A clean app.
  await page.goto(BASE + "#/apps/local-1430917381534/summary");
  await page.waitForSelector("main .summary-page");
  check((await page.locator("main .finding.ok").textContent()).includes("Nothing stands out"),
        "an app without problems says nothing stands out");
  check(await page.locator("main section.finding.problem").count() === 0, "and lists no problem");
  await page.screenshot({ path: path.join(SHOTS, "insights_summary_clean.png"), fullPage: true });

  // Two attempts, from the app page's link.
  await page.goto(BASE + "#/apps/local-1426533911241/2/jobs");
  await page.waitForSelector("main nav.tabs");
  await page.locator("main a", { hasText: "Compare attempts" }).click();
  await page.waitForSelector("main table.compare.stages tbody tr");
  check(decodeURIComponent(page.url()).endsWith("#/compare/local-1426533911241:1/local-1426533911241:2"),
        `Compare attempts opens the attempts' comparison (${page.url()})`);
  const cols = await headers(page, "main table.compare.stages");
  check(["Stage A", "Stage B", "Duration A", "Duration B", "Tasks A", "Tasks B", "Skew A", "Skew B",
         "Shuffle Read A", "Shuffle Write B", "Spill A", "Spill B"].every((c) => cols.includes(c)),
        `the stage table has its columns (${cols.join(", ")})`);
  const totals = await page.locator("main table.compare.totals tbody th").allTextContents();
  check(["Duration", "Jobs", "Stages", "Tasks"].every((t) => totals.includes(t)), "the totals have their rows");
  check(await page.locator("main table.compare.stages tbody tr").count() === 1, "the one stage is matched");
  await page.screenshot({ path: path.join(SHOTS, "insights_compare_attempts.png"), fullPage: true });

  // Two apps, from the list: Space ticks two rows, Enter on the button compares.
  await page.goto(BASE);
  await page.waitForSelector("main table tbody tr");
  const button = page.locator("main button", { hasText: /^Compare$/ });
  check(await button.isDisabled(), "Compare is off with nothing ticked");
  await page.fill("input[type=search]", "local-14229817");
  for (const id of ["local-1422981759269", "local-1422981780767"]) {
    await page.locator(`main input[aria-label='Select ${id} to compare']`).focus();
    await page.keyboard.press("Space");
  }
  check(await button.isEnabled(), "Compare is on with two ticked");
  await button.focus();
  await page.keyboard.press("Enter");
  await page.waitForSelector("main table.compare.stages tbody tr");
  check(decodeURIComponent(page.url()).endsWith("#/compare/local-1422981759269/local-1422981780767"),
        `the button opens the comparison (${page.url()})`);
  const marked = await page.locator("main table.compare td.worse, main table.compare td.better").count();
  check(marked > 0, `differences are highlighted (${marked} cells)`);
  const failedRow = page.locator("main table.compare.totals tr", { hasText: "Failed tasks" });
  check(await failedRow.locator("td.worse").count() === 1, "B's failed task is marked worse");
  await page.screenshot({ path: path.join(SHOTS, "insights_compare_apps.png"), fullPage: true });
});
