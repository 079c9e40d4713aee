import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { parse } from 'csv-parse/sync';

import { loadEngagement } from '../../src/engagement/load.js';
import { writeDeliverables } from '../../src/deliverables/index.js';
import { CSV_COLUMNS, csvCell } from '../../src/deliverables/render-csv.js';
import { repoRoot } from '../helpers/shared.js';
import { tenantA } from './fixtures.js';
import { tempFolder } from '../helpers/temp.js';

const thinPath = join(repoRoot, 'examples', 'engagements', 'thin.yaml');

/** Tenant A with an admin whose display name is markup and a spreadsheet formula. */
function hostileTenant() {
  const report = tenantA();
  const mfa = report.results.find((result) => result.checkId === 'admins-have-phishing-resistant-methods')!;
  mfa.findings[0]!.objects[0]!.displayName = '<img src=x onerror=alert(1)>';
  mfa.findings[1]!.objects[0]!.displayName = '=HYPERLINK("http://attacker.example","x")';
  mfa.findings[2]!.objects[0]!.displayName = 'Zoë Ångström 山田';
  return report;
}

async function writeAll(report = tenantA()) {
  const dir = join(tempFolder('tokengap-deliverables-'), 'out');
  const written = await writeDeliverables(report, await loadEngagement(thinPath), dir);
  return { dir, written };
}

test('writes five owner-only files', async () => {
  const { dir, written } = await writeAll();
  assert.deepEqual(written.map((path) => path.slice(dir.length + 1)), ['deliverables.html', 'deliverables.md', 'deliverables.pdf', 'work-items.csv', 'client-message.txt']);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  for (const path of written) assert.equal(statSync(path).mode & 0o777, 0o600, path);
  assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.tmp')), []);
});

test('HTML is self-contained and escaped', async () => {
  const { dir } = await writeAll(hostileTenant());
  const html = readFileSync(join(dir, 'deliverables.html'), 'utf8');
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<img/i);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.doesNotMatch(html, /(src|href)=["']?https?:/i);
  for (const section of ['client-message', 'scope', 'roadmap', 'licenses', 'qbr', 'accepted-risks']) assert.match(html, new RegExp(`<section id="${section}"`));
  assert.match(html, /USD 1,276\.25 to USD 2,377\.50/);
});

test('Markdown has the quote totals', async () => {
  const { dir } = await writeAll();
  const markdown = readFileSync(join(dir, 'deliverables.md'), 'utf8');
  assert.match(markdown, /^## Scope boundaries$/m);
  assert.match(markdown, /\| \*\*Total\*\* \| \*\*9\.5 to 18 h\*\* \| \*\*USD 1,276\.25 to USD 2,377\.50\*\* \| \*\*USD 0\*\* \|/);
});

test('CSV rows match the roadmap', async () => {
  const { dir } = await writeAll(hostileTenant());
  const text = readFileSync(join(dir, 'work-items.csv'), 'utf8');
  assert.match(text, /\r\n$/);
  const rows = parse(text, { columns: true }) as Record<string, string>[];
  assert.deepEqual(Object.keys(rows[0]!), [...CSV_COLUMNS]);
  assert.deepEqual(
    rows.map((row) => [row['Work Item'], row['Project'], row['Budget Hours'], row['Hourly Rate'], row['Client Pays Low'], row['Client Pays High'], row['Billing']]),
    [
      ['Register phishing-resistant methods for admins', 'Admin phishing-resistant MFA rollout', '6.5', '110', '357.5', '715', 'Billable'],
      ['Block device code flow and authentication transfer', 'Conditional Access redesign', '3.5', '175', '306.25', '612.5', 'Billable'],
      ['Block legacy authentication', 'Conditional Access redesign', '3', '175', '262.5', '525', 'Billable'],
      ['Investigate device-code sign-ins', 'Monthly sign-in review service', '2', '175', '0', '0', 'Emergency allowance'],
      ['Prepare and test the session-revocation runbook', 'Identity readiness assessment', '3', '175', '350', '525', 'Billable'],
    ],
  );
  assert.match(rows[0]!['Objects']!, /^<img src=x onerror=alert\(1\)> \(u-alex\); =HYPERLINK/);
});

const csvCases: [string | number, string][] = [
  ['plain', 'plain'],
  ['a,b', '"a,b"'],
  ['say "hi"', '"say ""hi"""'],
  ['=1+2', "'=1+2"],
  ['@SUM(A1)', "'@SUM(A1)"],
  ['-2+3', "'-2+3"],
  [-2, '-2'],
  ['line\nbreak', '"line\nbreak"'],
];
for (const [input, expected] of csvCases) {
  test(`csvCell quotes ${JSON.stringify(input)}`, () => {
    assert.equal(csvCell(input), expected);
  });
}

const hasPoppler = spawnSync('pdftoppm', ['-v'], { encoding: 'utf8' }).error === undefined;
const popplerSkip = hasPoppler ? false : 'pdftoppm (poppler-utils) is not installed; install it to render the PDF pages';

test('PDF opens and its pages render', { skip: popplerSkip }, async () => {
  const { dir } = await writeAll(hostileTenant());
  const pdfPath = join(dir, 'deliverables.pdf');
  assert.equal(readFileSync(pdfPath).subarray(0, 5).toString('latin1'), '%PDF-');

  const info = spawnSync('pdfinfo', [pdfPath], { encoding: 'utf8' });
  assert.equal(info.status, 0, info.stderr);
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info.stdout)?.[1]);
  // A title page and one page or more per section (message, scope, roadmap, licenses, QBR, register).
  assert.ok(pages >= 7, `expected at least 7 pages, got ${pages}`);

  const prefix = join(dir, 'page');
  const render = spawnSync('pdftoppm', ['-png', '-r', '40', pdfPath, prefix], { encoding: 'utf8' });
  assert.equal(render.status, 0, render.stderr);
  const images = readdirSync(dir).filter((name) => name.startsWith('page') && name.endsWith('.png'));
  assert.equal(images.length, pages);
  for (const image of images) assert.ok(statSync(join(dir, image)).size > 1000, `${image} looks empty`);

  const text = spawnSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  if (text.status === 0) {
    // Latin-1 prints as written; other scripts print as "?" with the standard fonts.
    assert.match(text.stdout, /Zoë Ångström \?\?/);
    assert.match(text.stdout, /Scope boundaries/);
  }
});

test('output path that is a file rejected', async () => {
  const dir = tempFolder('tokengap-deliverables-');
  const file = join(dir, 'taken');
  writeFileSync(file, 'x');
  await assert.rejects(writeDeliverables(tenantA(), await loadEngagement(thinPath), file), /is a file, not a folder/);
});

test('client message text names the gaps', async () => {
  const { dir } = await writeAll();
  const text = readFileSync(join(dir, 'client-message.txt'), 'utf8');
  assert.match(text, /^Subject: Contoso Dental Group: Microsoft 365 sign-in security review, 2026-09-15\n/);
  // Regression: the count is labelled and explained against the report's count of checks.
  assert.match(text, /\nWhat needs attention \(5 gaps\):\nOur report finds that \d+ of the \d+ checks need attention[^\n]*\n- Alex Wilber signs in/);
  assert.doesNotMatch(text, /[<>|*]/);
});
