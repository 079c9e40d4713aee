import type { Command } from 'commander';

import { UserError } from '../errors.js';

export function registerPermissions(program: Command): void {
  program
    .command('permissions')
    .description('(not built yet)')
    .action(() => {
      throw new UserError('tokengap permissions is not built yet');
    });
}
