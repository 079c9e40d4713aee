import { plural } from '../report/text.js';
import type { HoursRange } from './catalog.js';

/** Formats an amount with its ISO currency code, e.g. `USD 1,234.50`; whole amounts drop the cents. */
export function formatMoney(currency: string, amount: number): string {
  const whole = Number.isInteger(amount);
  const digits = amount.toLocaleString('en-US', { minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 });
  return `${currency} ${digits}`;
}

/** Formats a range of amounts, or one amount when both ends are equal. */
export function formatMoneyRange(currency: string, range: HoursRange | null): string {
  if (range === null) return 'no rate';
  if (range.min === range.max) return formatMoney(currency, range.min);
  return `${formatMoney(currency, range.min)} to ${formatMoney(currency, range.max)}`;
}

/** Formats hours such as `2.5 to 4 h`, or `3 h` when both ends are equal. */
export function formatHours(range: HoursRange): string {
  const hours = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return range.min === range.max ? `${hours(range.min)} h` : `${hours(range.min)} to ${hours(range.max)} h`;
}

/**
 * Joins names as "A, B and C", keeping at most `limit` names and counting the rest. `total` is the
 * full number when `names` holds only the first few (a check that names 5 of 12 accounts).
 */
export function listNames(names: readonly string[], limit = 4, total = names.length): string {
  const shown = names.slice(0, limit);
  const rest = Math.max(total, names.length) - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** Formats what the client pays, saying how many lines are left out for lack of a rate. */
export function formatBillable(currency: string, range: HoursRange, unpriced: number): string {
  if (unpriced === 0) return formatMoneyRange(currency, range);
  const lines = `${plural(unpriced, 'unpriced line')} (no rate)`;
  return range.max === 0 ? `not priced: ${lines}` : `${formatMoneyRange(currency, range)} plus ${lines}`;
}
