import { escapeHtml, escapeMarkdown } from '../report/escape.js';
import type { DeliverablesDocument, DocBlock, DocTable } from './document.js';
import type { ClientMessage } from './message.js';

function markdownTable(table: DocTable): string {
  const row = (cells: string[], bold = false) =>
    `| ${cells.map((cell) => (bold && cell !== '' ? `**${escapeMarkdown(cell)}**` : escapeMarkdown(cell))).join(' | ')} |`;
  const lines = [row(table.columns), `|${table.columns.map(() => ' --- ').join('|')}|`, ...table.rows.map((cells) => row(cells))];
  if (table.total) lines.push(row(table.total, true));
  return lines.join('\n');
}

function markdownBlock(block: DocBlock): string {
  switch (block.kind) {
    case 'heading':
      return `### ${escapeMarkdown(block.text)}`;
    case 'paragraph':
      return escapeMarkdown(block.text);
    case 'list':
      return block.items.map((item) => `- ${escapeMarkdown(item)}`).join('\n');
    case 'table':
      return markdownTable(block.table);
  }
}

/** Renders the client message as plain text, ready to paste into an email. */
export function renderClientMessageText(message: ClientMessage): string {
  const parts = [`Subject: ${message.subject}`];
  for (const paragraph of message.paragraphs) {
    const lines: string[] = [];
    if (paragraph.heading) lines.push(`${paragraph.heading}:`);
    if (paragraph.text) lines.push(paragraph.text);
    for (const item of paragraph.items ?? []) lines.push(`- ${item}`);
    parts.push(lines.join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}

/** Renders the deliverables as Markdown for a PSA note, a wiki or a ticket. */
export function renderDeliverablesMarkdown(document: DeliverablesDocument): string {
  const parts = [`# ${escapeMarkdown(document.title)}`, document.facts.map(([label, value]) => `- ${escapeMarkdown(label)}: ${escapeMarkdown(value)}`).join('\n')];
  for (const section of document.sections) {
    parts.push(`## ${escapeMarkdown(section.title)}`);
    for (const block of section.blocks) parts.push(markdownBlock(block));
  }
  return `${parts.join('\n\n')}\n`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2733; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .3rem; } h2 { border-bottom: 2px solid #d5dde6; padding-bottom: .2rem; margin-top: 2.2rem; } h3 { margin-top: 1.4rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; } dl.facts dt { font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: 13px; }
th, td { border: 1px solid #ccd5df; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef2f6; } tr.total td { font-weight: 700; background: #f6f8fa; }
caption { text-align: left; font-weight: 600; padding-bottom: .3rem; }
section.message { background: #f7f9fb; border-left: 4px solid #4a78a8; padding: .4rem 1.2rem; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
`;

function htmlTable(table: DocTable): string {
  const head = `<tr>${table.columns.map((column) => `<th scope="col">${escapeHtml(column)}</th>`).join('')}</tr>`;
  const rows = table.rows.map((cells) => `<tr>${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`);
  if (table.total) rows.push(`<tr class="total">${table.total.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`);
  return `<table><caption>${escapeHtml(table.caption)}</caption><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function htmlBlock(block: DocBlock): string {
  switch (block.kind) {
    case 'heading':
      return `<h3>${escapeHtml(block.text)}</h3>`;
    case 'paragraph':
      return `<p>${escapeHtml(block.text)}</p>`;
    case 'list':
      return `<ul>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
    case 'table':
      return htmlTable(block.table);
  }
}

/** Renders the deliverables as one self-contained HTML page: inline style, no scripts, no network fetches. */
export function renderDeliverablesHtml(document: DeliverablesDocument): string {
  const facts = document.facts.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join('');
  const sections = document.sections.map(
    (section) => `<section id="${escapeHtml(section.id)}"${section.id === 'client-message' ? ' class="message"' : ''}><h2>${escapeHtml(section.title)}</h2>${section.blocks.map(htmlBlock).join('\n')}</section>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(document.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(document.title)}</h1>
<dl class="facts">${facts}</dl>
${sections.join('\n')}
</body>
</html>
`;
}
