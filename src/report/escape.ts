/*
 * Escaping for the renderers. Every string that reaches a report may come from tenant data
 * (policy names, display names, sign-in fields), which an attacker can choose: a policy named
 * `<script>` must stay text.
 */

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (character) => HTML_ENTITIES[character]!);
}

/**
 * Escapes text for Markdown inline content and table cells. HTML is neutralised, because many
 * Markdown viewers render raw HTML. Emphasis, code and link punctuation is backslash-escaped, and
 * `|` cannot split a table cell. Line breaks become spaces so a value cannot start a new block.
 * Callers place values after a list marker, heading marker or cell border, never at a line start.
 */
export function escapeMarkdown(value: unknown): string {
  return String(value ?? '')
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\\`*_[\]|~]/g, (character) => `\\${character}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;');
}

/**
 * Wraps text in a Markdown code span that the text cannot close: the fence is one backtick
 * longer than the longest run of backticks inside.
 */
export function markdownCode(value: unknown): string {
  const text = String(value ?? '').replace(/\r\n|\r|\n/g, ' ');
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const padding = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${padding}${text}${padding}${fence}`;
}

/** Returns a fence for a Markdown code block that the content cannot close. */
export function markdownFence(content: string): string {
  const longestRun = Math.max(2, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(longestRun + 1);
}

/** Splits text at `code` spans: odd entries are code. An unpaired backtick stays text. */
function splitCodeSpans(value: unknown): string[] {
  const text = String(value ?? '');
  const parts = text.split('`');
  if (parts.length % 2 === 0) return [text];
  return parts;
}

/**
 * Escapes text for HTML, rendering `code` spans (as check authors write remediation steps,
 * such as `Set-MsolUser`) as <code> elements. Everything stays escaped.
 */
export function htmlWithCode(value: unknown): string {
  return splitCodeSpans(value)
    .map((part, index) => (index % 2 === 1 ? `<code>${escapeHtml(part)}</code>` : escapeHtml(part)))
    .join('');
}

/** Escapes text for Markdown, keeping `code` spans as code spans instead of escaping their backticks. */
export function markdownWithCode(value: unknown): string {
  return splitCodeSpans(value)
    .map((part, index) => (index % 2 === 1 ? markdownCode(part) : escapeMarkdown(part)))
    .join('');
}
