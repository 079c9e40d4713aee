/**
 * The Conditional Access device filter rule language: `device.<attribute> <operator> <value>`
 * terms joined by `-and` / `-or`, with parentheses. Source:
 * https://learn.microsoft.com/entra/identity/conditional-access/concept-condition-filters-for-devices
 */

/** Attributes Microsoft lists as supported in device filters. */
export const DEVICE_FILTER_ATTRIBUTES: readonly string[] = [
  'deviceId',
  'displayName',
  'deviceOwnership',
  'enrollmentProfileName',
  'isCompliant',
  'manufacturer',
  'mdmAppId',
  'model',
  'operatingSystem',
  'operatingSystemVersion',
  'physicalIds',
  'profileType',
  'systemLabels',
  'trustType',
  ...Array.from({ length: 15 }, (_, index) => `extensionAttribute${index + 1}`),
];

const POSITIVE_OPERATORS = ['-eq', '-startsWith', '-endsWith', '-contains', '-in'] as const;
const NEGATIVE_OPERATORS = ['-ne', '-notStartsWith', '-notEndsWith', '-notContains', '-notIn'] as const;
type Operator = (typeof POSITIVE_OPERATORS)[number] | (typeof NEGATIVE_OPERATORS)[number];

/** Maximum rule length Microsoft accepts. */
const MAX_RULE_LENGTH = 3072;

export type DeviceFilterNode =
  | { kind: 'and' | 'or'; left: DeviceFilterNode; right: DeviceFilterNode }
  | { kind: 'term'; attribute: string; operator: Operator; value: string | string[] };

/** A rule that does not parse; `position` is the 0-based character offset of the problem. */
export class DeviceFilterSyntaxError extends Error {
  constructor(readonly rule: string, readonly position: number, readonly problem: string) {
    super(`invalid device filter rule at character ${position + 1}: ${problem}`);
    this.name = 'DeviceFilterSyntaxError';
  }
}

type Token =
  | { type: 'open' | 'close' | 'and' | 'or'; at: number }
  | { type: 'operator'; value: Operator; at: number }
  | { type: 'attribute'; value: string; at: number }
  | { type: 'value'; value: string | string[]; at: number };

const OPERATOR_BY_LOWER = new Map<string, Operator>(
  [...POSITIVE_OPERATORS, ...NEGATIVE_OPERATORS].map((operator) => [operator.toLowerCase(), operator]),
);
const ATTRIBUTE_BY_LOWER = new Map(DEVICE_FILTER_ATTRIBUTES.map((name) => [name.toLowerCase(), name]));

function readQuoted(rule: string, start: number): { value: string; end: number } {
  const quote = rule[start]!;
  let index = start + 1;
  let value = '';
  while (index < rule.length && rule[index] !== quote) {
    value += rule[index];
    index++;
  }
  if (index >= rule.length) throw new DeviceFilterSyntaxError(rule, start, 'a quoted value is not closed');
  return { value, end: index + 1 };
}

