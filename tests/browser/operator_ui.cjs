// The operator's read-only web UI (`sparkplane operator --ui-listen`) in a real browser, against
// the test cluster: the control plane is the home page (no history section: the history server
// has it), the running application APP_NAME is listed, its page shows its Kubernetes Events as
// state history and its driver log, or the API server's reason for having none, and links its
// Spark application id to the history server at HISTORY_URL.
//   PLAYWRIGHT_DIR=... CHROMIUM=... BASE_URL=... APP_NAME=... SPARK_ID=... HISTORY_URL=... SCREENSHOTS=DIR
//   node operator_ui.cjs
const path = require("path");
const { browserTest, check } = require("./harness.cjs");

const BASE = process.env.BASE_URL;
const NAME = process.env.APP_NAME;
const HISTORY = process.env.HISTORY_URL;
const SPARK_ID = process.env.SPARK_ID;
const SHOTS = process.env.SCREENSHOTS;

browserTest(async (page, t) => {
  t.expectStatus = [503];  // kwok runs no container: the API server has no log to give
  await page.goto(BASE);
  await page.waitForSelector("main table tbody tr");
  const sections = await page.locator("nav#sections a").allTextContents();
  check(sections.join(",") === "Control plane", `only the control plane section (${sections})`);
  check(await page.locator("main h1").first().textContent() === "Spark applications",
        "the home page lists the applications");
  const row = page.locator("main table tbody tr", { hasText: NAME });
  check(await row.count() === 1, "the list shows the application");
  check((await row.textContent()).includes("RUNNING"), "it is running");
  const history = row.locator("a", { hasText: SPARK_ID });
  check(await history.getAttribute("href") === `${HISTORY}/#/apps/${SPARK_ID}/jobs`,
        "its Spark application id links to the history server");
  await page.screenshot({ path: path.join(SHOTS, "operator.png"), fullPage: true });

  await row.locator("a", { hasText: NAME }).click();
  await page.waitForSelector("main pre.log");
  check((await page.locator("main table").first().textContent()).includes("SparkApplicationSubmitted"),
        "the state history lists the operator's Submitted event");
  await page.waitForFunction(() => {
    const s = document.querySelector("main .controls span")?.textContent ?? "";
    return s !== "" || document.querySelector("pre.log")?.textContent !== "";
  }, null, { timeout: 30000 });
  const said = await page.locator("main .controls span").textContent();
  const log = await page.locator("main pre.log").textContent();
  check(log !== "" || said.includes("could not give the driver's log"),
        `the driver log, or why there is none (${said})`);
  await page.screenshot({ path: path.join(SHOTS, "operator_app.png"), fullPage: true });
});
