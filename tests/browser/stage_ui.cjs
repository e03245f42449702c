// The job and stage pages in a real browser (Debian's chromium, headless, driven by
// playwright-core) against a history server over the conformance logs: a job page reached by
// clicks (summary, its stages), a stage page reached from it (summary, task metric quantiles,
// the task table paged and sorted by the server, by mouse and keyboard), a failed task's error
// message, and, when BIG_APP names one, a generated stage of BIG_TASKS (100,000) tasks, paged to
// its end without ever asking the server for more than one page of tasks.
// Screenshots go to SCREENSHOTS. Any failed check, page error, console error or dialog fails.
//   PLAYWRIGHT_DIR=... CHROMIUM=... BASE_URL=http://127.0.0.1:PORT/ SCREENSHOTS=DIR \
//     [BIG_APP=app-id BIG_TASKS=n] node tests/browser/stage_ui.cjs
const path = require("path");
const { browserTest, check } = require("./harness.cjs");

const BASE = process.env.BASE_URL;
const SHOTS = process.env.SCREENSHOTS;

const TASKS = "main div.tasks";
const position = (page) => page.locator(`${TASKS} .position`).textContent();
const column = (page, label) => page.evaluate(([sel, l]) => {
  const table = document.querySelector(`${sel} table`);
  const i = [...table.querySelectorAll("thead th")].findIndex((th) => th.textContent === l);
  return [...table.querySelectorAll("tbody tr")].map((tr) => tr.children[i].textContent);
}, [TASKS, label]);
const ms = (s) => {  // "24 ms", "1.2 s"
  const [n, unit] = s.split(" ");
  return Number(n) * ({ ms: 1, s: 1000, min: 60000, h: 3600000 }[unit] ?? NaN);
};
const sorted = (xs, desc) => xs.every((x, i) => i === 0 || (desc ? xs[i - 1] >= x : xs[i - 1] <= x));

async function waitPosition(page, before) {
  await page.waitForFunction(([sel, b]) => document.querySelector(`${sel} .position`)?.textContent !== b,
                             [TASKS, before]);
  return position(page);
}

