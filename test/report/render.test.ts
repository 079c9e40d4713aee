import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { CheckResult } from '../../src/checks/types.js';
import { escapeHtml, escapeMarkdown, markdownCode } from '../../src/report/escape.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { ReportSection } from '../../src/report/schema.js';
import { countFindingsAtOrAbove } from '../../src/report/summary.js';
import { assessmentRows } from '../../src/report/view.js';
import { failingResult, metadataFor, reportOf } from './report-fixture.js';

const passing: CheckResult = {
  checkId: 'global-admin-count-is-small',
  area: 'privileged-access',
  title: 'Between two and four Global Administrators',
  severity: 'medium',
  state: 'pass',
  summary: 'The tenant has 3 Global Administrators.',
  findings: [],
};

const skipped: CheckResult = {
  checkId: 'risky-users-are-remediated',
  area: 'licensing',
  title: 'Risky users are remediated',
  severity: 'high',
  state: 'skipped',
  skip: {
    reason: 'license-missing',
    detail: 'riskyUsers: unlicensed (Microsoft Entra ID P2)',
    fix: 'Buy Entra ID P2 or accept the gap.',
  },
  summary: 'riskyUsers: unlicensed (Microsoft Entra ID P2)',
  findings: [],
};

test('html header names tenant, date and tool version', () => {
  const html = renderHtml(reportOf([failingResult()]));
  assert.match(html, /Fixture Tenant/);
  assert.match(html, /11111111-2222-4333-8444-555555555555/);
  // Regression: the header shows a readable time; report.json keeps ISO 8601.
  assert.match(html, /20 November 2026, 09:00 UTC/);
  assert.doesNotMatch(html, /<dd>2026-11-20T09:00:00\.000Z<\/dd>/);
  assert.match(html, /tokengap 9\.9\.9-test/);
});

test('html sections follow the documented order', () => {
  const section: ReportSection = { title: 'Coverage gaps', summary: ['One gap.'], tables: [] };
  const report = reportOf([failingResult(), skipped], {
    sections: { coverage: section },
    snapshot: { ...reportOf([]).snapshot, warnings: [{ file: 'users.json', message: 'read one object as a list' }] },
  });
  const html = renderHtml(report);
  const order = ['id="summary"', 'id="assessment"', 'id="findings"', 'id="skipped"', 'id="section-coverage"', 'id="warnings"'].map((marker) =>
    html.indexOf(marker),
  );
  for (const position of order) assert.ok(position > 0, `marker missing: ${order}`);
  assert.deepEqual([...order].sort((a, b) => a - b), order);
});

test('assessment table has one row per check', () => {
  const html = renderHtml(reportOf([failingResult(), passing, skipped]));
  const table = html.slice(html.indexOf('<table class="assessment">'), html.indexOf('</table>', html.indexOf('<table class="assessment">')));
  assert.equal(table.match(/<tr data-check=/g)?.length, 3);
  assert.match(table, /<th>Control area<\/th><th>What we checked<\/th><th>What we found<\/th><th>What to tell the client<\/th>/);
  assert.match(table, /We checked that nobody can be tricked/);
  assert.match(table, /<li>CA02 - Block device code flow<\/li>/);
  assert.match(table, /Two field staff can still be phished with a device code\./);
});

test('summary chart has a bar per area and state', () => {
  const html = renderHtml(reportOf([failingResult(), passing, skipped]));
  const chart = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
  // One bar each for device-code-flow (fail), privileged-access (pass) and licensing (skipped), then five legend squares.
  assert.equal(chart.match(/<rect x="[\d.]+" y="\d+" width="[\d.]+" height="18"/g)?.length, 3);
  assert.equal(chart.match(/width="12" height="12"/g)?.length, 5);
  assert.match(chart, /Device code flow: 1 fail/);
});

