// Times pages in headless chromium (Debian's, through playwright-core): for each URL, from the
// start of the navigation until `selector` is on the page (or, without one, until the network
// is idle). Prints one JSON line: [{url, ms}]. Used by bench/ui_stage_page.py.
//   PLAYWRIGHT_DIR=... CHROMIUM=... node bench/ui_stage_page.cjs '[{"url": ..., "selector": ...}]'
const path = require("path");
const { chromium } = require(path.join(process.env.PLAYWRIGHT_DIR, "node_modules", "playwright-core"));

(async () => {
  const pages = JSON.parse(process.argv[2]);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, headless: true,
                                          args: ["--no-sandbox"] });
  const out = [];
  for (const p of pages) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const start = Date.now();
    if (p.selector) {
      await page.goto(p.url, { timeout: 600000 });
      await page.waitForSelector(p.selector, { timeout: 600000 });
    } else {
      await page.goto(p.url, { timeout: 600000, waitUntil: "networkidle" });
    }
    out.push({ url: p.url, ms: Date.now() - start });
    if (p.screenshot) await page.screenshot({ path: p.screenshot, fullPage: true });
    await page.close();
  }
  await browser.close();
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
