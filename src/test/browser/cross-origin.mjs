// A hostile page in Debian's chromium (used by CrossOriginBrowserTest):
//   node cross-origin.mjs <hostilePageUrl>
// The page, served from another site, tries every way a browser lets a page send a request to batchgate;
// this script waits until it is done and prints what each attempt saw as JSON.
import { chromium } from 'playwright-core';

const [pageUrl] = process.argv.slice(2);
const host = new URL(pageUrl).hostname;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    // the hostile site's name leads to this machine, as a public site's page reaches the user's own batchgate
    `--host-resolver-rules=MAP ${host} 127.0.0.1`],
});
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(60_000);
  await page.goto(pageUrl);
  await page.waitForFunction(() => window.attemptsDone === true);
  console.log(JSON.stringify(await page.evaluate(() => window.attempts)));
} finally {
  await browser.close();
}
