import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';

import { chromium } from 'playwright-core';

import { assessSnapshot } from '../../src/assess.js';
import { DEMO_ENGAGEMENT_FILE, DEMO_SNAPSHOT_DIR } from '../../src/cli/assess.js';
import { writeReportFiles } from '../../src/report/write.js';

const CHROMIUM = process.env.TOKENGAP_CHROMIUM ?? '/usr/bin/chromium';
const chromiumSkip: string | false = existsSync(CHROMIUM)
  ? false
  : `Chromium not found at ${CHROMIUM}; install the Debian package chromium (or set TOKENGAP_CHROMIUM) to run the browser test`;

const work = mkdtempSync(join(tmpdir(), 'tokengap-browser-'));
after(() => {
  // Keep the screenshot when asked, so a person can look at it.
  if (!process.env.TOKENGAP_KEEP_SCREENSHOT) rmSync(work, { recursive: true, force: true });
});

test('demo report renders offline in Chromium', { skip: chromiumSkip, timeout: 120_000 }, async () => {
  const report = await assessSnapshot({
    snapshotDir: DEMO_SNAPSHOT_DIR,
    engagementPath: DEMO_ENGAGEMENT_FILE,
    now: new Date('2026-11-20T09:00:00Z'),
  });
  const [htmlPath] = await writeReportFiles(report, join(work, 'report'), ['html']);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    // launch() starts Chromium with a new, empty temporary profile and deletes it on close.
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });

    const fileUrl = pathToFileURL(htmlPath!).href;
    await page.goto(fileUrl, { waitUntil: 'load' });

    assert.equal(await page.title(), 'tokengap assessment: Harbor Point Accounting');
    assert.equal(await page.locator('#summary svg.chart').count(), 2);
    const bars = await page.locator('#summary svg.chart').first().locator('rect').count();
    assert.ok(bars > 5, `expected bars and legend squares in the area chart, got ${bars}`);
    const chartBox = await page.locator('#summary svg.chart').first().boundingBox();
    assert.ok(chartBox, 'the area chart has a layout box');
    assert.ok(chartBox.width > 300, `chart width ${chartBox.width}`);
    assert.ok(chartBox.height > 50, `chart height ${chartBox.height}`);

    const rows = await page.locator('table.assessment tbody tr').count();
    assert.equal(rows, report.results.length);
    assert.ok(rows > 0, 'the demo report has assessment rows');
    assert.ok(await page.locator('table.assessment').isVisible());
    const headers = await page.locator('table.assessment thead th').allTextContents();
    assert.deepEqual(headers, ['Control area', 'What we checked', 'What we found', 'What to tell the client']);

    // The only request is the file itself: nothing else is fetched.
    assert.deepEqual(requests, [fileUrl]);
    assert.deepEqual(consoleErrors, []);

    const screenshot = join(work, 'demo-report.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    assert.ok(statSync(screenshot).size > 10_000, 'screenshot has content');

    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.byteLength > 10_000, 'the report prints to PDF');
    if (process.env.TOKENGAP_KEEP_SCREENSHOT) process.stdout.write(`screenshot: ${screenshot}\n`);
  } finally {
    await browser.close();
  }
});
