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

/** Splits the usable width between columns in proportion to their longest cell, within limits. */
function columnWidths(table: DocTable, available: number): number[] {
  const weights = table.columns.map((column, index) => {
    const longest = Math.max(column.length, ...table.rows.map((row) => (row[index] ?? '').length), (table.total?.[index] ?? '').length);
    return Math.min(Math.max(longest, 10), 50);
  });
  const sum = weights.reduce((total, weight) => total + weight, 0);
  return weights.map((weight) => (weight / sum) * available);
}

function drawTable(pdf: PDFKit.PDFDocument, table: DocTable): void {
  const left = MARGIN;
  const available = pdf.page.width - 2 * MARGIN;
  const widths = columnWidths(table, available);
  const padding = 3;
  const fontSize = 8;

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