function tokenize(rule: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < rule.length) {
    const char = rule[index]!;
    if (/\s/.test(char)) {
      index++;
    } else if (char === '(' || char === ')') {
      tokens.push({ type: char === '(' ? 'open' : 'close', at: index });
      index++;
    } else if (char === '"' || char === "'") {
      const { value, end } = readQuoted(rule, index);
      tokens.push({ type: 'value', value, at: index });
      index = end;
    } else if (char === '[') {
      const start = index;
      const values: string[] = [];
      index++;
      for (;;) {
        while (index < rule.length && /[\s,]/.test(rule[index]!)) index++;
        if (index >= rule.length) throw new DeviceFilterSyntaxError(rule, start, 'a list is not closed with ]');
        if (rule[index] === ']') break;
        if (rule[index] !== '"' && rule[index] !== "'") throw new DeviceFilterSyntaxError(rule, index, 'list items must be quoted strings');
        const { value, end } = readQuoted(rule, index);
        values.push(value);
        index = end;
      }
      tokens.push({ type: 'value', value: values, at: start });
      index++;
    } else {
      const start = index;
      while (index < rule.length && !/[\s()"'[]/.test(rule[index]!)) index++;
      const word = rule.slice(start, index);
      const lower = word.toLowerCase();
      if (lower === '-and' || lower === '-or') {
        tokens.push({ type: lower === '-and' ? 'and' : 'or', at: start });
      } else if (lower.startsWith('-')) {
        const operator = OPERATOR_BY_LOWER.get(lower);
        if (!operator) throw new DeviceFilterSyntaxError(rule, start, `unknown operator ${word}`);
        tokens.push({ type: 'operator', value: operator, at: start });
      } else if (lower.startsWith('device.')) {
        const attribute = ATTRIBUTE_BY_LOWER.get(lower.slice('device.'.length));
        if (!attribute) throw new DeviceFilterSyntaxError(rule, start, `unsupported attribute ${word}`);
        tokens.push({ type: 'attribute', value: attribute, at: start });
      } else if (lower === 'true' || lower === 'false') {
        tokens.push({ type: 'value', value: lower, at: start });
      } else {
        throw new DeviceFilterSyntaxError(rule, start, `unexpected word ${word}; values must be quoted`);
      }
    }
  }
  return tokens;
}

/** Parses a rule into a tree, or throws DeviceFilterSyntaxError naming the position. */
export function parseDeviceFilter(rule: string): DeviceFilterNode {
  if (rule.length > MAX_RULE_LENGTH) throw new DeviceFilterSyntaxError(rule, MAX_RULE_LENGTH, `the rule is longer than ${MAX_RULE_LENGTH} characters`);
  const tokens = tokenize(rule);
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const where = (): number => peek()?.at ?? rule.length;

  // Precedence: -and binds tighter than -or, as in PowerShell-style rule languages.
  const parseOr = (): DeviceFilterNode => {
    let node = parseAnd();
    while (peek()?.type === 'or') {
      position++;
      node = { kind: 'or', left: node, right: parseAnd() };
    }
    return node;
  };
  const parseAnd = (): DeviceFilterNode => {
    let node = parsePrimary();
    while (peek()?.type === 'and') {
      position++;
      node = { kind: 'and', left: node, right: parsePrimary() };
    }
    return node;
  };
  const parsePrimary = (): DeviceFilterNode => {
    const token = peek();
    if (!token) throw new DeviceFilterSyntaxError(rule, rule.length, 'the rule ends where a term was expected');
    if (token.type === 'open') {
      position++;
      const inner = parseOr();
      if (peek()?.type !== 'close') throw new DeviceFilterSyntaxError(rule, where(), 'a parenthesis is not closed');
      position++;
      return inner;
    }
    if (token.type !== 'attribute') throw new DeviceFilterSyntaxError(rule, token.at, 'expected device.<attribute>');
    position++;
    const operator = peek();
    if (operator?.type !== 'operator') throw new DeviceFilterSyntaxError(rule, where(), 'expected an operator such as -eq');
    position++;
    const value = peek();
    if (value?.type !== 'value') throw new DeviceFilterSyntaxError(rule, where(), 'expected a quoted value');
    position++;
    const isList = Array.isArray(value.value);
    const wantsList = operator.value === '-in' || operator.value === '-notIn';
    if (isList !== wantsList) {
      throw new DeviceFilterSyntaxError(rule, value.at, wantsList ? `${operator.value} needs a list such as ["a","b"]` : `${operator.value} needs a single value`);
    }
    return { kind: 'term', attribute: token.value, operator: operator.value, value: value.value };
  };

  const tree = parseOr();
  if (position < tokens.length) throw new DeviceFilterSyntaxError(rule, where(), 'unexpected text after a complete rule; join terms with -and or -or');
  return tree;
}

export type DeviceAttributes = Readonly<Record<string, string | boolean | readonly string[] | null | undefined>>;

function matchOne(actual: string, operator: Operator, expected: string): boolean {
  switch (operator) {
    case '-eq':
    case '-ne':
      return actual === expected;
    case '-startsWith':
    case '-notStartsWith':
      return actual.startsWith(expected);
    case '-endsWith':
    case '-notEndsWith':
      return actual.endsWith(expected);
    case '-contains':
    case '-notContains':
      return actual.includes(expected);
    default:
      return false;
  }
}

function evaluateTerm(term: Extract<DeviceFilterNode, { kind: 'term' }>, attributes: DeviceAttributes | null): boolean {
  const negative = (NEGATIVE_OPERATORS as readonly string[]).includes(term.operator);
  const raw = attributes?.[term.attribute];
  // An unregistered device has every property null: positive operators never match it and
  // negative operators always do.
  if (raw === null || raw === undefined) return negative;

  // NOTE: comparisons ignore case. Microsoft's page does not state case sensitivity for every
  // operator; ignoring case errs toward a filter matching.
  const actualValues = (Array.isArray(raw) ? raw : [raw]).map((value) => String(value).toLowerCase());
  let positive: boolean;
  if (term.operator === '-in' || term.operator === '-notIn') {
    const list = (term.value as string[]).map((value) => value.toLowerCase());
    positive = actualValues.some((value) => list.includes(value));
  } else {
    const expected = (term.value as string).toLowerCase();
    positive = actualValues.some((value) => matchOne(value, term.operator, expected));
  }
  return negative ? !positive : positive;
}

/** True when the device matches the rule; `null` attributes stand for an unregistered device. */
export function evaluateDeviceFilter(node: DeviceFilterNode, attributes: DeviceAttributes | null): boolean {
  if (node.kind === 'term') return evaluateTerm(node, attributes);
  if (node.kind === 'and') return evaluateDeviceFilter(node.left, attributes) && evaluateDeviceFilter(node.right, attributes);
  return evaluateDeviceFilter(node.left, attributes) || evaluateDeviceFilter(node.right, attributes);
}
