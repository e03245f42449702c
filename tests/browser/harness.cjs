// What every browser test shares: Debian's chromium (CHROMIUM) driven headless through
// playwright-core (PLAYWRIGHT_DIR, from scripts/browser/install.sh), one page, and the rules
// that fail a run whatever it checks: any dialog (an injected alert would open one), page
// error or console error (a Content-Security-Policy violation is one). A request answered
// 400 or more is printed, to name the request behind a console error.
//   const { browserTest, check } = require("./harness.cjs");
//   browserTest(async (page, t) => { ...; check(ok, "what"); });
// t.expectStatus = [404] lets the browser's own "status of 404" console errors through (a page
// that is about a missing thing, or a server that cannot give something and says so). Exit status: 0 all good, 1 a check or rule failed, 2 a crash.
const path = require("path");
const { chromium } = require(path.join(process.env.PLAYWRIGHT_DIR, "node_modules", "playwright-core"));

const problems = [];

function check(ok, what) {
  if (!ok) problems.push(what);
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
}

function browserTest(body) {
  const t = { expectStatus: [] };
  (async () => {
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, headless: true,
                                            args: ["--no-sandbox"] });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on("dialog", async (d) => {
      problems.push(`a dialog opened: ${d.message()}`);
      await d.dismiss();
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("response", (r) => {
      if (r.status() >= 400) console.log(`HTTP ${r.status()} ${r.url()}`);
    });
    page.on("console", (m) => {
      if (m.type() !== "error") return;
      if (t.expectStatus.some((code) => m.text().includes(`status of ${code}`))) return;
      problems.push(`console error: ${m.text()} ${m.location().url}`);
    });
    await body(page, t);
    await browser.close();
    if (problems.length) {
      console.error(`${problems.length} problems:\n- ${problems.join("\n- ")}`);
      process.exit(1);
    }
  })().catch((e) => {
    console.error(e);
    process.exit(2);
  });
}

module.exports = { browserTest, check };
