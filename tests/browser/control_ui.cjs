// The control plane's pages in a real browser (Debian's chromium through playwright-core)
// against `sparkplane up` running a real Spark application (tests/integration/apps/slow.py,
// named APP_NAME): the list shows it running, its page shows its state history and follows
// its driver's stdout live (the last line arrives without a reload), then links to its history.
//   PLAYWRIGHT_DIR=... CHROMIUM=... BASE_URL=... APP_NAME=... SCREENSHOTS=DIR node control_ui.cjs
const path = require("path");
const { browserTest, check } = require("./harness.cjs");

const BASE = process.env.BASE_URL;
const NAME = process.env.APP_NAME;
const SHOTS = process.env.SCREENSHOTS;

browserTest(async (page, t) => {
  // The history list answers 2 s late, so the click below lands while it is still loading:
  // that slower page must not replace the one asked for after it when it arrives.
  await page.route(/\/api\/v1\/applications(\?.*)?$/, async (route) => {
    await new Promise((done) => setTimeout(done, 2000));
    await route.continue();
  });
  await page.goto(BASE);
  await page.locator("nav#sections a", { hasText: "Control plane" }).click();
  await page.waitForSelector("main table tbody tr");
  await page.waitForTimeout(2500);
  await page.unroute(/\/api\/v1\/applications(\?.*)?$/);
  check(await page.locator("main h1").first().textContent() === "Spark applications",
        "the control plane page stays (a slower earlier page does not replace it)");
  const row = page.locator("main table tbody tr", { hasText: NAME });
  check(await row.count() === 1, "the list shows the application");
  check((await row.textContent()).includes("RUNNING"), "it is running");
  await page.screenshot({ path: path.join(SHOTS, "control.png"), fullPage: true });

  await row.locator("a", { hasText: NAME }).click();
  await page.waitForSelector("main pre.log");
  const history = await page.locator("main table").first().textContent();
  check(history.includes("SparkApplicationSubmitted"), "the state history lists the submission");
  // The driver's stdout, followed: its first line, then its last one, without a reload.
  await page.waitForFunction(() => document.querySelector("pre.log")?.textContent.includes("sum 45"),
                             null, { timeout: 120000 });
  check(true, "the driver's first line is shown");
  await page.waitForFunction(() => document.querySelector("pre.log")?.textContent.includes("slow app done"),
                             null, { timeout: 120000 });
  check(true, "its last line arrives while the page is open");
  await page.waitForFunction(() => document.querySelector("main .controls span")?.textContent === "the driver has ended",
                             null, { timeout: 60000 });
  check(true, "the page says when the driver has ended");
  await page.screenshot({ path: path.join(SHOTS, "control_app.png"), fullPage: true });

  // Once completed, the open page says so (no reload) and links to its history.
  await page.waitForFunction(() => {
    const dl = document.querySelector("main dl.fields");
    return dl && dl.textContent.includes("COMPLETED") && dl.querySelectorAll("a").length === 1;
  }, null, { timeout: 90000 });
  check(true, "the open page turns COMPLETED and links to its history");
  check((await page.locator("main table").first().textContent()).includes("SparkApplicationCompleted"),
        "its state history gains the completion");
  await page.locator("main dl.fields a").click();
  await page.waitForSelector("main nav.tabs");
  await page.waitForSelector("main table tbody tr");
  check(await page.locator("main table tbody tr").count() > 0, "its history lists its jobs");
});