test('finding shows evidence and remediation', () => {
  const html = renderHtml(reportOf([failingResult()]));
  const findings = html.slice(html.indexOf('id="findings"'));
  assert.match(findings, /CA02 - Block device code flow \(policy-1\)/);
  assert.match(findings, /conditionalAccessPolicies\.json#\/value\/1/);
  assert.match(findings, /device-code-flow-blocked:policy-1/);
  assert.match(findings, /Remove the group exclusion from CA02\./);
  assert.match(findings, /PATCH \/identity\/conditionalAccess\/policies\/policy-1/);
  assert.match(findings, /&quot;excludeGroups&quot;: \[\]/);
});

test('skipped check shows reason and fix', () => {
  const html = renderHtml(reportOf([skipped]));
  const section = html.slice(html.indexOf('id="skipped"'));
  assert.match(section, /license missing/);
  assert.match(section, /Buy Entra ID P2 or accept the gap\./);
  const markdown = renderMarkdown(reportOf([skipped]));
  assert.match(markdown, /## Checks not run/);
  assert.match(markdown, /\| license missing \|/);
});

test('section in display shape renders as a table', () => {
  const section: ReportSection = {
    title: 'Sign-in review',
    summary: ['14 days of sign-in logs.'],
    tables: [{ caption: 'Device-code sign-ins', columns: ['User', 'App'], rows: [['Kevin Osei', 'Microsoft Office']] }],
  };
  const report = reportOf([passing], { sections: { signInReview: section, other: { notADisplaySection: true } } });
  const html = renderHtml(report);
  assert.match(html, /<h2>Sign-in review<\/h2><p>14 days of sign-in logs\.<\/p><h3>Device-code sign-ins<\/h3>/);
  assert.match(html, /<td>Kevin Osei<\/td><td>Microsoft Office<\/td>/);
  assert.doesNotMatch(html, /notADisplaySection/);
  const markdown = renderMarkdown(report);
  assert.match(markdown, /\| Kevin Osei \| Microsoft Office \|/);
});

const HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>';

test('tenant data is escaped in html', () => {
  const result = failingResult({
    summary: HOSTILE,
    findings: [
      {
        ...failingResult().findings[0]!,
        text: HOSTILE,
        clientText: HOSTILE,
        objects: [{ type: 'conditionalAccessPolicy', id: '"><script>1</script>', displayName: HOSTILE }],
      },
    ],
  });
  const report = reportOf([result], {
    tenant: { id: 'x', name: HOSTILE },
    sections: { coverage: { title: HOSTILE, summary: [HOSTILE], tables: [{ caption: HOSTILE, columns: [HOSTILE], rows: [[HOSTILE]] }] } },
    snapshot: { ...reportOf([]).snapshot, warnings: [{ file: HOSTILE, message: HOSTILE }] },
  });
  const html = renderHtml(report);
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<img/i);
  assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
});

test('tenant data is escaped in markdown', () => {
  const result = failingResult({
    findings: [{ ...failingResult().findings[0]!, objects: [{ type: 'group', id: 'g`1', displayName: `${HOSTILE} | [link](http://x.example)` }] }],
  });
  const markdown = renderMarkdown(reportOf([result], { tenant: { id: 'x', name: HOSTILE } }));
  assert.doesNotMatch(markdown, /<script/i);
  assert.doesNotMatch(markdown, /<img/i);
  assert.doesNotMatch(markdown, /[^\\]\]\(http/);
  assert.match(markdown, /\\\| \\\[link\\\]/);
});

test('escape helpers', () => {
  const cases: [string, string, string][] = [
    ['escapeHtml', escapeHtml('a & <b> "c" \'d\''), 'a &amp; &lt;b&gt; &quot;c&quot; &#39;d&#39;'],
    ['escapeMarkdown pipes and emphasis', escapeMarkdown('a | *b* _c_'), 'a \\| \\*b\\* \\_c\\_'],
    ['escapeMarkdown line breaks', escapeMarkdown('a\nb\r\nc'), 'a b c'],
    ['escapeMarkdown html', escapeMarkdown('<b>&amp;'), '&lt;b>&amp;amp;'],
    ['markdownCode backticks', markdownCode('a`b'), '``a`b``'],
    ['markdownCode edge backtick', markdownCode('`a'), '`` `a ``'],
  ];
  for (const [name, actual, expected] of cases) assert.equal(actual, expected, name);
});

test('html loads nothing from the network', () => {
  const html = renderHtml(reportOf([failingResult(), passing, skipped]));
  assert.doesNotMatch(html, /<script|<link|<img|<iframe|@import|url\(/i);
  assert.doesNotMatch(html, /\s(src|href)=/i);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.match(html, /@media print/);
});

test('markdown has summary, table and findings', () => {
  const markdown = renderMarkdown(reportOf([failingResult(), passing]));
  assert.match(markdown, /^# Token theft readiness assessment: Fixture Tenant$/m);
  assert.match(markdown, /^\| Device code flow \| 1 \| 0 \| 0 \| 0 \| 0 \|$/m);
  assert.match(markdown, /^\| high \| 1 \|$/m);
  assert.match(markdown, /^\| Control area \| What we checked \| What we found \| What to tell the client \|$/m);
  assert.match(markdown, /^### Device code flow is blocked for all users$/m);
  assert.match(markdown, /^```http\nPATCH \/identity\/conditionalAccess\/policies\/policy-1\n\{/m);
});

test('fail-on counts findings at or above threshold', () => {
  const medium = failingResult({
    checkId: 'other',
    severity: 'medium',
    findings: [{ ...failingResult().findings[0]!, key: 'other:1', checkId: 'other', severity: 'medium' }],
  });
  const tenantWide = failingResult({ checkId: 'tenant-wide', severity: 'critical', findings: [] });
  const cases: [string, CheckResult[], 'critical' | 'high' | 'medium' | 'low' | 'info', number][] = [
    ['high finding counts for high', [failingResult()], 'high', 1],
    ['high finding does not count for critical', [failingResult()], 'critical', 0],
    ['medium and high count for low', [failingResult(), medium], 'low', 2],
    ['passing checks never count', [passing], 'info', 0],
    ['skipped checks never count', [skipped], 'info', 0],
    ['failing check without findings counts at its severity', [tenantWide], 'critical', 1],
    ['manual results do not count', [failingResult({ state: 'manual' })], 'info', 0],
  ];
  for (const [name, results, threshold, expected] of cases) {
    assert.equal(countFindingsAtOrAbove(reportOf(results), threshold), expected, name);
  }
});

test('report without metadata still renders', () => {
  const report = reportOf([failingResult()], { checks: {} });
  assert.match(renderHtml(report), /Device code flow is blocked for all users/);
  assert.match(renderMarkdown(report), /Device code flow is blocked for all users/);
  assert.equal(metadataFor(failingResult()).id, 'device-code-flow-blocked');
});

test('client advice is capped per row', () => {
  const findings = Array.from({ length: 6 }, (_, index) => ({
    ...failingResult().findings[0]!,
    key: `device-code-flow-blocked:user-${index}`,
    clientText: `User ${index} can be phished with a device code.`,
  }));
  const html = renderHtml(reportOf([failingResult({ findings })]));
  const table = html.slice(html.indexOf('<table class="assessment">'), html.indexOf('</table>', html.indexOf('<table class="assessment">')));
  assert.match(table, /User 3 can be phished/);
  assert.doesNotMatch(table, /User 4 can be phished/);
  assert.match(table, /And 2 more like these; the findings section lists each one\./);
  // The findings section still lists every finding.
  assert.match(html.slice(html.indexOf('id="findings"')), /device-code-flow-blocked:user-5/);
});

test('named objects are capped per row', () => {
  const objects = Array.from({ length: 12 }, (_, index) => ({ type: 'user', id: `u${index}`, displayName: `Person ${index}` }));
  const html = renderHtml(reportOf([failingResult({ findings: [{ ...failingResult().findings[0]!, objects }] })]));
  const table = html.slice(html.indexOf('<table class="assessment">'), html.indexOf('</table>', html.indexOf('<table class="assessment">')));
  assert.match(table, /<li>Person 9<\/li>/);
  assert.doesNotMatch(table, /<li>Person 10<\/li>/);
  assert.match(table, /<li>and 2 more<\/li>/);
});

test('a result without findings advises with its summary, not the "what we checked" text', () => {
  // Regression: with no sign-ins in the log, the client column repeated "What we checked".
  const result = failingResult({ findings: [], summary: 'The snapshot holds no sign-in logs.' });
  const report = reportOf([result]);
  report.checks[result.checkId] = metadataFor(result, { clientText: 'We looked at your recent sign-in logs.' });
  const [row] = assessmentRows(report);
  assert.equal(row?.checked, 'We looked at your recent sign-in logs.');
  assert.deepEqual(row?.advice, ['The snapshot holds no sign-in logs.']);
});

test('remediation steps render code spans', () => {
  // Regression: backticks showed literally in HTML and escaped in Markdown.
  const result = failingResult();
  const report = reportOf([result]);
  report.checks[result.checkId] = metadataFor(result, { remediation: { portal: ['Run `Revoke-MgUserSignInSession` for the user.'], graph: [] } });
  assert.match(renderHtml(report), /<li>Run <code>Revoke-MgUserSignInSession<\/code> for the user\.<\/li>/);
  assert.match(renderMarkdown(report), /1\. Run `Revoke-MgUserSignInSession` for the user\./);
});
