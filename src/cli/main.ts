import { Command, CommanderError } from 'commander';

import { EXIT, UserError } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { toTerminalText } from './terminal.js';
import { registerAssess } from './assess.js';
import { registerCollect } from './collect.js';
import { registerDeliverables } from './deliverables.js';
import { registerPermissions } from './permissions.js';
import { registerSignins } from './signins.js';
import { registerWhatif } from './whatif.js';

/**
 * Prints an error from the option parser (unknown option, missing argument, invalid choice) in
 * the same `tokengap: ... / fix: ...` form as every other user error. Subcommands inherit this.
 */
function writeParserError(text: string, write: (text: string) => void): void {
  const message = text.trim().replace(/^error: /, '');
  write(`tokengap: ${message}\n  fix: run \`tokengap --help\` or \`tokengap COMMAND --help\` for the options\n`);
}

/** Builds the command tree. Each command module registers itself and sets `process.exitCode` on success. */
export function buildProgram(): Command {
  const program = new Command('tokengap')
    .description('Find the gaps that let stolen OAuth tokens work in a Microsoft 365 tenant.')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ outputError: writeParserError });

  registerAssess(program);
  registerWhatif(program);
  registerSignins(program);
  registerCollect(program);
  registerPermissions(program);
  registerDeliverables(program);

  for (const command of program.commands) command.exitOverride();
  return program;
}

/**
 * Runs the CLI and returns the exit code. This is the one place errors are handled:
 * a UserError prints its message and fix (exit 2), anything else is an internal error (exit 3).
 */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    process.exitCode = EXIT.ok;
    await program.parseAsync(argv);
    return Number(process.exitCode ?? EXIT.ok);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed the message; help and version exit with code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usageOrInput;
    }
    if (error instanceof UserError) {
      // Messages may quote file names and values from tenant data, so control characters are escaped.
      process.stderr.write(`tokengap: ${toTerminalText(error.format())}\n`);
      return error.exitCode;
    }
    const detail = process.env.TOKENGAP_DEBUG ? (error as Error).stack : (error as Error)?.message ?? String(error);
    process.stderr.write(
      `tokengap: internal error: ${toTerminalText(String(detail))}\n` +
        '  This is a bug in tokengap. Set TOKENGAP_DEBUG=1 for the stack trace and report it.\n',
    );
    return EXIT.internal;
  }
}
