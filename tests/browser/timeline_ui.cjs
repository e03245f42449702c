// An application's Timeline tab in a real browser (Debian's chromium, headless, driven by
// playwright-core) against a history server over the conformance logs: one bar per job, per
// stage that ran (the skipped ones said so) and per executor of the REST answers, a time axis
// with labels, tooltips naming the bars, Enter on a focused job bar opening the job page; the
// charts draw one element per plotted value (a box per stage's task duration quantiles, a
// point per stage's peak heap/off-heap memory and CPU share, a bar per executor's GC share).
// Two apps: local-1642039451826 (6 jobs, 12 stages, 6 skipped) and
// application_1628109047826_1317105 (11 executors, 6 removed). Screenshots go to SCREENSHOTS
// (timeline_*.png). Any failed check, page error, console error or dialog fails the run.
//   PLAYWRIGHT_DIR=... CHROMIUM=... BASE_URL=http://127.0.0.1:PORT/ SCREENSHOTS=DIR \
//     node tests/browser/timeline_ui.cjs
const path = require("path");
const { browserTest, check } = require("./harness.cjs");

const BASE = process.env.BASE_URL;
const SHOTS = process.env.SCREENSHOTS;
const APPS = ["local-1642039451826", "application_1628109047826_1317105"];

async function apiJson(page, app, p) {
  return page.evaluate(async (url) => (await fetch(url)).json(), `api/v1/applications/${app}/${p}`);
}

async function checkApp(page, app, shot) {
  await page.goto(`${BASE}#/apps/${app}/jobs`);
  // The hash changes without a reload: wait for this app's tabs, then its timeline.
  await page.waitForSelector(`main nav.tabs a[href="#/apps/${app}/timeline"]`);
  await page.locator("main nav.tabs a", { hasText: /^Timeline$/ }).click();
  await page.waitForSelector(`main .timeline-page[data-app="${app}"] svg.timeline`);
  check(page.url().endsWith(`#/apps/${app}/timeline`), `${app}: the Timeline tab's address`);
  const [jobs, stages, execs] = await Promise.all(["jobs", "stages", "allexecutors"].map((p) => apiJson(page, app, p)));
  const count = (sel) => page.locator(sel).count();
  const jobBars = await count("svg.timeline .tl-jobs a.tl-bar");
  check(jobBars === jobs.length, `${app}: one bar per job (${jobBars} of ${jobs.length})`);
  const ran = stages.filter((s) => s.submissionTime);
  const stageBars = await count("svg.timeline .tl-stages a.tl-bar");
  check(stageBars === ran.length, `${app}: one bar per stage that ran (${stageBars} of ${ran.length})`);
  if (ran.length < stages.length) {
    const note = await page.locator("main .tl-not-drawn").textContent();
    check(note.startsWith(`${stages.length - ran.length} stages never ran`), `${app}: the skipped stages are named: ${note}`);
  }
  const execBars = await count("svg.timeline .tl-executors a.tl-bar");
  check(execBars === execs.length, `${app}: one bar per executor (${execBars} of ${execs.length})`);
  const removed = execs.filter((e) => e.removeTime).length;
  check(await count("svg.timeline a.tl-exec-removed") === removed, `${app}: removed executors marked (${removed})`);
  // Bars do not overlap within a lane: stacked.
  const overlaps = await page.evaluate(() => {
    let bad = 0;
    for (const g of document.querySelectorAll("svg.timeline .tl-lanes")) {
      const r = [...g.querySelectorAll("rect")].map((e) => e.getBBox());
      for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++) {
        if (r[i].y === r[j].y && r[i].x < r[j].x + r[j].width && r[j].x < r[i].x + r[i].width) bad++;
      }
    }
    return bad;
  });
  check(overlaps === 0, `${app}: no two bars of a lane overlap (${overlaps})`);
  const ticks = await page.locator("svg.timeline text.tl-tick").allTextContents();
  check(ticks.length >= 3 && ticks.every((t) => /^\d\d:\d\d:\d\d/.test(t)), `${app}: the axis has clock labels (${ticks.slice(0, 3).join(", ")}...)`);
  return { jobs, stages, execs };
}

