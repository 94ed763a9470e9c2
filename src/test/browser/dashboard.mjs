// Drives the dashboard in Debian's chromium (used by DashboardBrowserTest):
//   node dashboard.mjs <baseUrl> <slowBatchId> <failedBatchId> <screenshotDir>
// It watches the slow batch's progress bar move without a reload, reads the nodes panel, cancels that batch with
// its button, retries the failed items of the other batch with its button, saves screenshots, and prints what it
// saw as JSON.
import { chromium } from 'playwright-core';

const [baseUrl, slowId, failedId, screenshotDir] = process.argv.slice(2);
const TIMEOUT = 60_000;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const seen = { progress: [], navigationsWhileWatching: 0, pageErrors: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(TIMEOUT);
  page.on('dialog', dialog => dialog.accept());
  page.on('pageerror', error => seen.pageErrors.push(error.message));
  page.on('console', message => message.type() === 'error' && seen.pageErrors.push(message.text()));

  await page.goto(baseUrl + '/');
  const row = `tr[data-batch-id="${slowId}"]`;
  const bar = `${row} [role=progressbar]`;
  await page.waitForSelector(bar);
  let navigations = 0;
  page.on('framenavigated', frame => frame === page.mainFrame() && navigations++);
  const valueNow = () => page.$eval(bar, b => Number(b.getAttribute('aria-valuenow')));
  seen.progress.push(await valueNow());
  for (let step = 0; step < 2; step++) {
    const last = seen.progress[seen.progress.length - 1];
    await page.waitForFunction(([selector, before]) => {
      const b = document.querySelector(selector);
      return b !== null && Number(b.getAttribute('aria-valuenow')) > before;
    }, [bar, last], { timeout: TIMEOUT });
    seen.progress.push(await valueNow());
  }
  seen.navigationsWhileWatching = navigations;
  seen.runningRowText = await page.textContent(row);
  await page.waitForSelector('table.nodes tr[data-node-id]');
  seen.nodesHeading = await page.$eval('table.nodes', t => t.closest('section').querySelector('h2').textContent);
  seen.nodes = await page.$$eval('table.nodes tr[data-node-id]', rows => rows.map(r => ({
    id: r.querySelector('strong').textContent,
    marker: r.querySelector('.status.self')?.textContent ?? '',
    address: r.querySelector('td .muted').textContent,
    inFlight: r.querySelector('td.num').textContent,
  })));
  await page.screenshot({ path: screenshotDir + '/dashboard.png', fullPage: true });

  await page.click(`${row} a.id`);
  await page.waitForSelector('#cancel:not([disabled])');
  await page.click('#cancel');
  await page.waitForSelector('.title [data-status="cancelled"]');
  seen.cancelledStatus = await page.textContent('.title [data-status]');

  await page.evaluate(id => { location.hash = '#/batches/' + encodeURIComponent(id); }, failedId);
  await page.waitForSelector('table.failed tr[data-item-id]');
  seen.failedItems = await page.$$eval('table.failed tr[data-item-id]', rows => rows.map(r => ({
    id: r.getAttribute('data-item-id'),
    error: r.querySelector('td.error').textContent,
  })));
  await page.screenshot({ path: screenshotDir + '/dashboard-batch.png', fullPage: true });
  await page.click('#retry:not([disabled])');
  await page.waitForFunction(old => location.hash.startsWith('#/batches/') && !location.hash.endsWith(encodeURIComponent(old)), failedId);
  seen.retryId = decodeURIComponent(page.url().split('#/batches/')[1]);
  await page.waitForSelector('.title [data-status="completed"]');
  seen.retryRetryOf = await page.textContent('.fact a[href^="#/batches/"]');
} catch (error) {
  console.error('seen so far: ' + JSON.stringify(seen));
  throw error;
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
