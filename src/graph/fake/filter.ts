/**
 * The `$filter` subset collect sends, parsed for the fake server. Clauses are joined by `and`.
 * Each is either `property op value`, with op one of eq, ne, ge, gt, le, lt and the value an ISO
 * date, a number or a quoted string, or `property/any(x: x eq 'value')`.
 */
export type FilterClause =
  | { kind: 'compare'; property: string; op: 'eq' | 'ne' | 'ge' | 'gt' | 'le' | 'lt'; value: string | number }
  | { kind: 'any'; property: string; value: string };

export class FilterSyntaxError extends Error {}

function splitAnd(filter: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < filter.length; i++) {
    const char = filter[i];
    if (char === "'") quoted = !quoted;
    else if (!quoted && char === '(') depth++;
    else if (!quoted && char === ')') depth--;
    else if (!quoted && depth === 0 && filter.startsWith(' and ', i)) {
      parts.push(filter.slice(start, i));
      start = i + 5;
      i += 4;
    }
  }
  parts.push(filter.slice(start));
  return parts.map((part) => part.trim());
}

export function parseFilter(filter: string): FilterClause[] {
  return splitAnd(filter).map((raw) => {
    let clause = raw;
    while (clause.startsWith('(') && clause.endsWith(')')) clause = clause.slice(1, -1).trim();
    const any = /^(\w+)\/any\((\w+):\s*\2\s+eq\s+'([^']*)'\)$/.exec(clause);
    if (any) return { kind: 'any', property: any[1]!, value: any[3]! };
    const compare = /^(\w+)\s+(eq|ne|ge|gt|le|lt)\s+(.+)$/.exec(clause);
    if (!compare) throw new FilterSyntaxError(`unsupported filter clause: ${raw}`);
    const literal = compare[3]!.trim();
    let value: string | number;
    if (/^'.*'$/.test(literal)) value = literal.slice(1, -1);
    else if (/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(literal)) value = literal;
    else if (/^-?\d+(\.\d+)?$/.test(literal)) value = Number(literal);
    else throw new FilterSyntaxError(`unsupported literal in filter clause: ${raw}`);
    return { kind: 'compare', property: compare[1]!, op: compare[2] as 'eq', value };
  });
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T/;

/** Compares a property with a literal; dates compare as instants, and `valuesOf` may supply them as epoch milliseconds. */
function compareValues(actual: unknown, op: string, expected: string | number): boolean {
  if (actual === undefined || actual === null) return op === 'ne';
  let left: number | string = actual as string | number;
  let right: number | string = expected;
  if (typeof expected === 'string' && ISO_DATE.test(expected)) {
    left = typeof actual === 'number' ? actual : Date.parse(String(actual));
    right = Date.parse(expected);
  }
  switch (op) {
    case 'eq': return left === right;
    case 'ne': return left !== right;
    case 'ge': return left >= right;
    case 'gt': return left > right;
    case 'le': return left <= right;
    default: return left < right;
  }
}

/** Tests one item; `eventTypesOf` supplies `signInEventTypes` for sign-ins that lack it. */
export function matchesFilter(
  item: Record<string, unknown>,
  clauses: FilterClause[],
  valuesOf: (item: Record<string, unknown>, property: string) => unknown = (i, p) => i[p],
): boolean {
  return clauses.every((clause) => {
    const actual = valuesOf(item, clause.property);
    if (clause.kind === 'any') return Array.isArray(actual) && actual.includes(clause.value);
    return compareValues(actual, clause.op, clause.value);
  });
}
