import type { MessageData } from './types.js';

/**
 * `{slot}` placeholders: a letter, then letters, digits or underscores. A slot may carry two word
 * forms, `{slot|one|other}`: it then writes `one` when the slot contains 1 (a number, or an array of
 * one item) and `other` for any other count, so "{count} {count|problem|problems}" reads
 * "1 problem" and "2 problems". The forms cannot contain `|`, `{` or `}`.
 */
const SLOT = /\{([A-Za-z][A-Za-z0-9_]*)(?:\|([^|{}]*)\|([^|{}]*))?\}/g;

/** Names of the `{slot}` placeholders in a template, plural forms included, in order of first appearance. */
export function templateSlots(template: string): string[] {
  const slots = new Set<string>();
  for (const match of template.matchAll(SLOT)) slots.add(match[1]!);
  return [...slots];
}

export interface FilledTemplate {
  text: string;
  /** Slots the data did not provide; they stay in `text` as `{slot}` so the gap is visible. */
  missing: string[];
  /** Plural slots whose data is neither a number nor an array, so no count picks the form; they stay visible too. */
  notCounts: string[];
}

/**
 * Fills `{slot}` placeholders from `data`. Arrays are joined with ", " (an empty array reads
 * "none"); numbers and booleans are written as JavaScript prints them. `{slot|one|other}` picks a
 * word form from the slot's count. Text with no slots is returned unchanged, and braces that do
 * not form a slot are left alone.
 */
export function fillTemplate(template: string, data: MessageData): FilledTemplate {
  const missing: string[] = [];
  const notCounts: string[] = [];
  const text = template.replace(SLOT, (placeholder, slot: string, one: string | undefined, other: string | undefined) => {
    if (!Object.hasOwn(data, slot)) {
      missing.push(slot);
      return placeholder;
    }
    const value = data[slot]!;
    if (one === undefined || other === undefined) return formatValue(value);
    const count = countValue(value);
    if (count === undefined) {
      notCounts.push(slot);
      return placeholder;
    }
    return count === 1 ? one : other;
  });
  return { text, missing, notCounts };
}

/** Like `fillTemplate`, but throws when a slot has no data or a plural slot has no count; the strict tester uses it. */
export function fillTemplateStrict(template: string, data: MessageData, where: string): string {
  const { text, missing, notCounts } = fillTemplate(template, data);
  if (missing.length > 0) {
    throw new Error(`${where}: no data for slot${missing.length > 1 ? 's' : ''} ${missing.map((slot) => `{${slot}}`).join(', ')} in "${template}"`);
  }
  if (notCounts.length > 0) {
    throw new Error(`${where}: plural slot${notCounts.length > 1 ? 's' : ''} ${notCounts.map((slot) => `{${slot}|...}`).join(', ')} need a number or an array in "${template}"`);
  }
  return text;
}

/**
 * Writes a count with its noun, "1 user" or "3 users", for text built in code (data slots) rather than
 * in a template, where `{slot|one|other}` does the same.
 */
export function countOf(count: number, one: string, other: string): string {
  return `${count} ${count === 1 ? one : other}`;
}

/**
 * Joins up to `limit` names as English prose, then "and N more": "A", "A and B", "A, B and C",
 * "A, B and 3 more". Use it for client text, where every affected person should be named up to
 * the limit rather than hidden behind a count. `total` is the size of the whole set when `names`
 * is already a sample of it, so the remainder counts the people not in the sample too.
 */
export function nameList(names: readonly string[], limit = 10, total = names.length): string {
  if (names.length === 0 && total === 0) return 'none';
  const listed = names.slice(0, limit);
  const more = Math.max(total, names.length) - listed.length;
  const shown = more > 0 ? [...listed, `${more} more`] : listed;
  if (shown.length === 1) return shown[0]!;
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)!}`;
}

function countValue(value: MessageData[string]): number | undefined {
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) return value.length;
  return undefined;
}

function formatValue(value: MessageData[string]): string {
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(', ');
  return String(value);
}