browserTest(async (page, t) => {
  // The executors app: removed executors, their reason in the tooltip.
  const ex = await checkApp(page, APPS[1], "timeline_executors");
  const gone = ex.execs.find((e) => e.removeReason);
  const tip = await page.evaluate((id) => [...document.querySelectorAll("svg.timeline a.tl-exec-removed title")]
    .map((t) => t.textContent).find((t) => t.startsWith(`executor ${id} `) || t.startsWith(`executor ${id}\n`)) ?? "", gone.id);
  check(tip.startsWith(`executor ${gone.id}`) && tip.includes(gone.removeReason),
        `a removed executor's tooltip names it and its reason (${tip.split("\n")[0]})`);
  const gcBars = await page.locator("svg.share-chart g.share-bar").count();
  check(gcBars === ex.execs.filter((e) => e.totalDuration > 0).length, `one GC share bar per executor that ran tasks (${gcBars})`);
  await page.screenshot({ path: path.join(SHOTS, "timeline_executors.png"), fullPage: true });

  // The jobs app: many jobs and stages, charts.
  const app = APPS[0];
  const { jobs, stages } = await checkApp(page, app, "timeline_jobs");
  const job = jobs[jobs.length - 1];
  const jobBar = page.locator(`svg.timeline .tl-jobs a.tl-bar[href="#/apps/${app}/jobs/${job.jobId}"]`);
  const jobTip = await jobBar.locator("title").textContent();
  check(jobTip.startsWith(`Job ${job.jobId}: ${job.name}`), `a job bar's tooltip names it (${jobTip.split("\n")[0]})`);
  const st = stages.find((s) => s.submissionTime);
  const stageTip = await page.locator(`svg.timeline a[href="#/apps/${app}/stages/${st.stageId}/${st.attemptId}"] title`).textContent();
  check(stageTip.startsWith(`Stage ${st.stageId}: ${st.name}`), `a stage bar's tooltip names it (${stageTip.split("\n")[0]})`);

  // Charts: a box per plotted stage, a point per stage with memory metrics / run time.
  const ranStages = stages.filter((s) => s.status !== "SKIPPED" && s.numCompleteTasks + s.numFailedTasks > 0);
  const boxes = await page.locator("svg.box-chart a.box").count();
  check(boxes === Math.min(8, ranStages.length) && boxes > 0, `one box per stage with most tasks (${boxes})`);
  const boxTip = await page.locator("svg.box-chart a.box title").first().textContent();
  const big = [...ranStages].sort((a, b) => b.numTasks - a.numTasks || a.stageId - b.stageId)[0];
  check(boxTip.startsWith(`Stage ${big.stageId}: ${big.numTasks} tasks`) && boxTip.includes("median"),
        `the first box is the stage with most tasks, its quantiles in the tooltip (${boxTip.replace("\n", " / ")})`);
  const done = stages.filter((s) => s.completionTime);
  const heap = done.filter((s) => s.peakExecutorMetrics?.JVMHeapMemory > 0).length;
  const offheap = done.filter((s) => s.peakExecutorMetrics?.JVMOffHeapMemory > 0).length;
  const heapPts = await page.locator("svg.point-chart circle.mem-heap").count();
  const offPts = await page.locator("svg.point-chart circle.mem-offheap").count();
  check(heapPts === heap && offPts === offheap && heap > 0, `one memory point per stage and series (${heapPts} heap, ${offPts} off-heap)`);
  const cpuPts = await page.locator("svg.point-chart circle.cpu-share").count();
  check(cpuPts === done.filter((s) => s.executorRunTime > 0).length && cpuPts > 0, `one CPU share point per stage (${cpuPts})`);
  const memTicks = await page.locator("svg.point-chart").first().locator("text.tl-tick").allTextContents();
  check(memTicks.some((t) => /[KMG]iB$/.test(t)), `the memory axis is in bytes (${memTicks.filter((t) => /B$/.test(t)).join(", ")})`);
  await page.screenshot({ path: path.join(SHOTS, "timeline_jobs.png"), fullPage: true });

  // Keyboard: Tab from the tab bar reaches a bar; Enter on a focused job bar opens its job.
  await page.locator("main nav.tabs a", { hasText: /^Timeline$/ }).focus();
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.classList.contains("tl-bar"));
  }
  check(reached, "Tab reaches a timeline bar");
  await jobBar.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction((h) => location.hash === h, `#/apps/${app}/jobs/${job.jobId}`);
  await page.waitForSelector("main h1");
  check(page.url().endsWith(`#/apps/${app}/jobs/${job.jobId}`), `Enter on job ${job.jobId}'s bar opens its page`);
  await page.screenshot({ path: path.join(SHOTS, "timeline_job_opened.png"), fullPage: true });
});
