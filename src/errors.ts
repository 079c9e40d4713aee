/**
 * Errors a user can fix. The CLI's one error handler prints them without a stack trace
 * and exits with their exit code; anything else is an internal error (exit 3).
 */
export class UserError extends Error {
  readonly exitCode: number = 2;

  constructor(message: string, readonly fix?: string) {
    super(message);
    this.name = 'UserError';
  }

  /** Formats the message and the fix for a terminal. */
  format(): string {
    return this.fix ? `${this.message}\n  fix: ${this.fix}` : this.message;
  }
}

/** Location of a bad value inside an input file. */
export interface InputLocation {
  file: string;
  /** JSON path such as `$.value[3].conditions.users.includeUsers`, when the file is JSON. */
  jsonPath?: string;
  /** 1-based line, when the format is line based (NDJSON, CSV) or the parser reported it. */
  line?: number;
  /** 0-based record index, when neither a line nor a path applies. */
  record?: number;
}

/** A file that is missing, unreadable or does not match its expected shape. */
export class InputError extends UserError {
  constructor(
    readonly location: InputLocation,
    readonly problem: string,
    readonly expected: string,
    fix: string,
  ) {
    super(`${describeLocation(location)}: ${problem}; expected ${expected}`, fix);
    this.name = 'InputError';
  }
}

export function describeLocation(location: InputLocation): string {
  let text = location.file;
  if (location.line !== undefined) text += `:${location.line}`;
  if (location.record !== undefined) text += ` (record ${location.record})`;
  if (location.jsonPath !== undefined) text += ` at ${location.jsonPath}`;
  return text;
}

/** Exit codes of the tokengap command, documented in docs/cli.md. */
export const EXIT = {
  ok: 0,
  findingsAtOrAboveThreshold: 1,
  usageOrInput: 2,
  internal: 3,
} as const;
