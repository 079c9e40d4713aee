import PDFDocument from 'pdfkit';

import type { DeliverablesDocument, DocBlock, DocTable } from './document.js';

const MARGIN = 40;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Replaces characters the standard PDF fonts cannot draw. The built-in Helvetica uses the
 * WinAnsi encoding (Latin-1 plus a few typographic marks), so other scripts would print as
 * wrong glyphs.
 * NOTE: names in Greek, Cyrillic or CJK print as "?" until a Unicode TTF font is bundled and embedded.
 */
function printable(text: string): string {
  return [...text].map((character) => (character.codePointAt(0)! <= 0xff || WIN_ANSI_EXTRAS.has(character) ? character : '?')).join('');
}

/**
 * Splits the usable width between columns: each gets at least the width of its longest word (so
 * "Priority" is never broken), and the rest is shared in proportion to how much wider each
 * column's longest cell is, up to a cap that makes long cells wrap.
 */
function columnWidths(pdf: PDFKit.PDFDocument, table: DocTable, available: number, fontSize: number, padding: number): number[] {
  const measure = (text: string, font: string) => pdf.font(font).fontSize(fontSize).widthOfString(printable(text));
  const minimums: number[] = [];
  const desired: number[] = [];
  table.columns.forEach((column, index) => {
    const cells = [...table.rows.map((row) => row[index] ?? ''), table.total?.[index] ?? ''];
    const words = [column, ...cells].flatMap((cell) => cell.split(/\s+/));
    const longestWord = Math.max(...words.map((word) => measure(word, BOLD)));
    const longestCell = Math.max(measure(column, BOLD), ...cells.map((cell) => measure(cell, FONT)));
    minimums.push(Math.min(longestWord, 120) + 2 * padding + 1);
    desired.push(Math.min(longestCell, 260) + 2 * padding + 1);
  });

  const minimumSum = minimums.reduce((total, width) => total + width, 0);
  if (minimumSum >= available) return minimums.map((width) => (width / minimumSum) * available);
  const slack = desired.map((width, index) => Math.max(0, width - minimums[index]!));
  const slackSum = slack.reduce((total, width) => total + width, 0);
  const extra = available - minimumSum;
  return minimums.map((width, index) => width + (slackSum === 0 ? extra / minimums.length : (slack[index]! / slackSum) * extra));
}

function drawTable(pdf: PDFKit.PDFDocument, table: DocTable): void {
  const left = MARGIN;
  const available = pdf.page.width - 2 * MARGIN;
  const padding = 3;
  const fontSize = 8;
  const widths = columnWidths(pdf, table, available, fontSize, padding);

  const rowHeight = (cells: string[], font: string) => {
    pdf.font(font).fontSize(fontSize);
    return Math.max(...cells.map((cell, index) => pdf.heightOfString(printable(cell), { width: widths[index]! - 2 * padding }))) + 2 * padding;
  };

  const drawRow = (cells: string[], font: string, fill?: string) => {
    const height = rowHeight(cells, font);
    if (pdf.y + height > pdf.page.height - MARGIN) {
      pdf.addPage();
      drawRow(table.columns, BOLD, '#eef2f6');
    }
    const top = pdf.y;
    let x = left;
    cells.forEach((cell, index) => {
      const width = widths[index]!;
      if (fill) pdf.rect(x, top, width, height).fill(fill);
      pdf.rect(x, top, width, height).lineWidth(0.5).strokeColor('#b8c3cf').stroke();
      pdf.fillColor('#1d2733').font(font).fontSize(fontSize).text(printable(cell), x + padding, top + padding, { width: width - 2 * padding });
      x += width;
    });
    pdf.x = left;
    pdf.y = top + height;
  };

  drawRow(table.columns, BOLD, '#eef2f6');
  for (const row of table.rows) drawRow(row, FONT);
  if (table.total) drawRow(table.total, BOLD, '#f6f8fa');
  pdf.moveDown(0.8);
}

function drawBlock(pdf: PDFKit.PDFDocument, block: DocBlock): void {
  const width = pdf.page.width - 2 * MARGIN;
  pdf.x = MARGIN;
  switch (block.kind) {
    case 'heading':
      pdf.moveDown(0.4).font(BOLD).fontSize(11).fillColor('#1d2733').text(printable(block.text), { width });
      pdf.moveDown(0.2);
      break;
    case 'paragraph':
      pdf.font(FONT).fontSize(9.5).fillColor('#1d2733').text(printable(block.text), { width });
      pdf.moveDown(0.4);
      break;
    case 'list':
      pdf.font(FONT).fontSize(9.5).fillColor('#1d2733').list(block.items.map(printable), { width, bulletRadius: 1.5, textIndent: 10 });
      pdf.moveDown(0.4);
      break;
    case 'table':
      drawTable(pdf, block.table);
      break;
  }
}

/** Renders the deliverables as a landscape A4 PDF with pdfkit (pure JavaScript, no browser). */
export function renderDeliverablesPdf(document: DeliverablesDocument, createdAt: Date): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    info: { Title: printable(document.title), Creator: 'tokengap', CreationDate: createdAt },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  pdf.font(BOLD).fontSize(18).fillColor('#1d2733').text(printable(document.title));
  pdf.moveDown(0.3);
  for (const [label, value] of document.facts) pdf.font(BOLD).fontSize(9.5).text(`${label}: `, { continued: true }).font(FONT).text(printable(value));

  for (const section of document.sections) {
    pdf.addPage();
    pdf.font(BOLD).fontSize(15).fillColor('#1d2733').text(printable(section.title));
    pdf.moveDown(0.4);
    for (const block of section.blocks) drawBlock(pdf, block);
  }
  pdf.end();
  return done;
}