browserTest(async (page, t) => {
  // The list, an app, its job 0 (two stages, 110 tasks) by clicks.
  await page.goto(BASE);
  await page.locator("main table tbody a", { hasText: "local-1430917381534" }).first().click();
  await page.waitForSelector("main nav.tabs");
  await page.locator("main table tbody a[href$='/jobs/0']").click();
  await page.waitForSelector("main section.detail dl.summary");
  check(page.url().endsWith("#/apps/local-1430917381534/jobs/0"), "the job link opens the job's page");
  const jobSummary = await page.locator("main dl.summary").textContent();
  check(jobSummary.includes("SUCCEEDED") && jobSummary.includes("collect at"),
        "the job summary shows its status and description");
  const stageLinks = await page.locator("main table tbody a[href*='/stages/']").allTextContents();
  check(JSON.stringify([...stageLinks].sort()) === JSON.stringify(["0", "1"]), `the job lists its stages (${stageLinks})`);
  await page.screenshot({ path: path.join(SHOTS, "job.png"), fullPage: true });

  // Stage 0: 100 tasks, two pages of 50.
  await page.locator("main table tbody a[href$='/stages/0/0']").click();
  await page.waitForSelector(`${TASKS} tbody tr`);
  check(page.url().endsWith("#/apps/local-1430917381534/stages/0/0"), "the stage link opens the stage's page");
  const stageSummary = await page.locator("main dl.summary").textContent();
  check(stageSummary.includes("COMPLETE") && stageSummary.includes("100/100"), "the stage summary shows status and tasks");
  const quantiles = await page.locator("main table.quantiles tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  const q = Object.fromEntries(quantiles.map(([label, ...vs]) => [label, vs]));
  check(quantiles.every((r) => r.length === 6 && r.slice(1).every((v) => v !== "")),
        `every quantile row has five values (${quantiles.length} rows)`);
  check(JSON.stringify(q.Duration) === JSON.stringify(["21 ms", "33 ms", "40 ms", "74 ms", "435 ms"]),
        `the duration quantiles are the server's (${q.Duration})`);
  check(q["Scheduler Delay"] && q["Executor Run Time"] && q["GC Time"] && q["Input Size"] &&
        q["Shuffle Write Size"] && q["Spill (Memory)"], "the quantiles hold the main metrics");
  check(await page.locator(`${TASKS} tbody tr`).count() === 50, "the task table shows 50 tasks");
  let pos = await position(page);
  check(pos === "1–50 of 100", `the position says the first page (${pos})`);
  let ids = (await column(page, "Task ID")).map(Number);
  check(sorted(ids) && ids[0] === 0, "tasks come sorted by task id");
  await page.screenshot({ path: path.join(SHOTS, "stage.png"), fullPage: true });

  await page.locator(`${TASKS} button`, { hasText: "Next" }).click();
  pos = await waitPosition(page, pos);
  check(pos === "51–100 of 100", `Next moves to the second page (${pos})`);
  ids = (await column(page, "Task ID")).map(Number);
  check(ids.length === 50 && ids[0] === 50, "the second page holds tasks 50 to 99");
  check(await page.locator(`${TASKS} button`, { hasText: "Next" }).isDisabled(), "Next is off on the last page");
  // Keyboard: focus stays on the pager, Enter on Previous goes back.
  await page.locator(`${TASKS} button`, { hasText: "Previous" }).focus();
  await page.keyboard.press("Enter");
  pos = await waitPosition(page, pos);
  check(pos === "1–50 of 100", `Enter on Previous goes back (${pos})`);

  // Sorting by run time, server-side: click ascends, Enter on the header descends.
  await page.locator(`${TASKS} th`, { hasText: "Run Time" }).click();
  await page.waitForSelector(`${TASKS} th[data-col="Run Time"][aria-sort=ascending]`);
  const up = (await column(page, "Run Time")).map(ms);
  check(sorted(up) && up[0] === 14, `Run Time sorts ascending from the server (${up.slice(0, 3)})`);
  await page.locator(`${TASKS} th`, { hasText: "Run Time" }).focus();
  await page.keyboard.press("Enter");
  await page.waitForSelector(`${TASKS} th[data-col="Run Time"][aria-sort=descending]`);
  const down = (await column(page, "Run Time")).map(ms);
  check(sorted(down, true) && down[0] === 351, `Enter sorts it descending (${down.slice(0, 3)})`);
  check(JSON.stringify(up) !== JSON.stringify(down), "the order changed");
  await page.locator(`${TASKS} button`, { hasText: "Next" }).click();
  await page.waitForFunction((s) => document.querySelector(`${s} .position`)?.textContent.startsWith("51"), TASKS);
  const down2 = (await column(page, "Run Time")).map(ms);
  check(sorted(down2, true) && down2[0] <= down[down.length - 1], "the next page continues the sort");

  // A failed task's error: local-1422981780767 job 1, stage 2.
  await page.goto(BASE + "#/apps/local-1422981780767/jobs");
  await page.waitForSelector("main table tbody a[href$='/jobs/1']");
  await page.locator("main table tbody a[href$='/jobs/1']").click();
  await page.waitForSelector("main section.detail dl.summary");
  check((await page.locator("main dl.summary").textContent()).includes("FAILED"), "a failed job says so");
  await page.locator("main table tbody a[href$='/stages/2/0']").click();
  await page.waitForSelector(`${TASKS} tbody tr`);
  const errors = page.locator(`${TASKS} details.error-text`);
  check(await errors.count() === 1, "one task shows an error");
  const first = await errors.locator("summary").textContent();
  check(first === "java.lang.RuntimeException: got a 3, failing", `its first line is the summary (${first})`);
  check(!(await errors.locator("pre").isVisible()), "the stack trace starts folded");
  await errors.locator("summary").focus();
  await page.keyboard.press("Enter");
  check(await errors.locator("pre").isVisible() &&
        (await errors.locator("pre").textContent()).includes("at org.apache.spark.scheduler.Task.run"),
        "Enter unfolds the full stack trace");
  await page.screenshot({ path: path.join(SHOTS, "stage_failed_task.png"), fullPage: true });

  // A generated stage of BIG_TASKS (100,000) tasks: the page asks for one page at a time.
  if (process.env.BIG_APP) {
    const total = Number(process.env.BIG_TASKS);
    const asked = [];
    page.on("request", (r) => {
      const m = r.url().match(/\/taskList\?.*length=(\d+)/);
      if (m) asked.push(Number(m[1]));
      if (/\/tasks(\?|$)/.test(r.url()) && !r.url().includes("taskList")) asked.push(Infinity);
    });
    await page.goto(BASE + `#/apps/${process.env.BIG_APP}/stages/0/0`);
    // The page before was a stage page too: wait for this one's tasks, not that one's.
    await page.waitForFunction(([sel, n]) => document.querySelector(`${sel} .position`)?.textContent.endsWith(`of ${n}`),
                               [TASKS, total], { timeout: 120000 });
    pos = await position(page);
    check(pos === `1–50 of ${total}`, `the big stage's first page (${pos})`);
    check(await page.locator(`${TASKS} tbody tr`).count() === 50, "50 rows in the page, not all");
    await page.locator(`${TASKS} button`, { hasText: "Next" }).click();
    pos = await waitPosition(page, pos);
    check(pos === `51–100 of ${total}`, `Next: the second page (${pos})`);
    await page.locator(`${TASKS} button`, { hasText: "Last" }).click();
    pos = await waitPosition(page, pos);
    check(pos === `${total - 49}–${total} of ${total}`, `Last: the last page (${pos})`);
    check(await page.locator(`${TASKS} tbody tr`).count() === 50, "the last page holds 50 tasks");
    check(await page.locator(`${TASKS} button`, { hasText: "Next" }).isDisabled(), "and no next page");
    const ids = (await column(page, "Task ID")).map(Number);
    check(ids[ids.length - 1] === total - 1, `the last task is ${total - 1} (${ids[ids.length - 1]})`);
    await page.locator(`${TASKS} th[data-col="Run Time"]`).click();
    pos = await waitPosition(page, pos);
    const runs = (await column(page, "Run Time")).map(ms);
    check(pos === `1–50 of ${total}` && sorted(runs, false) && runs[0] === 10,
          `sorting by run time starts again at the first page, shortest first (${pos}, ${runs[0]})`);
    check(await page.locator(`${TASKS} button`, { hasText: "First" }).isDisabled(), "First is off there");
    check(asked.length >= 4 && asked.every((n) => n <= 51),
          `every request asked for one page of tasks at most (${asked.join(",")})`);
    await page.screenshot({ path: path.join(SHOTS, "stage_big.png"), fullPage: true });
  }
});
