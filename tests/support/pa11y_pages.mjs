// Runs pa11y (HTML_CodeSniffer, WCAG 2 AA) over the URLs given on the command line in one
// Debian Chromium, and prints {url: [issues]} as JSON. No browser is downloaded: pa11y's
// puppeteer is told to launch /usr/bin/chromium (or $CHROMIUM).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const pa11y = require("pa11y");
const puppeteer = require("puppeteer");

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"],
});
const results = {};
try {
  for (const url of process.argv.slice(2)) {
    const page = await browser.newPage();
    const found = await pa11y(url, { browser, page, standard: "WCAG2AA", includeWarnings: true, timeout: 60000 });
    results[url] = found.issues.map((i) => ({ type: i.type, code: i.code, message: i.message, selector: i.selector }));
    await page.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
