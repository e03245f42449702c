// The web UI in a real browser (Debian's chromium, headless, driven by playwright-core) against
// a history server over the conformance logs: the application list (XSS probe shown, never
// run; search, status filter, sorting by mouse and keyboard, paging), then an application's
// jobs, stages and executors. Screenshots go to SCREENSHOTS. Any failed check, page error,
// console error (a Content-Security-Policy violation is one) or dialog fails the run.
//   PLAYWRIGHT_DIR=... CHROMIUM=... BASE_URL=http://127.0.0.1:PORT/ SCREENSHOTS=DIR \
//     node tests/browser/history_ui.cjs
const path = require("path");
const { browserTest, check } = require("./harness.cjs");

const BASE = process.env.BASE_URL;
const SHOTS = process.env.SCREENSHOTS;

async function rowsOf(page) {
  return page.locator("main table tbody tr").count();
}

async function cellTexts(page, column) {
  return page.locator(`main table tbody tr td:nth-child(${column})`).allTextContents();
}

browserTest(async (page, t) => {
  // The application list.
  await page.goto(BASE);
  await page.waitForSelector("main table tbody tr");
  const total = await rowsOf(page);
  check(total >= 15, `the list shows the conformance apps (${total} rows)`);
  const names = await cellTexts(page, 2);
  check(names.includes("<script>alert('XSS')</script>"), "the XSS probe is shown as text");
  const injected = await page.evaluate(() => document.querySelectorAll("main script").length);
  check(injected === 0, "no script element made it into the page");
  await page.screenshot({ path: path.join(SHOTS, "applications.png"), fullPage: true });

  await page.fill("input[type=search]", "XSS");
  check(await rowsOf(page) === 1, "search narrows the list to one app");
  await page.fill("input[type=search]", "");
  const STATUS = "select[aria-label=Status]";
  await page.selectOption(STATUS, "running");
  const running = await rowsOf(page);
  await page.selectOption(STATUS, "completed");
  const completed = await rowsOf(page);
  check(running + completed === total && running === 1,
        `status filter splits ${total} into ${running} running and ${completed} completed`);
  await page.selectOption(STATUS, "");
  // The user filter: each user's rows, all of them, and only theirs.
  const USER = "select[aria-label=User]";
  const users = (await page.locator(`${USER} option`).allTextContents()).slice(1);
  const userCol = await page.evaluate(() =>
    [...document.querySelectorAll("main thead th")].findIndex((th) => th.textContent.startsWith("Spark User")) + 1);
  let byUser = 0;
  for (const u of users) {
    await page.selectOption(USER, u);
    const cells = await cellTexts(page, userCol);
    check(cells.length > 0 && cells.every((c) => c === u), `the user filter shows only ${u}'s runs`);
    byUser += await rowsOf(page);
  }
  check(users.length >= 2 && byUser <= total, `${users.length} users; their runs add up (${byUser} of ${total})`);
  await page.selectOption(USER, "");

  // Sorting: a click on App ID, then Enter on the focused header reverses it.
  const idHeader = page.locator("main th", { hasText: "App ID" });
  await idHeader.click();
  let ids = await cellTexts(page, 1);
  check(JSON.stringify(ids) === JSON.stringify([...ids].sort()), "App ID sorts ascending");
  await page.locator("main th", { hasText: "App ID" }).focus();
  await page.keyboard.press("Enter");
  ids = await cellTexts(page, 1);
  check(JSON.stringify(ids) === JSON.stringify([...ids].sort().reverse()),
        "Enter on the focused header sorts descending");

  // An application: jobs, stages, executors.
  await page.locator("main table tbody a", { hasText: "local-1430917381534" }).first().click();
  await page.waitForSelector("main nav.tabs");
  await page.waitForSelector("main table tbody tr");
  check((await page.locator("main h1").textContent()).length > 0, "the app page has a title");
  const jobs = await rowsOf(page);
  check(jobs > 0, `jobs are listed (${jobs})`);
  check((await cellTexts(page, 7)).every((s) => ["SUCCEEDED", "FAILED", "RUNNING", "UNKNOWN"].includes(s)),
        "every job has a status");
  await page.screenshot({ path: path.join(SHOTS, "jobs.png"), fullPage: true });
  for (const tab of ["Stages", "Executors"]) {
    await page.locator("main nav.tabs a", { hasText: tab }).click();
    await page.waitForFunction((t) => document.querySelector("nav.tabs a[aria-current=page]")?.textContent === t, tab);
    await page.waitForSelector("main table tbody tr");
    const n = await rowsOf(page);
    check(n > 0, `${tab.toLowerCase()} are listed (${n})`);
    await page.screenshot({ path: path.join(SHOTS, `${tab.toLowerCase()}.png`), fullPage: true });
  }
  check(page.url().includes("#/apps/local-1430917381534/executors"), "the address names the page");

  // A missing app says so.
  t.expectStatus = [404];
  await page.goto(BASE + "#/apps/no-such-app/jobs");
  await page.waitForSelector("main p.error");
  check((await page.locator("main h1").textContent()).includes("Cannot show"), "a missing app is an error page");
});
